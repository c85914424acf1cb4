"""Ray's own overhead on one node: ``ingest`` against ``ingest --cluster auto`` of the same folder.

    python bench/cluster.py                    # the demo folder
    python bench/cluster.py --folder DIR       # any data folder (docs/CONTRACT.md section 4)

Three runs, each into a fresh database: a plain ingest with a fresh transcript cache, a cluster ingest
(a local Ray started for the run, one actor per core) with another fresh cache, and the cluster ingest
again with that cache warm (Ray's start-up, the actors and the checking, no transcription).  For each:
wall time and CPU-seconds of this process and every process under it (the plain ingest's worker
processes, Ray's GCS, raylet and actors: sampled from /proc twice a second, or what the reaped ones
report, whichever is more), and audio seconds per CPU-second —
which, times 3600, is the audio hours one fully used core transcribes and checks in an hour.  The ratio
cluster / plain is Ray's overhead.  On a machine shared with other work the wall times are noisy; the
CPU-seconds less so.
"""
from __future__ import annotations

import argparse
import logging
import os
import resource
import tempfile
import threading
import time
from pathlib import Path

from analytics.config import Config
from analytics.ingest.pipeline import ingest
from data import DEMO_DIR


class TreeCPU:
    """CPU-seconds (user + system) of this process and all its descendants, alive or ended since the start."""

    def __init__(self, every_s: float = 0.5) -> None:
        self.seen: dict[tuple[int, int], float] = {}
        self.every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for key, cpu in _tree_cpu(os.getpid()).items():
            self.seen[key] = cpu

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            self._sample()

    def __enter__(self) -> TreeCPU:
        self._sample()
        self.start = dict(self.seen)
        self.ru0 = _rusage()
        self.wall0 = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._sample()
        self._stop.set()
        self._thread.join()
        self.wall = time.monotonic() - self.wall0
        sampled = sum(v - self.start.get(k, 0.0) for k, v in self.seen.items())
        # processes that ended between two samples: what the ones reaped report (their descendants included)
        self.cpu = max(sampled, _rusage() - self.ru0)


def _rusage() -> float:
    me, reaped = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + reaped.ru_utime + reaped.ru_stime


def _tree_cpu(root: int) -> dict[tuple[int, int], float]:
    """(pid, start time) -> CPU-seconds (user + system) of ``root`` and its descendants, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the command: state ppid ... utime (12th) stime (13th) ... starttime (20th)
        stats[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick, int(fields[19]))
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            _, cpu, start = stats[pid]
            out[(pid, start)] = cpu
            todo += children.get(pid, [])
    return out


def run(folder: Path, work: Path, name: str, cache: Path, address: str) -> tuple[TreeCPU, float, str]:
    cfg = Config()
    cfg.transcription.cache_dir = str(cache)
    cfg.cluster.address = address
    db = work / name / "oka.duckdb"
    with TreeCPU() as m:
        report = ingest(folder, db, cfg, on_error=lambda line: None)
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        audio = con.execute("SELECT coalesce(sum(duration_s), 0) FROM calls").fetchone()[0]
    return m, audio, report.summary().split(";")[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folder", type=Path, default=DEMO_DIR)
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    load = os.getloadavg()[0]
    print(f"folder {args.folder}; {os.cpu_count()} cores, load average {load:.1f} at the start")
    with tempfile.TemporaryDirectory(prefix="oka-bench-cluster-") as tmp:
        work = Path(tmp)
        rows = [("plain ingest", *run(args.folder, work, "plain", work / "cache-plain", "")),
                ("--cluster auto", *run(args.folder, work, "cluster", work / "cache-cluster", "auto")),
                ("--cluster auto, cached", *run(args.folder, work, "cached", work / "cache-cluster", "auto"))]
    print(f"{'':24} {'wall s':>8} {'CPU s':>8} {'audio s':>8} {'audio h/h per core':>19}")
    for label, m, audio, summary in rows:
        per_cpu = audio / m.cpu if m.cpu else float("nan")
        print(f"{label:24} {m.wall:8.1f} {m.cpu:8.1f} {audio:8.1f} {per_cpu:19.2f}   {summary}")
    (_, plain, *_), (_, ray_run, *_), (_, cached, *_) = rows
    print(f"Ray's overhead on one node (cluster / plain): wall {ray_run.wall / plain.wall:.2f}x, "
          f"CPU {ray_run.cpu / plain.cpu:.2f}x; a run with every transcript cached: "
          f"wall {cached.wall:.1f} s, CPU {cached.cpu:.1f} s (Ray's start-up, the actors, the checking)")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
