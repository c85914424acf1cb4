"""The department's clock (core/clock.py): Almaty wall time whatever the server's time zone."""
from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest

from core import clock


@pytest.fixture
def server_in(monkeypatch):
    """The process's local time zone set to ``zone`` (a server abroad, or a container on UTC)."""
    def set_zone(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles", "Pacific/Kiritimati", "Asia/Almaty"])
def test_now_is_almaty_time_whatever_the_servers_zone(server_in, zone):
    server_in(zone)
    almaty = dt.datetime.now(ZoneInfo("Asia/Almaty")).replace(tzinfo=None)
    assert abs((clock.now() - almaty).total_seconds()) < 2
    assert clock.today() == almaty.date() or abs((clock.now() - almaty).total_seconds()) < 2
    if zone != "Asia/Almaty":   # the server's own clock is hours off: what the product used before
        assert abs((dt.datetime.now() - almaty).total_seconds()) > 3600


# UTC-12 is on another day than Almaty from 00:00 to 17:00 Almaty time, UTC+14 from 15:00 to 24:00: at any
# moment at least one of the two would date the report wrongly by its own clock
@pytest.mark.parametrize("zone", ["Etc/GMT+12", "Pacific/Kiritimati"])
def test_the_spravka_is_dated_by_almatys_day_on_a_server_abroad(server_in, tmp_path, zone):
    """Noticed in issue 20's audit of the Справка: its date came from the server's clock; a report made at
    08:50 in Almaty on a server in Los Angeles was dated the day before."""
    from analytics.reports import generate
    from analytics.reports.options import ReportOptions
    from analytics.storage.store import init

    server_in(zone)
    db = tmp_path / "oka.duckdb"
    init(db)
    files = generate(db, dt.date(2025, 1, 1), dt.date(2025, 6, 30), "spravka", tmp_path / "r",
                     ReportOptions(pdf=False, charts=False))
    import docx

    from analytics.catalogue.formats import fmt_date_long

    text = "\n".join(p.text for p in docx.Document(str(files.docx)).paragraphs)
    assert fmt_date_long(clock.today()) in text
