"""The «Звонки» page's queries: search over transcripts by word forms with filters, and one call in full.

Search words arrive already expanded into all their forms (``rules.lemmas``);
here each becomes a substring test on its stems plus a word-boundary regex, so
«девушка» finds «девушки» and not «девушкин».  Periods and counted findings
are those of ``analytics.queries.view_sql``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from analytics.queries.scores import scored_calls, scored_ctes
from analytics.queries.view_sql import COUNTED, PERIOD, bounds, run
from analytics.storage.store import SAID_BEFORE, connect


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
    languages: calls in any of these languages (ru, kk, mixed, unknown; empty: all); a call stored
        without a language is ``unknown``.
    with_violations: only calls with at least one counted finding (a count of violations, clicked).
    masked: the viewer sees transcripts masked: a search whose words are personal data (a name,
        a number of three digits or more: ``rules.privacy.pd_terms``) finds nothing.
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
    languages: tuple[str, ...] = ()
    masked: bool = False
    with_violations: bool = False
    query: str = ""          # the words as typed (``word_forms`` drops repeats and holds forms, not the words)


def searches_personal_data(word_forms: tuple[tuple[str, ...], ...], query: str = "") -> bool:
    """Whether the search is for personal data: the query as typed («один ноль ноль один», an IIN's date said
    in words), the search words together, or any form of one."""
    from rules.privacy import pd_terms

    said = " ".join(forms[0] for forms in word_forms if forms)
    return bool(pd_terms(query)) or bool(pd_terms(said)) or any(pd_terms(f) for forms in word_forms for f in forms)


def _words_regex(forms: tuple[str, ...]) -> str:
    alternatives = "|".join(sorted({_re2_escape(f) for f in forms if f}, key=len, reverse=True))
    return f"(?:^|\\PL)(?:{alternatives})(?:\\PL|$)"


def _re2_escape(text: str) -> str:
    return "".join("\\" + ch if ch in r".^$*+?()[]{}|\-" else ch for ch in text)


def _common_prefix(words: list[str]) -> str:
    """The longest prefix every word shares (word stems, not paths)."""
    first, last = min(words), max(words)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def _utterance_matches(forms: tuple[str, ...]) -> tuple[str, list[Any]]:
    """SQL (on ``u.text``) and its parameters: true when the utterance holds one of ``forms`` as a word.

    A substring test on the forms' stems comes first and the word-boundary regex
    only runs on what passes it: over millions of utterances that is ~25x faster.
    """
    norm = "replace(lower(u.text), 'ё', 'е')"
    groups: dict[str, list[str]] = {}
    for f in forms:
        groups.setdefault(f[:3], []).append(f)
    stems = sorted({_common_prefix(g) for g in groups.values()})
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
    if flt.masked and searches_personal_data(flt.word_forms, flt.query):
        where.append("FALSE")  # a masked role may not learn which calls hold a name or a number
    if flt.operator_ids:
        where.append("list_contains(?::VARCHAR[], p.operator_id)")
        where_params.append(list(flt.operator_ids))
    if flt.topics:
        where.append("list_contains(?::VARCHAR[], p.topic)")
        where_params.append(list(flt.topics))
    if flt.languages:
        where.append("list_contains(?::VARCHAR[], coalesce(p.language, 'unknown'))")
        where_params.append(list(flt.languages))
    if flt.rule:
        where.append("p.call_id IN (SELECT f.call_id FROM counted f WHERE f.rule = ?)")
        where_params.append(flt.rule)
    if flt.with_violations:
        where.append("p.call_id IN (SELECT f.call_id FROM counted f)")
    hits, hit_params = [], []
    for i, forms in enumerate(f for f in flt.word_forms if f):
        match, args = _utterance_matches(forms)
        hits.append(f"hits{i} AS (SELECT u.call_id, arg_min(u.text, u.start) AS quote, min(u.start) AS quote_at "
                    f"FROM utterances u SEMI JOIN period USING (call_id) WHERE {match} GROUP BY u.call_id)")
        hit_params.extend(args)
    joins = " ".join(f"JOIN hits{i} USING (call_id)" if i == 0 else f"SEMI JOIN hits{i} USING (call_id)"
                     for i in range(len(hits)))
    quote, quote_at = ("hits0.quote", "hits0.quote_at") if hits else ("''", "NULL::DOUBLE")
    # for a masked role, what was said just before the quote: its masking needs the cue («Назовите лицевой
    # счёт.» — «Да, тысяча один.») as the call page's does (policy.mask_frame, rules.privacy.context_before)
    from rules.privacy import CONTEXT_UTTERANCES

    said_before = f""", (SELECT string_agg(b.text, ' ' ORDER BY b.start) FROM (
                   SELECT x.text, x.start FROM utterances x WHERE x.call_id = s.call_id AND x.start < s.quote_at
                   ORDER BY x.start DESC LIMIT {CONTEXT_UTTERANCES}) b) AS quote{SAID_BEFORE}""" \
        if flt.masked and hits else ""
    sql = f"""
        WITH {PERIOD}, {COUNTED}{''.join(', ' + h for h in hits)},
        s AS (
            SELECT p.call_id, p.started_at, p.operator_id, p.operator_name, p.topic, p.score, p.duration_s,
                   {quote} AS quote, {quote_at} AS quote_at
            FROM period p {joins}
            WHERE {' AND '.join(f'({w})' for w in where)}
            ORDER BY p.started_at DESC, p.call_id LIMIT ?
        ),
        v AS (SELECT call_id, count(*) AS n, count(*) FILTER (WHERE rule = ?::VARCHAR) AS n_rule
              FROM counted WHERE call_id IN (SELECT call_id FROM s) GROUP BY 1)
        SELECT s.call_id, s.started_at, s.operator_id, s.operator_name, s.topic, s.score, s.duration_s,
               coalesce(v.n, 0) AS violations, coalesce(v.n_rule, 0) AS rule_violations, s.quote{said_before}
        FROM s LEFT JOIN v USING (call_id) ORDER BY s.started_at DESC, s.call_id"""
    return run(db, sql, [*bounds(flt.date_from, flt.date_to), *hit_params, *where_params, flt.limit, flt.rule])


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
        call = con.sql(f"WITH {scored_ctes()} SELECT * FROM (SELECT {scored_calls()}) WHERE call_id = ?",
                       params=[call_id]).pl()
        if call.is_empty():
            return None
        utts = con.sql("""SELECT idx, speaker, start, "end", text FROM utterances
                          WHERE call_id = ? ORDER BY start, idx""", params=[call_id]).pl()
        findings = con.sql("""
            SELECT f.idx, f.rule, f.clause, f.speaker, f.start, f."end", f.evidence,
                   r.verdict, r.comment, r.reviewer, r.reviewed_at, f.call_id
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
        skipped = con.execute("SELECT rule, reason FROM not_assessed WHERE call_id = ? ORDER BY rule",
                              [call_id]).fetchall()
    return CallDetail(call.row(0, named=True), utts, findings, dictated, requests, readings,
                      extra={"not_assessed": skipped})


