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

from functools import lru_cache
from pathlib import Path

import yaml

MODEL_PATH = Path(__file__).with_name("lexicons") / "kazakh.yaml"
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
    }


def has_kazakh_letter(word: str) -> bool:
    letters = model()["letters"]
    return any(c in letters for c in word)


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
    б/г/ғ also stand as п/к/қ (себебі → себеб, себеп).
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
    return (form, *sorted(found - {form}, key=lambda w: (-len(w), w)))


def stem(form: str) -> str:
    """The barest stem of a normalised Kazakh word form (the form itself if nothing strips)."""
    return stems(form)[-1]


def _strips(word: str, m: dict) -> list[str]:
    """What is left of ``word`` after each ending of the model that fits it."""
    out = []
    for suf in m["suffixes"]:
        if word.endswith(suf):
            rest = word[:-len(suf)]
            if len(rest) >= m["min_stem"] and _VOWELS.intersection(rest):
                out.append(rest)
    for suf in m["single"]:
        if word.endswith(suf):
            rest = word[:-1]
            if len(rest) >= m["min_stem_single"] and _VOWELS.intersection(rest):
                out.append(rest)
    return out
