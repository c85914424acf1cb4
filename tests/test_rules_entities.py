"""numbers_in_text: the numbers a caller said, in digits or Russian words."""
import pytest

from rules.entities import numbers_in_text
from rules.numbers import pieces


@pytest.mark.parametrize("text, expected", [
    ("лицевой счёт один два три четыре пять шесть", ["123456"]),
    ("12-34-56", ["123456", "12", "34", "56"]),
    # «8 701 555» is written like a number grouped in thousands: one piece (the rules' one tokenizer)
    ("Лицевой счет 4455667, телефон 8 701 555 12 34", ["4455667", "87015551234", "8701555", "12", "34"]),
    ("лицевой счёт 7,8,9,1,2,3", ["789123"]),            # the recogniser's comma-separated dictation
    ("лицевой 877.1.2.4.5.6 от 12.03.2025", ["87712456", "12.03.2025"]),
    ("шот нөмірі төрт бес алты бір", ["4561"]),  # Kazakh digits
    ("сто двадцать три четыреста пятьдесят шесть", ["123456", "123", "456"]),
    ("двенадцать тридцать четыре пятьдесят шесть", ["123456", "12", "34", "56"]),
    ("ноль семь ноль один", ["0701"]),
    ("две тысячи сорок пять", ["2045"]),
    ("тысяча двести", ["1200"]),
    ("два миллиона триста тысяч сорок", ["2300040"]),
    ("договор номер пятьсот двенадцать дробь три", ["512", "3"]),
    ("счётчик показывает 123,5", ["123.5"]),
    ("двухсот пятидесяти", ["250"]),
    ("нет никаких цифр", []),
    ("99 миллионов 552 тысячи 123", ["99552123"]),  # the ASR's reading of a dictated account
    ("84 млн 685 тысяч 400", ["84685400"]),
    ("", []),
])
def test_numbers_in_text(text, expected):
    assert numbers_in_text(text) == expected


@pytest.mark.parametrize("words, said", [
    ("один два три", ["1", "2", "3"]),
    ("двадцать один", ["21"]),
    ("двадцать тридцать", ["20", "30"]),
    ("сто двенадцать", ["112"]),
    ("двенадцать пять", ["12", "5"]),
    ("пятьсот сорок тысяч", ["540000"]),
    ("три тысячи двести пятьдесят шесть", ["3256"]),
])
def test_pieces_split_as_said(words, said):
    (run,) = pieces(words.split())
    assert [p.digits for p in run] == said
