"""``oka-qa ingest --cluster ADDRESS``: transcription and checking in Ray actors.

This module and :mod:`analytics.ingest.cluster_worker` are the only ones that import Ray; a plain
``ingest`` never loads them.  The driver (this process) does what it does in a plain ingest: it decides
what is new, looks up the transcript cache, and is the only writer of DuckDB.  What it hands out:

- a pool of :class:`~analytics.ingest.cluster_worker.CallWorker` actors, as many as the cluster's
  resources hold when the run starts (``[cluster] cpus_per_actor`` cores each on CPU; one per GPU with
  ``num_gpus=1`` and float16 where the cluster has GPUs), and more when nodes join during the run (the
  pool is measured against the cluster every ``GROW_S`` seconds); each loads the Whisper model once, on
  its first recording, and the rulebook once;
- the calls in groups, each group a task of one actor: each recording's bytes (no shared file system is
  needed), or, for a cached or given transcript, the transcript to be checked; a group holds up to
  ``decode_together`` calls on a CPU actor (fewer where that keeps every actor busy), one on a GPU actor;
  at most ``IN_FLIGHT`` groups per actor.

What comes back (transcript and check result, or the error line of a recording that cannot be decoded)
goes into the transcript cache and the transcripts folder at once and streams to the store, which writes
it in batches.  A call is stored once: a second answer for a call already answered is dropped.  When an
actor or its node dies, every call it held is sent to another actor (at most ``[cluster] max_attempts``
sends per call) and a replacement actor is asked for, which starts when the cluster has room.  When the
driver itself dies, the next run skips what was stored and finds the rest of the finished transcripts
in the cache: only the checking is done again.
"""
from __future__ import annotations

import dataclasses
import logging
import socket
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ray
from ray.exceptions import NodeDiedError, ObjectLostError, RayActorError, RayTaskError, WorkerCrashedError

from analytics.config import ClusterOptions, Config
from analytics.ingest.cluster_worker import CallWorker, Outcome
from core.errors import OkaError
from transcription.cache import TranscriptCache
from transcription.model import Runtime, describe
from transcription.options import TranscribeOptions
from transcription.schema import Transcript

log = logging.getLogger(__name__)

IN_FLIGHT = 2     # groups one actor holds: the one in work and the next, already there
TICK_S = 10.0     # nothing back for this long: the store writes what it holds
GROW_S = 30.0     # how often the pool is compared with the cluster's resources (nodes that joined get actors)
# the actor, its node, or the answer kept on that node is gone: the call goes to another actor
LOST = (RayActorError, ObjectLostError, NodeDiedError, WorkerCrashedError)


class ClusterError(OkaError):
    """The cluster cannot be reached or cannot run the work."""


def connect(address: str) -> bool:
    """Join the Ray cluster at ``address`` (``auto``: the one on this machine, or a new one); True when this
    call started the connection (and so should end it), False when the process was connected already."""
    if ray.is_initialized():
        return False
    local = address == "auto"
    if not local and not address.startswith("ray://"):
        _reachable(address)
    kwargs = {"include_dashboard": False} if local else {}  # a cluster's head (ray start --head) has its own
    try:
        ray.init(address=None if local else address, logging_level=logging.WARNING, **kwargs)
    except (ConnectionError, RuntimeError, ValueError, TimeoutError) as e:
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ClusterError(f"Ray cluster {address}: cannot connect ({reason}); start its head node with "
                           f"`ray start --head`, or use --cluster auto for this machine alone") from e
    return True


