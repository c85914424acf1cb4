"""Meter readings and the topic of a call, as tables."""
from __future__ import annotations

import pytest

from rules.engine import Checker
from tests.test_rules_table import transcript

CHECKER = Checker.default()
ASK = "o: Диктуйте показания."
WANT = "c: Здравствуйте, хочу передать показания."


@pytest.mark.parametrize("said, values", [
    ("c: Горячая вода две тысячи сорок пять и три десятых.", [2045.3]),
    ("c: сто двадцать три целых пять", [123.5]),
    ("c: Сто двадцать три целых пять десятых.", [123.5]),
    ("c: На счётчике 123,5.", [123.5]),
    ("c: 2045 и 3 десятых", [2045.3]),
    ("c: сто двадцать три и пять", [123.5]),
    ("c: девятьсот восемь с половиной", [908.5]),
    ("c: Тысяча двадцать три запятая семь.", [1023.7]),
    ("c: На кухне триста сорок, в ванной сто двенадцать и две десятых.", [340.0, 112.2]),
    ("c: Показания 4512.", [4512.0]),
    ("c: пятьсот сорок целых двадцать пять сотых", [540.25]),
    ("c: Ноль ноль пятьсот шестьдесят семь.", [567.0]),
    ("c: Показания 3 782,9.", [3782.9]),  # the ASR writes thousands apart
    ("c: показания 3.782,9", [3782.9]),
    ("c: две тысячи 45 и 3 десятых", [2045.3]),
    ("c: Горячая сто двадцать три, холодная сорок пять.", [123.0, 45.0]),
    ("c: две тысячи сорок пять точка три", [2045.3]),
    # not readings: an account dictated, a flat, last month's value, a sum, a date
    ("c: Лицевой счёт один два три четыре пять шесть семь.", []),
    ("c: сто двадцать шесть четыреста двадцать три девяносто восемь", []),
    ("c: Квартира 45.", []),
    ("c: В прошлом месяце было 1200.", []),
    ("c: Мне начислили 15000 тенге.", []),
    ("c: Передавала двадцать пятого числа.", []),
])
def test_readings(said, values):
    result = CHECKER.check(transcript(["o: Добрый день.", WANT, ASK, said, "o: Записала. До свидания."]))
    assert [r.value for r in result.readings] == values


def test_operator_reading_back_is_one_reading_at_the_first_time():
    result = CHECKER.check(transcript(["o: Добрый день.", WANT, ASK, ("c", 20.0, 23.0, "Сто двадцать три и пять."),
                                       ("o", 24.0, 26.0, "Записала: 123,5. До свидания.")]))
    assert [(r.value, r.start, r.evidence) for r in result.readings] == [(123.5, 20.0, "Сто двадцать три и пять")]


def test_a_read_back_that_differs_is_not_a_reading():
    result = CHECKER.check(transcript(["o: Добрый день.", WANT, ASK, "c: Сто двадцать три и пять.",
                                       "o: Записала: 132,5. До свидания."]))
    assert [r.value for r in result.readings] == [123.5]


def test_no_readings_in_a_call_that_never_speaks_of_them():
    result = CHECKER.check(transcript(["o: Добрый день.", "c: Почему квитанция 12500 тенге?", "o: По тарифу."]))
    assert result.readings == []


@pytest.mark.parametrize("turns, topic", [
    ([WANT, ASK, "c: Сто двадцать."], "readings"),
    (["c: Нужно опломбировать счётчик горячей воды в квартире."], "request.individual"),
    (["c: нам надо снять пломбу со счетчика мы его меняем"], "request.individual"),
    (["c: ТОО «Береке», по договору нужно опломбировать теплосчётчик на объекте."], "request.legal"),
    (["c: Организация, нужен технический осмотр узла учёта в офисе."], "request.legal"),
    (["c: Почему такое большое начисление за отопление в квитанции?"], "billing"),
    (["c: когда включат отопление в нашем районе"], "billing"),
    (["c: У нас нет холодной воды второй день."], "out_of_scope"),
    (["c: Свет отключили во всём доме, это к вам?"], "out_of_scope"),
    (["c: Алло, это поликлиника?", "o: Нет, вы ошиблись номером."], "other"),
    (["c: Алло? Алло?"], "other"),
    # the operator's words alone do not make the topic
    (["c: Позовите Марину.", "o: ПУТЭ опломбируем по заявке."], "other"),
])
def test_topic(turns, topic):
    assert CHECKER.check(transcript(["o: Добрый день, тепловые сети.", *turns, "o: До свидания."])).topic == topic
