"""People's names in an utterance tokenised with its marks, for the privacy masker."""
from __future__ import annotations

import re

from rules.numbers import NUMBER_WORDS
from rules.privacy.lexicon import SENTENCE_END, STOP_POS, Lexicon, PdSpan, all_lowercase, last_sentence_words
from rules.privacy.lexicon import analyse as _analyse
from rules.privacy.name_words import (
    _KZ_LETTERS,
    _KZ_PATRONYMIC,
    _SURNAME_ENDINGS,
    _before_a_model,
    _common_word,
    _cue_word,
    _kz_name,
    _kz_place,
    _kz_spelled_name,
    _maybe_name,
    _not_name,
    _patronymic,
    _sure_name,
    event_verb,
    latin_name,
    surname_read_as_a_case,
    unknown_surname_after,
)
from rules.privacy.sentence_language import kazakh_sentence
from rules.text import VERB_IMPR, Token, morph

_CUE_SKIP = frozenset({"у", "меня", "моя", "мое", "мой", "его", "ее", "вот", "это", "значит", "ну", "так", "-", ":",
                       ",", "полностью", "мою", "моё"})


def _span(kind: str, text: str, start: int, end: int) -> PdSpan:
    return PdSpan(kind, start, end, text[start:end])


# --- names ----------------------------------------------------------------------------------


_INITIALS = 2   # «Ахметов А. Б.», «А.Б. Ахметов»


def _initials(text: str, tokens: list[Token], first: int, last: int) -> tuple[int, int]:
    """A name's span with the initials written next to it taken in: a single capital letter and a dot (in text
    written all in lowercase, a lowercase one: «ахметов а. б.»)."""
    lower = all_lowercase(text)

    def initial(k: int) -> bool:
        return 0 <= k < len(tokens) - 1 and tokens[k].end - tokens[k].start == 1 and tokens[k].is_word \
            and (text[tokens[k].start].isupper() or lower) and tokens[k + 1].form == "."

    a, b = tokens[first].start, tokens[last].end
    k = last if last > first and initial(last) else last + 1   # a first initial taken as a name: «Серикбаев Ә.Т.»
    while k <= last + 2 * _INITIALS and initial(k):
        b, k = tokens[k].end, k + 2
    if b == tokens[last].end:   # initials written without dots: «ахметов а б», «тен в г», «исламов м оплатил»
        k = last + 1
        letters = [j for j in range(k, min(len(tokens), k + _INITIALS)) if _bare_letter(text, tokens, j)]
        run = letters if letters == list(range(k, k + len(letters))) else []
        if run and any(tokens[j].form not in _ONE_LETTER_WORDS for j in run):   # («ахметов а в квартире»: words)
            b = tokens[run[-1]].end
    k = first - 2
    while k >= first - 2 * _INITIALS and initial(k):
        a, k = tokens[k].start, k - 2
    return a, b


_ONE_LETTER_WORDS = frozenset({"и", "в", "с", "у", "к", "о", "а", "я", "ж"})


def _bare_letter(text: str, tokens: list[Token], j: int) -> bool:
    t = tokens[j]
    return t.is_word and t.end - t.start == 1 and text[t.start].isalpha() and (j + 1 == len(tokens) or not (
        tokens[j + 1].is_digits or tokens[j + 1].form in ("-", "/")))   # («Иванов А-12»: a code, not an initial)




_CUE_AFTER = frozenset({"фамилия", "имя", "отчество", "тегім", "есімім", "атым"})
_ME = frozenset({"я", "мы", "мен", "менмін"})
_POSSESSIVES = frozenset({"менің", "сіздің", "оның", "біздің", "ваша", "ваше", "его", "её", "ее", "их", "наша"})


