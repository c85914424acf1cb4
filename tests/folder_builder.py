"""Data folders (docs/CONTRACT.md section 4) built in test code, with transcripts as JSON (no audio).

``Folder`` writes calls.csv (+ one transcript per call), requests.csv and
readings.csv; ``FakeChecker`` returns the topic, score, findings and dictated
readings a test chose for each call, so the expected KPIs can be written by
construction, independent of the rulebook.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from transcription.schema import CheckResult, Finding, NotAssessed, Reading, Transcript

CALL_COLS = ("call_id", "started_at", "operator_id", "operator_name", "audio_path", "transcript_path", "layout")
REQUEST_COLS = ("request_id", "customer_type", "kind", "account", "contract_no", "object_name", "meter", "contact",
                "reason", "note", "operator_id", "call_id", "created_at", "completed_at")
READING_COLS = ("reading_id", "account", "meter", "value", "operator_id", "call_id", "entered_at")


@dataclass
class CallSpec:
    topic: str = "other"
    score: float | None = 100.0           # None: nothing could be judged (a silent call)
    findings: tuple[str, ...] = ()
    readings: tuple[float, ...] = ()
    topics: tuple[str, ...] = ()          # every topic covered, besides ``topic``
    language: str = "ru"


@dataclass
class FakeChecker:
    """Stands in for ``rules.engine.Checker``: the verdict per call is given by the test."""

    specs: dict[str, CallSpec] = field(default_factory=dict)
    version: str = "TEST/01"
    checked: list[str] = field(default_factory=list)
    delay_s: float = 0.0  # time a real rulebook takes per call

    @property
    def rulebook(self):
        """The weights a finding found at ingest takes off (the packaged rulebook's)."""
        from rules.rulebook import Rulebook

        return Rulebook.load()

    def check(self, transcript: Transcript) -> CheckResult:
        self.checked.append(transcript.call_id)
        if self.delay_s:
            time.sleep(self.delay_s)
        s = self.specs.get(transcript.call_id, CallSpec())
        findings = [Finding(rule, "15.1", "operator", float(i), float(i) + 1, f"evidence {i}")
                    for i, rule in enumerate(s.findings)]
        readings = [Reading(v, 2.5, str(v)) for v in s.readings]  # dictated in the customer's utterance
        not_assessed = [NotAssessed("greeting.missing", "no_speech")] if s.score is None else []
        return CheckResult(transcript.call_id, self.version, s.topic, s.score, findings, readings,
                           topics=[s.topic, *s.topics], language=s.language, not_assessed=not_assessed)


class Folder:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.calls: list[dict] = []
        self.requests: list[dict] = []
        self.readings: list[dict] = []
        self.checker = FakeChecker()

    def call(self, call_id: str, started_at: str, operator_id: str = "op1", duration_s: float = 120.0,
             text: str = "добрый день слушаю вас", topic: str = "other", score: float | None = 100.0,
             findings: tuple[str, ...] = (), readings: tuple[float, ...] = (), topics: tuple[str, ...] = (),
             language: str = "ru", p: float | None = None, silent: bool = False) -> Folder:
        """A call; ``p`` gives every word of the customer's utterance that probability (ASR confidence),
        ``silent`` makes a call with no speech at all (``score`` None: nothing could be judged)."""
        customer = {"speaker": "customer", "start": 2.5, "end": 6.0, "text": text}
        if p is not None:
            words = text.split()
            step = 3.5 / max(len(words), 1)
            customer["words"] = [{"w": w, "start": round(2.5 + i * step, 3), "end": round(2.5 + (i + 1) * step, 3),
                                  "p": p} for i, w in enumerate(words)]
        utterances = [] if silent else [
            {"speaker": "operator", "start": 0.0, "end": 2.0, "text": "Добрый день, слушаю вас."}, customer]
        tr = {"call_id": call_id, "duration_s": duration_s, "language": language, "layout": "stereo-operator-left",
              "utterances": utterances}
        (self.root / "transcripts").mkdir(parents=True, exist_ok=True)
        (self.root / "transcripts" / f"{call_id}.json").write_text(json.dumps(tr, ensure_ascii=False), "utf-8")
        self.calls.append({"call_id": call_id, "started_at": started_at, "operator_id": operator_id,
                           "operator_name": f"Оператор {operator_id}", "audio_path": "",
                           "transcript_path": f"transcripts/{call_id}.json", "layout": "stereo-operator-left"})
        self.checker.specs[call_id] = CallSpec(topic, None if silent else score, findings, readings, topics,
                                               language)
        return self

    def request(self, request_id: str, created_at: str, customer_type: str = "individual", kind: str = "sealing",
                operator_id: str = "op1", call_id: str = "", completed_at: str = "", **fields: str) -> Folder:
        row = {"request_id": request_id, "customer_type": customer_type, "kind": kind, "operator_id": operator_id,
               "call_id": call_id, "created_at": created_at, "completed_at": completed_at}
        defaults = {"account": "100200", "contact": "87011234567", "reason": "замена ИПУ ГВС"}
        if customer_type == "legal":
            defaults |= {"account": "", "contract_no": "Д-1", "object_name": "ТОО Ромашка", "meter": "M-1"}
        self.requests.append(defaults | row | fields)
        return self

    def reading(self, reading_id: str, entered_at: str, value: float | str, operator_id: str = "op1",
                call_id: str = "", account: str = "100200", meter: str = "ГВС-1") -> Folder:
        self.readings.append({"reading_id": reading_id, "account": account, "meter": meter, "value": value,
                              "operator_id": operator_id, "call_id": call_id, "entered_at": entered_at})
        return self

    def write(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        for name, cols, rows in (("calls", CALL_COLS, self.calls), ("requests", REQUEST_COLS, self.requests),
                                 ("readings", READING_COLS, self.readings)):
            if rows:
                write_csv(self.root / f"{name}.csv", cols, rows)
        return self.root


def write_csv(path: Path, cols: tuple[str, ...], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols, extrasaction="raise")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in cols})


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)
