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

import polars as pl

from analytics.queries import kpi_sql as q
from analytics.storage.store import connect
from core import clock
from core.errors import OkaError

# The keys of ``oka-qa kpi --json`` in the contract's order (``from``/``to`` first, ``violations`` last).
KPI_FIELDS = ("calls", "requests", "requests_registered_on_time_pct", "requests_completed_on_time_pct",
              "requests_overdue", "requests_incomplete", "readings", "readings_entered_on_time_pct",
              "readings_value_mismatch", "calls_missing_record",
              "requests_not_registered", "requests_unlinked", "requests_sealing_reason_invalid",
              "readings_not_entered", "readings_unlinked", "records_mismatch", "records_unverifiable",
              "calls_not_assessed", "calls_by_language", "compliance_score_avg")
LANGUAGES = q.LANGUAGES
_LANGUAGE_COLUMNS = tuple(f"calls_{lang}" for lang in LANGUAGES)
_FLOATS = ("requests_registered_on_time_pct", "requests_completed_on_time_pct", "readings_entered_on_time_pct",
           "compliance_score_avg")

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
    return dt.datetime.now(clock.TZ).replace(tzinfo=None)


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


_CURRENT: set[Path] = set()


def ensure_current(db: Path) -> None:
    """A database made by an older version gains what the KPI queries read (``store.init`` adds only what is
    missing: the verdicts on discrepancies, ``discrepancy_reviews``); looked at once per database and process."""
    db = Path(db)
    if db in _CURRENT or not db.exists():
        return
    with connect(db, read_only=True) as con:
        have = con.execute("SELECT count(*) FROM information_schema.tables "
                           "WHERE table_name = 'discrepancy_reviews'").fetchone()[0]
    if not have:
        from analytics.storage import store

        store.init(db)
    _CURRENT.add(db)


def params(date_from: dt.date, date_to: dt.date, now: dt.datetime | None = None) -> list[dt.datetime]:
    """[lo, hi, cutoff, now] for the queries of ``analytics.queries.kpi_sql``."""
    lo = dt.datetime.combine(date_from, dt.time())
    hi = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
    now = now or _now()
    return [lo, hi, min(hi, now), now]


