"""How good the automatic check is, and what the auditors did, from the review history
(``analytics/storage/reviews.py``): for «Проверка» and the Справка.

* ``rule_quality`` — per rule: automatic findings, reviewed, confirmed, rejected,
  violations the auditors added (the check missed them), precision = confirmed /
  reviewed and recall = confirmed / (confirmed + added + uncertain confirmed).  Recall
  counts only what auditors looked at: a violation nobody heard is in neither figure.
  The findings the check counted by itself are one population and the uncertain ones
  (heard too unsurely to count, decided in the queue «Требует проверки») another: an
  uncertain finding an auditor confirmed is not a counted finding confirmed (only the
  confirmed ones would enter the precision, never the rejected), so the uncertain
  ones have columns of their own and, confirmed, count as violations the check did
  not count.
* ``auditor_summary`` — per auditor: findings reviewed, confirmed, rejected (each
  finding once, at the auditor's last word on it; uncertain ones too), violations
  added, forms filled, disputes resolved.

A period selects the calls started in it (None: every call).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from analytics.queries.view_sql import bounds, run

_CALLS = "calls_q AS (SELECT call_id FROM calls WHERE started_at >= ?::DATE AND started_at < ?::DATE + INTERVAL 1 DAY)"


def rule_quality(db: Path, date_from: dt.date | None = None, date_to: dt.date | None = None) -> pl.DataFrame:
    """rule, findings, reviewed, confirmed, rejected, added, precision_pct, recall_pct (None: nothing to go on),
    uncertain_confirmed, uncertain_rejected."""
    return run(db, f"""
        WITH {_CALLS},
        f AS (   -- the findings the check counted by itself (not the uncertain ones an auditor confirmed)
            SELECT f.rule, count(*) AS findings, count(r.verdict) AS reviewed,
                   count(*) FILTER (WHERE r.verdict = 'confirmed') AS confirmed,
                   count(*) FILTER (WHERE r.verdict = 'rejected') AS rejected
            FROM findings f JOIN calls_q USING (call_id)
            ANTI JOIN uncertain_reviews u ON u.call_id = f.call_id AND u.finding_idx = f.idx
            LEFT JOIN reviews r ON r.call_id = f.call_id AND r.idx = f.idx AND r.rule = f.rule
            GROUP BY f.rule),
        a AS (SELECT a.rule, count(*) AS added FROM added_violations a JOIN calls_q USING (call_id) GROUP BY a.rule),
        u AS (SELECT u.rule, count(*) FILTER (WHERE u.verdict = 'confirmed') AS uncertain_confirmed,
                     count(*) FILTER (WHERE u.verdict = 'rejected') AS uncertain_rejected
              FROM uncertain_reviews u JOIN calls_q USING (call_id) GROUP BY u.rule)
        SELECT rule, coalesce(findings, 0) AS findings, coalesce(reviewed, 0) AS reviewed,
               coalesce(confirmed, 0) AS confirmed, coalesce(rejected, 0) AS rejected, coalesce(added, 0) AS added,
               round(100.0 * confirmed / nullif(reviewed, 0), 1) AS precision_pct,
               round(100.0 * coalesce(confirmed, 0) / nullif(coalesce(confirmed, 0) + coalesce(added, 0)
                                                             + coalesce(uncertain_confirmed, 0), 0), 1) AS recall_pct,
               coalesce(uncertain_confirmed, 0) AS uncertain_confirmed,
               coalesce(uncertain_rejected, 0) AS uncertain_rejected
        FROM f FULL JOIN a USING (rule) FULL JOIN u USING (rule)
        ORDER BY reviewed DESC, added DESC, rule""", bounds(date_from, date_to))


def auditor_summary(db: Path, date_from: dt.date | None = None, date_to: dt.date | None = None) -> pl.DataFrame:
    """auditor, reviewed, confirmed, rejected, added, forms, disputes_resolved — for the Справка's
    "how many findings each auditor reviewed, confirmed and rejected"."""
    return run(db, f"""
        WITH {_CALLS},
        ev AS (SELECT e.* FROM review_events e JOIN calls_q USING (call_id)),
        last_word AS (
            SELECT who, kind FROM (
                SELECT who, kind, row_number() OVER (PARTITION BY who, call_id, idx ORDER BY seq DESC) AS n
                FROM ev WHERE kind IN ('confirm', 'reject', 'clear'))
            WHERE n = 1 AND kind <> 'clear'
            UNION ALL   -- an uncertain finding rejected in the queue (a confirmed one is a 'confirm' event above)
            SELECT u.reviewer AS who, 'reject' AS kind FROM uncertain_reviews u JOIN calls_q USING (call_id)
            WHERE u.verdict = 'rejected'),
        v AS (SELECT who, count(*) AS reviewed, count(*) FILTER (WHERE kind = 'confirm') AS confirmed,
                     count(*) FILTER (WHERE kind = 'reject') AS rejected FROM last_word GROUP BY who),
        a AS (SELECT who, count(*) AS added FROM ev
              WHERE kind = 'add' AND seq IN (SELECT seq FROM added_violations) GROUP BY who),
        fm AS (SELECT who, count(DISTINCT call_id) AS forms FROM ev
               WHERE kind = 'answer' AND session_id IS NULL GROUP BY who),
        d AS (SELECT who, count(*) AS disputes_resolved FROM ev WHERE kind IN ('uphold', 'withdraw') GROUP BY who)
        SELECT who AS auditor, coalesce(reviewed, 0) AS reviewed, coalesce(confirmed, 0) AS confirmed,
               coalesce(rejected, 0) AS rejected, coalesce(added, 0) AS added, coalesce(forms, 0) AS forms,
               coalesce(disputes_resolved, 0) AS disputes_resolved
        FROM v FULL JOIN a USING (who) FULL JOIN fm USING (who) FULL JOIN d USING (who)
        ORDER BY reviewed DESC, auditor""", bounds(date_from, date_to))


def form_results(db: Path, date_from: dt.date | None = None, date_to: dt.date | None = None) -> pl.DataFrame:
    """Per form criterion over the period's filled forms: calls answered yes, no, n.a., and the share met
    (% yes of yes + no) — the per-clause figures of the manual check."""
    return run(db, f"""
        WITH {_CALLS}
        SELECT criterion, count(*) FILTER (WHERE answer = 'yes') AS yes, count(*) FILTER (WHERE answer = 'no') AS no,
               count(*) FILTER (WHERE answer = 'na') AS na,
               round(100.0 * count(*) FILTER (WHERE answer = 'yes')
                     / nullif(count(*) FILTER (WHERE answer IN ('yes', 'no')), 0), 1) AS met_pct
        FROM form_answers JOIN calls_q USING (call_id)
        GROUP BY criterion ORDER BY criterion""", bounds(date_from, date_to))


def operator_findings(db: Path, operator_id: str, date_from: dt.date | None = None,
                      date_to: dt.date | None = None) -> pl.DataFrame:
    """One operator's findings in the period, as they may see and dispute them: call_id, idx, added_seq,
    started_at, operator_id, operator_name, rule, clause, start, evidence, verdict, dispute (open | uphold |
    withdraw | None), reason (the auditor's), source (``check``; ``auditor`` for a violation an auditor added and
    did not take back: no idx, its add event as ``added_seq``, the auditor's comment as its evidence, confirmed —
    rejected once withdrawn on the operator's dispute)."""
    period = [operator_id, *bounds(date_from, date_to)]
    return run(db, """
        WITH d AS (SELECT * FROM dispute_state WHERE outcome <> 'gone'),
        a AS (SELECT a.* FROM review_events a WHERE a.kind = 'add'
              AND NOT EXISTS (SELECT 1 FROM review_events r WHERE r.kind = 'retract' AND r.ref = a.seq))
        SELECT * FROM (
            SELECT f.call_id, f.idx, NULL::BIGINT AS added_seq, c.started_at, c.operator_id, c.operator_name, f.rule,
                   f.clause, f.start, f.evidence, r.verdict, d.outcome AS dispute, d.reason, 'check' AS source
            FROM findings f JOIN calls c USING (call_id)
            LEFT JOIN reviews r ON r.call_id = f.call_id AND r.idx = f.idx
            LEFT JOIN d ON d.call_id = f.call_id AND d.idx = f.idx AND d.ref IS NULL
            WHERE c.operator_id = ? AND c.started_at >= ?::DATE AND c.started_at < ?::DATE + INTERVAL 1 DAY
            UNION ALL BY NAME
            SELECT a.call_id, NULL::INTEGER AS idx, a.seq AS added_seq, c.started_at, c.operator_id, c.operator_name,
                   a.rule, coalesce(a.clause, (SELECT min(x.clause) FROM findings x WHERE x.rule = a.rule)) AS clause,
                   a.at_s AS start, a.comment AS evidence,
                   CASE WHEN d.outcome = 'withdraw' THEN 'rejected' ELSE 'confirmed' END AS verdict,
                   d.outcome AS dispute, d.reason, 'auditor' AS source
            FROM a JOIN calls c USING (call_id)
            LEFT JOIN d ON d.ref = a.seq
            WHERE c.operator_id = ? AND c.started_at >= ?::DATE AND c.started_at < ?::DATE + INTERVAL 1 DAY)
        ORDER BY started_at DESC, call_id, start NULLS LAST, idx NULLS LAST""", period + period)
