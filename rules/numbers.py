"""Numbers said in words or digits, Russian and Kazakh: «две тысячи сорок пять», «екі мың қырық бес»,
«один два три», «12-34-56», and the recogniser's «7,8,9,1,2,3».

The one spoken-number parser of the rules (readings, request fields, entities and the
personal-data masker all use it).  A small, table-tested parser (the ``text2num``
family does not cover Russian case forms, «целых … десятых» or Kazakh).  It works
on normalised word forms (see ``rules.text``) and splits a stretch of number words
into the numbers a person said: «двенадцать тридцать четыре пятьдесят шесть» is
12, 34, 56 (a phone dictated in pairs), «сто двадцать три» is one number, «один
два три» three.  Kazakh numbers combine the Kazakh way: «екі жүз» is 200 (жүз
multiplies), «он бір» is 11.  A Kazakh number word that is also a Russian word
(«он» "he", «торт», «бес») counts only next to another Kazakh number word.

The recogniser writes a dictation as digits with commas or dots between them
(«875,440,423,2», «877.1.2.4.5.6»): a digit token with two or more such marks
that is not a date counts as the digits it holds (``chain_digits``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


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
# Kazakh, in its own letters and as the Russian-trained recogniser spells it («бир», «жети», «нол»)
KZ_UNITS = _forms({
    "0": ("нөл", "нол", "нөль"), "1": ("бір", "бир"), "2": ("екі", "еки"), "3": ("үш", "уш"),
    "4": ("төрт", "торт"), "5": ("бес",), "6": ("алты",), "7": ("жеті", "жети"), "8": ("сегіз", "сегиз"),
    "9": ("тоғыз", "тогыз"),
})
KZ_TENS = _forms({
    "10": ("он",), "20": ("жиырма",), "30": ("отыз",), "40": ("қырық", "кырык"), "50": ("елу",),
    "60": ("алпыс",), "70": ("жетпіс", "жетпис"), "80": ("сексен",), "90": ("тоқсан", "токсан"),
})
KZ_HUNDRED = {"жүз": 100, "жуз": 100}   # multiplies what is before it: «екі жүз» is 200
KZ_SCALES = _forms({"1000": ("мың", "мын"), "1000000": ("миллион",)})
# Kazakh number words that are also Russian words: numbers only beside another Kazakh number word
KZ_AMBIGUOUS = frozenset({"он", "торт", "бес"})
KAZAKH = frozenset({**KZ_UNITS, **KZ_TENS, **KZ_HUNDRED, **KZ_SCALES})
# the Kazakh decimal names its denominator before the digits: «жүз қырық жеті бүтін оннан үш» is 147.3
# («бүтін» — whole, «оннан» — of ten, «жүзден» — of a hundred, «мыңнан» — of a thousand); or with «үтір» (comma):
# «екі жүз отыз бір үтір бес» is 231.5
KZ_DENOMINATORS = {"оннан": 10, "жүзден": 100, "жузден": 100, "мыңнан": 1000, "мыннан": 1000}
KZ_DECIMAL = frozenset({"бүтін", "бутин", "бүтин", "үтір", "утир", "үтірден", "утирден", *KZ_DENOMINATORS})

# a Kazakh number word with an ending — a case («жиырма бесіне», on the 25th; «алтыда», at six), the ordinal
# («бесінші», fifth), the possessive («жетісі»): with a number before it, a date, an ordinal or a number the
# sentence does something with, not a quantity dictated (the Russian «пятого», ``rules.text.ORDINAL``); the
# denominators of a decimal («оннан», ``KZ_DENOMINATORS``) are read by the decimal, the collective «бесеу» (five
# of them) is a count
_KZ_STEMS = sorted({w for w in (*KAZAKH, *KZ_AMBIGUOUS) if any(c in w for c in "әғқңөұүһі") or len(w) > 2},
                   key=len, reverse=True)
_KZ_ENDING = re.compile(
    r"(?:ы|і|сы|сі)?"                                                  # the possessive («жиырмасы»)
    r"(?:н?шы|н?ші|ыншы|інші"                                          # the ordinal
    r"|ға|ге|қа|ке|а|е|на|не|ына|іне"                                  # dative
    r"|да|де|та|те|нда|нде|ында|інде"                                  # locative
    r"|дан|ден|тан|тен|нан|нен|ынан|інен"                              # ablative
    r"|ны|ні|ды|ді|ты|ті"                                              # accusative
    r"|мен|бен|пен"                                                    # instrumental
    r"|ы|і|сы|сі)")
# words of their own that read as a number word with an ending: «бірге» (together), «бірде» (once), «жүзі» (face)
_KZ_NOT_INFLECTED = frozenset({"бірге", "бірде", "жүзі"})


@lru_cache(maxsize=100_000)
def kazakh_inflected(form: str) -> bool:
    """Whether ``form`` is a Kazakh number word with an ending (``_KZ_ENDING``): «бесіне», «оныншы», «жиырмасында»
    — not the bare word, nor a decimal's denominator («оннан»)."""
    return form not in _KIND and form not in KZ_AMBIGUOUS and form not in KZ_DENOMINATORS \
        and form not in _KZ_NOT_INFLECTED and any(
            form.startswith(w) and _KZ_ENDING.fullmatch(form, len(w)) for w in _KZ_STEMS)


