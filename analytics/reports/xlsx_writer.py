"""Lay a :class:`ReportData` out as an XLSX workbook: the same numbers as the
DOCX, as numbers (not text), with every row of every list."""
from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from analytics.catalogue import kpis as catalogue
from analytics.reports import conclusions
from analytics.reports.charts import Chart
from analytics.reports.model import ReportData
from analytics.reports.texts import ENTERPRISE, KIND_SPECS, SECTIONS, fmt_clause, period_label

log = logging.getLogger(__name__)

SUMMARY_SHEET = "Сводка"


class _Book:
    def __init__(self, path: Path) -> None:
        self.wb = xlsxwriter.Workbook(str(path), {"remove_timezone": True})
        self.f = {
            "title": self.wb.add_format({"bold": True, "font_size": 13}),
            "head": self.wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1, "text_wrap": True,
                                        "valign": "top"}),
            "cell": self.wb.add_format({"border": 1, "valign": "top", "text_wrap": True}),
            "num": self.wb.add_format({"border": 1, "valign": "top", "num_format": "0.0"}),
            "int": self.wb.add_format({"border": 1, "valign": "top", "num_format": "0"}),
            "date": self.wb.add_format({"border": 1, "valign": "top", "num_format": "dd.mm.yyyy"}),
            "datetime": self.wb.add_format({"border": 1, "valign": "top", "num_format": "dd.mm.yyyy hh:mm"}),
            "text": self.wb.add_format({"text_wrap": True, "valign": "top"}),
        }

    def sheet(self, name: str, title: str, data: ReportData):
        ws = self.wb.add_worksheet(name[:31])
        ws.write(0, 0, title, self.f["title"])
        ws.write(1, 0, f"{ENTERPRISE}. {KIND_SPECS[data.kind].file_label} "
                       f"{period_label(data.period.start, data.period.end)}")
        return ws

    def grid(self, ws, first_row: int, headers: Sequence[str], rows: Sequence[Sequence[Any]],
             widths: Sequence[float]) -> int:
        for j, (h, w) in enumerate(zip(headers, widths, strict=True)):
            ws.write(first_row, j, h, self.f["head"])
            ws.set_column(j, j, w)
        for i, row in enumerate(rows, first_row + 1):
            for j, v in enumerate(row):
                self._write(ws, i, j, v)
        last = first_row + len(rows)
        if rows:
            ws.autofilter(first_row, 0, last, len(headers) - 1)
        ws.freeze_panes(first_row + 1, 0)
        return last + 2

    def _write(self, ws, i: int, j: int, v: Any) -> None:
        if v is None:
            ws.write_blank(i, j, None, self.f["cell"])
        elif isinstance(v, bool):
            ws.write_boolean(i, j, v, self.f["cell"])
        elif isinstance(v, dt.datetime):
            ws.write_datetime(i, j, v, self.f["datetime"])
        elif isinstance(v, dt.date):
            ws.write_datetime(i, j, dt.datetime.combine(v, dt.time()), self.f["date"])
        elif isinstance(v, int):
            ws.write_number(i, j, v, self.f["int"])
        elif isinstance(v, float):
            ws.write_number(i, j, v, self.f["num"])
        else:
            ws.write_string(i, j, str(v), self.f["cell"])


