"""Render the bundled demo data folder (``data/demo/``) from ``data/demo_calls.py``.

    python -m data.make_demo [--out data/demo]

Speaks every scripted call with festival (see ``data/tts.py``), encodes it as
FLAC, and writes ``calls.csv``, ``requests.csv`` and ``readings.csv`` whose
times follow from the real length of each recording.  One recording is left
broken on purpose, so the demo shows how a bad file is reported.
"""
from __future__ import annotations

import argparse
import csv
import subprocess
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from data.demo_calls import CALLS, OPERATORS
from data.tts import synthesize_call

CALL_COLUMNS = ["call_id", "started_at", "operator_id", "operator_name", "audio_path", "transcript_path", "layout"]
REQUEST_COLUMNS = ["request_id", "customer_type", "kind", "account", "contract_no", "object_name", "meter", "contact",
                   "reason", "note", "operator_id", "call_id", "created_at", "completed_at"]
READING_COLUMNS = ["reading_id", "account", "meter", "value", "operator_id", "call_id", "entered_at"]


def _iso(t: datetime) -> str:
    return t.replace(microsecond=0).isoformat()


def _render(call: dict, out: Path, seed: int) -> float:
    """Write the call's recording as FLAC; return its duration in seconds."""
    if call.get("broken"):
        out.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(256)) * 8)  # a header, then garbage
        return 0.0
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "call.wav"
        bleed = -26 if seed % 4 == 3 else None  # some recorders leak each side into the other channel
        refs = synthesize_call(call["turns"], wav, layout=call["layout"], bleed_db=bleed, seed=seed)
        subprocess.run(["sox", str(wav), str(out)], check=True, capture_output=True)
    return max(r["end"] for r in refs) + 0.3


def build(out_dir: Path) -> None:
    audio_dir = out_dir / "audio"
    audio_dir.mkdir(parents=True, exist_ok=True)
    calls, requests, readings = [], [], []
    for seed, call in enumerate(CALLS):
        audio = audio_dir / f"{call['call_id']}.{'wav' if call.get('broken') else 'flac'}"
        duration = _render(call, audio, seed)
        started = datetime.fromisoformat(call["started_at"])
        ended = started + timedelta(seconds=duration)
        calls.append({"call_id": call["call_id"], "started_at": call["started_at"], "operator_id": call["operator"],
                      "operator_name": OPERATORS[call["operator"]],
                      "audio_path": str(audio.relative_to(out_dir)), "transcript_path": "", "layout": call["layout"]})
        for r in call.get("requests", []):
            created = ended + timedelta(minutes=r["after_min"])
            done = r.get("completed_days")
            requests.append({
                "request_id": r["request_id"], "customer_type": r["customer_type"], "kind": r["kind"],
                "account": r.get("account", ""), "contract_no": r.get("contract_no", ""),
                "object_name": r.get("object_name", ""), "meter": r.get("meter", ""), "contact": r.get("contact", ""),
                "reason": r.get("reason", ""), "note": r.get("note", ""), "operator_id": call["operator"],
                "call_id": "" if r.get("link_by_time") else call["call_id"], "created_at": _iso(created),
                "completed_at": ("" if done is None
                                 else _iso((created + timedelta(days=done)).replace(hour=16, minute=0))),
            })
        for r in call.get("readings", []):
            entered = ended + timedelta(minutes=r["after_min"])
            readings.append({"reading_id": r["reading_id"], "account": r["account"], "meter": r["meter"],
                             "value": r["value"], "operator_id": call["operator"],
                             "call_id": "" if r.get("link_by_time") else call["call_id"], "entered_at": _iso(entered)})
    # a request registered with no call in reach: it stays unlinked
    requests.append({"request_id": "Q-0006", "customer_type": "individual", "kind": "inspection",
                     "account": "130456789", "contract_no": "", "object_name": "", "meter": "",
                     "contact": "87011112233",
                     "reason": "плановый осмотр", "note": "обращение через сайт", "operator_id": "op01", "call_id": "",
                     "created_at": "2026-09-10T12:00:00", "completed_at": "2026-09-18T11:00:00"})
    for name, columns, rows in (("calls.csv", CALL_COLUMNS, calls), ("requests.csv", REQUEST_COLUMNS, requests),
                                ("readings.csv", READING_COLUMNS, readings)):
        with open(out_dir / name, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "demo")
    build(parser.parse_args().out)


if __name__ == "__main__":
    main()
