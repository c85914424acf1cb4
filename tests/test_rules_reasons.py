"""Clause 20: a household sealing request's reason, read with morphology and the lexicon in rules/reasons.yaml,
and every topic a call covers (``topics``)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rules.engine import Checker
from rules.reasons import classify_reason
from tests.test_rules_table import transcript

# (reason as entered in ИС РАДИ, class) — inflected, reordered, lowercase, none spelt as in the lexicon
REASONS = [
    ("поменяли счётчик", "meter_replaced"),
    ("Заменили прибор учёта сами", "meter_replaced"),
    ("установили новый водомер", "meter_replaced"),
    ("замена ИПУ ГВС", "meter_replaced"),
    ("после ремонта сантехники", "plumbing"),
    ("после сантехнических работ", "plumbing"),
    ("работы по замене труб в ванной", "plumbing"),
    ("меняли стояк", "plumbing"),
    ("прорвало трубу", "emergency"),
    ("после аварии", "emergency"),
    ("затопили соседи сверху", "emergency"),
    ("потёк кран", "emergency"),
    # none of the three clause 20 allows
    ("истёк срок поверки", "other"),
    ("хочу опломбировать", "other"),
    ("новый собственник квартиры", "other"),
    ("счётчик не меняли", "other"),        # negated
    ("плановая проверка", "other"),
    ("", "missing"),
    (None, "missing"),
]


# the same in Kazakh, as operators type it (tests/reasons_kk: its held-out half is measured, never tuned on)
KAZAKH = [tuple(line.split("\t")) for line in
          (Path(__file__).parent / "reasons_kk" / "dev.tsv").read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("text, expected", REASONS + KAZAKH)
def test_sealing_reason(text, expected):
    assert classify_reason(text) == expected


def test_an_auditor_adds_a_word_to_the_lexicon(tmp_path):
    data = yaml.safe_load(open("rules/reasons.yaml", encoding="utf-8"))
    assert classify_reason("после перепайки полипропилена") == "other"
    data["reasons"]["plumbing"].append([["перепайка", "полипропилен"]])
    path = tmp_path / "reasons.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert classify_reason("после перепайки полипропилена", path) == "plumbing"


HELLO = "o: Добрый день, тепловые сети, Айгуль, слушаю вас."
BYE = "o: Всего доброго, до свидания."
TOPICS = [
    # a sealing request and readings dictated on the way: both need a record
    ([HELLO, "c: Здравствуйте, хочу вызвать контролёра опломбировать счётчик горячей воды, мы поменяли счётчик.",
      "o: Назовите лицевой счёт.", "c: Один два три четыре пять шесть. И ещё хочу передать показания, горячая вода "
      "сто двадцать три.", "o: Записала показания. Заявку приняла.", BYE], ["request.individual", "readings"]),
    ([HELLO, "c: Хочу передать показания счётчика горячей воды: сто двадцать три.", "o: Записала.", BYE],
     ["readings"]),
    ([HELLO, "c: Нужно опломбировать счётчик, поменяли.", "o: Лицевой счёт?",
      "c: сто двадцать три четыреста пятьдесят шесть", "o: Заявка принята.", BYE], ["request.individual"]),
    ([HELLO, "c: Почему такая большая сумма начисления за отопление?", "o: Это перерасчёт.", BYE], ["billing"]),
    # only the operator speaks of readings: not the customer's topic
    ([HELLO, "c: Почему такая большая сумма начисления?", "o: Вы давно не передавали показания.", BYE],
     ["billing"]),
]


@pytest.mark.parametrize("turns, expected", TOPICS)
def test_topics_lists_every_topic_the_call_covers(turns, expected):
    result = Checker.default().check(transcript(turns))
    assert result.topics == expected
    assert result.topic == expected[0]
