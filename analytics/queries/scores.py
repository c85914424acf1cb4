"""Scores that follow the auditors' decisions: a call's score from the findings that count.

A call's stored score is the rulebook's at check time: 100 − the weights of the rules that
fired, each rule once per call.  When an auditor rejects a finding, the rule stops counting for
that call unless another of its findings still stands, and its weight (the rulebook in use,
``rules/rulebook.yaml``) comes back to the score.  Every
query that reads a call's score reads it through ``SCORED_CALLS`` (the KPIs, the dashboard's
views, the search, the report), so the call, the operator, the department and the report move
together the moment a finding is rejected.  Calls without a rejection keep their stored score
exactly; a call nothing could be judged on keeps ``NULL``.
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
    """CTEs ``rule_weights``, ``dropped`` and ``rescored`` (call_id, score): the score of every call one of
    whose rules stopped counting (each of its findings in the call rejected).  No parameters.

    The stored score gets the dropped rules' weights back (capped at the start); a stored score at the
    floor hides how much was taken, so it is recomputed from the weights of the rules still counting.
    """
    weights, start, floor = rulebook_weights()
    # rule ids and weights come from the project's own rulebook, checked here, never from a user
    values = ", ".join(f"('{rule}', {weight!r})" for rule, weight in weights if _RULE_ID.fullmatch(rule))
    return f"""
    rule_weights(rule, weight) AS (VALUES {values or "(NULL, NULL)"}),
    judged AS (   -- the rules of every call with a rejected finding, and whether each still counts
        SELECT f.call_id, f.rule, bool_or(r.call_id IS NULL) AS counts
        FROM findings f LEFT JOIN reviews r ON {REJECTED}
        WHERE f.call_id IN (SELECT call_id FROM reviews WHERE verdict = 'rejected')
        GROUP BY f.call_id, f.rule
    ),
    dropped AS (
        SELECT j.call_id, sum(coalesce(w.weight, 0)) FILTER (WHERE NOT j.counts) AS given_back,
               sum(coalesce(w.weight, 0)) FILTER (WHERE j.counts) AS still_taken
        FROM judged j LEFT JOIN rule_weights w USING (rule)
        GROUP BY j.call_id HAVING bool_or(NOT j.counts)
    ),
    rescored AS (
        SELECT d.call_id,
               CASE WHEN c.score <= {floor!r}
                    THEN greatest({floor!r}, {start!r} - coalesce(d.still_taken, 0))
                    ELSE least({start!r}, c.score + coalesce(d.given_back, 0)) END AS score
        FROM dropped d JOIN calls c USING (call_id)
    )"""


def scored_calls(alias: str = "c") -> str:
    """``SELECT`` list and ``FROM`` of the calls with their score as it stands now (after ``scored_ctes``):
    an evaluation form's where an auditor filled one (the store's ``scored_calls`` view), else the
    rulebook's with the rejected findings' weights given back."""
    return (f"{alias}.* REPLACE (CASE WHEN {alias}.form_scored OR {alias}.score IS NULL THEN {alias}.score "
            f"ELSE coalesce(rs.score, {alias}.score) END AS score) "
            f"FROM scored_calls {alias} LEFT JOIN rescored rs ON rs.call_id = {alias}.call_id")
