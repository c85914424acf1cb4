"""Totals of the probe sets (``tests/corpus_probe``): what the tables of its README report.

    python bench/probe_sets.py tests/corpus_probe/h12 [more sets…]

Per set, one line of totals only (a held-out set is read through nothing else): counted findings summed over
the rules of ``oka-qa eval SET --json`` (TP / FP / FN), its topic accuracy, readings exact on the calls with
readings and on all calls, and the calls given a ``request.*`` topic that their labels lack — each a
registration due that clause 2.6 would count as missed, counted over ``Checker.check`` and ``labels.json``.

Run it in a worktree of another commit (``git worktree add /tmp/base <commit>``, then this script with that
folder as the working directory) for the base figures of a change.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from pathlib import Path


def totals(folder: Path) -> str:
    from cli.main import cli  # the checked-out code's: run from the repository root of the commit measured
    from rules.engine import Checker
    from transcription.schema import Transcript

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            cli(["eval", str(folder), "--json"], standalone_mode=False)
        except SystemExit:
            pass
    report = json.loads(out.getvalue())
    rules = report.get("rules", {})
    tp, fp, fn = (sum(r.get(k, 0) for r in rules.values()) for k in ("tp", "fp", "fn"))
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    checker = Checker.default()
    requests = 0
    for path in sorted(folder.glob("*.json")):
        label = labels.get(path.stem)
        if label is None:
            continue
        topics = checker.check(Transcript.load(path)).topics
        wanted = set(label.get("topics") or [label.get("topic")])
        requests += any(t.startswith("request.") and t not in wanted for t in topics)
    return (f"{folder.name}\t{tp}/{fp}/{fn}\ttopic {report.get('topic_accuracy')}\treadings "
            f"{report.get('readings_accuracy_calls_with_readings')} / all {report.get('readings_accuracy')}"
            f"\trequest not labelled {requests}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="+", type=Path)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(Path.cwd()))
    for folder in args.sets:
        print(totals(folder.resolve()), flush=True)


if __name__ == "__main__":
    main()
