"""Kazakh words as the rules see them: a documented suffix model instead of a dictionary.

No Kazakh morphological analyser installs from the package index and runs here:
``kazstem`` 0.2.1 ships only Python code and needs an HFST/Constraint Grammar
toolchain and compiled ``apertium-kaz`` transducers that its bootstrap script
fetches from outside the index.  So a word's *stem* comes from the suffix model
in ``lexicons/kazakh.yaml``: Kazakh is agglutinative and its endings stack in a
fixed order (stem + plural + possessive + case + person), so stripping known
endings from the right, longest first, leaves the stem.  Every step is kept
(the model cannot know where the stem ends), and a lexicon word written in its
dictionary form matches a word that peels down to it: «басшыға», «басшымен»
and «басшыңызбен» all meet the rulebook's «басшы».  Closed classes whose forms are irregular
(«сен», «саған», «сенің») are listed as forms, never stemmed: «сенім» (trust)
and «сенбі» (Saturday) are not «сен».
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

MODEL_PATH = Path(__file__).with_name("lexicons") / "kazakh.yaml"
# Kazakh letters as a Russian text spells them, and the soft sign the Russian spelling adds: «Айгүл» is «Айгуль»,
# «Әсел» is «Асель», «Нұрлан» is «Нурлан», «Серікұлы» is «Серикулы» (names compared across the two spellings)
RUSSIAN_SPELLING = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х",
                                  "і": "и", "ь": None})
_VOWELS = frozenset("аәеиоөұүуыіэюяё")
_DEVOICE = {"б": "п", "г": "к", "ғ": "қ"}


@lru_cache(maxsize=1)
def model() -> dict:
    data = yaml.safe_load(MODEL_PATH.read_text(encoding="utf-8"))
    suffixes = sorted({s for group in data["suffixes"] for s in group}, key=lambda s: (-len(s), s))
    return {
        "letters": frozenset(data["letters"]),
        "function_words": frozenset(data["function_words"]),
        "suffixes": tuple(suffixes),
        "single": tuple(data.get("single", ())),
        "min_stem": int(data.get("min_stem", 3)),
        "min_stem_single": int(data.get("min_stem_single", 4)),
        "max_strips": int(data.get("max_strips", 4)),
        "negation": _negation(data.get("negation") or {}),
        "clause_openers": frozenset(data.get("clause_openers", ())),
        "cases": frozenset(_flat(data.get("cases") or ())),
    }


def _flat(items) -> list[str]:
    """A list of words whose items may be lists themselves (a YAML alias of a suffix group)."""
    return [w for x in items for w in (_flat(x) if isinstance(x, list) else [x])]


def _negation(spec: dict) -> dict:
    """The negative suffix by the sound it follows, the endings it takes, the words that negate the one before."""
    voiced = frozenset(spec.get("voiced", ""))
    return {"after_vowel": tuple(spec.get("after_vowel", ())), "after_voiced": tuple(spec.get("after_voiced", ())),
            "after_voiceless": tuple(spec.get("after_voiceless", ())), "voiced": voiced,
            "tails": tuple(spec.get("tails", ())), "negators": frozenset(spec.get("negators", ())),
            "auxiliaries": frozenset(spec.get("auxiliaries", ()))}


def has_kazakh_letter(text: str) -> bool:
    """``text`` (a word or a whole text, in either case) has a letter only Kazakh writes (the model's ``letters``)."""
    return _letter().search(text) is not None


@lru_cache(maxsize=1)
def _letter() -> re.Pattern:
    """One of the model's letters, lower or upper case (one regex search: several times faster than a set's
    ``isdisjoint`` over a text, which the rules ask of every utterance)."""
    letters = "".join(sorted(model()["letters"]))
    return re.compile("[" + re.escape(letters + letters.upper()) + "]")


def is_kazakh_word(form: str) -> bool:
    """A word that only Kazakh has: a Kazakh letter, or one of the frequent Kazakh words without one."""
    return has_kazakh_letter(form) or form in model()["function_words"]


@lru_cache(maxsize=100_000)
def stems(form: str) -> tuple[str, ...]:
    """Every stem the suffix model can peel ``form`` down to: the form first, then longest to shortest.

    «басшыңызбен» → басшыңызбен, басшыңыз, басшы, …: a lexicon word written in its
    dictionary form («басшы») matches the word if it is one of them — the lexicon
    word itself is never cut, so «жазбаша» (in writing) is not met by «жазып» (writing).
    Every ending that fits is tried («-ыңыз» and «-ңыз» after «басшы»); stem-final
    б/г/ғ also stand as п/к/қ (себебі → себеб, себеп), and a stem that lost its narrow
    vowel before a vowel ending gets it back (кәсіпорнымыз → кәсіпорн, кәсіпорын; орны → орын).
    """
    m = model()
    found = {form}
    frontier = {form}
    for _ in range(m["max_strips"]):
        frontier = {rest for word in frontier for rest in _strips(word, m)} - found
        if not frontier:
            break
        found |= frontier
    found |= {w[:-1] + _DEVOICE[w[-1]] for w in found if w != form and w[-1] in _DEVOICE}
    found |= {_restore_vowel(w) for w in found if w != form and _lost_vowel(w)}
    return (form, *sorted(found - {form}, key=lambda w: (-len(w), w)))


_BACK = frozenset("аоұы")


def _lost_vowel(w: str) -> bool:
    """``w`` ends in two consonants after a vowel: a stem whose narrow ы/і may have dropped («кәсіпорн»)."""
    return len(w) >= 4 and w[-1] not in _VOWELS and w[-2] not in _VOWELS and w[-3] in _VOWELS


def _restore_vowel(w: str) -> str:
    """The narrow vowel put back between the last two consonants, by vowel harmony: кәсіпорн → кәсіпорын."""
    last = next((c for c in reversed(w) if c in _VOWELS), "ы")
    return w[:-1] + ("ы" if last in _BACK else "і") + w[-1]


@lru_cache(maxsize=100_000)
def adds_case(form: str, word: str) -> bool:
    """``form`` is ``word`` with a case ending added: every way the suffix model peels ``form`` down to ``word``
    strips one of the model's ``cases`` (False when ``form`` is ``word``, or does not peel down to it).

    «проблемаңызды» is «проблемаңыз» in the accusative (the object of «шешеміз»), «басшыңызбен» is «басшыңыз»
    with «-бен»; «наразымын» adds a person ending, no case, to «наразы».
    """
    if form == word:
        return False
    m = model()
    cases = m["cases"]
    # (what is left, whether a case was stripped on the way); a state reached both ways keeps the caseless one
    frontier = {form: False}
    reached: dict[str, bool] = {}
    for _ in range(m["max_strips"]):
        nxt: dict[str, bool] = {}
        for w, cased in frontier.items():
            for suf, rest in _strip_pairs(w, m):
                c = cased or suf in cases
                nxt[rest] = nxt.get(rest, True) and c
        for rest, c in nxt.items():
            for x in _readings(rest, form):
                reached[x] = reached.get(x, True) and c
        frontier = nxt
        if not frontier:
            break
    return reached.get(word, False)


def _readings(rest: str, form: str) -> set[str]:
    """``rest`` and what ``stems`` also reads it as: a devoiced final consonant, a narrow vowel put back."""
    out = {rest}
    if rest != form and rest[-1:] in _DEVOICE:
        out.add(rest[:-1] + _DEVOICE[rest[-1]])
    if rest != form and _lost_vowel(rest):
        out.add(_restore_vowel(rest))
    return out


def stem(form: str) -> str:
    """The barest stem of a normalised Kazakh word form (the form itself if nothing strips)."""
    return stems(form)[-1]


def _strips(word: str, m: dict) -> list[str]:
    """What is left of ``word`` after each ending of the model that fits it."""
    return [rest for _, rest in _strip_pairs(word, m)]


def _strip_pairs(word: str, m: dict) -> list[tuple[str, str]]:
    """(ending, what is left of ``word``) for each ending of the model that fits it."""
    out = []
    for suf in m["suffixes"]:
        if word.endswith(suf):
            rest = word[:-len(suf)]
            if len(rest) >= m["min_stem"] and _VOWELS.intersection(rest):
                out.append((suf, rest))
    for suf in m["single"]:
        if word.endswith(suf):
            rest = word[:-1]
            if len(rest) >= m["min_stem_single"] and _VOWELS.intersection(rest):
                out.append((suf, rest))
    return out


def _negative_suffixes(stem: str, neg: dict) -> tuple[str, ...]:
    """The form of the negative suffix after ``stem``: -ма/-ме after a vowel or л, р, й, у; -ба/-бе after
    м, н, ң, з, ж; -па/-пе after a voiceless consonant (Kazakh consonant harmony)."""
    last = stem[-1]
    if last in _VOWELS or last in "лрйу":
        return neg["after_vowel"]
    if last in neg["voiced"]:
        return neg["after_voiced"]
    return neg["after_voiceless"]


@lru_cache(maxsize=100_000)
def negative_of(form: str, stem: str) -> bool:
    """``form`` is the verb ``stem`` in the negative: the stem, the negative suffix that fits its last sound,
    then a verb ending of the model (or none): «істемейді», «шешпейді», «келмеген», «алаңдамаңыз».
    «келеді» and «кешікпей» of another stem are not; a noun such as «пломбасы» never is («-сы» is no verb ending)."""
    if not stem or not form.startswith(stem) or not _VOWELS.intersection(stem):
        return False
    neg = model()["negation"]
    rest = form[len(stem):]
    for suf in _negative_suffixes(stem, neg):
        if rest.startswith(suf):
            tail = rest[len(suf):]
            return any(tail.startswith(t[:-1]) if t.endswith("*") else tail == t for t in neg["tails"])
    return False


@lru_cache(maxsize=100_000)
def without_doing(form: str) -> bool:
    """``form`` is a verb's negative converb, «without doing»: the stem, the negative suffix, «-й» and nothing
    after it — «хабарласпай» (without calling), «келмей»; «келмейді» is a finite verb, not one."""
    return len(form) >= 6 and form.endswith("й") and form[-3:-1] in _negative_suffixes(form[:-3], model()["negation"]) \
        and negative_of(form, form[:-3])


@lru_cache(maxsize=100_000)
def is_negative(form: str) -> bool:
    """``form`` is some verb in the negative (any stem of two or more letters the suffix model allows)."""
    return any(negative_of(form, form[:i]) for i in range(2, len(form) - 1))


def is_negator(form: str) -> bool:
    """«жоқ», «емес» in any person («емеспін»): they negate the word before them."""
    negators = model()["negation"]["negators"]
    return any(s in negators for s in stems(form))


def negates_previous(form: str) -> bool:
    """The word after a verb that makes it negative: «жоқ», «емес», or a negative auxiliary («жасай алмайды»)."""
    if is_negator(form):
        return True
    aux = model()["negation"]["auxiliaries"]
    return any(form.startswith(a) and negative_of(form, a) for a in aux)


def opens_clause(form: str) -> bool:
    """A conjunction (or «ол») that begins a new clause when the text has no punctuation."""
    return form in model()["clause_openers"]
