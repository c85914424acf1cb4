"""The operator's own page: their figures, and of everyone else only the department's medians.

``own_summary`` returns nothing that names another operator or their calls: the operator's score,
its trend by month, their two clause-2.6 indicators and their rate per clause, each beside the
median over the department's operators who took calls in the period (the median of the operators'
own figures, so one busy operator does not make the norm).
"""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

INDICATORS = ("compliance_score_avg", "requests_registered_on_time_pct", "readings_entered_on_time_pct")


@dataclass(frozen=True)
class OwnSummary:
    """mine / median: {indicator: value or None}; trend: month, calls, score (theirs only);
    clauses: clause, calls, violating, rate_pct, median_pct (theirs, beside the department's median)."""

    operator_id: str
    calls: int
    mine: dict[str, float | None]
    median: dict[str, float | None]
    trend: pl.DataFrame
    clauses: pl.DataFrame
    operators_in_median: int = 0
    notes: list[str] = field(default_factory=list)


def _median(values) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def own_summary(db: Path, operator_id: str, date_from: dt.date, date_to: dt.date,
                rules_of: dict[str, str] | None = None) -> OwnSummary:
    from analytics.queries.clause_rates import clause_rates
    from analytics.queries.kpi import by_operator
    from analytics.queries.views import trend

    per_op = by_operator(db, date_from, date_to).filter(pl.col("calls") > 0)
    own = per_op.filter(pl.col("operator_id") == operator_id)
    mine = {k: (own[k][0] if not own.is_empty() else None) for k in INDICATORS}
    median = {k: _median(per_op[k].to_list()) for k in INDICATORS}
    rates = clause_rates(db, date_from, date_to, rules_of=rules_of)
    medians = rates.group_by("clause").agg(pl.col("rate_pct").median().alias("median_pct"))
    clauses = (rates.filter(pl.col("operator_id") == operator_id).drop("operator_id")
               .join(medians, on="clause", how="left").sort("rate_pct", "clause", descending=[True, False]))
    months = trend(db, date_from, date_to, "month", operator_id)
    keep = [c for c in months.columns if c != "operator_id" and c != "operator_name"]
    return OwnSummary(operator_id, int(own["calls"][0]) if not own.is_empty() else 0, mine, median,
                      months.select(keep), clauses, per_op.height)
