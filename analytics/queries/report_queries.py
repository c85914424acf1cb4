"""Named read-only queries that only the half-yearly report needs.

The KPIs and their lists come from ``analytics.queries.kpi``, the per-operator and
per-rule tables from ``analytics.queries.views`` (what the dashboard shows); these
add the report's scope and the quotes it cites.  Periods are calls started in
``[date_from, date_to]``, both inclusive, Asia/Almaty; a finding an auditor
rejected does not count and a violation an auditor added does, as everywhere else.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analytics.queries.view_sql import COUNTED as _COUNTED  # the findings not rejected and those auditors added
from analytics.queries.view_sql import PERIOD as _PERIOD  # the period's calls, scored as they stand after reviews
from analytics.storage.store import connect


@dataclass(frozen=True)
class CheckedScope:
    calls: int                 # calls started in the period
    checked: int               # of them, checked by a rulebook (they have its score; a form's alone is no check)
    operators: int             # distinct operators who took them
    rulebooks: tuple[str, ...]


def checked_scope(db: Path, date_from: dt.date, date_to: dt.date) -> CheckedScope:
    """How many of the period's calls the rulebook checked, by how many operators, with which editions."""
    with connect(Path(db), read_only=True) as con:
        row = con.execute(f"""
            WITH {_PERIOD}
            SELECT count(*), count(auto_score), count(DISTINCT operator_id),
                   list(DISTINCT rulebook ORDER BY rulebook) FILTER (WHERE rulebook IS NOT NULL)
            FROM period""", [date_from, date_to]).fetchone()
    return CheckedScope(int(row[0]), int(row[1]), int(row[2]), tuple(row[3] or ()))


def not_assessed_calls(db: Path, date_from: dt.date, date_to: dt.date) -> dict[str, int]:
    """rule → the period's checked calls on which it could not be judged (``not_assessed``: the language
    spoken, no speech, unsure words) and no auditor added a violation of it; they are left out of that rule's
    share of calls."""
    with connect(Path(db), read_only=True) as con:
        rows = con.execute(f"""
            WITH {_PERIOD}
            SELECT n.rule, count(DISTINCT n.call_id) FROM not_assessed n SEMI JOIN period p
                ON p.call_id = n.call_id AND p.auto_score IS NOT NULL
            ANTI JOIN added_violations a ON a.call_id = n.call_id AND a.rule = n.rule   -- an auditor judged it
            GROUP BY n.rule""", [date_from, date_to]).fetchall()
    return {rule: int(n) for rule, n in rows}


def violation_examples(db: Path, date_from: dt.date, date_to: dt.date, per_rule: int = 3) -> pl.DataFrame:
    """Up to ``per_rule`` quotes for each rule: rule, clause, call_id, started_at, operator, start, evidence, said.

    One quote per call (the first of the rule in it), from the lowest-scoring
    calls first, so the examples are the clearest cases, not one call repeated.  ``said``: the evidence is
    words of the call (found in one of its utterances); a rule about the whole call gives a description
    instead («не собраны: причина», «длительность 9:12 при норме 7 мин»), which is not to be shown as a quote
    (a call whose words are not stored keeps its evidence as a quote).
    """
    with connect(Path(db), read_only=True) as con:
        return con.sql(f"""
            WITH {_PERIOD}, {_COUNTED},
            firsts AS (
                SELECT f.rule, f.clause, f.call_id, p.started_at,
                       coalesce(p.operator_name, p.operator_id) AS operator, p.score, f.start, f.evidence,
                       row_number() OVER (PARTITION BY f.rule, f.call_id ORDER BY f.start NULLS LAST, f.idx) AS k
                FROM counted f JOIN period p USING (call_id)
                WHERE f.evidence IS NOT NULL AND trim(f.evidence) <> ''
                  AND f.source = 'check'   -- words said; an added violation's text is the auditor's comment
            ),
            ranked AS (
                SELECT *, row_number() OVER (PARTITION BY rule ORDER BY score NULLS LAST, started_at, call_id) AS n
                FROM firsts WHERE k = 1
            )
            SELECT rule, clause, call_id, started_at, operator, start, evidence,
                   EXISTS (SELECT 1 FROM utterances u WHERE u.call_id = ranked.call_id
                           AND contains(lower(u.text), lower(trim(ranked.evidence))))
                   -- a store without the call's words (pre-checked calls): the checker's evidence as it gave it
                   OR NOT EXISTS (SELECT 1 FROM utterances u WHERE u.call_id = ranked.call_id) AS said
            FROM ranked WHERE n <= ? ORDER BY rule, n""", params=[date_from, date_to, per_rule]).pl()


def review_figures(db: Path, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    """Per rule, over the automatic findings in the period's calls: rule, clause, findings (all, rejected ones
    included), reviewed, confirmed, rejected — what auditors made of them on the page «Проверка»."""
    with connect(Path(db), read_only=True) as con:
        return con.sql(f"""
            WITH {_PERIOD}
            SELECT f.rule, min(f.clause) AS clause, count(*) AS findings,
                   count(r.verdict) AS reviewed,
                   count(*) FILTER (WHERE r.verdict = 'confirmed') AS confirmed,
                   count(*) FILTER (WHERE r.verdict = 'rejected') AS rejected
            FROM findings f JOIN period p USING (call_id)
            LEFT JOIN reviews r ON r.call_id = f.call_id AND r.idx = f.idx AND (r.rule IS NULL OR r.rule = f.rule)
            GROUP BY f.rule ORDER BY f.rule""", params=[date_from, date_to]).pl()
