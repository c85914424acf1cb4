"""End to end on the held-out corpus: audio → transcripts → findings, scored against the labels.

    python bench/heldout.py --half test            # totals and per-rule precision/recall, nothing per call
    python bench/heldout.py --half dev --calls     # the dev half, with each call's errors (tune here only)
    python bench/heldout.py --half test --set prompt=   # any transcription setting (here: no prompt)
    python bench/heldout.py --half test --written  # the written scripts instead of the audio (the rules alone)
    python bench/heldout.py --half dev --downmix --wer  # the half's stereo calls mixed down to mono

Builds the corpus if needed (``bench/heldout_corpus.py``), transcribes its
recordings with the project's pipeline (``transcription.batch``; transcripts
cached in ``var/bench/heldout/asr/<settings>/``) and checks them with the
default rulebook.  Only *counted* findings are scored: a call counts as a true
positive of a rule when it is labelled and the rule is among ``findings``;
``uncertain`` findings and ``not_assessed`` rules count as no finding (the
product abstained).  Topic accuracy is over the main topic.  The noisiest
recordings (line noise at −28 dBFS or louder) are scored on their own too.
Per-speaker WER and mono role accuracy use ``bench/asr.py``'s measures.
``--downmix``: the half's stereo calls transcribed as mono recordings (``--set layout=mono``: the two
channels mixed down), scored as mono calls; in this corpus every mono call's customer is an espeak-ng voice,
so this is where mono calls with festival customers (voices the base model can read) are measured.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.heldout_corpus import DEFAULT_DIR, N_CALLS, SEED, build  # noqa: E402


def transcripts_dir(folder: Path, tag: str) -> Path:
    """Where the transcripts of settings ``tag`` are kept: one folder per pipeline version, so that a pipeline
    change never scores an older transcript."""
    from transcription.cache import PIPELINE_VERSION

    return folder / "asr" / f"{tag}-v{PIPELINE_VERSION}"


def _settings(sets: list[str]):
    from transcription.options import TranscribeOptions

    opts = TranscribeOptions()
    for item in sets:
        key, _, value = item.partition("=")
        cur = getattr(opts, key)
        setattr(opts, key, type(cur)(value) if not isinstance(cur, bool) else value.lower() in ("1", "true", "yes"))
    tag = hashlib.sha256(json.dumps(sorted(sets)).encode()).hexdigest()[:8] if sets else "default"
    return opts, tag


def transcripts(folder: Path, calls: list[dict], sets: list[str], cached_only: bool = False
                ) -> tuple[dict[str, dict], float, float]:
    """{call_id: transcript dict}, transcribing what is not cached; (…, seconds spent, seconds of audio)."""
    from transcription.batch import transcribe_files
    opts, tag = _settings(sets)
    opts.cache_dir = str(folder / "cache")
    out = transcripts_dir(folder, tag)
    out.mkdir(parents=True, exist_ok=True)
    todo = [] if cached_only else [c for c in calls if not (out / f"{c['call_id']}.json").is_file()]
    t0 = time.perf_counter()
    if todo:
        transcribe_files([folder / "audio" / c["file"] for c in todo], out, opts,
                         call_ids=[c["call_id"] for c in todo])
    spent = time.perf_counter() - t0
    got = {c["call_id"]: json.loads((out / f"{c['call_id']}.json").read_text(encoding="utf-8"))
           for c in calls if (out / f"{c['call_id']}.json").is_file()}
    audio_s = sum(c["duration_s"] for c in calls if c["call_id"] in got and c in todo) if todo else 0.0
    return got, spent, audio_s


def mono_roles_now(folder: Path, calls: list[dict], docs: dict[str, dict], sets: list[str]) -> dict[str, dict]:
    """The mono calls' speakers named by the current ``transcription.roles`` (``bench/speakers.py``): a change
    of the voice prints is measured on the cached words, without decoding the corpus again."""
    from bench.speakers import relabel
    from rules.rulebook import operator_greeting

    opts, _ = _settings(sets)
    greeting = operator_greeting()  # what oka-qa transcribe passes in
    out = dict(docs)
    for c in calls:
        if c["call_id"] in docs and c["condition"]["layout"] == "mono":
            out[c["call_id"]] = relabel(folder, c, docs[c["call_id"]], opts.role_min_margin, greeting)
    return out


def score(calls: list[dict], docs: dict[str, dict]) -> dict:
    """Per-rule tp/fp/fn over counted findings, totals, topic accuracy; the noisiest calls apart."""
    from rules.engine import Checker
    from transcription.schema import Transcript

    checker = Checker.default()

    def empty():
        return {"rules": {}, "tp": 0, "fp": 0, "fn": 0, "calls": 0, "topic_right": 0, "uncertain": 0,
                "not_assessed": 0}
    out = {"all": empty(), "noisy": empty()}
    for c in calls:
        doc = docs.get(c["call_id"])
        if doc is None:
            continue
        result = checker.check(Transcript.from_dict({k: v for k, v in doc.items() if k != "expected"}))
        want, got = set(c["expected"]["rules"]), {f.rule for f in result.findings}
        for group in ("all", "noisy") if c["condition"]["noisy"] else ("all",):
            g = out[group]
            g["calls"] += 1
            g["topic_right"] += result.topic == c["expected"]["topic"]
            g["uncertain"] += len(getattr(result, "uncertain", []) or [])
            g["not_assessed"] += len(getattr(result, "not_assessed", []) or [])
            for rid in want | got:
                s = g["rules"].setdefault(rid, {"tp": 0, "fp": 0, "fn": 0})
                key = "tp" if rid in want and rid in got else "fn" if rid in want else "fp"
                s[key] += 1
                g[key] += 1
        c["_found"] = [(f.rule, f.confidence, f.rule in want) for f in [*result.findings, *result.uncertain]]
        c["_errors"] = {"missed": sorted(want - got), "extra": sorted(got - want),
                        "topic": None if result.topic == c["expected"]["topic"] else [c["expected"]["topic"],
                                                                                      result.topic]}
    return out


def speech_figures(folder: Path, calls: list[dict], docs: dict[str, dict]) -> dict:
    """Per-speaker WER (speaker-blind hypothesis aligned to the script) and, on mono calls, role accuracy
    over the words recognised exactly (``bench/asr.py``'s measures)."""
    from bench.asr import attribution, errors_by_speaker, normalize
    from transcription.schema import Transcript

    errs = {"operator": [0, 0], "customer": [0, 0]}
    right = matched = unknown = 0
    for c in calls:
        doc = docs.get(c["call_id"])
        if doc is None:
            continue
        written = json.loads((folder / "written" / f"{c['call_id']}.json").read_text(encoding="utf-8"))
        from bench.heldout_corpus import spoken_text

        ref = [(w, u["speaker"]) for u in written["utterances"] for w in normalize(spoken_text(u["text"])).split()]
        tr = Transcript.from_dict({k: v for k, v in doc.items() if k != "expected"})
        hyp = [(w, u.speaker) for u in tr.utterances for w in normalize(u.text).split()]
        for spk, (e, n) in errors_by_speaker(ref, " ".join(w for w, _ in hyp)).items():
            errs[spk][0] += e
            errs[spk][1] += n
        if c["condition"]["layout"] == "mono":
            r, m, unk, _, _ = attribution(ref, hyp)
            right, matched, unknown = right + r, matched + m, unknown + unk
    return {"wer_operator": errs["operator"][0] / errs["operator"][1] if errs["operator"][1] else None,
            "wer_customer": errs["customer"][0] / errs["customer"][1] if errs["customer"][1] else None,
            "mono_role_accuracy": right / matched if matched else None, "mono_words_matched": matched,
            "mono_words_unknown": unknown}


def calibrate(calls: list[dict], default: float, grid: tuple[float, ...] = tuple(x / 20 for x in range(6, 19))
              ) -> list[tuple[str, list[float], list[float], float]]:
    """Per rule: (rule, confidences of right findings, of wrong ones, the lowest threshold of ``grid`` —
    not below the rulebook's default — that leaves no wrong finding counted).  Counted and uncertain findings
    alike, each rule once per call at its surest finding.  For the dev half only."""
    best: dict[tuple[str, str], tuple[float, bool]] = {}
    for c in calls:
        for rule, conf, right in c.get("_found", []):
            key = (c["call_id"], rule)
            if key not in best or conf > best[key][0]:
                best[key] = (conf, right)
    out = []
    for rule in sorted({r for _, r in best}):
        tp = sorted(v for (_, r), (v, ok) in best.items() if r == rule and ok)
        fp = sorted(v for (_, r), (v, ok) in best.items() if r == rule and not ok)
        t = next((g for g in grid if g >= default and all(v < g for v in fp)), grid[-1])
        out.append((rule, tp, fp, t))
    return out


def _pr(s: dict) -> tuple[float | None, float | None]:
    p = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else None
    r = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else None
    return p, r


def _f(x: float | None) -> str:
    return "   n/a" if x is None else f"{x:6.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=["dev", "test", "all"], default="dev")
    ap.add_argument("--folder", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--seed", type=int, default=SEED,
                    help="a corpus built with another seed (bench/heldout_corpus.py --seed): all of it may be tuned on")
    ap.add_argument("--n-calls", type=int, default=N_CALLS)
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="a transcription setting (TranscribeOptions field)")
    ap.add_argument("--written", action="store_true", help="check the written scripts, not the audio")
    ap.add_argument("--calls", action="store_true", help="list each call's errors (refused for the test half)")
    ap.add_argument("--calibrate", action="store_true",
                    help="per rule, the confidences of right and wrong findings and a min_confidence (dev half only)")
    ap.add_argument("--transcribe-only", action="store_true")
    ap.add_argument("--cached", action="store_true", help="score only the calls already transcribed")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--keep-roles", action="store_true",
                    help="mono calls: keep the cached transcripts' speakers (default: named again by the current "
                         "voice prints, without decoding again)")
    ap.add_argument("--wer", action="store_true", help="also per-speaker WER and mono role accuracy")
    ap.add_argument("--downmix", action="store_true",
                    help="only the half's stereo calls, mixed down to mono and scored as mono calls")
    args = ap.parse_args(argv)
    if (args.calls or args.calibrate) and args.half != "dev" and args.seed == SEED:
        ap.error("per-call errors are shown for the dev half only: the test half is not to be tuned on")
    corpus = build(args.folder, args.n_calls, args.seed)
    calls = [c for c in corpus if args.half in ("all", c["half"])]
    for c in calls:
        c["duration_s"] = json.loads((args.folder / "written" / f"{c['call_id']}.json").read_text(
            encoding="utf-8"))["duration_s"]
    if args.downmix:
        calls = [{**c, "condition": {**c["condition"], "layout": "mono"}} for c in calls
                 if c["condition"]["layout"] != "mono"]
        args.set = [*args.set, "layout=mono"]
    spent = audio_s = 0.0
    if args.written:
        docs = {c["call_id"]: json.loads((args.folder / "written" / f"{c['call_id']}.json").read_text(
            encoding="utf-8")) for c in calls}
    else:
        docs, spent, audio_s = transcripts(args.folder, calls, args.set, args.cached)
        if not args.keep_roles:
            docs = mono_roles_now(args.folder, calls, docs, args.set)
    if args.transcribe_only:
        print(f"{len(docs)} transcripts; {spent:.0f} s for {audio_s:.0f} s of new audio")
        return 0
    res = score(calls, docs)
    if args.json:
        print(json.dumps({k: {**g, "precision": _pr(g)[0], "recall": _pr(g)[1]} for k, g in res.items()},
                         ensure_ascii=False))
        return 0
    source = "written scripts" if args.written else f"audio, settings {args.set or 'default'}"
    source += ", stereo calls mixed down to mono" if args.downmix else ""
    print(f"held-out corpus, {args.half} half: {res['all']['calls']} calls ({source})")
    if audio_s:
        print(f"transcribed {audio_s:.0f} s of audio in {spent:.0f} s (loaded machine)")
    print(f"{'rule':<24}{'P':>7}{'R':>7}{'TP':>5}{'FP':>5}{'FN':>5}")
    for rid, s in sorted(res["all"]["rules"].items()):
        p, r = _pr(s)
        print(f"{rid:<24}{_f(p)} {_f(r)}{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}")
    for name, g in res.items():
        p, r = _pr(g)
        topic = g["topic_right"] / g["calls"] if g["calls"] else None
        print(f"TOTAL {name:<6} calls {g['calls']:>3}  precision {_f(p)}  recall {_f(r)}  topic {_f(topic)}  "
              f"(uncertain {g['uncertain']}, not assessed {g['not_assessed']})")
    if args.wer and not args.written:
        sp = speech_figures(args.folder, calls, docs)
        print(f"WER operator {_f(sp['wer_operator'])}  customer {_f(sp['wer_customer'])}  "
              f"mono role accuracy {_f(sp['mono_role_accuracy'])} over {sp['mono_words_matched']} words "
              f"recognised exactly ({sp['mono_words_unknown']} of them unknown)")
    if args.calibrate:
        import yaml

        from rules.engine import Checker
        from rules.rulebook import DEFAULT_PATH

        rules = {r.id: r.min_confidence for r in Checker.default().rules}
        default = float(yaml.safe_load(Path(DEFAULT_PATH).read_text(encoding="utf-8"))["confidence"]["min_confidence"])
        print(f"{'rule':<24}{'now':>6}{'suggest':>8}  right (confidence)            wrong (confidence)")
        for rule, tp, fp, t in calibrate(calls, default):
            print(f"{rule:<24}{rules.get(rule, default):6.2f}{t:8.2f}  {' '.join(f'{v:.2f}' for v in tp):<30}"
                  f"{' '.join(f'{v:.2f}' for v in fp)}")
    if args.calls:
        for c in calls:
            e = c.get("_errors")
            if e and (e["missed"] or e["extra"] or e["topic"]):
                print(c["call_id"], json.dumps(e, ensure_ascii=False), c["condition"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
