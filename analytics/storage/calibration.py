"""Calibration sessions: the same calls before several auditors, blind to each other, then one agreed form.

A session (``calibration_sessions``, written once) names its calls and its
auditors.  Each auditor answers the form of every call; the answers are
``answer`` events of ``review_events`` carrying the session's id, so they never
touch the call's own form.  An auditor sees only their own answers until every
participant has answered every call (or the session is closed).  Closing writes
the agreed answers as the calls' forms and a ``close`` event; nothing is
overwritten.  ``analytics.queries.agreement.session_agreement`` gives percent
agreement and kappa per criterion and per auditor, and the calls where the
auditors disagree most.
"""
from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from analytics.storage import reviews
from analytics.storage.store import connect
from core import clock
from rules.number_agreement import agreed as noun_after

DDL = """
CREATE TABLE IF NOT EXISTS calibration_sessions (
    session_id  VARCHAR PRIMARY KEY,
    title       VARCHAR,
    created_by  VARCHAR,
    created_at  TIMESTAMP,
    calls       VARCHAR[],
    auditors    VARCHAR[]
);
"""


class CalibrationError(reviews.ReviewError):
    """A session that cannot be opened, answered or closed as asked."""


@dataclass(frozen=True)
class Session:
    session_id: str
    title: str
    created_by: str
    created_at: dt.datetime
    calls: tuple[str, ...]
    auditors: tuple[str, ...]
    closed_at: dt.datetime | None


def create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def open_session(db: Path, title: str, calls: list[str], auditors: list[str], who: str,
                 now: dt.datetime | None = None) -> str:
    """A new session over ``calls`` for ``auditors`` (two or more); returns its id."""
    calls, auditors = list(dict.fromkeys(calls)), list(dict.fromkeys(a.strip() for a in auditors if a.strip()))
    if not calls:
        raise CalibrationError("a calibration session needs at least one call")
    if len(auditors) < 2:
        raise CalibrationError("a calibration session needs at least two auditors")
    sid = f"cal-{secrets.token_hex(4)}"
    with connect(Path(db)) as con:
        create(con)
        known = {r[0] for r in con.execute("SELECT call_id FROM calls WHERE list_contains(?, call_id)",
                                           [calls]).fetchall()}
        missing = [c for c in calls if c not in known]
        if missing:
            raise CalibrationError(f"{db}: no call(s) {', '.join(missing)}")
        con.execute("INSERT INTO calibration_sessions VALUES (?, ?, ?, ?, ?, ?)",
                    [sid, title.strip() or sid, who, now or clock.now(), calls, auditors])
    return sid


def sessions(db: Path) -> list[Session]:
    """Every session, newest first."""
    with connect(Path(db), read_only=True) as con:
        if not con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'calibration_sessions'"
                           ).fetchone():
            return []
        rows = con.execute("""
            SELECT s.*, (SELECT min(decided_at) FROM review_events e
                         WHERE e.kind = 'close' AND e.session_id = s.session_id) AS closed_at
            FROM calibration_sessions s ORDER BY created_at DESC, session_id""").fetchall()
    return [Session(r[0], r[1], r[2], r[3], tuple(r[4]), tuple(r[5]), r[6]) for r in rows]


def session(db: Path, session_id: str) -> Session:
    for s in sessions(db):
        if s.session_id == session_id:
            return s
    raise CalibrationError(f"{db}: no calibration session {session_id}")


def submit(db: Path, session_id: str, call_id: str, answers: dict[str, tuple[str, float]], who: str,
           role: str = "", n_criteria: int | None = None) -> None:
    """One participant's answers to one call's form in the session; ``n_criteria``: the form's size, to tell
    whether the results are shown already (then no answer may change: agreement measures blind judgement)."""
    s = session(db, session_id)
    if s.closed_at is not None:
        raise CalibrationError(f"session {s.title} is closed")
    if n_criteria is not None and results_visible(db, session_id, n_criteria):
        raise CalibrationError(f"the results of session {s.title} are shown already, so its answers can no longer "
                               "change (agreement measures blind judgement); discuss the split items and close it")
    if who not in s.auditors:
        raise CalibrationError(f"{who} is not an auditor of session {s.title}")
    if call_id not in s.calls:
        raise CalibrationError(f"call {call_id} is not in session {s.title}")
    reviews.answer_form(db, call_id, answers, who, role, session_id=session_id)


def all_answers(db: Path, session_id: str) -> pl.DataFrame:
    """Each participant's standing answer per call and criterion: who, call_id, criterion, answer, weight."""
    with connect(Path(db), read_only=True) as con:
        return con.sql("""
            SELECT who, call_id, criterion, answer, weight FROM (
                SELECT *, row_number() OVER (PARTITION BY who, call_id, criterion ORDER BY seq DESC) AS n
                FROM review_events WHERE kind = 'answer' AND session_id = ?)
            WHERE n = 1 ORDER BY call_id, criterion, who""", params=[session_id]).pl()


def progress(db: Path, session_id: str, n_criteria: int) -> dict[str, int]:
    """Calls each participant has answered in full (all ``n_criteria`` criteria)."""
    s = session(db, session_id)
    df = all_answers(db, session_id)
    done = Counter()
    for (who, _call), part in df.group_by(["who", "call_id"]):
        if part.height >= n_criteria:
            done[who] += 1
    return {a: done.get(a, 0) for a in s.auditors}


def results_visible(db: Path, session_id: str, n_criteria: int) -> bool:
    """Blind until every participant has answered every call, or the session is closed."""
    s = session(db, session_id)
    return s.closed_at is not None or all(n >= len(s.calls) for n in progress(db, session_id, n_criteria).values())


def close(db: Path, session_id: str, agreed: dict[tuple[str, str], tuple[str, float]], who: str, role: str = "",
          now: dt.datetime | None = None) -> None:
    """End the session: ``agreed`` {(call_id, criterion): (answer, weight)} become the calls' forms."""
    s = session(db, session_id)
    if s.closed_at is not None:
        raise CalibrationError(f"session {s.title} is already closed")
    by_call: dict[str, dict[str, tuple[str, float]]] = {}
    for (call_id, criterion), aw in agreed.items():
        by_call.setdefault(call_id, {})[criterion] = aw
    for call_id, answers in by_call.items():
        reviews.answer_form(db, call_id, answers, who, role, comment=f"согласовано на калибровке «{s.title}»",
                            now=now)
    with connect(Path(db)) as con:
        reviews.append_event(con, "close", who, role, now or clock.now(),
                        session_id=session_id,
                        comment=f"согласованы ответы по {len(by_call)} {noun_after(len(by_call), 'звонок', 'datv')}")