def write_xlsx(data: ReportData, path: Path, charts: dict[str, Chart]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.xlsx")
    book = _Book(tmp)
    _summary(book, data)
    _lists(book, data)
    _clauses(book, data)
    _operators(book, data)
    _training(book, data)
    if charts:
        ws = book.sheet("Диаграммы", "Диаграммы", data)
        row = 3
        for chart in charts.values():
            ws.write(row, 0, chart.caption, book.f["title"])
            ws.insert_image(row + 1, 0, f"{chart.key}.png", {"image_data": io.BytesIO(chart.png),
                                                              "x_scale": 0.6, "y_scale": 0.6})
            row += 26
    book.wb.close()
    tmp.replace(path)
    log.info("wrote %s", path)
    return path


def _summary(book: _Book, data: ReportData) -> None:
    ws = book.sheet(SUMMARY_SHEET, f"{KIND_SPECS[data.kind].file_label}: сводные показатели", data)
    s = data.scope
    scope_rows = [
        ["period_from", "Начало периода", data.period.start, data.previous_period.start],
        ["period_to", "Конец периода", data.period.end, data.previous_period.end],
        ["operators", "Операторов ОКА", s.operators, None],
        ["calls_checked", "Звонков проверено", s.checked, None],
        ["calls_checked_pct", "Доля проверенных звонков, %", s.checked_pct, None],
    ]
    kpi_rows = []
    for k in catalogue.scalars(data.kpis):
        now, before = data.kpis.get(k.key), data.previous_kpis.get(k.key)
        change = None if now is None or before is None else round(float(now) - float(before), 1)
        kpi_rows.append([k.key, k.label + (", %" if k.unit == "pct" else ""), now, before, change])
    for rule, count in sorted(data.kpis.get("violations", {}).items()):
        before = data.previous_kpis.get("violations", {}).get(rule, 0)
        c = data.rule(rule)
        label = f"Нарушения: {c.title} ({fmt_clause(c.clause)})" if c else f"Нарушения правила {rule}"
        kpi_rows.append([f"violations.{rule}", label, count, before, count - before])
    row = book.grid(ws, 3, ["Код", "Показатель", "Отчётный период", "Предыдущий период", "Изменение"],
                    scope_rows + kpi_rows, [34, 62, 16, 18, 12])
    ws.write(row, 0, SECTIONS["indicators"], book.f["title"])
    ind_rows = [[i.number, i.title, i.criterion, i.kpi_key, i.value, i.previous, i.target, i.verdict]
                for i in data.indicators]
    row = book.grid(ws, row + 1, ["№", "Показатель", "Критерий", "Код", "Значение, %", "Пред. период, %",
                                  "Цель, %", "Оценка"], ind_rows, [34, 62, 40, 30, 12, 14, 10, 14])
    ws.write(row, 0, "Выводы", book.f["title"])
    lines = conclusions.summary_sentences(data)
    if data.kind == "audit":
        lines += conclusions.nonconformities(data)
    for i, line in enumerate(lines, row + 1):
        ws.write(i, 0, line)


def _lists(book: _Book, data: ReportData) -> None:
    for t in data.lists:
        ws = book.sheet(t.key, t.title, data)
        book.grid(ws, 3, t.columns, t.rows, [max(12, min(40, len(c) + 4)) for c in t.columns])


def _clauses(book: _Book, data: ReportData) -> None:
    ws = book.sheet("Пункты стандарта", SECTIONS["clauses"], data)
    rows = [[c.rule, fmt_clause(c.clause), c.title, c.calls, c.violations] for c in data.clauses]
    book.grid(ws, 3, ["Правило", "Пункт", "Требование", "Звонков с нарушением", "Нарушений"], rows,
              [22, 12, 60, 14, 12])
    ws = book.sheet("Примеры", "Примеры нарушений", data)
    rows = [[c.rule, fmt_clause(c.clause), e.call_id, e.started_at, e.operator, e.start, e.evidence]
            for c in data.clauses for e in c.examples]
    book.grid(ws, 3, ["Правило", "Пункт", "Звонок", "Начало звонка", "Оператор", "Секунда записи", "Цитата"],
              rows, [22, 10, 22, 17, 24, 10, 70])


def _operators(book: _Book, data: ReportData) -> None:
    ws = book.sheet("Операторы", SECTIONS["operators"], data)
    rows = [[o.operator_id, o.name, o.calls, o.score_avg, o.violations, o.per_100_calls,
             o.registered_on_time_pct, o.readings_on_time_pct,
             "; ".join(data.top_rule_lines(o))] for o in data.operators]
    book.grid(ws, 3, ["Код оператора", "Оператор", "Звонков", "Средняя оценка", "Нарушений",
                      "На 100 звонков", "Заявки вовремя, %", "Показания вовремя, %", "Частые нарушения"],
              rows, [14, 28, 10, 10, 11, 10, 12, 12, 50])


def _training(book: _Book, data: ReportData) -> None:
    ws = book.sheet("Рекомендации", SECTIONS["training"], data)
    rows = [[r.operator_id, r.name, rule, fmt_clause(clause), count, text]
            for r in data.recommendations for rule, clause, count, text in r.items]
    book.grid(ws, 3, ["Код оператора", "Оператор", "Правило", "Пункт", "Случаев", "Рекомендация"], rows,
              [14, 28, 22, 10, 9, 90])
