"""The fixed Russian wording of the two kinds of report.

Clause references use the standard's numbers with titles of our own; nothing
here copies the standard's text.  Numbers, dates and clauses are written by
``analytics.catalogue.formats`` and the KPIs named by ``analytics.catalogue.kpis``,
as on the dashboard.
"""
from __future__ import annotations

from dataclasses import dataclass

from analytics.catalogue.formats import (  # noqa: F401  (the report's writers take them from here)
    fmt_change,
    fmt_clause,
    fmt_count,
    fmt_date,
    fmt_date_long,
    fmt_datetime,
    fmt_kpi,
    fmt_number,
    fmt_of,
    fmt_seconds,
    period_label,
    shorten,
)

ENTERPRISE = "ТОО «Алматинские тепловые сети»"
DEPARTMENT = "Отдел консультации абонентов (ОКА)"
STANDARD = "СТП-04-2019 «Стандарт предприятия обслуживания потребителей по телефонным обращениям»"


@dataclass(frozen=True)
class KindSpec:
    """How one kind of report is titled, who signs it and what it is called in 2.6."""

    title: str
    subtitle: str
    purpose: str
    signer: str
    countersigner: str | None
    conclusion_heading: str
    file_label: str
    next_document: str        # where the re-check is reported, in the prepositional case
    assessment: str           # who assesses the indicators of 2.6, how often, in which document


KIND_SPECS = {
    "spravka": KindSpec(
        title="СПРАВКА",
        subtitle="по результатам проверки соблюдения " + STANDARD,
        purpose=("Проверка выполнения критериев результативности (п. 2.6 СТП-04-2019) "
                 "и соблюдения требований раздела 2 Стандарта сотрудниками ОКА за {period}."),
        signer="Начальник ОКА",
        countersigner=None,
        conclusion_heading="Выводы",
        file_label="Справка по результатам проверки",
        next_document="следующей справке",
        assessment="Оценку выполнения показателей проводит начальник ОКА один раз в полугодие; "
                   "результат оформляется настоящей справкой.",
    ),
    "audit": KindSpec(
        title="ОТЧЕТ ПО АУДИТУ СМ",
        subtitle="процесса «Обслуживание потребителей по телефонным обращениям» на соответствие СТП-04-2019",
        purpose=("Внутренний аудит системы менеджмента: оценка результативности процесса по критериям "
                 "п. 2.6 СТП-04-2019 и соответствия работы сотрудников ОКА требованиям раздела 2 Стандарта."),
        signer="Внутренний аудитор СМ",
        countersigner="Ознакомлен: Начальник ОКА",
        conclusion_heading="Заключение аудита и несоответствия",
        file_label="Отчет по аудиту СМ",
        next_document="следующем отчете по аудиту",
        assessment="Оценку выполнения показателей проводят внутренние аудиторы СМ по графику внутреннего "
                   "аудита; результат оформляется настоящим отчетом.",
    ),
}

SECTIONS = {
    "scope": "Период и объём проверки",
    "coverage": "Что проверено и насколько подтверждено",
    "indicators": "Критерии результативности (п. 2.6)",
    "lists": "Перечни по показателям",
    "clauses": "Соблюдение требований раздела 2 Стандарта",
    "operators": "Результаты по операторам",
    "training": "Рекомендации по обучению",
}


def section_number(key: str) -> int:
    """The number a section of ``SECTIONS`` has in the document (they are written in this order), so that a
    reference to it ("see section N") follows the order instead of a number written by hand."""
    return list(SECTIONS).index(key) + 1


def rule_line(title: str | None, clause: str | None, rule: str, count: int) -> str:
    """«Слова-паразиты в речи оператора (п. 13) — 3»; the bare rule id when the rulebook lacks it."""
    if title is None:
        return f"{rule} — {count}"
    return f"{shorten(title)} ({fmt_clause(clause, 'Прил.')}) — {count}"
