"""Calls whose check results come ready-made: ``transcript_path`` names a Parquet file.

An addition to the data folder of docs/CONTRACT.md section 4, for archives checked
elsewhere and for the scale benchmark (``data/synth.py --prechecked``): a
calls.csv row whose ``transcript_path`` ends in ``.parquet`` takes its check
results from that file's row with the same ``call_id``.  Next to it:

``calls.parquet``          call_id, duration_s, topic, score, rulebook
``findings.parquet``       call_id, rule [, clause, speaker, start, end, evidence]
``call_readings.parquet``  call_id, value [, start, evidence] — values dictated in the call
``call_numbers.parquet``   call_id, number — numbers said (for the account tie-break of linking)

(the last three are optional).  No utterances are stored for such calls, and
they are never re-checked.  Everything is vectorised, and written in
transactions of ``CHUNK`` calls, so a million calls load in seconds and
readers get in between.
"""
from __future__ import annotations

import logging
from pathlib import Path

import polars as pl

from analytics.ingest import linking, records
from analytics.storage import calls_store, store

log = logging.getLogger(__name__)

CHUNK = 200_000

_OPTIONAL = {
    "findings": {"rule": pl.String, "clause": pl.String, "speaker": pl.String, "start": pl.Float64,
                 "end": pl.Float64, "evidence": pl.String},
    "call_readings": {"value": pl.Float64, "start": pl.Float64, "evidence": pl.String},
    "call_numbers": {"number": pl.String},
}


def is_prechecked(frame: pl.DataFrame) -> pl.Series:
    return frame["transcript_path"].fill_null("").str.to_lowercase().str.ends_with(".parquet")


_REQUIRED = {"findings": "rule", "call_readings": "value", "call_numbers": "number"}


def _read(path: Path, table: str, columns: dict[str, pl.DataType]) -> pl.DataFrame | None:
    if not path.exists():
        return None
    frame = pl.read_parquet(path)
    missing = [c for c in ("call_id", _REQUIRED[table]) if c not in frame.columns]
    if missing:
        raise records.RecordsError(f"{path}: missing column(s) {', '.join(missing)}")
    return frame.with_columns([pl.lit(None, t).alias(c) for c, t in columns.items() if c not in frame.columns]
                              ).select("call_id", *[pl.col(c).cast(t) for c, t in columns.items()])


def ingest(frame: pl.DataFrame, source: str, data_dir: Path, db_path: Path, reject) -> tuple[int, int]:
    """Store the pre-checked calls of ``frame`` (valid calls.csv rows); returns (stored, unchanged)."""
    stored = unchanged = 0
    for rel in frame["transcript_path"].unique().to_list():
        rows = frame.filter(pl.col("transcript_path") == rel)
        path = data_dir / rel
        if path.exists() and not path.resolve().is_relative_to(Path(data_dir).resolve()):
            reject(f"{source}: {rel}: not inside the data folder")
            continue
        try:
            pre = pl.read_parquet(path).select(
                "call_id", pl.col("duration_s").cast(pl.Float64), "topic", pl.col("score").cast(pl.Float64),
                pl.col("rulebook").cast(pl.String))
            extra = {t: _read(path.parent / f"{t}.parquet", t, cols) for t, cols in _OPTIONAL.items()}
        except (OSError, pl.exceptions.PolarsError, records.RecordsError) as e:
            reject(f"{source}: {rel}: cannot read pre-checked results ({str(e).splitlines()[0]})")
            continue
        joined = rows.join(pre, on="call_id", how="left")
        for r in joined.filter(pl.col("topic").is_null() & pl.col("duration_s").is_null()).iter_rows(named=True):
            reject(f"{source}: row {r['_row']}: call {r['call_id']} is not in {rel}")
        joined = joined.filter(pl.col("duration_s").is_not_null())
        bad = ~pl.col("duration_s").is_finite() | (pl.col("duration_s") < 0)
        for r in joined.filter(bad).iter_rows(named=True):
            reject(f"{source}: row {r['_row']}: call {r['call_id']} has duration_s {r['duration_s']} "
                   "(negative or not finite)")
        joined = joined.filter(~bad)
        content = [c for c in joined.columns if c != "_row"]
        joined = joined.with_columns(
            pl.struct(content).hash().cast(pl.String).alias("source_hash"),
            (pl.col("started_at") + pl.duration(milliseconds=(pl.col("duration_s") * 1000).round())
             ).alias("ended_at"))
        for start in range(0, joined.height, CHUNK):
            s, u = _write_chunk(db_path, joined.slice(start, CHUNK), extra)
            stored += s
            unchanged += u
            log.info("pre-checked calls: %s stored", stored)
    return stored, unchanged


def _write_chunk(db_path: Path, chunk: pl.DataFrame, extra: dict[str, pl.DataFrame | None]) -> tuple[int, int]:
    with store.connect(db_path) as con:
        con.begin()
        con.register("pre_in", chunk)
        changed = con.sql(
            "SELECT p.call_id FROM pre_in p LEFT JOIN calls c USING (call_id) "
            "WHERE c.source_hash IS DISTINCT FROM p.source_hash").pl()
        con.unregister("pre_in")
        if changed.height:
            todo = chunk.join(changed, on="call_id", how="semi")
            con.register("todo", todo)
            con.register("ids", changed)
            for table in calls_store.CALL_TABLES:
                con.execute(f"DELETE FROM {table} WHERE call_id IN (SELECT call_id FROM ids)").fetchall()
            con.execute(
                "INSERT INTO calls (call_id, started_at, ended_at, duration_s, operator_id, operator_name, "
                "audio_path, transcript_path, layout, language, topic, score, rulebook, ingested_at, source_hash) "
                "SELECT call_id, started_at, ended_at, duration_s, operator_id, operator_name, audio_path, "
                "transcript_path, layout, 'ru', topic, score, rulebook, now()::TIMESTAMP, source_hash "
                "FROM todo").fetchall()
            for table, frame in extra.items():
                if frame is None:
                    continue
                con.register("extra", frame.join(changed, on="call_id", how="semi"))
                if table == "findings":
                    con.execute(
                        "INSERT INTO findings SELECT e.call_id, "
                        "CAST(row_number() OVER (PARTITION BY e.call_id) - 1 AS INTEGER), e.rule, e.clause, "
                        "coalesce(e.speaker, 'operator'), e.start, e.\"end\", coalesce(e.evidence, ''), "
                        "t.rulebook, 1.0 "
                        "FROM extra e JOIN todo t USING (call_id)").fetchall()
                elif table == "call_readings":
                    con.execute(
                        "INSERT INTO call_readings SELECT call_id, "
                        "CAST(row_number() OVER (PARTITION BY call_id) - 1 AS INTEGER), value, start, "
                        "coalesce(evidence, ''), 1.0 FROM extra").fetchall()
                else:
                    con.execute("INSERT INTO call_numbers SELECT DISTINCT call_id, "
                                "regexp_replace(number, '[^0-9]', '', 'g') FROM extra").fetchall()
                con.unregister("extra")
            con.unregister("ids")
            con.unregister("todo")
            linking.mark_stale(con)
        con.commit()
    return changed.height, chunk.height - changed.height
