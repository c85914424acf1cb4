"""The lists behind the numbers, from ``analytics.queries.kpi_lists`` (the same rows the
KPIs count), with Russian headers and values; ids always in the first column."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analytics.queries import kpi_lists, views
from analytics.reports.model import Period, Table

CUSTOMER_TYPES = {"individual": "физ. лицо", "legal": "юр. лицо"}
REQUEST_KINDS = {"sealing": "опломбировка", "unsealing": "распломбировка", "inspection": "технический осмотр"}
TOPICS = {"request.individual": "заявка физ. лица", "request.legal": "заявка юр. лица", "readings": "показания",
          "billing": "начисления", "out_of_scope": "не по услугам Предприятия", "other": "прочее"}
FIELDS = {"account": "лицевой счёт", "contact": "контакт", "reason": "причина", "contract_no": "номер договора",
          "object_name": "объект", "meter": "прибор учёта"}


@dataclass(frozen=True)
class Column:
    """source: the kpi_lists column; header: its Russian heading; show: value -> cell;
    personal: personal data, left blank in a report for readers without access to it."""

    source: str
    header: str
    show: Callable[[Any, dict], Any] = lambda v, names: v
    personal: bool = False


def _name(v, names):
    return names.get(v, v)


def _label(mapping):
    return lambda v, names: mapping.get(v, v)


def _values(v, names):
    return "; ".join(f"{x:g}".replace(".", ",") for x in v) if v else "—"


def _fields(v, names):
    return ", ".join(FIELDS.get(x, x) for x in v or [])


def _number(v, names):
    return f"{v:g}".replace(".", ",") if isinstance(v, (int, float)) else v


_OPERATOR = Column("operator_id", "Оператор", _name)

# (kpi_lists function, sheet name, title, columns)
LISTS = [
    ("requests_registered_late", "Заявки с опозданием",
     "Заявки, зарегистрированные с опозданием (позднее 7 мин после звонка)",
     [Column("request_id", "Заявка"), Column("customer_type", "Потребитель", _label(CUSTOMER_TYPES)), _OPERATOR,
      Column("linked_call", "Звонок"), Column("call_ended_at", "Звонок окончен"),
      Column("created_at", "Заявка создана"), Column("minutes_after_call", "Через, мин")]),
    ("requests_overdue", "Заявки просроченные", "Заявки просроченные: не выполнены за 10 рабочих дней",
     [Column("request_id", "Заявка"), Column("kind", "Вид", _label(REQUEST_KINDS)),
      Column("customer_type", "Потребитель", _label(CUSTOMER_TYPES)), _OPERATOR,
      Column("created_at", "Создана"), Column("due_day", "Срок выполнения"), Column("linked_call", "Звонок")]),
    ("requests_completed_late", "Заявки не в срок", "Заявки, выполненные позже срока (10 рабочих дней)",
     [Column("request_id", "Заявка"), Column("kind", "Вид", _label(REQUEST_KINDS)), _OPERATOR,
      Column("created_at", "Создана"), Column("due_day", "Срок выполнения"), Column("completed_at", "Выполнена")]),
    ("requests_incomplete", "Заявки неполные", "Заявки без обязательных данных (Приложение 1)",
     [Column("request_id", "Заявка"), Column("customer_type", "Потребитель", _label(CUSTOMER_TYPES)), _OPERATOR,
      Column("created_at", "Создана"), Column("missing_fields", "Не указано", _fields)]),
    ("readings_entered_late", "Показания с опозданием",
     "Показания, внесённые с опозданием (позднее 5 мин после звонка)",
     [Column("reading_id", "Показание"), Column("account", "Лицевой счёт", personal=True), _OPERATOR,
      Column("linked_call", "Звонок"), Column("call_ended_at", "Звонок окончен"),
      Column("entered_at", "Внесено"), Column("minutes_after_call", "Через, мин")]),
    ("readings_mismatched", "Показания расхождение", "Показания, расходящиеся с продиктованными (п. 12)",
     [Column("reading_id", "Показание"), Column("account", "Лицевой счёт", personal=True), _OPERATOR,
      Column("linked_call", "Звонок"), Column("value", "Внесено в базу", _number),
      Column("dictated_values", "Продиктовано в звонке", _values), Column("entered_at", "Внесено")]),
    ("calls_missing_record", "Звонки без записи", "Звонки без заявки или показания в базе",
     [Column("call_id", "Звонок"), Column("started_at", "Начало"), _OPERATOR,
      Column("topic", "Тема", _label(TOPICS)), Column("score", "Оценка")]),
]


# When a list is too long for the DOCX, show its worst cases: (column header whose largest values are
# the worst, or None to keep the list's own order; how the DOCX calls the rows shown).
WORST = {
    "requests_registered_late": ("Через, мин", "с наибольшим опозданием"),
    "readings_entered_late": ("Через, мин", "с наибольшим опозданием"),
    "requests_overdue": (None, "с самым давним сроком"),
}


def kpi_lists_for(db: Path, period: Period, names: dict[str, str] | None = None, mask: bool = False) -> list[Table]:
    """Every list of ``LISTS`` for the period, in the order the report prints them.

    ``mask`` blanks the personal columns (see :class:`Column`).
    """
    names = names if names is not None else {
        r["operator_id"]: r["operator_name"] for r in views.operators(db).iter_rows(named=True)}
    out = []
    for fn_name, key, title, columns in LISTS:
        df = kpi_lists.LISTS[fn_name](db, period.start, period.end)
        rows = [[None if mask and c.personal else c.show(r.get(c.source), names) for c in columns]
                for r in df.iter_rows(named=True)]
        headers = [c.header for c in columns]
        column, label = WORST.get(fn_name, (None, "первых"))
        out.append(Table(key, title, headers, rows, worst_by=headers.index(column) if column else None,
                         worst_label=label))
    return out
