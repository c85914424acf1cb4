"""SQL pieces shared by the dashboard's named queries (``analytics.queries.views``, ``analytics.queries.call_search``).

A period is the calls started in ``[date_from, date_to]``, both days inclusive,
Asia/Almaty wall-clock time (docs/CONTRACT.md section 5); a finding counts unless an
auditor rejected it, and a violation an auditor added counts, the same rule as the KPIs.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from analytics.queries.scores import scored_calls, scored_ctes
from analytics.storage.store import connect

# Violations that count: the findings an auditor did not reject and those auditors added (the store's
# ``counted_violations``, analytics/storage/reviews.py).
COUNTED = """
    counted AS (SELECT * FROM counted_violations)"""

# Calls of the period, each with its score as it stands after the auditors' decisions
# (analytics.queries.scores); every query below takes (date_from, date_to) as its first two parameters.
PERIOD = scored_ctes() + f""",
    period AS (
        SELECT * FROM (SELECT {scored_calls()})
        WHERE started_at >= ?::DATE AND started_at < ?::DATE + INTERVAL 1 DAY
    )"""


def run(db: Path, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
    """One parametrised query on a short-lived read-only connection, as a polars frame."""
    with connect(Path(db), read_only=True) as con:
        return con.sql(sql, params=params or []).pl()


def bounds(date_from: dt.date | None, date_to: dt.date | None) -> list[Any]:
    """The (date_from, date_to) parameters of ``PERIOD``; a missing end leaves that side open."""
    return [date_from or dt.date(1900, 1, 1), date_to or dt.date(2999, 12, 31)]
