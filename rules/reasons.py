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

from rules.lexicon import RulebookError
from rules.text import normal, tokenize

DEFAULT_PATH = Path(__file__).with_name("reasons.yaml")

VALID = ("plumbing", "emergency", "meter_replaced")
OTHER = "other"
MISSING = "missing"       # no reason entered at all
CLASSES = (*VALID, OTHER, MISSING)

_NEGATION = "не"


class _Group:
    """Words of which any one must be present: lemmas, and stems (a word beginning with one)."""

    def __init__(self, words: list[str], where: str):
        if not words:
            raise RulebookError(f"{where}: an empty word group")
        self.lemmas = {normal(str(w)) for w in words if not str(w).endswith("*")}
        self.stems = tuple(normal(str(w))[:-1] for w in words if str(w).endswith("*"))

    def matches(self, tokens) -> bool:
        for i, t in enumerate(tokens):
            if i > 0 and tokens[i - 1].form == _NEGATION:
                continue
            if t.lemma in self.lemmas or t.form in self.lemmas or any(a in self.lemmas for a in t.alts):
                return True
            if self.stems and (t.form.startswith(self.stems) or t.lemma.startswith(self.stems)):
                return True
        return False


@lru_cache(maxsize=4)
def _lexicon(path: str) -> tuple[str, tuple[tuple[str, tuple[tuple[_Group, ...], ...]], ...]]:
    """(version, ((reason, patterns), ...)) in the file's order."""
    raw = Path(path).read_bytes()
    try:
        data = yaml.safe_load(raw) or {}
    except yaml.YAMLError as e:
        raise RulebookError(f"{path}: not valid YAML ({e})") from e
    reasons = data.get("reasons") or {}
    unknown = set(reasons) - set(VALID)
    if unknown:
        raise RulebookError(f"{path}: unknown reason(s) {', '.join(sorted(unknown))}; known: {', '.join(VALID)}")
    out = []
    for reason, patterns in reasons.items():
        groups = tuple(tuple(_Group(list(g), f"{path}: {reason}") for g in pattern) for pattern in patterns or ())
        out.append((reason, groups))
    version = f"{data.get('version', 0)}:{hashlib.sha256(raw).hexdigest()[:12]}"
    return version, tuple(out)


def lexicon_version(path: Path | str = DEFAULT_PATH) -> str:
    """Changes whenever the lexicon file changes: stored reasons are classified again then."""
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