def _cue_follows(tokens: list[Token], i: int) -> bool:
    """A name's cue said right after a word: «фамилия», «менің тегім», «это я» ending the sentence."""
    k = i + 1 if i < len(tokens) and tokens[i].form in ("моя", "менің", "-", "—") else i
    if k < len(tokens) and tokens[k].form in _CUE_AFTER:
        return True
    return k + 1 < len(tokens) and tokens[k].form in ("это", "бұл") and tokens[k + 1].form in _ME \
        and (k + 2 == len(tokens) or tokens[k + 2].form in SENTENCE_END | {","})


def _guess_allowed(text: str, cased: bool, t: Token) -> bool:
    """Whether an unknown word may be a name on the dictionary's guess: not when the text is written with
    capitals (as the recogniser writes it, names capitalised) and the word is in lowercase — there an
    unknown word is a misheard one («щетчик горячей воды», «после авариев»), and pymorphy3's guess from its
    ending (-чик, -ев, -ом) is no evidence of a name.  In text written all in lowercase every word may be."""
    return not cased or not text[t.start:t.start + 1].islower()


def _never_names(text: str, tokens: list[Token], alpha: list[bool]) -> list[bool]:
    """Words that are no name whatever their place (but after «меня зовут»): Latin («Kaspi»: the recogniser
    writes a customer's name in Cyrillic), an abbreviation with an ending («ЦОНе», «ВИВка»).  An organisation's
    name is not among them: a customer's firm («товарищество Береке») identifies the customer as a name does."""
    out = []
    for i, t in enumerate(tokens):
        if not alpha[i]:
            out.append(False)
            continue
        raw = text[t.start:t.end]
        if raw.isascii():
            out.append(True)
        elif raw[1:].islower() or raw.isupper() or len(raw) < 3:   # most words: at once
            out.append(False)
        else:
            parts = raw.split("-")   # (or capitals with an ending after a hyphen: «ИИН-іңізді», «ЦОН-ға», «КСК-ның»)
            out.append(any(sum(c.isupper() for c in part) >= 2 and not part.isupper() for part in parts)
                       or (len(parts) == 2 and len(parts[0]) >= 2 and parts[0].isupper() and parts[1].islower()))
    return out


def _finite_verb(t: Token) -> bool:
    """A Russian verb in the past, present or future, not an imperative («звонила», «придёт»; not «подождите»)."""
    if not t.is_word:
        return False
    tag = morph().parse(t.form)[0].tag
    return tag.POS == "VERB" and tag.mood == "indc"


def _capitalised(text: str, t: Token) -> bool:
    """Written with a capital first letter, not in capitals throughout («Ни», «Фризен»; not «ТОО», «А»)."""
    raw = text[t.start:t.end]
    return len(raw) > 1 and raw[0].isupper() and not raw.isupper()


def _place_noun(t: Token, lex: Lexicon) -> bool:
    return t.is_word and (t.form.startswith(lex.place_noun_stems) or _analyse(t.form)[0] in lex.place_nouns)


def _capitalised_mid_sentence(text: str, tokens: list[Token], i: int) -> bool:
    """Capital first letter, not at the start of a sentence, not an abbreviation such as «ПУТЭ»."""
    t = text[tokens[i].start:tokens[i].end]
    if i == 0 or not t[:1].isupper() or (len(t) > 1 and t.isupper()):
        return False
    # (the dot of an initial ends no sentence: «А.С. Исмаилова», «Ахметов А. Болат»)
    return tokens[i - 1].form not in SENTENCE_END or _after_initial(text, tokens, i)


def _after_initial(text: str, tokens: list[Token], i: int) -> bool:
    """``tokens[i]`` follows a capital letter and its dot: an initial."""
    return i >= 2 and tokens[i - 1].form == "." and tokens[i - 2].end == tokens[i - 1].start \
        and tokens[i - 2].end - tokens[i - 2].start == 1 and text[tokens[i - 2].start].isupper()


_CLAUSE_START = {".", "!", "?", "…", ",", ":", "-", "—", "–", ";", "("}
_CLAUSE_END = {",", "!", "?", "…"}


