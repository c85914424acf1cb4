"""Named read-only queries behind the dashboard pages (beyond the KPIs of ``analytics.queries.kpi``).

Every function opens a short-lived read-only connection (``store.connect``),
runs one parametrised query and returns a polars DataFrame (or a small
dataclass), so a page never holds the database while ``ingest`` writes.

Periods are calls started in ``[date_from, date_to]``, both days inclusive,
Asia/Almaty wall-clock time, as in docs/CONTRACT.md section 5.  A finding that an
auditor rejected (``reviews.verdict = 'rejected'``) does not count as a
violation anywhere here, the same as in the KPIs.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import duckdb
import polars as pl

# the «Звонки» queries live in call_search; named here too, so every dashboard query is one import away
from analytics.queries.call_search import (  # noqa: F401
    CallDetail,
    CallFilter,
    call_detail,
    search_calls,
    searches_personal_data,
)
from analytics.queries.view_sql import COUNTED, PERIOD, bounds, run
from analytics.storage.store import connect

log = logging.getLogger(__name__)

GRAINS = ("week", "month")


def _grain(grain: str) -> str:
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}, got {grain!r}")
    return grain


# --- the data at a glance -------------------------------------------------------------------

def date_range(db: Path) -> tuple[dt.date | None, dt.date | None]:
    """First and last day with a call (None, None on an empty database)."""
    df = run(db, "SELECT min(started_at)::DATE AS first, max(started_at)::DATE AS last FROM calls")
    return df["first"][0], df["last"][0]


def data_version(db: Path) -> str:
    """A fingerprint that changes when ingest, a records import or a review changes what the pages show.

    Counts, latest timestamps and exact sums over calls, records, links and
    reviews: ~25 ms at a million calls, so the dashboard can keep its cached
    results until the data changes instead of recomputing on a timer.
    """
    with connect(Path(db), read_only=True) as con:
        row = con.execute("""
            SELECT (SELECT concat_ws('/', count(*), max(ingested_at), max(rulebook)) FROM calls),
                   (SELECT concat_ws('/', count(*), max(created_at), count(completed_at), sum(epoch_ms(completed_at)))
                    FROM requests),
                   (SELECT concat_ws('/', count(*), max(entered_at), sum(value::DECIMAL(18, 3))) FROM readings),
                   (SELECT concat_ws('/', count(*), count(call_id)) FROM links),
                   (SELECT concat_ws('/', count(*), max(reviewed_at), count(*) FILTER (WHERE verdict = 'rejected'))
                    FROM reviews),
                   (SELECT concat_ws('/', count(*), max(seq)) FROM review_events),
                   (SELECT concat_ws('/', count(*), max(seq)) FROM discrepancy_events)""").fetchone()
    return "|".join(row)


def operators(db: Path) -> pl.DataFrame:
    """operator_id, operator_name: everyone who took a call, by name."""
    return run(db, """
        SELECT operator_id, coalesce(max(operator_name), operator_id) AS operator_name
        FROM calls WHERE operator_id IS NOT NULL
        GROUP BY operator_id ORDER BY operator_name, operator_id""")


def first_operator_id(db: Path) -> str | None:
    """The first operator id in sort order (the demo's operator account), None for an empty store."""
    with connect(db, read_only=True) as con:
        try:
            row = con.execute("SELECT min(operator_id) FROM calls").fetchone()
        except duckdb.Error:
            return None
    return row[0] if row else None


def calls_by_topic(db: Path, date_from: dt.date | None, date_to: dt.date | None) -> pl.DataFrame:
    """topic, calls, score (average) for the period's calls, biggest topic first."""
    return run(db, f"""
        WITH {PERIOD}
        SELECT coalesce(topic, 'other') AS topic, count(*) AS calls, round(avg(score), 1) AS score
        FROM period GROUP BY 1 ORDER BY calls DESC, topic""", bounds(date_from, date_to))


def trend(db: Path, date_from: dt.date | None, date_to: dt.date | None, grain: str = "month",
          operator_id: str | None = None) -> pl.DataFrame:
    """Per week or month: calls, average score, violations, violations per 100 calls.

    ``operator_id`` narrows it to one operator (the trainer's view).
    """
    g = _grain(grain)
    return run(db, f"""
        WITH {PERIOD}, {COUNTED},
        sel AS (SELECT * FROM period WHERE ?::VARCHAR IS NULL OR operator_id = ?::VARCHAR),
        v AS (SELECT call_id, count(*) AS n FROM counted WHERE call_id IN (SELECT call_id FROM sel) GROUP BY 1)
        SELECT date_trunc('{g}', sel.started_at)::DATE AS period_start,
               count(*) AS calls,
               round(avg(sel.score), 1) AS score,
               coalesce(sum(v.n), 0)::BIGINT AS violations,
               round(100.0 * coalesce(sum(v.n), 0) / count(*), 1) AS per_100_calls
        FROM sel LEFT JOIN v USING (call_id)
        GROUP BY 1 ORDER BY 1""", [*bounds(date_from, date_to), operator_id, operator_id])


# --- operators ------------------------------------------------------------------------------

def operator_clauses(db: Path, operator_id: str, date_from: dt.date | None, date_to: dt.date | None,
                     limit: int = 10) -> pl.DataFrame:
    """rule, clause, violations: the operator's most violated rules in the period."""
    return run(db, f"""
        WITH {PERIOD}, {COUNTED}
        SELECT f.rule, any_value(f.clause) AS clause, count(*) AS violations
        FROM counted f JOIN period p USING (call_id)
        WHERE p.operator_id = ?
        GROUP BY f.rule ORDER BY violations DESC, f.rule LIMIT ?""",
                [*bounds(date_from, date_to), operator_id, limit])


def worst_moments(db: Path, operator_id: str, date_from: dt.date | None, date_to: dt.date | None,
                  limit: int = 10) -> pl.DataFrame:
    """The operator's violations in their lowest-scoring calls: call, second, rule and the words said."""
    return run(db, f"""
        WITH {PERIOD}, {COUNTED}
        SELECT f.call_id, p.started_at, p.score, f.rule, f.clause, f.start, f.evidence
        FROM counted f JOIN period p USING (call_id)
        WHERE p.operator_id = ? AND f.evidence IS NOT NULL AND f.evidence <> ''
          AND f.source = 'check'   -- the words said; an added violation's text is the auditor's comment
        ORDER BY p.score ASC NULLS LAST, p.started_at DESC, f.start NULLS LAST
        LIMIT ?""", [*bounds(date_from, date_to), operator_id, limit])


# --- rules ----------------------------------------------------------------------------------

def rule_counts(db: Path, date_from: dt.date | None, date_to: dt.date | None) -> pl.DataFrame:
    """rule, clause, violations, calls (with at least one), per 100 calls of the period."""
    return run(db, f"""
        WITH {PERIOD}, {COUNTED},
        n AS (SELECT count(*) AS calls FROM period)
        SELECT f.rule, any_value(f.clause) AS clause, count(*) AS violations,
               count(DISTINCT f.call_id) AS calls,
               round(100.0 * count(*) / any_value(n.calls), 1) AS per_100_calls
        FROM counted f JOIN period p USING (call_id), n
        GROUP BY f.rule ORDER BY violations DESC, f.rule""", bounds(date_from, date_to))


def rule_trend(db: Path, date_from: dt.date | None, date_to: dt.date | None, grain: str = "month") -> pl.DataFrame:
    """period_start, rule, violations: each rule's count per week or month."""
    g = _grain(grain)
    return run(db, f"""
        WITH {PERIOD}, {COUNTED}
        SELECT date_trunc('{g}', p.started_at)::DATE AS period_start, f.rule, count(*) AS violations
        FROM counted f JOIN period p USING (call_id)
        GROUP BY 1, 2 ORDER BY 1, 2""", bounds(date_from, date_to))


# --- review ---------------------------------------------------------------------------------

REVIEW_STATES = ("unreviewed", "confirmed", "rejected", "all")


def findings_for_review(db: Path, date_from: dt.date | None, date_to: dt.date | None,
                        rule: str | None = None, state: str = "unreviewed", limit: int = 200) -> pl.DataFrame:
    """Findings of the period's calls for the auditor, newest call first, with any verdict given and the
    operator's dispute (``dispute``: open | uphold | withdraw, with the operator's comment and the answer)."""
    if state not in REVIEW_STATES:
        raise ValueError(f"state must be one of {REVIEW_STATES}, got {state!r}")
    return run(db, f"""
        WITH {PERIOD}
        SELECT f.call_id, f.idx, p.started_at, p.operator_name, f.rule, f.clause, f.speaker, f.start,
               f.evidence, r.verdict, r.comment, r.reviewer, r.reviewed_at,
               d.outcome AS dispute, d.comment AS dispute_comment, d.reason AS dispute_reason
        FROM findings f JOIN period p USING (call_id)
        LEFT JOIN reviews r ON r.call_id = f.call_id AND r.idx = f.idx
        LEFT JOIN dispute_state d ON d.call_id = f.call_id AND d.idx = f.idx AND d.ref IS NULL AND d.outcome <> 'gone'
        WHERE (?::VARCHAR IS NULL OR f.rule = ?::VARCHAR)
          AND (? = 'all' OR (? = 'unreviewed' AND r.verdict IS NULL) OR r.verdict = ?)
        ORDER BY p.started_at DESC, f.call_id, f.start NULLS LAST, f.idx
        LIMIT ?""", [*bounds(date_from, date_to), rule, rule, state, state, state, limit])


def rule_precision(db: Path) -> pl.DataFrame:
    """Per rule, over all reviews: confirmed, rejected, and precision (% confirmed of reviewed)."""
    return run(db, """
        SELECT f.rule, any_value(f.clause) AS clause, count(*) AS findings,
               count(r.verdict) AS reviewed,
               count(*) FILTER (WHERE r.verdict = 'confirmed') AS confirmed,
               count(*) FILTER (WHERE r.verdict = 'rejected') AS rejected,
               CASE WHEN count(r.verdict) > 0 THEN
                   round(100.0 * count(*) FILTER (WHERE r.verdict = 'confirmed') / count(r.verdict), 1) END
                   AS precision_pct
        FROM findings f LEFT JOIN reviews r ON r.call_id = f.call_id AND r.idx = f.idx
        GROUP BY f.rule ORDER BY reviewed DESC, f.rule""")
