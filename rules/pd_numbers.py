"""Numbers as they are dictated on the phone: in digits, in words, or both.

«восемь семьсот один, двести тридцать, сорок пять, шестьдесят семь» and
«8 701 230 45 67» are the same eleven digits.  ``number_runs`` finds such
runs in a tokenised text and spells each as the digit string it stands for,
so that the privacy masker can judge it by its length and first digits
whatever way it was said.  Words combine the way they are spoken: «семьсот
один» is 701, «семь ноль один» is 701 too, «двадцать тридцать» is 2030.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+|[^\w\s]")

# value, slot: 1 units, 10 teens and tens, 100 hundreds, 1000 thousands
_UNITS = {
    "ноль": 0, "нуль": 0, "ноля": 0, "нуля": 0,
    "один": 1, "одна": 1, "одно": 1, "одного": 1, "одной": 1,
    "два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3, "четыре": 4, "четырех": 4, "четырёх": 4,
    "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8, "восьми": 8,
    "девять": 9, "девяти": 9,
}
_TEENS = {
    "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14,
    "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19,
}
_TENS = {
    "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60,
    "семьдесят": 70, "восемьдесят": 80, "девяносто": 90,
}
_HUNDREDS = {
    "сто": 100, "двести": 200, "триста": 300, "четыреста": 400, "пятьсот": 500,
    "шестьсот": 600, "семьсот": 700, "восемьсот": 800, "девятьсот": 900,
}
_THOUSANDS = {"тысяча": 1000, "тысячи": 1000, "тысяч": 1000}
NUMBER_WORDS = {**_UNITS, **_TEENS, **_TENS, **_HUNDREDS, **_THOUSANDS}

# Between the parts of one dictated number: spaces and these marks (not «.» or «:»,
# which make dates and times, and not «и», which makes a decimal: «сто двадцать три и пять»).
JOINERS = {"-", ",", "(", ")", "+", "/", "–", "—", "дробь", "тире"}
PLUS_WORDS = {"плюс"}


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower().replace("ё", "е")

    @property
    def is_digits(self) -> bool:
        return self.text.isdigit()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def is_number_token(tok: Token) -> bool:
    return tok.is_digits or tok.low in NUMBER_WORDS


@dataclass(frozen=True)
class NumberRun:
    """Tokens ``first..last`` (inclusive indexes) that spell ``digits``."""

    first: int
    last: int
    digits: str
    plus: bool = False          # said with a leading «+» or «плюс»
    has_words: bool = False


def words_to_digits(words: list[str]) -> str:
    """Spell number words as digits, combining them the way they are spoken.

    >>> words_to_digits(["восемь", "семьсот", "один", "двести", "тридцать"])
    '8701230'
    """
    groups: list[str] = []
    value: int | None = None
    free = 0  # the largest slot still free in ``value``: 100, 10, 1 or 0 (full)
    thousands: int | None = None

    def flush() -> None:
        nonlocal value, free, thousands
        if thousands is not None:
            groups.append(str(thousands * 1000 + (value or 0)) if value is not None else str(thousands * 1000))
        elif value is not None:
            groups.append(str(value))
        value, free, thousands = None, 0, None

    for w in words:
        w = w.lower().replace("ё", "е")
        if w in _THOUSANDS:
            if thousands is None:
                thousands = value if value is not None else 1
                value, free = None, 100
            else:
                flush()
                thousands, free = 1, 100
            continue
        if w in _HUNDREDS:
            n, slot, fills = _HUNDREDS[w], 100, 10
        elif w in _TENS:
            n, slot, fills = _TENS[w], 10, 1
        elif w in _TEENS:
            n, slot, fills = _TEENS[w], 10, 0
        elif w in _UNITS:
            n, slot, fills = _UNITS[w], 1, 0
            if n == 0:  # «ноль» is always a digit of its own
                flush()
                groups.append("0")
                continue
        else:
            raise ValueError(f"not a number word: {w!r}")
        if value is not None and free >= slot:
            value += n
            free = fills
        elif value is None and thousands is not None and free >= slot:
            value, free = n, fills
        else:
            flush()
            value, free = n, fills
    flush()
    return "".join(groups)


def _decimals(tokens: list[Token], text: str) -> set[int]:
    """Indexes of digit tokens glued into a decimal, «3782,9» or «123.5»: a value, never part of a run."""
    out: set[int] = set()
    for k in range(1, len(tokens) - 1):
        a, sep, b = tokens[k - 1], tokens[k], tokens[k + 1]
        if sep.text in {",", "."} and a.is_digits and b.is_digits and a.end == sep.start and sep.end == b.start:
            out.update((k - 1, k + 1))
    return out


def number_runs(tokens: list[Token], text: str) -> list[NumberRun]:
    """Maximal runs of number tokens joined by spaces or the JOINERS marks (decimals stay out)."""
    runs: list[NumberRun] = []
    i, n = 0, len(tokens)
    decimal = _decimals(tokens, text)

    def is_number(k: int) -> bool:
        return k not in decimal and is_number_token(tokens[k])

    while i < n:
        plus = False
        j = i
        if tokens[i].text == "+" or tokens[i].low in PLUS_WORDS:
            if i + 1 < n and is_number(i + 1):
                plus, j = True, i + 1
            else:
                i += 1
                continue
        if not is_number(j):
            i += 1
            continue
        parts = [j]
        k = j + 1
        while k < n:
            if is_number(k) and _adjacent(text, tokens[parts[-1]], tokens[k]):
                parts.append(k)
                k += 1
            elif tokens[k].low in JOINERS and k + 1 < n and is_number(k + 1) \
                    and _adjacent(text, tokens[parts[-1]], tokens[k]) and _adjacent(text, tokens[k], tokens[k + 1]):
                parts.append(k + 1)
                k += 2
            else:
                break
        last = parts[-1]
        digits, has_words, buf = [], False, []
        for p in parts:
            t = tokens[p]
            if t.is_digits:
                if buf:
                    digits.append(words_to_digits(buf))
                    buf = []
                digits.append(t.text)
            elif t.low in _THOUSANDS and not buf and digits:  # «15 тысяч»
                digits[-1] = str(int(digits[-1]) * 1000)
                has_words = True
            else:
                has_words = True
                buf.append(t.low)
        if buf:
            digits.append(words_to_digits(buf))
        runs.append(NumberRun(i, last, "".join(digits), plus, has_words))
        i = last + 1
    return runs


def _adjacent(text: str, a: Token, b: Token) -> bool:
    """Only white space between two tokens (and not a line break)."""
    gap = text[a.end:b.start]
    return gap.strip() == "" and "\n" not in gap
