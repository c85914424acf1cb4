"""Confidence, uncertain findings and rules not assessed (docs/CONTRACT.md section 3, revised)."""
from __future__ import annotations

import pytest

from rules.confidence import loops, span_confidence, stretch_confidence
from rules.engine import Checker
from transcription.schema import Transcript, Utterance, Word

CHECKER = Checker.default()

GREET = "добрый день тепловые сети меня зовут айгуль слушаю вас"
CLOSE = "спасибо за обращение всего доброго"


def utt(speaker: str, start: float, text: str, p: float | dict | None = 0.95, *, logprob: float | None = None,
        no_speech: float | None = None) -> dict:
    """An utterance; ``p`` is every word's probability, or {word: p} over a default of 0.95 (None: no words)."""
    d = {"speaker": speaker, "start": start, "end": start + 0.4 * len(text.split()), "text": text}
    if p is not None:
        probs = p if isinstance(p, dict) else {}
        default = 0.95 if isinstance(p, dict) else p
        d["words"] = [{"w": w, "start": start + 0.4 * i, "end": start + 0.4 * (i + 1), "p": probs.get(w, default)}
                      for i, w in enumerate(text.split())]
    if logprob is not None:
        d["avg_logprob"] = logprob
    if no_speech is not None:
        d["no_speech_prob"] = no_speech
    return d


def call(*utts: dict) -> Transcript:
    return call_of(max((u.get("end", u["start"]) for u in utts), default=0.0), *utts)


def call_of(duration_s: float, *utts: dict) -> Transcript:
    return Transcript.from_dict({"call_id": "c", "layout": "stereo-operator-left", "duration_s": duration_s,
                                 "utterances": list(utts)})


def body(op_text: str = "назовите пожалуйста адрес", **kw) -> list[dict]:
    return [utt("customer", 4.0, "здравствуйте у меня вопрос по отоплению"),
            utt("operator", 8.0, op_text, **kw),
            utt("customer", 12.0, "улица абая дом пять"),
            utt("operator", 16.0, CLOSE)]


