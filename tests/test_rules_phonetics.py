"""Key phrases heard by sound (rules/phonetics.py): bends a recogniser makes, and words that only look alike."""
from __future__ import annotations

import pytest

from rules.phonetics import key, phrase_keys, sounds_like

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


@pytest.mark.parametrize("a, b", [("опломбировать", "опламбировать"), ("заявку", "заявка"), ("счётчик", "счетчик"),
                                  ("сәлем", "салем"), ("ц", "с")])
def test_keys_merge_what_a_line_confuses(a, b):
    assert key(a)[:4] == key(b)[:4]