FRACTIONS = _forms({
    "10": ("десятых", "десятая", "десятые", "десятую"),
    "100": ("сотых", "сотая", "сотые", "сотую"),
    "1000": ("тысячных", "тысячная", "тысячные"),
})
# kind codes (MULT: a hundred that multiplies, the Kazakh «жүз»)
UNIT, TEEN, TEN, HUNDRED, SCALE, DIGITS, MULT = range(7)
_KIND: dict[str, tuple[int, int]] = {}
for _table, _kind in ((UNITS, UNIT), (TEENS, TEEN), (TENS, TEN), (HUNDREDS, HUNDRED), (SCALES, SCALE),
                      (KZ_UNITS, UNIT), (KZ_TENS, TEN), (KZ_HUNDRED, MULT), (KZ_SCALES, SCALE)):
    for _f, _v in _table.items():
        _KIND[_f] = (_kind, _v)
del _table, _kind, _f, _v
_KIND.pop("раз")  # «раз» counts only in dictation («раз два три»); too common otherwise
_AMBIGUOUS_KIND = {f: _KIND.pop(f) for f in KZ_AMBIGUOUS}
NUMBER_WORDS = frozenset(_KIND) | KZ_AMBIGUOUS  # every word that may be (part of) a number
_DIGIT = re.compile(r"\d")


def no_number(words, text: str) -> bool:
    """True when no word of ``text`` can be (part of) a number: none of ``words`` (its forms, or any set holding
    them) is a number word and the text has no digit.  A screen, told in C: ``word_kind`` is then None for every
    word, and ``pieces`` finds nothing; False says nothing."""
    return _KIND.keys().isdisjoint(words) and _DIGIT.search(text) is None

# a date has a day and a month that can be: «45.61.27» is an account dictated in pairs, not a date
_DATE = re.compile(r"(?:0?[1-9]|[12]\d|3[01])[.,](?:0?[1-9]|1[0-2])[.,](?:\d{2}|\d{4})")
_MARKS = re.compile(r"[.,]")


def chain_digits(form: str) -> str | None:
    """The digits of a token the recogniser wrote as a dictation, «875,440,423,2» → "8754404232";
    None for a plain number, a decimal («123,5»), or a date («12.03.2025»)."""
    if len(_MARKS.findall(form)) < 2 or _DATE.fullmatch(form) or not form[:1].isdigit():
        return None
    return _MARKS.sub("", form)


def word_kind(form: str) -> tuple[int, int] | None:
    """(kind, value) of a number word or digit token, None for other words (and for the
    Kazakh words that are also Russian ones: see ``kinds``)."""
    k = _KIND.get(form)
    if k is not None:
        return k
    if form[:1].isdigit():
        return DIGITS, 0
    return None


def kinds(forms: list[str], lo: int = 0, hi: int | None = None) -> list[tuple[int, int] | None]:
    """``word_kind`` of forms[lo:hi], with «он», «торт», «бес» counted beside a Kazakh number word, or after
    a word of a Kazakh decimal («бүтін оннан бес»: .5)."""
    hi = len(forms) if hi is None else hi
    out = [word_kind(forms[i]) for i in range(lo, hi)]
    for k in range(len(out)):
        f = forms[lo + k]
        if out[k] is None and f in _AMBIGUOUS_KIND and (
                (k > 0 and forms[lo + k - 1] in KAZAKH) or (k + 1 < len(out) and forms[lo + k + 1] in KAZAKH)
                or (lo + k > 0 and forms[lo + k - 1] in KZ_DECIMAL)
                or (lo + k > 1 and forms[lo + k - 1] == "кейін" and forms[lo + k - 2] in KZ_DECIMAL)):
            out[k] = _AMBIGUOUS_KIND[f]   # (…or «үтірден кейін бес», five after the comma)
    return out


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

    got = kinds(forms, lo, hi)
    for i in range(lo, hi):
        k = got[i - lo]
        if k is None:
            close(i - 1)
            if run:
                runs.append(run)
                run = []
            continue
        kind, v = k
        if kind == DIGITS:
            d = chain_digits(forms[i]) or forms[i].replace(",", ".")
            small = d.isdigit() and len(d) <= 3
            if small and started and last == SCALE and group == 0:
                group = int(d)  # «две тысячи 45», «84 млн 685 тысяч 400»
                last = HUNDRED
                continue
            # «триста 2», «двести 35», «сорок 5»: the recogniser's digits for the places a number word left empty,
            # the number said in words would be the same («триста два»)
            if small and started and d[0] != "0" and (
                    (last == HUNDRED and group % 100 == 0 and len(d) <= 2)
                    or (last == TEN and group % 10 == 0 and len(d) == 1)):
                group += int(d)
                last = UNIT
                continue
            nxt = got[i + 1 - lo] if i + 1 < hi else None
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
        if kind == MULT:  # «екі жүз»: the units before it are hundreds
            if started and last == UNIT and 0 < group < 10:
                group *= v
            elif started and last == SCALE and group == 0:
                group = v
            else:
                close(i - 1)
                started, first, group = True, i, v
            last = HUNDRED
            continue
        if started:
            ok = (
                (kind == UNIT and v != 0 and last in (TEN, HUNDRED, SCALE) and group % 10 == 0
                 and (last == TEN or not 10 <= group % 100 <= 19))
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


def run_digits(run: list[Piece]) -> str:
    """The digits a run of numbers spells, each written out in turn: «ноль ноль пять ноль восемь» is '00508'."""
    return "".join(p.digits for p in run)


def spelled_digits(forms: list[str]) -> str:
    """The digit string number words and digits stand for, as a dictation: each number said
    written out in turn.

    >>> spelled_digits(["восемь", "семьсот", "один", "двести", "тридцать"])
    '8701230'
    """
    return "".join(map(run_digits, pieces(forms)))
