"""``oka-qa ingest``: a data folder (docs/CONTRACT.md section 4) into the DuckDB store.

The order keeps the database free for the dashboard as much as possible:

1. read and validate ``calls``; decide per call what is new (its calls.csv row
   and its transcript/audio bytes hash to ``calls.source_hash``): a call stored
   with the same hash and the current rulebook is skipped; one stored with an
   older rulebook is re-checked from its stored utterances; the rest is loaded
   (a given transcript is used as is) or transcribed;
2. transcribe what needs it — slow, and done with no database connection open;
3. check and write the calls in small transactions (``BATCH`` calls each), so
   a crash loses at most the batch in progress and readers get in between;
4. import ``requests`` and ``readings`` (upsert), one short transaction each;
5. if a call or a record changed, in one transaction: flag the calls started while another
   call of the same operator was going on (clause 15.13, ``overlap``), relink every record,
   and classify the reasons of new request texts (clause 20, ``reasons``).

Calls whose ``transcript_path`` names a Parquet file carry their check
results ready-made (``analytics/ingest/prechecked.py``).

Every bad input is one ``on_error`` line naming the file (and row); the rest is
processed.  Running it twice stores nothing twice.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from analytics.config import Config
from analytics.ingest import linking, overlap, prechecked, reasons, records, scoring
from analytics.storage import calls_store, store
from core import clock, workdays
from core.errors import OkaError
from transcription.schema import CheckResult, Transcript

log = logging.getLogger(__name__)

BATCH = 25

OnError = Callable[[str], None]


@dataclass
class IngestReport:
    """What an ingest did, for the CLI's closing line and for tests."""

    calls_stored: int = 0
    calls_skipped: int = 0
    calls_rechecked: int = 0
    calls_failed: int = 0
    records: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # table -> (valid, inserted, updated)
    rejected: int = 0
    links: dict[str, int] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    overlaps: int | None = None  # calls started while another call of the operator went on (None: not recounted)
    calls_resent: int = 0  # --cluster: calls sent to another actor after the one holding them died
    rule_set: str | None = None  # the rule versions new calls are judged by (rules/versions.py)
    recheck: object | None = None  # the re-check of stored calls after a rulebook edit (analytics/ingest/recheck.py)

    @property
    def processed(self) -> int:
        """Inputs handled successfully (stored, re-checked, skipped as known, records loaded)."""
        return (self.calls_stored + self.calls_skipped + self.calls_rechecked
                + sum(valid for valid, _, _ in self.records.values()))

    def summary(self) -> str:
        calls = (f"calls: {self.calls_stored} stored, {self.calls_rechecked} re-checked, "
                 f"{self.calls_skipped} unchanged, {self.calls_failed} failed")
        if self.calls_resent:
            calls += f" ({self.calls_resent} sent again after a cluster actor was lost)"
        parts = [calls]
        if self.recheck is not None:
            parts.insert(0, self.recheck.summary())
        for table, (valid, ins, upd) in self.records.items():
            parts.append(f"{table}: {ins} new, {upd} updated, {valid - ins - upd} unchanged")
        if self.links:
            methods = ", ".join(f"{k} {v}" for k, v in sorted(self.links.items()))
            parts.append(f"links: {methods}")
        if self.changes:
            parts.append(f"changed records: {len(self.changes)} (previous versions in record_history)")
        parts.append(f"rejected rows: {self.rejected}")
        return "; ".join(parts)


@dataclass
class _Todo:
    """One call of calls.csv that needs work."""

    row: dict
    source_hash: str
    transcript: Transcript | None = None
    audio: Path | None = None
    asr_model: str | None = None


