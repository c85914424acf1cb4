"""Training recommendations from each operator's most frequent violations.

What to train for each rule is data (``training.yaml``), so a trainer edits
the wording without touching code.
"""
from __future__ import annotations

import functools
from importlib import resources

import yaml

from analytics.reports.model import OperatorRow, Recommendation
from analytics.reports.options import ReportOptions
from core.errors import OkaError


class TrainingCatalogError(OkaError):
    """training.yaml is unreadable or not a mapping of rule id to text."""


@functools.cache
def catalog() -> dict[str, str]:
    src = resources.files("analytics.reports").joinpath("training.yaml")
    try:
        data = yaml.safe_load(src.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise TrainingCatalogError(f"{src}: cannot read the training catalog ({e})") from e
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise TrainingCatalogError(f"{src}: expected «rule id: recommendation» lines")
    return {str(k): " ".join(v.split()) for k, v in data.items()}


def recommend(operators: list[OperatorRow], clauses: dict[str, str], opts: ReportOptions) -> list[Recommendation]:
    """Per operator: the most frequent violated rules, then timeliness below target.

    ``clauses`` maps rule id to its clause; ``operators[i].top_rules`` is
    (rule, count) with the most frequent first.
    """
    texts = catalog()
    out = []
    for o in operators:
        items = []
        for rule, count in o.top_rules[: opts.top_rules_per_operator]:
            if count >= opts.min_violations_for_training:
                items.append((rule, clauses.get(rule, ""), count,
                              texts.get(rule, f"Разобрать с оператором записи звонков с нарушением «{rule}».")))
        for pct, target, key, clause in ((o.registered_on_time_pct, opts.registered_target_pct,
                                          "kpi.registered_late", "2.6 № 1"),
                                         (o.readings_on_time_pct, opts.readings_target_pct,
                                          "kpi.readings_late", "2.6 № 2")):
            if pct is not None and pct < target:
                late = round(100 - pct, 1)
                items.append((key, clause, None, texts[key] + f" Вне срока — {str(late).replace('.', ',')} %."))
        out.append(Recommendation(o.operator_id, o.name, items))
    return out
