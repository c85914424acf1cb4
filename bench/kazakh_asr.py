"""Kazakh recognition on synthetic recordings: error rates with the Kazakh decode path on and off, same run.

    python bench/kazakh_asr.py [--voices kk,f3,m3] [--lines 6] [--model embedded-base] [--device cpu]

Kazakh turns of ``data.kazakh_audio`` (operators' and customers' alike, every ``len/lines``-th one), each
spoken by each espeak-ng Kazakh voice variant, are one stereo recording each (the turn on the operator's
side).  Each recording is transcribed with ``language="kk"`` three times in this run, by the same loaded
model: ``kk_decode`` on (no prompt, bounded fallback, loops cut: ``transcription.language``), on with the
neutral Kazakh prompt (``kkprompt``: what a prompt adds), and off (``plain``: decoded like a Russian piece,
with the Russian terms' prompt).
Printed per voice and path: WER and CER against the script (lower case, no punctuation), words recognised,
recordings left with no word, CPU seconds of the decoding.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from data.kazakh_audio import KK_CUSTOMER, KK_OPERATOR
from data.tts import Turn, synthesize_call
from transcription.language import KK_NEUTRAL_PROMPT
from transcription.model import load_model, pick_runtime
from transcription.options import TranscribeOptions
from transcription.pipeline import Transcriber
from transcription.recognize import Recognizer


def normalize(text: str) -> str:
    """Lower case, no punctuation (the script and the recognised text alike)."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", text.lower().replace("ё", "е")).split())


def lines(every: int) -> list[str]:
    """Every ``every``-th Kazakh turn of the synthetic calls' scripts."""
    turns = [t for call in KK_OPERATOR + KK_CUSTOMER for t in call]
    return turns[::max(every, 1)]


def render(folder: Path, texts: list[str], voices: list[str]) -> list[tuple[str, str, Path]]:
    """(voice, script, WAV) for each text in each voice."""
    out = []
    for v in voices:
        variant = "" if v == "kk" else v
        for k, text in enumerate(texts):
            path = folder / f"{v}_{k:02d}.wav"
            synthesize_call([Turn("operator", text, language="kk", voice=variant)], path, noise_db=-40, seed=k)
            out.append((v, text, path))
    return out


def main() -> None:
    import jiwer

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--voices", default="kk,f3,m3", help="espeak-ng variants of the Kazakh voice (kk: the plain one)")
    ap.add_argument("--lines", type=int, default=6, help="how many turns of the scripts (spread over them)")
    ap.add_argument("--model", default=None)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--cpu-threads", type=int, default=1)
    args = ap.parse_args()
    base = TranscribeOptions(device=args.device, language="kk", cpu_threads=args.cpu_threads,
                             **({"model": args.model} if args.model else {}))
    model = load_model(base, pick_runtime(base))
    every = len([t for call in KK_OPERATOR + KK_CUSTOMER for t in call]) // max(args.lines, 1)
    texts = lines(every)[:args.lines]
    voices = [v.strip() for v in args.voices.split(",") if v.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        recs = render(Path(tmp), texts, voices)
        print(f"{len(texts)} turns x {len(voices)} voices = {len(recs)} recordings; language kk forced\n")
        print(f"{'voice':<7}{'path':<9}{'WER':>7}{'CER':>7}{'words ref/hyp':>15}{'no word':>9}{'CPU s':>8}")
        paths = {"kazakh": {"kk_decode": True}, "kkprompt": {"kk_decode": True, "kk_prompt": KK_NEUTRAL_PROMPT},
                 "plain": {"kk_decode": False}}
        total: dict[str, list] = {name: [[], [], 0, 0.0] for name in paths}
        for v in voices:
            mine = [(text, path) for vv, text, path in recs if vv == v]
            for name, settings in paths.items():
                opts = replace(base, **settings)
                tr = Transcriber(opts, Recognizer(opts, model=model))
                refs, hyps = [], []
                began = time.process_time()
                for text, path in mine:
                    t = tr.transcribe(path)
                    refs.append(normalize(text))
                    hyps.append(normalize(" ".join(u.text for u in t.utterances)))
                cpu = time.process_time() - began
                empty = sum(not h for h in hyps)
                w = jiwer.wer(refs, [h or "<empty>" for h in hyps])
                c = jiwer.cer(refs, [h or "<empty>" for h in hyps])
                n_ref, n_hyp = sum(len(r.split()) for r in refs), sum(len(h.split()) for h in hyps)
                print(f"{v:<7}{name:<9}{w:>7.1%}{c:>7.1%}{f'{n_ref}/{n_hyp}':>15}{empty:>9}{cpu:>8.1f}")
                acc = total[name]
                acc[0] += refs
                acc[1] += hyps
                acc[2] += empty
                acc[3] += cpu
                for r, h in zip(refs, hyps, strict=True):
                    print(f"    ref: {r}\n    hyp: {h or '—'}")
        print()
        for name, (refs, hyps, empty, cpu) in total.items():
            print(f"{'all':<7}{name:<9}{jiwer.wer(refs, [h or '<empty>' for h in hyps]):>7.1%}"
                  f"{jiwer.cer(refs, [h or '<empty>' for h in hyps]):>7.1%}"
                  f"{f'{sum(len(r.split()) for r in refs)}/{sum(len(h.split()) for h in hyps)}':>15}"
                  f"{empty:>9}{cpu:>8.1f}")


if __name__ == "__main__":
    main()
