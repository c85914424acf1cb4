"""Kazakhstan's working-day calendar and the 10-working-day due date, 2024-2026.

Expected values are written from the official calendar: weekends, public
holidays (Nauryz 21-23 March, Kurban Ait), holidays on a weekend moved to the
next Monday, and the government's transfers (2024: Saturday 4 May worked for
Wednesday 8 May; 2025: Sunday 5 January worked for Friday 3 January).
"""
from __future__ import annotations

import datetime as dt

import pytest

from analytics.storage import store
from core import workdays

D = dt.date


@pytest.mark.parametrize("day, working, why", [
    (D(2024, 3, 21), False, "Nauryz"),
    (D(2024, 3, 22), False, "Nauryz"),
    (D(2024, 3, 25), False, "Nauryz on Saturday 23rd moved to Monday"),
    (D(2024, 3, 26), True, "an ordinary Tuesday"),
    (D(2024, 5, 4), True, "Saturday worked for 8 May"),
    (D(2024, 5, 8), False, "day off moved from 4 May"),
    (D(2024, 6, 16), False, "Kurban Ait (a Sunday)"),
    (D(2024, 6, 17), True, "religious holidays are not moved"),
    (D(2024, 7, 8), False, "Capital Day on Saturday moved to Monday"),
    (D(2024, 12, 16), False, "Independence Day"),
    (D(2024, 12, 17), True, "no longer a holiday"),
    (D(2025, 1, 3), False, "day off moved from Sunday 5 January"),
    (D(2025, 1, 4), False, "an ordinary Saturday"),
    (D(2025, 1, 5), True, "Sunday worked for 3 January"),
    (D(2025, 3, 10), False, "Women's Day on Saturday moved to Monday"),
    (D(2025, 3, 24), False, "Nauryz on the weekend moved"),
    (D(2025, 3, 25), False, "Nauryz on the weekend moved"),
    (D(2025, 3, 26), True, "after Nauryz"),
    (D(2025, 6, 6), False, "Kurban Ait"),
    (D(2025, 9, 1), False, "Constitution Day on Saturday moved to Monday"),
    (D(2026, 3, 23), False, "Nauryz"),
    (D(2026, 3, 25), False, "Nauryz on the weekend moved"),
    (D(2026, 5, 27), False, "Kurban Ait (estimated date)"),
    (D(2026, 5, 28), True, "an ordinary Thursday"),
])
def test_working_days(day, working, why):
    assert workdays.is_working_day(day) is working, why


@pytest.mark.parametrize("created, due, why", [
    (D(2024, 3, 20), D(2024, 4, 8), "Nauryz 21-25 March inside"),
    (D(2024, 5, 3), D(2024, 5, 21), "Saturday 4 May counts; 7, 8, 9 May do not"),
    (D(2024, 6, 14), D(2024, 6, 28), "Kurban Ait on a Sunday changes nothing"),
    (D(2025, 1, 2), D(2025, 1, 17), "3 Jan off, Sunday 5 Jan counts, 7 Jan off"),
    (D(2025, 3, 1), D(2025, 3, 17), "created on a Saturday; Monday 10 March off"),
    (D(2025, 6, 5), D(2025, 6, 20), "Kurban Ait on Friday 6 June"),
    (D(2025, 3, 3), D(2025, 3, 18), "Women's Day moved to Monday 10 March"),
    (D(2026, 3, 20), D(2026, 4, 8), "Nauryz 23-25 March 2026"),
    (D(2026, 12, 10), D(2026, 12, 25), "Independence Day 16 December"),
    (D(2024, 7, 1), D(2024, 7, 16), "Capital Day moved to Monday 8 July"),
])
def test_due_date(created, due, why):
    assert workdays.due_date(created) == due, why
    assert workdays.due_date(dt.datetime.combine(created, dt.time(23, 59))) == due


def test_calendar_table_agrees_with_the_library(tmp_path):
    db = tmp_path / "cal.duckdb"
    store.init(db)
    with store.connect(db, read_only=True) as con:
        rows = con.execute("SELECT day, is_working, due_day FROM calendar "
                           "WHERE day BETWEEN DATE '2024-01-01' AND DATE '2026-12-31' ORDER BY day").fetchall()
    assert len(rows) == 366 + 365 + 365
    for day, working, due in rows:
        assert working == workdays.is_working_day(day), day
        assert due == workdays.due_date(day), day


def test_materialise_is_idempotent(tmp_path):
    db = tmp_path / "cal.duckdb"
    store.init(db)
    with store.connect(db) as con:
        assert workdays.materialise(con) == 0
        n = con.execute("SELECT count(*) FROM calendar").fetchone()[0]
    assert n == len(workdays.calendar_rows())
