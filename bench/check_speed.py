"""What one call costs ``check`` (a transcript JSON object in, a ``CheckResult`` out), beside the floor it cannot beat.

    python bench/check_speed.py [--long 40] [--transcripts DIR] [--cpu 0] [--json] [--profile]

(``--profile``: the engine's last run, cProfile, to stderr)

The floor is what any checker must do at the least: split the transcript into the rules' tokens and look each
token's lemma up once in a cache (pymorphy3 parses a word the first time it is seen).  It is written the fastest
plain way this bench found, and the bench measures every way it knows and keeps the fastest, so the floor is
never slower than what it bounds:

* ``findall_get``   — one ``TOKEN.findall`` over the lowercased text, then ``dict.get`` per token in a loop;
* ``findall_map``   — the same with ``map(dict.get, ...)`` (the loop in C), misses parsed afterwards;
* ``finditer_lru``  — the old floor: ``finditer``, lowercase per token, an ``lru_cache``d parse per token.

The calls (``tests/check_calls.py``, the set the findings snapshot holds): the labelled corpus, the Kazakh dev
corpus, the demo's scripted calls and synthetic long calls (``--long``; eight corpus calls one after another, about
90 utterances, half of them in ASR style, most with word probabilities), plus the transcripts in ``--transcripts``
(e.g. the demo's Whisper transcripts: the ``transcripts`` folder beside an ingested store).

«check» is what ``oka-qa check`` does per call once the file is read and parsed: the transcript's JSON object
checked against the contract and made a ``Transcript`` (``Transcript.from_dict``), then ``Checker.check``; the floor
starts from the same objects (each utterance's ``text``).  ``engine`` is ``Checker.check`` alone, on ``Transcript``
objects built before the clock (what the ingest and the re-check pay, which hold transcripts already).  ``call`` is
the part of the engine every rule starts from and no rule is in: the analysed call (``rules.call.Call``: each
utterance tokenised and its words analysed, the call's and each utterance's language, the speakers' roles), so the
rules' own share is engine − call.

Check and the floors run in one process, pinned to one core (``taskset``), the transcripts loaded before the
clock starts, taking turns set by set (the order rotates each run), so that a loaded machine weighs on both alike;
the engine runs with the floors in a second process and the call in a third (each shares check's caches, so it
could not start cold beside it).  In each process run 1 starts with empty caches (every distinct word parsed once,
on every side, each floor with a cache of its own): «first run»; runs 2-4 have them warm: «best of three» is the
fastest.  Times are CPU seconds (``time.process_time``); each ratio is a side over the floor of its own process,
per call.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 4   # the first with cold caches, then three with warm ones
FLOORS = ("findall_get", "findall_map", "finditer_lru")


def call_sets(n_long: int, extra: list[str]) -> dict[str, list]:
    from tests.check_calls import corpus_calls, demo_calls, kk_calls, long_calls
    from transcription.schema import Transcript

    corpus, kk = corpus_calls(), kk_calls()
    sets = {"corpus": corpus, "kk": kk, "demo": demo_calls(),
            "long": long_calls(n=n_long, corpus=corpus, kk=kk)}
    for folder in extra:
        sets[Path(folder).name] = [Transcript.load(p) for p in sorted(Path(folder).glob("*.json"))]
    return sets


def _floor(kind: str):
    """A function: list of calls (each a list of utterance texts) → number of tokens, lemmas looked up."""
    from functools import lru_cache

    from rules.text import TOKEN, morph

    parse = morph().parse
    findall = TOKEN.findall
    cache: dict[str, str] = {}
    get = cache.get

    def findall_get(calls) -> int:
        n = 0
        for texts in calls:
            for text in texts:
                for w in findall(text.lower().replace("ё", "е")):
                    if get(w) is None:
                        cache[w] = parse(w)[0].normal_form
                    n += 1
        return n

    def findall_map(calls) -> int:
        n = 0
        for texts in calls:
            for text in texts:
                words = findall(text.lower().replace("ё", "е"))
                lemmas = list(map(get, words))
                if None in lemmas:
                    for w, lemma in zip(words, lemmas, strict=True):
                        if lemma is None and w not in cache:
                            cache[w] = parse(w)[0].normal_form
                n += len(words)
        return n

    @lru_cache(maxsize=300_000)
    def lemma(w: str) -> str:
        return parse(w)[0].normal_form

    def finditer_lru(calls) -> int:
        n = 0
        for texts in calls:
            for text in texts:
                for m in TOKEN.finditer(text):
                    lemma(m.group().lower().replace("ё", "е"))
                    n += 1
        return n

    return {"findall_get": findall_get, "findall_map": findall_map, "finditer_lru": finditer_lru}[kind]


def child(side: str, n_long: int, extra: list[str], profile: bool) -> dict:
    """Run ``side`` (check, engine or call) and every floor over every set ``RUNS`` times in this process, taking turns
    set by set (the order rotates each run), so that both meet the same load; CPU seconds per side, set and run."""
    from rules.call import Call
    from rules.engine import Checker
    from rules.text import morph
    from transcription.schema import Transcript

    sets = call_sets(n_long, extra)
    morph()  # the analyser's dictionaries load once per process, before the clock, on both sides
    checker = Checker.default()
    check, from_dict = checker.check, Transcript.from_dict
    dicts = {name: [t.to_dict() for t in calls] for name, calls in sets.items()}

    def work_check(calls) -> int:
        for d in calls:
            check(from_dict(d))
        return len(calls)

    def work_engine(calls) -> int:
        for t in calls:
            check(t)
        return len(calls)

    def work_call(calls) -> int:
        rulebook = checker.rulebook
        for t in calls:
            Call(t, rulebook)
        return len(calls)

    def floor_work(kind: str):
        floor = _floor(kind)  # a cache of its own, empty before its first run
        return lambda calls: floor([[u["text"] for u in d["utterances"]] for d in calls])

    sides = {"check": work_check, "engine": work_engine, "call": work_call}
    work = {side: sides[side], **{k: floor_work(k) for k in FLOORS}}
    inputs = {s: (sets if s in ("engine", "call") else dicts) for s in work}
    out: dict = {"calls": {k: len(v) for k, v in sets.items()},
                 "cpu_s": {s: {k: [] for k in sets} for s in work}, "tokens": {}}
    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
    order = list(work)
    for run in range(RUNS):
        for name in sets:
            for s in order[run % len(order):] + order[:run % len(order)]:
                profiling = prof is not None and run == RUNS - 1 and s == side
                if profiling:
                    prof.enable()
                t0 = time.process_time()
                count = work[s](inputs[s][name])
                out["cpu_s"][s][name].append(time.process_time() - t0)
                if profiling:
                    prof.disable()
                if s in FLOORS:
                    out["tokens"][name] = count
    if prof is not None:
        import pstats

        pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    return out


def spawn(side: str, args) -> dict:
    cmd = [sys.executable, __file__, "--side", side, "--long", str(args.long)]
    cmd += [x for d in args.transcripts for x in ("--transcripts", d)]
    if args.profile and side == "engine":
        cmd.append("--profile")
    if args.cpu is not None and shutil.which("taskset"):
        cmd = ["taskset", "-c", str(args.cpu), *cmd]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"bench/check_speed.py: the {side} process failed: {proc.stderr.strip()[-800:]}")
    if args.profile and side == "engine":
        print(proc.stderr, file=sys.stderr)
    return json.loads(proc.stdout)


def _per_call(runs: list[float], calls: int) -> dict:
    return {"first_run_us_per_call": round(runs[0] / calls * 1e6, 1),
            "best_of_three_us_per_call": round(min(runs[1:]) / calls * 1e6, 1)}


def report(got: dict[str, dict]) -> dict:
    """Per set and over all calls: check and the floors from the check process, the engine beside the floor of its
    own process; ratios per call, first run and best of three."""
    sets = list(got["check"]["calls"])
    out: dict = {"sets": {}}
    n_calls = sum(got["check"]["calls"].values())
    rows = [(name, got["check"]["calls"][name]) for name in sets] + [("all", n_calls)]
    for name, calls in rows:
        row: dict = {"calls": calls}
        for proc, res in got.items():
            for s, by_set in res["cpu_s"].items():
                runs = [sum(x) for x in zip(*by_set.values(), strict=True)] if name == "all" else by_set[name]
                key = s if proc in (s, "check") else f"{s}@{proc}"
                row[key] = _per_call(runs, calls)
        row["tokens"] = sum(got["check"]["tokens"].values()) if name == "all" else got["check"]["tokens"][name]
        if name == "all":
            out["all"] = row
        else:
            out["sets"][name] = row
    floor = min(FLOORS, key=lambda s: out["all"][s]["best_of_three_us_per_call"])
    out["floor"] = floor
    for row in [*out["sets"].values(), out["all"]]:
        for run in ("first_run", "best_of_three"):
            key = f"{run}_us_per_call"
            row[f"ratio_{run}"] = round(row["check"][key] / row[floor][key], 2)
            for side in ("engine", "call"):
                row[f"{side}_ratio_{run}"] = round(row[side][key] / row[f"{floor}@{side}"][key], 2)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--long", type=int, default=40, help="synthetic long calls (default 40)")
    ap.add_argument("--transcripts", action="append", default=[], metavar="DIR",
                    help="also a folder of transcript JSON files (a set named after the folder)")
    ap.add_argument("--cpu", type=int, default=0, help="core to pin each process to (taskset)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--profile", action="store_true", help="print check's profile (its last run) to stderr")
    ap.add_argument("--side", choices=("check", "engine", "call"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.side:
        print(json.dumps(child(args.side, args.long, args.transcripts, args.profile)))
        return 0
    got = {side: spawn(side, args) for side in ("check", "engine", "call")}
    out = report(got)
    if args.json:
        print(json.dumps(out))
        return 0
    floor = out["floor"]
    print(f"check against its floor ({floor}, the fastest of {', '.join(FLOORS)}); CPU µs per call, "
          f"one core (cpu {args.cpu}); first run with cold caches / best of three warm")
    print(f"  {'set':<12}{'calls':>6}{'tokens':>8}   {'check':>19}   {floor:>19}   {'check/floor':>13}"
          f"   {'engine/floor':>13}   {'call/floor':>13}")
    for name, row in [*out["sets"].items(), ("all", out["all"])]:
        c, f = row["check"], row[floor]
        calls = row.get("calls", sum(r["calls"] for r in out["sets"].values()))
        tokens = row.get("tokens", sum(r["tokens"] for r in out["sets"].values()))
        print(f"  {name:<12}{calls:>6}{tokens:>8}"
              f"   {c['first_run_us_per_call']:>9.1f} /{c['best_of_three_us_per_call']:>8.1f}"
              f"   {f['first_run_us_per_call']:>9.1f} /{f['best_of_three_us_per_call']:>8.1f}"
              f"   {row['ratio_first_run']:>5.1f}x /{row['ratio_best_of_three']:>5.1f}x"
              f"   {row['engine_ratio_first_run']:>5.1f}x /{row['engine_ratio_best_of_three']:>5.1f}x"
              f"   {row['call_ratio_first_run']:>5.1f}x /{row['call_ratio_best_of_three']:>5.1f}x")
    others = ", ".join(f"{s} {out['all'][s]['best_of_three_us_per_call']:.1f}" for s in FLOORS if s != floor)
    print(f"  other floors, all calls, best of three (µs per call): {others}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
