"""Clause 15.13 at ingest: an operator's call that started while another of their calls was going on.

``check`` sees one transcript and cannot know this; the store knows every call's
start and end (start + recording duration).  ``refresh`` recomputes, in SQL, the
findings of rule ``overlap.parallel_calls`` for every call, after calls changed:
a call is flagged when it started while an earlier-started call of the same
operator had not ended yet (two calls of one operator starting at the same
second: the second in call_id order is flagged).  The finding names the other
call and both times, so an auditor can check it against the telephony log.

Such a finding is numbered from ``OVERLAP_IDX`` up (the checker numbers its own findings 0, 1, ...): a finding
still true is left as it is, with its number, so an auditor's review of it survives re-ingests; one no longer
true is removed, and one new or changed (another call overlapped) takes a number its call never used, so a
verdict or a dispute about the old one never lands on it (``analytics.storage.finding_ids``).
The store keeps the fingerprint of this module (``CODE``) that made its findings: a release that changes how
the overlap is judged re-judges every stored call at the next ingest (:func:`is_stale`), as a changed rule does
(``rules/versions.py``), instead of waiting for new calls.  It counts in the violations like any other, and takes
its weight off the call's score (the rulebook's weight, as for any finding: a score of 100 means nothing was
found, docs/CONTRACT.md section 3).
"""
from __future__ import annotations

import logging
from collections.abc import Callable

import polars as pl

from analytics.ingest.scoring import Scoring, rescore
from analytics.storage import releases
from analytics.storage.finding_ids import STORE_FROM

log = logging.getLogger(__name__)

RULE = "overlap.parallel_calls"
CLAUSE = "15.13"
OVERLAP_IDX = STORE_FROM   # its findings' numbers: the first, or the next the call never used
CODE = releases.fingerprint(__file__)   # this module's release of the judgement
_CODE_KEY = "overlap_code"

_NOW = f"""
CREATE OR REPLACE TEMP TABLE overlap_now AS
SELECT call_id, {OVERLAP_IDX} AS idx, '{RULE}' AS rule, '{CLAUSE}' AS clause, 'operator' AS speaker,
       0.0 AS start, round(date_diff('millisecond', started_at, least(prev_end, ended_at)) / 1000.0, 1) AS "end",
       'Звонок начат в ' || strftime(started_at, '%H:%M:%S') || ', когда ещё шёл звонок ' || prev_id
         || ' того же оператора (' || strftime(prev_start, '%H:%M:%S') || '–' || strftime(prev_end, '%H:%M:%S')
         || ')' AS evidence,
       rulebook, 1.0 AS confidence
FROM (SELECT call_id, started_at, ended_at, rulebook,
             arg_max(call_id, ended_at) OVER w AS prev_id,
             arg_max(started_at, ended_at) OVER w AS prev_start,
             max(ended_at) OVER w AS prev_end
      FROM calls
      WHERE operator_id IS NOT NULL AND started_at IS NOT NULL AND ended_at IS NOT NULL
      WINDOW w AS (PARTITION BY operator_id ORDER BY started_at, call_id
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
WHERE prev_end > started_at
"""


def is_stale(con) -> bool:
    """True unless the stored findings of the rule were made by this release of the module (``CODE``)."""
    return not releases.made_by(con, _CODE_KEY, CODE)


def refresh(con, scoring: Callable[[], Scoring] | None = None) -> int:
    """Recompute the findings of ``overlap.parallel_calls``; returns how many calls have one.

    scoring: the rulebook's scoring (asked for only when a call has or had such a finding): the score of every
    call that has one, or had one, is recomputed from its findings, so that the finding takes its weight off
    (:func:`analytics.ingest.scoring.rescore`).  Run it inside the caller's transaction, after the calls
    changed.
    """
    had = {r[0] for r in con.execute(f"SELECT DISTINCT call_id FROM findings WHERE rule = '{RULE}'").fetchall()}
    con.execute(_NOW)
    con.execute(f"""DELETE FROM findings f WHERE f.rule = '{RULE}' AND NOT EXISTS (
        SELECT 1 FROM overlap_now n WHERE n.call_id = f.call_id AND n.evidence = f.evidence)""")
    # a finding new or changed takes a number its call never used (its old one may hold a verdict or a dispute
    # about another call it overlapped)
    con.execute(f"""INSERT INTO findings (call_id, idx, rule, clause, speaker, start, "end", evidence, rulebook,
                                          confidence)
        SELECT n.call_id, greatest(n.idx, coalesce(u.next, 0)), n.rule, n.clause, n.speaker, n.start, n."end",
               n.evidence, n.rulebook, n.confidence
        FROM overlap_now n
        LEFT JOIN (SELECT call_id, max(idx) + 1 AS next FROM (
                       SELECT call_id, idx FROM findings UNION ALL SELECT call_id, idx FROM review_events)
                   WHERE idx >= {OVERLAP_IDX} GROUP BY call_id) u USING (call_id)
        WHERE NOT EXISTS (SELECT 1 FROM findings f WHERE f.call_id = n.call_id AND f.rule = '{RULE}'
                          AND f.evidence = n.evidence)""")
    n = con.execute("SELECT count(*) FROM overlap_now").fetchall()[0][0]
    has = {r[0] for r in con.execute("SELECT DISTINCT call_id FROM overlap_now").fetchall()}
    con.execute("DROP TABLE overlap_now")
    releases.mark(con, _CODE_KEY, CODE)
    if scoring is not None and had | has:
        rescore(con, pl.DataFrame({"call_id": sorted(had | has)}, schema={"call_id": pl.String}), scoring())
    log.info("calls started while another call of the operator was going on: %s", n)
    return n
