"""«Требует проверки»: the findings too unsure to count, ordered by how much a decision would change the KPIs.

An uncertain finding (docs/CONTRACT.md section 3) counts nowhere until an
auditor confirms it.  Confirming it adds one violation to its rule's count
and, when the call has no counted finding of that rule yet, takes the rule's
weight off the call's score (the score counts each rule once per call).  So
the queue puts first the decisions that would move the score (``score_points``
= that weight, else 0), then the ones the recogniser was surest of (the likelier
to be true), then the older calls.  Decided findings leave the queue.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from analytics.queries.view_sql import COUNTED, PERIOD, bounds, run


def uncertain_queue(db: Path, date_from: dt.date | None, date_to: dt.date | None,
                    weights: dict[str, float]) -> pl.DataFrame:
    """The undecided uncertain findings of the period's calls, most consequential first.

    Columns: call_id, idx, started_at, operator_id, operator_name, rule, clause, start, evidence,
    confidence, score, already_counted (the call has a counted finding of the rule), score_points.
    """
    df = run(db, f"""
        WITH {PERIOD}, {COUNTED}
        SELECT u.call_id, u.idx, p.started_at, p.operator_id, p.operator_name, u.rule, u.clause, u.start,
               u.evidence, u.confidence, p.score,
               EXISTS (SELECT 1 FROM counted c WHERE c.call_id = u.call_id AND c.rule = u.rule) AS already_counted
        FROM uncertain_findings u
        JOIN period p ON p.call_id = u.call_id
        ANTI JOIN uncertain_reviews d ON d.call_id = u.call_id AND d.idx = u.idx
        """, bounds(date_from, date_to))
    points = [0.0 if counted or score is None else float(weights.get(rule, 0.0))
              for rule, counted, score in zip(df["rule"], df["already_counted"], df["score"], strict=True)]
    df = df.with_columns(pl.Series("score_points", points, dtype=pl.Float64))
    return df.sort(["score_points", "confidence", "started_at", "call_id", "idx"],
                   descending=[True, True, False, False, False], nulls_last=True)


def uncertain_rule(db: Path, call_id: str, idx: int) -> str:
    """The rule of uncertain finding ``idx`` of ``call_id`` ("" when there is none)."""
    df = run(db, "SELECT rule FROM uncertain_findings WHERE call_id = ? AND idx = ?", [call_id, int(idx)])
    return df["rule"][0] if df.height else ""
