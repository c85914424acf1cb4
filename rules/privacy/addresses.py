"""Addresses in an utterance tokenised with its marks, for the privacy masker: a street word and what follows
(«улица Жандосова 58 квартира 14»), a house word and its number with the street's name before it («Абая, дом 107»,
«Гагарина, 230, квартира 90»), or what follows an address cue («адрес: …»)."""
from __future__ import annotations

import re

from rules import kazakh
from rules.numbers import NUMBER_WORDS
from rules.privacy import street_names
from rules.privacy.address_questions import _address_word, cue_closes_clause, cue_said_after
from rules.privacy.houses import (
    _KZ_STREET_STEMS,
    _ORDINAL_ENDINGS,
    _back_over_number,
    _counted,
    _house_letter,
    _house_part,
    _is_house,
    _is_street,
    _lettered_house,
    _lone_ambiguous,
    is_number_token,
)
from rules.privacy.lexicon import SENTENCE_END, STOP_POS, Lexicon, PdSpan, all_lowercase, vocabulary
from rules.privacy.lexicon import analyse as _analyse
from rules.privacy.name_words import _place
from rules.privacy.number_runs import JOINERS
from rules.privacy.street_names import _first_name_genitive, _genitive_noun, _named_for_a_person, _street_adjective
from rules.text import Token, morph

_ADDRESS_SKIP = {"по", "на", "в", "адресу", "адрес", ":", "-", "у", "меня", "нас", "мой", "наш",
                 # marks and fillers said between the cue and the address («адрес, значит, Гоголя 86»)
                 ",", "—", "–", "значит", "вот", "это", "такой", "сейчас", "скажу", "записывайте", "запишите", "пишите"}


def _span(kind: str, text: str, start: int, end: int) -> PdSpan:
    return PdSpan(kind, start, end, text[start:end])


_WE = frozenset({"біз", "мен", "сіз", "олар", "ол"})
_KZ_STREET_WORDS = frozenset({"ауданы", "тұйық", "тұйығы", "м-н"})
_AHEAD_WORDS = 3   # words a house may come after its street: «Жандосов көшесінде тұрамын, 58 үй»


def _house_ahead(tokens: list[Token], j: int, lex: Lexicon) -> int:
    """After a street with no number, the house said a few words on — a number and its house word, or a house word
    and its number («… көшесінде тұрамын, 58 үй», «на улице Абая, у нас дом 5»): the index after it, or ``j``."""
    words = 0
    for m in range(j, min(len(tokens), j + 2 * _AHEAD_WORDS + 2)):
        t = tokens[m]
        if t.form in SENTENCE_END:
            return j
        nxt = tokens[m + 1] if m + 1 < len(tokens) else None
        if nxt is not None and ((is_number_token(t) and _is_house(nxt, lex) and nxt.form in lex.dwelling_words)
                                or (_is_house(t, lex) and t.form in lex.dwelling_words and is_number_token(nxt))):
            k = _house_part(tokens, m, lex)
            return k if k > m else j
        if t.is_word:
            words += 1
            if words > _AHEAD_WORDS or is_number_token(t) or _cue(t, lex) or _is_street(t, lex):
                return j
        elif t.is_digits:
            return j
    return j


def _name_ish(t: Token, lex: Lexicon) -> bool:
    """Could be (part of) a street name: a word that is not a function word or a verb."""
    if not t.is_word or t.form in NUMBER_WORDS or _is_house(t, lex):
        return False
    return _analyse(t.form)[1] not in STOP_POS or not _analyse(t.form)[3]


def _street_part(tokens: list[Token], i: int, lex: Lexicon, max_words: int = 3) -> int:
    j, words = i, 0
    while j < len(tokens) and words < max_words:
        t = tokens[j]
        if t.form == "." and (j == i or (_is_street(tokens[j - 1], lex) and t.start == tokens[j - 1].end)):
            j += 1   # «ул.», and a second street word's point: «мкр Нурлытау ул. Алатау 15»
        elif _is_street(t, lex) or (t.form in lex.street_titles and j > i):
            j += 1   # «мкр Шанырак-2 улица Жанкожа батыра 14»: the next street word, a title, count as no name's word
        elif _name_ish(t, lex):
            j += 1
            words += 1
        elif t.form == "-" and j + 1 < len(tokens) and tokens[j + 1].is_digits:  # «Самал-2»
            j += 2
            if j < len(tokens) and tokens[j].start == tokens[j - 1].end and len(tokens[j].form) == 1 \
                    and tokens[j].is_word:
                j += 1   # «Аксай-1а», «Мамыр-4б»: the place's letter written onto its number
        else:
            break
    return j


