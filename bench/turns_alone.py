"""The recogniser's ceiling on the held-out corpus's voices: each written turn decoded on its own.

    python bench/turns_alone.py --half dev                 # per call and totals
    python bench/turns_alone.py --half dev --layout mono   # the mono calls only
    python bench/turns_alone.py --half test                # totals only

The script's own turn times cut the recording (no VAD, no voice prints, no packing: a perfect split), and the
embedded model decodes each turn alone (its speaker's channel on stereo calls, the mix on mono ones; Russian,
beam 5, no prompt, no temperature fallback; the pipeline's guards drop what they would drop, unless
``--no-guards``).  The word
error rate per speaker, by layout and by the speaker's voice engine (festival, espeak-ng), says how much of a
side the pipeline could hear at best: where even a perfect split leaves a voice unread, no change of how the
audio is split or decoded can recover it (``bench/heldout.py --wer`` gives the pipeline's own figure).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.heldout_corpus import DEFAULT_DIR, build, spoken_text  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    import jiwer
    import numpy as np

    from bench.asr import normalize
    from transcription import guards
    from transcription.audio import SAMPLE_RATE, decode
    from transcription.model import load_model, pick_runtime
    from transcription.options import TranscribeOptions

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=["dev", "test"], default="dev")
    ap.add_argument("--folder", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--layout", choices=["all", "mono", "stereo-operator-left"], default="all")
    ap.add_argument("--no-guards", action="store_true", help="keep every segment the model writes (the guards off)")
    args = ap.parse_args(argv)
    calls = [c for c in build(args.folder) if c["half"] == args.half
             and args.layout in ("all", c["condition"]["layout"])]
    opts = TranscribeOptions(cpu_threads=1)
    model = load_model(opts, pick_runtime(opts))
    kw = {"language": "ru", "beam_size": opts.beam_size, "vad_filter": False, "condition_on_previous_text": False,
          "temperature": 0.0}

    def heard(clip: np.ndarray) -> str:
        segments, _ = model.transcribe(clip.astype(np.float32), **kw)
        if args.no_guards:
            return " ".join(s.text for s in segments)
        return " ".join(s.text for s in guards.without_repeats(list(segments)) if not guards.dropped(s, opts))

    totals: dict[tuple[str, str, str], list[int]] = {}   # errors, words of the script, words heard right
    for c in calls:
        audio = decode(args.folder / "audio" / c["file"])
        written = json.loads((args.folder / "written" / f"{c['call_id']}.json").read_text(encoding="utf-8"))
        mono = c["condition"]["layout"] == "mono" or not audio.stereo
        for k, speaker in enumerate(("operator", "customer")):
            signal = audio.mono() if mono else audio.channels[k]
            turns = [u for u in written["utterances"] if u["speaker"] == speaker]
            ref = normalize(" ".join(spoken_text(u["text"]) for u in turns))
            hyp = normalize(" ".join(heard(signal[int(u["start"] * SAMPLE_RATE):int(u["end"] * SAMPLE_RATE)])
                                     for u in turns))
            if not ref.split():
                continue
            out = jiwer.process_words(ref, hyp or "<empty>")
            errors, n = out.substitutions + out.deletions + out.insertions, len(ref.split())
            engine = c[f"{speaker}_voice"].split("/")[0].split("+")[0]
            t = totals.setdefault((c["condition"]["layout"], speaker, engine), [0, 0, 0])
            t[0], t[1], t[2] = t[0] + errors, t[1] + n, t[2] + out.hits
            if args.half == "dev":
                print(f"{c['call_id']}  {c['condition']['layout']:<22}{speaker:<10}{engine:<9}WER {errors / n:.3f}")
    print(f"\n{args.half} half, each written turn decoded alone: WER (and the script's words heard right) by layout,"
          " speaker and voice engine")
    for (layout, speaker, engine), (errors, n, right) in sorted(totals.items()):
        print(f"{layout:<22}{speaker:<10}{engine:<9}{errors / n:6.3f}  ({right / n:.3f} right) over {n} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
