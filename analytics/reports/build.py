"""Fill a :class:`ReportData` from the store, through the same queries the
dashboard uses: ``analytics.queries.kpi`` for the KPIs and their lists,
``analytics.queries.views`` for the per-operator and per-rule tables."""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from analytics.catalogue import kpis as catalogue
from analytics.queries import report_queries, views
from analytics.reports import lists as lists_mod
from analytics.reports.model import ClauseRow, Example, Indicator, OperatorRow, Period, ReportData, Scope
from analytics.reports.options import ReportOptions
from analytics.reports.recommend import recommend
from analytics.reports.statements import load_coverage, review_rows
from core import clock

log = logging.getLogger(__name__)

INDICATORS = [
    # (number, title, kpi key, criterion template, the KPIs that detail it); the short title, the
    # target's option and the details' names are the KPI catalogue's (analytics.catalogue.kpis)
    (1, "Своевременность регистрации заявок на опломбировку, распломбировку, технический осмотр ИПУ ГВС, ПУТЭ",
     "requests_registered_on_time_pct",
     ("Заявка внесена в ИС РАДИ / СЭД не позднее 7 мин после окончания звонка (Прил. 1); "
      "доля таких заявок не ниже {target} %"),
     ("requests", "requests_completed_on_time_pct", "requests_overdue", "requests_incomplete")),
    (2, "Своевременность внесения показаний ИПУ ГВС в базу данных со слов потребителей",
     "readings_entered_on_time_pct",
     ("Показания внесены в базу АЛСЕКО не позднее 5 мин после окончания звонка (Прил. 1); "
      "доля таких показаний не ниже {target} %"),
     ("readings", "readings_value_mismatch")),
]


def rule_catalog() -> dict[str, tuple[str, str]]:
    """rule id -> (clause, Russian title), from the rulebook in use."""
    from rules.engine import Checker

    return {r.id: (str(r.clause), r.title_ru) for r in Checker.default().rules}


def verdict(value: float | None, target: float) -> str:
    if value is None:
        return "нет данных"
    return "выполнен" if value >= target else "не выполнен"


def _indicators(kpis: dict, prev: dict, opts: ReportOptions) -> list[Indicator]:
    out = []
    for number, title, key, criterion, details in INDICATORS:
        kpi = catalogue.BY_KEY[key]
        target = kpi.target(opts)
        out.append(Indicator(number, title, kpi.label, criterion.format(target=f"{target:g}".replace(".", ",")), key,
                             kpis.get(key), prev.get(key), target, verdict(kpis.get(key), target),
                             [(_detail_label(k), k, kpis.get(k), prev.get(k)) for k in details]))
    return out


def _detail_label(key: str) -> str:
    kpi = catalogue.BY_KEY[key]
    return kpi.label + (", %" if kpi.unit == "pct" else "")


def _clauses(db: Path, period: Period, catalog: dict[str, tuple[str, str]], violations: dict[str, int],
             opts: ReportOptions) -> list[ClauseRow]:
    """Every rule of the rulebook: calls with a violation (views.rule_counts, as on the «Пункты
    стандарта» page), violations (the KPI ``violations``) and a few quotes."""
    counts = {r["rule"]: r for r in views.rule_counts(db, period.start, period.end).iter_rows(named=True)}
    examples: dict[str, list[Example]] = {}
    ex = report_queries.violation_examples(db, period.start, period.end, opts.examples_per_clause)
    for r in ex.iter_rows(named=True):
        examples.setdefault(r["rule"], []).append(
            Example(r["call_id"], r["started_at"], r["operator"] or "—", r["start"], r["evidence"], bool(r["said"])))
    skipped = report_queries.not_assessed_calls(db, period.start, period.end)
    rows = []
    for rule in dict.fromkeys([*catalog, *violations, *counts]):
        clause, title = catalog.get(rule, (counts.get(rule, {}).get("clause") or "—", rule))
        rows.append(ClauseRow(rule, clause, title, int(counts.get(rule, {}).get("calls") or 0),
                              int(violations.get(rule, 0)), examples.get(rule, []), skipped.get(rule, 0)))
    rows.sort(key=lambda r: (-r.violations, _clause_key(r.clause), r.rule))
    return rows