def _street_before(text: str, tokens: list[Token], i: int, lex: Lexicon, found: list[PdSpan]) -> int:
    """«Абая, дом 107»: the street name said right before a house word (one or two words, a comma
    between allowed); the index where the address starts."""
    j = i - 1
    if j >= 0 and tokens[j].form == ",":
        j -= 1
    if j >= 2 and tokens[j].form in _ORDINAL_ENDINGS and tokens[j - 1].form == "-" and tokens[j - 2].is_digits:
        j -= 2   # «Жетысу-2, 48-й дом»: the house's number as an ordinal
    # a house number said before the flat's word: «Гагарина, 230, квартира 90», «Коктем 2 дом 14», «Тастак-1, дом 5»
    k = j
    while k >= 0 and i - k <= 8 and (is_number_token(tokens[k]) or _house_letter(text, tokens, k) or (
            tokens[k].form in ("/", "-", ",") and k > 0 and is_number_token(tokens[k - 1]) and k < j)):
        k -= 1   # «59/1», «Жандосова 58, 14 квартира»
    if k < j:
        if k >= 0 and tokens[k].form in (",", "-"):
            k -= 1
        k = _back_over_number(text, tokens, k)   # «Айнабұлақ-3, 24 үй», «Аксай-3а, 44, кв. 1»
        got = _street_words_before(text, tokens, k, lex, found)
        return got if got <= k else i
    got = _street_words_before(text, tokens, j, lex, found)
    return got if got <= j else i


def _place_before(text: str, tokens: list[Token], i: int, lex: Lexicon, found: list[PdSpan]) -> int:
    """What names the place before an address that opens with a street word at ``i``: an ordinal («восьмой
    микрорайон», «в пятом микрорайоне», «8-й мкр») or a place named with a number, a comma between («Калкаман-2,
    улица Ахметова, 37»); the index where the address starts."""
    if i == 0 or (found and tokens[i - 1].start < found[-1].end):
        return i
    if i >= 3 and tokens[i - 1].form in _ORDINAL_ENDINGS and tokens[i - 2].form == "-" and tokens[i - 3].is_digits:
        return i - 3
    if _ordinal_word(tokens[i - 1]):
        return i - 1
    j = i - 2 if tokens[i - 1].form == "," else i - 1
    k = _back_over_number(text, tokens, j)
    if k == j and j >= 1:   # (or said apart: «Ақсай 3а шағын ауданы»)
        m = j - 1 if _house_letter(text, tokens, j) else j
        k = m - 1 if m >= 1 and tokens[m].is_digits else j
    if k < j and k >= 0 and _name_ish(tokens[k], lex) and _street_name(text, tokens[k]) and not _cue(tokens[k], lex):
        return k
    # ...or a place named alone before the street, a comma between, opening the address after its cue, a question
    # or a sentence's start: «адрес Алатау, ул. Ибрагимова 7», «Адрес?» — «Алатау, ул. Ибрагимова 7»
    if k == j and j >= 0 and tokens[i - 1].form == "," and _name_ish(tokens[j], lex) \
            and _street_name(text, tokens[j]) and not _cue(tokens[j], lex) \
            and (j == 0 or tokens[j - 1].form in SENTENCE_END or tokens[j - 1].form in _ADDRESS_SKIP
                 or _address_word(tokens[j - 1], lex)):
        return j
    return i


def _ordinal_word(t: Token) -> bool:
    """«восьмой», «пятом», «бесінші»: an ordinal said as a word."""
    if not t.is_word:
        return False
    if t.form.endswith(("інші", "ыншы", "інші", "нші", "ншы")) and t.form[:3] in _KZ_ORDINAL_STEMS:
        return True
    return any("Anum" in p.tag for p in morph().parse(t.form)[:1])


