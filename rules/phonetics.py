"""Key phrases matched by sound: how a recogniser bends «здравствуйте» or «сәлеметсіз бе».

A speech recogniser that mishears a word writes something that *sounds* like
it, split or joined at other places: «сдрапствуйте», «здраствуйте», «три
меттизбе» for «сәлеметсіз бе», «до свиданье».  Instead of listing such
spellings one recording at a time, a phrase and a stretch of text are both
reduced to a coarse phonetic key and compared by edit distance:

* Russian and Kazakh letters are transliterated to a small alphabet in which
  sounds a telephone line or a recogniser confuses fall together: voiced and
  voiceless pairs (з/с/ц, д/т, б/п, в/ф, г/к/х/қ/ғ, ж/ш/щ/ч), unstressed
  vowels (о/а/ә, е/э/и/ы/і/я, у/ю/ұ/ү/ө); soft and hard signs and «й» drop out;
  doubled letters collapse.
* Around a word the dictionary does not know (how a bent word looks) — the
  word and as many whole neighbours as the phrase's length reaches, their keys
  joined, so a phrase split or joined differently still matches — a phrase
  matches when some substring is within ``max_distance`` (a share of the
  phrase key's length) of the phrase's key: an edit distance with free ends.
* Dictionary words are what the recogniser heard: a run of them must match the
  phrase whole, within half that distance.  An inflection («спасибо за
  обращения») still counts; another phrase of real words («спасибо за
  ожидание»), or the middle of other words («обращайтесь в отдел кадров» for
  «всего доброго»), does not.  Without a dictionary every word may be bent.

Used for the words whose *absence* a rule judges (a greeting, a farewell, a
request field's cue): a false match there only spares a violation, never
invents one.  It is not used to find violations.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate
from operator import add

import numpy as np
from edlib import align as _align
from rapidfuzz.distance import LCSseq, Levenshtein
from rapidfuzz.process import cdist, extract, extractOne

_MAP = {
    "а": "a", "о": "a", "ә": "a", "я": "a",
    "е": "e", "ё": "e", "э": "e", "и": "e", "ы": "e", "і": "e",
    "у": "u", "ю": "u", "ұ": "u", "ү": "u", "ө": "u",
    "б": "p", "п": "p", "в": "f", "ф": "f", "г": "k", "к": "k", "х": "k", "қ": "k", "ғ": "k", "һ": "k",
    "д": "t", "т": "t", "з": "s", "с": "s", "ц": "s", "ж": "w", "ш": "w", "щ": "w", "ч": "w",
    "л": "l", "м": "m", "н": "n", "ң": "n", "р": "r", "й": "", "ь": "", "ъ": "",
}


_ARRAY_SCREEN = 32  # phrases from which one array of common subsequences is cheaper than a list of the close ones


@lru_cache(maxsize=100_000)
def key(text: str) -> str:
    """The phonetic key of a word or phrase: transliterated, confusable sounds merged, no spaces or doubles."""
    out = []
    for ch in text.lower():
        k = _MAP.get(ch)
        if k is None:
            k = ch if "a" <= ch <= "z" else ""
        if k and (not out or out[-1] != k):
            out.append(k)
    return "".join(out)


def distance(phrase_key: str, text_key: str) -> float:
    """The smallest edit distance between ``phrase_key`` and any substring of ``text_key``, over the phrase's length
    (Sellers' approximate substring matching: the text's ends are free)."""
    n = len(phrase_key)
    if not n:
        return 1.0
    return _least_edits(phrase_key, text_key, -1) / n


def _least_edits(phrase_key: str, text_key: str, enough: int) -> int:
    """The least edits turning ``phrase_key`` into a substring of ``text_key`` (Sellers' table, computed by edlib's
    infix alignment, Myers' bit-parallel algorithm in C); ``enough + 1`` when the least is more than ``enough``
    (-1: no bound, the least is wanted)."""
    if not text_key:
        return len(phrase_key)
    got = _align(phrase_key, text_key, mode="HW", task="distance", k=enough)["editDistance"]
    return enough + 1 if got < 0 else got


@lru_cache(maxsize=4096)
def _prepared(phrases_keys: tuple[str, ...], max_distance: float, min_key: int
              ) -> tuple[tuple[str, int, int, int, int], ...]:
    """Each phrase key long enough, with its length, the edits a run of whole words may differ by, the edits a
    stretch around a bent word may, and the larger of the two: worked out once per list of phrases, not per
    utterance."""
    out = []
    for pk in phrases_keys:
        n = len(pk)
        if n >= min_key:
            limit, edits = int(max_distance / 2 * n), _edits(n, max_distance)
            out.append((pk, n, limit, edits, max(limit, edits)))
    return tuple(out)


@lru_cache(maxsize=4096)
def _screen(phrases_keys: tuple[str, ...], max_distance: float, min_key: int
            ) -> tuple[tuple, tuple[str, ...], int, tuple[int, ...], np.ndarray, int]:
    """``_prepared``, its keys alone, the least common subsequence any of them needs to pass the
    whole-utterance shortcut (0 when one always passes), the one each needs (a tuple and an array), and the
    longest key."""
    plan = _prepared(phrases_keys, max_distance, min_key)
    need = tuple(n - most if most < n else 0 for _, n, _, _, most in plan)
    return (plan, tuple(p[0] for p in plan), min(need, default=0), need, np.array(need, dtype=np.int32),
            max((p[1] for p in plan), default=0))


@lru_cache(maxsize=4096)
def _edits(n: int, max_distance: float) -> int:
    """The most edits e of a phrase of n sounds with e / n <= max_distance, as the float division decides it."""
    k = int(max_distance * n)
    while k + 1 <= n and (k + 1) / n <= max_distance:
        k += 1
    while k >= 0 and k / n > max_distance:
        k -= 1
    return k


def _within(phrase_key: str, text_key: str, max_distance: float) -> bool:
    """``distance(phrase_key, text_key) <= max_distance``, stopping at the first substring close enough."""
    n = len(phrase_key)
    if not n:
        return max_distance >= 1.0
    k = _edits(n, max_distance)
    if k < 0:
        return False
    return _least_edits(phrase_key, text_key, k) <= k


def sounds_like(phrases_keys: tuple[str, ...], words: list[str], max_distance: float = 0.25,
                min_key: int = 5, known: Callable[[str], bool] | None = None) -> bool:
    """Whether one of the phrases (given by their keys) is heard in ``words`` (the surface forms of a stretch).

    ``known`` tells a dictionary word.  Around a bent word (one it does not know) a phrase is searched with free
    ends within ``max_distance``; a run of dictionary words must match the phrase whole, within half of it.
    Without ``known`` every word counts as possibly bent."""
    return Heard(words, known).like(phrases_keys, max_distance, min_key)


class Heard:
    """A stretch of words made ready for ``sounds_like`` questions: its words' keys, its bent words and the keys
    around them are worked out once, however many phrases (and rules) ask (``rules.text.Utt.heard``)."""

    __slots__ = ("_around", "_bent", "_ends", "_grams", "_laid", "_runs_by", "_zones", "keys", "known", "whole",
                 "words")

    def __init__(self, words: list[str], known: Callable[[str], bool] | None = None) -> None:
        self.words = words
        self.known = known
        self.keys = list(map(key, words))
        self.whole = "".join(self.keys)  # every stretch's key below is a subsequence of it
        self._bent: list[int] | None = None
        self._ends: list[int] | None = None
        self._laid: tuple[str, list[int], list[int]] | None = None
        self._grams: set[str] | None = None
        self._around: dict[int, list[str]] = {}
        self._runs_by: dict[int, list[str]] = {}
        self._zones: dict[int, str] = {}

    def like(self, phrases_keys: tuple[str, ...], max_distance: float = 0.25, min_key: int = 5) -> bool:
        """``sounds_like(phrases_keys, words, max_distance, min_key, known)`` of these words."""
        whole = self.whole
        plan, pks, least, need, needs, longest = _screen(phrases_keys, max_distance, min_key)
        if not plan:
            return False
        zone = None
        # each sound of the phrase outside a common subsequence costs an edit: if the whole utterance leaves more
        # than either test allows, no stretch of it can pass (a shortcut; the tests below decide).  Every phrase's
        # common subsequence with the utterance in one C loop; the phrases below the least bound never come back.
        # The answer is whether any phrase passes: the order they are tried in does not change it
        if len(pks) < _ARRAY_SCREEN:
            sims = [(sim, k) for _, sim, k in extract(whole, pks, scorer=LCSseq.similarity, score_cutoff=least,
                                                      limit=None) if sim >= need[k]]
        else:  # a long list: every phrase's common subsequence into one array, compared with what each needs at once
            got = cdist((whole,), pks, scorer=LCSseq.similarity, dtype=np.int32)[0]
            sims = [(int(got[k]), k) for k in np.flatnonzero(got >= needs).tolist()]
        for sim, k in sims:
            pk, n, limit, edits, _ = plan[k]
            if zone is None:
                zone = self._zone(longest)
            # a stretch around a bent word is a subsequence of the zone, the words around every bent word as far
            # as the longest phrase reaches: a common subsequence with it bounds the stretches' (a shortcut)
            if zone and LCSseq.similarity(pk, zone) >= n - edits:
                # the keys around each bent word within ``edits`` by common subsequence (one C loop), then the test
                for around, _, _ in extract(pk, self._arounds(n), scorer=LCSseq.similarity, score_cutoff=n - edits,
                                            limit=None):
                    if _within(pk, around, max_distance):
                        return True
            # a run within ``limit`` edits of the phrase has all its sounds but ``limit`` in common with it, and it
            # is a subsequence of the whole utterance's keys (a shortcut)
            if sim < n - limit:
                continue
            grams = self._grams
            if grams is None:  # the sound pairs said anywhere in the utterance (every run's key is a stretch of it)
                said = self._layout()[0]
                grams = self._grams = set(map(add, said, said[1:]))  # each sound with the next
            # an edit spoils at most two of the phrase's sound pairs: a run within ``limit`` edits of the phrase has
            # all of them but 2 × limit (a shortcut; the run test decides)
            if len(_pairs(pk) - grams) > 2 * limit:
                continue
            if extractOne(pk, self._runs(n + limit), scorer=Levenshtein.distance, score_cutoff=limit) is not None:
                return True
        return False

    def _bent_words(self) -> list[int]:
        """The words the dictionary does not know (every word without ``known``)."""
        bent = self._bent
        if bent is None:
            known = self.known
            bent = self._bent = [i for i, w in enumerate(self.words) if known is None or not known(w)]
        return bent

    def _zone(self, reach: int) -> str:
        """The keys of the words around every bent word (``_around``), as far as ``reach`` sounds, joined as they
        were said (no joint collapsed), each stretch once ('' without a bent word): every stretch ``_arounds``
        gives for a reach up to ``reach`` is a subsequence of it."""
        got = self._zones.get(reach)
        if got is None:
            bent = self._bent_words()
            parts, upto = [], -1
            if bent:
                ends = self._word_ends()
                for b in bent:
                    i, j = _around(ends, b, reach)
                    lo, hi = ends[max(i, upto)], ends[j]  # stretches that overlap are one
                    if hi > lo:
                        parts.append(self.whole[lo:hi])
                    upto = max(upto, j)
            got = self._zones[reach] = "".join(parts)
        return got

    def _word_ends(self) -> list[int]:
        """0, then where each word's key ends in the keys joined as said (``whole``)."""
        ends = self._ends
        if ends is None:
            ends = self._ends = [0, *accumulate(map(len, self.keys))]
        return ends

    def _arounds(self, reach: int) -> list[str]:
        """The keys of the words around each bent word (``_around``: as many whole neighbours as fit within
        ``reach`` sounds), kept per ``reach``."""
        got = self._around.get(reach)
        if got is None:
            bent = self._bent_words()
            if not bent:
                got = self._around[reach] = []
                return got
            keys, ends = self.keys, self._word_ends()  # a stretch's length is a difference of two ends
            said, starts, first = self._layout()
            got = self._around[reach] = []
            for i, j in (_around(ends, b, reach) for b in bent):
                # words i..j-1 joined (``_joined(keys[i:j])``): the first one with a key whole, then what the others
                # add to the whole utterance's joined key
                f = first[i]
                got.append(keys[f] + said[starts[f + 1]:starts[j]] if f < j else "")
        return got

    def _layout(self) -> tuple[str, list[int], list[int]]:
        """The key of all the words joined (``_joined(keys)``), where each word's part of it starts (one more: its
        end), and for each word the first word from it on with a non-empty key (len(keys): none); worked out once."""
        got = self._laid
        if got is None:
            parts, starts, last, at = [], [0], "", 0
            for k in self.keys:
                if k:
                    if k[0] == last:
                        k = k[1:]
                    last = k[-1] if k else last
                parts.append(k)
                at += len(k)
                starts.append(at)
            first = [len(self.keys)] * (len(self.keys) + 1)
            for m in range(len(self.keys) - 1, -1, -1):
                first[m] = m if self.keys[m] else first[m + 1]
            got = self._laid = ("".join(parts), starts, first)
        return got

    def _runs(self, reach: int) -> list[str]:
        """The keys of every run of whole words i..j whose keys are at most ``reach`` sounds long (plus one for
        each joint: a doubled sound at a joint may collapse), kept per ``reach``."""
        runs = self._runs_by.get(reach)
        if runs is None:
            keys = self.keys
            runs = []
            for i in range(len(keys)):
                length = 0
                run = ""
                for j in range(i, len(keys)):
                    kj = keys[j]
                    length += len(kj)
                    if length > reach + j - i:
                        break
                    # the key of words i..j joined: their keys, a sound doubled across a joint said once
                    run = run + kj[1:] if run and kj and run[-1] == kj[0] else run + kj
                    runs.append(run)
            self._runs_by[reach] = runs
        return runs


def _joined(keys: list[str]) -> str:
    """The key of the words joined, from their keys: a sound doubled across a joint said once."""
    parts, last = [], ""
    for k in keys:
        if k:
            parts.append(k[1:] if k[0] == last else k)
            last = k[-1]
    return "".join(parts)


@lru_cache(maxsize=4096)
def _pairs(phrase_key: str) -> frozenset[str]:
    return frozenset(phrase_key[i:i + 2] for i in range(len(phrase_key) - 1))


def _around(ends: list[int], b: int, reach: int) -> tuple[int, int]:
    """The words around word ``b``: as many whole neighbours on each side as fit within ``reach`` sounds
    (``ends``: 0, then where each word's key ends in the keys joined; the words i..j-1 take ends[j] - ends[i])."""
    return bisect_left(ends, ends[b] - reach, 0, b), bisect_right(ends, ends[b + 1] + reach, b + 1) - 1


def phrase_keys(phrases) -> tuple[str, ...]:
    """The keys of the rulebook's phrases (spaces dropped), long enough to mean something."""
    return tuple(dict.fromkeys(key(str(p).replace(" ", "")) for p in phrases))
