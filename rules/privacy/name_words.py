"""What a word is as a person's name, wherever it stands: a listed name (inflected, or a surname or patronymic made
from one, or spelled the Kazakh way), a name by the dictionary or by its guess, or no name at all (a place, a cue, a
word of the calls the recogniser misheard).  Where a word stands, and so whether it is taken for a name, is
``rules.privacy.people``' business."""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from rules import kazakh
from rules.numbers import NUMBER_WORDS
from rules.phonetics import key as sound_key
from rules.privacy.lexicon import KZ_TO_RU, STOP_POS, Lexicon, vocabulary
from rules.privacy.lexicon import analyse as _analyse
from rules.text import Token, morph

_SURNAME_ENDINGS = ("ова", "ева", "ов", "ев", "ина", "ин", "овой", "евой", "ову", "еву", "овым", "евым",
                    "ұлы", "улы", "қызы", "кызы")


def _kz_name(low: str, lex: Lexicon) -> bool:
    key = ("kz", low)
    got = lex.memo.get(key)
    if got is None:
        got = lex.memo[key] = _kz_name_uncached(low, lex)
    return got


_KZ_LETTERS = frozenset("әғқңөұүһі")
# a patronymic, with a personal or case ending after it: «Бекқызы», «Серікқызымын» (I am Serik's daughter)
_KZ_PATRONYMIC = re.compile(r"(?:ұлы|қызы)(?:мын|мін|пын|сыз|сың|ның|на|ға|мен|ны|н)?$")
# Russian and Kazakh case endings after a name («Нурлана», «Нурланом», «Асельге», «Ерланның»): «алмайды» is no «Алма»
_NAME_ENDINGS = frozenset("а я у ю е ы и ь ой ей ом ем ым ға ге қа ке на не ны ні ды ді ты ті да де та те "
                          "мен бен пен ның нің дың дің тың тің ка ну "
                          "га ни ди ти нын нин дын дин тын тин".split())   # the last as Kazakh ones read in Russian


def _kz_name_uncached(low: str, lex: Lexicon) -> bool:
    return _listed(low, lex.names)


def _listed(low: str, names: set[str] | frozenset[str]) -> bool:
    """``low`` is a listed name, one inflected («Нурлана»), or a surname or patronymic made from one."""
    if low in names:
        return True
    for cut in (1, 2, 3):  # «Нурлана», «Нурланом», «Айгуль», «Асельге»: a case ending after a name
        if len(low) - cut >= 3 and low[-cut:] in _NAME_ENDINGS and low[:-cut] in names:
            return True
    for ending in _SURNAME_ENDINGS:
        stem = low[: -len(ending)]
        if low.endswith(ending) and len(stem) >= 3 and (stem in names or stem + "а" in names
                                                         or stem[:-1] + "й" in names):
            return True
    return False


def _kz_spelled_name(low: str, lex: Lexicon) -> bool:
    """A listed name in its Kazakh spelling («Айгүл», «Әсел», «Серікұлы»), or a Kazakh patronymic («Бекқызы»).
    Only a word with a Kazakh letter is compared so («ель» is no «Ел»), and it may be a name, not surely one:
    many Kazakh words are names too («айдың» is «of the month», «қымбат» «dear»), so the place decides
    (a capital mid-sentence, address position, a cue, an honorific after it)."""
    if not _KZ_LETTERS.intersection(low):
        return False
    key = ("kzs", low)
    got = lex.memo.get(key)
    if got is None:
        got = lex.memo[key] = _listed(low.translate(KZ_TO_RU), lex.name_keys) \
            or (_KZ_PATRONYMIC.search(low) is not None and len(low) >= 6)   # whatever the father's name
    return got


def _drawn_out(form: str) -> bool:
    """A hesitation drawn out, one or two letters said again and again: «э-э-э-э», «м-м-м», «ну-у-у»."""
    parts = form.split("-")
    return len(parts) > 2 and len(set(form) - {"-"}) < 3


def _not_name(t: Token, lex: Lexicon, places: bool = True) -> bool:
    """No name whatever its place; ``places=False``: a place's name may be one (a Korean name's syllable after its
    surname, «Ким Чен Хо»: «Чен» is a place to the dictionary)."""
    key = ("not", t.form, places)
    got = lex.memo.get(key)
    if got is None:
        lemma = _analyse(t.form)[0]
        got = lex.memo[key] = t.form in lex.not_names or lemma in lex.not_names or _drawn_out(t.form) \
            or t.form in kazakh.model()["function_words"] or (places and _place(t.form) and t.form not in lex.names) \
            or (t.form.endswith(lex.vocative_after_endings) and not _kz_name(t.form, lex)) \
            or t.form.startswith(lex.not_name_stems) or _cue_word(t, lex) \
            or (not _analyse(t.form)[3] and not _kz_name(t.form, lex) and misheard(t.form) is not None)
    return got