CASES = [
    # (name, transcript, rule, where it must be: findings | uncertain | not_assessed:<reason> | absent)
    ("a sure «девушка» counts", call(utt("operator", 0, GREET), *body("девушка подождите")),
     "address.forbidden", "findings"),
    ("an unsure «девушка» is uncertain",
     call(utt("operator", 0, GREET), *body("девушка подождите", p={"девушка": 0.2})), "address.forbidden", "uncertain"),
    ("unsure words elsewhere do not matter", call(utt("operator", 0, GREET),
                                                  *body("девушка подождите минутку", p={"минутку": 0.1})),
     "address.forbidden", "findings"),
    ("no words, a good log-probability", call(utt("operator", 0, GREET), *body("девушка подождите", p=None,
                                                                                logprob=-0.2)),
     "address.forbidden", "findings"),
    ("no words, a poor log-probability", call(utt("operator", 0, GREET), *body("девушка подождите", p=None,
                                                                                logprob=-2.5)),
     "address.forbidden", "uncertain"),
    ("the model thought it was silence", call(utt("operator", 0, GREET), *body("девушка подождите", no_speech=0.9)),
     "address.forbidden", "uncertain"),
    ("a typed transcript is sure", call(utt("operator", 0, GREET, p=None), *[
        {k: v for k, v in u.items() if k != "words"} for u in body("девушка подождите")]),
     "address.forbidden", "findings"),
    ("no greeting, heard clearly", call(utt("operator", 0, "тепловые сети меня зовут айгуль слушаю вас"), *body()),
     "greeting.missing", "findings"),
    ("no greeting, opening heard badly", call(utt("operator", 0, "типловые сеть меня зовут айгуль слушаю вас",
                                                  p={"типловые": 0.15, "сеть": 0.2, "меня": 0.3}), *body()),
     "greeting.missing", "not_assessed:low_confidence"),
    ("a greeting is found however unsure", call(utt("operator", 0, GREET, p=0.1), *body()),
     "greeting.missing", "absent"),
    ("no farewell, ending heard clearly", call(utt("operator", 0, GREET), *body()[:3],
                                               utt("operator", 16.0, "ваш вопрос решен")),
     "closing.missing", "findings"),
    ("no farewell, ending heard badly", call(utt("operator", 0, GREET), *body()[:3],
                                             utt("operator", 16.0, "ваш вопрос решен", p=0.2)),
     "closing.missing", "not_assessed:low_confidence"),
    # the recogniser bends a name in the opening into a «ты» form: its low probability keeps it off the record
    ("a misheard «будешь» is uncertain", call(utt("operator", 0, "добрый вечер тепловые сетя и будешь слушаю вас",
                                                  p={"сетя": 0.3, "и": 0.2, "будешь": 0.15}), *body()),
     "address.ty", "uncertain"),
    ("the opening was not heard at all", call(utt("customer", 1.0, "алло"),
                                              utt("operator", 25.0, "назовите пожалуйста адрес"), *body()[2:]),
     "greeting.missing", "not_assessed:low_confidence"),
    ("no operator speech", call(utt("customer", 0, "алло алло вы меня слышите")),
     "greeting.missing", "not_assessed:no_speech"),
    # the operator's last turns lost (the recogniser dropped them), the customer's goodbye heard: the «last
    # operator utterances» are from long before and say nothing about a farewell
    ("the operator's ending was not heard", call(utt("operator", 0, GREET), utt("customer", 4.0, "у меня вопрос"),
                                                 utt("operator", 8.0, "назовите пожалуйста адрес"),
                                                 utt("customer", 12.0, "улица абая дом пять"),
                                                 utt("customer", 24.0, "спасибо до свидания")),
     "closing.missing", "not_assessed:low_confidence"),
    ("the operator fell silent, the customer said goodbye", call(
        utt("operator", 0, GREET), utt("customer", 4.0, "у меня вопрос"),
        utt("operator", 8.0, "назовите пожалуйста адрес"), utt("customer", 12.0, "улица абая дом пять"),
        utt("operator", 16.0, "заявка принята"), utt("customer", 18.0, "спасибо до свидания")),
     "closing.missing", "findings"),
    ("the operator's opening was not heard", call(utt("customer", 0.5, "алло алло"),
                                                  utt("customer", 3.0, "вы меня слышите у меня вопрос"),
                                                  utt("operator", 12.0, "назовите пожалуйста адрес"), *body()[2:]),
     "greeting.missing", "not_assessed:low_confidence"),
    # a rule of absence needs its stretch heard better than a word needs to be heard to count (0.6 against 0.5)
    ("a word heard at 0.55 counts", call(utt("operator", 0, GREET), *body("девушка подождите", p=0.55)),
     "address.forbidden", "findings"),
    ("an ending heard at 0.55 is not enough to say no farewell", call(
        utt("operator", 0, GREET), *body()[:3], utt("operator", 16.0, "ваш вопрос решен", p=0.55)),
     "closing.missing", "not_assessed:low_confidence"),
    ("an ending heard at 0.65 is", call(utt("operator", 0, GREET), *body()[:3],
                                        utt("operator", 16.0, "ваш вопрос решен", p=0.65)),
     "closing.missing", "findings"),
    # noise heard as a repeated word: the «можешь» before it is no evidence, however sure each word
    ("a «ты» form in a decoder loop is uncertain",
     call(utt("operator", 0, GREET), *body("можешь не тихо тихо тихо тихо тихо", p=0.9)), "address.ty", "uncertain"),
    ("a «ты» form in a sentence counts",
     call(utt("operator", 0, GREET), *body("можешь не торопиться я подожду", p=0.9)), "address.ty", "findings"),
    # the recording runs on long after the last recognised words: the ending (and any farewell) was lost
    ("the recording goes on after the last words", call_of(32.0, utt("operator", 0, GREET), *body()[:3],
                                                           utt("operator", 16.0, "ваш вопрос решен")),
     "closing.missing", "not_assessed:low_confidence"),
    ("the recording ends after the last words", call_of(20.0, utt("operator", 0, GREET), *body()[:3],
                                                        utt("operator", 16.0, "ваш вопрос решен")),
     "closing.missing", "findings"),
    ("a loop where the farewell would be", call(utt("operator", 0, GREET), *body()[:3],
                                                utt("operator", 16.0, "моб моб моб моб моб моб", p=0.9)),
     "closing.missing", "not_assessed:low_confidence"),
]


