"""The rows behind each KPI figure — the auditor's "which ones?".

Each function takes the same period as ``analytics.queries.kpi.compute_kpis`` and
returns a polars DataFrame whose first column is the record's id; the rows are
those counted by the figure of the same name, from the same definitions
(``analytics.queries.kpi_sql``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl

from analytics.queries import kpi_sql as q
from analytics.queries.kpi import _period, params
from analytics.storage.store import connect

_REQUEST_COLS = ("request_id, customer_type, kind, account, contract_no, operator_id, created_at, completed_at, "
                 "due_day, linked_call, link_method, call_ended_at")
_READING_COLS = "reading_id, account, meter, value, operator_id, entered_at, linked_call, link_method, call_ended_at"


def _run(db: Path, sql: str, date_from: dt.date | None, date_to: dt.date | None,
         now: dt.datetime | None = None) -> pl.DataFrame:
    with connect(db, read_only=True) as con:
        date_from, date_to = _period(con, date_from, date_to)
        return con.sql(sql, params=params(date_from, date_to, now)).pl()


_SQL = {
    "requests_registered_late": q.with_bases("requests") + f"""
        SELECT {_REQUEST_COLS},
               round(date_diff('second', call_ended_at, created_at) / 60.0, 1) AS minutes_after_call
        FROM requests_p WHERE linked AND NOT registered_on_time ORDER BY created_at, request_id""",
    "requests_completed_late": q.with_bases("requests") + f"""
        SELECT {_REQUEST_COLS}, completed AS completed_by_period_end
        FROM requests_p WHERE (completed OR overdue) AND NOT completed_on_time ORDER BY created_at, request_id""",
    "requests_overdue": q.with_bases("requests") + f"""
        SELECT {_REQUEST_COLS} FROM requests_p WHERE overdue ORDER BY due_day, request_id""",
    "requests_incomplete": q.with_bases("requests") + f"""
        SELECT {_REQUEST_COLS}, missing_fields
        FROM requests_p WHERE len(missing_fields) > 0 ORDER BY created_at, request_id""",
    "readings_entered_late": q.with_bases("readings") + f"""
        SELECT {_READING_COLS},
               round(date_diff('second', call_ended_at, entered_at) / 60.0, 1) AS minutes_after_call
        FROM readings_p WHERE linked AND NOT entered_on_time ORDER BY entered_at, reading_id""",
    "readings_mismatched": q.with_bases("readings") + f"""
        SELECT {_READING_COLS}, dictated_values
        FROM readings_p WHERE value_mismatch ORDER BY entered_at, reading_id""",
    "calls_missing_record": q.with_bases("calls") + """
        SELECT call_id, started_at, ended_at, operator_id, operator_name, topic, score
        FROM calls_p WHERE missing_record ORDER BY started_at, call_id""",
}


def _lister(name: str, doc: str) -> Callable[..., pl.DataFrame]:
    def run(db: Path, date_from: dt.date | None = None, date_to: dt.date | None = None,
            now: dt.datetime | None = None) -> pl.DataFrame:
        return _run(db, _SQL[name], date_from, date_to, now)

    run.__name__ = name
    run.__doc__ = doc
    return run


requests_registered_late = _lister(
    "requests_registered_late", "Linked requests created more than 7 minutes after their call ended.")
requests_completed_late = _lister(
    "requests_completed_late", "Requests completed after their due day, or open and past due at the period's end.")
requests_overdue = _lister(
    "requests_overdue", "Requests open and past due at the end of the period (or now, if earlier).")
requests_incomplete = _lister(
    "requests_incomplete", "Requests missing a field Appendix 1 requires, with the fields missing.")
readings_entered_late = _lister(
    "readings_entered_late", "Linked readings entered more than 5 minutes after their call ended.")
readings_mismatched = _lister(
    "readings_mismatched", "Linked readings whose value is none of the values dictated in the call (both shown).")
calls_missing_record = _lister(
    "calls_missing_record", "Calls about a request or readings with no request or reading linked to them.")

LISTS: dict[str, Callable[..., pl.DataFrame]] = {
    "requests_registered_late": requests_registered_late,
    "requests_completed_late": requests_completed_late,
    "requests_overdue": requests_overdue,
    "requests_incomplete": requests_incomplete,
    "readings_entered_late": readings_entered_late,
    "readings_mismatched": readings_mismatched,
    "calls_missing_record": calls_missing_record,
}