_KZ_ORDINAL_STEMS = frozenset({"бір", "екі", "үші", "төрт", "бес", "алт", "жет", "сег", "тоғ", "оны"})


def _street_words_before(text: str, tokens: list[Token], j: int, lex: Lexicon, found: list[PdSpan]) -> int:
    """The first of one or two words ending at ``j`` that may be a street's name (``j + 1`` if none); a street word
    with its number before it («8 микрорайоне дом 15») starts at the number."""
    got = _street_words_before_(text, tokens, j, lex, found)
    if got <= j and _is_street(tokens[got], lex) and got > 0 and tokens[got - 1].is_digits:
        return got - 1
    return got


def _street_words_before_(text: str, tokens: list[Token], j: int, lex: Lexicon, found: list[PdSpan]) -> int:
    start = j + 1
    for n in range(2):
        if n and j >= 0 and text[tokens[j + 1].start].isupper() and not text[tokens[j].start].isupper() \
                and not all_lowercase(text) and (kazakh.is_kazakh_word(tokens[j].form) or tokens[j].form in _WE):
            break   # a Kazakh word in lowercase before a street's name with a capital: «біз Сейфуллин даңғылында»
        if j < 0 or not _name_ish(tokens[j], lex) or len(tokens[j].form) < 2 \
                or (found and tokens[j].start < found[-1].end) \
                or _address_word(tokens[j], lex):   # «мекенжайым дом 45»: the cue is no street
            break
        lemma, pos, name, known = _analyse(tokens[j].form)
        if known and pos != "NOUN" and name < 0.5 and not _street_adjective(text, tokens[j]):  # «передать», «мой»
            break
        if known and pos == "NOUN" and name < 0.3 and not text[tokens[j].start:tokens[j].start + 1].isupper() \
                and lemma not in lex.street_words and not _place(tokens[j].form) \
                and not (j > 0 and _name_ish(tokens[j - 1], lex) and (
                    text[tokens[j - 1].start:tokens[j - 1].start + 1].isupper()
                    or (all_lowercase(text) and _street_name(text, tokens[j - 1])))):
            break   # «квартира», «счёт» in lowercase text: not a street; «Абылай хана», «абылай хана», a place the
            # dictionary knows («с навои 208 кв 11») are
        start = j
        j -= 1
    return start


def _street_name(text: str, t: Token) -> bool:
    """A word that may name a street: written with a capital, or a name, or unknown to the dictionary."""
    if not t.is_word:
        return False
    _, _, name, known = _analyse(t.form)
    return text[t.start:t.start + 1].isupper() or name >= 0.3 or not known


def _street_after(text: str, tokens: list[Token], end: int, lex: Lexicon) -> int:
    """«дом 15 по Абая», «дом 5 квартира 3 на Сейфуллина»: the street said after the house and flat — «по» or «на»
    and a word written with a capital (or a street word and its name); the index after the address."""
    if end < len(tokens) and tokens[end].form not in ("по", "на"):
        # (or, a comma between or none, a street named for a person in the genitive: «дом 52, Абая», «квартира 17
        # дом 52 Абая»)
        k = end + 1 if tokens[end].form == "," else end
        if k < len(tokens) and (text[tokens[k].start].isupper() or all_lowercase(text)) \
                and _named_for_a_person(tokens[k], lex) and _street_name(text, tokens[k]) and not _cue(tokens[k], lex):
            return _flat_after(tokens, k + 1, lex)
        return end
    if end + 1 >= len(tokens):
        return end
    nxt = tokens[end + 1]
    if _is_street(nxt, lex):
        j = _street_part(tokens, end + 2, lex, max_words=2)
        return _flat_after(tokens, j, lex) if j > end + 2 else end
    if _name_ish(nxt, lex) and (text[nxt.start:nxt.start + 1].isupper() or (
            all_lowercase(text) and _street_name(text, nxt))):   # in lowercase text: a name or an unknown word
        return _flat_after(tokens, end + 2, lex)
    return end


