"""The printed report of ``bench/asr.py``: per prompt setting, WER (overall, per speaker, the naive
loop's), speaker attribution, cost and the ratios, the targets of issue 20 met or missed, and the prompt's
effect when both settings ran.  It prints the figures ``bench/asr.py`` computed; it computes nothing."""
from __future__ import annotations

import math


def report(out: dict) -> None:
    """Totals per prompt mode, the targets, and the prompt's effect when both modes ran."""
    for figures in out.values():
        _print(figures)
    if len(out) == 2:
        _print_prompt_effect(out["on"], out["off"])


def _pct(x: float) -> str:
    return "  n/a" if math.isnan(x) else f"{100 * x:5.1f}%"


def _print(f: dict) -> None:
    pct = _pct
    s = f["settings"]
    print(f"\n=== prompt {'given to both sides' if f['prompt'] == 'on' else 'given to neither side'} ===")
    print(f"corpus: {f['calls']} calls ({f['calls_stereo']} stereo, {f['calls_bleed']} of them with bleed; "
          f"{f['calls_mono']} mono), {f['audio_s'] / 60:.1f} min of audio; {s['workers']} process(es) a side, "
          f"{s['cpu_threads']} thread(s) each, model {s['model']}, language {s['language']}")
    print(f"WER pipeline, all words, speaker ignored : {pct(f['wer_all'])}")
    print(f"WER pipeline, operator words vs operator : {pct(f['wer_operator'])}  "
          f"(stereo {pct(f['wer_operator_stereo'])}, mono {pct(f['wer_operator_mono'])})")
    print(f"WER pipeline, customer words vs customer : {pct(f['wer_customer'])}  "
          f"(stereo {pct(f['wer_customer_stereo'])}, mono {pct(f['wer_customer_mono'])})")
    if "wer_naive" in f:
        print(f"WER naive baseline (speaker-blind)       : {pct(f['wer_naive'])}  "
              f"(stereo {pct(f['wer_naive_stereo'])}, mono {pct(f['wer_naive_mono'])}); its errors on operator "
              f"words {pct(f['wer_naive_operator'])}, on customer words {pct(f['wer_naive_customer'])}")
    print(f"speaker attribution, stereo              : {pct(f['speaker_accuracy_stereo'])} of the words recognised "
          f"exactly ({pct(f['speaker_accuracy_stereo_with_substitutions'])} with substituted words)")
    print(f"role assignment, mono                    : {pct(f['speaker_accuracy_mono'])} "
          f"(unknown {pct(f['speaker_unknown_mono'])}; {pct(f['speaker_accuracy_mono_with_substitutions'])} "
          f"with substituted words)")
    print(f"pipeline: {f['pipeline_throughput']:.2f} audio s per wall s ({f['pipeline_wall_s']} s wall), "
          f"{f['pipeline_cpu_per_audio_s']:.3f} CPU s per audio s ({f['pipeline_cpu_s']} CPU s, workers included)")
    if not math.isnan(f["naive_wall_s"]):
        print(f"naive   : {f['naive_throughput']:.2f} audio s per wall s ({f['naive_wall_s']} s wall), "
              f"{f['naive_cpu_per_audio_s']:.3f} CPU s per audio s ({f['naive_cpu_s']} CPU s, workers included)")
        print(f"ratio pipeline/naive: wall time {f['throughput_ratio']:.2f}x, "
              f"at equal CPU {f['equal_cpu_ratio']:.2f}x  (load average at the end {f['load_average_end']})")
        _verdict(f)


def _verdict(f: dict) -> None:
    """The issue's targets: throughput at equal CPU, and per-speaker WER no worse than the naive loop's."""
    def mark(ok: bool) -> str:
        return "met   " if ok else "MISSED"

    print("targets:")
    print(f"  {mark(f['equal_cpu_ratio'] >= 1.5)} throughput >= 1.5x the naive loop at equal CPU: "
          f"{f['equal_cpu_ratio']:.2f}x (wall time {f['throughput_ratio']:.2f}x)")
    for spk in ("operator", "customer"):
        print(f"  {mark(f[f'wer_{spk}'] <= f[f'wer_naive_{spk}'])} {spk} WER no worse than the naive loop's: "
              f"{100 * f[f'wer_{spk}']:.1f}% vs {100 * f[f'wer_naive_{spk}']:.1f}%")
    print(f"  {mark(f['speaker_accuracy_stereo_with_substitutions'] >= 0.98)} stereo attribution >= 98%: "
          f"{100 * f['speaker_accuracy_stereo_with_substitutions']:.1f}% counting substituted words")


def _print_prompt_effect(on: dict, off: dict) -> None:
    print("\n=== the prompt's effect (same corpus, same run) ===")
    for key, label in (("wer_all", "pipeline, speaker ignored"), ("wer_operator", "pipeline, operator"),
                       ("wer_customer", "pipeline, customer"), ("wer_naive", "naive, speaker-blind"),
                       ("wer_naive_operator", "naive, operator words"),
                       ("wer_naive_customer", "naive, customer words")):
        if key in on:
            print(f"WER {label:27}: with the prompt {_pct(on[key])}, without {_pct(off[key])}")
