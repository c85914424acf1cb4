"""The period picker: half-year I/II, quarter, month or any range, and the period before it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from dashboards.labels import MONTHS_RU, fmt_date

KINDS = ("Полугодие", "Квартал", "Месяц", "Произвольный")
ROMAN = ("I", "II", "III", "IV")


def _first_of(year: int, month: int) -> dt.date:
    """First day of ``month`` of ``year``; months past 12 or below 1 roll over the year."""
    year += (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Days ``start``..``end`` inclusive; ``months`` is the length of a calendar preset (0 for a custom range)."""

    start: dt.date
    end: dt.date
    label: str
    months: int = 0

    def previous(self) -> Period:
        """The period of the same kind just before this one (for the change shown on the tiles)."""
        if self.months:
            start = _first_of(self.start.year, self.start.month - self.months)
            return months_period(start, self.months)
        days = (self.end - self.start).days + 1
        end = self.start - dt.timedelta(days=1)
        return custom(end - dt.timedelta(days=days - 1), end)


def months_period(start: dt.date, months: int) -> Period:
    end = _first_of(start.year, start.month + months) - dt.timedelta(days=1)
    if months == 6:
        label = f"{ROMAN[(start.month - 1) // 6]} полугодие {start.year}"
    elif months == 3:
        label = f"{ROMAN[(start.month - 1) // 3]} квартал {start.year}"
    elif months == 1:
        label = f"{MONTHS_RU[start.month - 1]} {start.year}"
    else:
        label = f"{fmt_date(start)} – {fmt_date(end)}"
    return Period(start, end, label, months)


def half(year: int, n: int) -> Period:
    return months_period(dt.date(year, 6 * (n - 1) + 1, 1), 6)


def quarter(year: int, n: int) -> Period:
    return months_period(dt.date(year, 3 * (n - 1) + 1, 1), 3)


def month(year: int, n: int) -> Period:
    return months_period(dt.date(year, n, 1), 1)


def custom(start: dt.date, end: dt.date) -> Period:
    if end < start:
        start, end = end, start
    return Period(start, end, f"{fmt_date(start)} – {fmt_date(end)}")


def picker(first: dt.date | None, last: dt.date | None) -> Period:
    """Sidebar widgets; the default is the half-year of the latest call."""
    last = last or dt.date.today()
    first = first or last
    years = list(range(last.year, first.year - 1, -1))
    kind = st.sidebar.selectbox("Период", KINDS, key="period_kind")
    if kind == "Произвольный":
        picked = st.sidebar.date_input("С … по", value=(first, last), format="DD.MM.YYYY", key="period_range")
        if isinstance(picked, (tuple, list)):
            start, end = (picked[0], picked[-1]) if picked else (first, last)
        else:
            start = end = picked
        return custom(start, end)
    year = st.sidebar.selectbox("Год", years, key="period_year")
    if kind == "Полугодие":
        default = 0 if last.month <= 6 or year != last.year else 1
        n = st.sidebar.radio("Полугодие", ROMAN[:2], index=default, horizontal=True, key="period_half")
        return half(year, ROMAN.index(n) + 1)
    if kind == "Квартал":
        default = (last.month - 1) // 3 if year == last.year else 0
        n = st.sidebar.radio("Квартал", ROMAN, index=default, horizontal=True, key="period_quarter")
        return quarter(year, ROMAN.index(n) + 1)
    default = last.month - 1 if year == last.year else 0
    name = st.sidebar.selectbox("Месяц", MONTHS_RU, index=default, key="period_month")
    return month(year, MONTHS_RU.index(name) + 1)
