"""The KPIs of docs/CONTRACT.md section 5, for any period, in total and by group.

``compute_kpis`` gives the ``oka-qa kpi --json`` object; ``breakdown`` gives
the same figures per operator, month, operator and month, or topic, as a
polars DataFrame for the dashboard.  The definitions live once, in
``analytics.queries.kpi_sql``; the lists behind each figure are in
``analytics.queries.kpi_lists``.  Every query opens a short-lived read-only
connection, so an ingest running in another process is blocked only for the
duration of one query.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from analytics.queries import kpi_sql as q
from analytics.storage.store import connect
from core.errors import OkaError

TZ = ZoneInfo("Asia/Almaty")

KPI_FIELDS = ("calls", "requests", "requests_registered_on_time_pct", "requests_completed_on_time_pct",
              "requests_overdue", "requests_incomplete", "readings", "readings_entered_on_time_pct",
              "readings_value_mismatch", "calls_missing_record", "compliance_score_avg")

# Group keys per base relation: a fixed whitelist, never user text.
NO_TOPIC = "(без звонка)"
NO_OPERATOR = "(не указан)"
GROUPS: dict[str, dict[str, dict[str, str]]] = {
    "total": {"calls": {"scope": "'all'"}, "requests": {"scope": "'all'"}, "readings": {"scope": "'all'"}},
    "operator": {
        "calls": {"operator_id": f"coalesce(operator_id, '{NO_OPERATOR}')"},
        "requests": {"operator_id": f"coalesce(operator_id, '{NO_OPERATOR}')"},
        "readings": {"operator_id": f"coalesce(operator_id, '{NO_OPERATOR}')"},
    },
    "month": {
        "calls": {"month": "CAST(date_trunc('month', started_at) AS DATE)"},
        "requests": {"month": "CAST(date_trunc('month', created_at) AS DATE)"},
        "readings": {"month": "CAST(date_trunc('month', entered_at) AS DATE)"},
    },
    "topic": {
        "calls": {"topic": f"coalesce(topic, '{NO_TOPIC}')"},
        "requests": {"topic": f"coalesce(call_topic, '{NO_TOPIC}')"},
        "readings": {"topic": f"coalesce(call_topic, '{NO_TOPIC}')"},
    },
}
GROUPS["operator_month"] = {k: GROUPS["operator"][k] | GROUPS["month"][k] for k in ("calls", "requests", "readings")}


class KpiError(OkaError):
    """A KPI request that cannot be answered (a bad period, a missing database)."""


def _now() -> dt.datetime:
    return dt.datetime.now(TZ).replace(tzinfo=None)


def _period(con, date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date, dt.date]:
    """Missing ends default to the first and last day that has a call or a record."""
    if date_from is None or date_to is None:
        lo, hi = con.execute(
            "SELECT min(d), max(d) FROM (SELECT CAST(started_at AS DATE) AS d FROM calls "
            "UNION ALL SELECT CAST(created_at AS DATE) FROM requests "
            "UNION ALL SELECT CAST(entered_at AS DATE) FROM readings)").fetchall()[0]
        today = _now().date()
        if date_from is None:
            date_from = min(lo or today, date_to or today)
        if date_to is None:
            date_to = max(hi or today, date_from)
    if date_to < date_from:
        raise KpiError(f"the period ends ({date_to}) before it starts ({date_from})")
    return date_from, date_to


def params(date_from: dt.date, date_to: dt.date, now: dt.datetime | None = None) -> list[dt.datetime]:
    """[lo, hi, cutoff] for the queries of ``analytics.queries.kpi_sql``."""
    lo = dt.datetime.combine(date_from, dt.time())
    hi = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
    return [lo, hi, min(hi, now or _now())]


def _breakdown_sql(group: str, violations: bool = True) -> tuple[str, list[str]]:
    """The KPI query grouped by ``group``; ``violations=False`` leaves the findings out (the
    total counts them per rule in a query of its own)."""
    keys = GROUPS[group]
    names = list(keys["calls"])

    def sel(entity: str) -> str:
        return ", ".join(f"{expr} AS {name}" for name, expr in keys[entity].items())

    using = ", ".join(names)
    sql = q.with_bases("calls", "findings", "requests", "readings") + f""",
    call_agg AS (
        SELECT {sel('calls')}, count(*) AS calls, round(avg(score), 1) AS compliance_score_avg,
               count(*) FILTER (WHERE missing_record) AS calls_missing_record
        FROM calls_p GROUP BY ALL),
    viol_agg AS (
        SELECT {sel('calls')}, count(*) AS violations FROM findings_p {'' if violations else 'WHERE false'}
        GROUP BY ALL),
    req_agg AS (
        SELECT {sel('requests')}, count(*) AS requests,
               {q.pct('registered_on_time', 'linked')} AS requests_registered_on_time_pct,
               {q.pct('completed_on_time', 'completed OR overdue')} AS requests_completed_on_time_pct,
               count(*) FILTER (WHERE overdue) AS requests_overdue,
               count(*) FILTER (WHERE len(missing_fields) > 0) AS requests_incomplete
        FROM requests_p GROUP BY ALL),
    rd_agg AS (
        SELECT {sel('readings')}, count(*) AS readings,
               {q.pct('entered_on_time', 'linked')} AS readings_entered_on_time_pct,
               count(*) FILTER (WHERE value_mismatch) AS readings_value_mismatch
        FROM readings_p GROUP BY ALL),
    keys AS (SELECT {using} FROM call_agg UNION SELECT {using} FROM req_agg UNION SELECT {using} FROM rd_agg)
    SELECT {using},
           coalesce(calls, 0) AS calls, coalesce(requests, 0) AS requests,
           requests_registered_on_time_pct, requests_completed_on_time_pct,
           coalesce(requests_overdue, 0) AS requests_overdue,
           coalesce(requests_incomplete, 0) AS requests_incomplete,
           coalesce(readings, 0) AS readings, readings_entered_on_time_pct,
           coalesce(readings_value_mismatch, 0) AS readings_value_mismatch,
           coalesce(calls_missing_record, 0) AS calls_missing_record,
           compliance_score_avg, coalesce(violations, 0) AS violations
    FROM keys LEFT JOIN call_agg USING ({using}) LEFT JOIN viol_agg USING ({using})
    LEFT JOIN req_agg USING ({using}) LEFT JOIN rd_agg USING ({using})
    ORDER BY {using}"""
    return sql, names


_VIOLATIONS_SQL = q.with_bases("calls", "findings") + """
SELECT rule, count(*) FROM findings_p GROUP BY rule ORDER BY rule"""


def breakdown(db: Path, date_from: dt.date | None, date_to: dt.date | None, by: str = "operator",
              now: dt.datetime | None = None) -> pl.DataFrame:
    """The KPIs per group (``by``: total, operator, month, operator_month, topic), one row a group.

    Besides the contract's figures each row has ``violations`` (findings
    counted, after auditors' rejections).  Requests and readings are grouped
    by their own operator and month; by topic, by the topic of the linked call.
    """
    if by not in GROUPS:
        raise KpiError(f"unknown breakdown {by!r}; one of {', '.join(GROUPS)}")
    sql, _ = _breakdown_sql(by)
    with connect(db, read_only=True) as con:
        date_from, date_to = _period(con, date_from, date_to)
        return con.sql(sql, params=params(date_from, date_to, now)).pl()


def by_operator(db: Path, date_from: dt.date | None, date_to: dt.date | None) -> pl.DataFrame:
    return breakdown(db, date_from, date_to, "operator")


def by_month(db: Path, date_from: dt.date | None, date_to: dt.date | None) -> pl.DataFrame:
    return breakdown(db, date_from, date_to, "month")


def by_operator_month(db: Path, date_from: dt.date | None, date_to: dt.date | None) -> pl.DataFrame:
    return breakdown(db, date_from, date_to, "operator_month")


def by_topic(db: Path, date_from: dt.date | None, date_to: dt.date | None) -> pl.DataFrame:
    return breakdown(db, date_from, date_to, "topic")


def compute_kpis(db: Path, date_from: dt.date | None = None, date_to: dt.date | None = None,
                 now: dt.datetime | None = None) -> dict[str, Any]:
    """The ``oka-qa kpi --json`` object for calls started in [date_from, date_to] (inclusive).

    ``now`` (Asia/Almaty wall time) fixes "today" for the overdue cut-off;
    missing dates default to the first/last day with data.
    """
    sql, _ = _breakdown_sql("total", violations=False)
    with connect(db, read_only=True) as con:
        date_from, date_to = _period(con, date_from, date_to)
        p = params(date_from, date_to, now)
        rows = con.execute(sql, p).fetchall()
        row = rows[0] if rows else None
        violations = dict(con.execute(_VIOLATIONS_SQL, p).fetchall())
    out: dict[str, Any] = {"from": date_from.isoformat(), "to": date_to.isoformat()}
    if row is None:
        out |= {k: (None if k.endswith("_pct") or k == "compliance_score_avg" else 0) for k in KPI_FIELDS}
    else:
        values = dict(zip(["scope", *KPI_FIELDS, "violations"], row))
        out |= {k: values[k] for k in KPI_FIELDS}
    for k in KPI_FIELDS:
        if isinstance(out[k], float) and k.endswith(("_pct", "_avg")):
            out[k] = round(out[k], 1)
        elif out[k] is not None and not k.endswith(("_pct", "_avg")):
            out[k] = int(out[k])
    out["violations"] = {rule: int(n) for rule, n in violations.items()}
    return out


_LABELS = {
    "calls": "Звонков", "requests": "Заявок", "requests_registered_on_time_pct": "Заявки зарегистрированы вовремя, %",
    "requests_completed_on_time_pct": "Заявки выполнены в срок (10 раб. дней), %",
    "requests_overdue": "Заявок просрочено", "requests_incomplete": "Заявок с неполными данными",
    "readings": "Показаний", "readings_entered_on_time_pct": "Показания внесены вовремя, %",
    "readings_value_mismatch": "Показаний с расхождением", "calls_missing_record": "Звонков без заявки/показания",
    "compliance_score_avg": "Средняя оценка соответствия",
}


def format_kpis(kpis: dict[str, Any]) -> str:
    """The KPI object as aligned Russian text for the terminal."""
    lines = [f"Период: {kpis['from']} — {kpis['to']}"]
    width = max(len(v) for v in _LABELS.values())
    for key, label in _LABELS.items():
        value = kpis.get(key)
        lines.append(f"  {label:<{width}}  {'—' if value is None else value}")
    if kpis.get("violations"):
        lines.append("  Нарушения по правилам:")
        for rule, n in sorted(kpis["violations"].items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"    {rule:<28} {n}")
    return "\n".join(lines)
