"""Named read-only queries behind the dashboard pages (beyond the KPIs of ``analytics.kpi``).

Every function opens a short-lived read-only connection (``store.connect``),
runs one parametrised query and returns a polars DataFrame (or a small
dataclass), so a page never holds the database while ``ingest`` writes.

Periods are calls started in ``[date_from, date_to]``, both days inclusive,
Asia/Almaty wall-clock time, as in CONTRACT.md section 5.  A finding that an
auditor rejected (``reviews.verdict = 'rejected'``) does not count as a
violation anywhere here, the same as in the KPIs.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from analytics.store import connect

log = logging.getLogger(__name__)

GRAINS = ("week", "month")

# Findings that count: everything except what an auditor rejected.
_COUNTED = """
    counted AS (
        SELECT f.* FROM findings f
        ANTI JOIN reviews r ON r.call_id = f.call_id AND r.idx = f.idx AND r.verdict = 'rejected'
    )"""

# Calls of the period; every query below takes (date_from, date_to) as its first two parameters.
_PERIOD = """
    period AS (
        SELECT * FROM calls
        WHERE started_at >= ?::DATE AND started_at < ?::DATE + INTERVAL 1 DAY
    )"""


def _run(db: Path, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
    with connect(Path(db), read_only=True) as con:
        return con.sql(sql, params=params or []).pl()


def _bounds(date_from: dt.date | None, date_to: dt.date | None) -> list[Any]:
    return [date_from or dt.date(1900, 1, 1), date_to or dt.date(2999, 12, 31)]


def _grain(grain: str) -> str:
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}, got {grain!r}")
    return grain


# --- the data at a glance -------------------------------------------------------------------

def date_range(db: Path) -> tuple[dt.date | None, dt.date | None]:
    """First and last day with a call (None, None on an empty database)."""
    df = _run(db, "SELECT min(started_at)::DATE AS first, max(started_at)::DATE AS last FROM calls")
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
                    FROM reviews)""").fetchone()
    return "|".join(row)


def operators(db: Path) -> pl.DataFrame:
    """operator_id, operator_name: everyone who took a call, by name."""
    return _run(db, """
        SELECT operator_id, coalesce(max(operator_name), operator_id) AS operator_name
        FROM calls WHERE operator_id IS NOT NULL
        GROUP BY operator_id ORDER BY operator_name, operator_id""")


def calls_by_topic(db: Path, date_from: dt.date | None, date_to: dt.date | None) -> pl.DataFrame:
    """topic, calls, score (average) for the period's calls, biggest topic first."""
    return _run(db, f"""
        WITH {_PERIOD}
        SELECT coalesce(topic, 'other') AS topic, count(*) AS calls, round(avg(score), 1) AS score
        FROM period GROUP BY 1 ORDER BY calls DESC, topic""", _bounds(date_from, date_to))


def trend(db: Path, date_from: dt.date | None, date_to: dt.date | None, grain: str = "month",
          operator_id: str | None = None) -> pl.DataFrame:
    """Per week or month: calls, average score, violations, violations per 100 calls.

    ``operator_id`` narrows it to one operator (the trainer's view).
    """
    g = _grain(grain)
    return _run(db, f"""
        WITH {_PERIOD}, {_COUNTED},
        sel AS (SELECT * FROM period WHERE ?::VARCHAR IS NULL OR operator_id = ?::VARCHAR),
        v AS (SELECT call_id, count(*) AS n FROM counted WHERE call_id IN (SELECT call_id FROM sel) GROUP BY 1)
        SELECT date_trunc('{g}', sel.started_at)::DATE AS period_start,
               count(*) AS calls,
               round(avg(sel.score), 1) AS score,
               coalesce(sum(v.n), 0)::BIGINT AS violations,
               round(100.0 * coalesce(sum(v.n), 0) / count(*), 1) AS per_100_calls
        FROM sel LEFT JOIN v USING (call_id)
        GROUP BY 1 ORDER BY 1""", [*_bounds(date_from, date_to), operator_id, operator_id])


# --- operators ------------------------------------------------------------------------------

