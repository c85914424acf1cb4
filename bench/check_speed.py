"""Throughput of ``oka-qa check`` on one core, beside the floor it cannot beat.

    python bench/check_speed.py --calls 10000 [--cpu 0] [--json]

1. Writes N synthetic transcripts: the labelled corpus (``tests/corpus``)
   re-mixed — utterances of several calls, new names, new account numbers and
   meter values, some calls in ASR style — so that the vocabulary keeps growing
   as it would over real calls.
2. Runs the whole ``oka-qa check --json`` process over all of them, pinned to
   one core (``taskset``), output to /dev/null.
3. Runs, pinned the same way and over the same files, the floor: a process that
   loads each transcript, tokenises it the same way and lemmatises every token
   with pymorphy3 alone — once with a per-word cache, as the checker does
   (``floor``), and once parsing every token afresh (``floor_uncached``).

Wall seconds and CPU seconds (user+sys of the child) are both reported; on a
shared machine the CPU figure is the fair one, and ``--repeat`` keeps the best
of several interleaved runs.  Calls per second = N / seconds.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
NAMES = ["Айгуль", "Нурлан", "Бауыржан", "Сауле", "Ерлан", "Динара", "Анна", "Сергей", "Ольга", "Асель", "Мурат",
         "Гульнара", "Талгат", "Жанар", "Игорь", "Меруерт", "Канат", "Жибек", "Тимур", "Салтанат"]
_NUM = re.compile(r"\d+")


def synthesise(n: int, out: Path, seed: int = 7) -> list[Path]:
    r = random.Random(seed)
    base = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("corpus_*.json"))]
    paths = []
    for i in range(n):
        a, b = r.sample(base, 2)
        utts = [dict(u) for u in a["utterances"]]
        extra = [dict(u) for u in r.sample(b["utterances"], min(3, len(b["utterances"])))]
        t = utts[-1]["end"] if utts else 0.0
        for u in extra:  # a few turns of another call, placed before the goodbye
            d = u["end"] - u["start"]
            u["start"], u["end"] = t - d - 5, t - 5
        utts = sorted(utts + extra, key=lambda u: u["start"])
        name = r.choice(NAMES)
        asr = r.random() < 0.4
        for u in utts:
            text = _NUM.sub(lambda m: str(r.randrange(10 ** (len(m.group()) - 1), 10 ** len(m.group()))), u["text"])
            text = re.sub(r"\b(Айгуль|Нурлан|Асем|Динара|Мадина|Сабина|Ольга)\b", name, text)
            if asr:
                text = re.sub(r"[^\w\s,-]", "", text.lower())
            u["text"] = text
            u.pop("words", None)
        data = {"call_id": f"bench_{i:05d}", "duration_s": max(a["duration_s"], t), "language": "ru",
                "layout": a["layout"], "utterances": utts}
        p = out / f"bench_{i:05d}.json"
        p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        paths.append(p)
    return paths


def floor(paths: list[str], cached: bool) -> None:
    """Load each transcript and lemmatise every token with pymorphy3, nothing else."""
    from functools import lru_cache

    import pymorphy3

    from rules.text import _TOKEN
    from transcription.schema import Transcript

    morph = pymorphy3.MorphAnalyzer()

    def lemma(w: str) -> str:
        return morph.parse(w)[0].normal_form

    if cached:
        lemma = lru_cache(maxsize=300_000)(lemma)
    n = 0
    for p in paths:
        t = Transcript.load(Path(p))
        for u in t.utterances:
            for m in _TOKEN.finditer(u.text):
                lemma(m.group().lower().replace("ё", "е"))
                n += 1
    print(n, file=sys.stderr)


def run(cmd: list[str], cpu: int | None) -> tuple[float, float]:
    if cpu is not None and shutil.which("taskset"):
        cmd = ["taskset", "-c", str(cpu), *cmd]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:4])}...: exit {proc.returncode}: {proc.stderr[-500:]}")
    cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu_s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=10000)
    ap.add_argument("--cpu", type=int, default=0, help="core to pin the processes to (taskset)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each process this many times, interleaved, and keep the fastest "
                         "(a shared machine is noisy)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--floor", choices=["cached", "uncached"], help=argparse.SUPPRESS)
    ap.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.floor:
        floor(args.files, args.floor == "cached")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="oka-bench-"))
    try:
        files = [str(p) for p in synthesise(args.calls, tmp)]
        py = sys.executable
        runs: dict[str, list[tuple[float, float]]] = {}
        for _ in range(max(1, args.repeat)):
            for name, cmd in (("check", [py, "-m", "cli.main", "check", "--json", *files]),
                              ("floor", [py, __file__, "--floor", "cached", *files]),
                              ("floor_uncached", [py, __file__, "--floor", "uncached", *files])):
                runs.setdefault(name, []).append(run(cmd, args.cpu))
        results = {}
        for name, got in runs.items():
            wall, cpu_s = min(w for w, _ in got), min(c for _, c in got)
            results[name] = {"wall_s": round(wall, 2), "cpu_s": round(cpu_s, 2),
                             "calls_per_s_wall": round(args.calls / wall, 1),
                             "calls_per_s_cpu": round(args.calls / cpu_s, 1)}
        report = {"calls": args.calls, "core": args.cpu, "repeat": args.repeat, **results,
                  "ratio_check_to_floor_cpu": round(results["check"]["cpu_s"] / results["floor"]["cpu_s"], 2),
                  "ratio_check_to_floor_wall": round(results["check"]["wall_s"] / results["floor"]["wall_s"], 2),
                  "ratio_check_to_uncached_floor_cpu":
                      round(results["check"]["cpu_s"] / results["floor_uncached"]["cpu_s"], 2)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{args.calls} synthetic calls, one core (cpu {args.cpu}), best of {args.repeat}")
        for name in ("check", "floor", "floor_uncached"):
            r = report[name]
            print(f"  {name:<15} {r['calls_per_s_cpu']:>8.1f} calls/s of CPU ({r['cpu_s']} s)   "
                  f"{r['calls_per_s_wall']:>8.1f} calls/s wall ({r['wall_s']} s)")
        print(f"  check / floor: {report['ratio_check_to_floor_cpu']}x CPU, "
              f"{report['ratio_check_to_floor_wall']}x wall; "
              f"check / uncached floor: {report['ratio_check_to_uncached_floor_cpu']}x CPU")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