@pytest.mark.parametrize("name, transcript, rule, where", CASES, ids=[c[0] for c in CASES])
def test_where_a_finding_goes(name, transcript, rule, where):
    r = CHECKER.check(transcript)
    places = {"findings": {f.rule for f in r.findings}, "uncertain": {f.rule for f in r.uncertain}}
    skipped = {n.rule: n.reason for n in r.not_assessed}
    if where == "absent":
        assert rule not in places["findings"] | places["uncertain"] and rule not in skipped
    elif where.startswith("not_assessed:"):
        assert skipped.get(rule) == where.split(":")[1]
        assert rule not in places["findings"] | places["uncertain"]
    else:
        assert rule in places[where], (r.findings, r.uncertain, r.not_assessed)
        other = "uncertain" if where == "findings" else "findings"
        assert rule not in places[other]


def test_uncertain_findings_do_not_lower_the_score():
    sure = CHECKER.check(call(utt("operator", 0, GREET), *body("девушка подождите")))
    unsure = CHECKER.check(call(utt("operator", 0, GREET), *body("девушка подождите", p={"девушка": 0.2})))
    assert sure.score < 100.0
    assert unsure.score == 100.0 and unsure.uncertain


def test_confidence_in_the_json_and_score_null_without_speech():
    out = CHECKER.check(call(utt("operator", 0, GREET), *body("девушка подождите", p=0.9))).to_dict()
    f = next(f for f in out["findings"] if f["rule"] == "address.forbidden")
    assert f["confidence"] == pytest.approx(0.9, abs=0.01)
    assert out["uncertain"] == [] and out["not_assessed"] == []
    silent = CHECKER.check(Transcript.from_dict({"call_id": "s", "duration_s": 30, "utterances": []})).to_dict()
    assert silent["score"] is None
    assert {n["reason"] for n in silent["not_assessed"]} == {"no_speech"}
    assert len(silent["not_assessed"]) == len(CHECKER.rules)


@pytest.mark.parametrize("words, expected", [
    ([0.9, 0.9], 0.9),
    ([0.9, 0.1], 0.3),             # geometric mean: one unsure word weighs
    (None, 1.0),                   # nothing known: sure
])
def test_span_confidence(words, expected):
    u = Utterance("operator", 0, 1, "а б", [Word(f"w{i}", i * 0.5, i * 0.5 + 0.5, p) for i, p in
                                           enumerate(words)] if words else None)
    assert span_confidence(u) == pytest.approx(expected, abs=0.01)


def test_stretch_confidence_is_the_lower_quartile():
    u = Utterance("operator", 0, 4, "a b c d", [Word(w, i, i + 1, p) for i, (w, p) in
                                                 enumerate([("a", 0.1), ("b", 0.9), ("c", 0.9), ("d", 0.9)])])
    assert stretch_confidence([u]) == pytest.approx(0.9)  # one word in four is not a quarter below
    u.words[1] = Word("b", 1, 2, 0.2)
    assert stretch_confidence([u]) == pytest.approx(0.2)
    assert stretch_confidence([]) == 1.0


@pytest.mark.parametrize("digit_p, expected", [(0.95, 0.95), (0.2, 0.2), (None, 1.0)])
def test_a_reading_carries_its_digits_confidence(digit_p, expected):
    value = utt("customer", 12.0, "триста двенадцать", p={"триста": digit_p or 0.95, "двенадцать": digit_p or 0.95}
                if digit_p else None)
    r = CHECKER.check(call(utt("operator", 0, GREET), utt("customer", 4.0, "хочу передать показания"),
                           utt("operator", 8.0, "какие показания"), value, utt("operator", 16.0, CLOSE)))
    assert [x.value for x in r.readings] == [312.0]
    assert r.readings[0].confidence == pytest.approx(expected, abs=0.01)
    assert r.to_dict()["readings"][0]["confidence"] == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("text, loop", [
    ("Можешь не тихо-тихо-мюйти, а тихо-тихо-тихо-тихо-тихо-тихо-тихо-тихо-тихо.", True),   # compresses 2.3 times
    ("У нас, моб, моб, моб, моб, моб, моб.", True),
    ("передайте показания передайте показания передайте показания передайте показания", True),
    ("Спасибо за обращение, всего доброго.", False),
    ("да да да", False),                               # three times: a person may say that
    ("Восемь семь ноль семь четыре девять восемь семь один.", False),
    ("", False),
])
def test_loops(text, loop):
    assert loops(text) is loop
