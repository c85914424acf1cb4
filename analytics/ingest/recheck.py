"""``oka-qa recheck``: after a rulebook edit, re-judge the stored calls by the rules the edit changed, only.

Every stored call records the versions of the rules that judged it
(``calls.rule_set`` → ``rule_sets``, fingerprints of ``rules/versions.py``).  A
re-check compares them with the rulebook in use and, per call:

* nothing changed — nothing is done (the call is not even read);
* only weights, the score's start/floor or the edition changed — the score is
  recomputed from the stored findings (``rescore``), nothing is matched again;
* some rules changed — only those run again (``Checker.check_rules``) over the
  stored transcript, with the stored topic; their findings, uncertain findings
  and not-assessed rows are replaced, a rule gone from the rulebook loses its;
* the shared part changed (topics, readings, packaged word lists, the program's
  code or its word libraries: a new release, ``rules/versions.py``), the old
  versions are unknown (a call stored before this existed, or pre-checked
  elsewhere), or the operator's markers changed and the call's roles come
  from them — the whole check runs again (topic, readings, every rule).

A finding found again keeps its idx, so its reviews stay on it; a reviewed
finding no longer found leaves its reviews in the history (``review_events``
is append-only) and is listed in ``recheck_orphans`` and the report.

The work: the driver (this process, DuckDB's only writer) exports the chunks of
calls to Parquet, worker processes (one per core) judge a chunk each
(``recheck_work.judge_chunk``), and the driver writes each chunk's rows in one
transaction — so a crash keeps every finished chunk (its calls carry the new
rule set) and a re-run does only what is left.  A progress bar shows on a
terminal.  ``oka-qa ingest`` runs the same at its start, so new calls and stored
ones are judged by one rulebook (``follow_rulebook``).
"""
from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from analytics.ingest import linking
from analytics.ingest import scoring as scoring_
from analytics.ingest.recheck_work import Chunk, Out, init, judge_chunk
from analytics.storage import calls_store, finding_ids, store
from core.errors import OkaError
from core.processes import workers_skip_main
from rules.number_agreement import agreed

log = logging.getLogger(__name__)

CHUNK = 10_000         # calls per chunk: a worker's unit and the driver's transaction
INLINE_BELOW = 200   # fewer calls to judge than this: no worker processes (they take a second or two to start)


@dataclass
class RecheckReport:
    """What a re-check did (``summary`` is the line the CLI prints)."""

    rules_changed: list[str] = field(default_factory=list)
    rules_removed: list[str] = field(default_factory=list)
    calls_by_rules: int = 0        # calls re-judged by the changed rules only
    calls_whole: int = 0           # calls checked whole again
    calls_rescored: int = 0        # calls whose score (weights) or edition only followed
    calls_unjudgeable: int = 0     # calls with no stored transcript (pre-checked elsewhere): left as they are
    verdicts_replaced: int = 0     # (call, rule) pairs whose verdicts were replaced
    failed_calls: list[tuple[str, str]] = field(default_factory=list)   # (call_id, why): old verdicts kept
    orphans: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def calls_judged(self) -> int:
        return self.calls_by_rules + self.calls_whole

    @property
    def nothing(self) -> bool:
        return not (self.calls_judged or self.calls_rescored or self.failed_calls)

    def summary(self) -> str:
        if self.nothing:
            line = "перепроверка: свод правил не менялся — перепроверять нечего"
        else:
            changed = ", ".join(self.rules_changed) or "—"
            line = (f"перепроверка: изменены правила: {changed}; звонков перепроверено по изменённым правилам: "
                    f"{self.calls_by_rules}, целиком: {self.calls_whole}, пересчитана только оценка: "
                    f"{self.calls_rescored}; вердиктов заменено: {self.verdicts_replaced}; "
                    f"{f'{self.seconds:.1f}'.replace('.', ',')} с")
            if self.rules_removed:
                line += f"; удалены правила: {', '.join(self.rules_removed)}"
        if self.calls_unjudgeable:
            line += f"; без сохранённой расшифровки (не перепроверены): {self.calls_unjudgeable}"
        if self.orphans:
            line += f"; проверенных аудитором нарушений больше не найдено: {len(self.orphans)}"
        if self.failed_calls:
            line += f"; ошибок: {len(self.failed_calls)} (прежние вердикты сохранены)"
        return line


