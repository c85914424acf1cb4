"""The checker: a transcript in, a ``CheckResult`` out (docs/CONTRACT.md section 3).

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
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rules.call import Call
from rules.confidence import abstention, judge
from rules.lexicon import RulebookError
from rules.readings import extract_readings
from rules.registry import DETECTORS, load_builtins
from rules.rulebook import DEFAULT_PATH, Rulebook, RuleDef
from rules.topic import classify
from transcription.schema import CheckResult, Finding, NotAssessed, Transcript

log = logging.getLogger(__name__)


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
        topics = classify(call, self.rulebook, readings)
        call.topic = topics[0]
        v = self._judge(call, self._plan)
        score = None  # nothing could be judged: left out of score averages (docs/CONTRACT.md section 3)
        if len(v.not_assessed) < len(self._plan):
            score = max(self.rulebook.score_floor, self.rulebook.score_start - v.penalty)
        log.debug("%s: topic %s, %d finding(s), %d uncertain, %d not assessed, score %s", transcript.call_id,
                  call.topic, len(v.findings), len(v.uncertain), len(v.not_assessed), score)
        return CheckResult(transcript.call_id, self.version, call.topic, score, v.findings, readings,
                           topics=topics, language=call.language, uncertain=v.uncertain,
                           not_assessed=v.not_assessed)

    def check_rules(self, transcript: Transcript, rules: Collection[str], topic: str) -> Verdicts:
        """Only ``rules`` on a transcript whose topic is known: their findings, uncertain ones and
        not-assessed exactly as ``check`` gives them, without the topic, readings or the other rules
        (a re-check after a rulebook edit, ``analytics/ingest/recheck.py``)."""
        call = Call(transcript, self.rulebook)
        call.topic = topic
        return self._judge(call, [(r, d) for r, d in self._plan if r.id in rules])

    def _judge(self, call: Call, plan: list) -> Verdicts:
        """Runs the detectors of ``plan`` on ``call`` and weighs what they found (``rules.confidence``)."""
        findings, uncertain = [], []
        penalty = 0.0
        not_assessed = language_not_assessed([r for r, _ in plan], judged_language(call))
        skipped = {n.rule for n in not_assessed}
        for rule, detect in plan:
            if rule.id in skipped:
                continue
            reason = abstention(call, rule)
            if reason is None:
                found = detect(call, rule)
                if rule.once_per_call:  # the rulebook's field: the rule concerns the whole call
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
        return Verdicts(findings, uncertain, not_assessed, penalty)


@dataclass
class Verdicts:
    """What some rules made of one call: counted findings, uncertain ones, the rules not assessed, and the
    weight the counted findings take off the score."""

    findings: list[Finding]
    uncertain: list[Finding]
    not_assessed: list[NotAssessed]
    penalty: float


def judged_language(call: Call) -> str:
    """The language the rules judge a call in: the call's, except in a mixed call whose operator spoke one language
    only (a Kazakh-speaking customer answered in Russian): the operator's.  The rules judge what the operator says,
    so a Russian-only rule (fillers, jargon, third parties' data) judges such a call as it judges a Russian one,
    and a mixed call is not a way past them."""
    if call.language != "mixed":
        return call.language
    spoken = {u.language for u in call.operator if u.language}
    return spoken.pop() if len(spoken) == 1 else call.language


def spoken_languages(language: str) -> frozenset[str]:
    """The lexicon languages a call in ``language`` needs (an unknown language is judged as Russian)."""
    return {"kk": frozenset({"kk"}), "mixed": frozenset({"ru", "kk"})}.get(language, frozenset({"ru"}))


def language_not_assessed(rules: list[RuleDef], language: str) -> list[NotAssessed]:
    """The rules with no lexicon for a language spoken in the call: not assessed, reason ``language``.

    A rule judged on a Kazakh call with Russian words only would miss the
    Kazakh violation and, worse, find a Kazakh greeting or farewell «missing»;
    so it is left out of that call's score and out of the rule's rates.
    """
    need = spoken_languages(language)
    return [NotAssessed(r.id, "language") for r in rules if not need <= r.languages]


def rule_titles(path: Path | str = DEFAULT_PATH) -> dict[str, tuple[str, str]]:
    """rule id → (clause, Russian title), for the dashboard (the YAML is read once per file)."""
    return dict(_titles(str(path)))


@lru_cache(maxsize=8)
def _titles(path: str) -> tuple[tuple[str, tuple[str, str]], ...]:
    return tuple((r.id, (r.clause, r.title_ru)) for r in Rulebook.load(path).rules)
