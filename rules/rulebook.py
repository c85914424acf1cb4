"""The rulebook: rules as data (``rulebook.yaml``), loaded and checked once.

Each rule names its detector; the detector reads its words and thresholds from
``params``.  Lexicons are compiled on first use and kept with the rule.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from rules.confidence import HEARD_IN
from rules.lexicon import KkPhrase, Lexicon, RulebookError

log = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).with_name("rulebook.yaml")
SEVERITIES = ("minor", "major", "critical")
BASE_LANGUAGE = "ru"   # the language of rulebook.yaml's own lexicons


@dataclass
class RuleDef:
    """One rule of the rulebook (docs/CONTRACT.md section 3)."""

    id: str
    clause: str
    title_ru: str
    severity: str
    weight: float
    detector: str
    params: dict[str, Any] = field(default_factory=dict)
    source: str = "rulebook"
    once_per_call: bool = False  # the rule concerns the whole call: at most one finding per call
    languages: frozenset[str] = frozenset({BASE_LANGUAGE})   # the languages this rule has lexicons for
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
                                by_lemma=by_lemma, fuzzy_min=int(self.params.get("fuzzy_min", 7)),
                                kk_by_stem=self.params.get("kk_match", "stem") == "stem",
                                kk_case_as_written=self.params.get("kk_phrase_case") == "as_written")
            self._lex[key] = lex
        return lex

    def lexicon_of(self, name: str, items: list[Any], by_lemma: bool) -> Lexicon:
        """A compiled phrase list from a nested parameter (kept under ``name``)."""
        lex = self._lex.get(name)
        if lex is None:
            lex = Lexicon.build(items, f"{self.source}: rule {self.id}: {name}", by_lemma=by_lemma,
                                fuzzy_min=int(self.params.get("fuzzy_min", 7)),
                                kk_by_stem=self.params.get("kk_match", "stem") == "stem")
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
    operator_markers: list[str]      # the operator_greeting phrases first, then the other markers
    score_start: float = 100.0
    score_floor: float = 0.0
    path: Path = DEFAULT_PATH
    operator_greeting: list[str] = field(default_factory=list)  # how the operator names the company
    languages: tuple[str, ...] = (BASE_LANGUAGE,)   # the rulebook's languages (companion files included)
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
            once = r.get("once_per_call", False)
            if not isinstance(once, bool):
                raise RulebookError(f"{where} ({r['id']}): once_per_call must be true or false")
            heard_in = r.get("heard_in")
            if heard_in is not None and heard_in not in HEARD_IN:
                raise RulebookError(f"{where} ({r['id']}): heard_in must be one of {', '.join(HEARD_IN)}")
            rules.append(RuleDef(str(r["id"]), str(r["clause"]), str(r["title_ru"]), severity, weight,
                                 str(r["detector"]), dict(r.get("params") or {}), source=str(path),
                                 once_per_call=once,
                                 min_confidence=_unit(r.get("min_confidence", default_min),
                                                      f"{where} ({r['id']}): min_confidence"),
                                 heard_in=heard_in))
        score = data.get("score") or {}
        greeting = data.get("operator_greeting") or []
        if not isinstance(greeting, list) or not all(isinstance(g, str) and g.strip() for g in greeting):
            raise RulebookError(f"{path}: 'operator_greeting' must be a list of phrases")
        greeting = [" ".join(g.lower().replace("ё", "е").split()) for g in greeting]
        book = cls(edition, rules, dict(data.get("topics") or {}), dict(data.get("readings") or {}),
                   greeting + list(data.get("operator_markers") or []), float(score.get("start", 100)),
                   float(score.get("floor", 0)), path, operator_greeting=greeting)
        for lang, rel in (data.get("languages") or {}).items():
            companion = path.parent / str(rel)
            if not companion.exists() and (DEFAULT_PATH.parent / str(rel)).exists():
                companion = DEFAULT_PATH.parent / str(rel)  # a copied rulebook keeps the packaged companion
            add_language(book, str(lang), companion)
        return book


def operator_greeting(path: Path | str = DEFAULT_PATH) -> tuple[str, ...]:
    """The phrases by which the operator names the company when answering (the rulebook's
    ``operator_greeting``): what mono role assignment looks for (``TranscribeOptions.operator_greeting``)."""
    return _greeting(str(path))


@lru_cache(maxsize=8)
def _greeting(path: str) -> tuple[str, ...]:
    return tuple(Rulebook.load(path).operator_greeting)


def add_language(book: Rulebook, lang: str, path: Path) -> None:
    """Merges a companion rulebook of another language (``rulebook_kk.yaml``) into ``book``.

    A rule listed there gets that language's words appended to each of its lists
    (``params`` merged key by key, nested mappings too) and counts as judgeable in
    that language; a rule not listed is not (``not_assessed``, reason ``language``).
    Topic cues, readings words and the operator's markers merge the same way.
    """
    if lang != "kk":
        raise RulebookError(f"{path}: only a Kazakh (kk) companion rulebook is supported, got {lang!r}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise RulebookError(f"{path}: companion rulebook ({lang}) not found") from e
    except yaml.YAMLError as e:
        raise RulebookError(f"{path}: not valid YAML ({str(e).splitlines()[0]})") from e
    if not isinstance(data, dict) or not isinstance(data.get("rules"), dict):
        raise RulebookError(f"{path}: expected a mapping with 'rules': {{rule id: params}}")
    by_id = {r.id: r for r in book.rules}
    for rid, params in data["rules"].items():
        rule = by_id.get(rid)
        if rule is None:
            raise RulebookError(f"{path}: rule {rid!r} is not in {book.path}")
        if params is not None and not isinstance(params, dict):
            raise RulebookError(f"{path}: rule {rid}: expected a mapping of params")
        rule.params = _merge(rule.params, params or {})
        rule.languages = rule.languages | {lang}
    book.topics = _merge(book.topics, data.get("topics") or {})
    book.readings = _merge(book.readings, data.get("readings") or {})
    book.operator_markers = book.operator_markers + _tag(data.get("operator_markers") or [])
    book.languages = (*book.languages, lang)


def _tag(value: Any) -> Any:
    """Strings (and mapping keys of phrase entries) marked as Kazakh, recursively."""
    if isinstance(value, str):
        return KkPhrase(value)
    if isinstance(value, list):
        return [_tag(v) for v in value]
    if isinstance(value, dict):
        return {(KkPhrase(k) if isinstance(k, str) else k): _tag(v) for k, v in value.items()}
    return value


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for k, v in extra.items():
        old = out.get(k)
        if isinstance(old, list) and isinstance(v, list):
            out[k] = old + _tag(v)
        elif isinstance(old, dict) and isinstance(v, dict):
            out[k] = _merge(old, v)
        elif old is None:
            out[k] = _tag(v) if isinstance(v, (list, dict)) else v
        else:
            out[k] = old  # a scalar setting stays the base rulebook's
    return out


def _unit(value: Any, where: str) -> float:
    """A number in 0..1 from the rulebook."""
    try:
        x = float(value)
    except (TypeError, ValueError) as e:
        raise RulebookError(f"{where} must be a number from 0 to 1, got {value!r}") from e
    if not 0.0 <= x <= 1.0:
        raise RulebookError(f"{where} must be a number from 0 to 1, got {value!r}")
    return x