def _cue_word(t: Token, lex: Lexicon) -> bool:
    """A cue for personal data («телефон», «почта», «пошта»): never a name, not even next to one."""
    lemma = _analyse(t.form)[0]
    return t.form in lex.email_cues or any(t.form in words or lemma in words for words in lex.cues.values()) \
        or t.form.startswith(_CUE_STEMS)   # (with a Kazakh ending: «почтаны жазыңыз», «поштаңызды»)


_CUE_STEMS = ("почта", "пошта", "телефон", "электрон")


@lru_cache(maxsize=20_000)
def _place(low: str) -> bool:
    """A word the dictionary knows as a place rather than a person («Алматы», «Астана»)."""
    parses = morph().parse(low)
    place = sum(p.score for p in parses if "Geox" in p.tag)
    person = sum(p.score for p in parses if {"Name", "Surn", "Patr"} & set(p.tag.grammemes))
    return morph().word_is_known(low) and place > person


@lru_cache(maxsize=20_000)
def _kz_place(low: str) -> bool:
    """A Kazakh word that is a place with its endings («Алматыда», «Қарағандыдан», «Шымкентте»)."""
    return any(_place(s.translate(KZ_TO_RU)) or _place(s) for s in kazakh.stems(low))


MISHEARD_MIN_SOUNDS = 8   # shorter words are too close to too much («Морад» to «марка»): never judged misheard


@lru_cache(maxsize=1)
def _vocabulary_keys() -> tuple[list[str], list[str]]:
    words = sorted(vocabulary())
    return [sound_key(w) for w in words], words


@lru_cache(maxsize=20_000)
def misheard(word: str) -> str | None:
    """The word of the calls (``lexicon.vocabulary``) that an unknown ``word`` sounds like, or None.

    The recogniser writes a word it half heard as something that sounds like it: «Здравство», «АЛМОТИНСКИ»,
    «щетчик».  The dictionary does not know such a spelling and pymorphy3 guesses it a name from its ending.
    Compared by sound (``rules.phonetics.key``) with the words the department's calls are made of, a word of
    at least ``MISHEARD_MIN_SOUNDS`` sounds within one edit (two from ten sounds on) of one of them — its
    ending free, as inflections and cut-offs differ — is that word misheard, not a name."""
    k = sound_key(word)
    if len(k) < MISHEARD_MIN_SOUNDS:
        return None
    keys, words = _vocabulary_keys()
    most = 1 if len(k) < 10 else 2
    for vk, w in zip(keys, words, strict=True):
        if abs(len(vk) - len(k)) > 3 or len(vk) < MISHEARD_MIN_SOUNDS - 1:   # an ending, not another word
            continue
        if len(vk) >= len(k) and Levenshtein.distance(k, vk[:len(k)], score_cutoff=most) <= most:
            return w
    return None


def _sure_name(t: Token, lex: Lexicon, guess: bool = True) -> bool:
    """A name whatever its place.  ``guess``: whether a word the dictionary does not know may be taken for a
    name on pymorphy3's guess (``_guess_allowed``)."""
    if not t.is_word or len(t.form) < 2 or t.form in NUMBER_WORDS or _not_name(t, lex):
        return False
    _, _, name, known = _analyse(t.form)
    # pymorphy3 guesses unknown words too; a short unknown word («алтс») is more often an abbreviation
    return (name >= 0.5 and (known or (guess and len(t.form) >= 5))) or _kz_name(t.form, lex) \
        or (not known and _RU_PATRONYMIC.search(t.form) is not None) \
        or ("-" in t.form[1:-1] and all(_listed(p, lex.names) or _analyse(p)[2] >= 0.5 for p in t.form.split("-")))


# a Russian patronymic the dictionary does not know, whatever the case it is written in: «БОЛАТОВНА», «Ержанович»
_RU_PATRONYMIC = re.compile(r"^[а-яё]{3,}(?:овна|евна|ична|ович|евич)(?:а|у|ем|ом|е|ой|ы)?$")


def _maybe_name(t: Token, lex: Lexicon, guess: bool = True) -> bool:
    if not t.is_word or len(t.form) < 2 or t.form in NUMBER_WORDS:
        return False
    _lemma, pos, name, known = _analyse(t.form)
    # pymorphy3's part of speech for a word with a Kazakh letter is a guess from a Russian ending: not used, nor
    # for an unknown word that a good share of its guesses read as a name («Кусаинова»: a short adjective first)
    return ((known and name >= 0.05) or (guess and not known) or _kz_name(t.form, lex)
            or _kz_spelled_name(t.form, lex)) and (pos not in STOP_POS or bool(_KZ_LETTERS.intersection(t.form))
                                                   or (not known and name >= 0.3))


