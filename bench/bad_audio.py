"""What bad audio costs: CPU-seconds per second of audio, second passes and WER, on one script over several lines.

    python bench/bad_audio.py                       # 3 dev scripts × (clean, noise, crosstalk) × 2 settings
    python bench/bad_audio.py --calls heldout_06 --set hopeless_snr_db=8 --set hopeless_snr_db=-1,extra_passes=on
    python bench/bad_audio.py --layout mono --set mono_by_voice=false --set mono_by_voice=true   # mono lines

The held-out corpus's dev scripts (``bench/heldout_corpus.py``; never the test half) are spoken again, in
the same voices, over three lines: ``clean`` (PCM, line noise at −60 dBFS), ``noise`` (G.711 μ-law, white
noise at −20 dBFS: louder than any call of the corpus) and ``crosstalk`` (μ-law, −32 dBFS, a colleague in
the background).  Each recording is transcribed in this process (one worker, ``cpu_threads`` 1, no cache)
under each setting; the figures are CPU-seconds of this process (``time.process_time``) per second of
audio — a measure that a loaded machine disturbs less than wall time — the pieces decoded a second time,
the speaker-blind WER against the script, and what the rules made of it (counted findings that the script
does not have, rules not assessed).  The settings compared by default: the product's (at most one
second pass per piece, none for a hopeless piece: ``transcription.audibility``, ``hopeless_snr_db`` 6) and the
recogniser as it was before that bound (``hopeless_snr_db=-1,extra_passes=true``: every suspect piece decoded
again, and chunk by chunk after an empty second pass, once more for the speech a loop swallowed).  A ``--set``
may hold several fields, comma-separated.  ``--layout mono``: the same lines recorded on one
channel (both voices mixed), as a mono call.
"""
from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.heldout_corpus import DEFAULT_DIR, Condition, Script, build, render, spoken_text  # noqa: E402

LINES = {
    "clean": Condition("stereo-operator-left", mulaw=False, noise_db=-60.0, crosstalk=False),
    "noise": Condition("stereo-operator-left", mulaw=True, noise_db=-20.0, crosstalk=False),
    "crosstalk": Condition("stereo-operator-left", mulaw=True, noise_db=-32.0, crosstalk=True),
}
DEFAULT_CALLS = ["heldout_00", "heldout_12", "heldout_18"]
DEFAULT_SETS = ["hopeless_snr_db=6.0", "hopeless_snr_db=-1,extra_passes=true,second_pass_by_speaker=false"]


def voice(label: str):
    """A ``data.voices.Voice`` from its label (``espeak+f2/+200c/x0.95``)."""
    from data.voices import Voice

    m = re.fullmatch(r"(\w+)(?:\+(\w+))?/([+-]\d+)c/x([\d.]+)", label)
    if not m:
        raise ValueError(f"not a voice label: {label}")
    return Voice(m[1], m[2] or "", int(m[3]), float(m[4]))


