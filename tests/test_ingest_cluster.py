"""``oka-qa ingest --cluster``: transcription and checking on Ray (analytics/ingest/cluster*.py).

Fast: a plain ingest never imports Ray; the actor pool a cluster's resources hold, and what it asks for
when nodes join; a cluster that cannot be reached is one error line.  Slow (they start Ray): a two-node
local cluster transcribes a folder while one node is killed in the middle; a node that joins mid-run gets
an actor that takes calls; the driver dies mid-run and the next run transcribes only what is left;
``--cluster auto`` on the demo.  Each gives the database of a plain ingest of the same folder.

Whisper's output depends on the threads its process runs with (OpenMP: Ray gives an actor
``OMP_NUM_THREADS`` = its CPUs); the plain ingests compared against one-CPU actors run with
``OMP_NUM_THREADS=1`` and one thread per worker, so both sides decode alike.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from folder_builder import Folder

from analytics.config import ClusterOptions, Config
from cli.main import cli
from data import DEMO_DIR
from transcription.options import TranscribeOptions

ROOT = Path(__file__).resolve().parents[1]

# what a call leaves in the store, less the moments of ingestion (ingested_at, seen_at)
COMPARED = {
    "calls": "call_id, started_at, ended_at, duration_s, operator_id, operator_name, audio_path, transcript_path, "
             "layout, language, topic, score, rulebook, asr_model, content_hash, source_hash, topics",
    "utterances": "*", "findings": "*", "uncertain_findings": "*", "not_assessed": "*", "call_readings": "*",
    "call_numbers": "*", "heard_numbers": "*", "links": "*", "requests": "*", "readings": "*",
    "rejects": "file, row, reason",
}


def _tables(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall() for t, cols in COMPARED.items()}


def test_plain_ingest_never_imports_ray(tmp_path):
    folder = Folder(tmp_path / "data").call("C1", "2026-03-04T10:00:00").write()
    code = ("import sys; from click.testing import CliRunner; from cli.main import cli; "
            f"r = CliRunner().invoke(cli, ['ingest', {str(folder)!r}, '--db', {str(tmp_path / 'x.duckdb')!r}]); "
            "assert r.exit_code == 0, r.output; print('ray' in sys.modules, 'analytics.ingest.cluster' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"], out.stderr


CPU, GPU = TranscribeOptions(), TranscribeOptions(device="cuda")


@pytest.mark.parametrize(("resources", "opts", "cluster", "expected"), [
    ({"CPU": 4.0}, CPU, ClusterOptions(), [("cpu", 1)] * 4),
    ({"CPU": 5.0}, CPU, ClusterOptions(cpus_per_actor=2), [("cpu", 2)] * 2),
    ({"CPU": 8.0, "GPU": 2.0}, CPU, ClusterOptions(), [("gpu", 1)] * 2 + [("cpu", 1)] * 6),
    ({"CPU": 8.0, "GPU": 2.0}, CPU, ClusterOptions(gpus=False), [("cpu", 1)] * 8),
    ({"CPU": 8.0, "GPU": 2.0}, GPU, ClusterOptions(), [("gpu", 1)] * 2),
    ({"CPU": 8.0, "GPU": 2.0}, TranscribeOptions(device="cpu"), ClusterOptions(), [("cpu", 1)] * 8),
])
def test_actors_fill_the_cluster(resources, opts, cluster, expected):
    from analytics.ingest.cluster import plan

    actors = plan(resources, opts, cluster)
    assert [(kind, spec["num_cpus"]) for kind, spec, _ in actors] == expected
    for kind, spec, o in actors:
        assert o.device == ("cuda" if kind == "gpu" else "cpu") and o.workers == 1
        assert spec.get("num_gpus", 0) == (1 if kind == "gpu" else 0)
        assert o.cpu_threads == spec["num_cpus"]


@pytest.mark.parametrize(("resources", "opts", "cluster"), [
    ({"CPU": 1.0}, CPU, ClusterOptions(cpus_per_actor=2)),
    ({"CPU": 4.0}, GPU, ClusterOptions()),                  # cuda asked for, no GPU in the cluster
    ({"CPU": 4.0, "GPU": 1.0}, GPU, ClusterOptions(gpus=False)),
])
def test_a_cluster_too_small_for_one_actor_says_so(resources, opts, cluster):
    from analytics.ingest.cluster import ClusterError, plan

    with pytest.raises(ClusterError, match="not enough for one actor"):
        plan(resources, opts, cluster)


@pytest.mark.parametrize(("start", "now", "lost", "waiting", "asked"), [
    ({"CPU": 2.0}, {"CPU": 2.0}, 0, 9, []),                                   # nobody joined
    ({"CPU": 2.0}, {"CPU": 4.0}, 0, 9, ["cpu", "cpu"]),                       # a 2-core node joined
    ({"CPU": 2.0}, {"CPU": 4.0}, 0, 1, ["cpu"]),                              # one call left: one actor more
    ({"CPU": 2.0}, {"CPU": 4.0}, 0, 0, []),                                   # nothing waits
    ({"CPU": 2.0}, {"CPU": 3.0, "GPU": 1.0}, 0, 9, ["gpu"]),                  # a GPU node joined
    ({"CPU": 4.0}, {"CPU": 2.0}, 2, 9, []),                                   # a node died with its actors
    ({"CPU": 4.0}, {"CPU": 4.0}, 2, 9, ["cpu", "cpu"]),                       # and came back (no replacement left)
    ({"CPU": 2.0}, {"CPU": 0.0}, 0, 9, []),                                   # nothing left: no actor asked
])
def test_nodes_that_join_get_actors(start, now, lost, waiting, asked, monkeypatch):
    from collections import deque

    from analytics.ingest import cluster as cluster_mod

    run = cluster_mod._Run([], CPU, ClusterOptions(), Path("unused"), None, None, None, False, None)
    kinds: list[str] = []

    def ask(self, kind, spec, opts):    # an actor asked for: in the pool at once, as a starting one is
        kinds.append(kind)
        self._keys += 1
        self.actors[self._keys] = cluster_mod._Actor(self._keys, None, kind, spec, opts)

    monkeypatch.setattr(cluster_mod._Run, "_ask", ask)
    run.plan = cluster_mod.plan(start, CPU, ClusterOptions())
    for kind, spec, opts in run.plan:    # the pool of the start, less the actors lost (not asked for again)
        run._ask(kind, spec, opts)
    for key in list(run.actors)[:lost]:
        del run.actors[key]
    kinds.clear()
    run.waiting = deque(range(waiting))
    monkeypatch.setattr(cluster_mod.ray, "cluster_resources", lambda: now)
    monkeypatch.setattr(cluster_mod, "GROW_S", 0.0)
    run._grow()
    assert kinds == asked


@pytest.mark.parametrize(("actors", "waiting", "together", "size"), [
    (["cpu"], 100, 4, 4),               # a backfill: decode_together calls a task
    (["cpu", "cpu"], 6, 4, 2),          # 6 calls, 2 actors, 2 groups in flight each: 2 a group
    (["cpu", "cpu"], 1, 4, 1),
    (["cpu", "cpu", "cpu"], 13, 4, 3),
    (["cpu"], 100, 1, 1),               # decode_together = 1: one call at a time
    (["gpu", "cpu"], 100, 4, 1),        # the GPU actor decodes one call at a time
])
def test_a_task_holds_a_group_of_calls(actors, waiting, together, size):
    from collections import deque

    from analytics.ingest import cluster as cluster_mod

    run = cluster_mod._Run([], CPU, ClusterOptions(), Path("unused"), None, None, None, False, None)
    opts = TranscribeOptions(decode_together=together)
    run.actors = {k: cluster_mod._Actor(k, None, kind, {}, opts, ready=k == 0) for k, kind in enumerate(actors)}
    run.waiting = deque(range(waiting))
    assert run._group_size(run.actors[0]) == size


def test_unreachable_cluster_is_one_line(tmp_path):
    folder = Folder(tmp_path / "data").call("C1", "2026-03-04T10:00:00").write()
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(tmp_path / "x.duckdb"),
                                      "--cluster", "127.0.0.1:9"])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Ray cluster 127.0.0.1:9: cannot connect" in errors[0], result.stderr
    assert "Traceback" not in result.output


# --- slow: Ray started ---------------------------------------------------------------------------

CLIPS = ("2026-03-16_0001", "2026-07-22_0005", "2026-09-02_0008", "2026-10-14_0011", "2026-11-24_0016")
BROKEN = "2026-11-03_0013"


@pytest.fixture(scope="module")
def short_calls(tmp_path_factory) -> Path:
    """The first 8 s of five demo calls (one of them mono) and the demo's broken recording."""
    root = tmp_path_factory.mktemp("short")
    (root / "audio").mkdir()
    lines = (DEMO_DIR / "calls.csv").read_text(encoding="utf-8").splitlines()
    kept = [lines[0]]
    for line in lines[1:]:
        call_id = line.split(",")[0]
        if call_id in CLIPS:
            subprocess.run(["sox", str(DEMO_DIR / "audio" / f"{call_id}.flac"), str(root / "audio" / f"{call_id}.flac"),
                            "trim", "0", "8"], check=True)
            kept.append(line)
        elif call_id == BROKEN:
            shutil.copy(DEMO_DIR / "audio" / f"{call_id}.wav", root / "audio")
            kept.append(line)
    (root / "calls.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return root


def _config(cache: Path, address: str = "") -> Config:
    cfg = Config()
    cfg.transcription.cache_dir = str(cache)
    cfg.transcription.cpu_threads = 1   # as a one-CPU actor runs
    cfg.cluster.address = address
    return cfg


@pytest.fixture(scope="module")
def plain_short(short_calls, tmp_path_factory):
    """A plain ingest of the short calls with a cache of its own, one thread per worker, in a process of its own
    started with ``OMP_NUM_THREADS=1`` (a one-call group is transcribed in the ingest's own process, whose
    threading must not depend on what ran in pytest's process before)."""
    work = tmp_path_factory.mktemp("plain")
    (work / "oka-qa.toml").write_text(f'[transcription]\ncache_dir = "{work / "cache"}"\ncpu_threads = 1\n',
                                      encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "cli.main", "--config", str(work / "oka-qa.toml"), "ingest",
                          str(short_calls), "--db", str(work / "plain.duckdb")], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "OMP_NUM_THREADS": "1"}, check=False)
    assert out.returncode == 1, out.stderr                       # the broken recording
    errors = [line.removeprefix("error: ") for line in out.stderr.splitlines() if line.startswith("error:")]
    return work / "plain.duckdb", errors


