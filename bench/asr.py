"""ASR bench: the transcription pipeline against a naive Whisper loop on the same cores, on synthetic calls.

    python bench/asr.py                       # build/reuse the corpus; prompt on, then off; print both
    python bench/asr.py --prompt off          # one run, the prompt given to neither side
    python bench/asr.py --set workers=1       # one process a side (TranscribeOptions fields)
    python bench/asr.py --no-naive --calls 6  # a quick look at the pipeline alone

The naive baseline (``bench/asr_naive.py``) is the best plain use of the same
cores: a loop of ``WhisperModel.transcribe`` with its defaults over each file
downmixed to mono, in as many processes as the pipeline has, with the same
threads per process, the same model, device, compute type and language, and
the same prompt (``initial_prompt``) or none.  The two sides take turns, block
by block, the first alternating; each loads its models in every block; nothing
is cached between them.

Reports, per prompt setting, in one run on the same machine: word error rate
(normalised: lower case, no punctuation, ё→е, numbers as their digits) of the
pipeline overall and per speaker (operator words against the operator's
reference, customer likewise), and of the naive baseline, overall and split by
the reference speaker of each error; speaker attribution (stereo, and mono
role assignment); wall time and CPU seconds of each side (this process and its
worker processes: ``getrusage`` of self and children), CPU seconds per audio
second, and two ratios: wall time, and throughput at equal CPU (the naive
loop's CPU seconds over the pipeline's, for the same audio); peak memory.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_corpus import DEFAULT_DIR, Call, build_corpus
from asr_report import report

# --- text normalisation and scores ---------------------------------------------


_UNITS = ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
_TEENS = ["десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать",
          "семнадцать", "восемнадцать", "девятнадцать"]
_TENS = ["двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"]
_HUNDREDS = ["сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"]
NUMBER_WORDS = {w: v for v, w in enumerate(_UNITS)} | {w: 10 + v for v, w in enumerate(_TEENS)}
NUMBER_WORDS |= {w: 20 + 10 * v for v, w in enumerate(_TENS)} | {w: 100 * (v + 1) for v, w in enumerate(_HUNDREDS)}
NUMBER_WORDS |= {"одна": 1, "одно": 1, "одного": 1, "две": 2, "двух": 2, "трех": 3, "четырех": 4, "пяти": 5,
                 "шести": 6, "семи": 7, "восьми": 8, "девяти": 9, "десяти": 10}
THOUSAND = {"тысяча", "тысячи", "тысяч"}


def _slot(v: int) -> int:
    return 2 if v >= 100 else 1 if v >= 20 else 0


def numbers_as_digits(tokens: list[str]) -> list[str]:
    """Number words become numbers («сто двадцать три» → 123), and every number its digits («1 2 3»).

    Dictated digits («один два три») and a number written by the model («123»)
    then compare equal, whichever way each side spells it.
    """
    out: list[str] = []
    cur: int | None = None
    slot = 9

    def flush() -> None:
        nonlocal cur
        if cur is not None:
            out.append(str(cur))
            cur = None

    for t in tokens:
        if t in THOUSAND:
            cur, slot = (cur or 1) * 1000, 3
            continue
        v = NUMBER_WORDS.get(t)
        if v is None:
            flush()
            out.append(t)
            continue
        s = _slot(v)
        if cur is not None and s < slot and not (slot == 1 and v >= 10):
            cur += v
        else:
            flush()
            cur = v
        slot = s
    flush()
    return [d for t in out for d in (list(t) if t.isdigit() else [t])]


def normalize(text: str) -> str:
    """Lower case, ё→е, no punctuation, numbers as their digits (both sides alike)."""
    text = text.lower().replace("ё", "е")
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(numbers_as_digits(text.split()))


def wer(refs: list[str], hyps: list[str]) -> float:
    """Corpus word error rate: all edits over all reference words."""
    import jiwer

    pairs = [(r, h) for r, h in zip(refs, hyps, strict=True) if r.strip()]
    if not pairs:
        return float("nan")
    out = jiwer.process_words([r for r, _ in pairs], [h if h.strip() else "<empty>" for _, h in pairs])
    return out.wer


def attribution(ref: list[tuple[str, str]], hyp: list[tuple[str, str]]) -> tuple[int, int, int, int, int]:
    """Speaker attribution of recognised words.

    Reference and hypothesis words (each with its speaker, in time order) are
    aligned by edit distance.  Returns (right, matched, unknown) over the words
    recognised exactly, then (right, matched) over exact and substituted pairs;
    the second is stricter than it should be, since where both sides are
    garbled the aligner pairs words across a turn boundary.
    """
    import jiwer

    if not ref or not hyp:
        return 0, 0, 0, 0, 0
    out = jiwer.process_words(" ".join(w for w, _ in ref), " ".join(w for w, _ in hyp))
    right = matched = unknown = right_all = matched_all = 0
    for chunk in out.alignments[0]:
        if chunk.type not in ("equal", "substitute"):
            continue
        for k in range(chunk.ref_end_idx - chunk.ref_start_idx):
            rs, hs = ref[chunk.ref_start_idx + k][1], hyp[chunk.hyp_start_idx + k][1]
            matched_all += 1
            right_all += rs == hs
            if chunk.type == "equal":
                matched += 1
                right += rs == hs
                unknown += hs == "unknown"
    return right, matched, unknown, right_all, matched_all


def errors_by_speaker(ref: list[tuple[str, str]], hyp: str) -> dict[str, list[int]]:
    """Per reference speaker: [errors, reference words] of a speaker-blind hypothesis.

    Substitutions and deletions count against the speaker of the reference
    word; an insertion against the speaker of the reference word before it.
    """
    import jiwer

    out = {"operator": [0, 0], "customer": [0, 0]}
    for _, spk in ref:
        out[spk][1] += 1
    if not ref:
        return out
    result = jiwer.process_words(" ".join(w for w, _ in ref), hyp if hyp.strip() else "<empty>")
    for chunk in result.alignments[0]:
        if chunk.type in ("substitute", "delete"):
            for k in range(chunk.ref_start_idx, chunk.ref_end_idx):
                out[ref[k][1]][0] += 1
        elif chunk.type == "insert":
            spk = ref[max(chunk.ref_start_idx - 1, 0)][1]
            out[spk][0] += chunk.hyp_end_idx - chunk.hyp_start_idx
    return out


def ref_words(call: Call) -> list[tuple[str, str]]:
    return [(w, r["speaker"]) for r in sorted(call.refs, key=lambda r: r["start"])
            for w in normalize(r["text"]).split()]


def hyp_words(transcript) -> list[tuple[str, str]]:
    timed = []
    for u in transcript.utterances:
        words = u.words or [type("W", (), {"w": t, "start": u.start})() for t in u.text.split()]
        for w in words:
            for token in normalize(w.w).split():
                timed.append((w.start, token, u.speaker))
    timed.sort(key=lambda t: t[0])
    return [(w, s) for _, w, s in timed]


# --- the two systems -------------------------------------------------------------


def _usage() -> tuple[float, float]:
    """CPU seconds of this process and of its finished children (the worker processes), and the clock."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, time.perf_counter()


