"""Frames as the user sees them: Russian headers and values, rules by clause and title, numbers
with a decimal comma, durations as мм:сс, dates as ДД.ММ.ГГГГ ЧЧ:ММ.

The names and formats themselves are the catalogue's (``analytics.catalogue``), shared with
the reports; this module only applies them to polars frames and chart axes.
"""
from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from analytics.catalogue.formats import fmt_datetime, fmt_number, fmt_rule, fmt_seconds, fmt_value
from analytics.catalogue.labels import (
    AUDIT_DETAIL_RU,
    COLUMNS_RU,
    LIST_LABELS,
    MONTHS_SHORT_RU,
    REPORT_KINDS_RU,
    UNREVIEWED_RU,
    VALUE_LABELS,
    VERDICTS_RU,
)

# columns that hold seconds (shown мм:сс) and values read off a meter (shown with the digits they have)
SECONDS = ("duration_s", "start", "end")
VALUES = ("value",)
DATETIME_FORMAT = "DD.MM.YYYY HH:mm"
DATE_FORMAT = "DD.MM.YYYY"


def _float_text(values: pl.Series, digits: int = 1) -> pl.Series:
    return pl.Series(values.name, [fmt_number(v, digits) if v is not None else "" for v in values], dtype=pl.String)


def russian(df: pl.DataFrame, rules: dict[str, tuple[str, str]] | None = None,
            headers: dict[str, str] | None = None) -> pl.DataFrame:
    """The frame as the user sees it: Russian headers and values, rules as «п. 15.12 · title»
    (``rules``: rule id -> (clause, title); the clause column then goes, being in the rule's name;
    ``headers`` overrides the catalogue's column names),
    seconds as мм:сс, fractions with a decimal comma, lists joined, «—» never «None».

    Datetimes stay typed so the grid sorts them; ``grid_config`` shows them ДД.ММ.ГГГГ ЧЧ:ММ and
    ``for_export`` writes them so.
    """
    for column, names in VALUE_LABELS.items():
        if column in df.columns:
            df = df.with_columns(pl.col(column).cast(pl.String).replace(names))
    if "verdict" in df.columns:
        df = df.with_columns(pl.col("verdict").cast(pl.String).replace(VERDICTS_RU).fill_null(UNREVIEWED_RU))
    if rules is not None and "rule" in df.columns:
        own = df["clause"].to_list() if "clause" in df.columns else [None] * df.height
        names = [fmt_rule(rules.get(r, (c, None))[1], rules.get(r, (c, None))[0] or c, r) if r else ""
                 for r, c in zip(df["rule"].to_list(), own, strict=True)]
        df = df.with_columns(pl.Series("rule", names, dtype=pl.String))
        if "clause" in df.columns:
            df = df.drop("clause")
    for column in df.columns:
        dtype = df.schema[column]
        if column in SECONDS and dtype.is_numeric():
            df = df.with_columns(pl.Series(column, [fmt_seconds(v) if v is not None else "" for v in df[column]],
                                           dtype=pl.String))
        elif column in VALUES and dtype.is_numeric():
            df = df.with_columns(pl.Series(column, [fmt_value(v) if v is not None else "" for v in df[column]],
                                           dtype=pl.String))
        elif dtype.is_float():
            df = df.with_columns(_float_text(df[column]))
        elif dtype == pl.Boolean:
            df = df.with_columns(pl.col(column).replace_strict({True: "да", False: "нет"}, default="",
                                                               return_dtype=pl.String))
        elif isinstance(dtype, pl.List):
            names = LIST_LABELS.get(column, {})
            inner = [", ".join(names.get(x, x) if isinstance(x, str) else fmt_value(x) for x in (v or []))
                     for v in df[column].to_list()]
            df = df.with_columns(pl.Series(column, inner, dtype=pl.String))
    df = df.with_columns(pl.col(pl.String).fill_null(""))
    headers = {**COLUMNS_RU, **(headers or {})}
    return df.rename({c: headers[c] for c in df.columns if c in headers})


