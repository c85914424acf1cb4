"""A rulebook edit over a million stored calls: how long until the KPIs follow (issue 20, target < 5 min on 2 cores).

    python bench/recheck_scale.py                         # 1,000,000 calls
    python bench/recheck_scale.py --calls 100000 --keep /tmp/oka-recheck   # keep the data and the store
    python bench/recheck_scale.py --keep /tmp/oka-recheck --reuse          # again on the kept store

Steps, each timed (wall, and CPU-seconds of this process and of its worker
processes — on a shared machine the wall time grows with the load, the CPU
time does not):

1. the scale folder: ``data/synth.py --prechecked --transcripts`` (a subprocess),
   the calls' results as if checked elsewhere plus their transcripts;
2. ``ingest`` of it (pre-checked: vectorised);
3. the first judgement by this project's rulebook A (the packaged one): every
   call is checked whole (``recheck``: the rules that judged them elsewhere are
   unknown) — the setup, reported but not the target;
4. **the target**: rulebook B = A with one word added to one rule's word list
   (``speech.filler``), ``recheck``: only that rule runs again, over every
   stored call; calls per second, wall, CPU-seconds, calls re-judged;
5. rulebook C = B with one rule's weight changed: scores recomputed, nothing
   matched again.

``--reuse`` skips 1–3 when the kept store is already judged by A (it is put
back to A first, which is itself a one-rule re-check and also reported).
The load average at start and end is printed with the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages are imported inside main()

EDITED_RULE = "speech.filler"
ADDED_WORD = "        - прикинь\n"   # the line after which the word is added (rules/rulebook.yaml)


def cpu_seconds() -> tuple[float, float]:
    """(this process, its finished children) user + system CPU seconds."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def timed(fn, *args, **kwargs) -> tuple[object, dict]:
    t, (c0, k0) = time.perf_counter(), cpu_seconds()
    result = fn(*args, **kwargs)
    wall = time.perf_counter() - t
    c1, k1 = cpu_seconds()
    return result, {"wall_s": round(wall, 1), "cpu_s_driver": round(c1 - c0, 1), "cpu_s_workers": round(k1 - k0, 1),
                    "load_avg_1min_after": os.getloadavg()[0]}


def rulebooks(work: Path) -> dict[str, Path]:
    """A (the packaged rulebook), B (one word more in one rule's list), C (B with one weight changed)."""
    from rules.rulebook import DEFAULT_PATH

    text = DEFAULT_PATH.read_text("utf-8")
    if ADDED_WORD not in text:
        raise SystemExit(f"{DEFAULT_PATH}: the line {ADDED_WORD.strip()!r} to add a word after is gone; update "
                         "bench/recheck_scale.py")
    b = text.replace(ADDED_WORD, ADDED_WORD + "        - пожалуйста\n", 1)
    c = b.replace("    weight: 5\n    detector: phrases\n", "    weight: 6\n    detector: phrases\n", 1)
    out = {}
    for name, body in (("A", text), ("B", b), ("C", c)):
        folder = work / f"rulebook_{name}"
        folder.mkdir(exist_ok=True)
        (folder / "rulebook.yaml").write_text(body, "utf-8")
        out[name] = folder / "rulebook.yaml"
    return out


def step(report, figures: dict) -> dict:
    judged = report.calls_judged
    out = {"calls_by_changed_rules": report.calls_by_rules, "calls_checked_whole": report.calls_whole,
           "calls_rescored_only": report.calls_rescored, "verdicts_replaced": report.verdicts_replaced,
           "rules_changed": report.rules_changed, "failed": len(report.failed_calls)} | figures
    if judged:
        out["calls_per_s"] = round(judged / figures["wall_s"])
        out["calls_per_cpu_s"] = round(judged / max(figures["cpu_s_driver"] + figures["cpu_s_workers"], 1e-9))
    return out


def main(argv: list[str] | None = None) -> dict:
    from analytics.ingest.pipeline import ingest
    from analytics.ingest.recheck import recheck
    from analytics.queries import kpi
    from analytics.storage import store
    from rules.engine import Checker

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--calls", type=int, default=1_000_000)
    p.add_argument("--keep", type=Path, default=None, help="folder to keep the data and the store in")
    p.add_argument("--reuse", action="store_true", help="with --keep: start from the kept store")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    a = p.parse_args(argv)
    from bench.workspace import workspace

    with workspace(a.keep, "oka-recheck-") as work:
        data, db = work / "data", work / "bench.duckdb"
        out: dict = {"calls": a.calls, "cpu_cores": os.cpu_count(), "load_avg_1min_start": os.getloadavg()[0]}
        books = rulebooks(work)
        reuse = a.reuse and db.exists()
        if not reuse:
            if not (data / "calls.csv").exists():
                t = time.perf_counter()
                subprocess.run([sys.executable, "-m", "data.synth", "--calls", str(a.calls), "--out", str(data),
                                "--prechecked", "--transcripts", "--start", "2024-01-01", "--months", "24"],
                               check=True, cwd=ROOT, stdout=sys.stderr)
                out["generate_s"] = round(time.perf_counter() - t, 1)
            for stale in (db, db.with_suffix(".duckdb.wal")):
                stale.unlink(missing_ok=True)
            report, figures = timed(ingest, data, db, on_error=lambda m: None)
            out["ingest"] = figures | {"summary": report.summary()}
        checker_a = Checker.load(books["A"])
        report, figures = timed(recheck, db, checker_a, workers=a.workers)
        out["judged_by_A" if not reuse else "back_to_A"] = step(report, figures)
        before = kpi.compute_kpis(db)["violations"].get(EDITED_RULE, 0)

        report, figures = timed(recheck, db, Checker.load(books["B"]), workers=a.workers)
        out["one_rule_edit"] = step(report, figures)
        after = kpi.compute_kpis(db)["violations"].get(EDITED_RULE, 0)
        out["one_rule_edit"]["violations_of_the_rule"] = [before, after]
        out["one_rule_edit"]["under_5_min"] = figures["wall_s"] < 300

        report, figures = timed(recheck, db, Checker.load(books["C"]), workers=a.workers)
        out["weight_edit"] = step(report, figures)
        with store.connect(db, read_only=True) as con:
            out["stored_calls"] = con.execute("SELECT count(*) FROM calls").fetchone()[0]
        out["load_avg_1min_end"] = os.getloadavg()[0]
        out["db_size_mb"] = round(db.stat().st_size / 2**20)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return out


if __name__ == "__main__":
    main()