def default_checker():
    from rules.engine import Checker

    return Checker.default()


def _manifest(book):
    from rules import versions

    return versions.manifest(book)


def register(con, manifest) -> str:
    """Store ``manifest`` in ``rule_sets`` (once); returns its key."""
    key = manifest.key
    con.execute("INSERT INTO rule_sets SELECT ?, ?, now()::TIMESTAMP WHERE NOT EXISTS "
                "(SELECT 1 FROM rule_sets WHERE rule_set = ?)", [key, manifest.to_json(), key])
    return key


def rule_set_key(book) -> str:
    return _manifest(book).key


# --- planning -----------------------------------------------------------------------------------

_BY_MARKERS = """SELECT call_id FROM utterances GROUP BY call_id
                 HAVING NOT bool_or(speaker = 'operator') AND bool_or(speaker = 'unknown')"""


def _plan(con, new, key: str, everything: bool, report: RecheckReport):
    """(todo frame: call_id, rule_set, mode; rules to run per old rule set; removed rules per old rule set)."""
    from rules import versions

    groups = con.execute("""SELECT rule_set, count(*) FILTER (WHERE content_hash IS NOT NULL),
                                   count(*) FILTER (WHERE content_hash IS NULL)
                            FROM calls WHERE ? OR rule_set IS DISTINCT FROM ? GROUP BY rule_set""",
                         [everything, key]).fetchall()
    stored = dict(con.execute("SELECT rule_set, manifest FROM rule_sets").fetchall())
    rules_of, removed_of, modes = {}, {}, {}
    changed, removed = set(), set()
    by_markers_needed = False
    for rule_set, judgeable, unjudgeable in groups:
        report.calls_unjudgeable += unjudgeable
        if not judgeable:
            continue
        old = None if everything or rule_set not in stored else versions.Manifest.from_json(stored[rule_set])
        p = versions.plan(old, new)
        group = "" if rule_set is None else rule_set
        rules_of[group] = None if p.rules is None else tuple(sorted(p.rules))
        removed_of[group] = tuple(sorted(p.removed))
        changed |= set(new.rules) if p.rules is None else set(p.rules)
        removed |= p.removed
        if p.rules is None:
            modes[group] = ("full", "full")
        else:
            run = "rules" if (p.rules or p.removed) else "score"
            modes[group] = ("full" if p.roles_changed else run, run)   # (calls whose roles come from markers, others)
            by_markers_needed |= p.roles_changed
    report.rules_changed, report.rules_removed = sorted(changed), sorted(removed)
    if not modes:
        return pl.DataFrame(schema={"call_id": pl.String, "rule_set": pl.String, "mode": pl.String}), {}, {}
    marker_sql = f"c.call_id IN ({_BY_MARKERS})" if by_markers_needed else "false"
    todo = con.sql(f"""SELECT c.call_id, coalesce(c.rule_set, '') AS rule_set, {marker_sql} AS by_markers
                       FROM calls c WHERE (? OR c.rule_set IS DISTINCT FROM ?) AND c.content_hash IS NOT NULL
                       ORDER BY c.call_id""", params=[everything, key]).pl()
    mode_frame = pl.DataFrame({"rule_set": list(modes), "marked": [m[0] for m in modes.values()],
                               "plain": [m[1] for m in modes.values()]})
    todo = todo.join(mode_frame, on="rule_set", how="left").select(
        "call_id", "rule_set", pl.when(pl.col("by_markers")).then("marked").otherwise("plain").alias("mode"))
    return todo, rules_of, removed_of


# --- export, write ------------------------------------------------------------------------------