def _vocative(tokens: list[Token], i: int, lex: Lexicon, guess: bool = True) -> bool:
    """A word in address position that may be a name: first in a sentence or a clause (or after a word
    such as «хорошо»), followed by a comma, an imperative, «вы» or a Kazakh polite imperative."""
    t = tokens[i]
    if not t.is_word or len(t.form) < 3 or t.form in NUMBER_WORDS or _not_name(t, lex):
        return False
    _lemma, pos, name, known = _analyse(t.form)
    # a known word must be a name in a good share of its readings («Роза» yes, «свет» no); an unknown one
    # («Ирлан», «Бейбарыс») is taken as a name in this position
    if (pos in STOP_POS and not _KZ_LETTERS.intersection(t.form)) \
            or not ((known and name >= 0.3) or (guess and not known) or _kz_name(t.form, lex)
                    or _kz_spelled_name(t.form, lex)):
        return False
    j = i - 1
    if j >= 0 and tokens[j].form in lex.vocative_before:
        j -= 1
    if j >= 0 and tokens[j].form not in _CLAUSE_START:
        return False
    if i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1]
    return nxt.form in _CLAUSE_END or nxt.form in lex.vocative_after or bool(nxt.flags & VERB_IMPR) \
        or (nxt.is_word and nxt.form.endswith(lex.vocative_after_endings))


def _match_cue(tokens: list[Token], i: int, cues: list[tuple[str, ...]], lex: Lexicon) -> int:
    """Index after a cue phrase that starts at ``i``, or -1 (only the cues that begin with the word said
    there are tried)."""
    by_first = lex.memo.get(("cues", id(cues)))
    if by_first is None:
        by_first = lex.memo[("cues", id(cues))] = {}
        for cue in cues:
            by_first.setdefault(cue[0], []).append(cue)
    form = tokens[i].form
    lemma = _analyse(form)[0]
    if form not in by_first and lemma not in by_first:
        return -1
    candidates = by_first.get(form, []) + (by_first.get(lemma, []) if lemma != form else [])
    for cue in sorted(candidates, key=cues.index) if len(candidates) > 1 else candidates:
        if i + len(cue) <= len(tokens) and all(
                tokens[i + k].form == w or _analyse(tokens[i + k].form)[0] == w for k, w in enumerate(cue)):
            return i + len(cue)
    return -1


def asked_for_a_name(ctx: list[Token], lex: Lexicon, last_words: int = 8) -> bool:
    """Whether what was said just before asks for a name («Как вас зовут?», «Фамилия владельца?», «Аты-жөніңіз?»):
    one of ``name_questions`` in its last sentence (at most its last words: «Меня зовут Думржин. Назовите
    номер счёта.» asks for a number)."""
    words = last_sentence_words(ctx)[-last_words:]
    return any(w in lex.name_questions or w in lex.name_question_forms or _analyse(w)[0] in lex.name_questions
               for t in words for w in t.form.split("-"))   # «аты-жөніңіз» is one token


_AND = frozenset({"мен", "және", "и", "бен", "пен"})
# a Russian adverb or pronoun written with a hyphen («по-другой», «как-то», «кое-где»): no surname
_HYPHENATED_WORD = re.compile(r"^(?:по|как|кое|кое-как|во)-|-(?:то|нибудь|либо|таки)$")
_GENITIVE = ("ның", "нің", "дың", "дің", "тың", "тің")
_THIRD_STOP = STOP_POS - {"INTJ"}   # a Korean name's third syllable may be an interjection's sound: «ким ен хо»
_SYLLABLE_NAME = 4   # letters of a Korean or Chinese name's syllable written apart: «Сук», «Чоль»
_PATRONYMIC_WORDS = frozenset({"ұлы", "улы", "қызы", "кызы", "оглы", "оглу", "гызы"})
_ANSWER_SKIP = frozenset({"да", "ага", "на", "это", "я", "а"})

_PLACE_PREPOSITIONS = frozenset({"из", "в", "во"})
_STREET_NAME_WORDS = 3   # «Қабанбай батыр көшесі», «Жибек Жолы»