def _flat_after(tokens: list[Token], j: int, lex: Lexicon) -> int:
    """The index after a flat said after the street («дом 45 по улице Абая, квартира 12»), or ``j``."""
    k = j + 1 if j < len(tokens) and tokens[j].form == "," else j
    if k < len(tokens) and _is_house(tokens[k], lex):
        m = _house_part(tokens, k, lex)
        if m > k + 1 and any(is_number_token(x) for x in tokens[k:m]):
            return m
    return j


_STREET_PREPOSITIONS = frozenset({"на", "по", "с", "со", "из"})
_KZ_DWELLING = ("үй", "пәтер")


def _cue(t: Token, lex: Lexicon) -> bool:
    """A cue word of personal data («ИИН», «иину», «эмейл», «шот»): no street's name."""
    lemma = _analyse(t.form)[0]
    return t.form in lex.email_cues or any(t.form in w or lemma in w for w in lex.cues.values()) \
        or any(t.form.startswith(stems) for stems in lex.cue_stems.values())


def _street_said_bare(text: str, tokens: list[Token], i: int, lex: Lexicon) -> int:
    """«мы на Гоголя 86», «я с Мамыр-1, 29»: a preposition, a street's name (written with a capital, or in
    lowercase text a name or a word the dictionary does not know) and a house number right after it, not counted
    by a unit («на Абая 15 минут» is no address); or, opening a sentence, the street's name and the house and flat
    numbers with a mark between («Сейфуллина 45, 12, горячей воды нет»).  The index after the address, or ``i``."""
    prep = tokens[i].form in _STREET_PREPOSITIONS
    s = i + 1 if prep else i
    j = _street_part(tokens, s, lex, max_words=2)
    lower = all_lowercase(text)
    named = j == s + 1 and (text[tokens[s].start].isupper() or lower) and _named_for_a_person(tokens[s], lex)
    if j < len(tokens) and tokens[j].form == "," and j > s and (tokens[j - 1].is_digits or named or (
            j - 2 > s and tokens[j - 2].is_digits and tokens[j - 1].start == tokens[j - 2].end)
            or street_names.private_house(tokens, j + 2)):
        j += 1   # «Мамыр-1, 29», «Аксай-1а, 14, 28», «Айманова, 155», «Ганди, 5, частный сектор»
    # (after a preposition the house's number may be said in words: «мы на Жарокова двести пять»)
    if j == s or j >= len(tokens) or not (tokens[j].is_digits or (prep and tokens[j].form in NUMBER_WORDS
                                                                   and not _lone_ambiguous(tokens, j, lex))):
        return i
    h = j + 2 if _lettered_house(tokens, j) else j + 1   # (the house's letter: «Аксай 3а, 21, 48»)
    private = street_names.private_house(tokens, h)   # («Коммунальная 13 частный дом»)
    if not prep and not (h + 1 < len(tokens) and tokens[h].form in (",", "-", "/") and tokens[h + 1].is_digits) \
            and not named and not private and not cue_said_after(tokens, h, lex):
        return i   # (one number after a street named for a person, opening a sentence: «Байтурсынова 126 у нас …»,
        # or an address cue right after it: «мен достык 105 тұрамын»)
    first = tokens[s]
    raw = text[first.start:first.end]
    if not prep and len(raw) > 1 and raw.isupper() and not raw.isupper() == text.isupper():
        return i   # an abbreviation in capitals opening a sentence is a model or a body, no street: «ВСКМ 90-15, …»
    _, _, name, known = _analyse(first.form)
    # a street named in the genitive for a person, though the dictionary reads it as no name («Луганского»: an
    # adjective), or in lowercase text: only with a house word after its number («мы с луганского 54 кв 12»)
    weak = named and ((known and name < 0.3 and first.form not in lex.names and not _first_name_genitive(first, lex))
                      or not (text[first.start:first.start + 1].isupper() or _street_name(text, first)))
    if not (text[first.start:first.start + 1].isupper() or (lower and (_street_name(text, first) or named))) \
            or (known and name < 0.3 and first.form not in lex.names and not _numbered_place(tokens, s, j)
                and not (named or private)
                and not (prep and j == s + 1 and (_place(first.form) or _genitive_noun(text, first)))) \
            or any(_cue(x, lex) for x in tokens[s:j]) \
            or any(x.form in NUMBER_WORDS for x in tokens[s:j]):
        return i   # a word the dictionary knows, not as a name («Договор 17/2», «ИИН 85-12-03»), names no street
    k = _house_part(tokens, j, lex)
    if weak and not any(_is_house(x, lex) for x in tokens[j:k]):
        return i
    return k if k > j else i