def _export(con, todo: pl.DataFrame, folder: Path) -> None:
    """Each chunk's calls, transcripts and stored verdicts as Parquet files, partitioned by chunk."""
    con.register("todo_in", todo)
    con.execute("CREATE OR REPLACE TEMP TABLE todo AS SELECT * FROM todo_in")
    con.unregister("todo_in")
    parts = {
        "calls": f"""
            SELECT t.chunk, c.call_id, t.mode, t.rule_set, c.duration_s, c.language, c.layout, c.topic,
                   coalesce(n.next_finding, 0) AS next_finding, coalesce(n.next_uncertain, 0) AS next_uncertain,
                   n.confirmed_from, n.confirmed_to
            FROM todo t JOIN calls c USING (call_id)
            LEFT JOIN ({finding_ids.numbering("SELECT call_id FROM todo")}) n USING (call_id)
            WHERE t.mode <> 'score'""",
        "utterances": """
            SELECT t.chunk, u.* FROM utterances u JOIN todo t USING (call_id) WHERE t.mode <> 'score'""",
        "findings": """
            SELECT t.chunk, f.* FROM findings f JOIN todo t USING (call_id) WHERE t.mode <> 'score'""",
        "uncertain": """
            SELECT t.chunk, f.* FROM uncertain_findings f JOIN todo t USING (call_id) WHERE t.mode <> 'score'""",
    }
    for name, sql in parts.items():
        con.execute(f"COPY ({sql}) TO '{folder / name}' (FORMAT parquet, PARTITION_BY (chunk), OVERWRITE_OR_IGNORE)")


def _frame(rows: list[dict], table: str) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=calls_store._FRAME_SCHEMAS[table], orient="row")


def _write(db_path: Path, out: Out, key: str, edition: str, scoring: dict, report: RecheckReport) -> None:
    """One chunk's verdicts into the store, in one transaction."""
    if not out.done:
        return
    ingest_rules = scoring["ingest_rules"]
    with store.connect(db_path) as con:
        con.begin()
        con.register("judged", pl.DataFrame(out.judged, schema={"call_id": pl.String, "rule": pl.String}))
        con.register("new_f", _frame(out.findings, "findings"))
        con.register("new_u", _frame(out.uncertain, "uncertain_findings"))
        con.register("ingest_rules", pl.DataFrame({"rule": sorted(ingest_rules)}, schema={"rule": pl.String}))
        # a chunk's calls are a range of call ids: the range lets each statement skip the rest of a big table
        span = [min(out.done), max(out.done)]
        orphans = con.execute("""
            SELECT 'finding' AS kind, f.call_id, f.idx, f.rule, f.evidence, r.verdict
            FROM findings f SEMI JOIN judged j ON j.call_id = f.call_id AND j.rule = f.rule
            ANTI JOIN new_f n ON n.call_id = f.call_id AND n.idx = f.idx
            LEFT JOIN reviews r ON r.call_id = f.call_id AND r.idx = f.idx
            WHERE f.call_id BETWEEN ? AND ? AND f.rule NOT IN (SELECT rule FROM ingest_rules)
              AND EXISTS (SELECT 1 FROM review_events e WHERE e.call_id = f.call_id AND e.idx = f.idx)
            UNION ALL
            SELECT 'uncertain', u.call_id, u.idx, u.rule, u.evidence, ur.verdict
            FROM uncertain_findings u SEMI JOIN judged j ON j.call_id = u.call_id AND j.rule = u.rule
            ANTI JOIN new_u n ON n.call_id = u.call_id AND n.idx = u.idx
            JOIN uncertain_reviews ur ON ur.call_id = u.call_id AND ur.idx = u.idx
            WHERE u.call_id BETWEEN ? AND ?
            ORDER BY 2, 1, 3""", span + span).fetchall()
        for kind, cid, idx, rule, evidence, verdict in orphans:
            con.execute("INSERT INTO recheck_orphans VALUES (now()::TIMESTAMP, ?, ?, ?, ?, ?, ?)",
                        [cid, idx, kind, rule, evidence, verdict])
            report.orphans.append({"call_id": cid, "idx": idx, "kind": kind, "rule": rule, "evidence": evidence,
                                   "verdict": verdict})
        keep_ingest = "AND t.rule NOT IN (SELECT rule FROM ingest_rules)"
        for table, extra in (("findings", keep_ingest), ("uncertain_findings", keep_ingest), ("not_assessed", "")):
            con.execute(f"DELETE FROM {table} t USING judged j WHERE t.call_id BETWEEN ? AND ? "
                        f"AND t.call_id = j.call_id AND t.rule = j.rule {extra}", span)
        calls_store.insert(con, "findings", out.findings)
        calls_store.insert(con, "uncertain_findings", out.uncertain)
        calls_store.insert(con, "not_assessed", out.not_assessed)
        if out.calls:   # the whole check: topic, readings and the confidence of what was heard
            whole = pl.DataFrame(out.calls, schema={"call_id": pl.String, "topic": pl.String,
                                                    "topics": pl.List(pl.String), "language": pl.String})
            con.register("whole", whole)
            con.execute("UPDATE calls SET topic = w.topic, topics = w.topics, language = w.language "
                        "FROM whole w WHERE calls.call_id BETWEEN ? AND ? AND calls.call_id = w.call_id", span)
            calls_store.delete_calls(con, ("call_readings", "heard_numbers"), whole["call_id"].to_list())
            calls_store.insert(con, "call_readings", out.readings)
            calls_store.insert(con, "heard_numbers", out.heard)
            con.unregister("whole")
            linking.mark_stale(con)
        _settle(con, pl.DataFrame({"call_id": out.done}), key, edition, scoring)
        for name in ("judged", "new_f", "new_u", "ingest_rules"):
            con.unregister(name)
        con.commit()
    report.verdicts_replaced += len(out.judged)


