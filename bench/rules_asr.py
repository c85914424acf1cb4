"""The rules on text as the embedded ASR really writes it, beside the same calls as written.

    python bench/rules_asr.py [--calls 24] [--out var/rules_asr] [--json]

Takes written-style calls of the labelled corpus (``tests/corpus``), speaks
them with festival (``data/tts.py``: the operator on the left channel, the
customer pitch-shifted on the right; an interrupting turn overlaps as in the
transcript; an operator labelled ``tempo.fast`` speaks at 1.5× speed; a
hold keeps its silence), transcribes the recordings with the project's
pipeline (``transcription.batch.transcribe_files``, default settings: the
embedded Whisper base model) and runs ``rules.eval`` twice: on the written
transcripts and on the ASR ones, both against the corpus labels.

Labels that depend on the timeline are re-derived from the synthesised audio
(its reference turn times), because festival's pace is not the corpus's:
``interruption`` (an operator turn starting ≥ 1 s before the customer's turn
ends), ``tempo.fast`` (operator words a minute over its turns > 190) and
``aht.over_norm`` (recording length over the topic's norm).
"""
from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "tests" / "corpus"
NORM_S = {"request.individual": 420, "request.legal": 420, "readings": 300, "billing": 1800}
SPOKEN = {"ипу": "ипу", "гвс": "гэ вэ эс", "путэ": "путэ", "чжд": "чэ жэ дэ", "тоо": "тэ о о", "ип": "и пэ",
          "алтс": "ал тэ эс", "пэу": "пэ э у", "оси": "о эс и", "кск": "ка эс ка", "цон": "цон"}


_KAZAKH = str.maketrans("әіңғүұқөһ", "аингуукох")


def speakable(text: str) -> str:
    """Lowercase Cyrillic without punctuation, numbers in words: what festival's Russian voice reads."""
    from num2words import num2words

    t = text.lower().replace("ё", "е").translate(_KAZAKH)  # the Russian voice has no Kazakh letters
    t = re.sub(r"(\d+),(\d+)", lambda m: f"{m.group(1)} и {m.group(2)}", t)
    t = re.sub(r"\d+", lambda m: " " + num2words(int(m.group()), lang="ru") + " ", t)
    t = re.sub(r"[^а-я\s-]", " ", t)
    words = [SPOKEN.get(w, w) for w in t.split()]
    return " ".join(words)


