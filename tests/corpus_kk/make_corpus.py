"""Writes the labelled Kazakh and mixed corpus (``tests/corpus_kk/test`` and ``dev``).

Each file is a transcript (docs/CONTRACT.md section 1, without ``language``: the
checker detects it) plus ``"expected"``: the rules an auditor would mark, the
topic, the readings and the language.  Calls are assembled from the
hand-written turns of ``turns.py``; ``test`` uses only the test half's turns,
``dev`` only the dev half's (the half the Kazakh lexicons were tuned on).
Kinds: Kazakh calls (``kk``), calls where one side switches to Russian
(``mixed``), and a few Russian calls (``ru``), so detection is measured on all
three.  About a third are written as an ASR writes: lowercase, no punctuation.

    python tests/corpus_kk/make_corpus.py        # rewrites both halves (seeded, reproducible)
"""
from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from turns import DEV, TEST

HERE = Path(__file__).parent
VIOLATIONS = ("address.forbidden", "address.ty", "speech.rude", "enterprise.negative")


def asr(text: str) -> str:
    t = text.lower().replace("ё", "е")
    t = re.sub(r"(?<=\d),(?=\d)", "@", t)
    t = re.sub(r"[.,!?;:—–…()«»]", " ", t)
    return " ".join(t.replace("@", ",").split())


class Builder:
    def __init__(self, r: random.Random, call_id: str, raw: bool):
        self.r, self.call_id, self.raw = r, call_id, raw
        self.turns: list[dict] = []
        self.t = 0.0

    def say(self, speaker: str, text: str) -> None:
        words = len(text.split())
        start = self.t + self.r.uniform(0.3, 0.8)
        end = start + words * self.r.uniform(0.38, 0.5)
        self.turns.append({"speaker": speaker, "start": round(start, 2), "end": round(end, 2),
                           "text": asr(text) if self.raw else text})
        self.t = end


def build(half: dict, r: random.Random, call_id: str, kind: str) -> dict:
    raw = r.random() < 0.35
    b = Builder(r, call_id, raw)
    rules: set[str] = set()
    readings: list[float] = []
    acc = "".join(r.choice("0123456789") for _ in range(7))
    phone = "870" + "".join(r.choice("0123456789") for _ in range(8))
    if kind == "ru":
        for who, text in r.choice(half["ru_calls"]):
            b.say(who, text.format(acc=acc))
        return _out(b, set(), "readings" if "показания" in b.turns[1]["text"] else "billing", [], "ru")
    topic = r.choice(["request.individual", "request.individual", "readings", "billing"])
    if r.random() < 0.2:
        b.say("operator", r.choice(half["no_greet"]))
        rules.add("greeting.missing")
    else:
        b.say("operator", r.choice(half["greet"]))
    text, _ = r.choice(half["purpose"][topic])
    name = None
    if r.random() < 0.35:
        intro, name = r.choice(half["name"])
        b.say("customer", intro + " " + text)
    else:
        b.say("customer", text)
    mixed = kind == "mixed"
    switch_customer = mixed and r.random() < 0.6
    if topic == "request.individual":
        for who, line in half["account"]:
            b.say(who, line.format(acc=acc))
        if r.random() < 0.2:
            rules.add("request.data_missing")
        else:
            for who, line in half["phone"]:
                b.say(who, line.format(phone=phone))
    elif topic == "readings":
        for who, line in half["account"]:
            b.say(who, line.format(acc=acc))
        value = r.randrange(100, 999)
        readings.append(float(value))
        for who, line in half["readings"]:
            b.say(who, line.format(value=value))
    else:
        for who, line in half["billing_answer"]:
            b.say(who, line)
    if mixed:
        for _ in range(2 if switch_customer else 1):
            b.say("customer", r.choice(half["ru_customer"]))
        b.say("operator", r.choice(half["ru_operator"]))
        if r.random() < 0.3:
            b.say("operator", r.choice(half["ru_address"]))
            rules.add("address.forbidden")
    for rule in VIOLATIONS:
        if r.random() < 0.18:
            b.say("operator", r.choice(half[rule]))
            rules.add(rule)
    if r.random() < 0.5:
        b.say("operator", r.choice(half["hard_negative"]))
    if r.random() < 0.15:
        b.say("customer", r.choice(half["customer_ty"]))
    if r.random() < 0.25:
        b.say("customer", r.choice(half["complaint"]))
        if r.random() < 0.5:
            b.say("operator", r.choice(half["no_offer"]))
            rules.add("escalation.not_offered")
        else:
            b.say("operator", r.choice(half["offer"]))
    if name is not None:
        if r.random() < 0.5:
            b.say("operator", half["name_used"].format(name=name))
        else:
            rules.add("name.not_used")
    b.say("operator", half["accepted"][topic])
    if r.random() < 0.2:
        b.say("operator", r.choice(half["no_close"]))
        rules.add("closing.missing")
    else:
        b.say("operator", r.choice(half["close"]))
    return _out(b, rules, topic, readings, kind)


def _out(b: Builder, rules: set[str], topic: str, readings: list[float], language: str) -> dict:
    return {"call_id": b.call_id, "duration_s": round(b.t + 1.0, 2), "layout": "stereo-operator-left",
            "utterances": b.turns,
            "expected": {"rules": sorted(rules), "topic": topic, "readings": readings, "language": language}}


def write(name: str, half: dict, seed: int, n: int) -> None:
    out = HERE / name
    out.mkdir(exist_ok=True)
    for old in out.glob("*.json"):
        old.unlink()
    r = random.Random(seed)
    for i in range(n):
        kind = "kk" if i % 10 < 6 else "mixed" if i % 10 < 9 else "ru"
        call = build(half, r, f"kk_{name}_{i:03d}", kind)
        (out / f"{call['call_id']}.json").write_text(json.dumps(call, ensure_ascii=False, indent=1) + "\n",
                                                     encoding="utf-8")


if __name__ == "__main__":
    write("test", TEST, 1901, 80)
    write("dev", DEV, 1902, 160)