def operator_clauses(db: Path, operator_id: str, date_from: dt.date | None, date_to: dt.date | None,
                     limit: int = 10) -> pl.DataFrame:
    """rule, clause, violations: the operator's most violated rules in the period."""
    return _run(db, f"""
        WITH {_PERIOD}, {_COUNTED}
        SELECT f.rule, any_value(f.clause) AS clause, count(*) AS violations
        FROM counted f JOIN period p USING (call_id)
        WHERE p.operator_id = ?
        GROUP BY f.rule ORDER BY violations DESC, f.rule LIMIT ?""",
                [*_bounds(date_from, date_to), operator_id, limit])


def worst_moments(db: Path, operator_id: str, date_from: dt.date | None, date_to: dt.date | None,
                  limit: int = 10) -> pl.DataFrame:
    """The operator's violations in their lowest-scoring calls: call, second, rule and the words said."""
    return _run(db, f"""
        WITH {_PERIOD}, {_COUNTED}
        SELECT f.call_id, p.started_at, p.score, f.rule, f.clause, f.start, f.evidence
        FROM counted f JOIN period p USING (call_id)
        WHERE p.operator_id = ? AND f.evidence IS NOT NULL AND f.evidence <> ''
        ORDER BY p.score ASC NULLS LAST, p.started_at DESC, f.start NULLS LAST
        LIMIT ?""", [*_bounds(date_from, date_to), operator_id, limit])


# --- rules ----------------------------------------------------------------------------------

def rule_counts(db: Path, date_from: dt.date | None, date_to: dt.date | None) -> pl.DataFrame:
    """rule, clause, violations, calls (with at least one), per 100 calls of the period."""
    return _run(db, f"""
        WITH {_PERIOD}, {_COUNTED},
        n AS (SELECT count(*) AS calls FROM period)
        SELECT f.rule, any_value(f.clause) AS clause, count(*) AS violations,
               count(DISTINCT f.call_id) AS calls,
               round(100.0 * count(*) / any_value(n.calls), 1) AS per_100_calls
        FROM counted f JOIN period p USING (call_id), n
        GROUP BY f.rule ORDER BY violations DESC, f.rule""", _bounds(date_from, date_to))


def rule_trend(db: Path, date_from: dt.date | None, date_to: dt.date | None, grain: str = "month") -> pl.DataFrame:
    """period_start, rule, violations: each rule's count per week or month."""
    g = _grain(grain)
    return _run(db, f"""
        WITH {_PERIOD}, {_COUNTED}
        SELECT date_trunc('{g}', p.started_at)::DATE AS period_start, f.rule, count(*) AS violations
        FROM counted f JOIN period p USING (call_id)
        GROUP BY 1, 2 ORDER BY 1, 2""", _bounds(date_from, date_to))


