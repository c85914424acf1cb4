"""Whether what was said just before asks for an address («Назовите адрес.», «По какому адресу?», «Где вы
живёте?», «Мекенжайыңыз?») or for the house or the flat («Квартира?», «Пәтер нөмірі?»): then the answer opens with
one (``rules.privacy.addresses``)."""
from __future__ import annotations

from rules.privacy.lexicon import Lexicon, last_sentence_words
from rules.privacy.lexicon import analyse as _analyse
from rules.text import Token


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
