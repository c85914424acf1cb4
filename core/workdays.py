"""Kazakhstan's working-day calendar, and the due date of a request.

A request must be completed "within 10 working days after the day of
creation" (docs/CONTRACT.md section 5).  Working days follow the ``holidays``
library's ``KZ`` calendar:

* Saturdays and Sundays are days off;
* public holidays are days off, including the days the law moves a holiday
  that falls on a weekend to («Nowruz Holiday (observed)», ...);
* the government's yearly transfers are in the library too: the weekday that
  becomes a day off is a holiday named «Day off (substituted from ...)», and
  the weekend day that becomes a working day in exchange is listed in
  ``weekend_workdays`` — ``is_working_day`` honours both (e.g. Saturday
  2024-05-04 was worked for Wednesday 2024-05-08).

The calendar is materialised in DuckDB (table ``calendar``) so that the KPIs
stay SQL: for every day, whether it is a working day and its 10-working-day
due date.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging

import holidays

log = logging.getLogger(__name__)

DUE_WORKING_DAYS = 10
FIRST_YEAR = 2015
LAST_YEAR = 2035


@functools.lru_cache(maxsize=4)
def kz_calendar(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> holidays.HolidayBase:
    """Kazakhstan's public holidays for the years given (both inclusive)."""
    return holidays.country_holidays("KZ", years=range(first_year, last_year + 2))


def is_working_day(day: dt.date) -> bool:
    return kz_calendar().is_working_day(day)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``day`` (``day`` itself never counts)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    return kz_calendar().get_nth_working_day(day, n)


def due_date(created: dt.date | dt.datetime, n: int = DUE_WORKING_DAYS) -> dt.date:
    """The last day on which a request created on ``created`` is still on time."""
    if isinstance(created, dt.datetime):
        created = created.date()
    return add_working_days(created, n)


@functools.lru_cache(maxsize=4)
def calendar_rows(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR,
                  n: int = DUE_WORKING_DAYS) -> tuple[tuple[dt.date, bool, dt.date, str | None], ...]:
    """(day, is_working, due day, holiday name) for every day of the years given.

    Computed in one pass: the due day of ``d`` is the working day whose running
    working-day count is ``n`` more than the count at ``d``.
    """
    cal = kz_calendar(first_year, last_year)
    start = dt.date(first_year, 1, 1)
    # Run past the end so the last days of last_year get their due day too.
    end = dt.date(last_year + 1, 3, 1)
    days = [start + dt.timedelta(i) for i in range((end - start).days + 1)]
    working = [cal.is_working_day(d) for d in days]
    work_days = [d for d, w in zip(days, working, strict=True) if w]
    rows = []
    count = 0  # working days up to and including the current day
    for d, w in zip(days, working, strict=True):
        count += w
        if d.year > last_year:
            break
        rows.append((d, w, work_days[count + n - 1], cal.get(d)))
    return tuple(rows)


def materialise(con, first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> int:
    """Fill the ``calendar`` table if it does not cover the years yet; returns rows written."""
    have = con.execute("SELECT min(day), max(day) FROM calendar").fetchall()[0]
    if have[0] is not None and have[0] <= dt.date(first_year, 1, 1) and have[1] >= dt.date(last_year, 12, 31):
        return 0
    import polars as pl

    rows = calendar_rows(first_year, last_year)
    frame = pl.DataFrame(list(rows), schema=["day", "is_working", "due_day", "holiday"], orient="row")
    con.execute("DELETE FROM calendar")
    con.register("calendar_frame", frame)
    con.execute("INSERT INTO calendar SELECT day, is_working, due_day, holiday FROM calendar_frame").fetchall()
    con.unregister("calendar_frame")
    log.info("calendar: %s days, %s..%s", len(rows), first_year, last_year)
    return len(rows)