def run_pipeline(calls: list[Call], folder: Path, opts) -> tuple[dict, float, float]:
    """The pipeline over ``calls``, no cache: (transcripts by file, wall s, CPU s with its workers)."""
    from transcription.batch import transcribe_files

    cpu0, t0 = _usage()
    results = transcribe_files([folder / c.file for c in calls], None, opts, use_cache=False,
                               on_error=lambda m: print(f"error: {m}", file=sys.stderr))
    cpu1, t1 = _usage()
    return {r.audio.name: r.transcript for r in results}, t1 - t0, cpu1 - cpu0


def downmix(calls: list[Call], folder: Path) -> dict[str, Path]:
    """Each recording as the mono file a plain user would hand Whisper (made once, outside the timing)."""
    from data.tts import read_wav, write_wav

    out = {}
    for c in calls:
        dst = folder / "downmix" / c.file
        if not dst.exists():
            samples, rate = read_wav(folder / c.file)
            write_wav(dst, samples.mean(axis=1), rate)
        out[c.file] = dst
    return out


def naive_settings(opts):
    """The naive side's settings: the pipeline's model, device, compute type, threads, language and prompt."""
    from asr_naive import NaiveSettings

    from transcription.model import pick_runtime, resolve_model

    runtime = pick_runtime(opts)
    return NaiveSettings(model=resolve_model(opts.model), device=runtime.device, compute_type=runtime.compute_type,
                         cpu_threads=opts.cpu_threads, language=None if opts.language == "auto" else opts.language,
                         prompt=opts.prompt or None)


def run_naive(calls: list[Call], folder: Path, opts, downmixed: bool = True) -> tuple[dict, float, float]:
    """The naive loop over ``calls`` (``bench/asr_naive.py``): (texts by file, wall s, CPU s with its workers).

    downmixed: hand it mono copies made beforehand (16-bit PCM only); else the recordings themselves
    (faster-whisper decodes and downmixes them, inside the timing, as the pipeline decodes its own).
    """
    import asr_naive

    from transcription.batch import worker_count

    files = downmix(calls, folder) if downmixed else {c.file: folder / c.file for c in calls}
    settings = naive_settings(opts)
    cpu0, t0 = _usage()
    texts = asr_naive.transcribe([files[c.file] for c in calls], settings, worker_count(opts))
    cpu1, t1 = _usage()
    return {c.file: t for c, t in zip(calls, texts, strict=True)}, t1 - t0, cpu1 - cpu0


