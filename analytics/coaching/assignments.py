"""Coaching assignments: a trainer gives an operator a clause to work on, with examples and a date.

The operator acknowledges it on their own page.  After the date its effect is measured, not assumed:
the operator's rate for the clause (``analytics.queries.clause_rates``: the share of their judged calls
that broke it) over the days after the date, against the same number of days before the assignment
was made.  Both windows are ``L`` days long, ``L = min(measure_days, days elapsed since the date)``:

    before = [assigned_on − L, assigned_on − 1]        after = [due_on + 1, due_on + L]

so a result seen a week after the date compares one week with one week, and it grows to
``measure_days`` with time.  The days between the assignment and the date (the coaching itself)
count in neither.  Every change goes to the audit log.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analytics.access import audit
from analytics.access.policy import AccessError, Viewer
from analytics.queries.clause_rates import rate
from analytics.storage.store import connect
from core import clock

COACH_ROLES = ("head", "trainer")   # who assigns and keeps example libraries
MEASURE_DAYS = 30
ASSIGNMENT_SCHEMA = {"assignment_id": pl.Int64, "operator_id": pl.String, "clause": pl.String, "note": pl.String,
                     "examples": pl.List(pl.Int64), "assigned_by": pl.String, "assigned_at": pl.Datetime,
                     "due_on": pl.Date, "measure_days": pl.Int32, "acknowledged_at": pl.Datetime}


@dataclass(frozen=True)
class Effect:
    """The before and after windows (inclusive days) and the rate in each: (calls, violating, rate_pct)."""

    days: int
    before_from: dt.date
    before_to: dt.date
    after_from: dt.date
    after_to: dt.date
    before: tuple[int, int, float | None]
    after: tuple[int, int, float | None]

    @property
    def change_pp(self) -> float | None:
        """after − before, percentage points (negative: fewer violations)."""
        if self.before[2] is None or self.after[2] is None:
            return None
        return self.after[2] - self.before[2]


def has_table(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                            [name]).fetchall()[0][0])


def ensure_tables(db: Path) -> None:
    """A database made before coaching existed gains its tables (``store.init`` adds only what is missing)."""
    from analytics.storage import store

    with connect(Path(db), read_only=True) as con:
        missing = not (has_table(con, "assignments") and has_table(con, "examples"))
    if missing:
        store.init(Path(db))


def _coach(viewer: Viewer) -> None:
    if viewer.role.id not in COACH_ROLES:
        raise AccessError(f"{viewer.name} ({viewer.role.title}) не может назначать задания")


def assign(db: Path, viewer: Viewer, operator_id: str, clause: str, due_on: dt.date, note: str = "",
           examples: list[int] | tuple[int, ...] = (), measure_days: int = MEASURE_DAYS,
           now: dt.datetime | None = None) -> int:
    """Store a new assignment; its id.  Logged as ``assignment_added``."""
    _coach(viewer)
    now = (now or clock.now()).replace(microsecond=0)
    if not operator_id or not clause:
        raise AccessError("задание: нужны оператор и пункт стандарта")
    if due_on < now.date():
        raise AccessError(f"задание: срок {due_on:%d.%m.%Y} уже прошёл")
    if measure_days < 1:
        raise AccessError("задание: период измерения — не меньше одного дня")
    ensure_tables(db)
    with connect(Path(db)) as con:
        con.begin()
        new_id = con.execute("SELECT coalesce(max(assignment_id), 0) + 1 FROM assignments").fetchone()[0]
        con.execute("INSERT INTO assignments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                    [new_id, operator_id, clause, note or "", [int(e) for e in examples], viewer.name, now,
                     due_on, int(measure_days)])
        con.commit()
    audit.record(db, viewer.name, viewer.role.id, "assignment_added", f"assignment:{new_id}",
                 {"operator_id": operator_id, "clause": clause, "due_on": due_on.isoformat(),
                  "examples": list(examples)})
    return new_id


def acknowledge(db: Path, viewer: Viewer, assignment_id: int, now: dt.datetime | None = None) -> None:
    """The operator confirms they have read the assignment (theirs only).  Logged."""
    now = (now or clock.now()).replace(microsecond=0)
    with connect(Path(db)) as con:
        row = con.execute("SELECT operator_id, acknowledged_at FROM assignments WHERE assignment_id = ?",
                          [assignment_id]).fetchone()
        if row is None or viewer.operator_id is None or row[0] != viewer.operator_id:
            raise AccessError(f"задание {assignment_id} не назначено вам")
        if row[1] is not None:
            return
        con.execute("UPDATE assignments SET acknowledged_at = ? WHERE assignment_id = ?", [now, assignment_id])
    audit.record(db, viewer.name, viewer.role.id, "assignment_acknowledged", f"assignment:{assignment_id}")


def assignments(db: Path, operator_id: str | None = None) -> pl.DataFrame:
    """Assignments, newest first (one operator's, or all)."""
    with connect(Path(db), read_only=True) as con:
        if not has_table(con, "assignments"):   # a database made before coaching: none yet
            return pl.DataFrame(schema=ASSIGNMENT_SCHEMA)
        return con.sql("""
            SELECT assignment_id, operator_id, clause, note, examples, assigned_by, assigned_at, due_on,
                   measure_days, acknowledged_at
            FROM assignments WHERE (?::VARCHAR IS NULL OR operator_id = ?)
            ORDER BY assigned_at DESC, assignment_id DESC""", params=[operator_id, operator_id]).pl()


def windows(assigned_on: dt.date, due_on: dt.date, measure_days: int,
            today: dt.date) -> tuple[int, dt.date, dt.date, dt.date, dt.date] | None:
    """(L, before_from, before_to, after_from, after_to); None until a day after the date has passed."""
    days = min(int(measure_days), (today - due_on).days)
    if days < 1:
        return None
    return (days, assigned_on - dt.timedelta(days=days), assigned_on - dt.timedelta(days=1),
            due_on + dt.timedelta(days=1), due_on + dt.timedelta(days=days))


def effect(db: Path, assignment_id: int, today: dt.date | None = None,
           rules_of: dict[str, str] | None = None) -> Effect | None:
    """The measured effect of an assignment; None before its date has passed (or no such assignment)."""
    with connect(Path(db), read_only=True) as con:
        row = con.execute("""SELECT operator_id, clause, assigned_at::DATE, due_on, measure_days
                             FROM assignments WHERE assignment_id = ?""", [assignment_id]).fetchone()
    if row is None:
        return None
    operator_id, clause, assigned_on, due_on, measure_days = row
    w = windows(assigned_on, due_on, measure_days, today or clock.today())
    if w is None:
        return None
    days, b0, b1, a0, a1 = w
    return Effect(days, b0, b1, a0, a1, rate(db, operator_id, clause, b0, b1, rules_of),
                  rate(db, operator_id, clause, a0, a1, rules_of))