# --- calls ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CallFilter:
    """What the «Звонки» page searches for; every field narrows the result.

    date_from, date_to: calls started in these days (inclusive); None leaves that side open.
    operator_ids, topics: any of these (empty: all).
    rule: calls with at least one counted finding of this rule.
    score_min, score_max: the call's score within these bounds (inclusive).
    word_forms: one tuple per search word, holding all its forms (lowercase, ``ё`` as ``е``);
        a call matches when every word occurs, in any of its forms, in its transcript.
    limit: the most calls returned, newest first.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    operator_ids: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    rule: str | None = None
    score_min: float = 0.0
    score_max: float = 100.0
    word_forms: tuple[tuple[str, ...], ...] = ()
    limit: int = 500


def _words_regex(forms: tuple[str, ...]) -> str:
    alternatives = "|".join(sorted({_re2_escape(f) for f in forms if f}, key=len, reverse=True))
    return f"(?:^|\\PL)(?:{alternatives})(?:\\PL|$)"


def _re2_escape(text: str) -> str:
    return "".join("\\" + ch if ch in r".^$*+?()[]{}|\-" else ch for ch in text)


def _utterance_matches(forms: tuple[str, ...]) -> tuple[str, list[Any]]:
    """SQL (on ``u.text``) and its parameters: true when the utterance holds one of ``forms`` as a word.

    A substring test on the forms' stems comes first and the word-boundary regex
    only runs on what passes it: over millions of utterances that is ~25x faster.
    """
    norm = "replace(lower(u.text), 'ё', 'е')"
    groups: dict[str, list[str]] = {}
    for f in forms:
        groups.setdefault(f[:3], []).append(f)
    stems = sorted({os.path.commonprefix(g) for g in groups.values()})
    prefilter = " OR ".join(f"contains({norm}, ?)" for _ in stems)
    return f"({prefilter}) AND regexp_matches({norm}, ?)", [*stems, _words_regex(forms)]


def search_calls(db: Path, flt: CallFilter) -> pl.DataFrame:
    """Calls matching the filter: call_id, started_at, operator, topic, score, duration, violations, quote.

    ``quote`` is the first utterance holding the first search word (empty without words).
    Each search word scans the utterances once (``hits0``, ``hits1``, ...), not once per call.
    """
    where = ["p.score IS NULL OR p.score BETWEEN ? AND ?"] if (flt.score_min, flt.score_max) == (0.0, 100.0) \
        else ["p.score BETWEEN ? AND ?"]
    where_params: list[Any] = [flt.score_min, flt.score_max]
    if flt.operator_ids:
        where.append("list_contains(?::VARCHAR[], p.operator_id)")
        where_params.append(list(flt.operator_ids))
    if flt.topics:
        where.append("list_contains(?::VARCHAR[], p.topic)")
        where_params.append(list(flt.topics))
    if flt.rule:
        where.append("p.call_id IN (SELECT f.call_id FROM counted f WHERE f.rule = ?)")
        where_params.append(flt.rule)
    hits, hit_params = [], []
    for i, forms in enumerate(f for f in flt.word_forms if f):
        match, args = _utterance_matches(forms)
        hits.append(f"hits{i} AS (SELECT u.call_id, arg_min(u.text, u.start) AS quote "
                    f"FROM utterances u SEMI JOIN period USING (call_id) WHERE {match} GROUP BY u.call_id)")
        hit_params.extend(args)
    joins = " ".join(f"JOIN hits{i} USING (call_id)" if i == 0 else f"SEMI JOIN hits{i} USING (call_id)"
                     for i in range(len(hits)))
    quote = "hits0.quote" if hits else "''"
    sql = f"""
        WITH {_PERIOD}, {_COUNTED}{''.join(', ' + h for h in hits)},
        s AS (
            SELECT p.call_id, p.started_at, p.operator_id, p.operator_name, p.topic, p.score, p.duration_s,
                   {quote} AS quote
            FROM period p {joins}
            WHERE {' AND '.join(f'({w})' for w in where)}
            ORDER BY p.started_at DESC, p.call_id LIMIT ?
        ),
        v AS (SELECT call_id, count(*) AS n FROM counted WHERE call_id IN (SELECT call_id FROM s) GROUP BY 1)
        SELECT s.call_id, s.started_at, s.operator_id, s.operator_name, s.topic, s.score, s.duration_s,
               coalesce(v.n, 0) AS violations, s.quote
        FROM s LEFT JOIN v USING (call_id) ORDER BY s.started_at DESC, s.call_id"""
    return _run(db, sql, [*_bounds(flt.date_from, flt.date_to), *hit_params, *where_params, flt.limit])


@dataclass
class CallDetail:
    """Everything the call page shows about one call."""

    call: dict[str, Any]
    utterances: pl.DataFrame
    findings: pl.DataFrame       # with the auditor's verdict, if any
    dictated: pl.DataFrame       # readings said in the call (call_readings)
    requests: pl.DataFrame       # linked requests
    readings: pl.DataFrame       # linked readings, with the cross-check against dictated values
    extra: dict[str, Any] = field(default_factory=dict)


def call_detail(db: Path, call_id: str) -> CallDetail | None:
    """The call, its conversation, findings, dictated values and linked records; None if unknown."""
    with connect(Path(db), read_only=True) as con:
        call = con.sql("SELECT * FROM calls WHERE call_id = ?", params=[call_id]).pl()
        if call.is_empty():
            return None
        utts = con.sql("""SELECT idx, speaker, start, "end", text FROM utterances
                          WHERE call_id = ? ORDER BY start, idx""", params=[call_id]).pl()
        findings = con.sql("""
            SELECT f.idx, f.rule, f.clause, f.speaker, f.start, f."end", f.evidence,
                   r.verdict, r.comment, r.reviewer
            FROM findings f LEFT JOIN reviews r ON r.call_id = f.call_id AND r.idx = f.idx
            WHERE f.call_id = ? ORDER BY f.start NULLS LAST, f.idx""", params=[call_id]).pl()
        dictated = con.sql("SELECT idx, value, start, evidence FROM call_readings WHERE call_id = ? ORDER BY idx",
                           params=[call_id]).pl()
        requests = con.sql("""
            SELECT r.request_id, r.customer_type, r.kind, r.account, r.contract_no, r.object_name, r.meter,
                   r.contact, r.reason, r.created_at, r.completed_at, l.method AS linked_by,
                   round(date_diff('second', c.ended_at, r.created_at) / 60.0, 1) AS minutes_after_call
            FROM links l JOIN requests r ON r.request_id = l.record_id JOIN calls c ON c.call_id = l.call_id
            WHERE l.record_type = 'request' AND l.call_id = ? ORDER BY r.created_at""", params=[call_id]).pl()
        readings = con.sql("""
            SELECT r.reading_id, r.account, r.meter, r.value, r.entered_at, l.method AS linked_by,
                   round(date_diff('second', c.ended_at, r.entered_at) / 60.0, 1) AS minutes_after_call,
                   (SELECT list(d.value ORDER BY d.idx) FROM call_readings d WHERE d.call_id = l.call_id)
                       AS dictated,
                   CASE WHEN NOT EXISTS (SELECT 1 FROM call_readings d WHERE d.call_id = l.call_id) THEN NULL
                        ELSE EXISTS (SELECT 1 FROM call_readings d WHERE d.call_id = l.call_id
                                     AND abs(d.value - r.value) < 1e-6) END AS value_matches
            FROM links l JOIN readings r ON r.reading_id = l.record_id JOIN calls c ON c.call_id = l.call_id
            WHERE l.record_type = 'reading' AND l.call_id = ? ORDER BY r.entered_at""", params=[call_id]).pl()
    return CallDetail(call.row(0, named=True), utts, findings, dictated, requests, readings)


# --- review ---------------------------------------------------------------------------------

REVIEW_STATES = ("unreviewed", "confirmed", "rejected", "all")


def findings_for_review(db: Path, date_from: dt.date | None, date_to: dt.date | None,
                        rule: str | None = None, state: str = "unreviewed", limit: int = 200) -> pl.DataFrame:
    """Findings of the period's calls for the auditor, newest call first, with any verdict given."""
    if state not in REVIEW_STATES:
        raise ValueError(f"state must be one of {REVIEW_STATES}, got {state!r}")
    return _run(db, f"""
        WITH {_PERIOD}
        SELECT f.call_id, f.idx, p.started_at, p.operator_name, f.rule, f.clause, f.speaker, f.start,
               f.evidence, r.verdict, r.comment, r.reviewer, r.reviewed_at
        FROM findings f JOIN period p USING (call_id)
        LEFT JOIN reviews r ON r.call_id = f.call_id AND r.idx = f.idx
        WHERE (?::VARCHAR IS NULL OR f.rule = ?::VARCHAR)
          AND (? = 'all' OR (? = 'unreviewed' AND r.verdict IS NULL) OR r.verdict = ?)
        ORDER BY p.started_at DESC, f.call_id, f.start NULLS LAST, f.idx
        LIMIT ?""", [*_bounds(date_from, date_to), rule, rule, state, state, state, limit])


def rule_precision(db: Path) -> pl.DataFrame:
    """Per rule, over all reviews: confirmed, rejected, and precision (% confirmed of reviewed)."""
    return _run(db, """
        SELECT f.rule, any_value(f.clause) AS clause, count(*) AS findings,
               count(r.verdict) AS reviewed,
               count(*) FILTER (WHERE r.verdict = 'confirmed') AS confirmed,
               count(*) FILTER (WHERE r.verdict = 'rejected') AS rejected,
               CASE WHEN count(r.verdict) > 0 THEN
                   round(100.0 * count(*) FILTER (WHERE r.verdict = 'confirmed') / count(r.verdict), 1) END
                   AS precision_pct
        FROM findings f LEFT JOIN reviews r ON r.call_id = f.call_id AND r.idx = f.idx
        GROUP BY f.rule ORDER BY reviewed DESC, f.rule""")
