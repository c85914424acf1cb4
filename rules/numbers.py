"""Russian numbers said in words or digits: «две тысячи сорок пять», «один два три», «12-34-56».

A small, table-tested parser (the ``text2num`` family does not cover Russian
case forms or «целых … десятых»).  It works on normalised word forms (see
``rules.text``) and splits a stretch of number words into the numbers a person
said: «двенадцать тридцать четыре пятьдесят шесть» is 12, 34, 56 (a phone
dictated in pairs), «сто двадцать три» is one number, «один два три» three.
"""
from __future__ import annotations

from dataclasses import dataclass


def _forms(table: dict[str, tuple[str, ...]]) -> dict[str, int]:
    out = {}
    for value, forms in table.items():
        for f in forms:
            out[f] = int(value)
    return out


UNITS = _forms({
    "0": ("ноль", "нуль", "ноля", "нуля"),
    "1": ("один", "одна", "одно", "одного", "одной", "одному", "одним", "одну", "одном", "раз"),
    "2": ("два", "две", "двух", "двум", "двумя"),
    "3": ("три", "трех", "трем", "тремя"),
    "4": ("четыре", "четырех", "четырем", "четырьмя"),
    "5": ("пять", "пяти", "пятью"),
    "6": ("шесть", "шести", "шестью"),
    "7": ("семь", "семи", "семью"),
    "8": ("восемь", "восьми", "восемью"),
    "9": ("девять", "девяти", "девятью"),
})
TEENS = _forms({
    "10": ("десять", "десяти"), "11": ("одиннадцать", "одиннадцати"), "12": ("двенадцать", "двенадцати"),
    "13": ("тринадцать", "тринадцати"), "14": ("четырнадцать", "четырнадцати"),
    "15": ("пятнадцать", "пятнадцати"), "16": ("шестнадцать", "шестнадцати"),
    "17": ("семнадцать", "семнадцати"), "18": ("восемнадцать", "восемнадцати"),
    "19": ("девятнадцать", "девятнадцати"),
})
TENS = _forms({
    "20": ("двадцать", "двадцати"), "30": ("тридцать", "тридцати"), "40": ("сорок", "сорока"),
    "50": ("пятьдесят", "пятидесяти"), "60": ("шестьдесят", "шестидесяти"),
    "70": ("семьдесят", "семидесяти"), "80": ("восемьдесят", "восьмидесяти"),
    "90": ("девяносто", "девяноста"),
})
HUNDREDS = _forms({
    "100": ("сто", "ста", "сотня"), "200": ("двести", "двухсот"), "300": ("триста", "трехсот"),
    "400": ("четыреста", "четырехсот"), "500": ("пятьсот", "пятисот"), "600": ("шестьсот", "шестисот"),
    "700": ("семьсот", "семисот"), "800": ("восемьсот", "восьмисот"), "900": ("девятьсот", "девятисот"),
})
SCALES = _forms({
    "1000": ("тысяча", "тысячи", "тысяч", "тысячу", "тысячей", "тыща", "тыщи", "тыщ", "тыщу", "тыс"),
    "1000000": ("миллион", "миллиона", "миллионов", "млн"),
})
FRACTIONS = _forms({
    "10": ("десятых", "десятая", "десятые", "десятую"),
    "100": ("сотых", "сотая", "сотые", "сотую"),
    "1000": ("тысячных", "тысячная", "тысячные"),
})
# kind codes
UNIT, TEEN, TEN, HUNDRED, SCALE, DIGITS = range(6)
_KIND: dict[str, tuple[int, int]] = {}
for _table, _kind in ((UNITS, UNIT), (TEENS, TEEN), (TENS, TEN), (HUNDREDS, HUNDRED), (SCALES, SCALE)):
    for _f, _v in _table.items():
        _KIND[_f] = (_kind, _v)
del _table, _kind, _f, _v
_KIND.pop("раз")  # «раз» counts only in dictation («раз два три»); too common otherwise


def word_kind(form: str) -> tuple[int, int] | None:
    """(kind, value) of a number word or digit token, None for other words."""
    k = _KIND.get(form)
    if k is not None:
        return k
    if form[:1].isdigit():
        return DIGITS, 0
    return None


@dataclass
class Piece:
    """One number as said: its digits (leading zeros kept) and token span."""

    digits: str
    first: int
    last: int
    words: int  # how many tokens made it


def pieces(forms: list[str], lo: int = 0, hi: int | None = None) -> list[list[Piece]]:
    """Runs of adjacent number tokens in forms[lo:hi], each split into the numbers said."""
    hi = len(forms) if hi is None else hi
    runs: list[list[Piece]] = []
    run: list[Piece] = []
    total = group = 0
    last = None
    first = -1
    started = False

    def close(i_last: int) -> None:
        nonlocal total, group, last, started, first
        if started:
            run.append(Piece(str(total + group), first, i_last, i_last - first + 1))
        total = group = 0
        last = None
        started = False

    for i in range(lo, hi):
        k = word_kind(forms[i])
        if k is None:
            close(i - 1)
            if run:
                runs.append(run)
                run = []
            continue
        kind, v = k
        if kind == DIGITS:
            d = forms[i].replace(",", ".")
            small = d.isdigit() and len(d) <= 3
            if small and started and last == SCALE and group == 0:
                group = int(d)  # «две тысячи 45», «84 млн 685 тысяч 400»
                last = HUNDRED
                continue
            nxt = word_kind(forms[i + 1]) if i + 1 < hi else None
            if small and nxt is not None and nxt[0] == SCALE:
                if started and not (last == SCALE and group == 0 and total > nxt[1] * int(d)):
                    close(i - 1)
                if not started:
                    started, first = True, i
                group = int(d)  # «99 миллионов», «3 тысячи»: digits with a scale word
                last = HUNDRED
                continue
            close(i - 1)
            run.append(Piece(d, i, i, 1))
            continue
        if started:
            ok = (
                (kind == UNIT and v != 0 and last in (TEN, HUNDRED, SCALE) and group % 10 == 0
                 and not 10 <= group % 100 <= 19)
                or (kind in (TEEN, TEN) and last in (HUNDRED, SCALE) and group % 100 == 0)
                or (kind == HUNDRED and last == SCALE and group == 0)
                or (kind == SCALE and last in (UNIT, TEEN, TEN, HUNDRED) and group > 0
                    and (total == 0 or total > v * group))
            )
            if not ok:
                close(i - 1)
        if not started:
            started, first = True, i
            if kind == UNIT and v == 0:
                run.append(Piece("0", i, i, 1))
                started = False
                last = None
                continue
        if kind == SCALE:
            total += (group or 1) * v
            group = 0
        else:
            group += v
        last = kind
    close(hi - 1)
    if run:
        runs.append(run)
    return runs
