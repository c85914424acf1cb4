"""The checker: a transcript in, a ``CheckResult`` out (CONTRACT.md section 3).

    checker = Checker.default()          # the packaged rulebook
    result = checker.check(transcript)   # topic, readings, findings, score

Order: analyse utterances once (``rules.call``), read the readings, decide the
topic, then run each rule's detector from the registry.  ``rules.confidence``
decides what a rule's findings are worth: a rule that cannot judge the call
(no operator speech, a stretch of absence heard too unsurely, …) is
``not_assessed``; a finding on words below the rule's ``min_confidence`` is
``uncertain`` and counts nowhere.  The score is ``start − Σ weight`` over the
rules with counted findings (each rule once per call, however often it fired),
not below ``floor`` — 100 means no violation; ``None`` when no rule could be
assessed.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from rules.call import Call
from rules.confidence import abstention, judge
from rules.lexicon import RulebookError
from rules.readings import extract_readings
from rules.registry import DETECTORS, load_builtins
from rules.rulebook import DEFAULT_PATH, Rulebook, RuleDef
from rules.topic import classify
from transcription.schema import CheckResult, NotAssessed, Transcript

log = logging.getLogger(__name__)

# rules that concern the whole call: at most one finding each (CONTRACT.md section 3)
ONCE_PER_CALL = frozenset({"greeting.missing", "closing.missing", "name.not_used", "escalation.not_offered",
                           "request.data_missing", "tempo.fast", "aht.over_norm"})


class Checker:
    """Runs one rulebook over transcripts."""

    def __init__(self, rulebook: Rulebook) -> None:
        load_builtins()
        unknown = [r.detector for r in rulebook.rules if r.detector not in DETECTORS]
        if unknown:
            raise RulebookError(f"{rulebook.path}: unknown detector(s) {', '.join(sorted(set(unknown)))}; "
                                f"known: {', '.join(sorted(DETECTORS))}")
        self.rulebook = rulebook
        self._plan = [(r, DETECTORS[r.detector]) for r in rulebook.rules]

    @classmethod
    def default(cls) -> Checker:
        return cls.load(DEFAULT_PATH)

    @classmethod
    def load(cls, path: Path | str) -> Checker:
        return cls(Rulebook.load(path))

    @property
    def version(self) -> str:
        return self.rulebook.edition

    @property
    def rules(self) -> list[RuleDef]:
        return self.rulebook.rules

    def rule_titles(self) -> dict[str, tuple[str, str]]:
        return {r.id: (r.clause, r.title_ru) for r in self.rulebook.rules}

    def check(self, transcript: Transcript) -> CheckResult:
        call = Call(transcript, self.rulebook)
        readings = extract_readings(call, self.rulebook)
        call.topic = classify(call, self.rulebook, readings)
        findings, uncertain, not_assessed = [], [], []
        penalty = 0.0
        for rule, detect in self._plan:
            reason = abstention(call, rule)
            if reason is None:
                found = detect(call, rule)
                if rule.id in ONCE_PER_CALL:
                    found = found[:1]
                counted, unsure, reason = judge(call, rule, found)
            if reason is not None:
                not_assessed.append(NotAssessed(rule.id, reason))
                continue
            uncertain.extend(unsure)
            if counted:
                findings.extend(counted)
                penalty += rule.weight
        order = lambda f: (f.start is None, f.start or 0.0, f.rule)  # noqa: E731
        findings.sort(key=order)
        uncertain.sort(key=order)
        score = None
        if len(not_assessed) < len(self._plan):
            score = max(self.rulebook.score_floor, self.rulebook.score_start - penalty)
        log.debug("%s: topic %s, %d finding(s), %d uncertain, %d not assessed, score %s", transcript.call_id,
                  call.topic, len(findings), len(uncertain), len(not_assessed), score)
        return CheckResult(transcript.call_id, self.version, call.topic, score, findings, readings,
                           language=transcript.language or "unknown", uncertain=uncertain,
                           not_assessed=not_assessed)


def rule_titles(path: Path | str = DEFAULT_PATH) -> dict[str, tuple[str, str]]:
    """rule id → (clause, Russian title), for the dashboard (the YAML is read once per file)."""
    return dict(_titles(str(path)))


@lru_cache(maxsize=8)
def _titles(path: str) -> tuple[tuple[str, tuple[str, str]], ...]:
    return tuple((r.id, (r.clause, r.title_ru)) for r in Rulebook.load(path).rules)
