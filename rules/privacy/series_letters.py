"""A series' letters said or written with an identifier's digits: «ТЭ 1287 дробь 3», «ВСГ 0184532», «бэ ка 045781»,
«1245 ТС», and a series said apart after the word «серия».  Where an identifier starts and ends once they are
taken in.
"""
from __future__ import annotations

from rules.privacy.cues import CueIndex, _cue_kind, _meter_word, _number_word, _slashed_cue
from rules.privacy.lexicon import ID_KINDS, SENTENCE_END, Lexicon, PdSpan
from rules.privacy.lexicon import analyse as _analyse
from rules.privacy.number_runs import _adjacent
from rules.privacy.said_marks import SAID_MARKS
from rules.text import Token

_SERIES_WORDS = frozenset({"серия", "серии", "серию", "сериясы", "серийная"})


def _series_said(text: str, tokens: list[Token], n_ctx: int, cues: CueIndex, lex: Lexicon) -> list[PdSpan]:
    """A series said apart from the number, after the word «серия», with an identifier's cue about: «договор серия
    АБ номер 004512», «номер договора 4512, серия ТС»."""
    found = []
    for i, t in enumerate(tokens[:-1]):
        if t.form not in _SERIES_WORDS:
            continue
        cue = cues.before(n_ctx + i)
        if cue is None and i > 0 and tokens[i - 1].form in ("№", "номер", "нөмірі"):
            cue = "number"   # a number's sign or word alone before «серия»: «№ серия ДТ номер 194 116»
        if cue not in ID_KINDS and cue not in ("meter", "number"):
            continue
        j = i + 1
        while j < len(tokens) and j - i <= _SERIES_TOKENS and (_series_letter(text, tokens[j], lex)
                                                                or tokens[j].form in _HYPHENS
                                                                or _after_series_word(tokens[j], lex)):
            j += 1
        if j > i + 1:
            a = tokens[i + 1].start
            # the series and the number said as one, after the cue: «договор серия АА номер 0 5 5 3 1 2», «№ серия
            # ДТ номер 194 116», «договор теплоснабжения серия ДТ номер 2.5.1.5.9.3» (the words between go with
            # them, so that the number's span reaches back over its series)
            if j + 1 < len(tokens) and (tokens[j].form == "№" or _number_word(tokens[j])) \
                    and tokens[j + 1].form[:1].isdigit():
                a, j = t.start, j + 1
                while j < len(tokens) and (tokens[j].form[:1].isdigit() or tokens[j].form in _HYPHENS):
                    j += 1
                while tokens[j - 1].form in _HYPHENS:
                    j -= 1
            found.append(PdSpan(cue if cue in ID_KINDS else "number", a, tokens[j - 1].end,
                                text[a:tokens[j - 1].end]))
    return found


def _after_series_word(t: Token, lex: Lexicon) -> bool:
    """In lowercase, after «серия»: a letter's name («а б»), or two or three letters that are no word the dictionary
    knows as a function word («серия аа», «серия тс»; not «серия у нас», «серия и номер»)."""
    if not t.is_word or _cue_kind(t, lex) is not None or _number_word(t):
        return False
    if len(t.form) == 1:
        return t.form in lex.letter_names and t.form not in ("и", "у", "о")
    return len(t.form) <= 3 and _analyse(t.form)[1] not in _NOT_SERIES


_NOT_SERIES = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "VERB", "INFN", "ADVB", "PRED"})


# a series' letters said before an identifier's digits: up to four letter tokens (a hyphen between allowed)
_SERIES_TOKENS = 4
_WORD_LETTERS = frozenset("авикосуя")
# between a series' letters and its digits: a mark, or the mark said as a word («АТС дробь 5512», «ТЭ тире 45»)
_HYPHENS = SAID_MARKS | frozenset({"-", "–", "/"})


def _series_letter(text: str, t: Token, lex: Lexicon, spoken: bool = True, near: bool = True) -> bool:
    """A token that is a series' letters, not a word: written in capitals («ТЭ», «ВСГ», «А»), in Latin letters
    («KS»), or a letter's Russian name («бэ», «ка», «эс»); never a cue word («ИИН», «ЛС»)."""
    raw = text[t.start:t.end]
    if spoken and "-" in t.form and all(p in lex.letter_names for p in t.form.split("-")):
        return True   # letters' names joined by a hyphen: «Эн-эс сорок, тире, ноль девять»
    if not t.is_word or len(raw) > 4 or not raw.isalpha() or _cue_kind(t, lex) is not None or _number_word(t):
        return False
    if len(t.form) == 1 and t.form in _WORD_LETTERS:   # «В 801-555-1234», «а 5567123»: a word, not a letter
        return False
    return raw.isascii() or raw.isupper() or (spoken and (t.form in lex.letter_names or _lowercase_series(t, near)))


_SAID_ALONE = frozenset("аоия")   # one-letter words that may have a comma after them: «а, …», «я, …»
_VOWELS = frozenset("аеёиоуыэюя")
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "ADJF", "ADVB", "INTJ", "PRED", "VERB", "INFN", "NUMR"})


