"""Many recordings: cache, workers, progress, and errors that do not stop the batch.

``transcribe_files`` is what ``oka-qa transcribe`` and the ingest pipeline call.
Cached transcripts are reused; the rest are transcribed by one model in this
process (``workers == 1``) or by a pool of worker processes, each loading its
model once; each takes ``decode_together`` calls at a time, their windows decoded
together (:mod:`transcription.joint_decode`).  A file that cannot be decoded is
reported through ``on_error`` in one line and skipped.  Every finished call is
cached and written as soon as its group is done.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from core.errors import OkaError
from core.processes import workers_skip_main
from transcription.audio import AudioError, probe
from transcription.cache import TranscriptCache
from transcription.model import describe, pick_runtime, resolve_model
from transcription.options import TranscribeOptions
from transcription.schema import SchemaError, Transcript, check_call_id

log = logging.getLogger(__name__)

# automatic worker count stops here: each worker holds its own model (~0.6 GB)
MAX_AUTO_WORKERS = 4


@dataclass
class TranscribeResult:
    audio: Path             # the input file
    transcript: Transcript  # call_id set
    json_path: Path | None  # where it was written (None if out_dir is None)
    model: str              # model description stored with the call, e.g. "embedded-base/int8"
    cached: bool


def _log_error(message: str) -> None:
    log.error("%s", message)


@dataclass
class _Job:
    index: int
    path: Path
    call_id: str
    key: str
    duration_s: float


# --- worker processes: one model each, loaded by the initializer -----------------

_worker = None


def transcribers(opts: TranscribeOptions):
    """The transcribers of one process: ``decode_together`` calls at a time over one model
    (:mod:`transcription.joint_decode`)."""
    from transcription.joint_decode import Together
    from transcription.pipeline import Transcriber
    from transcription.recognize import Recognizer

    def make(o: TranscribeOptions, model):
        return Transcriber(o, None if model is None else Recognizer(o, model=model))

    return Together(opts, max(1, opts.decode_together), make)


def _init_worker(opts: TranscribeOptions) -> None:
    global _worker
    _worker = transcribers(opts)


def _outcome(path: Path, transcript, error: BaseException | None) -> tuple[dict | None, str | None]:
    """(transcript dict, None) or (None, error line); what is no error of the call's (an interrupt) is raised."""
    if error is None:
        return transcript.to_dict(), None
    return None, f"{path}: {failure(error, path)}"


def failure(error: BaseException, what) -> str:
    """The error line of a recording ``what`` that could not be transcribed, less its name; what is no error
    of the call's (an interrupt) is raised."""
    if not isinstance(error, Exception):
        raise error
    if isinstance(error, AudioError):
        return f"cannot decode audio: {error}"
    log.debug("transcription of %s failed", what, exc_info=error)
    return f"transcription failed: {error}"


def _run_group(items: list[tuple[Path, str]]) -> list[tuple[dict | None, str | None]]:
    """In a worker: each call's (transcript dict, None) or (None, error line), in order; the calls
    transcribed at the same time."""
    done = _worker.map(lambda t, item: t.transcribe(*item), items)
    return [_outcome(path, transcript, error) for (path, _), (transcript, error) in zip(items, done, strict=True)]


