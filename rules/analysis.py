"""A call's utterances analysed at one memo lookup per word: what ``rules.call`` builds a ``Call`` from.

Everything the analysis knows of a word depends on the word as written and nothing else: its normal form, lemma,
flags and other lemmas (``rules.text``: the Kazakh stem for a word with a Kazakh letter, as ``analyse_text`` reads
a text without a language) and its language vote (``rules.language``).  So each distinct word is worked out once
and kept in one dictionary (``MEMO_WORDS`` words at most: the memo starts again when full), and an utterance costs
one regular-expression pass and a few C-level maps over its words, as ``tokenise and look each word up`` costs the
floor of ``bench/check_speed.py``.  The results equal ``analyse_text`` and ``votes_of`` word for word
(``tests/test_rules_analysis.py``).
"""
from __future__ import annotations

from operator import itemgetter

from rules.language import form_vote
from rules.text import TOKEN_PUNCT, word_info_mixed

MEMO_WORDS = 300_000
_MEMO: dict[str, tuple] = {}   # word as written → ((form, lemma, flags, other lemmas), language vote)
_info_of, _vote_of = itemgetter(0), itemgetter(1)
_NOTHING: tuple = ([], [], [])


def _word(w: str) -> tuple:
    """(``analyse_text``'s info of ``w`` read without a language, ``form_vote`` of its form)."""
    info = word_info_mixed(w)
    return info, form_vote(info[0])


def analyse(text: str) -> tuple[tuple, list[str | None]]:
    """(``analyse_text(text)``, each word's ``rules.language.form_vote``), from the memo."""
    pairs = TOKEN_PUNCT.findall(text)
    if not pairs:
        return _NOTHING, []
    raw, puncts = zip(*pairs, strict=True)
    memo = _MEMO
    got = list(map(memo.get, raw))
    if not all(got):  # a word not seen yet (or the memo started again): a None among the pairs
        if len(memo) > MEMO_WORDS:
            memo.clear()
        for i, w in enumerate(raw):
            if got[i] is None:
                got[i] = memo.get(w) or memo.setdefault(w, _word(w))
    return (list(raw), list(puncts), list(map(_info_of, got))), list(map(_vote_of, got))
