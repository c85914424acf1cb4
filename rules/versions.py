"""Which version of each rule judged a call: fingerprints of the rulebook, so an edit re-judges only what it can change.

A rule's *fingerprint* is the hash of everything that decides what it finds on a
transcript: its normalised definition (clause, detector, ``params`` with the
Kazakh companion's words merged in, ``once_per_call``, ``min_confidence``,
``heard_in``, the languages it has words for) plus the *shared* part of the
rulebook every rule reads through the call (the topics and readings settings —
a detector sees ``call.topic`` — and the packaged word lists under
``rules/lexicons/`` that tokenising and names use).  A rule's ``weight`` is not
part of it: a weight (or the score's ``start``/``floor``) decides only the score,
which is recomputed from the stored findings without matching anything again.
Titles and severities are not stored with a finding and re-judge nothing.

Who is the operator in a mono call transcribed without roles (``rules.call``)
depends on the rulebook's ``operator_markers``/``operator_greeting`` and on the
lexicons of the greeting and closing rules: their hash is ``roles``; when it
changes, every rule is re-judged on the calls whose roles come from it (no
``operator`` utterance, some ``unknown`` ones) and on no other call.

A :class:`Manifest` is the whole state; its ``key`` (a hash) is stored with each
call, and :func:`plan` says, for a call judged under an older manifest, what must
run again: nothing, some rules, or the whole check (``FULL``: the shared part
changed, or the old manifest is unknown).

The program is part of it too, so a release that changes how the rules judge
reaches the stored calls at the next ``oka-qa ingest`` or ``oka-qa recheck``,
and an operator's record never keeps a finding that only an old release made:
the source of every module the check runs (``CHECK_MODULES``, ``rules/*.py`` but
the ones that never judge a call, and ``transcription/schema.py``) and the
versions of the libraries it reads words with (``CHECK_LIBRARIES``) are in the
shared part (a change: the whole check again); a detector's own module is in the
fingerprint of each rule it serves (a change: those rules again).  Comments count
too: a change that only seems harmless re-judges rather than being trusted.
"""
from __future__ import annotations

import hashlib
import inspect
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from rules.lexicon import KkPhrase
from rules.rulebook import Rulebook, RuleDef

LEXICON_DIR = Path(__file__).with_name("lexicons")
# rules whose findings the store makes, not the check (``rules/detectors/ingest.py``): a re-run of such a
# rule decides only whether it was assessed; its findings are left to ``analytics/ingest/overlap.py``
INGEST_DETECTORS = frozenset({"at_ingest"})

FULL = None  # plan(): the whole check must run again (topics, readings and every rule)

RULES_DIR = Path(__file__).resolve().parent
# the modules of ``rules/`` that never run in a check (review forms, the evaluation, wording of numbers, request
# reasons, masking, these fingerprints): a change to them re-judges nothing.  tests/test_versions.py checks that a
# check loads none of them, so a module the check comes to use cannot stay outside the fingerprints unnoticed.
NOT_CHECKING = frozenset({"entities.py", "eval.py", "forms.py", "lemmas.py", "number_agreement.py", "reasons.py",
                          "versions.py"})
CHECK_LIBRARIES = ("pymorphy3", "pymorphy3-dicts-ru", "rapidfuzz", "edlib")


def check_modules() -> list[Path]:
    """The source files of the shared part of the check: ``rules/*.py`` but ``NOT_CHECKING`` (the detectors'
    modules are fingerprinted per rule) and the transcript's schema."""
    own = [p for p in sorted(RULES_DIR.glob("*.py")) if p.name not in NOT_CHECKING]
    return [*own, RULES_DIR.parent / "transcription" / "schema.py"]


@lru_cache(maxsize=1)
def shared_code() -> str:
    """The hash of the shared code and the libraries' versions (once per process: the program does not change
    while it runs)."""
    h = hashlib.sha256()
    for path in check_modules():
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for lib in CHECK_LIBRARIES:
        try:
            version = metadata.version(lib)
        except metadata.PackageNotFoundError:
            version = "absent"
        h.update(f"{lib}={version}\0".encode())
    return h.hexdigest()[:16]


@lru_cache(maxsize=64)
def detector_code(detector: str) -> str:
    """The hash of the source file a detector is defined in (a detector registered from elsewhere: its own file;
    one without a file: its qualified name, so it still has a fingerprint of its own)."""
    from rules.registry import DETECTORS, load_builtins

    load_builtins()
    fn = DETECTORS.get(detector)
    try:
        source = Path(inspect.getsourcefile(fn)).read_bytes() if fn is not None else b""
    except (TypeError, OSError):
        source = f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', detector)}".encode()
    return hashlib.sha256(source).hexdigest()[:16]


def _plain(value: Any) -> Any:
    """A JSON-able copy of rulebook data; a Kazakh phrase stays distinct from the same letters in Russian."""
    if isinstance(value, KkPhrase):
        return {"kk": str(value)}
    if isinstance(value, dict):
        return [[_plain(k), _plain(v)] for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(v) for v in value)
    return value


def _hash(*parts: Any) -> str:
    text = json.dumps([_plain(p) for p in parts], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _files_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.glob("*")) if folder.is_dir() else ():
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def rule_definition(rule: RuleDef) -> list:
    """What of a rule decides its findings (the weight, title and severity do not)."""
    return [rule.id, rule.clause, rule.detector, rule.params, rule.once_per_call, rule.min_confidence,
            rule.heard_in, sorted(rule.languages)]


@dataclass(frozen=True)
class Manifest:
    """The rulebook as far as stored verdicts are concerned."""

    edition: str
    shared: str
    roles: str
    score: tuple[float, float]                      # start, floor
    rules: dict[str, tuple[str, float]] = field(default_factory=dict)   # rule id -> (fingerprint, weight)

    @property
    def key(self) -> str:
        return _hash(self.to_json())

    def to_json(self) -> str:
        return json.dumps({"edition": self.edition, "shared": self.shared, "roles": self.roles,
                           "score": list(self.score), "rules": {r: list(v) for r, v in self.rules.items()}},
                          ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        d = json.loads(text)
        return cls(d["edition"], d["shared"], d["roles"], tuple(d["score"]),
                   {r: (v[0], float(v[1])) for r, v in d["rules"].items()})


def manifest(book: Rulebook) -> Manifest:
    shared = _hash(book.topics, book.readings, list(book.languages), _files_hash(LEXICON_DIR), shared_code())
    roles = _hash(book.operator_markers, book.operator_greeting)
    rules = {r.id: (_hash(shared, rule_definition(r), detector_code(r.detector)), float(r.weight))
             for r in book.rules}
    return Manifest(book.edition, shared, roles, (book.score_start, book.score_floor), rules)


@dataclass(frozen=True)
class Plan:
    """What a call judged under ``old`` needs under ``new``."""

    rules: frozenset[str] | None          # the rules to run again (None: the whole check)
    removed: frozenset[str]               # rules gone from the rulebook: their verdicts are deleted
    roles_changed: bool                   # mono calls without roles: the whole check

    @property
    def anything(self) -> bool:
        return self.rules is None or bool(self.rules) or bool(self.removed) or self.roles_changed


def plan(old: Manifest | None, new: Manifest) -> Plan:
    if old is None or old.shared != new.shared:
        return Plan(FULL, frozenset(), True)
    changed = frozenset(r for r, (fp, _w) in new.rules.items() if old.rules.get(r, (None,))[0] != fp)
    removed = frozenset(old.rules) - frozenset(new.rules)
    return Plan(changed, removed, old.roles != new.roles)
