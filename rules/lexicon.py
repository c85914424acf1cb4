"""Phrase lists from the rulebook, matched against analysed utterances.

An entry is a phrase («как бы», «до свидания») or a mapping with the phrase
and its context exceptions, so that an auditor adds a word in the YAML and the
context stays data too::

    - как бы:
        unless_next: [вы, вам, вас]      # «как бы вы хотели» is not a filler
    - типа: {unless_prev_tag: [ADJ, NOUN]}  # «какого типа счётчик»
    - оставить заявка: {if_tag: [PAST]}     # a word of it in the past tense: «оставила заявку», not «хочу оставить»
    - оставить заявка: {if_tag: [PAST], any_order: true, gap: 2}   # «заявку я вчера оставляла» too

``gap: N`` lets up to N words stand between two words of a phrase, within one
stretch of speech (never across a punctuation mark); ``any_order: true`` lets a
phrase of two words be said the other way round (Russian word order is free:
«подавала заявку», «заявку подавала»).  ``question: true`` matches a phrase only in
a question: the first punctuation mark at or after its last word is «?» («Номер
заявки?», «Какой номер заявки у вас?»; not «Номер заявки 2345.», and not in text
without punctuation, where a question cannot be told).

Matching survives ASR text: tokens are lowercase with «ё» as «е», a phrase of
several words also matches them written together («досвидания»), and a word of
``fuzzy_min`` letters or more matches with one typo (rapidfuzz Levenshtein).
Misheard words the dictionary does not know match a lexicon word of 10+ letters
with two edits, of 13+ letters with three («опландировать» → «опломбировать»).
``match: lemma`` compares dictionary forms (any case of «заявочка»);
``match: form`` compares the words as said (a vocative is in the nominative).
A Kazakh entry's ``case: oblique`` matches its last word only with a case ending
added (``rules.kazakh.adds_case``), as a Russian list writes «руководителя»,
«руководителю» for asking for someone and leaves out the nominative of a mention::

    - басшы: {case: oblique}     # «басшыға», «басшыңызбен»; not «басшысымын» (I am the head of)
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz.distance import Levenshtein

from core.errors import OkaError
from rules import text as T
from rules.kazakh import adds_case

TAGS = {"ADJ": T.ADJ, "NOUN": T.NOUN, "PREP": T.PREP, "NUMBER": T.NUMBER, "IMPR": T.VERB_IMPR,
        "NAME": T.NAME | T.PATR | T.SURN, "PAST": T.PAST, "FIRST": T.FIRST, "SECOND": T.SECOND}


class RulebookError(OkaError):
    """The rulebook YAML is malformed (names the file and the rule)."""


class KkPhrase(str):
    """A word or phrase of a Kazakh lexicon: the lexicon analyses it by the Kazakh suffix model."""

    __slots__ = ()


@dataclass(frozen=True)
class Entry:
    phrase: str
    words: tuple[str, ...]
    unless_next: frozenset[str] = frozenset()
    unless_prev: frozenset[str] = frozenset()
    unless_next_tag: int = 0
    unless_prev_tag: int = 0
    by_stem: bool = False      # a Kazakh entry: a word matches any word the suffix model peels down to it
    case_as_written: bool = False   # …but not one that adds a case to it (a phrase of several words)
    oblique: bool = False      # a Kazakh entry whose last word must be said with a case added (``case: oblique``)
    if_tag: int = 0            # a word of the phrase must have one of these tags (``if_tag: [PAST]``)
    gap: int = 0               # words that may stand between two of its words (``gap: 2``)
    question: bool = False     # only in a question: the next punctuation mark after it is «?» (``question: true``)


@dataclass
class Match:
    entry: Entry
    first: int
    last: int


def _oblique(opts: dict, kazakh: bool, where: str) -> bool:
    """An entry's ``case`` option: ``oblique`` (a Kazakh entry only) or none."""
    case = opts.get("case")
    if case is None:
        return False
    if case != "oblique" or not kazakh:
        raise RulebookError(f"{where}: case: {case!r} — only «case: oblique» of a Kazakh entry is known")
    return True