def _breakdown_sql(group: str, violations: bool = True) -> tuple[str, list[str]]:
    """The KPI query grouped by ``group``; ``violations=False`` leaves the findings out (the
    total counts them per rule in a query of its own)."""
    keys = GROUPS[group]
    names = list(keys["calls"])

    def sel(entity: str) -> str:
        return ", ".join(f"{expr} AS {name}" for name, expr in keys[entity].items())

    using = ", ".join(names)
    languages = ", ".join(f"count(*) FILTER (WHERE call_language = '{lang}') AS calls_{lang}" for lang in LANGUAGES)
    sql = q.with_bases("calls", "findings", "requests", "readings") + f""",
    call_agg AS (
        SELECT {sel('calls')}, count(*) AS calls, round(avg(score), 1) AS compliance_score_avg,
               count(*) FILTER (WHERE request_not_registered) AS requests_not_registered,
               count(*) FILTER (WHERE reading_not_entered) AS readings_not_entered,
               count(*) FILTER (WHERE not_assessed) AS calls_not_assessed, {languages}
        FROM calls_p GROUP BY ALL),
    viol_agg AS (
        SELECT {sel('calls')}, count(*) AS violations FROM findings_p {'' if violations else 'WHERE false'}
        GROUP BY ALL),
    req_agg AS (
        SELECT {sel('requests')}, count(*) AS requests,
               count(*) FILTER (WHERE linked) AS requests_linked,
               count(*) FILTER (WHERE registered_on_time) AS requests_registered_on_time,
               count(*) FILTER (WHERE NOT linked) AS requests_unlinked,
               {q.pct('completed_on_time', 'completed_on_time OR completed_late')} AS requests_completed_on_time_pct,
               count(*) FILTER (WHERE completed_on_time) AS completions_on_time,
               count(*) FILTER (WHERE completed_on_time OR completed_late) AS completions_judged,
               count(*) FILTER (WHERE overdue) AS requests_overdue,
               count(*) FILTER (WHERE len(missing_fields) > 0) AS requests_incomplete,
               count(*) FILTER (WHERE sealing_reason_invalid) AS requests_sealing_reason_invalid,
               count(*) FILTER (WHERE record_mismatch) AS requests_mismatch,
               count(*) FILTER (WHERE record_unverifiable) AS requests_unverifiable
        FROM requests_p GROUP BY ALL),
    rd_agg AS (
        SELECT {sel('readings')}, count(*) AS readings,
               count(*) FILTER (WHERE linked) AS readings_linked,
               count(*) FILTER (WHERE entered_on_time) AS readings_entered_on_time,
               count(*) FILTER (WHERE NOT linked) AS readings_unlinked,
               count(*) FILTER (WHERE value_mismatch) AS readings_value_mismatch,
               count(*) FILTER (WHERE record_mismatch) AS readings_mismatch,
               count(*) FILTER (WHERE record_unverifiable) AS readings_unverifiable
        FROM readings_p GROUP BY ALL),
    keys AS (SELECT {using} FROM call_agg UNION SELECT {using} FROM req_agg UNION SELECT {using} FROM rd_agg),
    joined AS (
        SELECT {using}, coalesce(calls, 0) AS calls, coalesce(requests, 0) AS requests,
               coalesce(requests_linked, 0) AS requests_linked,
               coalesce(requests_registered_on_time, 0) AS requests_registered_on_time,
               coalesce(requests_not_registered, 0) AS requests_not_registered,
               requests_completed_on_time_pct,
               coalesce(completions_on_time, 0) AS completions_on_time,
               coalesce(completions_judged, 0) AS completions_judged,
               coalesce(requests_overdue, 0) AS requests_overdue,
               coalesce(requests_incomplete, 0) AS requests_incomplete,
               coalesce(readings, 0) AS readings, coalesce(readings_linked, 0) AS readings_linked,
               coalesce(readings_entered_on_time, 0) AS readings_entered_on_time,
               coalesce(readings_not_entered, 0) AS readings_not_entered,
               coalesce(readings_value_mismatch, 0) AS readings_value_mismatch,
               coalesce(requests_unlinked, 0) AS requests_unlinked,
               coalesce(requests_sealing_reason_invalid, 0) AS requests_sealing_reason_invalid,
               coalesce(readings_unlinked, 0) AS readings_unlinked,
               coalesce(requests_mismatch, 0) + coalesce(readings_mismatch, 0) AS records_mismatch,
               coalesce(requests_unverifiable, 0) + coalesce(readings_unverifiable, 0) AS records_unverifiable,
               coalesce(calls_not_assessed, 0) AS calls_not_assessed,
               {", ".join(f"coalesce({c}, 0) AS {c}" for c in _LANGUAGE_COLUMNS)},
               compliance_score_avg, coalesce(violations, 0) AS violations
        FROM keys LEFT JOIN call_agg USING ({using}) LEFT JOIN viol_agg USING ({using})
        LEFT JOIN req_agg USING ({using}) LEFT JOIN rd_agg USING ({using}))
    SELECT {using}, calls, requests,
           -- registrations due: the linked requests + the calls that needed one and have none
           round(100.0 * requests_registered_on_time
                 / nullif(requests_linked + requests_not_registered, 0), 1) AS requests_registered_on_time_pct,
           requests_completed_on_time_pct, requests_overdue, requests_incomplete,
           readings,
           round(100.0 * readings_entered_on_time
                 / nullif(readings_linked + readings_not_entered, 0), 1) AS readings_entered_on_time_pct,
           readings_value_mismatch,
           requests_not_registered + readings_not_entered AS calls_missing_record,
           requests_not_registered, requests_unlinked, requests_sealing_reason_invalid,
           readings_not_entered, readings_unlinked, records_mismatch, records_unverifiable,
           calls_not_assessed, {", ".join(_LANGUAGE_COLUMNS)}, compliance_score_avg, violations,
           requests_linked + requests_not_registered AS registrations_due,
           readings_linked + readings_not_entered AS entries_due,
           -- the parts of the three shares (kpis_and_shares): what the Справка shows beside them
           requests_registered_on_time AS registrations_on_time, readings_entered_on_time AS entries_on_time,
           completions_on_time, completions_judged
    FROM joined ORDER BY {using}"""
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
    ensure_current(db)
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
    return kpis_and_shares(db, date_from, date_to, now)[0]


