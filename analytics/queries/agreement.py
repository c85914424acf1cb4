"""How far auditors agree: percent agreement, Cohen's kappa (two raters) and Fleiss' kappa (several).

An *item* is one question put to every rater (a criterion of one call's form);
its ratings are the answers (yes / no / na), one per rater.  Items a rater left
unanswered are left out of that rater's figures.

* percent agreement of an item: the share of agreeing rater pairs,
  Σ n_k (n_k − 1) / (n (n − 1)) (Fleiss' P_i); over items, their mean;
* Fleiss' kappa: (P̄ − P̄e) / (1 − P̄e), P̄e = Σ p_k², p_k the share of all ratings in category k;
* Cohen's kappa of two raters: (p_o − p_e) / (1 − p_e), p_e = Σ p_a(k) p_b(k).

A kappa is None where chance agreement is already total (every rating in one
category): agreement then says nothing about judgement.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analytics.storage import calibration


def item_agreement(ratings: Sequence[str]) -> float:
    """The share of rater pairs that agree on one item (1.0 for fewer than two ratings)."""
    n = len(ratings)
    if n < 2:
        return 1.0
    return sum(c * (c - 1) for c in Counter(ratings).values()) / (n * (n - 1))


def percent_agreement(items: Sequence[Sequence[str]]) -> float | None:
    """Mean pairwise agreement over items with two ratings or more, in %."""
    rated = [r for r in items if len(r) >= 2]
    if not rated:
        return None
    return 100.0 * sum(item_agreement(r) for r in rated) / len(rated)


def fleiss_kappa(items: Sequence[Sequence[str]]) -> float | None:
    """Fleiss' kappa over items rated by the same number of raters (at least two)."""
    rated = [r for r in items if len(r) >= 2]
    if not rated:
        return None
    n = len(rated[0])
    if any(len(r) != n for r in rated):
        raise ValueError("Fleiss' kappa needs the same number of ratings on every item")
    totals = Counter(a for r in rated for a in r)
    all_ratings = len(rated) * n
    p_e = sum((c / all_ratings) ** 2 for c in totals.values())
    p_bar = sum(item_agreement(r) for r in rated) / len(rated)
    if p_e >= 1.0:
        return None
    return (p_bar - p_e) / (1.0 - p_e)


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's kappa of two raters' answers to the same items (in the same order)."""
    if len(a) != len(b):
        raise ValueError("Cohen's kappa needs both raters' answers to the same items")
    if not a:
        return None
    n = len(a)
    p_o = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    p_e = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if p_e >= 1.0:
        return None
    return (p_o - p_e) / (1.0 - p_e)


def pairwise(answers: dict[str, dict[tuple, str]], rater: str) -> tuple[float | None, float | None]:
    """One rater against each other one: mean percent agreement and mean Cohen's kappa over the items both
    answered (``answers``: rater -> {item: answer})."""
    mine = answers.get(rater, {})
    pcts, kappas = [], []
    for other, theirs in answers.items():
        if other == rater:
            continue
        common = sorted(set(mine) & set(theirs))
        if not common:
            continue
        a, b = [mine[i] for i in common], [theirs[i] for i in common]
        pcts.append(100.0 * sum(x == y for x, y in zip(a, b, strict=True)) / len(common))
        k = cohen_kappa(a, b)
        if k is not None:
            kappas.append(k)
    return (sum(pcts) / len(pcts) if pcts else None, sum(kappas) / len(kappas) if kappas else None)


# --- a calibration session (analytics/storage/calibration.py) ---------------------------------------

@dataclass(frozen=True)
class Agreement:
    overall_pct: float | None
    overall_kappa: float | None
    by_criterion: pl.DataFrame     # criterion, items, agreement_pct, kappa
    by_auditor: pl.DataFrame       # auditor, answered, agreement_pct, kappa (mean Cohen's against each other one)
    by_call: pl.DataFrame          # call_id, disagreements (criteria not unanimous), agreement_pct; worst first
    majority: dict[tuple[str, str], str]   # (call_id, criterion) -> the most given answer (ties: the strictest)
    split: frozenset[tuple[str, str]]      # the (call_id, criterion) the participants answered differently


_STRICT = {"no": 0, "yes": 1, "na": 2}   # a tie is settled towards «no»: the auditors then talk it over


def session_agreement(db: Path, session_id: str) -> Agreement:
    """Agreement over the items every participant answered (Fleiss' kappa needs a full row)."""
    s = calibration.session(db, session_id)
    df = calibration.all_answers(db, session_id)
    by_item: dict[tuple[str, str], dict[str, str]] = {}
    for who, call_id, criterion, answer, _w in df.iter_rows():
        by_item.setdefault((call_id, criterion), {})[who] = answer
    full = {k: v for k, v in by_item.items() if set(v) >= set(s.auditors)}
    rows = {k: [v[a] for a in s.auditors] for k, v in sorted(full.items())}

    crit_rows = []
    for criterion in sorted({c for _call, c in rows}):
        items = [r for (_call, c), r in rows.items() if c == criterion]
        crit_rows.append({"criterion": criterion, "items": len(items), "agreement_pct": percent_agreement(items),
                          "kappa": fleiss_kappa(items)})
    per_rater = {a: {k: v[a] for k, v in full.items()} for a in s.auditors}
    aud_rows = []
    for a in s.auditors:
        pct, kappa = pairwise(per_rater, a)
        aud_rows.append({"auditor": a, "answered": len(per_rater[a]), "agreement_pct": pct, "kappa": kappa})
    call_rows = []
    for call_id in s.calls:
        items = [r for (c, _k), r in rows.items() if c == call_id]
        call_rows.append({"call_id": call_id, "disagreements": sum(len(set(r)) > 1 for r in items),
                          "agreement_pct": percent_agreement(items)})
    majority = {k: max(Counter(r).items(), key=lambda kv: (kv[1], -_STRICT.get(kv[0], 9)))[0] for k, r in rows.items()}
    schema_c = {"criterion": pl.String, "items": pl.Int64, "agreement_pct": pl.Float64, "kappa": pl.Float64}
    schema_a = {"auditor": pl.String, "answered": pl.Int64, "agreement_pct": pl.Float64, "kappa": pl.Float64}
    schema_k = {"call_id": pl.String, "disagreements": pl.Int64, "agreement_pct": pl.Float64}
    return Agreement(percent_agreement(list(rows.values())), fleiss_kappa(list(rows.values())),
                     pl.DataFrame(crit_rows, schema=schema_c),
                     pl.DataFrame(aud_rows, schema=schema_a),
                     pl.DataFrame(call_rows, schema=schema_k).sort(["disagreements", "call_id"],
                                                                   descending=[True, False]),
                     majority, frozenset(k for k, r in rows.items() if len(set(r)) > 1))