def _groups(jobs: list, workers: int, size: int) -> list[list]:
    """The jobs in runs of up to ``size`` (fewer where that keeps every worker busy)."""
    size = max(1, min(size, -(-len(jobs) // max(1, workers))))
    return [jobs[at:at + size] for at in range(0, len(jobs), size)]


def _progress(jobs: list[_Job]):
    from tqdm import tqdm

    total = sum(j.duration_s for j in jobs)
    return tqdm(total=round(total, 1), unit="s", file=sys.stderr, disable=None, dynamic_ncols=True,
                desc=f"transcribing 0/{len(jobs)} calls",
                bar_format="{desc} |{bar}| {n:.0f}/{total:.0f} s of audio [{elapsed}<{remaining}]")


def transcribe_files(paths: list[Path], out_dir: Path | None, opts: TranscribeOptions, *,
                     use_cache: bool = True, on_error: Callable[[str], None] = _log_error,
                     call_ids: list[str] | None = None) -> list[TranscribeResult]:
    """Transcribe ``paths`` into transcripts, in input order, skipping the ones that fail.

    call_id: the file stem, or ``call_ids[i]``.  Transcripts go to
    ``out_dir/<call_id>.json`` when ``out_dir`` is given.  Raises OkaError only
    for what stops every call (the model cannot be loaded, ``out_dir`` cannot be written).
    """
    paths = [Path(p) for p in paths]
    if call_ids is not None and len(call_ids) != len(paths):
        raise OkaError(f"{len(call_ids)} call ids for {len(paths)} recordings")
    if out_dir is not None:
        try:
            Path(out_dir).mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise OkaError(f"{out_dir}: cannot write transcripts ({e.strerror or e})") from e
    runtime = pick_runtime(opts)
    model = describe(opts, runtime)
    cache = TranscriptCache(Path(opts.cache_dir), opts, model)
    results: dict[int, TranscribeResult] = {}

    def finish(i: int, path: Path, transcript: Transcript, cached: bool, key: str | None) -> None:
        if key is not None and not cached:
            try:
                cache.put(key, transcript)
            except OSError as e:  # the transcript itself is still written below
                log.warning("%s: cannot write the transcript cache (%s)", cache.folder, e.strerror or e)
        try:
            json_path = transcript.write(Path(out_dir)) if out_dir is not None else None
        except OSError as e:
            raise OkaError(f"{out_dir}: cannot write transcripts ({e.strerror or e})") from e
        results[i] = TranscribeResult(path, transcript, json_path, model, cached)

    jobs: list[_Job] = []
    for i, path in enumerate(paths):
        call_id = call_ids[i] if call_ids is not None else path.stem
        try:   # the transcript is named after it: one line for this recording, the others go on
            check_call_id(call_id, str(path))
        except SchemaError as e:
            on_error(f"{e}; rename the file")
            continue
        try:
            key = cache.key(path)
        except OSError as e:
            on_error(f"{path}: cannot read: {e.strerror or e}")
            continue
        hit = cache.get(key, call_id) if use_cache else None
        if hit is not None:
            log.info("%s: cached transcript", path)
            finish(i, path, hit, True, key)
            continue
        try:
            duration = probe(path)[2] or 0.0
        except Exception:  # noqa: BLE001 - decoding reports the reason below
            duration = 0.0
        jobs.append(_Job(i, path, call_id, key, duration))

    if jobs:
        _transcribe_jobs(jobs, opts, cache, finish, on_error)
    return [results[i] for i in sorted(results)]


def _transcribe_jobs(jobs: list[_Job], opts: TranscribeOptions, cache: TranscriptCache, finish, on_error) -> None:
    workers = max(1, min(worker_count(opts), len(jobs)))
    bar = _progress(jobs)
    done = 0
    started = time.monotonic()
    audio_s = 0.0

    def advance(job: _Job) -> None:
        nonlocal done, audio_s
        done += 1
        audio_s += job.duration_s
        bar.set_description_str(f"transcribing {done}/{len(jobs)} calls, {audio_s / 3600:.2f} h audio")
        bar.update(round(job.duration_s, 1))

    try:
        if workers == 1:
            together = transcribers(opts)  # one model for the whole batch
            for group in _groups(jobs, 1, together.size):
                outcomes = together.map(lambda t, job: t.transcribe(job.path, job.call_id), group)
                for job, (transcript, error) in zip(group, outcomes, strict=True):
                    data, line = _outcome(job.path, transcript, error)  # an interrupt: the calls before it kept
                    if line:
                        on_error(line)
                    else:  # as a worker process sends it (and the cache keeps it): a call is stored alike either way
                        finish(job.index, job.path, Transcript.from_dict(data, source=str(job.path)), False, job.key)
                    advance(job)
        else:
            _pool(jobs, opts, workers, finish, on_error, advance)
    finally:
        bar.close()
    log.info("transcribed %d call(s), %.0f s of audio, in %.0f s", done, audio_s, time.monotonic() - started)


def cores() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(opts: TranscribeOptions) -> int:
    """``opts.workers``, or for 0: one per core (at most ``MAX_AUTO_WORKERS``) on CPU, one on a GPU."""
    if opts.workers > 0:
        return opts.workers
    if pick_runtime(opts).device == "cuda":
        return 1
    return max(1, min(cores(), MAX_AUTO_WORKERS))


def _pool(jobs, opts, workers, finish, on_error, advance) -> None:
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    resolve_model(opts.model)  # assemble and verify once here, so a bad model is one clear error
    threads = opts.cpu_threads or max(1, cores() // workers)
    worker_opts = replace(opts, cpu_threads=threads)
    ctx = multiprocessing.get_context("spawn")  # CTranslate2 and OpenMP do not survive fork
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(worker_opts,)) as pool:
        with workers_skip_main():  # the workers start as jobs are submitted
            futures = {pool.submit(_run_group, [(job.path, job.call_id) for job in group]): group
                       for group in _groups(jobs, workers, max(1, opts.decode_together))}
        for fut in as_completed(futures):
            group = futures[fut]
            try:
                outcomes = fut.result()
            except BrokenProcessPool as e:
                raise OkaError(f"a transcription worker died ({e}); run with --workers 1 to see why") from e
            for job, (data, error) in zip(group, outcomes, strict=True):
                if error:
                    on_error(error)
                else:
                    finish(job.index, job.path, Transcript.from_dict(data, source=str(job.path)), False, job.key)
                advance(job)
