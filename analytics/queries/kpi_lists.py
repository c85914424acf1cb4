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
from analytics.queries.kpi import _period, ensure_current, params
from analytics.storage.store import connect

_REQUEST_COLS = ("request_id, customer_type, kind, account, contract_no, operator_id, created_at, completed_at, "
                 "due_day, linked_call, link_method, call_ended_at")
_READING_COLS = "reading_id, account, meter, value, operator_id, entered_at, linked_call, link_method, call_ended_at"


def _run(db: Path, sql: str, date_from: dt.date | None, date_to: dt.date | None,
         now: dt.datetime | None = None) -> pl.DataFrame:
    ensure_current(db)
    with connect(db, read_only=True) as con:
        date_from, date_to = _period(con, date_from, date_to)
        return con.sql(sql, params=params(date_from, date_to, now)).pl()


_CALL_COLS = "call_id, started_at, ended_at, operator_id, operator_name, topic, topics, score"

_SQL = {
    "requests_registered_late": q.with_bases("requests") + f"""
        SELECT {_REQUEST_COLS},
               round(date_diff('second', call_ended_at, created_at) / 60.0, 1) AS minutes_after_call
        FROM requests_p WHERE linked AND NOT registered_on_time ORDER BY created_at, request_id""",
    "requests_not_registered": q.with_bases("calls") + f"""
        SELECT {_CALL_COLS} FROM calls_p WHERE request_not_registered ORDER BY started_at, call_id""",
    "requests_unlinked": q.with_bases("requests") + f"""
        SELECT {_REQUEST_COLS}, reason FROM requests_p WHERE NOT linked ORDER BY created_at, request_id""",
    "requests_completed_late": q.with_bases("requests") + f"""
        SELECT {_REQUEST_COLS}, completed AS completed_by_now
        FROM requests_p WHERE completed_late ORDER BY created_at, request_id""",
    "requests_overdue": q.with_bases("requests") + f"""
        SELECT {_REQUEST_COLS} FROM requests_p WHERE overdue ORDER BY due_day, request_id""",
    "requests_incomplete": q.with_bases("requests") + f"""
        SELECT {_REQUEST_COLS}, missing_fields
        FROM requests_p WHERE len(missing_fields) > 0 ORDER BY created_at, request_id""",
    "requests_sealing_reason_invalid": q.with_bases("requests") + f"""
        SELECT {_REQUEST_COLS}, reason, reason_class
        FROM requests_p WHERE sealing_reason_invalid ORDER BY created_at, request_id""",
    "readings_entered_late": q.with_bases("readings") + f"""
        SELECT {_READING_COLS},
               round(date_diff('second', call_ended_at, entered_at) / 60.0, 1) AS minutes_after_call
        FROM readings_p WHERE linked AND NOT entered_on_time ORDER BY entered_at, reading_id""",
    "readings_not_entered": q.with_bases("calls") + f"""
        SELECT {_CALL_COLS} FROM calls_p WHERE reading_not_entered ORDER BY started_at, call_id""",
    "readings_unlinked": q.with_bases("readings") + f"""
        SELECT {_READING_COLS} FROM readings_p WHERE NOT linked ORDER BY entered_at, reading_id""",
    "readings_mismatched": q.with_bases("readings") + f"""
        SELECT {_READING_COLS}, dictated_values, value_mismatch_verdict AS verdict
        FROM readings_p WHERE value_mismatch ORDER BY entered_at, reading_id""",
    "records_mismatch": q.with_bases("requests", "readings") + """
        SELECT request_id AS record_id, 'request' AS record_type, account, contract_no, operator_id,
               created_at AS recorded_at, linked_call, link_method, numbers_said, record_mismatch_verdict AS verdict
        FROM requests_p WHERE record_mismatch
        UNION ALL
        SELECT reading_id, 'reading', account, NULL, operator_id, entered_at, linked_call, link_method, numbers_said,
               record_mismatch_verdict
        FROM readings_p WHERE record_mismatch
        ORDER BY recorded_at, record_id""",
    "records_unverifiable": q.with_bases("requests", "readings") + """
        SELECT request_id AS record_id, 'request' AS record_type, account, contract_no, operator_id,
               created_at AS recorded_at, linked_call, link_method, numbers_said, NULL::DOUBLE[] AS dictated_values
        FROM requests_p WHERE record_unverifiable
        UNION ALL
        SELECT reading_id, 'reading', account, NULL, operator_id, entered_at, linked_call, link_method, numbers_said,
               dictated_values
        FROM readings_p WHERE record_unverifiable
        ORDER BY recorded_at, record_id""",
    # one row per record missing (a call that needed both and has neither is two rows), as the figure counts
    "calls_missing_record": q.with_bases("calls") + f"""
        SELECT {_CALL_COLS}, 'request' AS missing FROM calls_p WHERE request_not_registered
        UNION ALL
        SELECT {_CALL_COLS}, 'reading' FROM calls_p WHERE reading_not_entered
        ORDER BY started_at, call_id, missing""",
    "calls_not_assessed": q.with_bases("calls") + f"""
        SELECT {_CALL_COLS}, call_language AS language,
               (SELECT list(DISTINCT n.reason ORDER BY n.reason) FROM not_assessed n
                WHERE n.call_id = calls_p.call_id) AS reasons
        FROM calls_p WHERE not_assessed ORDER BY started_at, call_id""",
    "calls_by_language": q.with_bases("calls") + f"""
        SELECT {_CALL_COLS}, call_language AS language FROM calls_p ORDER BY call_language, started_at, call_id""",
}

