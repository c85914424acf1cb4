"""The department's clock: Almaty wall time, whatever time zone the server runs in.

Every time the product stores or compares is a naive date-time in Asia/Almaty (docs/CONTRACT.md section 4:
timestamps without an offset are Almaty time; the KPIs judge "now" there).  A server set to UTC, as
containers usually are, would otherwise date a review, an audit entry or the Справка hours off, and a report
made before 05:00 in Almaty would carry yesterday's date.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Almaty")


def now() -> dt.datetime:
    """Almaty wall time now, naive, to the second."""
    return dt.datetime.now(TZ).replace(tzinfo=None, microsecond=0)


def today() -> dt.date:
    """Today's date in Almaty."""
    return dt.datetime.now(TZ).date()
