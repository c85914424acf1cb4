"""Records discrepancies (clause 12) reviewed like findings: the head or an auditor confirms one, or
dismisses it as not the operator's error (the recogniser heard «9» where «908» was said), with a comment.

Two kinds of discrepancy are judged by the KPIs (``analytics.queries.kpi_sql``) and can be reviewed:

* ``value`` — a linked reading whose value is none of the values dictated in its call
  (``readings_value_mismatch``);
* ``account`` — a linked request or reading whose account or contract number is none of the numbers
  said in its call (``records_mismatch``).

``discrepancy_events`` is append-only, like ``review_events``: every decision is an event (who, when, in
which role, why), never overwritten; ``clear`` takes a verdict back.  The standing verdict is derived:
the view ``discrepancy_reviews`` (the last confirm, dismiss or clear of each discrepancy).  A dismissed
discrepancy leaves the KPI, its list and the «Справка»; a confirmed one stays, with its verdict shown.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import duckdb
import polars as pl

from analytics.storage.store import connect
from core import clock
from core.errors import OkaError

log = logging.getLogger(__name__)

WHATS = ("value", "account")                      # the discrepancies the KPIs judge (see above)
RECORD_TYPES = ("request", "reading")
VERDICTS = ("confirmed", "dismissed")
_KIND_OF = {"confirmed": "confirm", "dismissed": "dismiss"}

EVENTS_DDL = """
CREATE TABLE IF NOT EXISTS discrepancy_events (
    seq          BIGINT PRIMARY KEY,   -- the order of events
    decided_at   TIMESTAMP,            -- when (Asia/Almaty wall-clock time)
    who          VARCHAR,              -- the account that decided
    role         VARCHAR,              -- its role then
    kind         VARCHAR,              -- confirm | dismiss | clear
    record_type  VARCHAR,              -- request | reading
    record_id    VARCHAR,
    what         VARCHAR,              -- value | account (analytics/storage/discrepancies.py)
    call_id      VARCHAR,              -- the call the record was linked to when decided
    comment      VARCHAR               -- why
);

CREATE OR REPLACE VIEW discrepancy_reviews AS
SELECT record_type, record_id, what, call_id,
       CASE kind WHEN 'confirm' THEN 'confirmed' ELSE 'dismissed' END AS verdict,
       comment, who AS reviewer, decided_at AS reviewed_at
FROM (SELECT *, row_number() OVER (PARTITION BY record_type, record_id, what ORDER BY seq DESC) AS n
      FROM discrepancy_events)
WHERE n = 1 AND kind <> 'clear';
"""


class DiscrepancyError(OkaError):
    """A decision on a discrepancy that cannot be stored: unknown record, kind or verdict, no reason."""


def create(con: duckdb.DuckDBPyConnection) -> None:
    """The events table and the view of standing verdicts (idempotent)."""
    con.execute(EVENTS_DDL)


def _linked_call(con: duckdb.DuckDBPyConnection, db: Path, record_type: str, record_id: str, what: str) -> str:
    if record_type not in RECORD_TYPES:
        raise DiscrepancyError(f"record type must be one of {', '.join(RECORD_TYPES)}, got {record_type!r}")
    if what not in WHATS:
        raise DiscrepancyError(f"discrepancy must be one of {', '.join(WHATS)}, got {what!r}")
    if what == "value" and record_type != "reading":
        raise DiscrepancyError(f"{record_id}: only a reading has a value to compare with the call")
    table, key = ("requests", "request_id") if record_type == "request" else ("readings", "reading_id")
    row = con.execute(f"""SELECT l.call_id FROM {table} r
                          LEFT JOIN links l ON l.record_type = ? AND l.record_id = r.{key}
                          WHERE r.{key} = ?""", [record_type, record_id]).fetchone()
    if row is None:
        raise DiscrepancyError(f"{db}: no {record_type} {record_id}")
    if row[0] is None:
        raise DiscrepancyError(f"{record_id}: the {record_type} is linked to no call, so nothing was compared")
    return row[0]


def _append(con: duckdb.DuckDBPyConnection, kind: str, who: str, role: str, at: dt.datetime, **cols) -> int:
    seq = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM discrepancy_events").fetchone()[0]
    names = ["seq", "decided_at", "who", "role", "kind", *cols]
    con.execute(f"INSERT INTO discrepancy_events ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [seq, at, (who or "").strip(), role or "", kind, *cols.values()])
    return int(seq)


def decide(db: Path, record_type: str, record_id: str, what: str, verdict: str, comment: str = "",
           who: str = "", role: str = "", now: dt.datetime | None = None) -> int:
    """Record ``verdict`` (confirmed | dismissed) on the ``what`` discrepancy of a record; a later one
    supersedes it.  A dismissal takes it out of the KPI and the «Справка», so it needs a reason."""
    if verdict not in VERDICTS:
        raise DiscrepancyError(f"verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}")
    comment = (comment or "").strip()
    if verdict == "dismissed" and not comment:
        raise DiscrepancyError("a dismissed discrepancy leaves the KPI and the report: say why in the comment")
    with connect(Path(db)) as con:
        call_id = _linked_call(con, Path(db), record_type, record_id, what)
        seq = _append(con, _KIND_OF[verdict], who, role, now or clock.now(),
                      record_type=record_type, record_id=record_id, what=what, call_id=call_id, comment=comment)
    log.info("discrepancy %s %s %s: %s", what, record_type, record_id, verdict)
    return seq


def clear(db: Path, record_type: str, record_id: str, what: str, who: str = "", role: str = "",
          now: dt.datetime | None = None) -> bool:
    """Take back the standing verdict (an event too); True if there was one."""
    with connect(Path(db)) as con:
        row = con.execute("SELECT call_id FROM discrepancy_reviews WHERE record_type = ? AND record_id = ? "
                          "AND what = ?", [record_type, record_id, what]).fetchone()
        if row is None:
            return False
        _append(con, "clear", who, role, now or clock.now(),
                record_type=record_type, record_id=record_id, what=what, call_id=row[0])
    return True


def events(db: Path, record_id: str | None = None) -> pl.DataFrame:
    """The history, oldest first (optionally of one record)."""
    with connect(Path(db), read_only=True) as con:
        return con.sql("SELECT * FROM discrepancy_events WHERE (?::VARCHAR IS NULL OR record_id = ?::VARCHAR) "
                       "ORDER BY seq", params=[record_id, record_id]).pl()
