"""An operator's rate for a clause: the share of their calls in which the clause was broken.

Used by coaching (before and after an assignment), the digest (rates that jumped) and the operator's
own page.  For one operator, one clause and a period: ``calls`` is the operator's calls started in
``[date_from, date_to]`` in which the clause could be judged (at least one of its rules was assessed,
docs/CONTRACT.md section 3: a rule not assessed is left out of that rule's rates); ``violating`` is
those with at least one finding of the clause that counts (not rejected by an auditor); ``rate_pct``
is ``100 · violating / calls`` (None over no call).  A clause is the ``clause`` of the rulebook's rules
(«15.1» for both ``address.forbidden`` and ``address.ty``).
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import polars as pl

from analytics.queries.view_sql import COUNTED, bounds, run

SCHEMA = {"operator_id": pl.String, "clause": pl.String, "calls": pl.Int64, "violating": pl.Int64,
          "rate_pct": pl.Float64}


@lru_cache(maxsize=1)
def rule_clauses() -> dict[str, str]:
    """Rule id -> clause, from the rulebook."""
    from rules.engine import Checker

    return {r.id: str(r.clause) for r in Checker.default().rules}


def clause_titles() -> dict[str, str]:
    """Clause -> the Russian titles of its rules, joined («Обращение «девушка», «мужчина»…; …»)."""
    from rules.engine import Checker

    out: dict[str, list[str]] = {}
    for r in Checker.default().rules:
        out.setdefault(str(r.clause), []).append(r.title_ru)
    return {c: "; ".join(t) for c, t in out.items()}


def clause_rates(db: Path, date_from: dt.date | None, date_to: dt.date | None,
                 operator_id: str | None = None, clause: str | None = None,
                 rules_of: dict[str, str] | None = None) -> pl.DataFrame:
    """One row per (operator, clause) with ``SCHEMA``'s columns; ``rules_of``: rule -> clause (the rulebook's)."""
    rules_of = rules_of if rules_of is not None else rule_clauses()
    pairs = pl.DataFrame({"rule": list(rules_of), "clause": list(rules_of.values())},
                         schema={"rule": pl.String, "clause": pl.String})
    if clause is not None:
        pairs = pairs.filter(pl.col("clause") == clause)
    if pairs.is_empty():
        return pl.DataFrame(schema=SCHEMA)
    params = [*bounds(date_from, date_to), operator_id, operator_id]
    calls = run(db, """
        SELECT call_id, operator_id FROM calls
        WHERE started_at >= ?::DATE AND started_at < ?::DATE + INTERVAL 1 DAY
          AND (?::VARCHAR IS NULL OR operator_id = ?) AND operator_id IS NOT NULL""", params)
    skipped = run(db, """
        SELECT n.call_id, n.rule FROM not_assessed n JOIN calls c USING (call_id)
        WHERE c.started_at >= ?::DATE AND c.started_at < ?::DATE + INTERVAL 1 DAY
          AND (?::VARCHAR IS NULL OR c.operator_id = ?)""", params)
    broken = run(db, f"""
        WITH {COUNTED}
        SELECT DISTINCT f.call_id, f.rule FROM counted f JOIN calls c USING (call_id)
        WHERE c.started_at >= ?::DATE AND c.started_at < ?::DATE + INTERVAL 1 DAY
          AND (?::VARCHAR IS NULL OR c.operator_id = ?)""", params)
    if calls.is_empty():
        return pl.DataFrame(schema=SCHEMA)
    # every (call, rule) of the rulebook, less the rules not assessed on that call — unless a violation of it counts
    # there (an auditor added one the check could not judge: the auditor judged it)
    skipped = skipped.join(broken, on=["call_id", "rule"], how="anti")
    judged = (calls.join(pairs, how="cross")
              .join(skipped, on=["call_id", "rule"], how="anti")
              .select("operator_id", "call_id", "clause").unique())
    hit = (broken.join(pairs, on="rule").select("call_id", "clause").unique()
           .with_columns(pl.lit(1).alias("hit")))
    out = (judged.join(hit, on=["call_id", "clause"], how="left")
           .group_by("operator_id", "clause")
           .agg(pl.len().cast(pl.Int64).alias("calls"),
                pl.col("hit").fill_null(0).sum().cast(pl.Int64).alias("violating"))
           .with_columns((100.0 * pl.col("violating") / pl.col("calls")).alias("rate_pct"))
           .sort("operator_id", "clause"))
    return out.select(list(SCHEMA)).cast(SCHEMA)


def rate(db: Path, operator_id: str, clause: str, date_from: dt.date, date_to: dt.date,
         rules_of: dict[str, str] | None = None) -> tuple[int, int, float | None]:
    """(calls, violating, rate_pct) for one operator and clause; (0, 0, None) with no judged call."""
    df = clause_rates(db, date_from, date_to, operator_id, clause, rules_of)
    if df.is_empty():
        return 0, 0, None
    row = df.row(0, named=True)
    return row["calls"], row["violating"], row["rate_pct"]
