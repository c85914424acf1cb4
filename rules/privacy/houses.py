"""The house and flat part of an address: a house word and its number, a number and its house word, a letter or
an ordinal's ending written onto it, more parts after it («дом 58 кв 14», «61 а кв 12», «48-й дом», «30, 12 пәтер»),
up to a word that makes the number a quantity («в доме 9 этажей», «16 градусов», «в квартире 3 комнаты»).  The
street before or after it is ``rules.privacy.addresses``' business."""
from __future__ import annotations

from rules.numbers import KZ_AMBIGUOUS, NUMBER_WORDS
from rules.privacy.lexicon import Lexicon
from rules.privacy.lexicon import analyse as _analyse
from rules.privacy.number_runs import JOINERS
from rules.text import Token, morph

_SIGNS = frozenset({"+", "−", "плюс", "минус"})


def is_number_token(t: Token) -> bool:
    return t.is_digits or t.form in NUMBER_WORDS


def _lone_ambiguous(tokens: list[Token], j: int, lex: Lexicon) -> bool:
    """«он», «бес», «торт» with no number or house word beside it: a Russian word («нет дома, он на работе»), not
    a Kazakh number («он бес үй»)."""
    if tokens[j].form not in KZ_AMBIGUOUS:
        return False
    near = [tokens[k] for k in (j - 1, j + 1) if 0 <= k < len(tokens)]
    return not any(is_number_token(x) or _is_house(x, lex) for x in near)


def _is_street(t: Token, lex: Lexicon) -> bool:
    return t.form[:1].isalpha() and (t.form in lex.street_words or _analyse(t.form)[0] in lex.street_words
                                     or t.form.startswith(_KZ_STREET_STEMS))


# Kazakh street words take case endings: «Жандосов көшесінде», «Абай даңғылының»
_KZ_STREET_STEMS = ("көше", "даңғыл", "шағынаудан", "ықшамаудан")


def _is_house(t: Token, lex: Lexicon) -> bool:
    return t.form[:1].isalpha() and (t.form in lex.house_words or _analyse(t.form)[0] in lex.house_words)


def _house_part(tokens: list[Token], i: int, lex: Lexicon) -> int:
    """Index after the house/flat part starting at ``i`` (``i`` if there is none)."""
    j, end = i, i
    while j < len(tokens):
        t = tokens[j]
        if (t.form in _SIGNS and j + 1 < len(tokens) and tokens[j + 1].is_digits) or _lone_ambiguous(tokens, j, lex):
            break   # «в квартире +17»: a temperature
        if is_number_token(t):
            # (a number right after a flat's or a house's word as its title, «кв 23», «квартира 23», counts
            # nothing: «кв 23 батареи 18 градусов»; in the locative it may: «в квартире 3 комнаты»)
            h = j - 2 if j > 1 and tokens[j - 1].form == "." else j - 1   # «кв. 3»
            titled = h >= 0 and _is_house(tokens[h], lex) and not (h > 0 and tokens[h - 1].form in _IN) and (
                len(tokens[h].form) <= 3 or tokens[h].form == _analyse(tokens[h].form)[0])
            k = j + 1   # (a number said in several words, then its unit: «үйде он екі градус»)
            while k < len(tokens) and t.is_word and tokens[k].is_word and is_number_token(tokens[k]):
                k += 1
            if k < len(tokens) and (_counted(tokens[k], lex) or (
                    not titled and _counted_by(t, tokens[j + 1]) and not _is_house(tokens[j + 1], lex)
                    and not _is_street(tokens[j + 1], lex))):
                break   # «в доме 9 этажей», «16 градусов», «в квартире 3 комнаты»
            if not titled and h > 0 and tokens[h - 1].form in _IN and _temperature_before(tokens, h - 1):
                break   # «на улице минус 15, а в квартире 16»: the flat's temperature, compared
            j += 1
            end = j
            if j + 1 < len(tokens) and tokens[j].form == "-" and tokens[j + 1].form in _ORDINAL_ENDINGS:
                j += 2   # «48-й дом»
                end = j
            if j < len(tokens) and len(tokens[j].form) == 1 and tokens[j].is_word \
                    and tokens[j].form not in _NOT_LETTERS:  # «15 а»
                j += 1
                end = j
        elif _is_house(t, lex) and j > i and (j == end or (j == end + 1 and tokens[end].form == "-")):
            # «30, 12 пәтер», «12 квартира», «10-үй»: the word after its number
            j += 1
            end = j
            if j < len(tokens) and len(tokens[j].form) == 1 and tokens[j].is_word and tokens[j].form not in \
                    _NOT_LETTERS and (j + 1 == len(tokens) or _is_house(tokens[j + 1], lex)
                                              or is_number_token(tokens[j + 1])):
                j += 1   # «86 корпус Б кв 301»: the word titles the letter after it, more of the address after that
                end = j
        elif _is_house(t, lex) or t.form in {"№", "номер"} or t.form in JOINERS or t.form == ".":
            j += 1
            if _is_house(t, lex) and j < len(tokens) and len(tokens[j].form) == 1 and tokens[j].is_word \
                    and tokens[j].form not in _NOT_LETTERS:
                j += 1   # «блок А», «литер Б»: a letter for its number
                end = j
        else:
            break
    return end