def _gap(opts: dict, words: tuple[str, ...], where: str) -> int:
    """An entry's ``gap`` option: how many words may stand between two of its words (a phrase of two or more)."""
    gap = opts.get("gap", 0)
    if not isinstance(gap, int) or isinstance(gap, bool) or gap < 0:
        raise RulebookError(f"{where}: gap: {gap!r} — give a whole number of words (0 or more)")
    if gap and len(words) < 2:
        raise RulebookError(f"{where}: gap: {gap} needs a phrase of two or more words, not {' '.join(words)!r}")
    return gap


def _any_order(opts: dict, words: tuple[str, ...], where: str) -> bool:
    """An entry's ``any_order`` option (a phrase of exactly two words)."""
    yes = opts.get("any_order", False)
    if not isinstance(yes, bool):
        raise RulebookError(f"{where}: any_order: {yes!r} — give true or false")
    if yes and len(words) != 2:
        raise RulebookError(f"{where}: any_order needs a phrase of two words, not {' '.join(words)!r}")
    return yes


def _question(opts: dict, where: str) -> bool:
    """An entry's ``question`` option."""
    yes = opts.get("question", False)
    if not isinstance(yes, bool):
        raise RulebookError(f"{where}: question: {yes!r} — give true or false")
    return yes


def tagmask(names: list[str], where: str) -> int:
    """The flags of ``rules.text`` the tag names stand for (``if_tag: [PAST]``)."""
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
    _first: dict[str, list[tuple[Entry, int, bool]]] = field(default_factory=dict, repr=False)
    _vocab: set[str] = field(default_factory=set, repr=False)
    _fuzzy_vocab: dict[int, list[str]] = field(default_factory=dict, repr=False)
    _canon_cache: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, items: list[Any], where: str, by_lemma: bool = False, fuzzy_min: int = 7,
              kk_by_stem: bool = True, kk_case_as_written: bool = False) -> Lexicon:
        """kk_by_stem: Kazakh entries (``KkPhrase``) match by their stems (any ending), whatever ``by_lemma``
        says; False: as written (a vocative, «апай», is said bare — «апайыңыз» is a mention).
        kk_case_as_written: in a Kazakh phrase of several words, a said word that adds a case to the phrase's word
        does not match it (``rules.kazakh.adds_case``): the case gives the word another part in the sentence —
        «сіздің проблемаңыз» («your problem», said to dismiss) is not «сіздің проблемаңызды шешеміз» («we will solve
        your problem»)."""
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
            kazakh = isinstance(phrase, KkPhrase)
            phrase = str(phrase)
            stemmed = kazakh and kk_by_stem
            if kazakh:  # a Kazakh phrase, written in dictionary form: a word matches any word that peels down to it
                words = tuple(t.form for t in T.tokenize(phrase, language="kk"))
            else:
                # in lemma mode a word written in its dictionary form matches any of its forms;
                # a word written otherwise («щас», whose lemma is «сейчас») matches only as written
                words = tuple(t.lemma if by_lemma and t.lemma == t.form else t.form for t in T.tokenize(phrase))
            if not words:
                raise RulebookError(f"{where}: empty phrase {item!r}")
            gap, any_order = _gap(opts, words, where), _any_order(opts, words, where)
            e = Entry(phrase, words,
                      frozenset(T.normal(w) for w in opts.get("unless_next", ())),
                      frozenset(T.normal(w) for w in opts.get("unless_prev", ())),
                      tagmask(opts.get("unless_next_tag"), where), tagmask(opts.get("unless_prev_tag"), where),
                      stemmed, stemmed and kk_case_as_written and len(words) > 1, _oblique(opts, kazakh, where),
                      tagmask(opts.get("if_tag"), where), gap, _question(opts, where))
            entries.append(e)
            if any_order:  # the same entry (its phrase names it) with its two words the other way round
                entries.append(replace(e, words=words[::-1]))
            if len(words) > 1 and not stemmed:  # written together by the ASR: «досвидания», «вобщем»
                entries.append(Entry(phrase, ("".join(words),), e.unless_next, e.unless_prev,
                                     e.unless_next_tag, e.unless_prev_tag, if_tag=e.if_tag, question=e.question))
        lex = cls(entries, by_lemma, fuzzy_min)
        for e in entries:
            # each phrase is looked up by its longest word: «бардак», not «у», finds «у нас вечно бардак»
            a = max(range(len(e.words)), key=lambda j: (len(e.words[j]), j))
            # a word alone compared by its dictionary forms (or Kazakh stems) is said wherever ``Utt.where`` finds
            # it: only its context is left to check
            alone = len(e.words) == 1 and (by_lemma or e.by_stem)
            lex._first.setdefault(e.words[a], []).append((e, a, alone))
            for w in e.words:
                lex._vocab.add(w)
                if len(w) >= fuzzy_min:
                    lex._fuzzy_vocab.setdefault(len(w), []).append(w)
        return lex

    @property
    def first_words(self):
        """The words any phrase of this lexicon needs (each phrase's longest word)."""
        return self._first.keys()

    def _canon(self, tok: T.Token) -> str:
        """The lexicon word a token stands for (itself if none is close)."""
        return self._canon_of(tok.form, tok.lemma, tok.flags)

    def _canon_of(self, form: str, lemma: str, flags: int) -> str:
        key = lemma if self.by_lemma else form
        if self.by_lemma and key not in self._vocab and form in self._vocab:
            return form
        if key in self._vocab or len(key) < self.fuzzy_min or not flags & T.UNKNOWN:
            return key
        c = self._canon_cache.get(key)
        if c is None:
            c = key
            n = len(key)
            k = 1 if n < 10 else 2 if n < 13 else 3  # a long misheard word may be further off
            best = k + 1
            for ln in range(n - k, n + k + 1):
                for w in self._fuzzy_vocab.get(ln, ()):
                    d = Levenshtein.distance(key, w, score_cutoff=k)
                    if d < best:
                        best, c = d, w
            self._canon_cache[key] = c
        return c

    def _word_eq(self, u: T.Utt, i: int, key: str, form: str, w: str, by_stem: bool = False) -> bool:
        """Token ``i`` of ``u`` (``key``: its lemma or form, as the lexicon compares) is the lexicon word ``w``."""
        if key == w or form == w:
            return True
        if by_stem:
            return u.lemmas[i] == w or w in u.alts[i]
        if self.by_lemma and w in u.alts[i]:
            return True
        flags = u.flags[i]
        return bool(flags & T.UNKNOWN) and len(key) >= self.fuzzy_min and self._canon_of(form, u.lemmas[i], flags) == w

    def find(self, u: T.Utt) -> list[Match]:
        """Non-overlapping matches, left to right; at one place the longest phrase wins, and of two as long the one
        that asks for a tag (the more particular: «опломбировали» is ``опломбировать: {if_tag: [PAST]}``, a sealing
        done, before the plain «опломбировать»)."""
        if self.absent(u):  # most utterances: told first
            return []
        found = list(self._matches(u))
        if not found:
            return []
        found.sort(key=lambda f: (f[0], f[1], not f[2].if_tag))
        out: list[Match] = []
        taken = -1
        for i, negk, e in found:
            if i > taken:
                out.append(Match(e, i, i - negk - 1))
                taken = i - negk - 1
        return out

    def _matches(self, u: T.Utt):
        """Every phrase said in ``u``, overlapping ones too, as (first token, -length, entry), in no set order."""
        n = len(u.forms)
        if not n:
            return
        first = self._first
        fuzzy = bool(self._fuzzy_vocab) and u.unknown_max >= self.fuzzy_min
        common = first.keys() & u.keys
        keys = u.lemmas if self.by_lemma else u.forms
        forms = u.forms
        where = u.where
        hits = [(p, c) for w in common for p in where(w) for c in first[w]]
        if fuzzy:
            least, lemmas, flags, canon = self.fuzzy_min, u.lemmas, u.flags, self._canon_of
            for p in u.unknown_at:
                form = forms[p]
                if len(form) >= least:
                    w = canon(form, lemmas[p], flags[p])
                    if w not in common:  # a word close to the lexicon's, not one of it: every word checked
                        hits.extend((p, (e, a, False)) for e, a, _ in first.get(w, ()))
        word_eq, context_ok = self._word_eq, self._context_ok
        for p, (e, a, alone) in hits:
            if e.oblique:   # its last word said with a case added, or no match
                last = p - a + len(e.words) - 1
                if not (0 <= last < n and adds_case(forms[last], e.words[-1])):
                    continue
            if alone:
                if context_ok(e, u, p, p):
                    yield p, -1, e
                continue
            if e.gap:
                span = self._spread(u, p, a, e)
                if span is not None and context_ok(e, u, *span):
                    yield span[0], span[0] - span[1] - 1, e
                continue
            i = p - a
            words = e.words
            k = len(words)
            if i < 0 or i + k > n:
                continue
            # every word, the anchor too (in form mode «девушке» is indexed under its lemma «девушка»); the plain
            # equalities first, as ``_word_eq`` begins
            for j in range(k):
                w = words[j]
                key, form = keys[i + j], forms[i + j]
                if key != w and form != w and not word_eq(u, i + j, key, form, w, e.by_stem):
                    break
            else:
                if e.case_as_written and any(adds_case(forms[i + j], words[j]) for j in range(k)):
                    continue
                if context_ok(e, u, i, i + k - 1):
                    yield i, -k, e

    def _spread(self, u: T.Utt, p: int, a: int, e: Entry) -> tuple[int, int] | None:
        """The tokens (first, last) of a phrase with ``gap`` said around its word ``a`` at token ``p``: each of
        its other words the nearest one at most ``e.gap`` words away from its neighbour, no punctuation crossed."""
        at = {a: p}
        order = [(j, -1) for j in range(a - 1, -1, -1)] + [(j, 1) for j in range(a + 1, len(e.words))]
        for j, step in order:
            q = self._near(u, at[j - step], step, e.words[j], e)
            if q is None:
                return None
            at[j] = q
        if e.if_tag and not any(u.flags[q] & e.if_tag for q in at.values()):
            return None  # the tag on a word of the phrase, not on a word between
        return at[0], at[len(e.words) - 1]

    def _near(self, u: T.Utt, prev: int, step: int, w: str, e: Entry) -> int | None:
        """The nearest token to ``prev`` in direction ``step`` (±1) that is the lexicon word ``w``, at most
        ``e.gap`` words between them and no punctuation mark."""
        keys = u.lemmas if self.by_lemma else u.forms
        forms, puncts, n = u.forms, u.puncts, len(u.forms)
        for q in range(prev + step, prev + step * (e.gap + 2), step):
            if not 0 <= q < n or puncts[min(q, q - step)]:
                return None  # the stretch of speech ends before it
            if keys[q] == w or forms[q] == w or self._word_eq(u, q, keys[q], forms[q], w, e.by_stem):
                return q
        return None

    @staticmethod
    def _context_ok(e: Entry, u: T.Utt, i: int, j: int) -> bool:
        """The exceptions look at the next (previous) word only when no punctuation parts it from the
        phrase: «в общем, такая ситуация» is a filler, «в общем объёме» is not.  ``if_tag``: a word of the phrase
        (tokens i..j) has one of the tags («подавала заявку» said of a request made before, not «подать заявку»)."""
        forms, flags, puncts = u.forms, u.flags, u.puncts
        if e.if_tag and not any(flags[k] & e.if_tag for k in range(i, j + 1)):
            return False
        if i > 0 and not puncts[i - 1] and (forms[i - 1] in e.unless_prev
                                             or (e.unless_prev_tag and flags[i - 1] & e.unless_prev_tag)):
            return False
        if j + 1 < len(forms) and not puncts[j] and (forms[j + 1] in e.unless_next
                                                     or (e.unless_next_tag and flags[j + 1] & e.unless_next_tag)):
            return False
        if e.question:  # the stretch of speech it ends in is a question
            return next((p for p in puncts[j:] if p), "").startswith("?")
        return True

    def absent(self, call) -> bool:
        """True when ``find`` surely finds nothing in ``call`` (a ``rules.call.Call``, told once per call, or one
        utterance): no phrase's anchor word, no word long enough to be matched fuzzily."""
        return (not self._fuzzy_vocab or call.unknown_max < self.fuzzy_min) and self._first.keys().isdisjoint(call.keys)

    def contains(self, u: T.Utt) -> bool:
        if self.absent(u):  # most utterances: told without ``find``
            return False
        # ``find`` finds something exactly when some phrase is said (the first one left to right is always kept)
        return next(self._matches(u), None) is not None