_WHAT_WORDS = 2   # words after «адрес» that say which address it is: «для квитанций», «по прописке», «проживания»


def _what_address(text: str, tokens: list[Token], s: int) -> int:
    """After an address's cue, the few lowercase words that say which address it is, when a name written with a
    capital follows them (in text with capitals): the index of that name, or ``s``."""
    if all_lowercase(text):
        return s
    for w in range(s, min(len(tokens), s + _WHAT_WORDS + 1)):
        t = tokens[w]
        raw = text[t.start:t.end]
        if w > s and t.is_word and raw[:1].isupper():
            return w
        if not (t.is_word and raw.islower()):
            return s
    return s


def _numbered_place(tokens: list[Token], s: int, j: int) -> bool:
    """A name written with a hyphen and its number names a place whatever the dictionary says: «Аксай-1а», «Самал-2»;
    so does a name before a house number with its letter and another number («Аксай 3а, 21, 48», «Орбита 12б/4»)."""
    if j == s + 1:   # (not a word of the calls: «Квитанция 5а, 12» names none)
        return _lettered_house(tokens, j) and tokens[s].form not in vocabulary()
    return j > s + 2 and tokens[s + 1].form == "-" and tokens[s + 2].is_digits and tokens[s + 1].start == tokens[s].end


def _street_following(text: str, tokens: list[Token], j: int, lex: Lexicon) -> int:
    """After a flat's or house's number and word, more of them and then the street, its word before or after its
    name: «17 пәтер, 52 үй, Абай даңғылы», «45 үй, Абай көшесі», «квартира 5, дом 12, улица Абая».  The index after
    the street, or ``j``."""
    k = j
    for _ in range(3):   # «, 52 үй» — another number and its house word
        m = k + 1 if k < len(tokens) and tokens[k].form == "," else k
        if m + 1 < len(tokens) and is_number_token(tokens[m]) and _is_house(tokens[m + 1], lex):
            k = m + 2
        else:
            break
    m = k + 1 if k < len(tokens) and tokens[k].form == "," else k
    if m < len(tokens) and _is_street(tokens[m], lex):   # «улица Абая»
        e = _street_part(tokens, m + 1, lex, max_words=2)
        return e if e > m + 1 and any(_street_name(text, x) for x in tokens[m + 1:e]) else j
    e = m
    while e < len(tokens) and e - m < 2 and _name_ish(tokens[e], lex) and not _is_street(tokens[e], lex):
        e += 1
    if m < e < len(tokens) and _is_street(tokens[e], lex) and any(_street_name(text, x) for x in tokens[m:e]):
        return e + 1   # «Абай көшесі»
    return j


_ANSWER_SKIP = frozenset({"да", "так", "вот", "ну", "это", "мы", "я", "на", "по", "в", "у", "меня", "нас", "живем",
                          "живу", "проживаем", "проживаю", "значит", "иә", "ия", ",", ":", "—", "–", "-", "сейчас",
                          "скажу", "записывайте", "запишите", "пишите"})


