"""What the rulebook and the evaluation form say: rule titles and clauses, the score's
deduction line, the form of ``rules/forms.yaml``.
"""
from __future__ import annotations

import logging

import polars as pl
import streamlit as st

from core.errors import OkaError
from dashboards import datasource as ds

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def rules() -> dict[str, tuple[str, str]]:
    """Rule id -> (clause, Russian title) from the rulebook (empty if it cannot load: ids are shown)."""
    try:
        from rules.engine import Checker

        return {r.id: (str(r.clause), r.title_ru) for r in Checker.default().rules}
    except (ImportError, OkaError) as e:  # the dashboard still works with bare rule ids
        log.warning("rulebook titles unavailable: %s", e)
        return {}


def deduction(findings: pl.DataFrame, score: float | None, added: pl.DataFrame | None = None,
              form_scored: bool = False) -> str:
    """«100 − 17 (п. 15.1) − 5 (п. 13) = 78» for a call: each rule that still counts, once, with its weight — the
    findings not rejected and the violations auditors ``added`` (their ``rule``).  A call scored by an auditor's
    evaluation form says so: its score is the form's, not the rules' weights."""
    from analytics.catalogue.formats import fmt_deduction, fmt_number
    from analytics.queries.scores import rulebook_weights, weight_of

    if form_scored and score is not None:
        return f"{fmt_number(score)} — оценка по оценочной форме аудитора (не по весам правил)"
    counted = findings.filter(pl.col("verdict").is_null() | (pl.col("verdict") != "rejected"))
    rules = counted.select("rule", "clause").rows()
    if added is not None and not added.is_empty():
        rules += [(rule, None) for rule in added["rule"].to_list()]
    taken = []
    for rule, clause in _first_of_each(rules):
        w = weight_of(rule)
        if w:
            taken.append((w, ds.rules().get(rule, (clause, ""))[0] or clause))
    return fmt_deduction(rulebook_weights()[1], taken, score)


def _first_of_each(rules: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """(rule, clause) pairs, each rule once (its first pair), in order."""
    seen: dict[str, str | None] = {}
    for rule, clause in rules:
        seen.setdefault(rule, clause)
    return list(seen.items())


def rule_titles() -> dict[str, str]:
    """Rule id -> Russian title."""
    return {rule: title for rule, (_clause, title) in ds.rules().items()}


@st.cache_resource(show_spinner=False)
def evaluation_form():
    """The evaluation form of ``rules/forms.yaml``, its rules checked against the rulebook."""
    from rules.engine import Checker
    from rules.forms import load

    return load(known_rules={r.id for r in Checker.default().rules})


def clause_titles() -> dict[str, str]:
    from analytics.queries.clause_rates import clause_titles as titles

    try:
        return titles()
    except (ImportError, OkaError):
        return {}