def _settle(con, done: pl.DataFrame, key: str, edition: str, scoring: dict) -> None:
    """The calls of ``done`` are judged by rule set ``key``: their edition follows, their score is recomputed
    from their findings (:func:`analytics.ingest.scoring.rescore`; a rule found at ingest counts too)."""
    con.register("done", done)
    span = [done["call_id"].min(), done["call_id"].max()]   # a range of call ids (see _write)
    con.execute("UPDATE calls SET rule_set = ?, rulebook = ? FROM done d WHERE calls.call_id BETWEEN ? AND ? "
                "AND calls.call_id = d.call_id", [key, edition, *span])
    for table in ("findings", "uncertain_findings"):
        con.execute(f"UPDATE {table} SET rulebook = ? FROM done d WHERE {table}.call_id BETWEEN ? AND ? "
                    f"AND {table}.call_id = d.call_id AND {table}.rulebook IS DISTINCT FROM ?",
                    [edition, *span, edition])
    con.unregister("done")
    scoring_.rescore(con, done, scoring["score"])


def _in_workers(stack: contextlib.ExitStack, jobs: list[Chunk], workers: int, rulebook: str) -> Iterator[Out]:
    """The chunks judged in spawned worker processes, as each comes back; a worker that dies is one error."""
    pool = stack.enter_context(ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=init,
        initargs=(rulebook,)))
    stack.callback(pool.shutdown, wait=True, cancel_futures=True)
    with workers_skip_main():   # the workers start as the jobs are submitted
        futures = [pool.submit(judge_chunk, job) for job in jobs]
    for fut in as_completed(futures):
        try:
            yield fut.result()
        except BrokenProcessPool as e:
            raise OkaError(f"a re-check worker died ({e}); run `oka-qa recheck --workers 1` to see why") from e


def _run(db_path: Path, run: pl.DataFrame, checker, plan: Chunk, key: str, scoring: dict, workers: int | None,
         progress: bool | None, report: RecheckReport) -> None:
    """Export the chunks, judge them (in worker processes when it pays), write each as it comes back."""
    workers = max(1, workers or os.cpu_count() or 1)
    chunks = sorted(run["chunk"].unique().to_list())
    folder = Path(tempfile.mkdtemp(prefix=".recheck-", dir=db_path.parent))   # transcripts: private, beside the db
    bar = _Bar(run.height, sys.stderr.isatty() if progress is None else progress)
    try:
        with store.connect(db_path) as con:
            _export(con, run, folder)
        jobs = [Chunk(folder, n, plan.rules_of, plan.removed_of, plan.ingest_rules, plan.edition, key)
                for n in chunks]
        with contextlib.ExitStack() as stack:
            if workers == 1 or run.height < INLINE_BELOW:
                results = (judge_chunk(job, checker) for job in jobs)
            else:
                results = _in_workers(stack, jobs, min(workers, len(jobs)), str(checker.rulebook.path))
            for out in results:
                _write(db_path, out, key, plan.edition, scoring, report)
                report.failed_calls += out.failed
                bar.update(len(out.done) + len(out.failed))
    finally:
        bar.close()
        shutil.rmtree(folder, ignore_errors=True)


# --- the run ------------------------------------------------------------------------------------