def same_cores(opts) -> None:
    """Fix the worker count and threads per worker, so that both sides get exactly the same."""
    from transcription.batch import cores, worker_count

    opts.workers = worker_count(opts)
    opts.cpu_threads = opts.cpu_threads or max(1, cores() // opts.workers)


def run_both(calls: list[Call], folder: Path, opts, block: int, naive_too: bool, downmixed: bool = True) -> dict:
    """Both systems over ``calls``, taking turns block by block (who goes first alternates).

    Both see the same load on a shared machine, both load their models in every
    block, and neither is always first (a warm file cache, a cooler machine).
    """
    transcripts: dict = {}
    naive: dict | None = {} if naive_too else None
    spent = {"pipeline": [0.0, 0.0], "naive": [0.0, 0.0]}
    for k, at in enumerate(range(0, len(calls), block)):
        part = calls[at: at + block]
        order = ("naive", "pipeline") if k % 2 == 0 else ("pipeline", "naive")
        for side in order:
            if side == "naive" and naive is None:
                continue
            if side == "naive":
                got, wall, cpu = run_naive(part, folder, opts, downmixed)
            else:
                got, wall, cpu = run_pipeline(part, folder, opts)
            (naive if side == "naive" else transcripts).update(got)
            spent[side][0] += wall
            spent[side][1] += cpu
        print(f"  {at + len(part)}/{len(calls)} calls done", file=sys.stderr, flush=True)
    return {"transcripts": transcripts, "naive": naive, "spent": spent}


# --- report ------------------------------------------------------------------------


def score(calls: list[Call], transcripts: dict, naive: dict | None) -> dict:
    rows = {"all": ([], []), "operator": ([], []), "customer": ([], [])}
    naive_pairs: dict[str, tuple[list, list]] = {"all": ([], []), "stereo": ([], []), "mono": ([], [])}
    naive_spk = {"operator": [0, 0], "customer": [0, 0]}
    attr = {"stereo": [0, 0, 0, 0, 0], "mono": [0, 0, 0, 0, 0]}
    for c in calls:
        t = transcripts.get(c.file)
        ref = ref_words(c)
        hyp = hyp_words(t) if t is not None else []
        rows["all"][0].append(" ".join(w for w, _ in ref))
        rows["all"][1].append(" ".join(w for w, _ in hyp))
        for spk in ("operator", "customer"):
            rows[spk][0].append(" ".join(w for w, s in ref if s == spk))
            rows[spk][1].append(" ".join(w for w, s in hyp if s == spk))
        kind = "mono" if c.layout == "mono" else "stereo"
        for k, v in enumerate(attribution(ref, hyp)):
            attr[kind][k] += v
        if naive is not None:
            text = normalize(naive.get(c.file, ""))
            for part in ("all", kind):
                naive_pairs[part][0].append(" ".join(w for w, _ in ref))
                naive_pairs[part][1].append(text)
            for spk, (e, n) in errors_by_speaker(ref, text).items():
                naive_spk[spk][0] += e
                naive_spk[spk][1] += n
    out = {f"wer_{k}": wer(*v) for k, v in rows.items()}
    for kind in ("stereo", "mono"):
        sel = [i for i, c in enumerate(calls) if (c.layout == "mono") == (kind == "mono")]
        for spk in ("operator", "customer"):
            out[f"wer_{spk}_{kind}"] = wer([rows[spk][0][i] for i in sel], [rows[spk][1][i] for i in sel])
        right, matched, unknown, right_all, matched_all = attr[kind]
        out[f"speaker_accuracy_{kind}"] = right / matched if matched else float("nan")
        out[f"speaker_accuracy_{kind}_with_substitutions"] = right_all / matched_all if matched_all else float("nan")
        out[f"speaker_unknown_{kind}"] = unknown / matched if matched else float("nan")
    if naive is not None:
        out["wer_naive"] = wer(*naive_pairs["all"])
        for kind in ("stereo", "mono"):
            out[f"wer_naive_{kind}"] = wer(*naive_pairs[kind])
        for spk, (e, n) in naive_spk.items():
            out[f"wer_naive_{spk}"] = e / n if n else float("nan")
    return out


def _parse_set(items: list[str], opts) -> None:
    fields = {f.name: f for f in dataclasses.fields(opts)}
    for item in items:
        key, _, value = item.partition("=")
        if key not in fields:
            raise SystemExit(f"--set {key}: not a TranscribeOptions field ({', '.join(fields)})")
        current = getattr(opts, key)
        if isinstance(current, bool):
            value = value.lower() in ("1", "true", "yes", "on")
        elif isinstance(current, (int, float)):
            value = type(current)(value)
        setattr(opts, key, value)


def main(argv: list[str] | None = None) -> int:
    from transcription.options import TranscribeOptions

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="corpus folder (built if missing)")
    ap.add_argument("--n-calls", type=int, default=24, help="corpus size")
    ap.add_argument("--calls", type=int, default=0, help="use only the first N calls (0: all)")
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="a TranscribeOptions field for both sides where it applies (workers, cpu_threads, model, "
                         "device, compute_type, language), else for the pipeline only (repeatable)")
    ap.add_argument("--prompt", choices=("both", "on", "off"), default="both",
                    help="the decoding prompt given to both sides (on), to neither (off), or one run of each (both)")
    ap.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    ap.add_argument("--block", type=int, default=6, help="calls per turn of each system")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args(argv)

    calls = build_corpus(args.dir, args.n_calls)
    if args.calls:
        calls = calls[: args.calls]
    audio_s = float(sum(_duration(args.dir / c.file) for c in calls))
    opts = TranscribeOptions(cache_dir=str(args.dir / "cache"))
    _parse_set(args.set, opts)
    same_cores(opts)
    modes = {"both": ("on", "off"), "on": ("on",), "off": ("off",)}[args.prompt]
    out = compare(calls, args.dir, opts, modes, args.block, not args.no_naive, audio_s)
    finish(out, args.json)
    return 0