def _file_hash(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _row_hash(row: dict, file_hash: str) -> str:
    text = "\x1f".join("" if row[c] is None else str(row[c]) for c in records.CALLS.columns)
    return hashlib.sha256(f"{text}\x1e{file_hash}".encode()).hexdigest()


def default_checker():
    from rules.engine import Checker

    return Checker.default()


class _LazyChecker:
    """``Checker.default()``, loaded on first use: the rulebook takes a moment to compile."""

    _checker = None
    lazy_default = True  # analytics/ingest/recheck.py: the rulebook in use, loaded when needed

    def get(self):
        return self._get()

    def _get(self):
        if self._checker is None:
            self._checker = default_checker()
        return self._checker

    @property
    def version(self) -> str:
        return self._get().version

    @property
    def rulebook(self):
        """The rulebook in use, read without compiling it when nothing has needed the checker yet."""
        if self._checker is None:
            from rules.rulebook import Rulebook

            return Rulebook.load()
        return self._checker.rulebook

    def check(self, transcript: Transcript) -> CheckResult:
        return self._get().check(transcript)


def ingest(data_dir: Path, db_path: Path, cfg: Config | None = None, on_error: OnError | None = None,
           checker=None) -> IngestReport:
    """Load ``data_dir`` into ``db_path``; see the module docstring.

    ``checker`` defaults to the rulebook's ``Checker.default()``; tests may pass
    another object with ``.version`` and ``.check(transcript) -> CheckResult``.
    """
    data_dir, db_path = Path(data_dir), Path(db_path)
    cfg = cfg or Config()
    report = IngestReport()

    def reject(message: str) -> None:
        report.rejected += 1
        if on_error:
            on_error(message)

    files = {name: records.find_file(data_dir, name) for name in records.SPECS}
    if not any(files.values()):
        raise OkaError(f"{data_dir}: no calls.csv, requests.csv or readings.csv (or .xlsx) here")
    store.init(db_path)
    for name in records.SPECS:   # data given twice is not silently left out
        if line := records.unread_file(data_dir, name):
            reject(line)
    if checker is None:  # loaded only when a transcript needs checking (pre-checked calls do not)
        checker = _LazyChecker()

    try:
        from analytics.ingest import recheck

        # a rulebook edited since the stored calls were judged: they follow it first (only the rules changed)
        report.rule_set, report.recheck = recheck.follow_rulebook(db_path, checker, reject)
        if files["calls"]:
            _ingest_calls(files["calls"], data_dir, db_path, cfg, checker, report, reject)
        for name in ("requests", "readings"):
            if files[name]:
                _ingest_records(files[name], records.SPECS[name], db_path, report, reject)
        with store.connect(db_path) as con:
            con.begin()
            if linking.is_stale(con) or report.calls_rechecked or overlap.is_stale(con):
                # a re-check rewrote the calls' findings (a finding takes the rulebook's weight off the score), or
                # the stored overlaps were judged by another release of analytics/ingest/overlap.py
                report.overlaps = overlap.refresh(con, lambda: scoring.of(checker.rulebook))
            report.links = linking.link(con) if linking.is_stale(con) else linking.summary(con)
            unknown = linking.unknown_call_ids(con, 5) if report.links.get("unknown_call") else []
            reasons.refresh(con)
            con.commit()
    except duckdb.Error as e:  # what is committed stays; the message says where it stopped
        raise store.StoreError(f"{db_path}: writing failed ({str(e).splitlines()[0]}); "
                               f"{report.calls_stored} call(s) were stored before it") from e
    if report.links.get("unknown_call"):   # named, so that they can be found in the records' files
        n = report.links["unknown_call"]
        named = ", ".join(f"{kind} {rid} (call_id {cid})" for kind, rid, cid in unknown)
        log.warning("%s record(s) name a call_id that is not stored, so they are linked by time until that call "
                    "is ingested: %s%s", n, named, f" and {n - len(unknown)} more" if n > len(unknown) else "")
    return report


# --- records ---------------------------------------------------------------

def _ingest_records(path: Path, spec: records.TableSpec, db_path: Path, report: IngestReport, reject) -> None:
    try:
        loaded = records.load_file(path, spec)
    except records.RecordsError as e:
        reject(str(e))
        return
    for r in loaded.rejects:
        reject(r.line())
    with store.connect(db_path) as con:
        con.begin()
        changes: list[records.Change] = []
        inserted, updated = records.upsert(con, spec, loaded.frame, changes, loaded.given)
        for change in changes:   # not a reject: the new version is stored, the old one kept in record_history
            log.warning("%s", change.line(loaded.file))
            report.changes.append(change.line(loaded.file))
        report.records[spec.name] = (loaded.frame.height, inserted, updated)
        if inserted or updated:
            linking.mark_stale(con)
        if spec is records.REQUESTS and loaded.frame.height:  # the calendar must cover every due day
            first, last = loaded.frame["created_at"].min(), loaded.frame["created_at"].max()
            workdays.materialise(con, min(workdays.FIRST_YEAR, first.year), max(workdays.LAST_YEAR, last.year))
        records.store_rejects(con, loaded.file, loaded.rejects)
        con.commit()


# --- calls -----------------------------------------------------------------

def _ingest_calls(path: Path, data_dir: Path, db_path: Path, cfg: Config, checker, report: IngestReport,
                  reject) -> None:
    try:
        loaded = records.load_file(path, records.CALLS)
    except records.RecordsError as e:
        reject(str(e))
        return
    for r in loaded.rejects:
        reject(r.line())
    file_rejects = list(loaded.rejects)

    pre = prechecked.is_prechecked(loaded.frame)
    if pre.any():
        stored, unchanged = prechecked.ingest(loaded.frame.filter(pre), loaded.file, data_dir, db_path, reject)
        report.calls_stored += stored
        report.calls_skipped += unchanged
        loaded.frame = loaded.frame.filter(~pre)

    with store.connect(db_path, read_only=True) as con:
        known = {cid: (h, rb) for cid, h, rb in
                 con.execute("SELECT call_id, source_hash, rulebook FROM calls").fetchall()}

    todo: list[_Todo] = []
    recheck: list[str] = []
    for row in loaded.frame.iter_rows(named=True):
        rel = row["transcript_path"] or row["audio_path"]
        media = data_dir / rel
        where = f"{loaded.file}: row {row['_row']}"
        if media.exists() and not media.resolve().is_relative_to(Path(data_dir).resolve()):
            what = "transcript_path" if row["transcript_path"] else "audio_path"   # a symbolic link out of it
            file_rejects.append(records.Reject(loaded.file, row["_row"], f"{what} {rel} is not inside the data folder"))
            reject(f"{where}: {what} {rel} is not inside the data folder")
            report.calls_failed += 1
            continue
        if not media.is_file():
            what = "transcript_path" if row["transcript_path"] else "audio_path"
            file_rejects.append(records.Reject(loaded.file, row["_row"], f"{what} {rel} not found"))
            reject(f"{where}: {what} {rel} not found")
            report.calls_failed += 1
            continue
        source_hash = _row_hash(row, _file_hash(media))
        stored = known.get(row["call_id"])
        if stored and stored[0] == source_hash:
            if stored[1] == checker.version:
                report.calls_skipped += 1
            else:
                recheck.append(row["call_id"])
            continue
        item = _Todo(row=row, source_hash=source_hash)
        if row["transcript_path"]:
            try:
                item.transcript = Transcript.load(media)
            except OkaError as e:
                file_rejects.append(records.Reject(loaded.file, row["_row"], str(e)))
                reject(f"{where}: {e}")
                report.calls_failed += 1
                continue
            if item.transcript.call_id != row["call_id"]:   # the row names the call (and its records' links)
                log.warning("%s: %s names call_id %s; the row's %s is used", where, rel, item.transcript.call_id,
                            row["call_id"])
        else:
            item.audio = media
        todo.append(item)

    def failed(t: _Todo, message: str, *, checking: bool = False) -> None:
        """A call that could not be transcribed or checked: one line, kept among the file's rejects."""
        bad = records.Reject(loaded.file, t.row["_row"], message)
        file_rejects.append(bad)
        reject(bad.line() if checking else message)
        report.calls_failed += 1

    if cfg.cluster.address and todo:  # nothing new: no cluster to join
        from analytics.ingest import cluster  # Ray is imported on this path only

        rows = cluster.call_rows(todo, db_path, cfg, checker, failed, report,
                                 check_on_actors=isinstance(checker, _LazyChecker),
                                 row=lambda t, result: _row(t, result, report.rule_set))
    else:
        rows = _local_rows(todo, db_path, cfg, checker, failed, reject, report, loaded.file, file_rejects)
    _store(rows, db_path, report)

    for batch in _chunks(recheck, BATCH):
        _recheck(batch, db_path, checker)
        report.calls_rechecked += len(batch)

    with store.connect(db_path) as con:
        records.store_rejects(con, loaded.file, file_rejects)


def _transcribe(todo: list[_Todo], db_path: Path, cfg: Config, reject,
                report: IngestReport) -> list[tuple[_Todo, str]]:
    """Fill in the transcripts of the calls given as audio; returns the failures with their message."""
    audio = [t for t in todo if t.audio is not None]
    if not audio:
        return []
    from rules.rulebook import operator_greeting
    from transcription.batch import transcribe_files

    out_dir = db_path.parent / "transcripts"
    base = dataclasses.replace(cfg.transcription, operator_greeting=operator_greeting())  # the rulebook's list
    errors: list[str] = []

    def on_error(message: str) -> None:  # an unreadable recording: one line naming it; the other calls go on
        errors.append(message)
        reject(message)

    # calls.csv may give each call its channel layout; the batch takes one per run.
    by_audio = {}
    for layout in sorted({t.row["layout"] or "" for t in audio}):
        group = [t for t in audio if (t.row["layout"] or "") == layout]
        opts = dataclasses.replace(base, layout=layout) if layout else base
        results = transcribe_files([t.audio for t in group], out_dir, opts,
                                   call_ids=[t.row["call_id"] for t in group], on_error=on_error)
        by_audio |= {Path(r.audio).resolve(): r for r in results}
    failed = []
    for t in audio:
        r = by_audio.get(t.audio.resolve())
        if r is None:
            report.calls_failed += 1
            said = [m for m in errors if str(t.audio) in m]
            failed.append((t, said[0] if said else f"{t.audio}: not transcribed"))
            continue
        t.transcript = r.transcript
        t.asr_model = r.model
    return failed


def _local_rows(todo: list[_Todo], db_path: Path, cfg: Config, checker, failed, reject, report: IngestReport,
                file: str, file_rejects: list) -> Iterator[dict]:
    """The calls of ``todo`` transcribed (this process and its worker processes) and checked, as rows to store."""
    for t, message in _transcribe(todo, db_path, cfg, reject, report):
        file_rejects.append(records.Reject(file, t.row["_row"], message))
    for t in todo:
        if t.transcript is None:
            continue
        try:
            row = _checked(t, checker, report.rule_set)
        except Exception as e:  # one transcript the rulebook trips on must not stop the rest
            log.debug("checking %s failed", t.row["call_id"], exc_info=True)
            failed(t, f"checking call {t.row['call_id']} failed: {e}", checking=True)
            continue
        yield row


def _store(rows: Iterable[dict | None], db_path: Path, report: IngestReport) -> None:
    """Write the rows in transactions of ``BATCH`` calls (sooner where a ``None`` says nothing more came for a
    while), so a crash loses at most the batch in hand and readers get in between."""
    batch: list[dict] = []

    def flush() -> None:
        with store.connect(db_path) as con:
            con.begin()
            calls_store.write_calls(con, batch)
            linking.mark_stale(con)
            con.commit()
        report.calls_stored += len(batch)
        log.info("stored %s call(s)", report.calls_stored)
        batch.clear()

    for row in rows:
        if row is not None:
            batch.append(row)
        if batch and (row is None or len(batch) >= BATCH):
            flush()
    if batch:
        flush()


def _chunks(items: list, n: int) -> Iterable[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _checked(t: _Todo, checker, rule_set: str | None = None) -> dict:
    t.transcript.call_id = t.row["call_id"]
    return _row(t, checker.check(t.transcript), rule_set)


def _row(t: _Todo, result: CheckResult, rule_set: str | None = None) -> dict:
    """What ``calls_store.write_calls`` stores for one checked call (``rule_set``: rules/versions.py)."""
    tr = t.transcript
    tr.call_id = t.row["call_id"]
    started = t.row["started_at"]
    return {
        "transcript": tr, "result": result,
        "call": {
            "call_id": tr.call_id, "started_at": started,
            "ended_at": started + dt.timedelta(seconds=tr.duration_s),
            "duration_s": tr.duration_s, "operator_id": t.row["operator_id"],
            "operator_name": t.row["operator_name"], "audio_path": t.row["audio_path"],
            "transcript_path": t.row["transcript_path"],
            "layout": tr.layout, "language": result.language, "topic": result.topic, "score": result.score,
            "rulebook": result.rulebook, "asr_model": t.asr_model,
            "content_hash": hashlib.sha256(tr.to_json().encode()).hexdigest(),
            "ingested_at": clock.now(), "source_hash": t.source_hash,
            "rule_set": rule_set,
        },
    }


def _recheck(call_ids: list[str], db_path: Path, checker) -> None:
    """Run the current rulebook on stored transcripts and replace their topic, score and findings."""
    with store.connect(db_path, read_only=True) as con:
        transcripts = [calls_store.stored_transcript(con, cid) for cid in call_ids]
    results, checked = [], []
    for tr in transcripts:
        try:
            results.append(checker.check(tr))
            checked.append(tr)
        except Exception as e:  # noqa: BLE001 - keep the old verdict of a transcript the rulebook trips on
            log.warning("re-checking %s failed (%s); its previous findings are kept", tr.call_id, e)
    call_ids = [r.call_id for r in results]
    with store.connect(db_path) as con:
        con.begin()
        verdicts = calls_store.verdict_tables(con, [(r.call_id, r) for r in results])   # (before the old go)
        calls_store.delete_calls(con, ("findings", "uncertain_findings", "not_assessed", "call_readings",
                                       "heard_numbers"), call_ids)
        for r in results:
            con.execute("UPDATE calls SET topic = ?, topics = ?, score = ?, rulebook = ? WHERE call_id = ?",
                        [r.topic, list(r.topics), r.score, r.rulebook, r.call_id])
        for table, rows in verdicts.items():
            calls_store.insert(con, table, rows)
        calls_store.insert(con, "heard_numbers", [row for tr, r in zip(checked, results, strict=True)
                                                  for row in calls_store.heard_rows(tr, r)])
        con.commit()