def _answer(text: str, tokens: list[Token], lex: Lexicon) -> list[PdSpan]:
    """The answer to a question for an address opens with one, street and house said without a street or house
    word: «Сейфуллина 45, 12», «мы на Абая 150-32»."""
    s = 0
    while s < len(tokens) and tokens[s].form in _ANSWER_SKIP:
        s += 1
    if s < len(tokens) and is_number_token(tokens[s]):   # the house or the flat alone: «тридцать четыре, квартира 12»
        k = _house_part(tokens, s, lex)
        while k > s and tokens[k - 1].form in JOINERS | {"."}:
            k -= 1
        k = max(k, _street_following(text, tokens, k, lex)) if k > s else k   # «45 үй, Абай көшесі»
        return [_span("address", text, tokens[s].start, tokens[k - 1].end)] if k > s else []
    j = _street_part(tokens, s, lex, max_words=2)
    # (in lowercase text, where no capital tells a name, any noun opening the answer before its house: «навои 208»)
    lower = all_lowercase(text)
    if j == s or not any(_street_name(text, x) or (lower and _analyse(x.form)[1] == "NOUN") for x in tokens[s:j]) \
            or any(_analyse(x.form)[0] in lex.cues["value"] for x in tokens[s:j] if x.is_word):   # «Горячая вода 66»
        return []
    k = _house_part(tokens, j, lex)
    if k > j and any(is_number_token(x) for x in tokens[j:k]):
        return [_span("address", text, tokens[s].start, tokens[k - 1].end)]
    return []


def addresses(text: str, tokens: list[Token], lex: Lexicon, asked: bool = False) -> list[PdSpan]:
    return _joined(text, _addresses(text, tokens, lex, asked))


_JOINING = re.compile(r"[\s,]*(?:(?:в|во|на|по|и|а|үй|,)[\s,]+){0,2}", re.IGNORECASE)


def _joined(text: str, found: list[PdSpan]) -> list[PdSpan]:
    """Parts of one address found apart, only a preposition between, are one: «по улице Гоголя в доме 86 квартира 4»
    (the street said, then the house: the words between belong to it)."""
    out: list[PdSpan] = []
    for s in sorted(found, key=lambda x: x.start):
        if out and out[-1].end <= s.start and _JOINING.fullmatch(text, out[-1].end, s.start):
            out[-1] = _span("address", text, out[-1].start, max(out[-1].end, s.end))
        else:
            out.append(s)
    return out


