"""The lists behind the numbers, from ``analytics.queries.kpi_lists`` (the same rows the
KPIs count), with the headers of the KPI catalogue and Russian values; ids always in the
first column."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from analytics.access import policy
from analytics.catalogue import kpis as catalogue
from analytics.catalogue.formats import DASH, fmt_value
from analytics.catalogue.labels import LIST_LABELS, label
from analytics.queries import kpi_lists, views
from analytics.reports.model import Period, Table


def cell(column: str, value: Any, names: dict[str, str]) -> Any:
    """A list's value as the report prints it: operators by name, enum values in Russian,
    dictated values and missing fields as text; dates and numbers stay typed (the writers format them)."""
    if column == "operator_id":
        return names.get(value, value)
    if column in LIST_LABELS:
        return ", ".join(LIST_LABELS[column].get(x, x) for x in value or [])
    if column == "numbers_said":
        return ", ".join(str(x) for x in value or [])
    if column == "dictated_values":
        return "; ".join(fmt_value(x) for x in value) if value else DASH
    if column == "value":
        return fmt_value(value) if isinstance(value, (int, float)) else value
    return label(column, value)


def kpi_lists_for(db: Path, period: Period, names: dict[str, str] | None = None, mask: bool = False) -> list[Table]:
    """Every list of the KPI catalogue for the period, in the catalogue's order.

    ``mask`` blanks the personal columns (see :class:`analytics.catalogue.kpis.Column`) and masks every other
    free text as a role without personal data sees it on the pages (``analytics.access.policy.mask_frame``:
    a request's reason may name a person or a phone).
    """
    names = names if names is not None else {
        r["operator_id"]: r["operator_name"] for r in views.operators(db).iter_rows(named=True)}
    out = []
    for kpi in catalogue.with_records():
        spec = kpi.records
        df = kpi_lists.LISTS[spec.name](db, period.start, period.end)
        if mask:
            df = policy.mask_frame(df)
        rows = [[None if mask and c.personal else cell(c.source, r.get(c.source), names) for c in spec.columns]
                for r in df.iter_rows(named=True)]
        headers = [c.header for c in spec.columns]
        sources = [c.source for c in spec.columns]
        out.append(Table(spec.sheet, spec.title, headers, rows,
                         worst_by=sources.index(spec.worst_by) if spec.worst_by else None,
                         worst_label=spec.worst_label))
    return out
