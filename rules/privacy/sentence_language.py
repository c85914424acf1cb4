"""Whether a sentence is Kazakh, so that pymorphy3's guesses about its words say nothing of a name («бастап»,
«салады» have no Kazakh letter).  Numbers said in Kazakh do not count: a Russian sentence dictates its digits in
Kazakh as often («байжанов айдос лицевой нөл үш сегіз жеті …» is a Russian sentence)."""

from __future__ import annotations

from rules import kazakh
from rules.numbers import NUMBER_WORDS
from rules.privacy.lexicon import Lexicon
from rules.privacy.name_words import _kz_spelled_name
from rules.text import Token

KAZAKH_SHARE = 0.3   # a text with this share of Kazakh words is Kazakh: pymorphy3's guesses do not apply
_LEAST_WORDS = 2   # words other than numbers that judge the language alone; with fewer the numbers count too


def kazakh_sentence(tokens: list[Token], alpha: list[bool], lex: Lexicon) -> bool:
    """A share of ``KAZAKH_SHARE`` of the words (``alpha``) are Kazakh (a listed name in its Kazakh spelling is none),
    and not only its numbers when two other words or more are there to judge by."""
    every = [t for i, t in enumerate(tokens) if alpha[i]]
    kz = [kazakh.is_kazakh_word(t.form) and not _kz_spelled_name(t.form, lex) for t in every]
    words = [k for t, k in zip(every, kz, strict=True) if t.form not in NUMBER_WORDS]
    if len(words) >= _LEAST_WORDS and not any(words):
        return False   # only its numbers are Kazakh (not «…дробь екі қазақша айтайын»; too few words to judge:
    return sum(kz) >= KAZAKH_SHARE * max(1, len(every))   # «бастап екі мың жиырма»)