def finish(out: dict, json_path: Path | None) -> None:
    """The comparison's table, memory and load; and the figures as JSON where asked."""
    report(out)
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB this process, "
          f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB largest worker; "
          f"load average at the end {os.getloadavg()[0]:.2f}")
    if json_path:
        json_path.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


def compare(calls: list[Call], folder: Path, opts, modes: tuple[str, ...], block: int, naive_too: bool,
            audio_s: float, downmixed: bool = True) -> dict:
    """Figures per prompt mode (``on``: the prompt to both sides, ``off``: to neither), each from one run of both."""
    from transcription.options import DEFAULT_PROMPT

    prompt = opts.prompt or DEFAULT_PROMPT
    print(f"load average at start: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    out = {}
    for mode in modes:
        run_opts = dataclasses.replace(opts, prompt=prompt if mode == "on" else "")
        print(f"prompt {mode}:", file=sys.stderr, flush=True)
        got = run_both(calls, folder, run_opts, block, naive_too, downmixed)
        figures = score(calls, got["transcripts"], got["naive"])
        figures.update(_costs(got["spent"], audio_s))
        figures.update({
            "prompt": mode, "calls": len(calls), "calls_stereo": sum(c.layout != "mono" for c in calls),
            "calls_bleed": sum(c.bleed_db is not None for c in calls),
            "calls_mono": sum(c.layout == "mono" for c in calls), "audio_s": round(audio_s, 1),
            "load_average_end": round(os.getloadavg()[0], 2),
            "settings": {k: v for k, v in dataclasses.asdict(run_opts).items() if k not in ("extra", "cache_dir")},
        })
        out[mode] = figures
    return out


def _costs(spent: dict, audio_s: float) -> dict:
    """Wall and CPU per side, and the two ratios: wall time, and throughput at equal CPU."""
    (wall, cpu), (naive_wall, naive_cpu) = spent["pipeline"], spent["naive"]
    nan = float("nan")
    return {
        "pipeline_wall_s": round(wall, 1), "pipeline_cpu_s": round(cpu, 1),
        "pipeline_throughput": audio_s / wall, "pipeline_cpu_per_audio_s": cpu / audio_s,
        "naive_wall_s": round(naive_wall, 1) if naive_wall else nan,
        "naive_cpu_s": round(naive_cpu, 1) if naive_wall else nan,
        "naive_throughput": audio_s / naive_wall if naive_wall else nan,
        "naive_cpu_per_audio_s": naive_cpu / audio_s if naive_wall else nan,
        # how many times the naive loop's time (wall) / CPU the pipeline needs less of for the same audio
        "throughput_ratio": naive_wall / wall if naive_wall else nan,
        "equal_cpu_ratio": naive_cpu / cpu if naive_wall else nan,
    }


def _duration(path: Path) -> float:
    from data.tts import read_wav

    samples, rate = read_wav(path)
    return len(samples) / rate


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())
