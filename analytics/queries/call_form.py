"""The evaluation form of one call as the auditor fills it: each criterion with the answer the automatic
check proposes (from the violations that count: the findings an auditor has not rejected and those auditors
added), the evidence behind it, and the answer standing in the review history (``analytics/storage/reviews.py``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from analytics.storage import reviews
from analytics.storage.store import connect
from rules.forms import Form


@dataclass
class FormRow:
    criterion: str
    clause: str
    title_ru: str
    weight: float
    by_ear: bool
    proposal: str | None                 # yes | no | na | None (judged by listening)
    evidence: list[str] = field(default_factory=list)   # «quote» (rule, second) of the findings behind «no»
    answer: str | None = None            # the standing answer, if the form was filled
    answered_by: str | None = None


def call_form(db: Path, call_id: str, form: Form, session_id: str | None = None,
              who: str | None = None) -> list[FormRow]:
    """The form of ``call_id``; in a calibration session, the answers are ``who``'s own there."""
    with connect(Path(db), read_only=True) as con:
        topic = (con.execute("SELECT topic FROM calls WHERE call_id = ?", [call_id]).fetchone() or [None])[0]
        # what counts: the findings not rejected (nor withdrawn on a dispute) and the violations auditors added
        found = con.execute("""
            SELECT rule, CASE WHEN source = 'auditor' THEN 'аудитор: ' || coalesce(evidence, '') ELSE evidence END,
                   start
            FROM counted_violations WHERE call_id = ? ORDER BY start NULLS LAST, idx NULLS LAST""",
                            [call_id]).fetchall()
        unassessed = {r[0] for r in con.execute("SELECT rule FROM not_assessed WHERE call_id = ?",
                                                [call_id]).fetchall()}
    given = reviews.answers(db, call_id, session_id=session_id, who=who)
    standing = {r["criterion"]: r for r in given.iter_rows(named=True)}
    fired = {rule for rule, _e, _s in found}
    rows = []
    for c in form.criteria:
        assessed = not (set(c.rules) & unassessed) and "*" not in unassessed
        # the criterion names the rule (its clause and title): the evidence is the words and the moment
        ev = [f"«{e}» ({int(s) // 60:02d}:{int(s) % 60:02d})" if s is not None else "звонок в целом"
              for rule, e, s in found if rule in c.rules]
        got = standing.get(c.id)
        rows.append(FormRow(c.id, c.clause, c.title_ru, c.weight, c.by_ear, c.proposal(fired, topic, assessed), ev,
                            got["answer"] if got else None, got["who"] if got else None))
    return rows
