"""The ASR bench's comparison on the held-out corpus: the pipeline against the naive Whisper loop, totals only.

    python bench/asr_heldout.py --folder /work/var-heldout/heldout --half dev          # prompt to both, then neither
    python bench/asr_heldout.py --folder /work/var-heldout/heldout --half test --prompt off

The same comparison as ``bench/asr.py`` (same cores, processes and threads a side, the sides taking
turns block by block, CPU from ``getrusage``, per-speaker WER, the equal-CPU ratio), over the
recordings of ``bench/heldout_corpus.py`` (μ-law and PCM, stereo and mono, line noise, crosstalk)
instead of the ASR bench's own calls.  The reference is each call's written script as it is
spoken (``spoken_text``: digits and abbreviations as words); WER uses ``bench/asr.py``'s
normalisation.  The naive loop is handed the recordings themselves (faster-whisper decodes and
downmixes them, inside the timing: the μ-law files are not 16-bit PCM to copy beforehand).

Nothing per call is printed or written: the test half is measured, never studied.  Transcripts are
not cached and not kept.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from asr import Call, compare, finish, same_cores  # noqa: E402

from bench.heldout_corpus import DEFAULT_DIR, N_CALLS, SEED, build, spoken_text  # noqa: E402


def heldout_calls(folder: Path, half: str, n_calls: int = N_CALLS, seed: int = SEED,
                  first: int = 0) -> tuple[list[Call], float]:
    """The half's calls (its ``first`` ones, 0: all) as the ASR bench's ``Call`` (file relative to
    ``folder/audio``), and their seconds of audio."""
    calls, audio_s = [], 0.0
    for c in build(folder, n_calls, seed):
        if half not in ("all", c["half"]) or (first and len(calls) == first):
            continue
        written = json.loads((folder / "written" / f"{c['call_id']}.json").read_text(encoding="utf-8"))
        refs = [{"speaker": u["speaker"], "start": u["start"], "text": spoken_text(u["text"])}
                for u in written["utterances"]]
        cond = c["condition"]
        calls.append(Call(file=c["file"], layout=cond["layout"], bleed_db=-20.0 if cond.get("crosstalk") else None,
                          noise_db=cond.get("noise_db", 0.0), refs=refs))
        audio_s += float(written["duration_s"])
    return calls, audio_s


def main(argv: list[str] | None = None) -> int:
    from asr import _parse_set

    from transcription.options import TranscribeOptions

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folder", type=Path, default=DEFAULT_DIR, help="the held-out corpus (built if missing)")
    ap.add_argument("--half", choices=("dev", "test", "all"), default="dev")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--n-calls", type=int, default=N_CALLS)
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="a TranscribeOptions field (as bench/asr.py --set)")
    ap.add_argument("--prompt", choices=("both", "on", "off"), default="both",
                    help="the decoding prompt given to both sides (on), to neither (off), or one run of each (both)")
    ap.add_argument("--calls", type=int, default=0, help="only the half's first N calls (0: all)")
    ap.add_argument("--block", type=int, default=5, help="calls per turn of each system")
    ap.add_argument("--json", type=Path, default=None, help="also write the totals here")
    args = ap.parse_args(argv)

    calls, audio_s = heldout_calls(args.folder, args.half, args.n_calls, args.seed, args.calls)
    if not calls:
        raise SystemExit(f"{args.folder}: no calls in the {args.half} half")
    opts = TranscribeOptions()
    _parse_set(args.set, opts)
    same_cores(opts)
    modes = {"both": ("on", "off"), "on": ("on",), "off": ("off",)}[args.prompt]
    print(f"held-out corpus {args.folder}, {args.half} half", flush=True)
    out = compare(calls, args.folder / "audio", opts, modes, args.block, True, audio_s, downmixed=False)
    for figures in out.values():
        figures["half"] = args.half
    finish(out, args.json)
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
