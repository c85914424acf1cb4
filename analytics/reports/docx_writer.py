"""Lay a :class:`ReportData` out as a DOCX a head of department signs."""
from __future__ import annotations

import io
import logging
from pathlib import Path

import docx
from docx.shared import Cm, Pt

from analytics.catalogue import kpis as catalogue
from analytics.reports import conclusions, statements
from analytics.reports.charts import Chart
from analytics.reports.docx_parts import bottom_rule, page_number_footer, para, plain_table, setup, table
from analytics.reports.model import ReportData
from analytics.reports.options import ReportOptions
from analytics.reports.texts import (
    DEPARTMENT,
    ENTERPRISE,
    KIND_SPECS,
    SECTIONS,
    fmt_change,
    fmt_clause,
    fmt_date,
    fmt_date_long,
    fmt_datetime,
    fmt_kpi,
    fmt_number,
    fmt_of,
    fmt_seconds,
    period_label,
    section_number,
)

log = logging.getLogger(__name__)


def write_docx(data: ReportData, path: Path, charts: dict[str, Chart], opts: ReportOptions) -> Path:
    spec = KIND_SPECS[data.kind]
    doc = docx.Document()
    setup(doc)
    page_number_footer(doc, f"{spec.file_label} {period_label(data.period.start, data.period.end)}")
    _letterhead(doc, data)
    figs = _Figures(charts)
    writers = {"scope": _scope, "coverage": statements.write_docx_section, "indicators": _indicators,
               "lists": _lists, "clauses": _clauses, "operators": _operators, "training": _training}
    for key in SECTIONS:   # in SECTIONS' order, which references to a section count by (section_number)
        n = section_number(key)
        doc.add_heading(f"{n}. {SECTIONS[key]}", level=1)
        writers[key](doc, data, figs, opts, n)
    n = len(SECTIONS) + 1
    doc.add_heading(f"{n}. {spec.conclusion_heading}", level=1)
    _conclusion(doc, data)
    _signatures(doc, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    doc.save(str(tmp))
    tmp.replace(path)
    log.info("wrote %s", path)
    return path


def _letterhead(doc, data: ReportData) -> None:
    spec = KIND_SPECS[data.kind]
    para(doc, ENTERPRISE, bold=True, align="center", size=13, space_after=0)
    bottom_rule(para(doc, DEPARTMENT, align="center", space_after=12))
    para(doc, spec.title, bold=True, size=14, align="center", space_after=0)
    para(doc, spec.subtitle, align="center", space_after=10)
    p = para(doc, "г. Алматы", space_after=10)
    p.paragraph_format.tab_stops.add_tab_stop(Cm(17), alignment=2)  # right-aligned tab
    p.add_run("\t" + fmt_date_long(data.generated_at.date()))
    para(doc, f"Проверяемый период: {period_label(data.period.start, data.period.end)}. "
              f"Период сравнения: {period_label(data.previous_period.start, data.previous_period.end)}.",
         align="justify")
    para(doc, spec.purpose.format(period=data.period.span_word()), align="justify")


class _Figures:
    """The charts of one document, numbered in the order they are placed."""

    def __init__(self, charts: dict[str, Chart]) -> None:
        self.charts = charts
        self.count = 0

    def place(self, doc, key: str) -> None:
        chart = self.charts.get(key)
        if chart is None:
            return
        doc.add_picture(io.BytesIO(chart.png), width=Cm(16))
        doc.paragraphs[-1].alignment = 1
        self.count += 1
        para(doc, f"Рисунок {self.count} — {chart.caption}", italic=True, size=10, align="center")


LANGUAGE_NAMES = {"ru": "на русском", "kk": "на казахском", "mixed": "на двух языках", "unknown": "язык не определён"}


def language_split(by_lang: dict) -> str:
    """«на русском 1702, на казахском 61, на двух языках 73, язык не определён 4»."""
    return ", ".join(f"{name} {fmt_number(by_lang.get(k, 0), 0)}" for k, name in LANGUAGE_NAMES.items())


def language_note() -> str:
    """Which rules were judged on calls with Kazakh speech, and that the others count nowhere there."""
    from rules.rulebook import Rulebook

    book = Rulebook.load()

    def named(rules) -> str:   # by clause and title, as everywhere in the Справка (not the rulebook's ids)
        return "; ".join(f"{fmt_clause(r.clause)} «{r.title_ru}»" for r in rules)

    judged = named(r for r in book.rules if "kk" in r.languages)
    skipped = named(r for r in book.rules if "kk" not in r.languages)
    return ("В звонках на казахском и на двух языках проверены правила, для которых в своде есть казахский "
            f"словарь: {judged}. Правила {skipped} в таких звонках не оценивались "
            "и не входят ни в доли нарушений, ни в оценку оператора.")


def _scope(doc, data: ReportData, figs, opts, n) -> None:
    s = data.scope
    rows = [
        ["Проверяемое подразделение", DEPARTMENT],
        ["Критерии проверки", "СТП-04-2019: п. 2.6, раздел 2, Приложение 1"],
        ["Проверяемый период", period_label(data.period.start, data.period.end)],
        ["Операторов ОКА, принимавших звонки", fmt_number(s.operators, 0)],
        ["Звонков за период", fmt_kpi(data.kpis.get("calls"), "")],
        ["Звонков проверено по своду правил Стандарта", fmt_number(s.checked, 0)],
        ["Доля проверенных звонков", fmt_kpi(s.checked_pct, "%")],
        ["Звонков по языку разговора", language_split(data.kpis.get("calls_by_language") or {})],
        ["Заявок на опломбировку, распломбировку, осмотр", fmt_kpi(data.kpis.get("requests"), "")],
        ["Показаний ИПУ ГВС, внесённых в базу", fmt_kpi(data.kpis.get("readings"), "")],
        ["Редакция свода правил", ", ".join(s.rulebooks) or "—"],
    ]
    table(doc, ["Параметр проверки", "Значение"], rows, [10.5, 6.5])
    para(doc, "Проверка выполнена автоматически по записям звонков, заявкам ИС РАДИ и СЭД и показаниям "
              "базы АЛСЕКО; примеры нарушений по каждому правилу приведены с цитатами из звонков "
              f"(раздел {section_number('clauses')}.1), каждое нарушение — в перечнях файла XLSX.", align="justify")
    by_lang = data.kpis.get("calls_by_language") or {}
    if by_lang.get("kk") or by_lang.get("mixed"):
        para(doc, language_note(), align="justify")


def _indicators(doc, data: ReportData, figs, opts, n) -> None:
    rows = [[str(i.number), i.title, i.criterion, _with_base(data, i.kpi_key, fmt_kpi(i.value, "%")),
             fmt_kpi(i.previous, "%"), fmt_change(i.value, i.previous, "%"), i.verdict] for i in data.indicators]
    table(doc, ["№", "Показатель", "Критерий оценки", "Значение", "Пред. период", "Изменение", "Оценка"],
          rows, [0.7, 3.8, 4.3, 1.8, 1.8, 2.0, 2.4], size=9, numeric_cols=(3, 4, 5))
    para(doc, KIND_SPECS[data.kind].assessment + " Значение — доля своевременных среди подлежащих: все заявки "
              "(показания) периода, связанные со звонком, и все звонки, по которым заявка (показания) требовались, "
              "но не связаны ни с одной, — такой звонок в срок не засчитывается; изменение — к периоду сравнения, "
              "в процентных пунктах.", size=11, align="justify")
    doc.add_heading(f"{n}.1. Сводные показатели за период", level=2)
    para(doc, "В тех же определениях и из тех же запросов, что и на панели мониторинга ОКА.", size=11)
    rows = [[k.label, _with_base(data, k.key, k.fmt(data.kpis.get(k.key))), k.fmt(data.previous_kpis.get(k.key)),
             fmt_change(data.kpis.get(k.key), data.previous_kpis.get(k.key), k.unit)]
            for k in catalogue.scalars(data.kpis)]
    table(doc, ["Показатель", "Отчётный период", "Предыдущий период", "Изменение"], rows,
          [7.4, 4.1, 2.9, 2.6], size=10, numeric_cols=(1, 2, 3))
    figs.place(doc, "indicators")
    figs.place(doc, "monthly")


def _with_base(data: ReportData, key: str, shown: str) -> str:
    """A share with what it is made of, «75,0 % (3 из 4)», so that the reader can rebuild it; as it is where
    there is nothing to count (its «нет данных» says so) or the figure is no share."""
    counted, over = data.shares.get(key, (0, 0))
    return f"{shown} ({fmt_of(counted, over)})" if over else shown


def _lists(doc, data: ReportData, figs, opts, n) -> None:
    para(doc, f"Записи, из которых сложились показатели раздела {n - 1}; полные перечни — в файле XLSX.",
         align="justify").paragraph_format.keep_with_next = True
    for i, t in enumerate(data.lists, 1):
        doc.add_heading(f"{n}.{i}. {t.title}", level=2)
        if not t.rows:
            para(doc, "Нет записей за период.", italic=True)
            continue
        shown = t.rows if len(t.rows) <= opts.max_list_rows else t.worst(opts.max_list_rows)
        numeric = [j for j in range(len(t.columns)) if any(isinstance(r[j], (int, float)) for r in shown)]
        cells = [[_cell(v) for v in r] for r in shown]
        table(doc, t.columns, cells, _fit_widths(t.columns, cells), size=9, numeric_cols=numeric, gap=False)
        tail = f"Всего: {len(t.rows)}."
        if len(shown) < len(t.rows):
            tail += f" Показаны {len(shown)} {t.worst_label}; полный перечень — в XLSX, лист «{t.key}»."
        para(doc, tail + (" " + t.note if t.note else ""), italic=True, size=10).paragraph_format.space_before = Pt(3)


def _fit_widths(headers: list[str], rows: list[list[str]], total_cm: float = 17.0) -> list[float]:
    """Column widths that keep header words, ids and dates unbroken where the page allows.

    About 0.17 cm a character at 9 pt (0.2 bold) plus the cell's padding.  Short
    cells (a date with its time) stay on one line if every column fits so;
    else only words stay whole; failing that, every column gets its longest
    header word and the rest of the page goes where the content wants it.
    """
    least = [0.2 * max(len(w) for w in h.split()) + 0.4 for h in headers]

    def wants(unbreakable) -> list[float]:
        return [max(lo, 0.17 * max([unbreakable(r[j]) for r in rows] + [4]) + 0.4) for j, lo in enumerate(least)]

    def words(text: str) -> int:
        return max((len(w) for w in text.split()), default=0)

    for want in (wants(lambda t: len(t) if len(t) <= 16 else words(t)), wants(words)):
        if sum(want) <= total_cm:
            return [w * total_cm / sum(want) for w in want]
    spare = max(total_cm - sum(least), 0.0)
    extra = [w - lo for w, lo in zip(want, least, strict=True)]
    return [lo + (spare * e / sum(extra) if sum(extra) else 0.0) for lo, e in zip(least, extra, strict=True)]


def _cell(v) -> str:
    if v is None:
        return "—"
    if hasattr(v, "hour"):
        return fmt_datetime(v)
    if hasattr(v, "year"):
        return fmt_date(v)
    if isinstance(v, float):
        return fmt_number(v)
    return str(v)


def _clauses(doc, data: ReportData, figs, opts, n) -> None:
    checked = data.scope.checked
    para(doc, f"Проверено звонков: {fmt_number(checked, 0)}. По каждому пункту — число звонков, в которых "
              "он нарушен, число нарушений и доля звонков с нарушением.", align="justify")
    # a call on which the rule could not be judged (the language spoken, ...) is left out of its share
    rows = [[fmt_clause(c.clause), c.title, fmt_number(c.calls, 0), fmt_number(c.violations, 0),
             fmt_kpi(round(100 * c.calls / (checked - c.not_assessed), 1) if checked > c.not_assessed else None, "%")]
            for c in data.clauses]
    table(doc, ["Пункт", "Требование", "Звонков с нарушением", "Нарушений", "Доля звонков"], rows,
          [2.6, 7.6, 2.3, 2.3, 2.0], size=9, numeric_cols=(2, 3, 4))
    figs.place(doc, "clauses")
    with_examples = [c for c in data.clauses if c.examples]
    if with_examples:
        doc.add_heading(f"{n}.1. Примеры нарушений (цитаты из звонков)", level=2)
    for c in with_examples:
        para(doc, f"{fmt_clause(c.clause)} — {c.title}:", bold=True, size=11, space_after=1)
        for e in c.examples:
            p = doc.add_paragraph(style="List Bullet")
            if e.said:   # words of the call, where they were said
                p.add_run(f"«{e.evidence}»").italic = True
                p.add_run(f" — звонок {e.call_id} от {fmt_datetime(e.started_at)}, {fmt_seconds(e.start)} от "
                          f"начала записи, оператор {e.operator}")
            else:        # a rule about the whole call describes it: no quotation marks, no moment
                p.add_run(e.evidence[:1].upper() + e.evidence[1:])
                p.add_run(f" — звонок {e.call_id} от {fmt_datetime(e.started_at)}, оператор {e.operator}")


def _operators(doc, data: ReportData, figs, opts, n) -> None:
    if not data.operators:
        para(doc, "Нет звонков и записей операторов за период.", italic=True)
        return
    rows = []
    for o in data.operators:
        top = "\n".join(data.top_rule_lines(o)) or "—"
        rows.append([o.name or o.operator_id, fmt_number(o.calls, 0), fmt_kpi(o.score_avg, ""),
                     fmt_number(o.violations, 0), fmt_kpi(o.per_100_calls, ""),
                     fmt_kpi(o.registered_on_time_pct, "%"), fmt_kpi(o.readings_on_time_pct, "%"), top])
    table(doc, ["Оператор", "Звонков", "Средняя оценка", "Нару-шений", "На 100 звонков", "Заявки вовремя",
                "Показания вовремя", "Частые нарушения — случаев"],
          rows, [2.6, 1.5, 1.5, 1.6, 1.5, 1.6, 1.8, 4.9], size=8, numeric_cols=(1, 2, 3, 4, 5, 6))
    figs.place(doc, "operators")


def _training(doc, data: ReportData, figs, opts, n) -> None:
    recs = [r for r in data.recommendations if r.items]
    if not recs:
        para(doc, "Повторяющихся нарушений не выявлено; плановое обучение по графику.", italic=True)
        return
    para(doc, "По наиболее частым нарушениям каждого оператора за период:", align="justify")
    for r in recs:
        para(doc, r.name or r.operator_id, bold=True, size=11, space_after=1)
        for _rule, clause, count, text in r.items:
            p = doc.add_paragraph(style="List Bullet")
            ref = ", ".join(x for x in (fmt_clause(clause) if clause else "",
                                        f"{count} случ." if count is not None else "") if x)
            p.add_run(text)
            if ref:
                p.add_run(f" ({ref})").italic = True


def _conclusion(doc, data: ReportData) -> None:
    for i, sentence in enumerate(conclusions.summary_sentences(data), 1):
        para(doc, f"{i}) {sentence}", align="justify")
    if data.kind == "audit":
        items = conclusions.nonconformities(data)
        para(doc, "Выявленные несоответствия:" if items else "Несоответствий не выявлено.", bold=True)
        for item in items:
            para(doc, item, align="justify", size=11)
        if items:
            para(doc, "Руководителю ОКА разработать корректирующие действия по каждому несоответствию "
                      "и представить их в сектор СМК.", align="justify")
        open_items = conclusions.unconfirmed(data)
        if open_items:
            para(doc, "Не подтверждено (автоматические находки, которые аудитор не подтвердил; несоответствиями "
                      "не являются до проверки):", bold=True)
            for item in open_items:
                para(doc, item, align="justify", size=11)


def _signatures(doc, data: ReportData) -> None:
    spec = KIND_SPECS[data.kind]
    para(doc, "", space_after=12)
    line = [spec.signer, "________________", "/ ______________________ /"]
    caption = ["", "(подпись)", "(Ф.И.О.)"]
    rows = [line, caption]
    if spec.countersigner:
        rows += [["", "", ""], [spec.countersigner, *line[1:]], caption]
    rows += [["", "", ""], ["«____» ______________ 20___ г.", "", ""]]
    plain_table(doc, rows, [7.0, 4.0, 6.0])
