"""Kazakh constructions: kinds of words said together in one clause, each in the polarity it needs.

A fixed phrase list cannot follow an agglutinative language: «біздің шеберлер ешқашан
уақытында келмейді» and «бұл кеңседе ешкім ештеңе шешпейді» say the same thing with no
phrase in common.  What they share is a construction — a word for *our side*, a word
for *never/nobody* and a verb of doing the job said in the negative — and a
construction is data (``kk_clauses`` of a rule in ``rulebook_kk.yaml``)::

    kk_clauses:
      words:                    # kinds of words; each entry a Kazakh word or phrase in dictionary form,
        ours: [біздің, мекеме]  # matched by its stems (any ending, rules.kazakh), or an ending: «-ыңыз»
        never: [ешкім, ешқашан]
        duty: [кел, шеш]
      patterns:                 # one clause holding a word of every kind of a pattern
        - [ours, never, duty-]  # «-»: said in the negative («келмейді», «келген жоқ», «келе алмайды»)
        - [ours, bad+]          # «+»: not negated («нашар», but not «нашар емес»)
      predicates: [invite]      # kinds whose word must be the clause's predicate (its last word)
      unless: [байланыс]        # a clause with one of these words matches no pattern

A clause runs between punctuation marks, or — in ASR text, which has none — up to a
conjunction that opens the next one (``clause_openers`` of the suffix model).  Kazakh
is verb-final, so the predicate is the clause's last word.  Negation is morphology
(``rules.kazakh.negative_of``), not a word list; a word wanted in the negative is not
negative when a negative converb («хабарласпай», without calling) comes before it in
its clause: two negations there say yes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rules import kazakh
from rules import text as T
from rules.lexicon import KkPhrase, Lexicon, RulebookError

CLAUSE_MARKS = frozenset(",.!?;:…—–")


@dataclass(frozen=True)
class Hit:
    first: int      # token span of the word (phrase) in the utterance
    last: int
    stem: str       # the entry's last word (a verb stem for the polarity test), '' for an ending


@dataclass
class Construction:
    words: dict[str, Lexicon]
    endings: dict[str, tuple[str, ...]]
    patterns: list[list[tuple[str, str]]]    # (kind, polarity '' | '+' | '-')
    predicates: frozenset[str]
    unless: Lexicon | None

    @classmethod
    def build(cls, spec: Any, where: str) -> Construction:
        if not isinstance(spec, dict) or not isinstance(spec.get("words"), dict) \
                or not isinstance(spec.get("patterns"), list):
            raise RulebookError(f"{where}: expected a mapping with 'words' {{kind: [words]}} and 'patterns'")
        words, endings = {}, {}
        for kind, items in spec["words"].items():
            if not isinstance(items, list) or not items:
                raise RulebookError(f"{where}: words.{kind}: expected a list of words")
            ends = tuple(str(w)[1:] for w in items if str(w).startswith("-"))
            plain = [KkPhrase(str(w)) for w in items if not str(w).startswith("-")]
            endings[str(kind)] = ends
            words[str(kind)] = Lexicon.build(plain, f"{where}: words.{kind}") if plain else None
        patterns = []
        for p in spec["patterns"]:
            if not isinstance(p, list) or not p:
                raise RulebookError(f"{where}: pattern {p!r} must be a list of kinds of words")
            pattern = []
            for item in p:
                item = str(item)
                kind, pol = (item[:-1], item[-1]) if item[-1] in "+-" else (item, "")
                if kind not in words:
                    raise RulebookError(f"{where}: pattern {p!r} names {kind!r}, not one of words: {', '.join(words)}")
                pattern.append((kind, pol))
            patterns.append(pattern)
        predicates = frozenset(str(k) for k in spec.get("predicates", ()))
        unknown = predicates - words.keys()
        if unknown:
            raise RulebookError(f"{where}: predicates {sorted(unknown)} are not kinds of words")
        unless = spec.get("unless")
        return cls(words, endings, patterns, predicates,
                   Lexicon.build([KkPhrase(str(w)) for w in unless], f"{where}: unless") if unless else None)

    def find(self, u: T.Utt) -> list[tuple[int, int]]:
        """(first, last) token span of each clause of ``u`` that matches a pattern, from its first word of
        the pattern to its last."""
        if not u.forms:
            return []
        hits: dict[str, list[Hit]] = {}  # each kind's words, found when a pattern first needs them

        def said(kind: str) -> list[Hit]:
            got = hits.get(kind)
            if got is None:
                got = hits[kind] = self._hits(kind, u)
            return got

        if not any(all(said(kind) for kind, _ in pattern) for pattern in self.patterns):
            return []  # some kind of word of every pattern is not said at all
        toks = u.tokens
        blocked = [(m.first, m.last) for m in self.unless.find(u)] if self.unless else []
        out = []
        for a, b in clauses(toks):
            if any(a <= lo and hi <= b for lo, hi in blocked):
                continue
            for pattern in self.patterns:
                got = []
                for kind, pol in pattern:
                    ok = [h for h in said(kind) if a <= h.first and h.last <= b and _polar(toks, h, b, pol)
                          and (kind not in self.predicates or h.last == b)
                          and not (pol == "-" and _cancelled(toks, a, h))]
                    if not ok:
                        break
                    got.append(ok[0])
                else:
                    out.append((min(h.first for h in got), max(h.last for h in got)))
                    break
        return out

    def _hits(self, kind: str, u: T.Utt) -> list[Hit]:
        lex = self.words[kind]
        hits = [Hit(m.first, m.last, m.entry.words[-1]) for m in lex.find(u)] if lex else []
        ends = self.endings[kind]
        if ends:
            # one C test of all the endings first: most words end in none of them
            hits += [Hit(i, i, "") for i, form in enumerate(u.forms)
                     if form.endswith(ends) and any(form.endswith(e) and len(form) >= len(e) + 3 for e in ends)]
        return hits


def clauses(toks: list[T.Token]) -> list[tuple[int, int]]:
    """(first, last) token index of each clause: up to a punctuation mark, or before a clause opener."""
    out, start = [], 0
    for i, t in enumerate(toks):
        if i > start and kazakh.opens_clause(t.form):
            out.append((start, i - 1))
            start = i
        if t.punct and t.punct in CLAUSE_MARKS:
            out.append((start, i))
            start = i + 1
    if start < len(toks):
        out.append((start, len(toks) - 1))
    return out


def negative(toks: list[T.Token], i: int, stem: str, end: int) -> bool:
    """Token ``i`` (the word ``stem``, or any word if ``stem`` is '') is said in the negative: by its own
    ending, or by the next word of its clause («келген жоқ», «риза емеспін», «жасай алмайды»)."""
    form = toks[i].form
    if kazakh.negative_of(form, stem) if stem and form.startswith(stem) else kazakh.is_negative(form):
        return True
    return i < end and not toks[i].punct and kazakh.negates_previous(toks[i + 1].form)


def _polar(toks: list[T.Token], h: Hit, end: int, pol: str) -> bool:
    if not pol:
        return True
    return negative(toks, h.last, h.stem, end) == (pol == "-")


def _cancelled(toks: list[T.Token], a: int, h: Hit) -> bool:
    """The negative of ``h`` is cancelled by a negative converb in its clause (which begins at ``a``) up to it:
    «ешқашан алдын ала хабарласпай келмейді» — never comes *without calling ahead* — promises, it does not
    reproach; two negations say yes.  The converb itself («хабарласпай») is no negated predicate either."""
    return any(kazakh.without_doing(toks[i].form) for i in range(a, h.last + 1))


def of_rule(rule, key: str) -> Construction | None:
    """The rule's construction ``params[key]`` (built once and kept with the rule), None if it has none."""
    cache = rule.cache.setdefault("kk_constructions", {})
    if key not in cache:
        spec = rule.params.get(key)
        cache[key] = Construction.build(spec, f"{rule.source}: rule {rule.id}: {key}") if spec else None
    return cache[key]


def kazakh_spans(rule, key: str, u: T.Utt) -> list[tuple[int, int]]:
    """The spans of ``u`` that match the rule's construction ``key`` — only in Kazakh speech."""
    if u.language != "kk":
        return []
    c = of_rule(rule, key)
    return c.find(u) if c else []