def _clause_key(clause: str) -> tuple:
    head = clause.replace("–", "-").split("-")[0].split(",")[0].strip()
    try:
        return (0, *[int(p) for p in head.split(".")])
    except ValueError:
        return (1, head)


def _mask_quotes(clauses: list[ClauseRow], keep_names: list[str]) -> None:
    """Quotes as a reader without access to personal data may see them (the operators' names stay)."""
    from rules.privacy import MaskOptions, mask_text

    opts = MaskOptions(keep_names=tuple(n for n in keep_names if n))
    for c in clauses:
        for e in c.examples:
            e.evidence = mask_text(e.evidence, "", opts)[0]


def _operators(db: Path, period: Period, opts: ReportOptions) -> list[OperatorRow]:
    """One row per operator who took a call in the period, from the KPI breakdown (the same figures as ``oka-qa
    kpi``, and the same operators as the «Операторы» page and the scope's «принимавших звонки»); an operator with
    records but no call of the period has no figure of this table to show."""
    from analytics.queries.kpi import by_operator

    names = {r["operator_id"]: r["operator_name"] for r in views.operators(db).iter_rows(named=True)}
    rows = []
    for r in by_operator(db, period.start, period.end).iter_rows(named=True):
        if not r["calls"]:
            continue
        oid = r["operator_id"]
        top = views.operator_clauses(db, oid, period.start, period.end, limit=opts.top_rules_per_operator)
        calls, violations = int(r["calls"]), int(r["violations"])
        rows.append(OperatorRow(oid, names.get(oid) or oid, calls, r["compliance_score_avg"], violations,
                                round(100.0 * violations / calls, 1) if calls else None,
                                r["requests_registered_on_time_pct"], r["readings_entered_on_time_pct"],
                                [(t["rule"], int(t["violations"])) for t in top.iter_rows(named=True)]))
    rows.sort(key=lambda o: (o.name, o.operator_id))
    return rows


def _monthly(db: Path, period: Period) -> list[dict]:
    """The two indicators and the score per month (KPI breakdown by month)."""
    from analytics.queries.kpi import by_month

    return [{"month": r["month"].strftime("%m.%Y"), "calls": r["calls"],
             "registered_pct": r["requests_registered_on_time_pct"],
             "readings_pct": r["readings_entered_on_time_pct"], "score": r["compliance_score_avg"]}
            for r in by_month(db, period.start, period.end).iter_rows(named=True)]


def build_report(db: Path, period: Period, kind: str, opts: ReportOptions | None = None,
                 now: dt.datetime | None = None) -> ReportData:
    """Everything the report says about ``period``, read from the database at ``db``."""
    from analytics.queries.kpi import compute_kpis, kpis_and_shares

    opts = opts or ReportOptions()
    db = Path(db)
    prev_period = period.previous()
    kpis, shares = kpis_and_shares(db, period.start, period.end)   # one query for the figures and their parts
    prev = compute_kpis(db, prev_period.start, prev_period.end)
    sc = report_queries.checked_scope(db, period.start, period.end)
    catalog = rule_catalog()
    clauses = _clauses(db, period, catalog, kpis.get("violations", {}), opts)
    operators = _operators(db, period, opts)
    if opts.mask_personal_data:
        _mask_quotes(clauses, [o.name for o in operators])
    log.info("report %s for %s..%s: %s calls, %s operators", kind, period.start, period.end, sc.calls, sc.operators)
    return ReportData(
        kind=kind, period=period, previous_period=prev_period,
        generated_at=now or clock.now(),
        scope=Scope(sc.operators, sc.calls, sc.checked, list(sc.rulebooks)),
        kpis=kpis, previous_kpis=prev,
        indicators=_indicators(kpis, prev, opts),
        lists=lists_mod.kpi_lists_for(db, period, mask=opts.mask_personal_data),
        clauses=clauses, operators=operators,
        recommendations=recommend(operators, {c.rule: c.clause for c in clauses}, opts),
        monthly=_monthly(db, period),
        coverage=load_coverage(),
        reviews=review_rows(db, period.start, period.end, catalog, opts.trusted_min_reviews,
                            opts.trusted_precision_pct),
        shares=shares,
    )