def _ingest_then_shut_down(ray_cluster, folder: Path, tmp_path: Path):
    """``ingest`` of ``folder`` on the local ``ray_cluster`` (shut down afterwards): its report and error lines."""
    from analytics.ingest.pipeline import ingest

    errors: list[str] = []
    try:
        report = ingest(folder, tmp_path / "cluster.duckdb", _config(tmp_path / "cache", ray_cluster.address),
                        on_error=errors.append)
    finally:
        ray_cluster.shutdown()
    return report, errors


@pytest.mark.slow
def test_a_node_killed_mid_run_loses_and_duplicates_nothing(short_calls, plain_short, tmp_path, monkeypatch):
    from ray.cluster_utils import Cluster

    from analytics.ingest import cluster as cluster_mod
    from analytics.storage import calls_store

    plain_db, plain_errors = plain_short
    assert len(_tables(plain_db)["calls"]) == len(CLIPS)
    node_args = {"num_cpus": 1, "object_store_memory": 100 * 2**20, "include_dashboard": False}
    ray_cluster = Cluster(initialize_head=True, head_node_args=node_args)
    worker = ray_cluster.add_node(**{k: v for k, v in node_args.items() if k != "include_dashboard"})
    ray_cluster.wait_for_nodes()
    killed: list[int] = []
    answer = cluster_mod._Run._answer

    def answer_then_kill(run, actor, t, out):
        # at the first answer that finds work held by the worker node's actor, that node dies
        held = [a.held for a in run.actors.values() if a.node == worker.node_id and a.ready]
        if not killed and sum(held) > 0:
            killed.append(sum(held))
            ray_cluster.remove_node(worker, allow_graceful=False)
        return answer(run, actor, t, out)

    monkeypatch.setattr(cluster_mod._Run, "_answer", answer_then_kill)
    stored: list[str] = []
    write_calls = calls_store.write_calls

    def counting_write(con, rows):
        stored.extend(r["call"]["call_id"] for r in rows)
        return write_calls(con, rows)

    monkeypatch.setattr(calls_store, "write_calls", counting_write)
    report, errors = _ingest_then_shut_down(ray_cluster, short_calls, tmp_path)
    assert killed, "the worker node held no call at any answer: nothing was killed in the middle"
    assert report.calls_resent >= 1                                     # its calls went to the head's actor
    assert sorted(stored) == sorted(CLIPS)                              # every call stored, once
    assert report.calls_stored == len(CLIPS) and report.calls_failed == 1
    assert errors == plain_errors and len(errors) == 1 and BROKEN in errors[0]   # the broken file: one line
    assert _tables(tmp_path / "cluster.duckdb") == _tables(plain_db)
    cached = list((tmp_path / "cache").rglob("*.json"))
    assert len(cached) == len(CLIPS)                                    # each transcript cached once


