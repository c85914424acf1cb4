"""The language of a call from its words: ``ru``, ``kk``, ``mixed`` or ``unknown`` (docs/CONTRACT.md section 1).

For transcripts that come without ``language`` (typed, or from another ASR).
A word votes Kazakh when only Kazakh has it (a letter of «әғқңөұүһі», or one of
the frequent Kazakh words written without one: ``rules/lexicons/kazakh.yaml``);
it votes Russian when the Russian dictionary (pymorphy3) knows it.  Names,
numbers and words neither side knows do not vote.  An utterance is in the
language with more votes (a tie leaves it open: it takes the call's language).
The call's words are counted by the language of their utterance — a Russian
loan inside a Kazakh sentence («пломбаны», «лицевой счетыңызды») is Kazakh
speech — and the call is ``mixed`` when each language has at least
``MIXED_SHARE`` of the words (and at least ``MIN_WORDS``: one «рахмет» in a
short Russian call is no second language), ``unknown`` with fewer than ``MIN_WORDS`` words in
utterances whose language is known.
"""
from __future__ import annotations

from functools import lru_cache

from rules import kazakh
from rules.text import TOKEN, morph, normal

MIXED_SHARE = 0.10   # docs/CONTRACT.md section 1: each language in at least 10 % of the words
MIN_WORDS = 3        # fewer words that vote: the language is unknown


@lru_cache(maxsize=200_000)
def vote(form: str) -> str | None:
    """``kk``, ``ru`` or None (a name, a number, a word neither side knows) for one normalised word."""
    if not form[0].isalpha():
        return None
    if kazakh.is_kazakh_word(form):
        return "kk"
    if len(form) > 1 and morph().word_is_known(form):
        return "ru"
    return None


@lru_cache(maxsize=300_000)
def form_vote(form: str) -> str | None:
    """A normalised word or number: ``kk``, ``ru`` or '' (it does not vote), None when it is no word."""
    if not form[0].isalpha():
        return None
    return vote(form) or ""


def votes_of(forms: list[str]) -> tuple[int, int, int]:
    """(Kazakh votes, Russian votes, words) of the normalised forms of a text's words and numbers
    (``rules.text.Token.form``)."""
    return tally(list(map(form_vote, forms)))


def tally(votes: list[str | None]) -> tuple[int, int, int]:
    """(Kazakh votes, Russian votes, words) of the words' ``form_vote`` answers."""
    return votes.count("kk"), votes.count("ru"), len(votes) - votes.count(None)


def word_votes(text: str) -> tuple[int, int, int]:
    """(Kazakh votes, Russian votes, words) of one text."""
    return votes_of([normal(w) for w in TOKEN.findall(text)])


def utterance_language(text: str) -> str | None:
    """``kk`` or ``ru`` by the words' votes; None when neither side has more."""
    kk, ru, _ = word_votes(text)
    if kk > ru:
        return "kk"
    if ru > kk:
        return "ru"
    return None


def call_language(texts: list[str], given: list[str | None] | None = None) -> tuple[str, list[str | None]]:
    """(the call's language, each utterance's language) from the utterances' texts.

    ``given``: utterance languages already known (from the ASR); they are kept.
    """
    return language_of([word_votes(text) for text in texts], given)


def language_of(votes: list[tuple[int, int, int]], given: list[str | None] | None = None
                ) -> tuple[str, list[str | None]]:
    """``call_language`` from each utterance's ``word_votes``."""
    langs: list[str | None] = []
    words = {"kk": 0, "ru": 0}
    open_words = 0
    for i, (kk, ru, n) in enumerate(votes):
        lang = given[i] if given and given[i] else ("kk" if kk > ru else "ru" if ru > kk else None)
        langs.append(lang)
        if lang:
            words[lang] += n
        else:
            open_words += n
    total = words["kk"] + words["ru"]
    if total < MIN_WORDS:
        return "unknown", langs
    minority = min(words.values())
    if minority >= MIN_WORDS and minority >= MIXED_SHARE * (total + open_words):
        return "mixed", langs
    return ("kk" if words["kk"] > words["ru"] else "ru"), langs
