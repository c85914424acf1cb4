"""Who spoke when, on mono calls of the held-out corpus: the speech stretches' roles against the script.

    python bench/speakers.py --half dev                 # the mono calls of the dev half, per call
    python bench/speakers.py --half dev --downmix       # and the dev half's stereo calls mixed down to mono
    python bench/speakers.py --half test                # totals only

No recognition is run: the speech stretches are the pipeline's own (``transcription.roles.speech_chunks``),
their voices come from ``transcription.roles.cluster_voices`` as in ``oka-qa transcribe``, and the operator's
voice is named by ``assign_roles`` from the words of the cached transcript (``bench/heldout.py``
writes it; without one, the first voice is the operator).  Each stretch's true speaker is the script's turn
it overlaps most (``var/bench/heldout/written``); stretches over no turn (crosstalk, noise) are left out.
Figures, weighted by seconds of speech:

* clustering: the share of stretches put in the right voice under the better of the two namings, over the
  stretches given a voice (what the voice prints alone do);
* roles: the share of all speech given the right role (``unknown`` counts as wrong), and the share left
  ``unknown``; with ``--downmix`` the stereo calls' two sides are added (a mono recording of the same call).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.heldout import transcripts_dir  # noqa: E402
from bench.heldout_corpus import DEFAULT_DIR, build  # noqa: E402


def true_speakers(chunks, turns: list[dict]) -> list[str | None]:
    """The script's speaker each stretch overlaps most (None: over no turn)."""
    out = []
    for c in chunks:
        best, most = None, 0.0
        for t in turns:
            ov = min(c.end, t["end"]) - max(c.start, t["start"])
            if ov > most:
                best, most = t["speaker"], ov
        out.append(best)
    return out


def roles_of(chunks, labels: list[int | None], doc: dict | None, greeting: tuple[str, ...]) -> list[str]:
    """Each stretch's role as the pipeline would name it, from the words of a cached transcript."""
    from transcription.roles import assign_roles
    from transcription.schema import Utterance

    utts, voice = [], []
    for u in (doc or {}).get("utterances", []):
        mid = (u["start"] + u["end"]) / 2
        at = next((i for i, c in enumerate(chunks) if c.start - 0.1 <= mid <= c.end + 0.1), None)
        utts.append(Utterance("unknown", u["start"], u["end"], u["text"]))
        voice.append(None if at is None else labels[at])
    if not utts:  # no words to go on: the product's fallback, the first voice
        utts = [Utterance("unknown", c.start, c.end, "") for c in chunks]
        voice = list(labels)
    assign_roles(utts, voice, greeting)
    operator = next((v for u, v in zip(utts, voice, strict=True) if u.speaker == "operator"), None)
    if operator is None:
        return ["unknown"] * len(chunks)
    return ["unknown" if lab is None else "operator" if lab == operator else "customer" for lab in labels]


def relabel(folder: Path, call: dict, doc: dict, margin: float, greeting: tuple[str, ...]) -> dict:
    """A cached mono transcript with its speakers named again by the current voice prints, as
    ``transcription.pipeline`` would name them (each utterance in the speech stretch it was decoded from)."""
    from transcription.audio import decode
    from transcription.roles import assign_roles, cluster_voices, speech_chunks
    from transcription.schema import Utterance

    mono = decode(folder / "audio" / call["file"]).mono()
    chunks = speech_chunks(mono)
    labels = cluster_voices(mono, chunks, margin).labels if chunks else []
    utts, voice = [], []
    for u in doc["utterances"]:
        mid = (u["start"] + u["end"]) / 2
        at = next((i for i, c in enumerate(chunks) if c.start - 0.1 <= mid <= c.end + 0.1), None)
        utts.append(Utterance("unknown", u["start"], u["end"], u["text"]))
        voice.append(None if at is None else labels[at])
    assign_roles(utts, voice, greeting)
    return {**doc, "utterances": [{**u, "speaker": v.speaker} for u, v in zip(doc["utterances"], utts, strict=True)]}


def measure(folder: Path, call: dict, downmix: bool, margin: float, greeting: tuple[str, ...]) -> dict | None:
    from transcription.audio import decode
    from transcription.roles import cluster_voices, speech_chunks

    if call["condition"]["layout"] != "mono" and not downmix:
        return None
    audio = decode(folder / "audio" / call["file"])
    mono = (audio.channels[0] + audio.channels[1]) if audio.stereo else audio.channels[0]
    chunks = speech_chunks(mono)
    written = json.loads((folder / "written" / f"{call['call_id']}.json").read_text(encoding="utf-8"))
    truth = true_speakers(chunks, written["utterances"])
    voices = cluster_voices(mono, chunks, margin)
    cached = transcripts_dir(folder, "default") / f"{call['call_id']}.json"   # bench/heldout.py's default run
    doc = json.loads(cached.read_text(encoding="utf-8")) if cached.is_file() else None
    roles = roles_of(chunks, voices.labels, doc, greeting)
    r = {"total": 0.0, "right": 0.0, "unknown": 0.0, "voiced": 0.0, "same": 0.0, "swapped": 0.0}
    for c, t, lab, role in zip(chunks, truth, voices.labels, roles, strict=True):
        if t is None:
            continue
        s = c.end - c.start
        r["total"] += s
        r["right"] += s * (role == t)
        r["unknown"] += s * (role == "unknown")
        if lab is not None:
            r["voiced"] += s
            r["same"] += s * ((lab == 0) == (t == "operator"))
            r["swapped"] += s * ((lab == 1) == (t == "operator"))
    r["clustered"] = max(r.pop("same"), r.pop("swapped"))
    r["separation"] = voices.separation
    return r


def main(argv: list[str] | None = None) -> int:
    from rules.rulebook import operator_greeting
    from transcription.options import TranscribeOptions

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=["dev", "test"], default="dev")
    ap.add_argument("--folder", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--downmix", action="store_true", help="the stereo calls too, mixed down to mono")
    args = ap.parse_args(argv)
    calls = [c for c in build(args.folder) if c["half"] == args.half]
    margin, greeting = TranscribeOptions().role_min_margin, operator_greeting()
    sums = {"mono": {}, "downmix": {}}
    for c in calls:
        r = measure(args.folder, c, args.downmix, margin, greeting)
        if r is None:
            continue
        kind = "mono" if c["condition"]["layout"] == "mono" else "downmix"
        for k, v in r.items():
            sums[kind][k] = sums[kind].get(k, 0.0) + v
        if args.half == "dev":
            cl = r["clustered"] / r["voiced"] if r["voiced"] else float("nan")
            print(f"{c['call_id']} {kind:<8} roles {r['right'] / r['total']:.3f} "
                  f"unknown {r['unknown'] / r['total']:.3f} clustering {cl:.3f} separation {r['separation']:.2f}  "
                  f"{c['operator_voice']} / {c['customer_voice']}  noise {c['condition']['noise_db']:.0f} dB")
    for kind, s in sums.items():
        if not s:
            continue
        cl = s["clustered"] / s["voiced"] if s["voiced"] else None
        print(f"TOTAL {args.half} {kind:<8} {s['total']:.0f} s of speech: roles right {s['right'] / s['total']:.3f}, "
              f"unknown {s['unknown'] / s['total']:.3f}"
              + (f", clustering {cl:.3f}" if cl else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
