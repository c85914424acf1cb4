"""The fixed Russian wording of the two kinds of report, and number formats.

Clause references use the standard's numbers with titles of our own; nothing
here copies the standard's text.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

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
                 "и соблюдения требований раздела 2 Стандарта сотрудниками ОКА за полугодие."),
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

# Russian labels of the KPI fields of docs/CONTRACT.md section 5, in the order printed.
KPI_LABELS: list[tuple[str, str, str]] = [  # (key, label, unit)
    ("calls", "Звонков за период", ""),
    ("requests", "Заявок зарегистрировано", ""),
    ("requests_registered_on_time_pct", "Заявки, зарегистрированные не позднее 7 мин после звонка", "%"),
    ("requests_completed_on_time_pct", "Заявки, выполненные в срок (10 рабочих дней)", "%"),
    ("requests_overdue", "Заявки открытые и просроченные", ""),
    ("requests_incomplete", "Заявки без обязательных данных (Прил. 1)", ""),
    ("readings", "Показаний внесено", ""),
    ("readings_entered_on_time_pct", "Показания, внесённые не позднее 5 мин после звонка", "%"),
    ("readings_value_mismatch", "Показания, расходящиеся с продиктованными", ""),
    ("calls_missing_record", "Звонки без зарегистрированной заявки или показания", ""),
    ("compliance_score_avg", "Средняя оценка соблюдения Стандарта, баллов из 100", ""),
]

SECTIONS = {
    "scope": "Период и объём проверки",
    "indicators": "Критерии результативности (п. 2.6)",
    "lists": "Перечни по показателям",
    "clauses": "Соблюдение требований раздела 2 Стандарта",
    "operators": "Результаты по операторам",
    "training": "Рекомендации по обучению",
}

MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря"]


def fmt_date(d: dt.date | dt.datetime | None) -> str:
    return "—" if d is None else d.strftime("%d.%m.%Y")


def fmt_datetime(d: dt.datetime | None) -> str:
    return "—" if d is None else d.strftime("%d.%m.%Y %H:%M")


def fmt_date_long(d: dt.date) -> str:
    return f"«{d.day:02d}» {MONTHS_GEN[d.month - 1]} {d.year} г."


def fmt_number(v: Any, digits: int = 1) -> str:
    """A number the Russian way: decimal comma, thin groups; None is a dash."""
    if v is None:
        return "—"
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and digits == 0):
        return f"{int(v):,}".replace(",", "\u00a0")
    return f"{float(v):,.{digits}f}".replace(",", "\u00a0").replace(".", ",")


def fmt_kpi(v: Any, unit: str) -> str:
    """A KPI as printed: shares and averages (floats) with one decimal, counts whole."""
    if v is None:
        return "нет данных"
    if unit == "%":
        return fmt_number(float(v)) + " %"
    if isinstance(v, float):
        return fmt_number(v)
    return fmt_number(int(v), 0)


def fmt_change(now: Any, before: Any, unit: str = "") -> str:
    """The change from the previous period, signed; percentage points for shares."""
    if now is None or before is None:
        return "—"
    whole = unit != "%" and isinstance(now, int) and isinstance(before, int)
    diff = round(float(now) - float(before), 1)
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    text = fmt_number(int(abs(diff)), 0) if whole else fmt_number(abs(diff), 1)
    return f"{sign}{text}" + (" п.п." if unit == "%" else "")


def fmt_clause(clause: str | None) -> str:
    """«15.1» -> «п. 15.1»; «14, 15.16» -> «пп. 14, 15.16»; «20–21, Appendix 1» -> «пп. 20–21, Прил. 1»."""
    if not clause or clause == "—":
        return "—"
    parts = [p.strip() for p in clause.replace("Appendix", "Прил.").replace("Приложение", "Прил.").split(",")]
    annex = [p for p in parts if p.startswith("Прил.")]
    points = [p for p in parts if not p.startswith("Прил.")]
    out = []
    if points:
        many = len(points) > 1 or any(ch in points[0] for ch in "–-")
        out.append(("пп. " if many else "п. ") + ", ".join(points))
    return ", ".join(out + annex)


def shorten(title: str, width: int = 48) -> str:
    return title if len(title) <= width else title[: width - 1].rsplit(" ", 1)[0] + "…"


def rule_line(title: str | None, clause: str | None, rule: str, count: int) -> str:
    """«Слова-паразиты в речи оператора (п. 13) — 3»; the bare rule id when the rulebook lacks it."""
    if title is None:
        return f"{rule} — {count}"
    return f"{shorten(title)} ({fmt_clause(clause)}) — {count}"


def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "—"
    s = round(s)
    return f"{s // 60:02d}:{s % 60:02d}"


def period_label(start: dt.date, end: dt.date) -> str:
    return f"с {fmt_date(start)} по {fmt_date(end)}"
