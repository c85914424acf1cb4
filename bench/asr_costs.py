"""Where the transcription pipeline's CPU goes, stage by stage, on the ASR bench's calls.

    python bench/asr_costs.py                  # prompt on, every call of the bench corpus
    python bench/asr_costs.py --prompt off --calls 12
    python bench/asr_costs.py --set pack_by_speaker=true
    python bench/asr_costs.py --folder data/demo/audio   # any folder of recordings (one not decoded: left out)

One process, one thread, pinned to one core where ``taskset`` exists (``--cpu``), the model loaded and one
call transcribed before the clock.  Each stage's CPU seconds (``time.process_time``) are its own: a stage
called inside another (a second pass inside the first) is taken out of the outer one.

* ``read``: decoding the recording (``transcription.audio.decode``);
* ``voice activity``: the speech chunks (Silero VAD; in mono the chunks and the voices told apart);
* ``language``: the language of each speaker and piece (``transcription.language.chunk_languages``): the
  encoder over each speaker's first seconds and over the pieces, and Whisper's language scores.  A piece's
  window encoded here is read again by the decoder from the cache (``transcription.encoder_cache``): its
  encoding is counted here, and the first pass shows it among the windows it reused;
* ``first pass``: every piece decoded once (batched), its words aligned, the guards;
* ``second pass``: the pieces a guard sent back, decoded again alone (or chunk by chunk);
* ``rest``: everything else (the bleed gate and copies, roles, the transcript).

Below, the model's own calls wherever they were made (cProfile: CTranslate2's ``encode``, ``generate``,
``align``, ``detect_language``, the VAD's ONNX runtime), and the encoder's work: windows encoded and reused,
and seconds of frames it encoded against the seconds of audio.  Nothing here is compared with a baseline
(``bench/asr.py`` does that): it says which part a change could make cheaper, and by how much at most.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from asr import _duration, _parse_set  # noqa: E402
from asr_corpus import DEFAULT_DIR, build_corpus  # noqa: E402

# (label, module, class or "", function): the functions timed, each the stage it starts
STAGES = [
    ("read", "transcription.pipeline", "", "decode"),
    ("voice activity", "transcription.pipeline", "", "speech_chunks"),
    ("voice activity", "transcription.roles", "", "speech_chunks"),
    ("voice activity", "transcription.roles", "", "cluster_voices"),
    ("language", "transcription.recognize", "", "chunk_languages"),
    ("first pass", "transcription.recognize", "Recognizer", "_recognize"),
    ("second pass", "transcription.recognize", "Recognizer", "_second_pass"),
    ("second pass", "transcription.recognize", "Recognizer", "_chunk_by_chunk"),
    ("second pass", "transcription.recognize", "Recognizer", "_after_loop"),
]
MODEL_CALLS = {"encode": "encode", "generate": "generate", "align": "align", "detect_language": "detect_language",
               "run": "VAD (ONNX)"}


class Stages:
    """Per stage, its own CPU seconds and encoder windows (what stages called inside it spent taken out)."""

    MEASURES = ("cpu", "encoded", "reused")

    def __init__(self) -> None:
        self.own: dict[str, Counter] = {m: Counter() for m in self.MEASURES}
        self.encoder_counts: dict = {}
        self._stack: list[list] = []   # [label, readings at the start, readings spent by the stages inside]

    def _read(self) -> list[float]:
        c = self.encoder_counts
        return [time.process_time(), c.get("encoded", 0), c.get("reused", 0)]

    def clear(self) -> None:
        for counter in self.own.values():
            counter.clear()

    def wrap(self, label: str, fn):
        def timed(*args, **kwargs):
            self._stack.append([label, self._read(), [0.0] * len(self.MEASURES)])
            try:
                return fn(*args, **kwargs)
            finally:
                lab, start, inner = self._stack.pop()
                spent = [b - a for a, b in zip(start, self._read(), strict=True)]
                for m, x, y in zip(self.MEASURES, spent, inner, strict=True):
                    self.own[m][lab] += x - y
                if self._stack:
                    self._stack[-1][2] = [a + b for a, b in zip(self._stack[-1][2], spent, strict=True)]
        return timed

    def install(self) -> None:
        import importlib

        for label, module, cls, name in STAGES:
            owner = importlib.import_module(module)
            owner = getattr(owner, cls) if cls else owner
            setattr(owner, name, self.wrap(label, getattr(owner, name)))


def model_calls(prof: cProfile.Profile) -> Counter:
    """CPU seconds in the model's own calls (C functions of CTranslate2 and ONNX runtime), by name."""
    out: Counter = Counter()
    for (file, _line, name), (_cc, _nc, tottime, _ct, _callers) in pstats.Stats(prof).stats.items():
        if file != "~":
            continue
        for key, label in MODEL_CALLS.items():
            if ("ctranslate2" in name or "onnxruntime" in name) and name.endswith(f"{key}>"):
                out[label] += tottime
    return out


