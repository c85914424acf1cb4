"""A stored call's score from its stored findings: the checker's arithmetic (``rules.engine``) in SQL.

``start − Σ weight`` over the rules with a counted finding (each rule once per call), not below
``floor``; ``NULL`` when every rule was not assessed.  The findings are the stored ones, so a rule
found at ingest (``overlap.parallel_calls``, clause 15.13: ``analytics.ingest.overlap``) takes its
weight off like any other: a call's score is 100 only when nothing was found (docs/CONTRACT.md
section 3, "the weights are the rulebook's").  Used where the stored findings change outside one call's
check: a re-check (its changed rules judged again, or new weights followed: ``analytics.ingest.recheck``),
and the findings of the rules found at ingest (``analytics.ingest.overlap``).
"""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Scoring:
    """A rulebook's weights, the score's start and floor, and how many rules it has."""

    weights: pl.DataFrame     # rule, weight
    start: float
    floor: float
    n_rules: int


def of(book) -> Scoring:
    """The scoring of a ``rules.rulebook.Rulebook``."""
    return Scoring(pl.DataFrame({"rule": [r.id for r in book.rules], "weight": [float(r.weight) for r in book.rules]},
                                schema={"rule": pl.String, "weight": pl.Float64}),
                   float(book.score_start), float(book.score_floor), len(book.rules))


def rescore(con, calls: pl.DataFrame, scoring: Scoring) -> None:
    """Set the score of each call of ``calls`` (a ``call_id`` column) from its stored findings and
    not-assessed rules.  Inside the caller's transaction."""
    if calls.is_empty():
        return
    con.register("rescored_calls", calls.select("call_id"))
    con.register("rule_weights_now", scoring.weights)
    # the calls' range of ids lets each statement skip the rest of a big table
    span = [calls["call_id"].min(), calls["call_id"].max()]
    con.execute("""
        UPDATE calls SET score = s.score FROM (
            SELECT d.call_id,
                   CASE WHEN coalesce(na.n, 0) >= ? THEN NULL
                        ELSE greatest(?::DOUBLE, ?::DOUBLE - coalesce(p.penalty, 0)) END AS score
            FROM rescored_calls d
            LEFT JOIN (SELECT call_id, count(*) AS n FROM not_assessed SEMI JOIN rescored_calls USING (call_id)
                       WHERE call_id BETWEEN ? AND ? AND rule IN (SELECT rule FROM rule_weights_now)
                       GROUP BY call_id) na USING (call_id)
            LEFT JOIN (SELECT f.call_id, sum(w.weight) AS penalty
                       FROM (SELECT DISTINCT call_id, rule FROM findings SEMI JOIN rescored_calls USING (call_id)
                             WHERE call_id BETWEEN ? AND ?) f
                       JOIN rule_weights_now w USING (rule) GROUP BY f.call_id) p USING (call_id)
        ) s WHERE calls.call_id BETWEEN ? AND ? AND calls.call_id = s.call_id""",
                [scoring.n_rules, scoring.floor, scoring.start, *span, *span, *span])
    con.unregister("rule_weights_now")
    con.unregister("rescored_calls")