def _right_after_cue(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """``tokens[i]`` follows an identifier's or a meter's cue word or «номер» at once."""
    prev = tokens[i - 1]
    return prev.is_word and (_number_word(prev) or _meter_word(prev, lex) or _cue_kind(prev, lex) in ID_KINDS)


def _lowercase_series(t: Token, near: bool = True) -> bool:
    """A series written in lowercase after a cue («номер счётчика ек 0098432», «договор тс 45812»): no Russian word —
    no vowel in it («тс», «вкт», «м»), or, with the cue in the same utterance (``near``), unknown to the dictionary
    («ех», «атс»; not «кафе на толе би 151» after a contract's number asked earlier); not a Kazakh word («үй»)."""
    return not _KZ_ONLY.intersection(t.form) and (
        not _VOWELS.intersection(t.form) or (near and not _analyse(t.form)[3]))


_KZ_ONLY = frozenset("әғқңөұүһі")


def _letters_before(text: str, tokens: list[Token], first: int, lex: Lexicon, a: int, spoken: bool,
                    near: bool = True) -> int:
    """Where an identifier starts once the series' letters said right before its digits are taken in."""
    if spoken and near:
        chain = _spelled_after_cue(text, tokens, first, lex)
        if chain < first:
            return min(a, tokens[chain].start)
    right, taken = tokens[first], 0
    for i in range(first - 1, -1, -1):
        t = tokens[i]
        if not _adjacent(text, t, right) or taken >= _SERIES_TOKENS or _slashed_cue(tokens, i):
            break   # (nor the cue written with a slash: «S/N 4512»)
        # «Эм эн, сорок семь, ноль восемь»: a comma after the letters; «Т,С,4,4,0,1,7»: commas between them too
        if t.form == "," and spoken and (not taken or (
                right.end - right.start == 1 and i > 0 and tokens[i - 1].end - tokens[i - 1].start == 1
                and text[tokens[i - 1].start].isalpha())):
            right = t
            continue
        if t.form not in _HYPHENS:
            # (one capital letter mid-sentence after a cue is a letter, not «а»/«в»: «по договору А 45 12 Б»)
            raw = text[t.start:t.end]
            capital = spoken and len(raw) == 1 and raw.isupper() and i > 0 and tokens[i - 1].form not in SENTENCE_END
            # (any one letter right after «номер»/«№»: «договор номер а 22 тире 1547»)
            numbered = spoken and len(raw) == 1 and raw.isalpha() and i > 0 and _number_word(tokens[i - 1])
            # (and up to three lowercase letters right after the cue, no function word: «номер договора ип 3311»)
            numbered = numbered or (spoken and near and 1 < len(raw) <= 3 and raw.isalpha() and i > 0
                                    and not _KZ_ONLY.intersection(t.form) and _right_after_cue(tokens, i, lex)
                                    and _analyse(t.form)[1] not in _FUNCTION_POS)
            # (one letter before a comma and the digits: a preposition never has a comma after it — written onto
            # the dictation «к,4,4,0,1», or right after the cue «номер договора к, 4, 4, 0, 1»; not «а», «о», «и», «я»)
            comma = spoken and len(raw) == 1 and raw.isalpha() and not taken and right.form == "," and (
                (t.end == right.start and right.end == tokens[first].start)
                or (t.form not in _SAID_ALONE and i > 0 and _right_after_cue(tokens, i, lex)))
            if not (capital or numbered or comma or _series_letter(text, t, lex, spoken, near)):
                break
            a, taken = t.start, taken + 1
        right = t
    return a


def _letters_after(text: str, tokens: list[Token], last: int, lex: Lexicon, b: int, spoken: bool = False,
                   near: bool = True) -> int:
    """Where an identifier ends once a series written in capitals or Latin letters right after it is taken in
    («1245 ТС», «4517-ТЭ»); a single capital letter after a mark («1402 тире А», «41 дробь Б»), or a single Latin
    one or a capital after an identifier's cue («серийный номер Z-44 017 A», «договор А 45 12 Б»), is a series too."""
    left, marked, comma = tokens[last], False, False
    for i in range(last + 1, min(len(tokens), last + 5)):
        t = tokens[i]
        if not _adjacent(text, left, t):
            break
        if t.form == "," and i + 1 < len(tokens) and (marked or tokens[i + 1].form in _HYPHENS):
            left, comma = t, True   # a mark said as a word between commas: «двести семнадцать, тире, АТС»
            continue
        raw = text[t.start:t.end]
        if t.form not in _HYPHENS:
            single = len(raw) == 1 and raw.isalpha()
            capital = raw.isupper() or raw.isascii()
            # (after a mark and a cue even a lowercase one: «номер договора 88 слэш 1402 тире а»)
            letters = len(raw) > 1 and (capital or spoken) and _series_letter(text, t, lex, spoken, near)
            # (after commas a single letter only in capitals: «4512, тире, а потом» keeps its «а»)
            if letters or (single and ((marked and (capital or (spoken and not comma))) or (spoken and capital))):
                b = t.end
            break
        if marked:
            break   # one mark only
        left, marked = t, True
    return b


def _spelled_after_cue(text: str, tokens: list[Token], first: int, lex: Lexicon) -> int:
    """Two or more letters spelled one after another right after an identifier's or a meter's cue, the digits
    after them: the index of the first, or ``first``.  Each is a letter written alone or a letter's name, even
    one that is a word too («номер договора т с 0 0 4 1 7», «номер счётчика в к 4512», «договор тэ с 4512»;
    alone it stays a word: «номер договора с 45 12»)."""
    k = first
    while k > 0 and first - k < _SERIES_TOKENS and _adjacent(text, tokens[k - 1], tokens[k]) and (
            tokens[k - 1].form in lex.letter_names or (
                tokens[k - 1].is_word and tokens[k - 1].end - tokens[k - 1].start == 1
                and text[tokens[k - 1].start].isalpha())):
        k -= 1
    return k if first - k >= 2 and k > 0 and _right_after_cue(tokens, k, lex) else first