def _addresses(text: str, tokens: list[Token], lex: Lexicon, asked: bool = False) -> list[PdSpan]:
    found: list[PdSpan] = _answer(text, tokens, lex) if asked else []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        end = i
        if t.form in lex.street_titles and i > 0 and not (i + 1 < len(tokens) and _is_street(tokens[i + 1], lex)):
            # «Наурызбай батыра 45-12» (not «Төле би көшесі»: there the street word opens)
            k = _house_part(tokens, i + 1, lex)
            start = _street_before(text, tokens, i, lex, found) if k > i + 1 else i
            if start < i and any(is_number_token(x) for x in tokens[i + 1:k]):
                found.append(_span("address", text, tokens[start].start, tokens[k - 1].end))
                i = k
                continue
        elif _is_street(t, lex):
            j = _street_part(tokens, i + 1, lex)
            k = _house_part(tokens, j, lex)
            if k == j and not any(_street_name(text, x) for x in tokens[i + 1:j]):
                j = k = i + 1   # «улица холодная»: without a number, the street's name must look like one
            ahead = False
            if k == j:
                k = _house_ahead(tokens, j, lex)
                ahead = k > j
            if k > i + 1 and (j > i + 1 or k > j):
                end = max(j, k)
                # «Жібек жолы көшесі 45», «Сейфуллин даңғылында тұрамыз, 45 үй»
                # (a Kazakh street word follows its name: «Сейфуллин даңғылында тұрамыз, 45 үй»)
                kz_word = t.form.startswith(_KZ_STREET_STEMS) or t.form in _KZ_STREET_WORDS
                start = _street_before(text, tokens, i, lex, found) if j == i + 1 or ahead or kz_word else i
                start = _place_before(text, tokens, start, lex, found)   # «Ақсай 3а шағын ауданы», «Шанырак-2 улица»
                if start == i and i > 0 and tokens[i - 1].is_digits \
                        and (not found or found[-1].end <= tokens[i - 1].start):
                    start = i - 1   # «8 микрорайоне, дом 15»: the microdistrict's number before its word
                    start = _place_before(text, tokens, start, lex, found)   # («Алатау, 8 мкр»)
                if start < i:
                    found.append(_span("address", text, tokens[start].start, tokens[end - 1].end))
                    i = end
                    continue
        elif _is_house(t, lex) and i > 0 and is_number_token(tokens[i - 1]) \
                and (k := _street_following(text, tokens, i + 1, lex)) > i + 1 \
                and (not found or found[-1].end <= tokens[i - 1].start):
            # «17 пәтер, 52 үй, Абай даңғылы»: numbers before their words, the street said last
            found.append(_span("address", text, tokens[i - 1].start, tokens[k - 1].end))
            i = k
            continue
        elif _is_house(t, lex):
            k = _house_part(tokens, i + 1, lex)
            if k > i + 1 and any(is_number_token(x) for x in tokens[i + 1:k]):
                end = k
                start = _street_before(text, tokens, i, lex, found)
                if start < i:
                    if t.form in lex.dwelling_words or _analyse(t.form)[0] in lex.dwelling_words:
                        end = _street_after(text, tokens, end, lex)
                    found.append(_span("address", text, tokens[start].start, tokens[end - 1].end))
                    i = end
                    continue
                if t.form not in lex.dwelling_words and _analyse(t.form)[0] not in lex.dwelling_words:
                    end = i   # «в подъезде номер 2», «на 3 этаже»: a part of a house, no address without the house
                else:
                    end = _street_after(text, tokens, end, lex)   # «дом 15 квартира 3 на Сейфуллина»
            elif i > 0 and (is_number_token(tokens[i - 1]) or (i > 2 and tokens[i - 1].form in _ORDINAL_ENDINGS and (
                    tokens[i - 2].form == "-" and tokens[i - 3].is_digits))) and not _counted(t, lex) and (
                    t.form in lex.dwelling_words or _analyse(t.form)[0] in lex.dwelling_words):
                start = _street_before(text, tokens, i, lex, found)   # «Жандосова 58, 14 квартира»: the word last
                if start < i:
                    found.append(_span("address", text, tokens[start].start, t.end))
                    i += 1
                    continue

        elif (t.form in _STREET_PREPOSITIONS or i == 0 or tokens[i - 1].form in SENTENCE_END
              or street_names.after_place(text, tokens, i) or cue_closes_clause(tokens, i, lex)) \
                and (k := _street_said_bare(text, tokens, i, lex)) > i:
            found.append(_span("address", text, tokens[i + 1 if t.form in _STREET_PREPOSITIONS else i].start,
                               tokens[k - 1].end))
            i = k
            continue
        elif _address_word(t, lex):
            j = i + 1
            while j < len(tokens) and tokens[j].form in _ADDRESS_SKIP:
                j += 1
            s = j
            if s < len(tokens) and _is_house(tokens[s], lex):   # «по адресу дом 45 по улице Абая»: the house opens
                i = s
                continue
            j = _street_part(tokens, s, lex)
            k = _house_part(tokens, j, lex)
            if k == j and (w := _what_address(text, tokens, s)) > s:
                s = w   # «адрес для квитанций Аксай-1а, 14, 28», «адрес по прописке Гоголя 86»
                j = _street_part(tokens, s, lex)
                k = _house_part(tokens, j, lex)
            # (no street and a number word alone is a quantity: «проживает одна, ей 84 года»)
            if k > j and not (j == s and not any(x.is_digits or _is_house(x, lex) for x in tokens[s:k])):
                # a street name alone is too weak a sign; with a house number it is an address
                if j == s:   # «мекенжайым 45 үй, Абай көшесі»: the house first, the street said last
                    k = max(k, _street_following(text, tokens, k, lex))
                found.append(_span("address", text, tokens[s].start, tokens[k - 1].end))
                i = k
                continue
        if end > i:
            while end - 1 > i and tokens[end - 1].form in JOINERS | {"."}:
                end -= 1
            a = t.start
            # a Kazakh house word follows its number, written onto it or not: «жоқ, 221-үй, 81-пәтер»
            b = i - 1 - (i > 1 and tokens[i - 1].form == "-")
            if t.form.startswith(_KZ_DWELLING) and b >= 0 and tokens[b].is_digits \
                    and (not found or found[-1].end <= tokens[b].start):
                a = tokens[b].start
            found.append(_span("address", text, a, tokens[end - 1].end))
            i = end
        else:
            i += 1
    return found
