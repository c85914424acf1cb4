"""Scores that follow the auditors' decisions: a call's score from the violations that count.

A call's stored score is the rulebook's at check time: 100 − the weights of the rules that
fired, each rule once per call.  When an auditor rejects a finding, the rule stops counting for
that call unless another of its findings still stands, and its weight (the rulebook in use,
``rules/rulebook.yaml``) comes back to the score; a violation an auditor adds (the check missed it)
takes its rule's weight off, unless the rule counts in the call already.  Every
query that reads a call's score reads it through ``SCORED_CALLS`` (the KPIs, the dashboard's
views, the search, the report), so the call, the operator, the department and the report move
together the moment a finding is rejected or a violation added.  Calls without either keep their stored
score exactly; a call nothing could be judged on keeps ``NULL``.
"""
from __future__ import annotations

import re
from functools import lru_cache

_RULE_ID = re.compile(r"[a-z0-9_.]+")

# a finding counts unless an auditor rejected it (the review's rule, when kept, must be the finding's)
REJECTED = ("r.call_id = f.call_id AND r.idx = f.idx AND r.verdict = 'rejected' "
            "AND (r.rule IS NULL OR r.rule = f.rule)")


@lru_cache(maxsize=1)
def rulebook_weights() -> tuple[tuple[tuple[str, float], ...], float, float]:
    """((rule id, weight), ...), the score's start and its floor, from the rulebook in use."""
    from rules.rulebook import Rulebook

    book = Rulebook.load()
    return tuple((r.id, float(r.weight)) for r in book.rules), float(book.score_start), float(book.score_floor)


def weight_of(rule: str) -> float | None:
    """The rulebook's weight of ``rule`` (None for a rule it does not have)."""
    return dict(rulebook_weights()[0]).get(rule)


@lru_cache(maxsize=1)
def scored_ctes() -> str:
    """CTEs ``rule_weights``, ``touched``, ``stored_rules``, ``counting_rules``, ``rule_delta`` and ``rescored``
    (call_id, score): the score of every call whose counting rules differ from those its stored score took
    off, because an auditor rejected each of a rule's findings in it or added a violation of a rule it did not
    find.  No parameters.

    A rule that stopped counting gives its weight back, a rule an auditor added takes its weight off (each rule
    once per call, as the checker counts), between the floor and the start; a stored score at the floor hides
    how much was taken, so it is recomputed from the weights of the rules that count.
    """
    weights, start, floor = rulebook_weights()
    # rule ids and weights come from the project's own rulebook, checked here, never from a user
    values = ", ".join(f"('{rule}', {weight!r})" for rule, weight in weights if _RULE_ID.fullmatch(rule))
    return f"""
    rule_weights(rule, weight) AS (VALUES {values or "(NULL, NULL)"}),
    touched AS (   -- the calls an auditor changed: a finding rejected, or a violation added
        SELECT call_id FROM reviews WHERE verdict = 'rejected' UNION SELECT call_id FROM added_violations
    ),
    stored_rules AS (SELECT DISTINCT f.call_id, f.rule FROM findings f SEMI JOIN touched USING (call_id)),
    counting_rules AS (SELECT DISTINCT v.call_id, v.rule FROM counted_violations v SEMI JOIN touched USING (call_id)),
    rule_delta AS (
        SELECT coalesce(s.call_id, k.call_id) AS call_id,
               sum(coalesce(w.weight, 0)) FILTER (WHERE k.rule IS NULL) AS given_back,
               sum(coalesce(w.weight, 0)) FILTER (WHERE s.rule IS NULL) AS newly_taken,
               sum(coalesce(w.weight, 0)) FILTER (WHERE k.rule IS NOT NULL) AS counting
        FROM stored_rules s FULL JOIN counting_rules k ON k.call_id = s.call_id AND k.rule = s.rule
        LEFT JOIN rule_weights w ON w.rule = coalesce(s.rule, k.rule)
        GROUP BY ALL HAVING bool_or(s.rule IS NULL OR k.rule IS NULL)
    ),
    rescored AS (
        SELECT d.call_id,
               CASE WHEN c.score <= {floor!r}
                    THEN greatest({floor!r}, {start!r} - coalesce(d.counting, 0))
                    ELSE greatest({floor!r}, least({start!r},
                                  c.score + coalesce(d.given_back, 0) - coalesce(d.newly_taken, 0))) END AS score
        FROM rule_delta d JOIN calls c USING (call_id)
    )"""


def scored_calls(alias: str = "c") -> str:
    """``SELECT`` list and ``FROM`` of the calls with their score as it stands now (after ``scored_ctes``):
    an evaluation form's where an auditor filled one (the store's ``scored_calls`` view), else the
    rulebook's with the rejected findings' weights given back."""
    return (f"{alias}.* REPLACE (CASE WHEN {alias}.form_scored OR {alias}.score IS NULL THEN {alias}.score "
            f"ELSE coalesce(rs.score, {alias}.score) END AS score) "
            f"FROM scored_calls {alias} LEFT JOIN rescored rs ON rs.call_id = {alias}.call_id")