def pick(n: int) -> list[Path]:
    """Written calls, the ones with most labelled rules first, so that every rule has positives."""
    calls = []
    for p in sorted(CORPUS.glob("corpus_*.json")):
        exp = json.loads(p.read_text(encoding="utf-8"))["expected"]
        if exp["style"] == "written":
            calls.append((p, set(exp["rules"])))
    chosen, covered = [], {}
    for p, rules in sorted(calls, key=lambda c: -len(c[1])):
        if len(chosen) >= n:
            break
        if any(covered.get(r, 0) < 3 for r in rules) or (not rules and sum(not c[1] for c in chosen) < n // 6):
            chosen.append((p, rules))
            for r in rules:
                covered[r] = covered.get(r, 0) + 1
    return [p for p, _ in chosen]


def synthesise(src: Path, wav: Path) -> dict:
    """Speak one call into ``wav``; return the written transcript on the audio's timeline, with labels."""
    from data.tts import Turn, synthesize_call

    data = json.loads(src.read_text(encoding="utf-8"))
    exp = data["expected"]
    fast = "tempo.fast" in exp["rules"]
    turns, prev_end = [], None
    for u in data["utterances"]:
        overlap = max(0.0, prev_end - u["start"]) if prev_end is not None else 0.0
        pause = u["start"] - prev_end if prev_end is not None and u["start"] - prev_end > 5 else None
        turns.append(Turn(u["speaker"], speakable(u["text"]), overlap_s=overlap if overlap >= 0.5 else 0.0,
                          pause_s=pause, rate=1.5 if fast and u["speaker"] == "operator" else 1.0))
        prev_end = u["end"] if prev_end is None else max(prev_end, u["end"])
    refs = synthesize_call(turns, wav, layout="stereo-operator-left", seed=len(turns))
    rules = set(exp["rules"]) - {"interruption", "tempo.fast", "aht.over_norm"}
    for a, b in itertools.pairwise(refs):
        if b["speaker"] == "operator" and a["speaker"] == "customer" and a["end"] - b["start"] >= 1.0:
            rules.add("interruption")
    words = sum(len(r["text"].split()) for r in refs if r["speaker"] == "operator")
    secs = sum(r["end"] - r["start"] for r in refs if r["speaker"] == "operator")
    if secs >= 8 and words / secs * 60 > 190:
        rules.add("tempo.fast")
    if NORM_S.get(exp["topic"]) and refs[-1]["end"] > NORM_S[exp["topic"]]:
        rules.add("aht.over_norm")
    # the written transcript on the audio's timeline, so that both runs are judged on the same times
    unused = list(refs)
    for u in data["utterances"]:
        said = speakable(u["text"])
        ref = next((r for r in unused if r["speaker"] == u["speaker"] and r["text"] == said), None)
        if ref is not None:
            unused.remove(ref)
            u["start"], u["end"] = ref["start"], ref["end"]
    data["utterances"].sort(key=lambda u: u["start"])
    data["duration_s"] = round(refs[-1]["end"] + 0.3, 2)
    data["expected"] = {**exp, "rules": sorted(rules)}
    return data


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=24)
    ap.add_argument("--out", type=Path, default=ROOT / "var" / "rules_asr")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--reuse", action="store_true", help="score the transcripts already in --out again")
    args = ap.parse_args()

    from rules.engine import Checker
    from rules.eval import evaluate
    from transcription.batch import transcribe_files
    from transcription.options import TranscribeOptions

    wav_dir, asr_dir, txt_dir = args.out / "wav", args.out / "asr", args.out / "written"
    for d in (wav_dir, asr_dir, txt_dir):
        d.mkdir(parents=True, exist_ok=True)
    labels = {}
    t0 = time.perf_counter()
    for src in [] if args.reuse else pick(args.calls):
        call_id = src.stem
        written = synthesise(src, wav_dir / f"{call_id}.wav")
        labels[call_id] = written["expected"]
        (txt_dir / f"{call_id}.json").write_text(json.dumps(written, ensure_ascii=False), encoding="utf-8")
    t1 = time.perf_counter()
    results = [] if args.reuse else transcribe_files(sorted(wav_dir.glob("*.wav")), None, TranscribeOptions())
    t2 = time.perf_counter()
    if args.reuse:
        labels = {p.stem: None for p in asr_dir.glob("*.json")}
    for r in results:
        d = r.transcript.to_dict()
        d["expected"] = labels[r.transcript.call_id]
        (asr_dir / f"{r.transcript.call_id}.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    checker = Checker.default()
    written_report = evaluate(txt_dir, checker).to_dict()
    asr_report = evaluate(asr_dir, checker).to_dict()
    out = {"calls": len(labels), "transcribed": len(results) or len(labels), "synthesis_s": round(t1 - t0, 1),
           "transcription_s": round(t2 - t1, 1), "written": written_report, "asr": asr_report}
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return 0

    def f(x):
        return "   n/a" if x is None else f"{x:6.3f}"
    print(f"{len(labels)} calls spoken by festival, {out['transcribed']} transcribed by the embedded model "
          f"(synthesis {out['synthesis_s']} s, transcription {out['transcription_s']} s)")
    print(f"{'rule':<24}{'written P/R/F1':>24}{'ASR P/R/F1':>24}{'N':>5}")
    for rule, w in written_report["rules"].items():
        a = asr_report["rules"].get(rule, {})
        print(f"{rule:<24}  {f(w['precision'])}{f(w['recall'])}{f(w['f1'])}    "
              f"{f(a.get('precision'))}{f(a.get('recall'))}{f(a.get('f1'))}{w['support']:>5}")
    for key in ("topic_accuracy", "readings_accuracy", "readings_accuracy_calls_with_readings"):
        print(f"{key:<40}{f(written_report[key])}{f(asr_report[key]):>24}")
    for e in asr_report["errors"]:
        print("asr:", json.dumps(e, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
