"""Phrase lists from the rulebook, matched against analysed utterances.

An entry is a phrase («как бы», «до свидания») or a mapping with the phrase
and its context exceptions, so that an auditor adds a word in the YAML and the
context stays data too::

    - как бы:
        unless_next: [вы, вам, вас]      # «как бы вы хотели» is not a filler
    - типа: {unless_prev_tag: [ADJ, NOUN]}  # «какого типа счётчик»

Matching survives ASR text: tokens are lowercase with «ё» as «е», a phrase of
several words also matches them written together («досвидания»), and a word of
``fuzzy_min`` letters or more matches with one typo (rapidfuzz Levenshtein).
``match: lemma`` compares dictionary forms (any case of «заявочка»);
``match: form`` compares the words as said (a vocative is in the nominative).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Levenshtein

from rules import text as T
from transcription.schema import OkaError

TAGS = {"ADJ": T.ADJ, "NOUN": T.NOUN, "PREP": T.PREP, "NUMBER": T.NUMBER, "IMPR": T.VERB_IMPR,
        "NAME": T.NAME | T.PATR | T.SURN}


class RulebookError(OkaError):
    """The rulebook YAML is malformed (names the file and the rule)."""


@dataclass(frozen=True)
class Entry:
    phrase: str
    words: tuple[str, ...]
    unless_next: frozenset[str] = frozenset()
    unless_prev: frozenset[str] = frozenset()
    unless_next_tag: int = 0
    unless_prev_tag: int = 0


@dataclass
class Match:
    entry: Entry
    first: int
    last: int


def _tagmask(names: list[str], where: str) -> int:
    mask = 0
    for n in names or ():
        if n not in TAGS:
            raise RulebookError(f"{where}: unknown tag {n!r} (known: {', '.join(TAGS)})")
        mask |= TAGS[n]
    return mask


@dataclass
class Lexicon:
    entries: list[Entry]
    by_lemma: bool = False
    fuzzy_min: int = 7
    _first: dict[str, list[Entry]] = field(default_factory=dict, repr=False)
    _fuzzy_vocab: dict[int, list[str]] = field(default_factory=dict, repr=False)
    _canon_cache: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, items: list[Any], where: str, by_lemma: bool = False, fuzzy_min: int = 7) -> Lexicon:
        if not isinstance(items, list):
            raise RulebookError(f"{where}: expected a list of phrases")
        entries = []
        for item in items:
            opts: dict[str, Any] = {}
            if isinstance(item, dict) and len(item) == 1:
                (phrase, opts), = item.items()
                opts = opts or {}
            elif isinstance(item, str):
                phrase = item
            else:
                raise RulebookError(f"{where}: entry {item!r} must be a phrase or {{phrase: {{options}}}}")
            phrase = str(phrase)
            # in lemma mode a word written in its dictionary form matches any of its forms;
            # a word written otherwise («щас», whose lemma is «сейчас») matches only as written
            words = tuple(t.lemma if by_lemma and t.lemma == t.form else t.form for t in T.tokenize(phrase))
            if not words:
                raise RulebookError(f"{where}: empty phrase {item!r}")
            e = Entry(phrase, words,
                      frozenset(T.normal(w) for w in opts.get("unless_next", ())),
                      frozenset(T.normal(w) for w in opts.get("unless_prev", ())),
                      _tagmask(opts.get("unless_next_tag"), where), _tagmask(opts.get("unless_prev_tag"), where))
            entries.append(e)
            if len(words) > 1:  # written together by the ASR: «досвидания», «вобщем»
                entries.append(Entry(phrase, ("".join(words),), e.unless_next, e.unless_prev,
                                     e.unless_next_tag, e.unless_prev_tag))
        lex = cls(entries, by_lemma, fuzzy_min)
        for e in sorted(entries, key=lambda e: -len(e.words)):  # the longest phrase wins
            lex._first.setdefault(e.words[0], []).append(e)
            for w in e.words:
                if len(w) >= fuzzy_min:
                    lex._fuzzy_vocab.setdefault(len(w), []).append(w)
        return lex

    def _canon(self, tok: T.Token) -> str:
        """The lexicon word a token stands for (itself if none is close)."""
        key = tok.lemma if self.by_lemma else tok.form
        if self.by_lemma and key not in self._first and tok.form in self._first:
            return tok.form
        if key in self._first or len(key) < self.fuzzy_min or not tok.flags & T.UNKNOWN:
            return key
        c = self._canon_cache.get(key)
        if c is None:
            c = key
            n = len(key)
            for ln in (n, n - 1, n + 1):
                for w in self._fuzzy_vocab.get(ln, ()):
                    if Levenshtein.distance(key, w, score_cutoff=1) <= 1:
                        c = w
                        break
                if c != key:
                    break
            self._canon_cache[key] = c
        return c

    def _word_eq(self, tok: T.Token, key: str, form: str, w: str) -> bool:
        if key == w or form == w:
            return True
        if self.by_lemma and w in tok.alts:
            return True
        return bool(tok.flags & T.UNKNOWN) and len(key) >= self.fuzzy_min and self._canon(tok) == w

    def find(self, u: T.Utt) -> list[Match]:
        toks = u.tokens
        n = len(toks)
        if not n:
            return []
        fuzzy = bool(self._fuzzy_vocab)
        if self._first.keys().isdisjoint(u.keys) and not (fuzzy and u.unknown_max >= self.fuzzy_min):
            return []
        out: list[Match] = []
        keys = u.lemmas if self.by_lemma else u.forms
        forms = u.forms
        first = self._first
        by_lemma = self.by_lemma
        taken = -1
        for i in range(n):
            if i <= taken:
                continue
            cands = first.get(keys[i])
            if cands is None and by_lemma:
                cands = first.get(forms[i])
                if cands is None:
                    for alt in toks[i].alts:
                        cands = first.get(alt)
                        if cands is not None:
                            break
            if cands is None:
                if not fuzzy or len(keys[i]) < self.fuzzy_min or not toks[i].flags & T.UNKNOWN:
                    continue
                cands = first.get(self._canon(toks[i]))
                if cands is None:
                    continue
            for e in cands:
                k = len(e.words)
                if i + k > n:
                    continue
                if k > 1 and not all(self._word_eq(toks[i + j], keys[i + j], forms[i + j], e.words[j])
                                     for j in range(1, k)):
                    continue
                if not self._context_ok(e, toks, i, i + k - 1):
                    continue
                out.append(Match(e, i, i + k - 1))
                taken = i + k - 1
                break
        return out

    @staticmethod
    def _context_ok(e: Entry, toks: list[T.Token], i: int, j: int) -> bool:
        if i > 0:
            p = toks[i - 1]
            if p.form in e.unless_prev or (e.unless_prev_tag and p.flags & e.unless_prev_tag):
                return False
        if j + 1 < len(toks):
            nx = toks[j + 1]
            if nx.form in e.unless_next or (e.unless_next_tag and nx.flags & e.unless_next_tag):
                return False
        return True

    def contains(self, u: T.Utt) -> bool:
        return bool(self.find(u))
