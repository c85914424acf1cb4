"""One chunk of a re-check (``analytics/ingest/recheck.py``), run in a worker process: no database here.

The driver exports each chunk's stored transcripts and verdicts to Parquet;
:func:`judge_chunk` runs the rules each call needs again (``Checker.check_rules``,
or the whole ``Checker.check`` for a call marked ``full``) and returns the rows
that replace the old ones, as polars frames the driver writes.

A finding keeps its ``idx`` when the new run finds it again — same rule, speaker,
time span and evidence — so an auditor's review (``review_events``, keyed by
call and idx) stays on it; a new finding gets an idx the call never used,
neither in ``findings`` nor in any review, so an old review can never land on a
finding it was not about.  An uncertain finding an auditor confirmed was copied
into ``findings`` (``analytics/storage/uncertain.py``): the copy stays while the
run still finds the uncertain one.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from analytics.storage import calls_store
from analytics.storage.finding_ids import renumber
from core.errors import OkaError
from transcription.schema import CheckResult, Transcript, Utterance, Word

log = logging.getLogger(__name__)

_CHECKER = None   # the worker's rulebook, loaded once per process (``init``)
_KEY: str | None = None   # its rule set (rules/versions.py)
_INIT_ERROR: str | None = None


def init(rulebook_path: str) -> None:
    """Pool initialiser: load the rulebook once in this worker.  A failure is kept for the first chunk to
    report: a pool whose initialiser raises starts new workers for ever."""
    global _CHECKER, _KEY, _INIT_ERROR
    from rules.engine import Checker
    from rules.versions import manifest

    try:
        _CHECKER = Checker.load(rulebook_path)
        _KEY = manifest(_CHECKER.rulebook).key
    except OkaError as e:
        _INIT_ERROR = str(e)


class RecheckWorkerError(OkaError):
    """A worker could not load the rulebook (the message says why)."""


@dataclass
class Chunk:
    """Where the driver left one chunk, and what the run needs to know besides."""

    folder: Path
    number: int
    rules_of: dict[str, tuple[str, ...] | None]   # old rule set -> the rules to run again (None: the whole check)
    removed_of: dict[str, tuple[str, ...]]         # old rule set -> rules gone from the rulebook
    ingest_rules: frozenset[str] = frozenset()     # rules whose findings the store makes (left alone)
    edition: str = ""
    key: str = ""                                  # the rule set the driver records for the calls judged


@dataclass
class Out:
    judged: list[dict] = field(default_factory=list)        # (call_id, rule) whose verdicts are replaced
    findings: list[dict] = field(default_factory=list)
    uncertain: list[dict] = field(default_factory=list)
    not_assessed: list[dict] = field(default_factory=list)
    calls: list[dict] = field(default_factory=list)          # the whole check: topic, topics, language
    readings: list[dict] = field(default_factory=list)
    heard: list[dict] = field(default_factory=list)
    done: list[str] = field(default_factory=list)            # calls judged (their rule set moves on)
    failed: list[tuple[str, str]] = field(default_factory=list)


def _read(folder: Path, part: str, number: int) -> pl.DataFrame:
    where = folder / part / f"chunk={number}"
    files = sorted(where.glob("*.parquet")) if where.is_dir() else []
    return pl.concat([pl.read_parquet(f) for f in files], how="vertical_relaxed") if files else pl.DataFrame()


def _rows_by_call(frame: pl.DataFrame) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    if frame.height:
        for r in frame.iter_rows(named=True):
            out[r["call_id"]].append(r)
    return out


def _transcripts(utts: pl.DataFrame, meta: dict[str, dict]) -> dict[str, Transcript]:
    by_call: dict[str, list[Utterance]] = defaultdict(list)
    if utts.height:
        for r in utts.sort("call_id", "idx").iter_rows(named=True):
            words = r["words"]
            by_call[r["call_id"]].append(Utterance(
                r["speaker"], r["start"], r["end"], r["text"],
                None if words is None else [Word(w["w"], w["start"], w["end"], w["p"]) for w in words],
                r["avg_logprob"], r["no_speech_prob"], r.get("language")))
    return {cid: Transcript(cid, m["duration_s"], m["language"], m["layout"] or "mono", by_call.get(cid, []))
            for cid, m in meta.items()}


def judge_chunk(chunk: Chunk, checker=None) -> Out:
    """Judge one chunk; ``checker``: the driver's own when it runs the chunk itself."""
    if checker is None and _INIT_ERROR is not None:
        raise RecheckWorkerError(_INIT_ERROR)
    if checker is None and _KEY != chunk.key:   # the file was edited again while the re-check ran
        raise RecheckWorkerError(f"{_CHECKER.rulebook.path}: the rulebook changed during the re-check; "
                                 "run `oka-qa recheck` again (what was written so far is kept)")
    checker = checker or _CHECKER
    folder, n = chunk.folder, chunk.number
    meta = {r["call_id"]: r for r in _read(folder, "calls", n).iter_rows(named=True)}
    transcripts = _transcripts(_read(folder, "utterances", n), meta)
    old_found = _rows_by_call(_read(folder, "findings", n))
    old_unsure = _rows_by_call(_read(folder, "uncertain", n))
    all_rules = [r.id for r in checker.rules]
    out = Out()
    for cid, m in meta.items():
        tr = transcripts[cid]
        full = m["mode"] == "full"
        rules = None if full else chunk.rules_of.get(m["rule_set"])
        try:
            if full or rules is None:
                result: CheckResult = checker.check(tr)
                found, unsure, skipped = result.findings, result.uncertain, result.not_assessed
                rules = all_rules
            elif not rules:   # only rules gone from the rulebook: their verdicts go, nothing runs
                found, unsure, skipped = [], [], []
            else:
                v = checker.check_rules(tr, rules, m["topic"])
                found, unsure, skipped = v.findings, v.uncertain, v.not_assessed
        except Exception as e:  # one transcript the rulebook trips on keeps its old verdicts
            log.debug("re-checking %s failed", cid, exc_info=True)
            out.failed.append((cid, f"{type(e).__name__}: {e}"))
            continue
        judged = set(rules) | set(chunk.removed_of.get(m["rule_set"], ()))
        if full:  # rules gone from the rulebook go with the old verdicts
            judged |= {r["rule"] for r in [*old_found.get(cid, ()), *old_unsure.get(cid, ())]}
        out.judged += [{"call_id": cid, "rule": r} for r in sorted(judged)]
        matched = judged - chunk.ingest_rules
        found = [f for f in found if f.rule in matched]
        unsure = [f for f in unsure if f.rule in matched]
        confirmed = dict(zip(m["confirmed_from"] or [], m["confirmed_to"] or [], strict=True))
        f_rows, u_rows = renumber(cid, found, unsure, old_found.get(cid, []), old_unsure.get(cid, []), matched,
                                  m["next_finding"], m["next_uncertain"], confirmed, chunk.edition)
        out.findings += f_rows
        out.uncertain += u_rows
        out.not_assessed += [{"call_id": cid, "rule": s.rule, "reason": s.reason} for s in skipped]
        if full:
            out.calls.append({"call_id": cid, "topic": result.topic, "topics": list(result.topics),
                              "language": result.language})
            out.readings += calls_store.reading_rows(cid, result)
            out.heard += calls_store.heard_rows(tr, result)
        out.done.append(cid)
    return out