# each share of the KPIs and the two columns of the KPI query it is made of (counted, over)
_SHARE_PARTS = {"requests_registered_on_time_pct": ("registrations_on_time", "registrations_due"),
                "readings_entered_on_time_pct": ("entries_on_time", "entries_due"),
                "requests_completed_on_time_pct": ("completions_on_time", "completions_judged")}


def kpis_and_shares(db: Path, date_from: dt.date | None = None, date_to: dt.date | None = None,
                    now: dt.datetime | None = None) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    """``compute_kpis`` and, from the same query, the parts of its three shares: {share's key: (items counted,
    items it is over)} — registrations on time of those due, entries on time of those due, requests completed
    on time of those judged.  So that «75,0 %» can be read as «3 из 4» (the Справка prints both)."""
    sql, _ = _breakdown_sql("total", violations=False)
    ensure_current(db)
    with connect(db, read_only=True) as con:
        date_from, date_to = _period(con, date_from, date_to)
        p = params(date_from, date_to, now)
        rows = con.execute(sql, p).fetchall()
        row = rows[0] if rows else None
        violations = dict(con.execute(_VIOLATIONS_SQL, p).fetchall())
    columns = ["scope", *(k for k in KPI_FIELDS if k != "calls_by_language")]
    columns[columns.index("compliance_score_avg"):columns.index("compliance_score_avg")] = list(_LANGUAGE_COLUMNS)
    columns += ["violations", "registrations_due", "entries_due", "registrations_on_time", "entries_on_time",
                "completions_on_time", "completions_judged"]
    values = dict(zip(columns, row, strict=True)) if row is not None else {}
    out: dict[str, Any] = {"from": date_from.isoformat(), "to": date_to.isoformat()}
    for k in KPI_FIELDS:
        if k == "calls_by_language":
            out[k] = {lang: int(values.get(f"calls_{lang}") or 0) for lang in LANGUAGES}
        elif k in _FLOATS:
            v = values.get(k)
            out[k] = None if v is None else round(float(v), 1)
        else:
            out[k] = int(values.get(k) or 0)
    out["violations"] = {rule: int(n) for rule, n in violations.items()}
    parts = {k: (int(values.get(part) or 0), int(values.get(whole) or 0))
             for k, (part, whole) in _SHARE_PARTS.items()}
    return out, parts


def format_kpis(kpis: dict[str, Any]) -> str:
    """The KPI object as aligned Russian text for the terminal."""
    from analytics.catalogue.kpis import scalars

    lines = [f"Период: {kpis['from']} — {kpis['to']}"]
    shown = scalars(kpis)            # the KPI catalogue's names, in its order
    width = max(len(k.label) for k in shown)
    for k in shown:
        lines.append(f"  {k.label:<{width}}  {k.fmt(kpis[k.key])}")
    if kpis.get("calls_by_language"):
        from analytics.catalogue.labels import LANGUAGES_RU

        lines.append("  Звонки по языку: " + ", ".join(f"{LANGUAGES_RU.get(k, k)} {v}"
                                                     for k, v in kpis["calls_by_language"].items()))
    if kpis.get("violations"):
        lines.append("  Нарушения по правилам:")
        for rule, n in sorted(kpis["violations"].items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"    {rule:<28} {n}")
    return "\n".join(lines)
