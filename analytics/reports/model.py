"""What a report says, independent of the file format that prints it.

``build.py`` fills a :class:`ReportData` from the store; the DOCX and XLSX
writers only lay it out, so both files always carry the same numbers.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from analytics.catalogue.formats import calendar_months, span_word

KINDS = ("spravka", "audit")


@dataclass(frozen=True)
class Period:
    """Calendar dates, both inclusive (Asia/Almaty)."""

    start: dt.date
    end: dt.date

    def calendar_months(self) -> int:
        """12, 6, 3 or 1 for a calendar year, half-year, quarter or month, else 0 (``formats.calendar_months``)."""
        return calendar_months(self.start, self.end)

    def span_word(self) -> str:
        """«полугодие», «квартал», … (``formats.span_word``)."""
        return span_word(self.start, self.end)

    def previous(self) -> Period:
        """The period just before: the previous year, half-year, quarter or month when
        this one is exactly such a period, else the same number of days before."""
        s, e = self.start, self.end
        months = self.calendar_months()
        if months:
            m = s.month - months
            y = s.year
            while m < 1:
                m += 12
                y -= 1
            return Period(dt.date(y, m, 1), s - dt.timedelta(days=1))
        days = (e - s).days + 1
        return Period(s - dt.timedelta(days=days), s - dt.timedelta(days=1))


@dataclass
class Indicator:
    """One row of the table in clause 2.6, measured over the period."""

    number: int
    title: str
    short: str                # for chart labels
    criterion: str
    kpi_key: str              # the field of docs/CONTRACT.md section 5 it is measured by
    value: float | None
    previous: float | None
    target: float
    verdict: str              # выполнен | не выполнен | нет данных
    details: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # (label, kpi key, value, previous)


@dataclass
class Table:
    """A list behind a number: a title, column headers and rows (ids first)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""
    worst_by: int | None = None       # column whose largest values are the worst cases
    worst_label: str = "первых"       # what the DOCX says when it shows only some rows

    def worst(self, n: int) -> list[list[Any]]:
        """The ``n`` rows a reader should see first: the largest ``worst_by`` values, or the first rows."""
        if self.worst_by is None:
            return self.rows[:n]
        j = self.worst_by
        return sorted(self.rows, key=lambda r: (r[j] is None, -(r[j] or 0)))[:n]


@dataclass
class Example:
    call_id: str
    started_at: dt.datetime | None
    operator: str
    start: float | None
    evidence: str
    said: bool = True         # words of the call (a quote); False: a description of the whole call


@dataclass
class ClauseRow:
    """Compliance with one rule of section 2 over the period."""

    rule: str
    clause: str
    title: str
    calls: int                # calls with at least one violation of the rule
    violations: int
    examples: list[Example] = field(default_factory=list)
    not_assessed: int = 0     # checked calls on which the rule could not be judged (left out of its share)


@dataclass
class OperatorRow:
    operator_id: str
    name: str
    calls: int
    score_avg: float | None
    violations: int
    per_100_calls: float | None
    registered_on_time_pct: float | None
    readings_on_time_pct: float | None
    top_rules: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Recommendation:
    operator_id: str
    name: str
    items: list[tuple[str, str, int | None, str]]  # (rule, clause, violations or None, what to train)


@dataclass
class Scope:
    operators: int
    calls: int                # calls started in the period (KPI "calls")
    checked: int              # of them, checked against the rulebook
    rulebooks: list[str] = field(default_factory=list)

    @property
    def checked_pct(self) -> float | None:
        return round(100.0 * self.checked / self.calls, 1) if self.calls else None


@dataclass
class ReportData:
    kind: str
    period: Period
    previous_period: Period
    generated_at: dt.datetime
    scope: Scope
    kpis: dict[str, Any]
    previous_kpis: dict[str, Any]
    indicators: list[Indicator]
    lists: list[Table]
    clauses: list[ClauseRow]
    operators: list[OperatorRow]
    recommendations: list[Recommendation]
    monthly: list[dict[str, Any]] = field(default_factory=list)  # month, registered %, readings %, score
    coverage: list[Any] = field(default_factory=list)   # statements.CoverageRow, clause by clause
    reviews: list[Any] = field(default_factory=list)    # statements.ReviewRow, per rule with findings
    shares: dict[str, tuple[int, int]] = field(default_factory=dict)   # a share's key: (counted, over) this period

    def rule(self, rule_id: str) -> ClauseRow | None:
        return next((c for c in self.clauses if c.rule == rule_id), None)

    def top_rule_lines(self, operator: OperatorRow) -> list[str]:
        """The operator's most frequent violations as «title (п. X) — count»."""
        from analytics.reports.texts import rule_line

        lines = []
        for rule, count in operator.top_rules:
            c = self.rule(rule)
            lines.append(rule_line(c.title if c else None, c.clause if c else None, rule, count))
        return lines
