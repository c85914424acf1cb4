"""Storing checked calls: a transcript and its check result as rows of the store.

The tables mirror ``transcription/schema.py``: ``calls`` (one row a call),
``utterances``, ``findings``, ``call_readings`` (values dictated in the call),
and ``call_numbers`` (numbers said, for linking's account tie-break).  Rows go
in through polars frames, a batch of calls per statement.
"""
from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from analytics.storage import finding_ids
from transcription.schema import CheckResult, Transcript, Utterance, Word

_CALL_COLUMNS = ("call_id", "started_at", "ended_at", "duration_s", "operator_id", "operator_name", "audio_path",
                 "transcript_path", "layout", "language", "topic", "score", "rulebook", "asr_model", "content_hash",
                 "ingested_at", "source_hash", "rule_set")


def _utterance_rows(tr: Transcript) -> list[dict]:
    return [{"call_id": tr.call_id, "idx": i, "speaker": u.speaker, "start": u.start, "end": u.end,
             "text": u.text,
             "words": None if u.words is None else [{"w": w.w, "start": w.start, "end": w.end, "p": w.p}
                                                    for w in u.words],
             "avg_logprob": u.avg_logprob, "no_speech_prob": u.no_speech_prob, "language": u.language}
            for i, u in enumerate(tr.utterances)]


def reading_rows(call_id: str, result: CheckResult) -> list[dict]:
    """The rows of ``call_readings`` for one call's check result (its findings: ``finding_ids.numbered``)."""
    return [{"call_id": call_id, "idx": i, "value": r.value, "start": r.start, "evidence": r.evidence,
             "confidence": r.confidence} for i, r in enumerate(result.readings)]


def not_assessed_rows(call_id: str, result: CheckResult) -> list[dict]:
    """The rows of ``not_assessed`` for one call's check result."""
    return [{"call_id": call_id, "rule": n.rule, "reason": n.reason} for n in result.not_assessed]


def call_numbers(tr: Transcript) -> set[str]:
    """Digit strings said in a call (in digits or words), for the account-number tie-break."""
    return set(heard_numbers(tr))


def _utterance_confidence(u: Utterance) -> float | None:
    """The lowest word probability among an utterance's number words (all its words if none is one);
    None when the transcript carries no word probabilities (it counts as certain)."""
    from rules.entities import numbers_in_text

    words = [w for w in (u.words or ()) if w.p is not None]
    if not words:
        return None
    numeric = [w for w in words if any(ch.isdigit() for ch in w.w) or numbers_in_text(w.w)]
    return min(w.p for w in (numeric or words))


def heard_numbers(tr: Transcript) -> dict[str, float | None]:
    """Digit strings said in a call → how surely they were heard (the best of the utterances saying it;
    None: no word probabilities, counts as certain)."""
    from rules.entities import numbers_in_text

    out: dict[str, float | None] = {}
    for u in tr.utterances:
        # numbers_in_text also gives numbers dictated in pieces joined («12 34 56» → 123456);
        # decimals (meter values) cannot be an account number.
        nums = [n for n in numbers_in_text(u.text) if n.isdigit()]
        if not nums:
            continue
        conf = _utterance_confidence(u)
        for n in nums:
            if n not in out:
                out[n] = conf
            elif out[n] is not None:
                out[n] = None if conf is None else max(out[n], conf)
    return out


def heard_rows(tr: Transcript, result: CheckResult) -> list[dict]:
    """The rows of ``heard_numbers``: numbers said and values dictated, with how surely they were heard."""
    rows = [{"call_id": tr.call_id, "what": "number", "number": n, "idx": None, "confidence": c}
            for n, c in sorted(heard_numbers(tr).items()) if c is not None]
    for i, r in enumerate(result.readings):
        around = [u for u in tr.utterances if u.start - 0.05 <= r.start <= u.end + 0.05] if r.start is not None else []
        confs = [c for c in map(_utterance_confidence, around) if c is not None]
        if confs:
            rows.append({"call_id": tr.call_id, "what": "reading", "number": None, "idx": i, "confidence": min(confs)})
    return rows