def _recordings(folder: Path) -> dict[Path, float]:
    """The folder's recordings that decode, in name order, with their durations; each one that does not is named
    and left out."""
    from transcription.audio import AudioError, decode

    seconds = {}
    for f in sorted(p for p in folder.iterdir() if p.is_file()):
        try:
            seconds[f] = decode(f).duration_s
        except AudioError as e:
            print(f"left out: {f}: {e}", file=sys.stderr)
    return seconds


def main(argv: list[str] | None = None) -> int:
    from transcription.options import TranscribeOptions
    from transcription.pipeline import Transcriber

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="corpus folder (built if missing)")
    ap.add_argument("--folder", type=Path, default=None,
                    help="the recordings of this folder instead of the bench corpus (e.g. data/demo/audio)")
    ap.add_argument("--calls", type=int, default=0, help="only the first N calls (0: all)")
    ap.add_argument("--prompt", choices=("on", "off"), default="on")
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", help="a TranscribeOptions field")
    ap.add_argument("--cpu", type=int, default=0, help="the core to pin to (taskset); -1: not pinned")
    ap.add_argument("--pinned", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.cpu >= 0 and not args.pinned and shutil.which("taskset"):
        os.execvp("taskset", ["taskset", "-c", str(args.cpu), sys.executable, __file__,
                              *(argv if argv is not None else sys.argv[1:]), "--pinned"])

    seconds = _recordings(args.folder) if args.folder else None
    files = list(seconds) if seconds is not None else [args.dir / c.file for c in build_corpus(args.dir)]
    if args.calls:
        files = files[: args.calls]
    audio_s = float(sum(seconds[f] if seconds is not None else _duration(f) for f in files))
    opts = TranscribeOptions(workers=1, cpu_threads=1)
    if args.prompt == "off":
        opts.prompt = ""
    _parse_set(args.set, opts)

    stages = Stages()
    stages.install()
    transcriber = Transcriber(opts)
    transcriber.transcribe(files[0])          # the model loaded and warm before the clock
    counts = getattr(transcriber.recognizer.encoder, "counts", None)   # None: not the caching view (a GPU)
    if counts is not None:
        counts.update({k: 0 for k in counts})
        stages.encoder_counts = counts
    stages.clear()
    prof = cProfile.Profile()
    cpu0 = time.process_time()
    prof.enable()
    for f in files:
        transcriber.transcribe(f)
    prof.disable()
    total = time.process_time() - cpu0

    print(f"{len(files)} calls, {audio_s:.0f} s of audio; prompt {args.prompt}; one process, one thread; "
          f"{total:.1f} CPU s, {total / audio_s:.3f} CPU s per audio s")
    print(f"  {'stage':<16}{'CPU s':>8}{'share':>8}{'windows encoded':>17}{'reused':>8}")
    cpu, encoded, reused = (stages.own[m] for m in Stages.MEASURES)
    labels = list(dict.fromkeys(st[0] for st in STAGES))
    rest = total - sum(cpu[label] for label in labels)
    for label in labels:
        print(f"  {label:<16}{cpu[label]:>8.1f}{cpu[label] / total:>8.1%}{encoded[label]:>17.0f}{reused[label]:>8.0f}")
    print(f"  {'rest':<16}{rest:>8.1f}{rest / total:>8.1%}")
    print("  the model's own calls, wherever made:")
    for label, sec in sorted(model_calls(prof).items(), key=lambda kv: -kv[1]):
        print(f"  {label:<16}{sec:>8.1f}{sec / total:>8.1%}")
    if counts is not None:
        print(f"  encoder: {counts['encoded']} windows encoded, {counts['reused']} reused (a window the language "
              f"stage encoded and a later stage reads again is in the language stage's CPU); "
              f"{counts['frames'] / 100:.0f} s of frames encoded for {audio_s:.0f} s of audio "
              f"({counts['frames'] / 100 / audio_s:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