def _standing_alone(text: str, t: Token) -> bool:
    """A word with white space or a mark of the sentence on each side, not a piece of «oksana.richter@…»."""
    before = text[t.start - 1] if t.start else " "
    after = text[t.end:t.end + 2] + "  "
    return (before.isspace() or before in ",(«\"") and (
        after[0].isspace() or after[0] in ",);:»\"" or (after[0] in ".!?" and not after[1].isalnum()))


_SPELLED_WITH = frozenset({"мягким", "твердым", "твёрдым", "двумя", "двойной", "двойным", "одной", "одним"})


def _spelled_out(tokens: list[Token], j: int, lex: Lexicon) -> bool:
    """At ``tokens[j]``: how the word before is spelled — «через» and a letter («через ха», «через е», «через букву
    и»), or «с» and a letter's mark («с мягким знаком», «с двумя эн»)."""
    if j + 1 >= len(tokens):
        return False
    nxt = tokens[j + 1].form
    if tokens[j].form == "через":
        k = j + 2 if nxt in ("букву", "буква") and j + 2 < len(tokens) else j + 1
        letter = tokens[k]
        return letter.form in lex.letter_names or (letter.is_word and len(letter.form) == 1)
    return tokens[j].form in ("с", "со") and nxt in _SPELLED_WITH