_IN = frozenset({"в", "во", "на"})   # «в кв. 3 комнаты»: the locative, abbreviated
_TEMPERATURE = ("минус", "плюс", "градус", "температур")
_TEMPERATURE_WITHIN = 10   # tokens back to the sentence's start, at most


def _temperature_before(tokens: list[Token], i: int) -> bool:
    """A temperature said earlier in the sentence, a few words before ``tokens[i]``: its word and a number («на улице
    минус 15», «температура 12»; not «тепла нет, живу в квартире 16», «температура не та, в квартире 16»)."""
    word = number = False
    for k in range(i - 1, max(-1, i - 1 - _TEMPERATURE_WITHIN), -1):
        if tokens[k].form in (".", "?", "!"):
            break
        word = word or tokens[k].form.startswith(_TEMPERATURE)
        number = number or is_number_token(tokens[k])
    return word and number


def _counted(t: Token, lex: Lexicon) -> bool:
    """A word that makes the number before it a quantity, not a house or flat number: a unit («16 градусов»)
    or a house word in the plural («9 этажей», «два подъезда»)."""
    if not t.is_word:
        return False
    key = ("counted", t.form)
    got = lex.memo.get(key)
    if got is None:
        lemma = _analyse(t.form)[0]
        got = lex.memo[key] = t.form in lex.units or lemma in lex.units or (
            _is_house(t, lex) and t.form != lemma and _plural_or_counted(t.form))
    return got


def _counted_by(number: Token, t: Token) -> bool:
    """A common noun in the form a number takes when it counts it: «3 комнаты» (2-4: genitive singular),
    «5 подъездов» (5-20: genitive plural) — a quantity, not a flat number («квартира 12 батареи холодные» is one)."""
    if not t.is_word or not number.is_digits:
        return False
    n = int(number.form[-2:]) if len(number.form) >= 2 else int(number.form)
    if n % 10 in (2, 3, 4) and n // 10 != 1:
        need = ("gent", "sing")
    elif n % 10 == 1 and n != 11:
        return False   # «квартира 21 …»: the nominative a «1» takes is every noun's nominative
    else:
        need = ("gent", "plur")
    _, pos, name, known = _analyse(t.form)   # a noun first of all («и» is a letter's name too)
    return known and pos == "NOUN" and name < 0.3 and len(t.form) > 2 and any(
        p.tag.POS == "NOUN" and p.tag.case == need[0] and p.tag.number == need[1] for p in morph().parse(t.form))


def _plural_or_counted(form: str) -> bool:
    """Plural, or the genitive singular a number such as «два» takes («два подъезда»)."""
    tag = morph().parse(form)[0].tag
    return tag.number == "plur" or tag.case == "gent"


_ORDINAL_ENDINGS = frozenset({"й", "ый", "ой", "ий", "го", "м", "ом", "ая", "я"})


def _house_letter(text: str, tokens: list[Token], k: int) -> bool:
    """A letter written onto a house number: the «а» of «9а», «15б»."""
    t = tokens[k]
    # (or said apart, not a preposition: «Курмангазы 61 а кв 12», as ``_house_part`` reads it after the number)
    return k > 0 and len(t.form) == 1 and t.is_word and tokens[k - 1].is_digits and (
        tokens[k - 1].end == t.start or t.form not in _NOT_LETTERS)


_NOT_LETTERS = frozenset({"и", "в", "с", "у", "к", "о"})


def _lettered_house(tokens: list[Token], j: int) -> bool:
    """A house number with its letter written onto it and another number after a mark: «3а, 21», «12б/4»."""
    return j + 3 < len(tokens) and tokens[j].is_digits and tokens[j + 1].start == tokens[j].end \
        and tokens[j + 1].is_word and len(tokens[j + 1].form) == 1 \
        and tokens[j + 2].form in (",", "/") and tokens[j + 3].is_digits


def _back_over_number(text: str, tokens: list[Token], k: int) -> int:
    """``k`` at the last token of a place named with a number, «Аксай-3а», «Тастак-1»: the index of its name's last
    word; else ``k``."""
    m = k - 1 if k > 0 and _house_letter(text, tokens, k) else k
    return m - 2 if m >= 2 and tokens[m].is_digits and tokens[m - 1].form == "-" else k
