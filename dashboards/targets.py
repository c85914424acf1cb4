"""The KPI tiles of «Обзор»: what each KPI of docs/CONTRACT.md section 5 is called, and its target.

СТП-04-2019 clause 2.6 names the criteria (timeliness of request registration and
of entering readings) without figures; the targets below are the department's
working defaults, kept as data so they can be changed in one place.
"""
from __future__ import annotations

from dataclasses import dataclass

from dashboards.labels import fmt_number, fmt_pct


@dataclass(frozen=True)
class Tile:
    """key: the field of ``oka-qa kpi --json``; label: the Russian caption;
    unit: "count", "pct" or "score"; target: the value to reach (None: no target, shown for reference);
    higher_is_better: whether growth is good (colours the change); help: what the number means.
    """

    key: str
    label: str
    unit: str
    target: float | None
    higher_is_better: bool
    help: str

    def fmt(self, value: float | None) -> str:
        if self.unit == "pct":
            return fmt_pct(value)
        if self.unit == "count":
            return fmt_number(None if value is None else int(value), 0)
        return fmt_number(value)

    def fmt_delta(self, value: float | None, previous: float | None) -> str | None:
        if value is None or previous is None:
            return None
        d = value - previous
        if self.unit == "count":
            return f"{int(d):+d}"
        text = f"{d:+.1f}".replace(".", ",")
        return f"{text} п.п." if self.unit == "pct" else text

    def met(self, value: float | None) -> bool | None:
        if self.target is None or value is None:
            return None
        return value >= self.target if self.higher_is_better else value <= self.target

    def target_text(self) -> str:
        if self.target is None:
            return ""
        sign = "≥" if self.higher_is_better else "≤"
        return f"цель {sign} {self.fmt(self.target)}"


TILES = (
    Tile("calls", "Звонков", "count", None, True, "Звонки, начатые в периоде."),
    Tile("compliance_score_avg", "Средний балл по СТП", "score", 90.0, True,
         "Средний балл звонков периода по своду правил СТП-04-2019 (100 — без нарушений)."),
    Tile("requests_registered_on_time_pct", "Заявки внесены вовремя", "pct", 95.0, True,
         "Доля заявок, связанных со звонком, созданных не позже 7 минут после его окончания "
         "(п. 2.6, Приложение 1)."),
    Tile("readings_entered_on_time_pct", "Показания внесены вовремя", "pct", 95.0, True,
         "Доля показаний, связанных со звонком, внесённых не позже 5 минут после его окончания "
         "(п. 2.6, Приложение 1)."),
    Tile("requests", "Заявок", "count", None, True, "Заявки, созданные в периоде."),
    Tile("requests_completed_on_time_pct", "Заявки выполнены в срок", "pct", 95.0, True,
         "Доля выполненных или просроченных заявок, выполненных за 10 рабочих дней."),
    Tile("requests_overdue", "Заявок просрочено", "count", 0, False,
         "Открытые заявки старше 10 рабочих дней на конец периода."),
    Tile("requests_incomplete", "Неполных заявок", "count", 0, False,
         "Заявки без обязательного поля Приложения 1."),
    Tile("readings", "Показаний", "count", None, True, "Показания, внесённые в периоде."),
    Tile("readings_value_mismatch", "Показаний с расхождением", "count", 0, False,
         "Внесённое значение отличается от продиктованного в звонке (п. 12)."),
    Tile("calls_missing_record", "Звонков без записи", "count", 0, False,
         "Звонки по заявке или показаниям, к которым не найдено ни заявки, ни показания."),
)
