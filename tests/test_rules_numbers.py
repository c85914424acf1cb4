"""The one spoken-number parser (rules/numbers.py): Russian and Kazakh words, digits, the recogniser's formats."""
from __future__ import annotations

import pytest
from num2words import num2words

from rules.numbers import chain_digits, pieces, spelled_digits

VALUES = [0, 1, 7, 10, 11, 15, 20, 25, 40, 90, 99, 100, 101, 110, 215, 340, 999, 1000, 1001, 2045, 12300, 45678,
          99999, 120000, 999999]


# (Kazakh 10 alone is «он», the Russian "he": a number only beside another Kazakh number word, below)
@pytest.mark.parametrize("lang,value", [("ru", v) for v in VALUES] + [("kz", v) for v in VALUES if v != 10])
def test_a_number_said_in_words_is_one_number(lang, value):
    """num2words writes the number as a speaker would say it; the parser gives it back as one piece."""
    words = num2words(value, lang=lang).replace("-", " ").split()
    runs = pieces(words)
    assert [[p.digits for p in run] for run in runs] == [[str(value)]], words


@pytest.mark.parametrize("words,digits", [
    ("сегіз жеті жүз бір екі жүз отыз қырық бес алпыс жеті", "87012304567"),   # a phone dictated in groups
    ("бес бес бір нөл тоғыз екі үш", "5510923"),                                # digit by digit
    ("он бір жиырма екі", "1122"),
    ("бир еки уш торт", "1234"),                      # Kazakh as the recogniser spells it in Russian letters
    ("тоқсан бір нөл бес жиырма үш", "9105" + "23"),
    ("восемь семьсот один двести тридцать", "8701230"),
    ("8 семьсот семь 415 двадцать два 90", "870741522" + "90"),
])
def test_spelled_digits(words, digits):
    assert spelled_digits(words.split()) == digits


@pytest.mark.parametrize("words,expected", [
    ("он сказал пять", [["5"]]),                  # «он» is Russian "he" here
    ("он бір", [["11"]]),                         # and Kazakh ten beside a Kazakh number word
    ("торт бес", [["4", "5"]]),
    ("купила торт", []),
    ("бес толку", []),
])
def test_kazakh_words_that_are_russian_words_count_only_beside_kazakh_numbers(words, expected):
    assert [[p.digits for p in run] for run in pieces(words.split())] == expected


@pytest.mark.parametrize("form,digits", [
    ("875,440,423,2", "8754404232"),
    ("7,8,9,1,2,3", "789123"),
    ("877.1.2.4.5.6", "87712456"),
    ("12.03.2025", None),      # a date
    ("123,5", None),           # a decimal
    ("12345", None),           # a plain number
])
def test_chain_digits(form, digits):
    assert chain_digits(form) == digits


@pytest.mark.parametrize("text,screened", [
    ("Здравствуйте, хочу передать показания.", True),
    ("Горячая вода сто двадцать.", False),
    ("Лицевой счёт 12345678.", False),
    ("Телефон восемь семь ноль один", False),
    ("Он келеді, торт жейміз.", True),             # «он», «торт» are numbers only beside a Kazakh number word
    ("он бір жиырма екі", False),
    ("раз, два, три", False),                      # «раз» alone is no number; «два» is
    ("Девять-ноль-два-три.", True),                # a hyphenated dictation is one word: the caller splits it
    ("3 782,9", False),
    ("", True),
])
def test_no_number_screen_never_hides_a_number(text, screened):
    """``no_number`` says True only where no word is (part of) a number: ``word_kind`` None for every word and
    ``pieces`` empty (it lets the readings and the request fields skip such utterances, told in C)."""
    from rules.numbers import no_number, word_kind
    from rules.text import Utt

    u = Utt(0, "customer", 0.0, 1.0, text)
    assert no_number(u.keys, u.text) is screened
    if screened:
        assert all(word_kind(f) is None for f in u.forms) and pieces(u.forms) == []
    else:
        assert pieces(u.forms) or any(word_kind(f) is not None for f in u.forms)
