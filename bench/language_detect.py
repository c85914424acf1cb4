"""How often the language is detected right on synthetic recordings (espeak-ng Kazakh, festival Russian).

    python bench/language_detect.py [--model embedded-base] [--device cpu]

1. Renders the calls of ``data.kazakh_audio`` (Kazakh, Russian, and mixed: one side each).
2. Prints each side's P(kk | ru or kk) over its voiced speech (``transcription.language``).
3. Picks the ``kk_threshold`` that best separates the sides of the *dev* half.
4. Transcribes the *test* half with ``--language auto`` at the default threshold (0.5) and at
   the calibrated one, and prints how many calls' and sides' languages came out right.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from data.kazakh_audio import render
from transcription.audio import SAMPLE_RATE, decode
from transcription.language import SPEAKER_S, kk_probability
from transcription.model import load_model, pick_runtime
from transcription.options import TranscribeOptions
from transcription.pipeline import Transcriber
from transcription.recognize import Recognizer, speech_chunks


def side_probability(model, channel: np.ndarray) -> float:
    chunks = speech_chunks(channel)
    speech = np.concatenate([channel[int(c.start * SAMPLE_RATE):int(c.end * SAMPLE_RATE)] for c in chunks]) \
        if chunks else channel
    return kk_probability(model, speech[:int(SPEAKER_S * SAMPLE_RATE)], trim=True)  # as the pipeline hears a speaker


def best_threshold(points: list[tuple[float, str]]) -> float:
    """The threshold (a midpoint between two observed probabilities) with the most sides right."""
    ps = sorted({p for p, _ in points})
    cands = [0.5] + [(a + b) / 2 for a, b in pairwise(ps)]
    return max(cands, key=lambda t: (sum((p > t) == (lang == "kk") for p, lang in points), -abs(t - 0.5)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--skip-default", action="store_true", help="transcribe at the calibrated threshold only")
    args = ap.parse_args()
    opts = TranscribeOptions(device=args.device, **({"model": args.model} if args.model else {}))
    model = load_model(opts, pick_runtime(opts))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        labels = render(folder)
        sides = {}
        print(f"{'call':<9}{'half':<6}{'label':<7}{'P(kk) operator':>16}{'P(kk) customer':>16}")
        for cid, lab in labels.items():
            left, right = decode(folder / f"{cid}.wav").channels
            sides[cid] = {"operator": side_probability(model, left), "customer": side_probability(model, right)}
            print(f"{cid:<9}{lab['half']:<6}{lab['language']:<7}{sides[cid]['operator']:>16.3f}"
                  f"{sides[cid]['customer']:>16.3f}")
        dev = [(sides[c][s], lab["sides"][s]) for c, lab in labels.items() if lab["half"] == "dev"
               for s in ("operator", "customer")]
        threshold = best_threshold(dev)
        print(f"\ncalibrated on dev ({len(dev)} sides): kk_threshold = {threshold:.3f}")
        test = [c for c, lab in labels.items() if lab["half"] == "test"]
        for t in ((threshold,) if args.skip_default else (0.5, threshold)):
            o = TranscribeOptions(device=args.device, kk_threshold=t, **({"model": args.model} if args.model else {}))
            tr = Transcriber(o, Recognizer(o, model=model))
            calls_right = sides_right = 0
            began = time.perf_counter()
            got_langs = Counter()
            for cid in test:
                transcript = tr.transcribe(folder / f"{cid}.wav")
                got_langs[(labels[cid]["language"], transcript.language)] += 1
                calls_right += transcript.language == labels[cid]["language"]
                for side in ("operator", "customer"):
                    langs = Counter(u.language for u in transcript.utterances if u.speaker == side)
                    sides_right += bool(langs) and langs.most_common(1)[0][0] == labels[cid]["sides"][side]
            secs = time.perf_counter() - began
            print(f"test half, kk_threshold {t:.3f}: calls right {calls_right}/{len(test)}, "
                  f"sides right {sides_right}/{2 * len(test)} ({secs:.0f} s); "
                  f"(label, detected): {json.dumps({f'{a}->{b}': n for (a, b), n in sorted(got_langs.items())})}")


if __name__ == "__main__":
    main()
