"""``oka-qa eval CORPUS_DIR``: the rulebook's figures on a labelled corpus.

A labelled call is a transcript JSON (docs/CONTRACT.md section 1) with
``"expected": {"rules": [...], "topic": "...", "readings": [...]}`` — or the
same object in a sidecar ``<name>.expected.json`` (``.labels.json``), or in a
folder-wide ``labels.json`` / ``labels.jsonl`` keyed by ``call_id``.  Rules
may be ids or finding objects (``{"rule": ...}``), readings numbers or
``{"value": ...}`` objects.  Per rule, a call counts as
a true positive when the rule is expected and fired at least once; precision,
recall and F1 follow.  Topic accuracy is the share of calls whose topic is
right; readings accuracy the share whose set of dictated values is exactly
right (to 0.001), over all calls and over the calls with readings.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import OkaError
from transcription.schema import SchemaError, Transcript

log = logging.getLogger(__name__)


@dataclass
class RuleStats:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    support: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvalReport:
    rulebook: str
    calls: int = 0
    rules: dict[str, RuleStats] = field(default_factory=dict)
    topic_right: int = 0
    readings_right: int = 0
    readings_calls: int = 0
    readings_calls_right: int = 0
    language_calls: int = 0          # calls labelled with a language
    language_right: int = 0
    errors: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        def r3(x):
            return None if x is None else round(x, 3)
        return {
            "rulebook": self.rulebook,
            "calls": self.calls,
            "rules": {k: {"precision": r3(s.precision), "recall": r3(s.recall), "f1": r3(s.f1),
                          "tp": s.tp, "fp": s.fp, "fn": s.fn, "support": s.support}
                      for k, s in sorted(self.rules.items())},
            "topic_accuracy": r3(self.topic_right / self.calls) if self.calls else None,
            "readings_accuracy": r3(self.readings_right / self.calls) if self.calls else None,
            "readings_accuracy_calls_with_readings":
                r3(self.readings_calls_right / self.readings_calls) if self.readings_calls else None,
            "language_accuracy": r3(self.language_right / self.language_calls) if self.language_calls else None,
            "language_calls": self.language_calls,
            "errors": self.errors,
        }

    def format(self) -> str:
        d = self.to_dict()
        lines = [f"rulebook {self.rulebook}, {self.calls} calls",
                 f"{'rule':<24}{'P':>7}{'R':>7}{'F1':>7}{'TP':>5}{'FP':>5}{'FN':>5}{'N':>5}"]

        def f(x):
            return "   n/a" if x is None else f"{x:6.3f}"
        for rid, s in d["rules"].items():
            lines.append(f"{rid:<24} {f(s['precision'])} {f(s['recall'])} {f(s['f1'])}"
                         f"{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}{s['support']:>5}")
        lines.append(f"topic accuracy     {f(d['topic_accuracy'])}")
        lines.append(f"readings exact     {f(d['readings_accuracy'])} (all calls), "
                     f"{f(d['readings_accuracy_calls_with_readings'])} (calls with readings)")
        if self.language_calls:
            lines.append(f"language accuracy  {f(d['language_accuracy'])} ({self.language_calls} labelled calls)")
        return "\n".join(lines)


LABEL_KEYS = ("expected", "labels", "label", "gold", "truth")
SIDECARS = (".expected.json", ".labels.json", ".label.json")
LABEL_FILES = ("labels.json", "expected.json", "labels.jsonl", "expected.jsonl")


def _folder_labels(corpus_dir: Path) -> dict[str, dict]:
    """Labels kept in one file for the whole folder: {call_id: labels}, a list or JSON Lines of objects with call_id."""
    out: dict[str, dict] = {}
    for name in LABEL_FILES:
        path = corpus_dir / name
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        items = [json.loads(x) for x in text.splitlines() if x.strip()] if name.endswith(".jsonl") else json.loads(text)
        if isinstance(items, dict):
            items = [{"call_id": k, **v} for k, v in items.items() if isinstance(v, dict)]
        for item in items:
            if isinstance(item, dict) and item.get("call_id"):
                out[str(item["call_id"])] = item
    return out


def _labels(path: Path, data: dict, folder: dict[str, dict]) -> dict:
    """The call's labels: in the file, in a sidecar, or in the folder's labels file; names normalised."""
    exp = next((data[k] for k in LABEL_KEYS if isinstance(data.get(k), dict)), None)
    if exp is None:
        for suffix in SIDECARS:
            side = path.with_name(path.stem + suffix)
            if side.exists():
                exp = json.loads(side.read_text(encoding="utf-8"))
                break
    if exp is None and isinstance(data, dict):
        exp = folder.get(str(data.get("call_id"))) or folder.get(path.stem)
    if not isinstance(exp, dict):
        raise SchemaError(f"{path}: no 'expected' labels (in the file, in {path.stem}.expected.json or labels.json)")
    rules = next((exp[k] for k in ("rules", "expected_rules", "violations", "findings") if k in exp), [])
    readings = exp.get("readings", exp.get("expected_readings", []))
    return {
        "rules": {r.get("rule") or r.get("id") if isinstance(r, dict) else str(r) for r in rules or []},
        "topic": exp.get("topic", exp.get("expected_topic")),
        "readings": [float(r["value"] if isinstance(r, dict) else r) for r in readings or []],
        "language": exp.get("language"),
    }


def evaluate(corpus_dir: Path, checker, on_error: Callable[[str], None] | None = None) -> EvalReport:
    """Runs ``checker`` over every labelled transcript in ``corpus_dir``."""
    corpus_dir = Path(corpus_dir)
    files = sorted(p for p in corpus_dir.glob("*.json")
                   if not p.name.endswith(SIDECARS) and p.name not in LABEL_FILES)
    if not files:
        raise OkaError(f"{corpus_dir}: no transcript JSON files")
    try:
        folder = _folder_labels(corpus_dir)
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as e:
        raise OkaError(f"{corpus_dir}: the labels file cannot be read ({e})") from e
    # a rule found at ingest (from several calls' times) cannot be judged on one transcript: no row for it
    report = EvalReport(checker.version, rules={r.id: RuleStats() for r in checker.rules if r.detector != "at_ingest"})
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            exp = _labels(path, data, folder)
            result = checker.check(Transcript.from_dict(data, source=str(path)))
        except (OkaError, json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, ValueError) as e:
            if on_error:
                on_error(str(e) if isinstance(e, OkaError) else f"{path}: {e}")
            continue
        report.calls += 1
        want = exp["rules"]
        got = {f.rule for f in result.findings}
        for rid in want | got:
            s = report.rules.setdefault(rid, RuleStats())
            if rid in want:
                s.support += 1
                if rid in got:
                    s.tp += 1
                else:
                    s.fn += 1
            else:
                s.fp += 1
        topic_ok = result.topic == exp["topic"]
        report.topic_right += topic_ok
        want_r = sorted(round(v, 3) for v in exp["readings"])
        got_r = sorted(round(r.value, 3) for r in result.readings)
        read_ok = want_r == got_r
        report.readings_right += read_ok
        if want_r:
            report.readings_calls += 1
            report.readings_calls_right += read_ok
        lang_ok = exp["language"] is None or exp["language"] == result.language
        if exp["language"] is not None:
            report.language_calls += 1
            report.language_right += lang_ok
        if want != got or not topic_ok or not read_ok or not lang_ok:
            report.errors.append({"file": path.name, "missed": sorted(want - got), "extra": sorted(got - want),
                                  "topic": None if topic_ok else [exp["topic"], result.topic],
                                  "readings": None if read_ok else [want_r, got_r],
                                  "language": None if lang_ok else [exp["language"], result.language]})
    return report