class _Bar:
    """tqdm on a terminal (a plain counter on stderr without tqdm); nothing when stderr is not one."""

    def __init__(self, total: int, show: bool) -> None:
        self.total, self.n, self.show, self._tqdm = total, 0, show and total > 0, None
        if self.show:
            try:
                from tqdm import tqdm
            except ImportError:
                return
            self._tqdm = tqdm(total=total, unit=" зв.", desc="Перепроверка", file=sys.stderr, smoothing=0.1)

    def update(self, k: int) -> None:
        self.n += k
        if self._tqdm is not None:
            self._tqdm.update(k)
        elif self.show:
            calls = agreed(self.total, "звонок", "gent")
            print(f"\rПерепроверка: {self.n} из {self.total} {calls}", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._tqdm is not None:
            self._tqdm.close()
        elif self.show:
            print(file=sys.stderr)


def recheck(db_path: Path, checker=None, workers: int | None = None, progress: bool | None = None,
            everything: bool = False, on_error: Callable[[str], None] | None = None,
            chunk_calls: int = CHUNK) -> RecheckReport:
    """Bring every stored call in line with ``checker``'s rulebook (default: the rulebook in use).

    workers: processes judging chunks (default: one per core; 1: in this process); progress: the bar
    (default: when stderr is a terminal); everything: judge every call whole again, whatever the fingerprints say.
    """
    t0 = time.perf_counter()
    db_path = Path(db_path)
    checker = checker or default_checker()
    book = checker.rulebook
    new = _manifest(book)
    report = RecheckReport()
    with store.connect(db_path, read_only=True):
        pass   # a missing database: one line saying to ingest first
    store.init(db_path)
    with store.connect(db_path) as con:
        key = register(con, new)
        todo, rules_of, removed_of = _plan(con, new, key, everything, report)
    if todo.is_empty():
        report.seconds = time.perf_counter() - t0
        return report
    from rules.versions import INGEST_DETECTORS

    ingest_rules = frozenset(r.id for r in book.rules if r.detector in INGEST_DETECTORS)
    scoring = {"ingest_rules": ingest_rules, "score": scoring_.of(book)}
    score_only = todo.filter(pl.col("mode") == "score")
    for start in range(0, score_only.height, 200_000):
        with store.connect(db_path) as con:
            con.begin()
            _settle(con, score_only.slice(start, 200_000).select("call_id"), key, book.edition, scoring)
            con.commit()
    report.calls_rescored = score_only.height
    run = todo.filter(pl.col("mode") != "score").with_row_index("i").with_columns(
        (pl.col("i") // chunk_calls).cast(pl.Int64).alias("chunk")).drop("i")
    if run.height:
        _run(db_path, run, checker, Chunk(Path(), 0, rules_of, removed_of, ingest_rules, book.edition), key,
             scoring, workers, progress, report)
    full = set(run.filter(pl.col("mode") == "full")["call_id"].to_list())
    failed = {cid for cid, _ in report.failed_calls}
    report.calls_whole = len(full - failed)
    report.calls_by_rules = run.height - len(full) - len(failed - full)
    with store.connect(db_path) as con:
        if linking.is_stale(con):   # the whole check changed topics or dictated values: links follow
            con.begin()
            linking.link(con)
            con.commit()
    for cid, why in report.failed_calls:
        if on_error:
            on_error(f"{db_path}: call {cid}: re-checking failed ({why}); its previous verdicts are kept")
    report.seconds = time.perf_counter() - t0
    log.info("%s", report.summary())
    return report


def follow_rulebook(db_path: Path, checker, on_error: Callable[[str], None] | None = None
                    ) -> tuple[str | None, RecheckReport | None]:
    """At the start of ``oka-qa ingest``: the key of the rule set new calls are judged by, and the re-check of
    the stored calls when the rulebook changed since they were judged (None when nothing was to do).

    ``checker`` is the ingest's: the rulebook in use, loaded only if there is work (``lazy_default``), or a
    ``Checker``; a test's stand-in without a rulebook re-checks nothing here.
    """
    if getattr(checker, "lazy_default", False):
        from rules.rulebook import Rulebook

        book = Rulebook.load()
    elif hasattr(checker, "rulebook") and hasattr(checker, "check_rules"):
        book = checker.rulebook
    else:
        return None, None
    new = _manifest(book)
    with store.connect(db_path) as con:
        key = register(con, new)
        stale = con.execute("SELECT count(*) FROM calls WHERE rule_set IS DISTINCT FROM ? "
                            "AND content_hash IS NOT NULL", [key]).fetchone()[0]
    if not stale:
        return key, None
    real = checker.get() if getattr(checker, "lazy_default", False) else checker
    return key, recheck(db_path, real, on_error=on_error)
