"""Key phrases heard by sound (rules/phonetics.py): bends a recogniser makes, and words that only look alike."""
from __future__ import annotations

import pytest

from rules.phonetics import key, phrase_keys, sounds_like
from rules.text import morph

GREETINGS = phrase_keys(["здравствуйте", "сәлеметсіз бе", "добрый день", "доброе утро", "добрый вечер"])
FAREWELLS = phrase_keys(["до свидания", "всего доброго", "хорошего дня", "спасибо за обращение"])


@pytest.mark.parametrize("said, keys, heard", [
    ("здраствуйте тепловые сети", GREETINGS, True),           # a letter dropped
    ("сдравствуйте", GREETINGS, True),                        # voiced and voiceless fall together
    ("из драфствовмете меня зовут", GREETINGS, True),         # split and bent
    ("лимит сисби алматински", GREETINGS, True),              # «сәлеметсіз бе» as the base model writes it
    ("салеметсиз бе", GREETINGS, True),                       # Kazakh letters transliterated
    ("добрый вечер", GREETINGS, True),
    ("тепловые сети оператор мадина", GREETINGS, False),      # no greeting in it
    ("алло слушаю", GREETINGS, False),
    ("ваш вопрос решен", GREETINGS, False),
    ("всего доброго", GREETINGS, False),                      # a farewell is no greeting
    ("до свиданье", FAREWELLS, True),
    ("досвидание", FAREWELLS, True),
    ("спасибо за обращения", FAREWELLS, True),
    ("заявка оформлена", FAREWELLS, False),
    ("показания приняты", FAREWELLS, False),
    ("хорошо спасибо", FAREWELLS, False),
])
def test_sounds_like(said, keys, heard):
    assert sounds_like(keys, said.split(), 0.34) is heard


# With the dictionary: real words the recogniser wrote are what it heard, so only a bent word (one the dictionary
# does not know) and its neighbours are searched loosely; a run of real words must match the phrase whole.
@pytest.mark.parametrize("said, keys, heard", [
    ("спасибо за ожидание информацию уточнила", FAREWELLS, False),   # another phrase of real words
    ("по вакансиям обращайтесь в отдел кадров", FAREWELLS, False),   # «…ращайтесь в отдел…» inside other words
    ("спасибо за обращения", FAREWELLS, True),                       # an inflection of real words
    ("всего доброва", FAREWELLS, True),                              # a bent word
    ("из драфствовмете меня зовут", GREETINGS, True),
    ("сдравстом идите тепловые сети", GREETINGS, True),
    ("три меттизбе", GREETINGS, True),
])
def test_sounds_like_reads_real_words_as_heard(said, keys, heard):
    assert sounds_like(keys, said.split(), 0.34, known=morph().word_is_known) is heard


@pytest.mark.parametrize("a, b", [("опломбировать", "опламбировать"), ("заявку", "заявка"), ("счётчик", "счетчик"),
                                  ("сәлем", "салем"), ("ц", "с")])
def test_keys_merge_what_a_line_confuses(a, b):
    assert key(a)[:4] == key(b)[:4]