# a name the recogniser wrote in Latin letters, spelled in Cyrillic to be looked up among the listed names
_LATIN_PAIRS = (("shch", "щ"), ("ye", "е"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"),
                ("ya", "я"), ("yu", "ю"), ("yo", "ё"), ("ai", "ай"), ("ei", "ей"), ("oi", "ой"), ("ui", "уй"),
                ("x", "кс"))
_LATIN_LETTERS = str.maketrans("abcdefghijklmnopqrstuvwxyz", "абкдефгхижклмнопкрстуввкыз")


def latin_to_cyrillic(low: str) -> str:
    """«oksana» is «оксана», «aigerim» «айгерим», «zhanna» «жанна» (as a Russian speaker reads them)."""
    for a, b in _LATIN_PAIRS:
        low = low.replace(a, b)
    return low.translate(_LATIN_LETTERS)


def latin_name(low: str, lex: Lexicon) -> bool:
    """A word written in Latin letters that is a name read in Cyrillic: listed («Aigerim», «Asel»), or a name by
    the dictionary («Oksana»)."""
    cyr = latin_to_cyrillic(low)
    _, _, name, known = _analyse(cyr)
    return _listed(cyr, lex.names) or _listed(cyr + "ь", lex.names) or (known and name >= 0.5)


def _patronymic(t: Token) -> bool:
    """«Павловна», «Сергеевича», «Серікұлы», «Бекқызы»."""
    return _patronymic_form(t.form)


@lru_cache(maxsize=20_000)
def _patronymic_form(form: str) -> bool:
    return _RU_PATRONYMIC.search(form) is not None or _KZ_PATRONYMIC.search(form) is not None or any(
        "Patr" in p.tag for p in morph().parse(form)[:2])


def _before_a_model(text: str, tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """``tokens[i + 1]`` is a model's code: capitals, a hyphen and digits («СГВ-15», «KM-15»; not a cue: «ИИН»)."""
    if i + 3 >= len(tokens):
        return False
    nxt = tokens[i + 1]
    raw = text[nxt.start:nxt.end]
    return 1 < len(raw) <= 5 and raw.isalpha() and raw.isupper() and tokens[i + 2].form == "-" \
        and tokens[i + 3].is_digits and not _cue_word(nxt, lex)


def _common_word(t: Token, lex: Lexicon) -> bool:
    """A word the dictionary knows with no reading as a name, nor a Kazakh name: never a name, even after a cue
    («собственник квартиры», «фамилия владельца»)."""
    _, _, name, known = _analyse(t.form)
    return known and name == 0 and not _kz_name(t.form, lex)


_OBLIQUE = frozenset({"datv", "loct"})
_SENTENCE_OPENERS = frozenset({".", "!", "?", "…", ":", "—", "-", "–", "«", "(", '"'})
_PREPOSITIONS_BEFORE = frozenset({"в", "во", "на", "о", "об", "по", "при", "к", "ко"})


def surname_read_as_a_case(text: str, tokens: list[Token], i: int) -> bool:
    """A word written with a capital that the dictionary reads only as a thing's name in the dative or locative
    («Фрезе»: «фреза»; «Шульце», «Клейне»), no preposition before it: beside a first name such a form cannot be
    that noun («Фрезе Наталья звонила», «Наталья Фрезе»); it is her surname.  (Not «Утром Наталья звонила»: the
    instrumental; not «В квартире Наталья»: a preposition.)  Mid-sentence, where a capital says more than the start of
    a sentence does, any noun: «звонила Береза Анна» (not «в Алматы Анна»: a preposition)."""
    t = tokens[i]
    raw = text[t.start:t.end]
    if len(raw) < 3 or not raw[0].isupper() or raw.isupper() or (i > 0 and tokens[i - 1].form in _PREPOSITIONS_BEFORE):
        return False
    parses = morph().parse(t.form)
    if i > 0 and tokens[i - 1].form not in _SENTENCE_OPENERS and parses[0].tag.POS == "NOUN":
        return True
    return all(p.tag.POS == "NOUN" and "inan" in p.tag and p.tag.case in _OBLIQUE for p in parses)


_EVENT_VERBS = frozenset({"быть", "начаться", "закончиться", "продлиться", "пройти", "состояться", "длиться",
                          "начинаться", "заканчиваться", "проходить", "проводиться", "провести"})


def event_verb(t: Token) -> bool:
    """A verb of something taking place («будет», «начнётся», «закончится», «пройдёт»): an unknown word opening the
    sentence before it names the event, not a person («опрессовка будет 12.06», «промывка закончится в пятницу»)."""
    return t.is_word and len(t.form) > 2 and morph().parse(t.form)[0].normal_form in _EVENT_VERBS   # (not «Е.»)


_SURNAME_AFTER_VERB = 6   # letters at least: «мамбетов», not «готов»


def unknown_surname_after(t: Token, verb: Token) -> bool:
    """A word the dictionary does not know with a surname's ending, right after a verb in the singular: the caller
    named after her verb («звонит мамбетов», «звонила турсынбаева»; not «приходили проверяльщиков»: the plural)."""
    return len(t.form) >= _SURNAME_AFTER_VERB and t.form.endswith(_SURNAME_ENDINGS) and not _analyse(t.form)[3] \
        and morph().parse(verb.form)[0].tag.number == "sing"