def names(text: str, tokens: list[Token], lex: Lexicon, keep: set[str], asked: bool = False) -> list[PdSpan]:
    """The names in ``text``; ``asked``: the utterance answers a question for a name, so its first words are one
    («Смагулов», «на Бекову Нургуль») unless the dictionary knows them as something else («минутку»)."""
    n = len(tokens)
    is_name = [False] * n

    def kept(t: Token) -> bool:
        return t.form in keep or _analyse(t.form)[0] in keep

    alpha = [t.form[:1].isalpha() for t in tokens]  # marks and numbers are never names: skipped at once
    cased = not all_lowercase(text)
    # a word in capitals («НУРЛАН», «АЛМОТИНСКИ») is a name only as the dictionary or the lists know it
    guess = [alpha[i] and _guess_allowed(text, cased, t) and not (len(t.form) > 1 and text[t.start:t.end].isupper())
             for i, t in enumerate(tokens)]
    # pymorphy3 knows Russian: its guess about a word with a Kazakh letter («желілері») says nothing of a name,
    # nor about any word of a Kazakh sentence («бастап», «салады» have no Kazakh letter)
    kz = [alpha[i] and bool(_KZ_LETTERS.intersection(t.form)) for i, t in enumerate(tokens)]
    kazakh_text = kazakh_sentence(tokens, alpha, lex)   # (numbers said in Kazakh do not count)
    guess_ru = [g and not k and not kazakh_text for g, k in zip(guess, kz, strict=True)]
    never = _never_names(text, tokens, alpha)
    # ...but a listed name written in Latin letters is one («Oksana», «Aigerim»), and a capitalised Latin word
    # beside it its surname («Oksana Richter»; not «Kaspi Gold»)
    # (in text written all in lowercase, any such word: «oksana richter»)
    # (a word standing alone, not a piece of an e-mail address: «oksana.richter»)
    alone = [never[i] and (_capitalised(text, t) or not cased) and text[t.start:t.end].isascii()
             and _standing_alone(text, t) and not _cue_word(t, lex)
             for i, t in enumerate(tokens)]
    latin = [alone[i] and latin_name(t.form, lex) for i, t in enumerate(tokens)]
    latin = [lt or (alone[i] and len(t.form) > 1 and ((i > 0 and latin[i - 1]) or (i + 1 < n and latin[i + 1])))
             for i, (lt, t) in enumerate(zip(latin, tokens, strict=True))]
    never = [nv and not lt for nv, lt in zip(never, latin, strict=True)]
    # a word right before «район», «область», «ауданы», «қаласы» names the place («в Ауэзовском районе»)
    # ...and a word right after «марка», «модель» a make («счётчик марки Бетар»)
    never = [nv or (alpha[i] and ((i + 1 < n and _place_noun(tokens[i + 1], lex))
                                  or (i > 0 and _analyse(tokens[i - 1].form)[0] in lex.make_nouns)))
             for i, nv in enumerate(never)]
    alpha = [a and not nv for a, nv in zip(alpha, never, strict=True)]
    for i, t in enumerate(tokens):
        if not alpha[i] or kept(t):
            continue
        if latin[i] or _sure_name(t, lex, guess_ru[i]) or (_maybe_name(t, lex, guess_ru[i])
                                               and _capitalised_mid_sentence(text, tokens, i)
                                               and not _not_name(t, lex)):
            is_name[i] = True
        elif (kz[i] or kazakh_text) and guess[i] and _capitalised_mid_sentence(text, tokens, i) \
                and not _not_name(t, lex) and not _kz_place(t.form) and (kz[i] or not _common_word(t, lex)):
            is_name[i] = True   # a Kazakh word, capital mid-sentence: a name (not a Russian noun: «Пульсар»)
    # address position: «Ирлан, назовите лицевой счёт», «хорошо, Тимур, ...», «алия вы меня слышите»
    for i, t in enumerate(tokens):
        # (a word with a Kazakh letter on the guess only when written with a capital: «қазір сізді...» is «now»)
        if alpha[i] and not is_name[i] and not kept(t) and _vocative(
                tokens, i, lex, guess[i] and (not kz[i] or text[t.start:t.start + 1].isupper())):
            is_name[i] = True
    # a name opening a sentence, its verb right after it: «Дилноза звонила вчера», «Асқар сказал» (a word the
    # dictionary knows only as something else is no name: «Мастер пришёл», «Вчера звонила»)
    for i, t in enumerate(tokens[:-1]):
        if alpha[i] and not is_name[i] and not kept(t) and (i == 0 or tokens[i - 1].form in SENTENCE_END) \
                and (text[t.start:t.start + 1].isupper() or not cased) and _finite_verb(tokens[i + 1]) \
                and not _not_name(t, lex) and len(t.form) >= 3 \
                and (_kz_name(t.form, lex) or _kz_spelled_name(t.form, lex) or (_maybe_name(t, lex, guess_ru[i]) and (
                    not event_verb(tokens[i + 1]) or _sure_name(t, lex, False)))):   # (not «опрессовка будет 12.06»)
            is_name[i] = True
    # a Kazakh name before a word only a person has: «Қанат екеуміз» (Kanat and I), «Әлиханның үйі» (Alikhan's house)
    for i, t in enumerate(tokens[:-1]):
        nxt = tokens[i + 1].form
        if alpha[i] and not is_name[i] and not kept(t) and not _not_name(t, lex) \
                and (_kz_name(t.form, lex) or _kz_spelled_name(t.form, lex)) \
                and (nxt in lex.person_words_after or (t.form.endswith(_GENITIVE) and nxt in lex.possessed_words)):
            is_name[i] = True
    # a listed name right after a finite verb: «звонила нұрлан», «сказала Айгүл» (the subject said after its verb), or
    # a surname's ending on a word the dictionary does not know: «звонит мамбетов» (lowercase; capitals: found above)
    for i in range(1, n):
        t = tokens[i]
        if alpha[i] and not is_name[i] and not kept(t) and _finite_verb(tokens[i - 1]) and not _not_name(t, lex) \
                and (_kz_name(t.form, lex) or _kz_spelled_name(t.form, lex)
                     or (guess_ru[i] and unknown_surname_after(t, tokens[i - 1]))):
            is_name[i] = True
    # a listed name before «мен», «және», «и» and another name: «Дәурен мен Асқар»
    for i, t in enumerate(tokens[:-2]):
        if alpha[i] and not is_name[i] and not kept(t) and tokens[i + 1].form in _AND and is_name[i + 2] \
                and (_kz_name(t.form, lex) or _kz_spelled_name(t.form, lex)) and not _not_name(t, lex):
            is_name[i] = True
    # an honorific after a name: «Айгүл апай», «Серик аға», «Динара ханым»; in text written with capitals a
    # capitalised noun too, whatever else the dictionary reads in it («Баян ханым»: an accordion)
    for i, t in enumerate(tokens[:-1]):
        if alpha[i] and not is_name[i] and not kept(t) and tokens[i + 1].form in lex.honorifics \
                and (_maybe_name(t, lex, guess[i]) or (cased and _capitalised(text, t) and len(t.form) >= 3
                                                        and _analyse(t.form)[1] not in STOP_POS)) \
                and not _not_name(t, lex) and t.form not in lex.honorifics:
            is_name[i] = True
        elif alpha[i] and not is_name[i] and not kept(t) and tokens[i + 1].form in lex.kin_words \
                and (_kz_name(t.form, lex) or _kz_spelled_name(t.form, lex)) and not _not_name(t, lex):
            is_name[i] = True   # a listed name before a kinship word: «Қуаныш інім», «Жанар сіңлім»
    # ambiguous words next to a sure name: «Надежда Петровна»; a short word written with a capital right after
    # a name, whatever the dictionary reads in it: a Korean or Chinese name's syllable («Ким Ен Сук», «Ли Хи Чоль»);
    # and, in text written with capitals, a capitalised word next to a name that the dictionary does not know
    # («Фризен Ольга»: pymorphy3 guesses an adjective) or that is a short surname («Ни Людмила», «Ем Ирина»)
    for i, t in enumerate(tokens):
        if not alpha[i] or is_name[i] or kept(t) or _cue_word(t, lex):
            continue
        beside = (i > 0 and is_name[i - 1]) or (i + 1 < n and is_name[i + 1])
        if (_maybe_name(t, lex, guess_ru[i]) and beside) \
                or (i > 0 and is_name[i - 1] and 1 < len(t.form) <= _SYLLABLE_NAME and cased
                    and _capitalised_mid_sentence(text, tokens, i) and not _not_name(t, lex, places=False)) \
                or (beside and cased and _capitalised(text, t) and not _not_name(t, lex)
                    and (t.form in lex.short_surnames or (not _analyse(t.form)[3] and guess[i]))) \
                or (beside and not cased and t.form in lex.short_surnames and not _not_name(t, lex)
                    and i + 1 < n and is_name[i + 1]) \
                or (beside and not cased and guess_ru[i] and not _analyse(t.form)[3] and not _not_name(t, lex)
                    and len(t.form) >= 4 and not _HYPHENATED_WORD.search(t.form)) \
                or (beside and cased and guess_ru[i] and surname_read_as_a_case(text, tokens, i)
                    and not _not_name(t, lex)):   # (not in a Kazakh line: «Кеше Ақбөпемен сөйлестім»)
            is_name[i] = True   # («госпожа фризен ольга»; «Фрезе Наталья»: a surname the dictionary reads as «фреза»)
    # a word spelled letter by letter is a name: «Кох через ха», «Ильяс через и», «Асель с мягким знаком»
    for i in range(n - 2):
        t = tokens[i]
        if _spelled_out(tokens, i + 1, lex) and alpha[i] and not is_name[i] and not kept(t) and len(t.form) >= 2 \
                and not _cue_word(t, lex) and not (_analyse(t.form)[3] and _analyse(t.form)[1] in STOP_POS) \
                and not _common_word(t, lex):
            is_name[i] = True
    # a word written with a capital right before a first name and a patronymic is the surname: a short surname
    # («Сим Александра Павловна», «Тё Марина Сергеевна»), mid-sentence a word that is no function word or
    # adjective («звонила Шмидт Анна Петровна»), opening a sentence one the dictionary does not know or knows as a
    # name (not «Вот», «Уважаемая», «Директор»); in lowercase text a word with a surname's ending the dictionary
    # does not know or knows as a name («холматов бобур улугбекович»)
    for i in range(n - 2):
        t = tokens[i]
        if not (is_name[i + 1] and is_name[i + 2] and alpha[i] and not is_name[i] and not kept(t)
                and _patronymic(tokens[i + 2]) and not _cue_word(t, lex)):
            continue
        _, pos, name, known = _analyse(t.form)
        if not cased and len(t.form) >= 5 and t.form.endswith(_SURNAME_ENDINGS) and (not known or name >= 0.3):
            is_name[i] = True
        elif not (cased and _capitalised(text, t)):
            continue
        elif t.form in lex.short_surnames or (not known or name >= 0.3) or (
                _capitalised_mid_sentence(text, tokens, i) and pos not in STOP_POS | {"ADJF", "PRTF"}):
            is_name[i] = True
    # a Kazakh patronymic after a word that may be a name makes both one, whatever the case: «нұржан серікұлы»
    for i in range(1, n):
        if alpha[i] and alpha[i - 1] and not is_name[i - 1] and len(tokens[i].form) >= 6 \
                and _KZ_PATRONYMIC.search(tokens[i].form) and not kept(tokens[i - 1]) \
                and (_kz_name(tokens[i - 1].form, lex) or _kz_spelled_name(tokens[i - 1].form, lex)
                     or (i > 1 and is_name[i - 2])):   # between the surname and it: «оспанов ерғали қайратұлы»
            is_name[i - 1] = is_name[i] = True
    # the cue said after the name, opening a sentence: «Фризен фамилия, Ирина Генриховна», «шин фамилия», «гуля это
    # я», «Сапарова менің тегім» (a word the dictionary knows only as something else is none: «Ваша фамилия?»)
    for i in range(n - 1):
        if alpha[i] and not is_name[i] and not kept(tokens[i]) and (i == 0 or tokens[i - 1].form in SENTENCE_END) \
                and _cue_follows(tokens, i + 1) and not _cue_word(tokens[i], lex) and not _not_name(tokens[i], lex) \
                and tokens[i].form not in _CUE_SKIP and tokens[i].form not in _POSSESSIVES \
                and (tokens[i].form in lex.short_surnames or not _common_word(tokens[i], lex)) \
                and (_analyse(tokens[i].form)[1] not in STOP_POS or not _analyse(tokens[i].form)[3]):
            is_name[i] = True

    def take_after_cue(j: int, skip: frozenset[str]) -> None:
        while j < n and tokens[j].form in skip and not is_name[j]:
            j += 1
        for _ in range(_INITIALS):   # initials before the surname: «меня зовут А.С. Исмаилова» (they join its span)
            if j + 1 < n and tokens[j].end - tokens[j].start == 1 and tokens[j].is_word and tokens[j + 1].form == "." \
                    and (text[tokens[j].start].isupper() or not cased):
                j += 2
        taken = 0
        while j < n and taken < 3 and tokens[j].is_word and not kept(tokens[j]) and not _cue_word(tokens[j], lex) \
                and tokens[j].form not in NUMBER_WORDS \
                and (_analyse(tokens[j].form)[1] not in STOP_POS or not _analyse(tokens[j].form)[3]) \
                and (not _common_word(tokens[j], lex)   # (but a noun written with a capital: «меня зовут Баян»)
                     or (taken == 0 and cased and _capitalised_mid_sentence(text, tokens, j))) \
                and (taken == 0 or not kz[j] or _kz_spelled_name(tokens[j].form, lex)
                     or _kz_name(tokens[j].form, lex) or text[tokens[j].start:tokens[j].start + 1].isupper()
                     or (len(tokens[j].form) >= 6 and tokens[j].form.endswith(_SURNAME_ENDINGS))):   # «серікбаев»
            # after the first word, a Kazakh word (the dictionary cannot judge it) only as a listed name,
            # a patronymic or written with a capital: «есімім Арман Серікұлы», not «есімім арман есептегіштен»
            is_name[j] = True
            j += 1
            taken += 1

    # a question for a name just before: the answer opens with one
    if asked:
        take_after_cue(0, _CUE_SKIP | _ANSWER_SKIP)
    # cue phrases: «меня зовут ...», «фамилия ...» (strong), «это ...» (weak)
    for i in range(n):
        if i and is_name[i - 1] and tokens[i].form in _PATRONYMIC_WORDS:   # «Айгерим Серік қызы», «Рашид оглы»
            is_name[i] = True
            continue
        if not alpha[i]:
            continue
        j = _match_cue(tokens, i, lex.name_cues_strong, lex)
        if j >= 0:
            take_after_cue(j, _CUE_SKIP)
            continue
        j = _match_cue(tokens, i, lex.name_cues_weak, lex)
        if 0 <= j < n and not kept(tokens[j]) and _maybe_name(tokens[j], lex, guess_ru[j]) \
                and not _not_name(tokens[j], lex):
            _, _, name, known = _analyse(tokens[j].form)
            if (known and name > 0) or (guess_ru[j] and not known) or _kz_name(tokens[j].form, lex) \
                    or _kz_spelled_name(tokens[j].form, lex):
                is_name[j] = True
    # once every pass has run: a listed name right beside a name found so («абонент дәулетова ақмарал»: the surname
    # after the cue, then its first name), the first name right before a patronymic («ақниет серікқызы»), and in
    # lowercase text a Korean name's short syllables after its surname («ким ен сук»)
    for order in (range(n), range(n - 1, -1, -1)):
        for i in order:
            t = tokens[i]
            if not alpha[i] or is_name[i] or not ((i > 0 and is_name[i - 1]) or (i + 1 < n and is_name[i + 1])) \
                    or kept(t) or _cue_word(t, lex) or _not_name(t, lex):
                continue
            beside = (i > 0 and is_name[i - 1]) or (i + 1 < n and is_name[i + 1])
            known_pos = _analyse(t.form)[1] if _analyse(t.form)[3] else ""
            if (beside and (_kz_name(t.form, lex) or _kz_spelled_name(t.form, lex))) \
                    or (i + 1 < n and is_name[i + 1] and _patronymic(tokens[i + 1]) and len(t.form) >= 3
                        and known_pos not in STOP_POS and not _common_word(t, lex)) \
                    or (not cased and i > 0 and is_name[i - 1] and 1 < len(t.form) <= 3 and (  # (a third: «пак ен хи»)
                        (tokens[i - 1].form in lex.short_surnames and known_pos not in STOP_POS) or (i > 1 and is_name[
                            i - 2] and tokens[i - 2].form in lex.short_surnames and known_pos not in _THIRD_STOP))):
                is_name[i] = True
    # the words before a street word said after them name a street, not a person: «на Жибек Жолы», «Абай көшесі»
    for i in range(1, n):
        if tokens[i].form in lex.street_words_after and alpha[i - 1]:
            is_name[i] = False
            j = i - 1
            while j >= 0 and i - j <= _STREET_NAME_WORDS and (is_name[j] or tokens[j].form in lex.street_titles):
                is_name[j] = False
                j -= 1
    # a lone word right after «из», «в» names a place: «звоню из Алмалы», «живу в Медеу» (not «из Алматы Иванова»:
    # a name beside it)
    for i in range(1, n):
        if is_name[i] and tokens[i - 1].form in _PLACE_PREPOSITIONS and not (i + 1 < n and is_name[i + 1]):
            is_name[i] = False
    # an honorific is said to a person, never her name: «Апа, мен Ларисаның қызымын» (mother, I am Larisa's daughter);
    # a word right before a model's code is its make: «Бетар СГВ-15», «Itron KM-15»
    for i, t in enumerate(tokens):
        is_name[i] = is_name[i] and t.form not in lex.honorifics and not _before_a_model(text, tokens, i, lex)
    found: list[PdSpan] = []
    i = 0
    while i < n:
        if is_name[i]:
            j = i
            while j + 1 < n and is_name[j + 1]:
                j += 1
            a, b = _initials(text, tokens, i, j)
            found.append(_span("name", text, a, b))
            i = j + 1
        else:
            i += 1
    return found
