"""The rulebook: rules as data (``rulebook.yaml``), loaded and checked once.

Each rule names its detector; the detector reads its words and thresholds from
``params``.  Lexicons are compiled on first use and kept with the rule.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rules.confidence import HEARD_IN
from rules.lexicon import Lexicon, RulebookError

log = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).with_name("rulebook.yaml")
SEVERITIES = ("minor", "major", "critical")


@dataclass
class RuleDef:
    """One rule of the rulebook (CONTRACT.md section 3)."""

    id: str
    clause: str
    title_ru: str
    severity: str
    weight: float
    detector: str
    params: dict[str, Any] = field(default_factory=dict)
    source: str = "rulebook"
    min_confidence: float = 0.0      # a finding on words less sure than this goes to ``uncertain``
    heard_in: str | None = None      # rules of absence: where the missing words would be (rules.confidence)
    _lex: dict[str, Lexicon] = field(default_factory=dict, repr=False)
    _words: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    cache: dict[str, Any] = field(default_factory=dict, repr=False)  # detectors keep derived data here

    def lexicon(self, key: str = "lexicon", by_lemma: bool | None = None) -> Lexicon:
        """The compiled phrase list ``params[key]`` (``match: lemma|form`` decides the comparison)."""
        lex = self._lex.get(key)
        if lex is None:
            if by_lemma is None:
                by_lemma = self.params.get("match", "form") == "lemma"
            lex = Lexicon.build(self.params.get(key, []), f"{self.source}: rule {self.id}: {key}",
                                by_lemma=by_lemma, fuzzy_min=int(self.params.get("fuzzy_min", 7)))
            self._lex[key] = lex
        return lex

    def lexicon_of(self, name: str, items: list[Any], by_lemma: bool) -> Lexicon:
        """A compiled phrase list from a nested parameter (kept under ``name``)."""
        lex = self._lex.get(name)
        if lex is None:
            lex = Lexicon.build(items, f"{self.source}: rule {self.id}: {name}", by_lemma=by_lemma,
                                fuzzy_min=int(self.params.get("fuzzy_min", 7)))
            self._lex[name] = lex
        return lex

    def words(self, key: str) -> frozenset[str]:
        """``params[key]`` as a set of normalised words (kept after the first call)."""
        got = self._words.get(key)
        if got is None:
            got = self._words[key] = frozenset(str(w).lower().replace("ё", "е") for w in self.params.get(key, ()))
        return got


@dataclass
class Rulebook:
    edition: str
    rules: list[RuleDef]
    topics: dict[str, Any]
    readings: dict[str, Any]
    operator_markers: list[str]
    score_start: float = 100.0
    score_floor: float = 0.0
    path: Path = DEFAULT_PATH
    _lex: dict[str, Lexicon] = field(default_factory=dict, repr=False)
    cache: dict[str, Any] = field(default_factory=dict, repr=False)  # derived data kept across calls

    def lexicon(self, name: str, items: list[Any], by_lemma: bool) -> Lexicon:
        lex = self._lex.get(name)
        if lex is None:
            lex = Lexicon.build(items, f"{self.path}: {name}", by_lemma=by_lemma)
            self._lex[name] = lex
        return lex

    @classmethod
    def load(cls, path: Path | str = DEFAULT_PATH) -> Rulebook:
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError as e:
            raise RulebookError(f"{path}: rulebook not found") from e
        except yaml.YAMLError as e:
            raise RulebookError(f"{path}: not valid YAML ({str(e).splitlines()[0]})") from e
        if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
            raise RulebookError(f"{path}: expected a mapping with 'edition' and a list 'rules'")
        edition = data.get("edition")
        if not isinstance(edition, str) or not edition:
            raise RulebookError(f"{path}: 'edition' must name the standard's edition, e.g. STP-04-2019/01")
        conf = data.get("confidence") or {}
        default_min = _unit(conf.get("min_confidence", 0.0), f"{path}: confidence.min_confidence")
        rules, seen = [], set()
        for i, r in enumerate(data["rules"]):
            where = f"{path}: rule {i + 1}"
            if not isinstance(r, dict):
                raise RulebookError(f"{where}: expected a mapping")
            missing = [k for k in ("id", "clause", "title_ru", "detector", "weight") if not r.get(k) and r.get(k) != 0]
            if missing:
                raise RulebookError(f"{where} ({r.get('id', '?')}): missing {', '.join(missing)}")
            if r["id"] in seen:
                raise RulebookError(f"{where}: rule id {r['id']!r} appears twice")
            seen.add(r["id"])
            severity = r.get("severity", "minor")
            if severity not in SEVERITIES:
                raise RulebookError(f"{where} ({r['id']}): severity must be one of {', '.join(SEVERITIES)}")
            try:
                weight = float(r["weight"])
            except (TypeError, ValueError) as e:
                raise RulebookError(f"{where} ({r['id']}): weight must be a number") from e
            heard_in = r.get("heard_in")
            if heard_in is not None and heard_in not in HEARD_IN:
                raise RulebookError(f"{where} ({r['id']}): heard_in must be one of {', '.join(HEARD_IN)}")
            rules.append(RuleDef(str(r["id"]), str(r["clause"]), str(r["title_ru"]), severity, weight,
                                 str(r["detector"]), dict(r.get("params") or {}), source=str(path),
                                 min_confidence=_unit(r.get("min_confidence", default_min),
                                                      f"{where} ({r['id']}): min_confidence"),
                                 heard_in=heard_in))
        score = data.get("score") or {}
        return cls(edition, rules, dict(data.get("topics") or {}), dict(data.get("readings") or {}),
                   list(data.get("operator_markers") or []), float(score.get("start", 100)),
                   float(score.get("floor", 0)), path)


def _unit(value: Any, where: str) -> float:
    """A number in 0..1 from the rulebook."""
    try:
        x = float(value)
    except (TypeError, ValueError) as e:
        raise RulebookError(f"{where} must be a number from 0 to 1, got {value!r}") from e
    if not 0.0 <= x <= 1.0:
        raise RulebookError(f"{where} must be a number from 0 to 1, got {value!r}")
    return x