_FRAME_SCHEMAS: dict[str, dict] = {
    "utterances": {"call_id": pl.String, "idx": pl.Int32, "speaker": pl.String, "start": pl.Float64,
                   "end": pl.Float64, "text": pl.String,
                   "words": pl.List(pl.Struct({"w": pl.String, "start": pl.Float64, "end": pl.Float64,
                                               "p": pl.Float64})),
                   "avg_logprob": pl.Float64, "no_speech_prob": pl.Float64, "language": pl.String},
    "findings": {"call_id": pl.String, "idx": pl.Int32, "rule": pl.String, "clause": pl.String,
                 "speaker": pl.String, "start": pl.Float64, "end": pl.Float64, "evidence": pl.String,
                 "rulebook": pl.String, "confidence": pl.Float64},
    "not_assessed": {"call_id": pl.String, "rule": pl.String, "reason": pl.String},
    "call_readings": {"call_id": pl.String, "idx": pl.Int32, "value": pl.Float64, "start": pl.Float64,
                      "evidence": pl.String, "confidence": pl.Float64},
    "call_numbers": {"call_id": pl.String, "number": pl.String},
    "heard_numbers": {"call_id": pl.String, "what": pl.String, "number": pl.String, "idx": pl.Int32,
                      "confidence": pl.Float64},
}


_FRAME_SCHEMAS["uncertain_findings"] = _FRAME_SCHEMAS["findings"]
CALL_TABLES = ("calls", "utterances", "findings", "uncertain_findings", "not_assessed", "call_readings", "call_numbers",
               "heard_numbers")


def insert(con, table: str, rows: list[dict], schema: dict | None = None) -> None:
    if not rows:
        return
    frame = pl.DataFrame(rows, schema=schema or _FRAME_SCHEMAS[table], orient="row")
    con.register("frame_in", frame)
    cols = ", ".join(f'"{c}"' for c in frame.columns)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM frame_in").fetchall()
    con.unregister("frame_in")


def delete_calls(con, tables: Iterable[str], call_ids: list[str]) -> None:
    for table in tables:
        con.execute(f"DELETE FROM {table} WHERE call_id IN (SELECT unnest(?))", [call_ids])


def verdict_tables(con, judged: list[tuple[str, CheckResult]]) -> dict[str, list[dict]]:
    """The rows of ``findings``, ``uncertain_findings``, ``not_assessed`` and ``call_readings`` of calls checked
    whole (call_id, result), numbered so that a stored call's verdicts and disputes stay on their findings
    (``analytics.storage.finding_ids``): call it before the calls' old rows are deleted."""
    before = finding_ids.prior(con, [cid for cid, _ in judged])
    out: dict[str, list[dict]] = {"findings": [], "uncertain_findings": [], "not_assessed": [], "call_readings": []}
    for call_id, result in judged:
        found, unsure = finding_ids.numbered(call_id, result, before.get(call_id))
        out["findings"] += found
        out["uncertain_findings"] += unsure
        out["not_assessed"] += not_assessed_rows(call_id, result)
        out["call_readings"] += reading_rows(call_id, result)
    return out


def write_calls(con, rows: list[dict]) -> None:
    """Replace the stored calls of ``rows`` with their transcripts and check results."""
    ids = [r["call"]["call_id"] for r in rows]
    verdicts = verdict_tables(con, [(r["call"]["call_id"], r["result"]) for r in rows])
    delete_calls(con, CALL_TABLES, ids)
    call_schema = {c: pl.String for c in _CALL_COLUMNS} | {
        "started_at": pl.Datetime("us"), "ended_at": pl.Datetime("us"), "ingested_at": pl.Datetime("us"),
        "duration_s": pl.Float64, "score": pl.Float64, "topics": pl.List(pl.String)}
    insert(con, "calls", [r["call"] | {"topics": list(r["result"].topics)} for r in rows], call_schema)
    utts, nums, heard = [], [], []
    for r in rows:
        tr, result = r["transcript"], r["result"]
        utts += _utterance_rows(tr)
        nums += [{"call_id": tr.call_id, "number": n} for n in sorted(call_numbers(tr))]
        heard += heard_rows(tr, result)
    insert(con, "utterances", utts)
    for table, table_rows in verdicts.items():
        insert(con, table, table_rows)
    insert(con, "call_numbers", nums)
    insert(con, "heard_numbers", heard)


def stored_transcript(con, call_id: str) -> Transcript:
    """Rebuild a stored call's transcript from the ``utterances`` table."""
    meta = con.execute("SELECT duration_s, language, layout FROM calls WHERE call_id = ?", [call_id]).fetchall()[0]
    utts = []
    for speaker, start, end, text, words, lp, nsp, lang in con.execute(
            'SELECT speaker, start, "end", text, words, avg_logprob, no_speech_prob, language FROM utterances '
            "WHERE call_id = ? ORDER BY idx", [call_id]).fetchall():
        ws = None if words is None else [Word(w["w"], w["start"], w["end"], w["p"]) for w in words]
        utts.append(Utterance(speaker, start, end, text, ws, lp, nsp, lang))
    return Transcript(call_id=call_id, duration_s=meta[0], language=meta[1], layout=meta[2] or "mono",
                      utterances=utts)