def _reachable(address: str, timeout_s: float = 5.0) -> None:
    """Fail at once, in one line, where ``ray.init`` would retry a head node that is not there for minutes."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ClusterError(f"Ray cluster {address}: not an address; give HOST:PORT of the head node (e.g. "
                           f"10.0.0.5:6379), ray://HOST:10001, or auto")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s).close()
    except OSError as e:
        raise ClusterError(f"Ray cluster {address}: cannot connect ({e.strerror or e}); start its head node with "
                           f"`ray start --head`, or use --cluster auto for this machine alone") from e


@dataclass
class _Actor:
    key: int
    handle: object
    kind: str                     # "cpu" or "gpu"
    spec: dict                    # Ray resources
    opts: TranscribeOptions
    node: str = ""
    ready: bool = False
    held: int = 0
    asked: float = field(default_factory=time.monotonic)


def plan(resources: dict, opts: TranscribeOptions, copts: ClusterOptions) -> list[tuple[str, dict, TranscribeOptions]]:
    """The actors the cluster's ``resources`` hold: one per GPU (``num_gpus=1``, float16 unless the
    compute type is set), then one per ``cpus_per_actor`` of the CPUs left, each with as many threads."""
    cpus, gpus = int(resources.get("CPU", 0)), int(resources.get("GPU", 0))
    per = max(1, copts.cpus_per_actor)
    actors = []
    if copts.gpus and opts.device in ("auto", "cuda") and gpus:
        gpu = dataclasses.replace(opts, device="cuda", workers=1, cpu_threads=1)
        actors += [("gpu", {"num_cpus": 1, "num_gpus": 1}, gpu)] * min(gpus, cpus)
    if opts.device != "cuda":
        cpu = dataclasses.replace(opts, device="cpu", workers=1, cpu_threads=per)
        actors += [("cpu", {"num_cpus": per}, cpu)] * ((cpus - len(actors)) // per)
    if not actors:
        raise ClusterError(f"the Ray cluster offers {cpus} CPU(s) and {gpus} GPU(s): not enough for one actor "
                           f"({per} CPU(s) each, [cluster] cpus_per_actor; device {opts.device})")
    return actors


def runtime_of(kind: str, opts: TranscribeOptions) -> Runtime:
    """The device and compute type an actor of ``kind`` runs with (as ``pick_runtime`` decides there)."""
    device = "cuda" if kind == "gpu" else "cpu"
    compute = opts.compute_type if opts.compute_type != "auto" else ("float16" if device == "cuda" else "int8")
    return Runtime(device, compute)


def call_rows(todo: list, db_path: Path, cfg: Config, checker, failed: Callable, report, *,
              check_on_actors: bool, row: Callable) -> Iterator[dict | None]:
    """The calls of ``todo`` (``pipeline._Todo``) transcribed and checked on the cluster, as rows for the
    store (``row(todo, result)``), in the order they finish; ``None`` when nothing came back for ``TICK_S``.
    ``failed(todo, line, checking=...)`` reports a call that cannot be done."""
    from rules.rulebook import operator_greeting

    opts = dataclasses.replace(cfg.transcription, operator_greeting=operator_greeting())  # the rulebook's list
    started_here = connect(cfg.cluster.address)
    run = _Run(todo, opts, cfg.cluster, db_path.parent / "transcripts", checker, failed, report,
               check_on_actors, row)
    try:
        yield from run.rows()
    finally:
        run.close()
        if started_here:
            ray.shutdown()


class _Run:
    """One ingest's calls on the cluster: the actor pool, the calls sent, the answers."""

    def __init__(self, todo, opts, copts: ClusterOptions, out_dir: Path, checker, failed, report,
                 check_on_actors: bool, row) -> None:
        self.todo, self.opts, self.copts, self.out_dir = todo, opts, copts, out_dir
        self.checker, self.failed, self.report, self.row = checker, failed, report, row
        self.check_on_actors = check_on_actors
        self.waiting: deque = deque()
        self.sends: Counter[str] = Counter()
        self.answered: set[str] = set()
        self.held: dict = {}          # ObjectRef -> (actor, the todos of its group)
        self.starting: dict = {}      # ObjectRef of ready() -> actor
        self.actors: dict[int, _Actor] = {}
        self.replacements = 0
        self._keys = 0
        self.plan: list = []
        self.looked = time.monotonic()  # when the pool was last compared with the cluster

    # --- the transcript cache: one key per model description (CPU int8 and GPU float16 transcripts differ)

    def _cached(self, t, models: list[str]) -> bool:
        for model in models:
            opts = dataclasses.replace(self.opts, layout=t.row["layout"]) if t.row["layout"] else self.opts
            cache = TranscriptCache(Path(self.opts.cache_dir), opts, model)
            try:
                hit = cache.get(cache.key(t.audio), t.row["call_id"])
            except OSError:
                return False  # unreadable: the actor's answer (or the read below) says why
            if hit is not None:
                t.transcript, t.asr_model = hit, model
                return True
        return False

    # --- the pool

    def _ask(self, kind: str, spec: dict, opts: TranscribeOptions) -> None:
        self._keys += 1
        handle = CallWorker.options(**spec).remote(opts, self.check_on_actors)
        actor = _Actor(self._keys, handle, kind, spec, opts)
        self.actors[actor.key] = actor
        self.starting[handle.ready.remote()] = actor

    def _grow(self) -> None:
        """Nodes that joined since the run started get actors of their own (what ``plan`` gives the cluster
        now, kind by kind, beyond the actors there are), while calls are waiting for them."""
        if time.monotonic() - self.looked < GROW_S or not self.waiting:
            return
        self.looked = time.monotonic()
        try:
            now = plan(ray.cluster_resources(), self.opts, self.copts)
        except ClusterError:  # the cluster shrank below one actor: the replacements' wait says so
            return
        have = Counter(a.kind for a in self.actors.values())
        room = len(self.waiting)
        for kind, count in Counter(k for k, _, _ in now).items():
            extra = min(count - have[kind], room)
            if extra <= 0:
                continue
            spec, opts = next((s, o) for k, s, o in now if k == kind)
            for _ in range(extra):
                self._ask(kind, spec, opts)
            room -= extra
            log.info("cluster: %d %s actor(s) more for the nodes that joined", extra, kind)
        if len(now) > len(self.plan):
            self.plan = now

    def _started(self, ref) -> None:
        actor = self.starting.pop(ref)
        try:
            info = ray.get(ref)
        except RayActorError as e:
            if e.actor_init_failed:  # the same on every node (the rulebook, the installation): stop
                raise ClusterError(f"a cluster actor cannot start: {_first_line(e)}") from e
            self._lost(actor, None, e)
            return
        ours = (self.checker.version, self.report.rule_set or info["rule_set"])
        if self.check_on_actors and (info["rulebook"], info["rule_set"]) != ours:
            raise ClusterError(f"node {info['node'][:12]} checks with another rulebook (edition {info['rulebook']!r}, "
                               f"rule set {str(info['rule_set'])[:12]}; here {ours[0]!r}, {str(ours[1])[:12]}): "
                               f"install the same oka-qa on every node")
        actor.node, actor.ready = info["node"], True
        log.info("actor %d (%s) ready on node %s", actor.key, actor.kind, actor.node[:12])

    def _lost(self, actor: _Actor, t, error: Exception) -> None:
        if self.actors.pop(actor.key, None) is not None:
            log.warning("a cluster actor on node %s is gone (%s); its calls go to the other actors",
                        actor.node[:12] or "?", _first_line(error))
            ray.kill(actor.handle, no_restart=True)
            if self.replacements < len(self.plan) * self.copts.max_attempts:
                self.replacements += 1   # starts when the cluster has room for it
                self._ask(actor.kind, actor.spec, actor.opts)
        if t is None or t.row["call_id"] in self.answered:
            return
        if self.sends[t.row["call_id"]] >= self.copts.max_attempts:
            self.answered.add(t.row["call_id"])
            self.failed(t, f"{t.audio or t.row['transcript_path']}: lost with its cluster actor "
                           f"{self.sends[t.row['call_id']]} times ({_first_line(error)}); run the ingest again")
            return
        self.report.calls_resent += 1
        self.waiting.appendleft(t)

    def _group_size(self, actor: _Actor) -> int:
        """Calls per task: ``decode_together`` on CPU, fewer where the calls left would not keep every actor
        (started or starting) busy with ``IN_FLIGHT`` groups; one on a GPU (its actor decodes one call at a time)."""
        if actor.kind == "gpu":
            return 1
        share = -(-len(self.waiting) // (max(1, len(self.actors)) * IN_FLIGHT))
        return max(1, min(actor.opts.decode_together, share))

    def _send(self) -> None:
        for actor in sorted((a for a in self.actors.values() if a.ready), key=lambda a: a.held):
            while actor.held < IN_FLIGHT and self.waiting:
                group, items = [], []
                size = self._group_size(actor)
                while self.waiting and len(group) < size:
                    t = self.waiting.popleft()
                    item = self._item(t)
                    if item is not None:
                        group.append(t)
                        items.append(item)
                if not group:
                    continue
                for t in group:
                    self.sends[t.row["call_id"]] += 1
                self.held[actor.handle.process_group.remote(items)] = (actor, group)
                actor.held += 1

    def _item(self, t) -> tuple | None:
        """What an actor needs of a call (its recording's bytes unless its transcript is here), or None when the
        call is answered already or its recording cannot be read (reported)."""
        call_id = t.row["call_id"]
        if call_id in self.answered:
            return None
        audio = None
        if t.transcript is None:
            try:
                audio = t.audio.read_bytes()
            except OSError as e:
                self.answered.add(call_id)
                self.failed(t, f"{t.audio}: cannot read: {e.strerror or e}")
                return None
        return call_id, t.row["layout"] or "", t.audio.suffix if audio else "", audio, None if audio else t.transcript

    # --- answers

    def _answer(self, actor: _Actor, t, out: Outcome) -> dict | None:
        call_id = t.row["call_id"]
        if call_id in self.answered:  # a call re-sent after a loss that had been answered after all
            log.debug("%s: answered twice; the second answer is dropped", call_id)
            return None
        self.answered.add(call_id)
        if out.fatal:
            raise ClusterError(f"node {actor.node[:12]}: {out.fatal}")
        if out.error:
            self.failed(t, f"{t.audio}: {out.error}")
            return None
        if out.transcript is not None:  # transcribed there: kept here at once
            t.transcript = Transcript.from_dict(out.transcript, source=str(t.audio))
            t.asr_model = out.model
            opts = dataclasses.replace(self.opts, layout=t.row["layout"]) if t.row["layout"] else self.opts
            cache = TranscriptCache(Path(self.opts.cache_dir), opts, out.model)
            try:
                cache.put(cache.key(t.audio), t.transcript)
            except OSError as e:  # the call is still stored below
                log.warning("%s: cannot write the transcript cache (%s)", cache.folder, e.strerror or e)
        if t.audio is not None:
            try:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                t.transcript.write(self.out_dir)
            except OSError as e:
                raise OkaError(f"{self.out_dir}: cannot write transcripts ({e.strerror or e})") from e
        if out.check_error:
            self.failed(t, out.check_error, checking=True)
            return None
        result = out.result
        if result is None:  # checked here: the caller's own checker
            t.transcript.call_id = call_id
            try:
                result = self.checker.check(t.transcript)
            except Exception as e:
                log.debug("checking %s failed", call_id, exc_info=True)
                self.failed(t, f"checking call {call_id} failed: {e}", checking=True)
                return None
        return self.row(t, result)

    def rows(self) -> Iterator[dict | None]:
        self.plan = plan(ray.cluster_resources(), self.opts, self.copts)[:max(1, len(self.todo))]
        models = list(dict.fromkeys(describe(self.opts, runtime_of(kind, self.opts)) for kind, _, _ in self.plan))
        for t in self.todo:
            if t.audio is not None and t.transcript is None:
                self._cached(t, models)
            self.waiting.append(t)
        if not self.check_on_actors:  # nothing to send for a transcript already there: check it here
            for t in [t for t in self.waiting if t.transcript is not None]:
                self.waiting.remove(t)
                row = self._answer(None, t, Outcome(t.row["call_id"]))
                if row is not None:
                    yield row
        if not self.waiting:
            return
        for kind, spec, opts in self.plan:
            self._ask(kind, spec, opts)
        log.info("cluster: %d actor(s) for %d call(s)", len(self.plan), len(self.waiting))
        bar = _progress(len(self.waiting), len(self.plan))
        try:
            while self.waiting or self.held:
                self._grow()
                self._send()
                if not self.held:
                    if not self.waiting:  # the last ones could not even be read
                        break
                    self._stalled()
                done, _ = ray.wait([*self.held, *self.starting], num_returns=1, timeout=TICK_S)
                if not done:
                    yield None
                    continue
                ref = done[0]
                if ref in self.starting:
                    self._started(ref)
                    continue
                actor, group = self.held.pop(ref)
                actor.held -= 1
                try:
                    outs = ray.get(ref)
                except LOST as e:
                    for t in group:
                        self._lost(actor, t, e)
                    continue
                except RayTaskError as e:  # a bug on the actor's side: these calls fail, the rest go on
                    for t in group:
                        self.answered.add(t.row["call_id"])
                        self.failed(t, f"{t.audio or t.row['transcript_path']}: failed on the cluster "
                                       f"({_first_line(e)})")
                    continue
                for t, out in zip(group, outs, strict=True):
                    row = self._answer(actor, t, out)
                    bar.update(1)
                    if row is not None:
                        yield row
        finally:
            bar.close()

    def _stalled(self) -> None:
        """Nothing in work: wait for an actor to start, unless none is left or none starts in time."""
        if not self.starting:
            raise ClusterError(f"no cluster actor is left to transcribe {len(self.waiting)} call(s); what is "
                               f"done is stored: run the ingest again when the cluster is back")
        oldest = min(a.asked for a in self.starting.values())
        if time.monotonic() - oldest > self.copts.start_timeout_s:
            free = ray.available_resources()
            raise ClusterError(f"no cluster actor started within {self.copts.start_timeout_s:.0f} s (free: "
                               f"{free.get('CPU', 0):.0f} CPU, {free.get('GPU', 0):.0f} GPU; an actor asks "
                               f"{self.plan[0][1]}); what is done is stored: run the ingest again")

    def close(self) -> None:
        for actor in self.actors.values():
            try:
                ray.kill(actor.handle, no_restart=True)
            except (ValueError, RayActorError):
                pass
        self.actors.clear()


def _progress(calls: int, actors: int):
    from tqdm import tqdm

    return tqdm(total=calls, unit="call", file=sys.stderr, disable=None, dynamic_ncols=True,
                desc=f"cluster, {actors} actor(s)")


def _first_line(e: Exception) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__
