"""A number said, as the recogniser writes it: the tokens of an utterance with their marks, which of them are (part
of) a number, and the maximal runs of them that spell one digit string («восемь семьсот один, двести тридцать» and
«8 701 230» alike; ``rules.numbers`` is the one parser).  ``rules.privacy.numbers`` judges each run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rules.numbers import KZ_AMBIGUOUS, NUMBER_WORDS, chain_digits, kinds, spelled_digits
from rules.privacy.lexicon import ID_KINDS
from rules.privacy.said_marks import SAID_MARKS
from rules.text import Token, tokenize

# Between the parts of one dictated number: spaces and these marks (not «.» or «:»,
# which make dates and times, and not «и», which makes a decimal: «сто двадцать три и пять»).
JOINERS = SAID_MARKS | frozenset({"-", ",", "(", ")", "+", "/", "–", "—",
                                  "штрих", "стрих"})   # («стрих»: «штрих» as the recogniser hears it)
_MARKS_BETWEEN = 3   # marks in a row between two pieces of one number: «он бір, сызықша үш», «451, дробь, 12»
# words said between two pieces of one number in one utterance («начинается на 44, потом 56 12»)
_SAID_JOINERS = frozenset({"потом", "затем", "дальше", "далее"})
PLUS_WORDS = frozenset({"плюс"})


@dataclass(frozen=True)
class NumberRun:
    """Tokens ``first..last`` (inclusive indexes) that spell ``digits``."""

    first: int
    last: int
    digits: str
    plus: bool = False          # said with a leading «+» or «плюс»
    has_words: bool = False


def pd_tokens(text: str) -> list[Token]:
    """``text`` tokenised with its marks, a number said with hyphens between its words taken apart
    («восемь-семьсот-один-двести»: one word to the tokenizer, eleven digits to a reader)."""
    out: list[Token] = []
    for t in tokenize(text, marks=True):
        parts = t.form.split("-") if "-" in t.form and t.is_word else ()
        # (also a series' letters and a number word: «ТС-бес жүз алпыс» is «ТС» and 560…)
        series = len(parts) == 2 and 0 < len(parts[0]) <= 3 and parts[0].isalpha() and parts[1] in NUMBER_WORDS \
            and text[t.start:t.start + len(parts[0])].isupper()
        if len(parts) < 2 or not (series or all(p.isdigit() or p in NUMBER_WORDS for p in parts)):
            out.append(t)
            continue
        pos = t.start
        for k, p in enumerate(parts):
            if k:
                out.append(replace(t, form="-", lemma="-", flags=_MARK_FLAGS, alts=(), start=pos, end=pos + 1))
                pos += 1
            piece = tokenize(p, marks=True)[0]
            out.append(replace(piece, start=pos, end=pos + len(p)))
            pos += len(p)
    return _repeated_digits(_digit_nouns(_english_digits(out)))


# digits said in English, as a caller reading a number off a foreign form might: «plus seven 701 822 46 13»
_ENGLISH = {"zero": "ноль", "oh": "ноль", "one": "один", "two": "два", "three": "три", "four": "четыре",
            "five": "пять", "six": "шесть", "seven": "семь", "eight": "восемь", "nine": "девять", "plus": "плюс"}


def _english_digits(tokens: list[Token]) -> list[Token]:
    """English digits' words read as the Russian ones, beside another number only («seven 701», «two, five, one»;
    not «one more time»)."""
    def num(k: int) -> bool:
        return 0 <= k < len(tokens) and (tokens[k].is_digits or tokens[k].form in _ENGLISH or (
            tokens[k].form == "," and (num_at(k - 1) or num_at(k + 1))))

    def num_at(k: int) -> bool:
        return 0 <= k < len(tokens) and (tokens[k].is_digits or tokens[k].form in _ENGLISH)

    out = list(tokens)
    for i, t in enumerate(tokens):
        word = _ENGLISH.get(t.form)
        if word and (num(i - 1) or num(i + 1)) and (t.form != "plus" or num_at(i + 1)):
            out[i] = replace(t, form=word, lemma=word)
    return out


# a digit said by its noun, as people dictate a figure they fear is misheard: «восемь, семьсот один, двойка,
# тройка…», «восьмёрка 707…» (nominative or accusative; «две тройки» is _repeated_digits' business)
_DIGIT_NOUN = {f: d for d, forms in {
    "0": ("нолик", "нулик"), "1": ("единица", "единицу", "единичка", "единичку"), "2": ("двойка", "двойку"),
    "3": ("тройка", "тройку"), "4": ("четверка", "четверку"), "5": ("пятерка", "пятерку"),
    "6": ("шестерка", "шестерку"), "7": ("семерка", "семерку"), "8": ("восьмерка", "восьмерку"),
    "9": ("девятка", "девятку")}.items() for f in forms}
_BETWEEN = frozenset({",", "-", "–", "—"})   # marks between the digits of one dictation


def _digit_nouns(tokens: list[Token]) -> list[Token]:
    """A digit's noun read as the digit beside another number only, marks between («…один, двойка, тройка,
    четыре»; a chain of them counts from the number it touches), or in a chain of three or more (a dictation said
    in nouns alone) — not «получил пятёрку», «семёрка треф»."""
    out = list(tokens)
    nouns = [i for i, t in enumerate(out) if t.form in _DIGIT_NOUN]
    if not nouns:   # (nearly every utterance: the passes below look for nothing)
        return out
    chain: list[int] = []
    for i in [*nouns, -1]:
        if chain and i >= 0 and all(t.form in _BETWEEN for t in out[chain[-1] + 1:i]):
            chain.append(i)
            continue
        if len(chain) >= 3:
            for k in chain:
                out[k] = replace(out[k], form=_DIGIT_NOUN[out[k].form], lemma=_DIGIT_NOUN[out[k].form])
        chain = [i]

    def number(k: int) -> bool:   # (a noun read already is its digit now)
        return out[k].is_digits or out[k].form in NUMBER_WORDS or out[k].form[:1].isdigit()

    def beside(i: int, step: int) -> bool:
        k = i + step
        while 0 <= k < len(out) and out[k].form in _BETWEEN:
            k += step
        return 0 <= k < len(out) and number(k)

    for order in (range(len(out)), range(len(out) - 1, -1, -1)):   # a chain, from either end
        for i in order:
            digit = _DIGIT_NOUN.get(out[i].form)
            if digit and (beside(i, -1) or beside(i, 1)):
                out[i] = replace(out[i], form=digit, lemma=digit)
    return out


# a digit said as repeated: «две тройки» (33), «три семёрки» (777), «дважды ноль», «два нуля» (00)
_TIMES = {"два": 2, "две": 2, "дважды": 2, "три": 3, "трижды": 3, "четыре": 4}
_DIGIT_NOUNS = {"ноль": "0", "нуль": "0", "нуля": "0", "ноля": "0", "нулей": "0", "единицы": "1", "единички": "1",
                "двойки": "2", "тройки": "3", "четверки": "4", "пятерки": "5", "шестерки": "6", "семерки": "7",
                "восьмерки": "8", "девятки": "9"}
_TIMES_ONLY = frozenset({"дважды", "трижды"})   # these also before a digit's own word: «дважды семь» (77)
_DIGIT_WORDS = {"один": "1", "два": "2", "три": "3", "четыре": "4", "пять": "5", "шесть": "6", "семь": "7",
                "восемь": "8", "девять": "9"}


def _repeated_digits(tokens: list[Token]) -> list[Token]:
    """«две тройки» read as the digits it stands for, so that a dictation goes on over it: the count word becomes
    all the digits but one, the digit's word the last («восемь 7 0 1 две тройки 45 67 8»: 8701 33 45678)."""
    out = list(tokens)
    for i in range(len(out) - 1):
        times, nxt = _TIMES.get(out[i].form), out[i + 1].form
        digit = _DIGIT_NOUNS.get(nxt) or (_DIGIT_WORDS.get(nxt) if out[i].form in _TIMES_ONLY else None)
        if times and digit and out[i].form[:1].isalpha():
            out[i] = replace(out[i], form=digit * (times - 1), lemma=digit * (times - 1))
            out[i + 1] = replace(out[i + 1], form=digit, lemma=digit)
    return out