@pytest.mark.slow
def test_a_node_that_joins_mid_run_takes_calls(short_calls, plain_short, tmp_path, monkeypatch):
    from ray.cluster_utils import Cluster

    from analytics.ingest import cluster as cluster_mod

    plain_db, plain_errors = plain_short
    node_args = {"num_cpus": 1, "object_store_memory": 100 * 2**20}
    ray_cluster = Cluster(initialize_head=True, head_node_args={**node_args, "include_dashboard": False})
    joined: list[str] = []
    started, answer = cluster_mod._Run._started, cluster_mod._Run._answer

    def started_then_join(run, ref):
        started(run, ref)     # the head's one actor is ready, the calls wait for it: a second node joins
        if not joined:
            joined.append(ray_cluster.add_node(**node_args).node_id)

    by_node: list[str] = []

    def answer_noting_node(run, actor, t, out):
        by_node.append(actor.node)
        return answer(run, actor, t, out)

    monkeypatch.setattr(cluster_mod._Run, "_started", started_then_join)
    monkeypatch.setattr(cluster_mod._Run, "_answer", answer_noting_node)
    monkeypatch.setattr(cluster_mod, "GROW_S", 0.0)
    report, errors = _ingest_then_shut_down(ray_cluster, short_calls, tmp_path)
    assert joined and joined[0] in by_node, "the node that joined answered no call"
    assert report.calls_stored == len(CLIPS) and report.calls_failed == 1
    assert errors == plain_errors
    assert _tables(tmp_path / "cluster.duckdb") == _tables(plain_db)


