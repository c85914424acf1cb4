"""How a street's name is said when no street word comes with it: in the genitive, for a person («Байтурсынова»,
«Абая», «Гоголя») or for a thing («из Дружбы 44»).  Used by ``rules.privacy.addresses``."""
from __future__ import annotations

from rules.privacy.lexicon import Lexicon
from rules.text import Token, morph

# the genitive of a surname, as streets named for a person are said: «Байтурсынова», «Толстого», «Гагарина»
_NAMED_AFTER = ("ова", "ева", "ёва", "ина", "ына", "ого", "его")


def _genitive_noun(text: str, t: Token) -> bool:
    """A noun in the genitive written with a capital after a preposition: a street named for a thing, not a person
    («из Дружбы 44», «с Победы 12»: улица Дружбы, Победы)."""
    return text[t.start:t.start + 1].isupper() and any(
        "NOUN" in p.tag and "gent" in p.tag and p.score >= 0.3 for p in morph().parse(t.form)[:2])


def _named_for_a_person(t: Token, lex: Lexicon) -> bool:
    """A word in the genitive a street named for a person is said in: a surname («Байтурсынова», «Толстого»,
    «Луганского») or a first name («Абая», «Манаса», «Райымбека», «Гоголя»)."""
    if not t.is_word or len(t.form) < 4:
        return False
    return t.form.endswith(_NAMED_AFTER) or _first_name_genitive(t, lex)


def _first_name_genitive(t: Token, lex: Lexicon) -> bool:
    """A man's name in the genitive: a listed name and «а»/«я» («Манаса», «Абая»), or so by the dictionary
    («Гоголя», «Райымбека»)."""
    if not t.form.endswith(("а", "я")) or len(t.form) < 4:
        return False
    key = ("genitive", t.form)
    got = lex.memo.get(key)
    if got is None:
        stem = t.form[:-1]
        got = lex.memo[key] = stem in lex.names or stem + "й" in lex.names or stem + "ь" in lex.names or any(
            "gent" in p.tag and "masc" in p.tag and ("Name" in p.tag or "Surn" in p.tag)
            for p in morph().parse(t.form)[:3])
    return got


def _street_adjective(text: str, t: Token) -> bool:
    """An adjective written with a capital in the feminine nominative names a street, «улица» left unsaid
    («Ташкентская 496 кв 15», «Садовая, дом 3»); not an ordinal («Первая»)."""
    return text[t.start:t.start + 1].isupper() and t.form.endswith(("ая", "яя")) and any(
        {"ADJF", "femn", "nomn"} <= p.tag.grammemes and "Anum" not in p.tag for p in morph().parse(t.form)[:2])


def after_place(text: str, tokens: list[Token], i: int) -> bool:
    """A comma after a place's name written with a capital or a place's word: «Нурлытау, Рыскулбекова 12», «мкр Горный
    Гигант, Жамакаева 254» (the street said bare after it, as when it opens a sentence)."""
    if i < 2 or tokens[i - 1].form != ",":
        return False
    k = i - 2   # (a numbered place: «Самал-2, Жолдасбекова 97»; a place's word: «Алмалинский район, Гоголя 86»)
    if k > 1 and tokens[k].is_digits and tokens[k - 1].form == "-" and tokens[k - 2].end == tokens[k - 1].start:
        k -= 2
    return tokens[k].is_word and (text[tokens[k].start].isupper() or tokens[k].form in _PLACE_WORDS)


_PLACE_WORDS = frozenset({"район", "микрорайон", "мкр", "посёлок", "поселок", "село", "ауданы", "ауылы", "қаласы"})


_PRIVATE = ({"частный", "частного", "жеке"}, {"дом", "сектор", "дома", "сектора", "үй", "үйі"})


def private_house(tokens: list[Token], h: int) -> bool:
    """«частный дом», «частный сектор», «жеке үй» right after a house's number (a comma between allowed): what the
    place is, so the street said bare before it names an address («Коммунальная 13 частный дом», «Ганди, 5, частный
    сектор»)."""
    h += h < len(tokens) and tokens[h].form == ","
    return h + 1 < len(tokens) and tokens[h].form in _PRIVATE[0] and tokens[h + 1].form in _PRIVATE[1]
