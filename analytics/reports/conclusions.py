"""The closing section: what the numbers mean, in sentences a reader signs.

For the audit report the same findings are also numbered as nonconformities
(НС-1, НС-2, ...): an indicator of 2.6 not met, the record checks, and each
clause of section 2 with violations — a rule's findings only where an auditor
confirmed them or the rule is trusted (``analytics.reports.statements``); the
rest is listed as «не подтверждено» (:func:`unconfirmed`).
"""
from __future__ import annotations

from analytics.reports.model import ClauseRow, ReportData
from analytics.reports.texts import KIND_SPECS, fmt_change, fmt_clause, fmt_count, fmt_kpi, section_number

MOST_VIOLATED = 3   # clauses the summary names as violated most often (and each one tied with the last of them)
TIES_NAMED = 2      # clauses tied with the last named one that are named too; more are counted, not named


def indicator_sentences(data: ReportData) -> list[str]:
    out = []
    for ind in data.indicators:
        if ind.value is None:
            out.append(f"Показатель {ind.number} «{ind.title}»: за период нет записей, связанных со звонками; "
                       "выполнение не оценено.")
            continue
        change = fmt_change(ind.value, ind.previous, "%")
        trend = "" if change == "—" else f" (к предыдущему периоду {change})"
        out.append(f"Показатель {ind.number} «{ind.title}» {ind.verdict}: {fmt_kpi(ind.value, '%')} "
                   f"при целевом значении не ниже {fmt_kpi(ind.target, '%')}{trend}.")
    return out


def nonconformities(data: ReportData) -> list[str]:
    """Numbered statements of what does not meet the standard, worst first."""
    items = []
    for ind in data.indicators:
        if ind.verdict == "не выполнен":
            items.append(f"Критерий результативности п. 2.6 № {ind.number} «{ind.title}» не выполнен: "
                         f"{fmt_kpi(ind.value, '%')} при целевом {fmt_kpi(ind.target, '%')}.")
    k = data.kpis
    if k.get("readings_value_mismatch"):
        items.append(f"Показания внесены с искажением (п. 12): {k['readings_value_mismatch']} — "
                     "значение в базе отличается от продиктованного.")
    if k.get("requests_incomplete"):
        items.append(f"Заявки без обязательных данных (Приложение 1): {k['requests_incomplete']}.")
    if k.get("calls_missing_record"):
        items.append(f"Обращения без зарегистрированной заявки или внесённого показания: "
                     f"{k['calls_missing_record']}.")
    if k.get("requests_sealing_reason_invalid"):
        items.append(f"Заявки на опломбировку без допустимой причины (п. 20): "
                     f"{k['requests_sealing_reason_invalid']}.")
    if k.get("records_mismatch"):
        items.append(f"Номер счёта (договора) в записи не совпадает с названным в звонке (п. 12): "
                     f"{k['records_mismatch']}.")
    reviews = {r.rule: r for r in data.reviews}
    for c in data.clauses:
        if not c.violations:
            continue
        r = reviews.get(c.rule)
        head = f"Нарушение требований ({fmt_clause(c.clause)}) «{c.title}»: "
        added = r.added if r is not None else 0
        also = f", ещё {added} добавлено аудитором (пропущены программой)" if added else ""
        if r is not None and r.trusted:
            items.append(f"{head}нарушений — {c.violations}, звонков с нарушением — {c.calls} "
                         f"(точность правила по проверке аудитором — {fmt_kpi(r.precision_pct, '%')}{also}).")
        elif r is not None and r.established:
            items.append(f"{head}подтверждено аудитором нарушений — {r.established} "
                         f"из {c.violations - added} найденных автоматически{also}.")
        elif added:
            items.append(f"{head}установлено аудитором нарушений, пропущенных программой, — {added}.")
    return [f"НС-{i}. {text}" for i, text in enumerate(items, 1)]


def unconfirmed(data: ReportData) -> list[str]:
    """The rules whose findings are not stated as nonconformities: neither confirmed nor trusted."""
    reviews = {r.rule: r for r in data.reviews}
    out = []
    for c in data.clauses:
        r = reviews.get(c.rule)
        automatic = c.violations - (r.added if r is not None else 0)   # the auditors' own are stated, not listed
        if automatic <= 0 or (r is not None and (r.trusted or r.established)):
            continue
        checked = (f"проверено аудитором {r.reviewed}, подтверждений нет" if r is not None and r.reviewed
                   else "аудитором не проверялись")
        out.append(f"{fmt_clause(c.clause)} «{c.title}»: автоматических находок — {automatic} ({checked}).")
    return out


def summary_sentences(data: ReportData) -> list[str]:
    out = indicator_sentences(data)
    k = data.kpis
    if k.get("compliance_score_avg") is not None:
        prev = data.previous_kpis.get("compliance_score_avg")
        change = fmt_change(k["compliance_score_avg"], prev)
        tail = "" if change == "—" else f" (к предыдущему периоду {change})"
        out.append(f"Средняя оценка соблюдения Стандарта — {fmt_kpi(k['compliance_score_avg'], '')} "
                   f"баллов из 100{tail}.")
    worst, tied = most_violated(data.clauses)
    if worst:
        if len(tied) <= TIES_NAMED:
            worst, tied = worst + tied, []
        listed = "; ".join(f"{fmt_clause(c.clause)} «{c.title}» — {c.violations}" for c in worst)
        also = f"; столько же нарушений ({worst[-1].violations}) — ещё у {fmt_count(len(tied), 'пункт', 'gent')}" \
            if tied else ""
        out.append(f"Чаще всего нарушались: {listed}{also}.")
    need = [r for r in data.recommendations if r.items]
    if need:
        out.append(f"Обучение по разделу {section_number('training')} рекомендовано "
                   f"{fmt_count(len(need), 'сотрудник', 'datv')} ОКА; "
                   f"результаты повторной проверки отразить в {KIND_SPECS[data.kind].next_document}.")
    return out


def most_violated(clauses: list[ClauseRow], n: int = MOST_VIOLATED) -> tuple[list[ClauseRow], list[ClauseRow]]:
    """The ``n`` clauses violated most often (``clauses`` come most violated first), and the others violated exactly
    as often as the last of them: a tie is not cut by the clauses' numbers, each of them is as much «most often»."""
    ranked = [c for c in clauses if c.violations]
    if len(ranked) <= n:
        return ranked, []
    last = ranked[n - 1].violations
    return ranked[:n], [c for c in ranked[n:] if c.violations == last]
