"""Example libraries: moments of calls a trainer marks as a good or a bad example of a clause.

An example is (call, from–to seconds, clause, good | bad, note) in a named collection
(«Как предложить руководителя», «Обращение по имени»).  A collection plays as a list of short
redacted clips (``analytics.access.redaction.redacted_clip``): a trainer never hears the personal data
of the call, whatever moment was marked.  The «Операторы» profile links each frequent violation to a
good example of the same clause (``good_example``).  Every change goes to the audit log.

An example stays true to the auditors' decisions: a moment where a violation of the clause counts is refused as a
good example, and an example whose moment the decisions later contradict carries a ``doubt``: ``withdrawn`` (a bad
example whose violation no longer counts: rejected, or withdrawn on the operator's dispute) or ``violated`` (a good
example where a violation of its clause now counts).  Such an example is shown with its doubt and never offered
as the model of a clause.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from analytics.access import audit
from analytics.access.policy import AccessError, Viewer
from analytics.coaching.assignments import COACH_ROLES, ensure_tables, has_table
from analytics.storage.store import connect
from core import clock

QUALITIES = {"good": "хороший пример", "bad": "как не надо"}
EXAMPLE_SCHEMA = {"example_id": pl.Int64, "collection": pl.String, "call_id": pl.String, "start_s": pl.Float64,
                  "end_s": pl.Float64, "clause": pl.String, "quality": pl.String, "note": pl.String,
                  "added_by": pl.String, "added_at": pl.Datetime, "operator_id": pl.String,
                  "operator_name": pl.String, "started_at": pl.Datetime, "doubt": pl.String}
MAX_CLIP_S = 120.0


def _within(end: str, start: str) -> str:
    """SQL: violation ``x`` is said within the moment ``start``–``end`` (SQL expressions): it overlaps it, or is a point
    in it (a violation an auditor added is a moment); one ending as the moment starts is not; a whole-call one is in
    every moment."""
    return (f'(x.start IS NULL OR (x.start < {end} AND (coalesce(x."end", x.start) > {start} '
            f'OR x.start >= {start})))')


def add(db: Path, viewer: Viewer, collection: str, call_id: str, start_s: float, end_s: float, clause: str,
        quality: str, note: str = "", now: dt.datetime | None = None) -> int:
    """Store a new example; its id.  Logged as ``example_added``."""
    if viewer.role.id not in COACH_ROLES:
        raise AccessError(f"{viewer.name} ({viewer.role.title}) не может вести подборки примеров")
    collection = (collection or "").strip()
    if not collection:
        raise AccessError("пример: укажите название подборки")
    if quality not in QUALITIES:
        raise AccessError(f"пример: «хороший» или «плохой», а не {quality!r}")
    start_s, end_s = float(start_s), float(end_s)
    if start_s < 0 or end_s <= start_s or end_s - start_s > MAX_CLIP_S:
        raise AccessError(f"пример: отрезок {start_s:g}–{end_s:g} с (не длиннее {MAX_CLIP_S:g} с)")
    now = (now or clock.now()).replace(microsecond=0)
    ensure_tables(db)
    with connect(Path(db)) as con:
        con.begin()
        found = con.execute("SELECT duration_s FROM calls WHERE call_id = ?", [call_id]).fetchone()
        if found is None:
            con.rollback()
            raise AccessError(f"пример: звонка {call_id} нет в базе")
        if quality == "good" and con.execute(
                f"SELECT 1 FROM counted_violations x WHERE x.call_id = $call AND x.clause = $clause "
                f"AND {_within('$end', '$start')}",
                {"call": call_id, "clause": clause, "end": end_s, "start": start_s}).fetchone():
            con.rollback()
            raise AccessError(f"пример: в этом отрезке звонка {call_id} засчитано нарушение п. {clause}, поэтому "
                              "хорошим примером по этому пункту он быть не может; выберите другой отрезок")
        new_id = con.execute("SELECT coalesce(max(example_id), 0) + 1 FROM examples").fetchone()[0]
        con.execute("INSERT INTO examples VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [new_id, collection, call_id, start_s, end_s, clause, quality, note or "", viewer.name, now])
        con.commit()
    audit.record(db, viewer.name, viewer.role.id, "example_added", f"example:{new_id}",
                 {"collection": collection, "call_id": call_id, "from_s": start_s, "to_s": end_s, "clause": clause,
                  "quality": quality})
    return new_id


def remove(db: Path, viewer: Viewer, example_id: int) -> None:
    if viewer.role.id not in COACH_ROLES:
        raise AccessError(f"{viewer.name} ({viewer.role.title}) не может вести подборки примеров")
    with connect(Path(db)) as con:
        con.execute("DELETE FROM examples WHERE example_id = ?", [int(example_id)])
    audit.record(db, viewer.name, viewer.role.id, "example_removed", f"example:{example_id}")


def examples(db: Path, collection: str | None = None, clause: str | None = None,
             quality: str | None = None, ids: list[int] | None = None) -> pl.DataFrame:
    """Examples with their call's operator and start, in collection order (by when they were added)."""
    with connect(Path(db), read_only=True) as con:
        if not has_table(con, "examples"):   # a database made before the libraries: none yet
            return pl.DataFrame(schema=EXAMPLE_SCHEMA)
        within = _within("e.end_s", "e.start_s")
        return con.sql(f"""
            SELECT e.example_id, e.collection, e.call_id, e.start_s, e.end_s, e.clause, e.quality, e.note,
                   e.added_by, e.added_at, c.operator_id, c.operator_name, c.started_at,
                   CASE WHEN e.quality = 'bad'
                             AND EXISTS (SELECT 1 FROM findings x
                                         WHERE x.call_id = e.call_id AND x.clause = e.clause AND {within})
                             AND NOT EXISTS (SELECT 1 FROM counted_violations x
                                             WHERE x.call_id = e.call_id AND x.clause = e.clause AND {within})
                        THEN 'withdrawn'
                        WHEN e.quality = 'good'
                             AND EXISTS (SELECT 1 FROM counted_violations x
                                         WHERE x.call_id = e.call_id AND x.clause = e.clause AND {within})
                        THEN 'violated' END AS doubt
            FROM examples e LEFT JOIN calls c USING (call_id)
            WHERE (?::VARCHAR IS NULL OR e.collection = ?) AND (?::VARCHAR IS NULL OR e.clause = ?)
              AND (?::VARCHAR IS NULL OR e.quality = ?) AND (?::BIGINT[] IS NULL OR list_contains(?, e.example_id))
            ORDER BY e.collection, e.added_at, e.example_id""",
            params=[collection, collection, clause, clause, quality, quality, ids, ids]).pl()


def collections(db: Path) -> pl.DataFrame:
    """collection, examples, good, bad — one row per named collection."""
    with connect(Path(db), read_only=True) as con:
        if not has_table(con, "examples"):
            return pl.DataFrame(schema={"collection": pl.String, "examples": pl.Int64, "good": pl.Int64,
                                        "bad": pl.Int64})
        return con.sql("""
            SELECT collection, count(*) AS examples, count(*) FILTER (WHERE quality = 'good') AS good,
                   count(*) FILTER (WHERE quality = 'bad') AS bad
            FROM examples GROUP BY collection ORDER BY collection""").pl()


def good_example(db: Path, clause: str, not_operator: str | None = None) -> dict | None:
    """The latest good example of ``clause`` (another operator's, if ``not_operator`` is given), or None."""
    df = examples(db, clause=clause, quality="good").filter(pl.col("doubt").is_null())
    if not_operator is not None:
        df = df.filter(pl.col("operator_id").is_null() | (pl.col("operator_id") != not_operator))
    if df.is_empty():
        return None
    return df.sort("added_at", "example_id", descending=True).row(0, named=True)