_DOCS = {
    "requests_registered_late": "Linked requests created more than 7 minutes after their call ended.",
    "requests_not_registered": "Calls that needed a request (a request.* topic) with no request linked: never on time.",
    "requests_unlinked": "Requests of the period linked to no call (another channel, or nothing to tie them to).",
    "requests_completed_late": "Requests completed after their due day, or open once it is over (judged now).",
    "requests_overdue": "Requests open and past due at the end of the period (or now, if earlier).",
    "requests_incomplete": "Requests missing a field Appendix 1 requires, with the fields missing.",
    "requests_sealing_reason_invalid": "Household sealing requests whose reason is none clause 20 allows.",
    "readings_entered_late": "Linked readings entered more than 5 minutes after their call ended.",
    "readings_not_entered": "Calls that needed a reading entered (readings among their topics) with none linked.",
    "readings_unlinked": "Readings of the period linked to no call.",
    "readings_mismatched": "Linked readings whose value is none of the values dictated in the call (both shown), "
                           "not dismissed by a reviewer (a confirmed one shows its verdict).",
    "records_mismatch": "Linked records whose account/contract number is none of the numbers said, heard surely, "
                        "not dismissed by a reviewer.",
    "records_unverifiable": "Linked records whose call's numbers or dictated values were heard too unsurely.",
    "calls_missing_record": "Calls that needed a request or a reading and have none linked, a row per record missing.",
    "calls_not_assessed": "Calls on which no rule could be judged (score null), with the reasons.",
    "calls_by_language": "Every call of the period with its language.",
}


def _lister(name: str, doc: str) -> Callable[..., pl.DataFrame]:
    def run(db: Path, date_from: dt.date | None = None, date_to: dt.date | None = None,
            now: dt.datetime | None = None) -> pl.DataFrame:
        return _run(db, _SQL[name], date_from, date_to, now)

    run.__name__ = name
    run.__doc__ = doc
    return run


LISTS: dict[str, Callable[..., pl.DataFrame]] = {name: _lister(name, doc) for name, doc in _DOCS.items()}

requests_registered_late = LISTS["requests_registered_late"]
requests_completed_late = LISTS["requests_completed_late"]
requests_overdue = LISTS["requests_overdue"]
requests_incomplete = LISTS["requests_incomplete"]
readings_entered_late = LISTS["readings_entered_late"]
readings_mismatched = LISTS["readings_mismatched"]
calls_missing_record = LISTS["calls_missing_record"]

# The KPI figure (docs/CONTRACT.md section 5) each list stands behind, where its length is that figure.
FIGURE_OF = {
    "requests_not_registered": "requests_not_registered", "requests_unlinked": "requests_unlinked",
    "requests_overdue": "requests_overdue", "requests_incomplete": "requests_incomplete",
    "requests_sealing_reason_invalid": "requests_sealing_reason_invalid",
    "readings_not_entered": "readings_not_entered", "readings_unlinked": "readings_unlinked",
    "readings_mismatched": "readings_value_mismatch", "records_mismatch": "records_mismatch",
    "records_unverifiable": "records_unverifiable", "calls_not_assessed": "calls_not_assessed",
    "calls_missing_record": "calls_missing_record", "calls_by_language": "calls",
}
