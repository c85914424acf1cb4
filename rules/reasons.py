"""The reason of a household sealing request (clause 20): plumbing works, an emergency, the
meter replaced by the customer — or none of them.

A sealing of a household's hot-water meter (ИПУ ГВС) is accepted only after one of
those three; ``classify_reason`` reads the request's free-text reason (as entered
in ИС РАДИ) with morphology and the small lexicon ``rules/reasons.yaml``, so
«поменяли счётчик», «после ремонта сантехники», «прорвало трубу» all qualify
without being spelt out.  The lexicon is data: an auditor adds a word there.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import yaml

from rules import kazakh
from rules.lexicon import RulebookError
from rules.text import normal, tokenize

DEFAULT_PATH = Path(__file__).with_name("reasons.yaml")

VALID = ("plumbing", "emergency", "meter_replaced")
OTHER = "other"
MISSING = "missing"       # no reason entered at all
CLASSES = (*VALID, OTHER, MISSING)

_NEGATION = "не"


class _Group:
    """Words of which any one must be present: lemmas, and stems (a word beginning with one).

    A Kazakh group (``kazakh``) is read as Kazakh is written: a word is met by a form that peels down to it
    (``rules.kazakh.stems``: «құбырларды» is «құбыр») or, for a stem with «*», that begins with it
    («ауыстыр*»: «ауыстырдық», «ауыстырылды»), and the negative is Kazakh — the verb's own negative suffix
    («ауыстырмадық») or «жоқ»/«емес» after it («ауыстырған жоқпыз»)."""

    def __init__(self, words: list[str], where: str, kazakh: bool = False):
        if not words:
            raise RulebookError(f"{where}: an empty word group")
        self.kazakh = kazakh
        self.lemmas = {normal(str(w)) for w in words if not str(w).endswith("*")}
        self.stems = tuple(normal(str(w))[:-1] for w in words if str(w).endswith("*"))

    def matches(self, tokens) -> bool:
        return any(self._meets(tokens, i) for i in range(len(tokens)))

    def _meets(self, tokens, i: int) -> bool:
        t = tokens[i]
        if i > 0 and tokens[i - 1].form == _NEGATION:
            return False
        if not self.kazakh:
            return t.lemma in self.lemmas or t.form in self.lemmas or any(a in self.lemmas for a in t.alts) or bool(
                self.stems and (t.form.startswith(self.stems) or t.lemma.startswith(self.stems)))
        if i + 1 < len(tokens) and kazakh.negates_previous(tokens[i + 1].form):
            return False
        if any(w in self.lemmas for w in kazakh.stems(t.form)):
            return True
        return any(t.form.startswith(s) and not kazakh.negative_of(t.form, s) for s in self.stems)


@lru_cache(maxsize=4)
def _lexicon(path: str) -> tuple[str, tuple[tuple[str, tuple[tuple[_Group, ...], ...]], ...]]:
    """(version, ((reason, patterns), ...)) in the file's order."""
    raw = Path(path).read_bytes()
    try:
        data = yaml.safe_load(raw) or {}
    except yaml.YAMLError as e:
        raise RulebookError(f"{path}: not valid YAML ({e})") from e
    sections = {"reasons": False, "reasons_kk": True}   # (the second: Kazakh, read as Kazakh)
    out: dict[str, list] = {}
    for section, is_kazakh in sections.items():
        reasons = data.get(section) or {}
        unknown = set(reasons) - set(VALID)
        if unknown:
            raise RulebookError(f"{path}: {section}: unknown reason(s) {', '.join(sorted(unknown))}; "
                                f"known: {', '.join(VALID)}")
        for reason, patterns in reasons.items():
            out.setdefault(reason, []).extend(
                tuple(_Group(list(g), f"{path}: {section}: {reason}", is_kazakh) for g in pattern)
                for pattern in patterns or ())
    # (and the code that reads it, Kazakh's suffix model too: a release that reads otherwise classifies again)
    code = b"".join(Path(f).read_bytes() for f in (__file__, kazakh.__file__, kazakh.MODEL_PATH))
    version = f"{data.get('version', 0)}:{hashlib.sha256(raw).hexdigest()[:12]}:{hashlib.sha256(code).hexdigest()[:12]}"
    return version, tuple((reason, tuple(patterns)) for reason, patterns in out.items())


def lexicon_version(path: Path | str = DEFAULT_PATH) -> str:
    """Changes whenever the lexicon file, or the code reading it, changes: stored reasons are classified again."""
    return _lexicon(str(path))[0]


def classify_reason(text: str | None, path: Path | str = DEFAULT_PATH) -> str:
    """One of ``plumbing``, ``emergency``, ``meter_replaced``, ``other``, ``missing`` (no text)."""
    if text is None or not text.strip():
        return MISSING
    tokens = tokenize(text)
    for reason, patterns in _lexicon(str(path))[1]:
        if any(all(g.matches(tokens) for g in pattern) for pattern in patterns):
            return reason
    return OTHER
