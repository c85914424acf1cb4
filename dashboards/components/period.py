"""The period picker: half-year I/II, quarter, month or any range, and the period before it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from analytics.catalogue.formats import calendar_months, fmt_date
from analytics.catalogue.labels import MONTHS_RU
from core import clock

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
    if months == 6 and start.month in (1, 7):
        label = f"{ROMAN[(start.month - 1) // 6]} полугодие {start.year}"
    elif months == 3 and start.month in (1, 4, 7, 10):
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
    """Any range; one that is exactly a calendar year, half-year, quarter or month is that (and compares with
    the one before it, as the report does: ``analytics.catalogue.formats.calendar_months``)."""
    if end < start:
        start, end = end, start
    months = calendar_months(start, end)
    if months:
        return months_period(start, months)
    return Period(start, end, f"{fmt_date(start)} – {fmt_date(end)}")


def _keep(key: str, default):
    """Give widget ``key`` its last value (kept across pages, whose widgets streamlit forgets) or ``default``."""
    # Re-assigning the key before the widget is drawn keeps its value when the page changes.
    st.session_state[key] = st.session_state.get(key, st.session_state.get(f"_kept_{key}", default))


def _kept(key: str, value):
    st.session_state[f"_kept_{key}"] = value
    return value


def picker(first: dt.date | None, last: dt.date | None) -> Period:
    """Sidebar widgets; the default is the half-year of the latest call."""
    last = last or clock.today()
    first = first or last
    years = list(range(last.year, first.year - 1, -1))
    _keep("period_kind", KINDS[0])
    kind = _kept("period_kind", st.sidebar.selectbox("Период", KINDS, key="period_kind"))
    if kind == "Произвольный":
        _keep("period_range", (first, last))
        picked = _kept("period_range", st.sidebar.date_input("С … по", format="DD.MM.YYYY", key="period_range"))
        if isinstance(picked, (tuple, list)):
            start, end = (picked[0], picked[-1]) if picked else (first, last)
        else:
            start = end = picked
        return custom(start, end)
    _keep("period_year", last.year)
    if st.session_state["period_year"] not in years:
        st.session_state["period_year"] = last.year
    year = _kept("period_year", st.sidebar.selectbox("Год", years, key="period_year"))
    if kind == "Полугодие":
        _keep("period_half", ROMAN[(last.month - 1) // 6])
        n = _kept("period_half", st.sidebar.radio("Полугодие", ROMAN[:2], horizontal=True, key="period_half"))
        return half(year, ROMAN.index(n) + 1)
    if kind == "Квартал":
        _keep("period_quarter", ROMAN[(last.month - 1) // 3])
        n = _kept("period_quarter", st.sidebar.radio("Квартал", ROMAN, horizontal=True, key="period_quarter"))
        return quarter(year, ROMAN.index(n) + 1)
    _keep("period_month", MONTHS_RU[last.month - 1])
    name = _kept("period_month", st.sidebar.selectbox("Месяц", MONTHS_RU, key="period_month"))
    return month(year, MONTHS_RU.index(name) + 1)
