"""The records discrepancies of a period as a review queue, like the findings on «Проверка».

One row per discrepancy the KPIs found (``analytics.queries.kpi_sql``: ``value_mismatch_found``,
``record_mismatch_found``) — before the reviewers' decisions, so a dismissed one can still be seen,
with its verdict, and taken back.  Columns: what (value | account), record_type, record_id, call_id,
operator_id, operator_name, recorded_at, account, contract_no, value, dictated_values, numbers_said,
at_s (the moment of the call to listen from: where the value was dictated, else the first utterance that
says one of the numbers, else the start), evidence (what was heard there), verdict (confirmed | dismissed |
None), comment, reviewer, reviewed_at.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from analytics.queries import kpi_sql as q
from analytics.queries.kpi import _period, ensure_current, params
from analytics.storage.store import connect

STATES = ("unreviewed", "confirmed", "dismissed", "all")

_SQL = q.with_bases("requests", "readings") + """,
found AS (
    SELECT 'value' AS what, 'reading' AS record_type, reading_id AS record_id, linked_call AS call_id,
           operator_id, entered_at AS recorded_at, account, NULL AS contract_no, value, dictated_values,
           numbers_said, value_mismatch_verdict AS verdict
    FROM readings_p WHERE value_mismatch_found
    UNION ALL
    SELECT 'account', 'reading', reading_id, linked_call, operator_id, entered_at, account, NULL, value,
           dictated_values, numbers_said, record_mismatch_verdict
    FROM readings_p WHERE record_mismatch_found
    UNION ALL
    SELECT 'account', 'request', request_id, linked_call, operator_id, created_at, account, contract_no, NULL,
           NULL, numbers_said, record_mismatch_verdict
    FROM requests_p WHERE record_mismatch_found
),
dictated_at AS (          -- where the first value was dictated
    SELECT call_id, arg_min(start, idx) AS at_s, arg_min(evidence, idx) AS evidence
    FROM call_readings WHERE call_id IN (SELECT call_id FROM found) GROUP BY call_id
),
said_at AS (              -- the first utterance whose digits hold a number said
    SELECT f.record_id, f.what, min(u.start) AS at_s, arg_min(u.text, u.start) AS evidence
    FROM found f JOIN utterances u ON u.call_id = f.call_id
    WHERE f.what = 'account' AND len(list_filter(coalesce(f.numbers_said, []),
          lambda x: contains(regexp_replace(u.text, '[^0-9]', '', 'g'), x))) > 0
    GROUP BY ALL
)
SELECT f.what, f.record_type, f.record_id, f.call_id, f.operator_id, c.operator_name, f.recorded_at,
       f.account, f.contract_no, f.value, f.dictated_values, f.numbers_said,
       CASE WHEN f.what = 'value' THEN d.at_s ELSE s.at_s END AS at_s,
       CASE WHEN f.what = 'value' THEN d.evidence ELSE s.evidence END AS evidence,
       f.verdict, r.comment, r.reviewer, r.reviewed_at
FROM found f
LEFT JOIN calls c ON c.call_id = f.call_id
LEFT JOIN dictated_at d ON d.call_id = f.call_id
LEFT JOIN said_at s ON s.record_id = f.record_id AND s.what = f.what
LEFT JOIN discrepancy_reviews r ON r.record_type = f.record_type AND r.record_id = f.record_id AND r.what = f.what
WHERE ? = 'all' OR (? = 'unreviewed' AND f.verdict IS NULL) OR f.verdict = ?
ORDER BY f.recorded_at, f.record_id, f.what"""


def discrepancies(db: Path, date_from: dt.date | None = None, date_to: dt.date | None = None,
                  state: str = "all", now: dt.datetime | None = None) -> pl.DataFrame:
    """The period's records discrepancies with their verdicts (``state``: unreviewed, confirmed, dismissed,
    all), in the order they were recorded."""
    if state not in STATES:
        raise ValueError(f"state must be one of {', '.join(STATES)}, got {state!r}")
    ensure_current(db)
    with connect(Path(db), read_only=True) as con:
        date_from, date_to = _period(con, date_from, date_to)
        return con.sql(_SQL, params=[*params(date_from, date_to, now), state, state, state]).pl()
