"""Whether what was said just before asks for an address («Назовите адрес.», «По какому адресу?», «Где вы
живёте?», «Мекенжайыңыз?») or for the house or the flat («Квартира?», «Пәтер нөмірі?»): then the answer opens with
one (``rules.privacy.addresses``)."""
from __future__ import annotations

from rules.privacy.lexicon import SENTENCE_END, Lexicon, PdSpan, last_sentence_words
from rules.privacy.lexicon import analyse as _analyse
from rules.privacy.name_words import _place
from rules.text import Token, morph


def _address_word(t: Token, lex: Lexicon) -> bool:
    return t.is_word and (_analyse(t.form)[0] in lex.address_cues or t.form.startswith(lex.address_cue_stems))


def asked_for_an_address(ctx: list[Token], lex: Lexicon, last_words: int = 8) -> bool:
    """Whether the last sentence said just before asks for an address («Назовите адрес.», «По какому адресу?»,
    «Где вы живёте?», «Мекенжайыңыз?»): at most its last words («Адрес: Абая, 5? Диктуйте показания.» does not)."""
    words = last_sentence_words(ctx)
    # a short question for the house or the flat: «Квартира?», «Калкаман, а дом и квартира?», «Үйіңіздің нөмірі?»
    # (not a question for a quantity or a value: «В квартире сколько комнат?», «Какая температура в квартире?»)
    # (a verb only by the dictionary: pymorphy3's guess for a Kazakh word is no reading of it, «пәтер» a "verb")
    house = len(words) <= _HOUSE_QUESTION_WORDS and any(_dwelling(t, lex) for t in words) and not any(
        (_analyse(t.form)[1] in ("VERB", "INFN") and _analyse(t.form)[3]) or t.form in _HOW_MANY
        or _analyse(t.form)[0] in lex.cues["value"] or t.form in lex.cues["value"]
        or _analyse(t.form)[0] in _NOT_THE_NUMBER or t.form.startswith(_KZ_NOT_THE_NUMBER) for t in words)
    # (a question with «сколько», «неше» asks for a quantity: «Үйде неше адам тұрады?» — how many live there)
    # (or a street's word in it: «Назовите улицу и номер дома.», «На какой улице?», «Көшеңіз қандай?»)
    return house or (any(_address_word(t, lex) or _street_word(t, lex) for t in words[-last_words:])
                     and not any(t.form in _HOW_MANY for t in words))


def _street_word(t: Token, lex: Lexicon) -> bool:
    return t.is_word and (t.form in ("улицу", "улице", "улица", "улицы") or t.form.startswith("көше")
                          or _analyse(t.form)[0] in ("проспект", "микрорайон"))


_HOUSE_QUESTION_WORDS = 5
_HOW_MANY = frozenset({"сколько", "қанша", "неше", "нешеу"})
# what a short question about a flat asks besides its number: «Какая температура в квартире?», «Этаж какой?»
_NOT_THE_NUMBER = frozenset({"температура", "градус", "комната", "этаж", "подъезд", "батарея", "площадь", "человек"})
# ...and in Kazakh, a word's stem with its endings: «бөлмесі» (room), «қабатта» (floor), «адам» (person)
_KZ_NOT_THE_NUMBER = ("бөлме", "қабат", "адам", "кіреберіс", "температура", "градус", "батарея", "радиатор")


def _dwelling(t: Token, lex: Lexicon) -> bool:
    return t.form in lex.dwelling_words or _analyse(t.form)[0] in lex.dwelling_words \
        or t.form.startswith(("үй", "пәтер"))


_STREET_ANSWER_WORDS = 3   # «Навои», «Толе би», «Кабанбай батыра»
_ANSWER_FILLERS = frozenset({"да", "ну", "это", "вот", "там", "иә", "у", "нас", "меня", "на"})


def street_answer(text: str, tokens: list[Token], ctx: list[Token], lex: Lexicon) -> list[PdSpan]:
    """The answer to a question for the street alone («Улица какая?», «На какой улице?», «Көшеңіз қандай?») that is
    the street's name, no number with it, alone or before a comma: «Навои», «да, Толе би», «Навои, а дом 15».  Its
    words: written with a capital, or (in text written in lowercase) words the dictionary does not know; a street's
    word or title («улица», «көшесі», «би», «батыра») between them; no verb («Не помню», «Сейчас скажу» stay)."""
    words = last_sentence_words(ctx)
    if not words or not any(_street_word(t, lex) for t in words):
        return []
    lower = text == text.lower()
    k = 0
    while k < len(tokens) and (tokens[k].form in _ANSWER_FILLERS or tokens[k].form == ","):
        k += 1
    first, last, names = k, -1, 0
    for j in range(k, len(tokens)):
        t = tokens[j]
        if not t.is_word:
            if (t.form in SENTENCE_END and j == len(tokens) - 1) or t.form == "-":
                continue
            if t.form == "," and last >= 0:
                break   # the street's name, then more after a comma: «Навои, а дом 15», «Момышулы, возле рынка»
            return []
        raw = text[t.start:t.end]
        lemma, _, name, known = _analyse(t.form)
        titled = t.form in lex.street_titles or _street_word(t, lex) or lemma in lex.street_words \
            or t.form in lex.street_words_after
        # (a name, a place, a street's adjective «Садовая», or a word the dictionary does not know; not «Секунду»)
        if not titled and (not (lower or raw[:1].isupper()) or (known and not (
                name > 0 or _place(t.form) or {"ADJF", "femn", "nomn"} <= morph().parse(t.form)[0].tag.grammemes))):
            return []
        names += not titled
        last = j
    if last < 0 or not 0 < names <= _STREET_ANSWER_WORDS:
        return []
    a, b = tokens[first].start, tokens[last].end
    return [PdSpan("address", a, b, text[a:b])]


_CLAUSE_WORDS = 8   # words an address cue may close the clause after the street


def cue_closes_clause(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """An address cue said after the street, closing its clause in the Kazakh order: «мен байзакова 301 тұрамын»,
    «біз Абая 5, 12 тұрамыз», «мен Орбита-4, 27, 63 тұрамын» (the street then said bare, as when it opens a
    sentence)."""
    for t in tokens[i + 1:i + 1 + _CLAUSE_WORDS]:
        if t.form in SENTENCE_END:
            return False
        if _address_word(t, lex):
            return True
    return False


# what may stand between a house's number and the address cue that names it so: «Момышулы 2Г, это мой адрес»,
# «Коммунальная 13 — наш адрес», «Абая 5, менің мекенжайым»
_BEFORE_CUE = frozenset({",", "—", "–", "-", "это", "вот", "мой", "наш", "менің", "біздің", "бұл"})
_BEFORE_CUE_TOKENS = 4


def cue_said_after(tokens: list[Token], h: int, lex: Lexicon) -> bool:
    """An address cue right after the house's number at ``h``, or after a mark, «это» and a possessive."""
    for t in tokens[h:h + _BEFORE_CUE_TOKENS + 1]:
        if _address_word(t, lex):
            return True
        if t.form not in _BEFORE_CUE:
            return False
    return False