@pytest.mark.slow
def test_an_actor_decodes_its_group_together(short_calls):
    """The actor's class without Ray: two calls sent as one group give the transcripts each gets alone, and
    their windows went through the decoder in shared batches."""
    from analytics.ingest.cluster_worker import CallWorker

    opts = TranscribeOptions(cpu_threads=1, decode_together=2, cache_dir="unused")
    items = [(c, "", ".flac", (short_calls / "audio" / f"{c}.flac").read_bytes(), None) for c in CLIPS[:2]]
    worker = CallWorker.__ray_actor_class__(opts, False)
    together = worker.process_group(items)
    batcher = worker._transcribers.batcher
    assert batcher is not None
    decodes, windows = batcher.calls, batcher.windows
    alone = [worker.process(*item) for item in items]
    assert [o.error for o in together] == [None, None]
    assert [o.transcript for o in together] == [o.transcript for o in alone]
    assert batcher.windows - windows == windows                  # the same windows decoded both ways,
    assert decodes < batcher.calls - decodes                     # in fewer decodes when together


@pytest.mark.slow
def test_cluster_auto_on_the_demo_equals_a_plain_ingest(tmp_path):
    plain = CliRunner().invoke(cli, ["ingest", str(DEMO_DIR), "--db", str(tmp_path / "plain.duckdb")])
    clustered = CliRunner().invoke(cli, ["ingest", str(DEMO_DIR), "--db", str(tmp_path / "cluster.duckdb"),
                                         "--cluster", "auto"])
    assert plain.exit_code == clustered.exit_code == 1, clustered.output    # the broken recording
    errors = [line for line in clustered.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and BROKEN in errors[0], clustered.stderr
    plain_tables, cluster_tables = _tables(tmp_path / "plain.duckdb"), _tables(tmp_path / "cluster.duckdb")
    assert len(cluster_tables["calls"]) == len(DEMO_DIR.joinpath("calls.csv").read_text().splitlines()) - 2
    assert cluster_tables == plain_tables


@pytest.mark.slow
def test_a_rerun_after_a_driver_crash_does_only_what_is_left(short_calls, plain_short, tmp_path, monkeypatch):
    from analytics.ingest import cluster as cluster_mod
    from analytics.ingest.pipeline import ingest

    plain_db, _ = plain_short
    answer = cluster_mod._Run._answer
    transcribed: list[str] = []   # the calls an actor transcribed, in the order they came back
    crash = [True]

    def answer_then_crash(run, actor, t, out):
        if out.transcript is not None:
            transcribed.append(t.row["call_id"])
            if crash[0] and len(transcribed) == 2:   # the driver dies with the second transcript in hand
                raise RuntimeError("the driver dies here")
        return answer(run, actor, t, out)

    monkeypatch.setattr(cluster_mod._Run, "_answer", answer_then_crash)
    cfg, db = _config(tmp_path / "cache", "auto"), tmp_path / "cluster.duckdb"
    with pytest.raises(RuntimeError, match="the driver dies here"):
        ingest(short_calls, db, cfg, on_error=lambda line: None)
    kept, lost = transcribed[:2]                 # the first was cached (and maybe stored), the second was not
    crash[0], transcribed[:] = False, []
    report = ingest(short_calls, db, cfg, on_error=lambda line: None)
    assert kept not in transcribed and lost in transcribed     # only what was left is transcribed again
    assert len(transcribed) == len(CLIPS) - 1
    assert report.calls_stored + report.calls_skipped == len(CLIPS)
    assert _tables(db) == _tables(plain_db)