class _Count(logging.Handler):
    """Counts the recogniser's "decoded again" and "hopeless" debug lines."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.again = self.hopeless = 0
        self.why: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        self.again += any(what in msg for what in ("decoded again alone", "decoded chunk by chunk",
                                                   "decoded once more"))
        self.hopeless += "hopeless" in msg
        if "decoded again alone" in msg or "hopeless" in msg:
            self.why.append(msg.split(": ", 1)[-1])


def wer(written: dict, transcript) -> float:
    import jiwer

    from bench.asr import normalize

    ref = normalize(" ".join(spoken_text(u["text"]) for u in written["utterances"]))
    hyp = normalize(" ".join(u.text for u in transcript.utterances))
    return jiwer.wer(ref, hyp) if hyp.strip() else 1.0


def main(argv: list[str] | None = None) -> int:
    from rules.engine import Checker
    from transcription.options import TranscribeOptions
    from transcription.pipeline import Transcriber

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", nargs="+", default=DEFAULT_CALLS, help="dev calls whose scripts are spoken again")
    ap.add_argument("--lines", nargs="+", default=list(LINES), choices=list(LINES))
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="a setting to compare (TranscribeOptions fields, comma-separated); default: "
                         + ", ".join(DEFAULT_SETS))
    ap.add_argument("--folder", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--layout", choices=["stereo-operator-left", "mono"], default="stereo-operator-left",
                    help="record the lines as stereo (each side its channel) or mono (both voices on one)")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    args = ap.parse_args(argv)
    manifest = {c["call_id"]: c for c in build(args.folder)}
    for cid in args.calls:
        if manifest.get(cid, {}).get("half") != "dev":
            ap.error(f"{cid}: only the dev half's scripts may be used (the test half is not to be tuned on)")
    sets = args.set or DEFAULT_SETS
    counter = _Count()
    rec_log = logging.getLogger("transcription.recognize")
    rec_log.addHandler(counter)
    rec_log.setLevel(logging.DEBUG)
    checker = Checker.default()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        audio = {}
        for cid in args.calls:
            written = json.loads((args.folder / "written" / f"{cid}.json").read_text(encoding="utf-8"))
            c = manifest[cid]
            script = Script(c["expected"]["topic"], [(u["speaker"], u["text"]) for u in written["utterances"]],
                            set(c["expected"]["rules"]), c["expected"]["readings"])
            for line in args.lines:
                path = Path(tmp) / f"{cid}_{line}.wav"
                render(script, replace(LINES[line], layout=args.layout), voice(c["operator_voice"]),
                       voice(c["customer_voice"]), path,
                       seed=int(cid.split("_")[1]))
                audio[cid, line] = (path, written, set(c["expected"]["rules"]))
        for setting in sets:
            opts = TranscribeOptions(device="cpu", workers=1, cpu_threads=1)
            for field in setting.split(","):
                key, _, value = field.partition("=")
                if isinstance(getattr(opts, key), bool):
                    setattr(opts, key, value.lower() in ("1", "true", "yes", "on"))
                else:
                    setattr(opts, key, type(getattr(opts, key))(value))
            transcriber = Transcriber(opts)
            for (cid, line), (path, written, labels) in audio.items():
                counter.again = counter.hopeless = 0
                counter.why = []
                t0 = time.process_time()
                tr = transcriber.transcribe(path, cid)
                cpu = time.process_time() - t0
                result = checker.check(tr)
                got = {f.rule for f in result.findings}
                rows.append({"setting": setting, "call": cid, "line": line, "audio_s": tr.duration_s, "cpu_s": cpu,
                             "again": counter.again, "hopeless": counter.hopeless, "wer": wer(written, tr),
                             "false": len(got - labels), "true": len(got & labels),
                             "not_assessed": len(result.not_assessed), "why": counter.why})
                r = rows[-1]
                print(f"{setting:<24}{cid:<12}{line:<10} {r['cpu_s'] / r['audio_s']:.3f} CPU-s/audio-s  "
                      f"again {r['again']:>2}  hopeless {r['hopeless']:>2}  WER {r['wer']:.3f}  "
                      f"findings right {r['true']} false {r['false']}  not assessed {r['not_assessed']}", flush=True)
    print("\nsetting                 line       CPU-s/audio-s   x clean   again  WER    false  not assessed")
    for setting in sets:
        clean = None
        for line in args.lines:
            rs = [r for r in rows if r["setting"] == setting and r["line"] == line]
            rate = sum(r["cpu_s"] for r in rs) / sum(r["audio_s"] for r in rs)
            clean = rate if line == "clean" else clean
            ratio = f"{rate / clean:7.2f}" if clean else "    n/a"
            werv = sum(r["wer"] for r in rs) / len(rs)
            print(f"{setting:<24}{line:<10} {rate:12.3f}   {ratio}   {sum(r['again'] for r in rs):>5}  {werv:.3f}  "
                  f"{sum(r['false'] for r in rs):>5}  {sum(r['not_assessed'] for r in rs):>5}")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
