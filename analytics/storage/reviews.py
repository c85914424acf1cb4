"""Auditors' verdicts on findings: the one write the dashboard makes (page «Проверка»).

A verdict is kept per finding (``reviews`` keyed by call_id + findings.idx); a
new verdict on the same finding replaces the old one.  A rejected finding stops
counting as a violation in the KPIs and on every page; ``clear_review`` brings
it back.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from analytics.storage.store import connect
from core.errors import OkaError

log = logging.getLogger(__name__)

VERDICTS = ("confirmed", "rejected")


class ReviewError(OkaError):
    """A verdict that cannot be stored: unknown finding or verdict."""


def save_review(db: Path, call_id: str, idx: int, verdict: str, comment: str = "", reviewer: str = "",
                now: dt.datetime | None = None) -> None:
    """Store ``verdict`` (confirmed | rejected) with a comment on finding ``idx`` of ``call_id``."""
    if verdict not in VERDICTS:
        raise ReviewError(f"verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}")
    when = now or dt.datetime.now().replace(microsecond=0)
    with connect(Path(db)) as con:
        row = con.execute("SELECT rule FROM findings WHERE call_id = ? AND idx = ?", [call_id, int(idx)]).fetchone()
        if row is None:
            raise ReviewError(f"{db}: no finding {idx} in call {call_id}")
        con.execute("INSERT OR REPLACE INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [call_id, int(idx), row[0], verdict, comment.strip(), reviewer.strip(), when])
    log.info("review of %s #%s: %s", call_id, idx, verdict)


def clear_review(db: Path, call_id: str, idx: int) -> bool:
    """Remove the verdict on a finding; True if there was one."""
    with connect(Path(db)) as con:
        gone = con.execute("DELETE FROM reviews WHERE call_id = ? AND idx = ? RETURNING idx",
                           [call_id, int(idx)]).fetchall()
    return bool(gone)
