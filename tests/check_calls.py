"""The transcripts ``check`` is held to: the findings snapshot (``tests/test_check_snapshot.py``) and the speed
bench (``bench/check_speed.py``) run over the same set.

* ``corpus``: the labelled Russian corpus, ``tests/corpus``;
* ``kk``: the Kazakh dev corpus, ``tests/corpus_kk/dev``;
* ``demo``: the bundled demo's scripted calls (``data/demo_calls.py``) as a perfect recogniser would write them,
  with times from a steady speaking rate (mono calls: speaker ``unknown``);
* ``long``: synthetic long calls — several corpus calls (Russian and Kazakh) played one after another, in ASR style
  (lowercase, no punctuation) in part, with word timings and probabilities, some of them low, so that the
  confidence gating and the phonetic matching of bent words are exercised as on real recordings.

Everything is built in code from committed files, the same on every run (a fixed seed).

    python -m tests.check_calls --write-snapshot    # after an intended change of findings: review the diff, commit
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "data" / "check_snapshot.json"
_WORD = re.compile(r"\S+")
# what a recogniser does to a word now and then: voiced/voiceless and vowel swaps, a letter dropped
_BENDS = [("зд", "сд"), ("вс", "фс"), ("о", "а"), ("е", "и"), ("т", "д"), ("ств", "ст"), ("г", "к")]


def _load(folder: Path) -> list:
    from transcription.schema import Transcript

    return [Transcript.load(p) for p in sorted(folder.glob("*.json"))]


def corpus_calls() -> list:
    return _load(ROOT / "tests" / "corpus")


def kk_calls() -> list:
    return _load(ROOT / "tests" / "corpus_kk" / "dev")


def demo_calls() -> list:
    from data.demo_calls import CALLS
    from transcription.schema import Transcript, Utterance

    out = []
    for call in CALLS:
        if call.get("broken"):
            continue
        mono = call["layout"] == "mono"
        t, utts = 0.5, []
        for turn in call["turns"]:
            speaker, text = (turn.speaker, turn.text) if hasattr(turn, "speaker") else turn
            t -= getattr(turn, "overlap_s", 0.0) or 0.0
            length = max(0.6, len(text.split()) / (2.6 * (getattr(turn, "rate", 1.0) or 1.0)))
            utts.append(Utterance("unknown" if mono else speaker, round(t, 2), round(t + length, 2), text))
            t += length + 0.7
        out.append(Transcript(call["call_id"], round(t, 2), None, call["layout"], utts))
    return out


def long_calls(n: int = 12, parts: int = 8, seed: int = 11, corpus: list | None = None, kk: list | None = None) -> list:
    """``n`` long calls, each ``parts`` corpus calls one after another (about 90 utterances; 3 to 47 minutes, 6 in
    the median, for the first 40); one in four is Kazakh, one in eight takes a Kazakh call among its parts; half
    are in ASR style, seven in ten have word timings and probabilities."""
    from transcription.schema import Transcript, Utterance, Word

    r = random.Random(seed)
    corpus = corpus_calls() if corpus is None else corpus
    kk = kk_calls() if kk is None else kk
    out = []
    for i in range(n):
        asr, with_words = r.random() < 0.5, r.random() < 0.7
        if i % 4 == 3:
            picked = r.sample(kk, parts)
        else:
            picked = r.sample(corpus, parts - 1) + r.sample(kk if i % 8 == 1 else corpus, 1)
            r.shuffle(picked)
        utts, t = [], 0.0
        for src in picked:
            for u in src.utterances:
                text = u.text
                if asr:
                    text = re.sub(r"[^\w\s-]", "", text.lower())
                    for a, b in _BENDS:
                        if r.random() < 0.05:
                            text = text.replace(a, b, 1)
                words = None
                if with_words:
                    toks = _WORD.findall(text)
                    step = (u.end - u.start) / max(1, len(toks))
                    words = [Word(w, round(t + u.start + k * step, 2), round(t + u.start + (k + 1) * step, 2),
                                  round(r.choice((0.97, 0.9, 0.8, 0.35)), 2)) for k, w in enumerate(toks)]
                utts.append(Utterance(u.speaker, round(t + u.start, 2), round(t + u.end, 2), text, words,
                                      language=u.language))
            t += src.duration_s + 2.0
        out.append(Transcript(f"long_{i:02d}", round(t, 2), None, "stereo-operator-left", utts))
    return out


def all_calls() -> dict[str, list]:
    """The four sets, by name."""
    corpus, kk = corpus_calls(), kk_calls()
    return {"corpus": corpus, "kk": kk, "demo": demo_calls(), "long": long_calls(corpus=corpus, kk=kk)}


def results(checker=None) -> dict[str, dict]:
    """``set/call_id`` → the ``CheckResult`` of the packaged rulebook, as ``oka-qa check --json`` writes it."""
    from rules.engine import Checker

    checker = checker or Checker.default()
    return {f"{name}/{t.call_id}": checker.check(t).to_dict() for name, calls in all_calls().items() for t in calls}


def main() -> int:
    ap = argparse.ArgumentParser(description="Write the findings snapshot of the check set.")
    ap.add_argument("--write-snapshot", action="store_true", help=f"write {SNAPSHOT.relative_to(ROOT)}")
    args = ap.parse_args()
    if not args.write_snapshot:
        ap.print_help()
        return 2
    got = results()
    SNAPSHOT.write_text(json.dumps(got, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(got)} calls written to {SNAPSHOT}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