_MARK_FLAGS = tokenize("-", marks=True)[0].flags
_WRITTEN_MARKS = frozenset({"-", "/", "–"})
_DIGIT_PAIR_RE = re.compile(r"\d{1,2},\d{1,2}")


def number_flags(tokens: list[Token]) -> list[bool]:
    """Which tokens are (part of) a number said: digits, a dictation the recogniser wrote with
    commas or dots, a number word (Kazakh ones in context) — not a decimal, a date or a time."""
    forms = [t.form for t in tokens]
    got = kinds(forms)
    out = [k is not None and (t.is_word or t.is_digits or chain_digits(t.form) is not None)
           for t, k in zip(tokens, got, strict=True)]
    # «бес», «он», «торт» (five, ten, four — and Russian words) count beside a Kazakh number word (``kinds``), and
    # also between two number words or after a mark said between numbers: «ноль бес семь», «үш дробь бес»
    # (number words, not digits: «в 2019 он 3 раза звонил»)
    said = [o and t.is_word for o, t in zip(out, tokens, strict=True)]
    for i, f in enumerate(forms):
        if not out[i] and f in KZ_AMBIGUOUS and 0 < i:
            before = said[i - 1] or (forms[i - 1] in JOINERS and i > 1 and said[i - 2])
            after = i + 1 < len(forms) and said[i + 1]
            if before and (after or forms[i - 1] in JOINERS):
                out[i] = said[i] = True   # (so the next one counts after it: «бір, бес, бес»)
        # the last piece of a dictation the recogniser wrote with commas, after a mark: «1,4,7-2,5,8-3,6»,
        # «5,7,1,2/2,0» («3,6» alone would be a decimal)
        # (and any piece of it the recogniser broke off with a doubled comma or a mark between commas, before or
        # after the chain: «6,0,,1,7,2,5,5», «0,4,4,1,8,/,2,1», «4,5,/,1,2,3,4»)
        if not out[i] and got[i] is not None and _DIGIT_PAIR_RE.fullmatch(f) and _beside_a_chain(forms, out, i):
            out[i] = True
        if not out[i] and f in KZ_AMBIGUOUS and i + 2 < len(forms) and forms[i + 1] in JOINERS \
                and forms[i + 1][:1].isalpha() and said[i + 2]:
            out[i] = True   # «бес сызықша бір»: a mark said as a word, then a number
    # ...and before a dictation of number words with marks between, read backwards so that each one counts before the
    # next: «бес, бес, алты, үш» (the first two are said before any number word)
    for i in range(len(forms) - 4, -1, -1):
        if not out[i] and forms[i] in KZ_AMBIGUOUS and forms[i + 1] in JOINERS and said[i + 2] \
                and (said[i + 3] or (forms[i + 3] in JOINERS and said[i + 4] if i + 4 < len(forms) else False)):
            out[i] = said[i] = True
    return out