def audit_detail(text: str | None) -> str:
    """An access-log detail («{"verdict": "rejected", ...}») as a Russian line: «решение: ложное срабатывание»."""
    import json
    import re

    if not text:
        return ""
    try:
        data = json.loads(text)
    except ValueError:
        return AUDIT_DETAIL_RU.get(text, text)
    if not isinstance(data, dict):
        return str(data)
    names = {**VERDICTS_RU, **REPORT_KINDS_RU}
    parts = []
    for key, value in data.items():
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        value = names.get(value, value) if isinstance(value, str) else fmt_number(value, 0)
        value = re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", r"\3.\2.\1", str(value))
        parts.append(f"{AUDIT_DETAIL_RU.get(key, key)}: {value}")
    return "; ".join(parts)


# The identifying columns of a grid, by their Russian header: pinned at its left edge, so a row stays
# recognisable when a narrow screen (1280×720) scrolls the grid sideways.  At most MAX_PINNED per grid.
KEY_HEADERS = ("Звонок", "Заявка", "Показание", "Запись", "Начало", "Оператор", "Аудитор")
MAX_PINNED = 3
# columns whose text is the point of the row (a rule's title, a quote): given the room left
WIDE_HEADERS = ("Нарушение", "Правило", "Сказано")


def grid_config(df: pl.DataFrame, pin: tuple[str, ...] = KEY_HEADERS, wide: tuple[str, ...] = WIDE_HEADERS) -> dict:
    """``st.dataframe``'s column_config: dates and times in the Russian order, the identifying columns
    (``pin``, by header, in the grid's order, at most ``MAX_PINNED``) pinned, the text columns (``wide``) wide."""
    config = {}
    for column, dtype in df.schema.items():
        if isinstance(dtype, pl.Datetime):
            config[column] = st.column_config.DatetimeColumn(column, format=DATETIME_FORMAT)
        elif dtype == pl.Date:
            config[column] = st.column_config.DateColumn(column, format=DATE_FORMAT)
    for column in [c for c in df.columns if c in pin][:MAX_PINNED]:
        config.setdefault(column, st.column_config.Column(column))["pinned"] = True
    for column in [c for c in df.columns if c in wide]:
        config.setdefault(column, st.column_config.Column(column))["width"] = "large"
    return config


def for_export(df: pl.DataFrame) -> pl.DataFrame:
    """The shown frame for CSV and XLSX: dates and times written ДД.ММ.ГГГГ ЧЧ:ММ, as on the screen."""
    for column, dtype in df.schema.items():
        if isinstance(dtype, pl.Datetime) or dtype == pl.Date:
            df = df.with_columns(pl.Series(column, [fmt_datetime(v) if v is not None else "" for v in df[column]],
                                           dtype=pl.String))
    return df


def with_when(df: pl.DataFrame, grain: str) -> pl.DataFrame:
    """Adds ``when``: «мар 2025» for a month, «03.03.25» (the Monday) for a week — chart axes in Russian."""
    if grain == "month":
        labels = [f"{MONTHS_SHORT_RU[d.month - 1]} {d.year}" for d in df["period_start"]]
    else:
        labels = [f"{d:%d.%m.%y}" for d in df["period_start"]]
    return df.with_columns(pl.Series("when", labels, dtype=pl.String))


def periods(start: dt.date, end: dt.date, grain: str) -> list[dt.date]:
    """The first day of every week (Monday) or month from ``start`` to ``end``: a chart's full axis,
    so a period without calls shows as a gap marked «нет данных», not as nothing."""
    if grain == "month":
        out, d = [], start.replace(day=1)
        while d <= end:
            out.append(d)
            d = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return out
    d = start - dt.timedelta(days=start.weekday())
    out = []
    while d <= end:
        out.append(d)
        d += dt.timedelta(days=7)
    return out


def when_order(df: pl.DataFrame) -> dict[str, list[str]]:
    """plotly's category order for ``when``: by date, not by first appearance."""
    return {"when": df.sort("period_start")["when"].unique(maintain_order=True).to_list()}


def short(text: str, limit: int = 48) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (chart labels)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
