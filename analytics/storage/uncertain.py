"""An auditor's decision on an uncertain finding (page «Проверка», queue «Требует проверки»).

Confirming copies the finding into ``findings`` (next index of the call),
records a ``confirm`` event on it (``review_events``: the auditors' history) and the decision in
``uncertain_reviews``,
and takes the rule's weight off the call's stored score when that rule had
no finding in the call yet (a rule whose findings an auditor rejected had its weight taken off the stored score
at check time, and given back by ``analytics.queries.scores``, which takes it again once this finding counts)
— from then on it counts like any other finding in the KPIs, the score and the reports.  Rejecting records the
decision only: the finding stays out of everything.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from analytics.storage import finding_ids
from analytics.storage.reviews import VERDICTS, ReviewError, append_event
from analytics.storage.store import connect
from core import clock

log = logging.getLogger(__name__)


def decide_uncertain(db: Path, call_id: str, idx: int, verdict: str, weight: float, floor: float = 0.0,
                     comment: str = "", reviewer: str = "", now: dt.datetime | None = None,
                     role: str = "") -> int | None:
    """Confirm or reject uncertain finding ``idx`` of ``call_id``; returns the new findings index when confirmed.

    weight: the rule's weight in the rulebook (what confirming takes off the score); floor: the score's floor.
    """
    if verdict not in VERDICTS:
        raise ReviewError(f"verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}")
    when = now or clock.now()
    with connect(Path(db)) as con:
        row = con.execute("SELECT rule FROM uncertain_findings WHERE call_id = ? AND idx = ?",
                          [call_id, int(idx)]).fetchone()
        if row is None:
            raise ReviewError(f"{db}: no uncertain finding {idx} in call {call_id}")
        if con.execute("SELECT 1 FROM uncertain_reviews WHERE call_id = ? AND idx = ?",
                       [call_id, int(idx)]).fetchone():
            raise ReviewError(f"{db}: uncertain finding {idx} in call {call_id} is already decided")
        rule = row[0]
        new_idx = None
        con.execute("BEGIN TRANSACTION")
        if verdict == "confirmed":
            # the stored score took off the weight of every rule with a finding, rejected ones too (their weight
            # comes back in ``analytics.queries.scores``, and goes again once this one counts)
            stored = con.execute("SELECT count(*) FROM findings WHERE call_id = ? AND rule = ?",
                                 [call_id, rule]).fetchone()[0]
            new_idx = finding_ids.next_found(con, call_id)   # never a number a review or a dispute holds
            con.execute("""INSERT INTO findings (call_id, idx, rule, clause, speaker, start, "end", evidence,
                                                 rulebook, confidence)
                           SELECT call_id, ?, rule, clause, speaker, start, "end", evidence, rulebook, confidence
                           FROM uncertain_findings WHERE call_id = ? AND idx = ?""", [new_idx, call_id, int(idx)])
            append_event(con, "confirm", reviewer, role, when, call_id=call_id, idx=int(new_idx), rule=rule,
                         comment=comment.strip())
            if not stored:
                con.execute("UPDATE calls SET score = greatest(?, score - ?) WHERE call_id = ? AND score IS NOT NULL",
                            [float(floor), float(weight), call_id])
        con.execute("INSERT INTO uncertain_reviews (call_id, idx, rule, verdict, finding_idx, comment, reviewer, "
                    "reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [call_id, int(idx), rule, verdict, new_idx, comment.strip(), reviewer.strip(), when])
        con.execute("COMMIT")
    log.info("uncertain finding %s #%s (%s): %s", call_id, idx, rule, verdict)
    return new_idx