def _beside_a_chain(forms: list[str], out: list[bool], i: int) -> bool:
    """A dictation with commas (a chain of three digits or more) one to three marks before or after ``i``, with at
    least one written mark between that is not a plain comma after it («3,6» alone after «1,4,7,» is a decimal)."""
    for step in (-1, 1):
        j, marks = i + step, []
        while 0 <= j < len(forms) and forms[j] in JOINERS and len(marks) < _MARKS_BETWEEN:
            marks.append(forms[j])
            j += step
        if marks and 0 <= j < len(forms) and out[j] and "," in forms[j] and chain_digits(forms[j]) is not None \
                and (len(marks) > 1 or marks[0] in _WRITTEN_MARKS):
            return True
    return False


def number_runs(tokens: list[Token], text: str, is_num: list[bool] | None = None) -> list[NumberRun]:
    """Maximal runs of number tokens joined by spaces or the JOINERS marks."""
    is_num = number_flags(tokens) if is_num is None else is_num
    runs: list[NumberRun] = []
    i, n = 0, len(tokens)
    while i < n:
        plus = False
        j = i
        if tokens[i].form == "+" or tokens[i].form in PLUS_WORDS:
            if i + 1 < n and is_num[i + 1]:
                plus, j = True, i + 1
            else:
                i += 1
                continue
        if not is_num[j]:
            i += 1
            continue
        parts = [j]
        k = j + 1
        while k < n:
            if is_num[k] and _adjacent(text, tokens[parts[-1]], tokens[k]):
                parts.append(k)
                k += 1
            elif tokens[k].form in JOINERS | _SAID_JOINERS and _adjacent(text, tokens[parts[-1]], tokens[k]):
                m = k
                while m + 1 < n and m + 1 - k < _MARKS_BETWEEN and tokens[m + 1].form in JOINERS | _SAID_JOINERS \
                        and _adjacent(text, tokens[m], tokens[m + 1]):
                    m += 1
                if m + 1 < n and is_num[m + 1] and _adjacent(text, tokens[m], tokens[m + 1]):
                    parts.append(m + 1)
                    k = m + 2
                else:
                    break
            else:
                break
        last = parts[-1]
        forms = [tokens[p].form for p in parts]
        runs.append(NumberRun(i, last, spelled_digits(forms), plus, any(tokens[p].is_word for p in parts)))
        i = last + 1
    return runs


def _adjacent(text: str, a: Token, b: Token) -> bool:
    """Only white space between two tokens (and not a line break)."""
    gap = text[a.end:b.start]
    return gap.strip() == "" and "\n" not in gap


def _classify(digits: str, plus: bool, cue: str | None) -> str:
    if cue in ID_KINDS:
        return cue
    if cue == "meter":
        return "number"
    if len(digits) == 12:
        return "iin"
    if plus or (len(digits) in (10, 11) and digits[0] in "78") or len(digits) == 7:
        return "phone"
    return "number"
