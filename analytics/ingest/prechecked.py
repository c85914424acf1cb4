"""Calls whose check results come ready-made: ``transcript_path`` names a Parquet file.

An addition to the data folder of docs/CONTRACT.md section 4, for archives checked
elsewhere and for the scale benchmark (``data/synth.py --prechecked``): a
calls.csv row whose ``transcript_path`` ends in ``.parquet`` takes its check
results from that file's row with the same ``call_id``.  Next to it:

``calls.parquet``          call_id, duration_s, topic, score, rulebook
``findings.parquet``       call_id, rule [, clause, speaker, start, end, evidence]
``call_readings.parquet``  call_id, value [, start, evidence] — values dictated in the call
``call_numbers.parquet``   call_id, number — numbers said (for the account tie-break of linking)
``utterances.parquet``     call_id, speaker, start, end, text [, idx, words, avg_logprob, no_speech_prob,
                           language] — the transcripts: one row an utterance, the fields of
                           docs/CONTRACT.md section 1 (``idx`` orders a call's rows; else the file's order)

(the last four are optional).  A call with its transcript can be judged again by
this project's rulebook (``oka-qa recheck``: the first time, whole, since the
rules that judged it elsewhere are unknown); one without keeps its results as
given.  Everything is vectorised, and written in transactions of ``CHUNK``
calls, so a million calls load in seconds and readers get in between.
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

_WORDS = pl.List(pl.Struct({"w": pl.String, "start": pl.Float64, "end": pl.Float64, "p": pl.Float64}))
_UTTERANCE = {"call_id": pl.String, "idx": pl.Int32, "speaker": pl.String, "start": pl.Float64, "end": pl.Float64,
              "text": pl.String, "words": _WORDS, "avg_logprob": pl.Float64, "no_speech_prob": pl.Float64,
              "language": pl.String}
SPEAKERS = ("operator", "customer", "unknown")


def _utterances(path: Path) -> tuple[pl.DataFrame | None, dict[str, str]]:
    """The transcripts of ``utterances.parquet`` (None without the file), and the calls whose rows are bad
    (call_id → why): such a call is rejected whole."""
    if not path.exists():
        return None, {}
    frame = pl.read_parquet(path)
    missing = [c for c in ("call_id", "speaker", "start", "end", "text") if c not in frame.columns]
    if missing:
        raise records.RecordsError(f"{path}: missing column(s) {', '.join(missing)}")
    frame = frame.with_row_index("_pos")
    if "idx" not in frame.columns:
        frame = frame.with_columns(pl.col("_pos").rank("ordinal").over("call_id").sub(1).alias("idx"))
    frame = frame.with_columns([pl.lit(None, t).alias(c) for c, t in _UTTERANCE.items() if c not in frame.columns]
                               ).select("_pos", *[pl.col(c).cast(t) for c, t in _UTTERANCE.items()])
    bad_rows = frame.filter(~pl.col("speaker").is_in(SPEAKERS) | pl.col("text").is_null()
                            | ~pl.col("start").is_finite() | ~pl.col("end").is_finite()
                            | pl.col("start").is_null() | pl.col("end").is_null())
    bad = {}
    for r in bad_rows.unique("call_id", keep="first", maintain_order=True).iter_rows(named=True):
        bad[r["call_id"]] = (f"row {r['_pos'] + 1}: speaker {r['speaker']!r} must be one of {', '.join(SPEAKERS)}, "
                             "with a text and finite start and end")
    return frame.drop("_pos").sort("call_id", "idx"), bad


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
            utts, bad_utts = _utterances(path.parent / "utterances.parquet")
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
        for r in joined.filter(pl.col("call_id").is_in(list(bad_utts))).iter_rows(named=True):
            reject(f"{source}: row {r['_row']}: call {r['call_id']}: utterances.parquet {bad_utts[r['call_id']]}")
        joined = joined.filter(~pl.col("call_id").is_in(list(bad_utts)))
        if utts is not None:   # a call's transcript is part of what it is: a changed one is stored again
            hashes = utts.select("call_id", pl.struct(pl.all()).hash().alias("h")).group_by("call_id").agg(
                "h").select("call_id", pl.col("h").hash().cast(pl.String).alias("transcript_hash"))
            joined = joined.join(hashes, on="call_id", how="left")
            extra["utterances"] = utts
        else:
            joined = joined.with_columns(pl.lit(None, pl.String).alias("transcript_hash"))
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
                "audio_path, transcript_path, layout, language, topic, score, rulebook, ingested_at, source_hash, "
                "content_hash) "
                "SELECT call_id, started_at, ended_at, duration_s, operator_id, operator_name, audio_path, "
                "transcript_path, layout, 'ru', topic, score, rulebook, now()::TIMESTAMP, source_hash, "
                "transcript_hash FROM todo").fetchall()
            for table, frame in extra.items():
                if frame is None:
                    continue
                con.register("extra", frame.join(changed, on="call_id", how="semi"))
                if table == "utterances":
                    cols = 'call_id, idx, speaker, start, "end", text, words, avg_logprob, no_speech_prob, language'
                    con.execute(f"INSERT INTO utterances ({cols}) SELECT {cols} FROM extra").fetchall()
                elif table == "findings":
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
