"""The half-yearly report (analytics/reports): both kinds, read back from DOCX and XLSX.

The database is built here row by row; the lists the report must carry are
written next to the rows that put them there.  Every KPI in the files is
compared with ``oka-qa kpi --json`` for the same period.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from types import SimpleNamespace

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from analytics.catalogue.kpis import scalars
from analytics.reports import KINDS, ReportOptions, generate, out_base
from analytics.reports.model import Period
from analytics.reports.texts import SECTIONS, fmt_change, fmt_kpi
from analytics.storage.store import connect, init
from cli.main import cli

PERIOD = ("2025-01-01", "2025-06-30")
OPERATORS = {"op1": "Айгуль Сапарова", "op2": "Нурлан Ахметов"}

# call_id, started_at, operator, topic, score (None: not checked), duration_s
CALLS = [
    ("a01", "2024-09-10 10:00:00", "op1", "request.individual", 90.0, 300.0),   # previous half-year
    ("a02", "2024-10-05 11:00:00", "op2", "readings", 80.0, 120.0),             # previous half-year
    ("b01", "2025-01-15 09:00:00", "op1", "request.individual", 83.0, 300.0),
    ("b02", "2025-02-10 10:00:00", "op2", "request.legal", 66.0, 420.0),
    ("b03", "2025-03-03 11:00:00", "op1", "readings", 100.0, 120.0),
    ("b04", "2025-04-08 12:00:00", "op2", "readings", 75.0, 150.0),
    ("b05", "2025-05-12 13:00:00", "op2", "readings", 90.0, 100.0),             # no record: missing
    ("b06", "2025-06-20 14:00:00", "op1", "billing", 100.0, 200.0),
    ("b07", "2025-06-25 15:00:00", "op1", "request.individual", 95.0, 200.0),
    ("b08", "2025-05-05 16:00:00", "op2", "other", None, 60.0),                # not checked: 7 of 8
]

# call_id, idx, rule, clause, start, evidence
FINDINGS = [
    ("a01", 0, "address.forbidden", "15.1", 3.0, "девушка"),
    ("b01", 0, "address.forbidden", "15.1", 12.4, "Девушка, подождите"),
    ("b01", 1, "speech.jargon", "13", 20.0, "щас"),
    ("b02", 0, "speech.rude", "15.2", 6.5, "Это не мои проблемы, звоните сами на 8 701 123 45 67"),
    ("b02", 1, "speech.filler", "13", 8.0, "короче"),
    ("b02", 2, "aht.over_norm", "Приложение 1", None, ""),
    ("b04", 0, "address.forbidden", "15.1", 30.0, "Женщина, не перебивайте"),
    ("b04", 1, "closing.missing", "15.16", None, ""),
    ("b07", 0, "address.forbidden", "15.1", 5.0, "мужчина из ПЭУ приедет"),     # rejected below
]
REJECTED = [("b07", 0)]
NOT_ASSESSED = [("b02", "tempo.fast", "language"), ("b02", "address.forbidden", "language")]   # b02 is in Kazakh
DICTATED = [("b03", 0, 55.0, 40.0, "пятьдесят пять"), ("b04", 0, 400.0, 50.0, "четыреста")]

REQUESTS = [
    # id, type, kind, account, contract, object, meter, contact, reason, operator, call, created, completed
    ("q0", "individual", "sealing", "1000", None, None, None, "+77010000000", "замена", "op1", "a01",
     "2024-09-10 10:08:00", "2024-09-20 10:00:00"),
    ("q1", "individual", "sealing", "1001", None, None, None, "+77011234567", "замена", "op1", "b01",
     "2025-01-15 09:09:00", "2025-01-20 12:00:00"),            # 4 min after the call: on time
    ("q2", "legal", "inspection", None, "Д-55", "Школа 12", None, "+77273000000", "осмотр", "op2", "b02",
     "2025-02-10 10:25:00", "2025-03-20 09:00:00"),            # 18 min late; no meter: incomplete
    ("q3", "individual", "unsealing", "1003", None, None, None, "+77017654321", "ремонт", "op1", "b07",
     "2025-06-25 15:05:00", None),                             # on time, open, not yet due
    ("q4", "individual", "sealing", "1004", None, None, None, "+77015550000", "авария", "op1", None,
     "2025-03-10 12:00:00", None),                             # no call; open and overdue
]
READINGS = [
    # id, account, meter, value, operator, call, entered
    ("m0", "2000", "ГВС-0", 10.0, "op2", "a02", "2024-10-05 11:03:00"),
    ("m1", "2001", "ГВС-1", 55.0, "op1", "b03", "2025-03-03 11:04:00"),     # on time, as dictated
    ("m2", "2002", "ГВС-2", 410.0, "op2", "b04", "2025-04-08 12:20:00"),    # late, 400 was dictated
]
EXPECTED_LIST_IDS = {  # list title word -> ids the list must show
    "зарегистрированные с опозданием": {"q2"},
    "просроченные": {"q4"},
    "внесённые с опозданием": {"m2"},
    "расходящиеся": {"m2"},
    "без заявки": {"b05"},
    "без обязательных": {"q2"},
}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reports") / "oka.duckdb"
    init(path)
    with connect(path) as con:
        for call_id, started, op, topic, score, dur in CALLS:
            start = dt.datetime.fromisoformat(started)
            con.execute("INSERT INTO calls (call_id, started_at, ended_at, duration_s, operator_id, operator_name, "
                        "layout, language, topic, score, rulebook) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        [call_id, start, start + dt.timedelta(seconds=dur), dur, op, OPERATORS[op],
                         "stereo-operator-left", "kk" if call_id == "b02" else "ru", topic, score,
                         None if score is None else "STP-04-2019/01"])
        for call_id, idx, rule, clause, start, evidence in FINDINGS:
            con.execute("INSERT INTO findings VALUES (?,?,?,?,'operator',?,?,?,'STP-04-2019/01',1.0)",
                        [call_id, idx, rule, clause, start, None if start is None else start + 1, evidence])
        con.executemany("INSERT INTO not_assessed (call_id, rule, reason) VALUES (?,?,?)", NOT_ASSESSED)
        for call_id, idx in REJECTED:
            rule = next(f[2] for f in FINDINGS if f[:2] == (call_id, idx))
            con.execute("INSERT INTO review_events (seq, decided_at, who, kind, call_id, idx, rule, comment) "
                        "SELECT coalesce(max(seq), 0) + 1, ?, 'аудитор', 'reject', ?, ?, ?, 'упоминание, не обращение' "
                        "FROM review_events", [dt.datetime(2025, 7, 1), call_id, idx, rule])
        con.executemany("INSERT INTO call_readings (call_id, idx, value, start, evidence) "
                        "VALUES (?,?,?,?,?)", DICTATED)
        for r in REQUESTS:
            con.execute("INSERT INTO requests VALUES (?,?,?,?,?,?,?,?,?,NULL,?,?,?,?)", list(r))
            if r[10]:
                con.execute("INSERT INTO links VALUES ('request', ?, ?, 'given')", [r[0], r[10]])
        for r in READINGS:
            con.execute("INSERT INTO readings VALUES (?,?,?,?,?,?,?)", list(r))
            con.execute("INSERT INTO links VALUES ('reading', ?, ?, 'given')", [r[0], r[5]])
    return path


def _kpi_json(db: Path, date_from: str, date_to: str) -> dict:
    res = CliRunner().invoke(cli, ["kpi", "--db", str(db), "--from", date_from, "--to", date_to, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.fixture(scope="module")
def reports(db, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    made = {}
    for kind in KINDS:
        res = CliRunner().invoke(cli, ["report", "--db", str(db), "--from", PERIOD[0], "--to", PERIOD[1],
                                       "--kind", kind, "--out", str(out / f"{kind}.docx"), "--no-pdf"])
        assert res.exit_code == 0, res.output
        assert res.stdout.split() == [str(out / f"{kind}.docx"), str(out / f"{kind}.xlsx")]
        made[kind] = out / kind
    return made


def _number(text: str):
    """A number printed the Russian way («96,1 %», «1 840», «нет данных», «75,0 % (3 из 4)») back as a float."""
    text = re.sub(r"\s*\(\d+ из \d+\)$", "", text.strip())
    if text in ("нет данных", "—"):
        return None
    return float(re.sub(r"[\s\u00a0%]", "", text).replace(",", "."))


def _docx_tables(path: Path) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in docx.Document(str(path)).tables]


@pytest.mark.parametrize("kind", KINDS)
def test_the_spravka_states_the_language_split(db, reports, kind):
    by_lang = _kpi_json(db, *PERIOD)["calls_by_language"]
    assert by_lang["kk"] == 1
    text = _all_text(reports[kind].with_suffix(".docx"))
    assert (f"на русском {by_lang['ru']}, на казахском 1, на двух языках 0, язык не определён {by_lang['unknown']}"
            in text)
    # the rules not judged on Kazakh speech, named as a reader knows them: clause and title, never the rule's id
    assert "не оценивались" in text and "tempo.fast" not in text
    assert "п. 13 «Слишком быстрый темп речи оператора»" in text


def test_a_rules_share_leaves_out_the_calls_it_could_not_judge(db, reports):
    from analytics.queries.report_queries import checked_scope

    checked = checked_scope(db, *(dt.date.fromisoformat(d) for d in PERIOD)).checked
    tables = _docx_tables(reports["spravka"].with_suffix(".docx"))
    clauses = next(t for t in tables if t[0][-1] == "Доля звонков")
    shares = {(row[0], row[2]): row[4] for row in clauses[1:]}
    # address.forbidden: b01 and b04 in the period (b07 rejected), not judged on b02
    assert _number(shares[("п. 15.1", "2")]) == round(100 * 2 / (checked - 1), 1)


@pytest.mark.parametrize("kind", KINDS)
def test_docx_kpis_equal_kpi_json(db, reports, kind):
    expected = _kpi_json(db, *PERIOD)
    tables = _docx_tables(reports[kind].with_suffix(".docx"))
    summary = next(t for t in tables if t[0][:2] == ["Показатель", "Отчётный период"])
    shown = {row[0]: row[1] for row in summary[1:]}
    for k in scalars(expected):
        assert _number(shown[k.label]) == expected[k.key], (k.key, shown[k.label])
    indicators = next(t for t in tables if t[0][:3] == ["№", "Показатель", "Критерий оценки"])
    assert _number(indicators[1][3]) == expected["requests_registered_on_time_pct"]
    assert _number(indicators[2][3]) == expected["readings_entered_on_time_pct"]


@pytest.mark.parametrize("kind", KINDS)
def test_xlsx_kpis_equal_kpi_json(db, reports, kind):
    expected = _kpi_json(db, *PERIOD)
    previous = _kpi_json(db, "2024-07-01", "2024-12-31")
    ws = openpyxl.load_workbook(reports[kind].with_suffix(".xlsx"))["Сводка"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    for key in (k.key for k in scalars(expected)):
        assert rows[key][2] == expected[key], key
        assert rows[key][3] == previous[key], key
    for rule, n in expected["violations"].items():
        assert rows[f"violations.{rule}"][2] == n


@pytest.mark.parametrize("kind", KINDS)
def test_every_section_is_present(reports, kind):
    d = docx.Document(str(reports[kind].with_suffix(".docx")))
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert [h.split(". ", 1)[1] for h in headings[:len(SECTIONS)]] == list(SECTIONS.values())
    assert [h.split(". ", 1)[0] for h in headings] == [str(i) for i in range(1, len(headings) + 1)]
    text = "\n".join(p.text for p in d.paragraphs)
    assert "ТОО «Алматинские тепловые сети»" in text
    assert "с 01.01.2025 по 30.06.2025" in text and "с 01.07.2024 по 31.12.2024" in text
    signer = "Начальник ОКА" if kind == "spravka" else "Внутренний аудитор СМ"
    assert any(signer in c.text for t in d.tables for row in t.rows for c in row.cells)
    assert len(d.inline_shapes) >= 3, "charts as images"
    wb = openpyxl.load_workbook(reports[kind].with_suffix(".xlsx"))
    assert {"Сводка", "Пункты стандарта", "Примеры", "Операторы", "Рекомендации", "Диаграммы"} <= set(wb.sheetnames)


@pytest.mark.parametrize("title_word, ids", sorted(EXPECTED_LIST_IDS.items()))
def test_lists_behind_the_numbers_carry_their_ids(reports, title_word, ids):
    d = docx.Document(str(reports["spravka"].with_suffix(".docx")))
    heads = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    matching = [h for h in heads if title_word in h.lower()]
    assert len(matching) == 1, (title_word, heads)
    wb = openpyxl.load_workbook(reports["spravka"].with_suffix(".xlsx"))
    sheet = next(ws for ws in wb.worksheets if ws["A1"].value == matching[0].split(". ", 1)[1])
    assert {r[0] for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]} == ids


def test_compliance_by_clause_quotes_calls_and_skips_rejected(reports):
    d = docx.Document(str(reports["spravka"].with_suffix(".docx")))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "«Девушка, подождите» — звонок b01 от 15.01.2025 09:00, 00:12 от начала записи" in text
    assert "мужчина из ПЭУ" not in text                          # the auditor rejected it
    clauses = next(t for t in _docx_tables(reports["spravka"].with_suffix(".docx"))
                   if t[0][:2] == ["Пункт", "Требование"])
    by_clause = {(r[0], r[3]) for r in clauses[1:]}
    assert ("п. 15.1", "2") in by_clause                          # b01 and b04; b07 rejected, a01 earlier


def test_operators_and_training(reports):
    ws = openpyxl.load_workbook(reports["spravka"].with_suffix(".xlsx"))["Операторы"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    assert set(rows) == {"op1", "op2"}
    assert (rows["op1"][2], rows["op2"][2]) == (4, 4)                 # calls in the period
    assert (rows["op1"][4], rows["op2"][4]) == (2, 5)                 # counted violations
    recs = openpyxl.load_workbook(reports["spravka"].with_suffix(".xlsx"))["Рекомендации"]
    rules = {(r[0], r[2]) for r in recs.iter_rows(min_row=5, values_only=True) if r[0]}
    assert ("op2", "kpi.registered_late") in rules and ("op2", "address.forbidden") in rules
    assert ("op1", "address.forbidden") in rules


def test_audit_lists_nonconformities(reports):
    text = "\n".join(p.text for p in docx.Document(str(reports["audit"].with_suffix(".docx"))).paragraphs)
    assert "НС-1. Критерий результативности п. 2.6 № 1" in text
    assert "Ознакомлен: Начальник ОКА" in "\n".join(
        c.text for t in docx.Document(str(reports["audit"].with_suffix(".docx"))).tables
        for row in t.rows for c in row.cells)


@pytest.mark.parametrize("start, end, prev_start, prev_end", [
    ("2025-01-01", "2025-06-30", "2024-07-01", "2024-12-31"),   # half-year
    ("2025-07-01", "2025-12-31", "2025-01-01", "2025-06-30"),
    ("2025-04-01", "2025-06-30", "2025-01-01", "2025-03-31"),   # quarter
    ("2025-03-01", "2025-03-31", "2025-02-01", "2025-02-28"),   # month
    ("2025-01-01", "2025-12-31", "2024-01-01", "2024-12-31"),   # year
    ("2025-03-10", "2025-03-16", "2025-03-03", "2025-03-09"),   # any days: the same number before
])
def test_previous_period(start, end, prev_start, prev_end):
    p = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end)).previous()
    assert (p.start.isoformat(), p.end.isoformat()) == (prev_start, prev_end)


@pytest.mark.parametrize("value, unit, text", [
    (96.1, "%", "96,1 %"), (100.0, "%", "100,0 %"), (None, "%", "нет данных"), (1840, "", "1\u00a0840"),
    (91.4, "", "91,4"), (0, "", "0"),
])
def test_fmt_kpi(value, unit, text):
    assert fmt_kpi(value, unit) == text


@pytest.mark.parametrize("now, before, unit, text", [
    (96.1, 90.0, "%", "+6,1 п.п."), (80.0, 90.5, "%", "−10,5 п.п."), (5, 5, "", "±0"), (7, 4, "", "+3"),
    (None, 4, "", "—"),
])
def test_fmt_change(now, before, unit, text):
    assert fmt_change(now, before, unit) == text


@pytest.mark.parametrize("given, base", [
    ("out/spravka", "out/spravka"), ("out/spravka.docx", "out/spravka"), ("out/s.XLSX", "out/s"),
    ("out/s.pdf", "out/s"), ("out/h1.2025", "out/h1.2025"),
])
def test_out_base(given, base):
    assert out_base(Path(given)) == Path(base)


@pytest.mark.parametrize("args, message", [
    (["--from", "2025-06-30", "--to", "2025-01-01"], "after it ends"),
    (["--from", "2025-01-01", "--to", "2025-06-30", "--db", "nowhere/x.duckdb"], "no database"),
    (["--from", "2025-01-01", "--to", "2025-06-30", "--kind", "spravka", "--out", "/proc/oka-qa/r"], "cannot write"),
])
def test_report_errors_are_one_line(db, tmp_path, args, message):
    argv = ["report", "--kind", "spravka", "--out", str(tmp_path / "r"), "--no-pdf", *args]
    if "--db" not in args:
        argv += ["--db", str(db)]
    res = CliRunner().invoke(cli, argv)
    assert res.exit_code == 2
    assert message in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_empty_period_still_makes_a_document(db, tmp_path):
    files = generate(db, dt.date(2023, 1, 1), dt.date(2023, 6, 30), "spravka", tmp_path / "empty",
                     ReportOptions(pdf=False))
    text = "\n".join(p.text for p in docx.Document(str(files.docx)).paragraphs)
    assert "Нет записей за период." in text and "не оценено" in text
    assert "Нет звонков и записей операторов за период." in text


def _all_text(path: Path) -> str:
    d = docx.Document(str(path))
    return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])


def test_masked_report_hides_personal_data(db, tmp_path):
    args = (db, dt.date(2025, 1, 1), dt.date(2025, 6, 30), "spravka")
    plain = generate(*args, tmp_path / "plain", ReportOptions(pdf=False, charts=False))
    res = CliRunner().invoke(cli, ["report", "--db", str(db), "--from", PERIOD[0], "--to", PERIOD[1], "--no-pdf",
                                   "--mask-personal-data", "--out", str(tmp_path / "masked")])
    assert res.exit_code == 0, res.output
    masked = SimpleNamespace(docx=tmp_path / "masked.docx", xlsx=tmp_path / "masked.xlsx")
    assert "8 701 123 45 67" in _all_text(plain.docx) and "2002" in _all_text(plain.docx)
    text = _all_text(masked.docx)
    assert "8 701 123 45 67" not in text and "2002" not in text
    assert "Это не мои проблемы, звоните сами на [телефон]" in text and "Нурлан Ахметов" in text
    ws = openpyxl.load_workbook(masked.xlsx)["Примеры"]
    assert not any("8 701" in str(v) for row in ws.iter_rows(values_only=True) for v in row)


@pytest.mark.parametrize("start, end, span", [
    (dt.date(2025, 1, 1), dt.date(2025, 6, 30), "за полугодие"),
    (dt.date(2025, 4, 1), dt.date(2025, 6, 30), "за квартал"),
    (dt.date(2025, 3, 1), dt.date(2025, 3, 20), "за период"),
])
def test_the_reports_words_follow_its_period_and_sections(db, tmp_path, start, end, span):
    """Found in issue 20's audit of the Справка: its purpose said «за полугодие» for any period, two references
    named the wrong section (the quotes, the training), and the indicators' note described the base of both
    clause 2.6 indicators as the records linked to a call (the calls that needed one and have none count too)."""
    files = generate(db, start, end, "spravka", tmp_path / "r", ReportOptions(pdf=False, charts=False))
    text = _all_text(files.docx)
    assert f"сотрудниками ОКА {span}." in text
    headings = {p.text.split(". ", 1)[1]: p.text.split(". ", 1)[0]
                for p in docx.Document(str(files.docx)).paragraphs if p.style.name.startswith("Heading")}
    assert f"(раздел {headings['Соблюдение требований раздела 2 Стандарта']}.1)" in text     # where the quotes are
    if "Примеры нарушений (цитаты из звонков)" in headings:
        assert headings["Примеры нарушений (цитаты из звонков)"] == headings[
            "Соблюдение требований раздела 2 Стандарта"] + ".1"
    if span == "за полугодие":   # the half-year has operators to train: the conclusion names the section
        assert f"Обучение по разделу {headings['Рекомендации по обучению']} " in text
    assert "но не связаны ни с одной" in text and "доля записей, связанных со звонком" not in text
    assert "Пункты, которые проверяются" in text and "которые проверяется" not in text


def test_a_whole_call_description_is_not_printed_as_a_quote(db, tmp_path):
    """Found in issue 20's audit of the Справка: «не собраны: причина» stood in quotation marks among the quotes,
    «00:00 от начала записи», as if the operator had said it.  Evidence that is words of the call stays a quote."""
    import shutil

    copy = tmp_path / "oka.duckdb"
    shutil.copy(db, copy)
    with connect(copy) as con:
        con.execute("INSERT INTO findings VALUES ('b04', 7, 'request.data_missing', '20–21, Appendix 1', 'operator', "
                    "0.0, 60.0, 'не собраны: причина', 'STP-04-2019/01', 1.0)")
        con.execute('INSERT INTO utterances (call_id, idx, speaker, start, "end", text) VALUES '
                    "('b04', 0, 'operator', 30.0, 32.0, 'Женщина, не перебивайте меня.')")
    files = generate(copy, dt.date(2025, 1, 1), dt.date(2025, 6, 30), "spravka", tmp_path / "r",
                     ReportOptions(pdf=False, charts=False))
    text = _all_text(files.docx)
    assert "«не собраны: причина»" not in text and "Не собраны: причина — звонок b04" in text
    assert "«Женщина, не перебивайте» — звонок b04" in text and "00:30 от начала записи" in text


def test_each_share_in_the_report_shows_what_it_is_made_of(db, tmp_path):
    """Found in issue 20's audit of the Справка: «Заявки выполнены в срок 50,0 %» could not be rebuilt from the
    document (a request not yet due is left out, and nothing said so).  Each share now reads «50,0 % (1 из 2)»,
    its parts from the same query as the KPI, and they give the share back."""
    from analytics.queries.kpi import compute_kpis, kpis_and_shares

    period = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    files = generate(db, *period, "spravka", tmp_path / "r", ReportOptions(pdf=False, charts=False))
    text, (kpis, parts) = _all_text(files.docx), kpis_and_shares(db, *period)
    assert kpis == compute_kpis(db, *period)
    assert set(parts) == {"requests_registered_on_time_pct", "readings_entered_on_time_pct",
                          "requests_completed_on_time_pct"}
    for key, (counted, over) in parts.items():
        if over:
            assert kpis[key] == round(100 * counted / over, 1)
            assert f"({counted} из {over})" in text, key
        else:
            assert kpis[key] is None


def test_masked_report_masks_free_text_in_its_lists(db, tmp_path):
    """Found in issue 20's privacy audit: the lists behind the figures blanked only the columns marked personal,
    so a request's reason that names a person and a phone went raw into a trainer's report, where the page
    masks it.  The lists now mask every free text as the pages do."""
    import shutil

    copy = tmp_path / "oka.duckdb"
    shutil.copy(db, copy)
    said = "перезвонить Жумабаевой Гульнаре 8 701 123 45 67"
    with connect(copy) as con:
        con.execute("UPDATE requests SET reason = ? WHERE request_id = 'q4'", [said])
        con.execute("INSERT OR REPLACE INTO reason_classes VALUES (?, 'other')", [said])
    args = (copy, dt.date(2025, 1, 1), dt.date(2025, 6, 30), "spravka")
    plain = generate(*args, tmp_path / "plain", ReportOptions(pdf=False, charts=False))
    masked = generate(*args, tmp_path / "masked", ReportOptions(pdf=False, charts=False, mask_personal_data=True))
    cells = lambda path: [str(v) for ws in openpyxl.load_workbook(path) for row in ws.iter_rows(values_only=True)  # noqa: E731
                          for v in row if v is not None]
    assert said in _all_text(plain.docx) and said in cells(plain.xlsx)      # the reason is in the lists
    for text in (_all_text(masked.docx), "\n".join(cells(masked.xlsx))):
        assert "Жумабаев" not in text and "701" not in text and "перезвонить [ФИО] [телефон]" in text


@pytest.mark.parametrize("role, masked", [("head", False), ("trainer", True)])
def test_overview_button_makes_the_same_report(monkeypatch, db, role, masked):
    import io

    from streamlit.testing.v1 import AppTest

    import dashboards
    from dashboards.components.report import STATE_KEY

    monkeypatch.setenv("OKA_QA_DB", str(db))
    monkeypatch.setattr("analytics.reports.pdf.soffice", lambda: None)     # PDF is covered by the render test
    from signin import sign_in

    at = sign_in(AppTest.from_file(str(Path(dashboards.__file__).parent / "app.py"), default_timeout=120), role)
    at.run()
    at.selectbox(key="period_kind").set_value("Полугодие").run()
    at.radio(key="period_half").set_value("I").run()
    at.selectbox(key="report_kind").set_value("audit").run()
    at.button(key="report_make").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (kind, start, end, was_masked), files = at.session_state[STATE_KEY]
    assert (kind, start.isoformat(), end.isoformat(), was_masked) == ("audit", *PERIOD, masked)
    assert {"audit_2025-01-01_2025-06-30.docx", "audit_2025-01-01_2025-06-30.xlsx"} <= set(files)
    assert files                        # offered as links through the app's own route (dashboards/components/served.py)
    expected = _kpi_json(db, *PERIOD)
    ws = openpyxl.load_workbook(io.BytesIO(files["audit_2025-01-01_2025-06-30.xlsx"]))["Сводка"]
    rows = {r[0]: r[2] for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    keys = [k.key for k in scalars(expected)]
    assert {k: rows[k] for k in keys} == {k: expected[k] for k in keys}
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(files["audit_2025-01-01_2025-06-30.docx"])).paragraphs)
    assert "ОТЧЕТ ПО АУДИТУ СМ" in text
    assert ("8 701 123 45 67" in text) is not masked
    from analytics.access.audit import entries

    logged = entries(db, action="export", user=role).row(0, named=True)      # newest first
    assert logged["role"] == role and "audit_2025-01-01_2025-06-30.docx" in logged["target"]


@pytest.mark.parametrize("target, verdict", [(60.0, "выполнен"), (95.0, "не выполнен")])
def test_targets_come_from_the_config_file(db, tmp_path, target, verdict):
    cfg = tmp_path / "oka-qa.toml"
    cfg.write_text(f"[report]\nregistered_target_pct = {target}\ncharts = false\npdf = false\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["--config", str(cfg), "report", "--db", str(db), "--from", PERIOD[0],
                                   "--to", PERIOD[1], "--out", str(tmp_path / "r")])
    assert res.exit_code == 0, res.output
    indicators = next(t for t in _docx_tables(tmp_path / "r.docx")
                      if t[0][:3] == ["№", "Показатель", "Критерий оценки"])
    assert indicators[1][6] == verdict and f"не ниже {target:g} %" in indicators[1][2]


def _docx_kpis(path: Path) -> dict:
    summary = next(t for t in _docx_tables(path) if t[0][:2] == ["Показатель", "Отчётный период"])
    by_label = {row[0]: _number(row[1]) for row in summary[1:]}
    return {k.key: by_label[k.label] for k in scalars() if k.label in by_label}


def _xlsx_kpis(path: Path) -> dict:
    ws = openpyxl.load_workbook(path)["Сводка"]
    rows = {r[0]: r[2] for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    out = {k.key: rows[k.key] for k in scalars() if k.key in rows}
    out["violations"] = {k.split(".", 1)[1]: v for k, v in rows.items()
                         if isinstance(k, str) and k.startswith("violations.") and v}
    return out


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """The bundled demo data through the real pipeline (transcription, rules, linking).

    Transcripts go to the project's transcript cache (``var/cache``, ignored by git), so the
    demo's recordings are transcribed once for every test and command that ingests them.
    """
    from data import DEMO_DIR

    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    res = CliRunner().invoke(cli, ["ingest", str(DEMO_DIR), "--db", str(db)])
    assert res.exit_code in (0, 1), res.output          # 1: the demo carries a deliberately broken file
    return db


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("period", [("2026-01-01", "2026-06-30"), ("2026-07-01", "2026-12-31")])
def test_demo_database_report_equals_kpi_json(demo_db, tmp_path, kind, period):
    expected = _kpi_json(demo_db, *period)
    assert expected["calls"] > 0
    res = CliRunner().invoke(cli, ["report", "--db", str(demo_db), "--from", period[0], "--to", period[1],
                                   "--kind", kind, "--out", str(tmp_path / kind), "--no-pdf"])
    assert res.exit_code == 0, res.output
    keys = [k.key for k in scalars(expected)]
    assert _docx_kpis(tmp_path / f"{kind}.docx") == {k: expected[k] for k in keys}
    assert _xlsx_kpis(tmp_path / f"{kind}.xlsx") == {k: expected[k] for k in [*keys, "violations"]}


@pytest.mark.slow
def test_pdf_renders_with_libreoffice(db, tmp_path):
    """The PDF as a reader sees it, made afresh in an empty folder (nothing left by an earlier run can pass)."""
    import shutil
    import subprocess

    from analytics.reports.pdf import soffice

    if soffice() is None or shutil.which("pdftoppm") is None:
        pytest.skip("LibreOffice or poppler-utils not installed (optional converters)")
    out = tmp_path
    files = generate(db, dt.date(2025, 1, 1), dt.date(2025, 6, 30), "spravka", out / "spravka", ReportOptions(pdf=True))
    assert files.pdf == out / "spravka.pdf"
    assert files.pdf.stat().st_size > 10_000
    text = subprocess.run(["pdftotext", "-layout", str(files.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "СПРАВКА" in text and "Начальник ОКА" in text and "стр. 1 из" in text
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(files.pdf), str(out / "page")],
                   check=True)
    # one page rendered; pdftoppm pads its number to the width of the page count («page-01» past 9 pages)
    assert [p.name for p in out.glob("page*.png")] in (["page-1.png"], ["page-01.png"], ["page-001.png"])


@pytest.mark.parametrize("rows, worst_by, n, ids", [
    ([["a", 3.0], ["b", 12.5], ["c", None], ["d", 7.0]], 1, 2, ["b", "d"]),     # longest delays first
    ([["a", 3.0], ["b", None]], 1, 2, ["a", "b"]),                              # no delay known: last
    ([["a", 1.0], ["b", 9.0], ["c", 5.0]], None, 2, ["a", "b"]),                # no key: the list's own order
])
def test_long_lists_show_their_worst_cases_first(rows, worst_by, n, ids):
    from analytics.reports.model import Table

    assert [r[0] for r in Table("k", "t", ["Заявка", "Через, мин"], rows, worst_by=worst_by).worst(n)] == ids


@pytest.mark.parametrize("target, verdict, tile", [(60.0, "выполнен", "✔</span> выполнено"),
                                                  (95.0, "не выполнен", "✖</span> не выполнено")])
def test_overview_button_and_tiles_judge_by_the_config_file(monkeypatch, db, tmp_path, target, verdict, tile):
    """«Сформировать отчёт» and the tiles use ``[report]`` of oka-qa.toml, as ``oka-qa report`` does."""
    import io

    from streamlit.testing.v1 import AppTest

    import dashboards
    from dashboards.components.report import STATE_KEY

    (tmp_path / "oka-qa.toml").write_text(f"[report]\nregistered_target_pct = {target}\ncharts = false\n"
                                          "pdf = false\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)                                   # the dashboard reads ./oka-qa.toml
    monkeypatch.setenv("OKA_QA_DB", str(db))
    from signin import sign_in

    at = sign_in(AppTest.from_file(str(Path(dashboards.__file__).parent / "app.py"), default_timeout=120), "head")
    at.run()
    at.selectbox(key="period_kind").set_value("Полугодие").run()
    at.radio(key="period_half").set_value("I").run()
    status = [m.value for m in at.markdown if "oka-status" in m.value and f"{target:g},0 %" in m.value]
    assert status and tile in status[0]
    at.button(key="report_make").click().run()
    assert not at.exception, [e.value for e in at.exception]
    _wanted, files = at.session_state[STATE_KEY]
    docx_name = next(n for n in files if n.endswith(".docx"))
    tables = [[[c.text for c in row.cells] for row in t.rows]
              for t in docx.Document(io.BytesIO(files[docx_name])).tables]
    indicators = next(t for t in tables if t[0][:3] == ["№", "Показатель", "Критерий оценки"])
    assert indicators[1][6] == verdict and f"не ниже {target:g} %" in indicators[1][2]


def _summary_of(violations: list[int], trainees: int) -> str:
    from analytics.reports.conclusions import summary_sentences
    from analytics.reports.model import ClauseRow, Recommendation, ReportData, Scope

    day = dt.date(2026, 1, 1)
    clauses = [ClauseRow(f"r{i}", f"15.{i + 1}", f"Правило {i}", n, n) for i, n in enumerate(violations)]
    recs = [Recommendation(f"op{i}", f"Оператор {i}", [("r0", "15.1", 1, "…")]) for i in range(trainees)]
    data = ReportData("spravka", Period(day, day), Period(day, day), dt.datetime(2026, 1, 2), Scope(1, 1, 1),
                      {}, {}, [], [], clauses, [], recs)
    return "\n".join(summary_sentences(data))


@pytest.mark.parametrize("violations, named, tail", [
    ([5, 3, 2, 1], ["15.1", "15.2", "15.3"], ""),                             # no tie at the cut
    ([5, 3, 2, 2], ["15.1", "15.2", "15.3", "15.4"], ""),                     # a tie at the cut is named whole
    ([5, 2, 2, 2, 2], ["15.1", "15.2", "15.3", "15.4", "15.5"], ""),
    ([5, 3, 2, 2, 2, 2, 1], ["15.1", "15.2", "15.3"], "столько же нарушений (2) — ещё у 3 пунктов"),
    ([4, 0, 0], ["15.1"], ""),
])
def test_summary_names_every_clause_tied_with_the_last_most_violated(violations, named, tail):
    text = _summary_of(violations, 0)
    listed = re.search(r"^Чаще всего нарушались: (.*)$", text, re.M).group(1)
    assert re.findall(r"п\. (15\.\d+)", listed) == named
    assert tail in listed


@pytest.mark.parametrize("trainees, said", [(1, "1 сотруднику"), (2, "2 сотрудникам"), (5, "5 сотрудникам"),
                                            (21, "21 сотруднику")])
def test_summary_counts_trainees_in_agreement(trainees, said):
    assert f"рекомендовано {said} ОКА" in _summary_of([1], trainees)


def test_a_call_only_an_evaluation_form_scored_is_not_counted_as_checked_by_the_rulebook(tmp_path):
    """The audit: a call the rulebook could not judge, then scored by an auditor's form, read «проверено по своду
    правил» in the Справка while the KPI counted it not assessed."""
    from analytics.queries.kpi import compute_kpis
    from analytics.queries.report_queries import checked_scope
    from analytics.storage import reviews

    db = tmp_path / "oka.duckdb"
    init(db)
    day = dt.date(2025, 3, 3)
    with connect(db) as con:
        for call_id, score in (("judged", 90.0), ("unjudged", None)):
            con.execute("INSERT INTO calls (call_id, started_at, duration_s, operator_id, score, rulebook) "
                        "VALUES (?, ?, 60, 'op1', ?, ?)", [call_id, dt.datetime(2025, 3, 3, 10), score,
                                                           None if score is None else "STP-04-2019/01"])
    reviews.answer_form(db, "unjudged", {"c13.tone": ("yes", 10.0)}, "aud", "auditor")
    kpi = compute_kpis(db, day, day)
    assert checked_scope(db, day, day).checked == kpi["calls"] - kpi["calls_not_assessed"] == 1


def test_the_operators_table_lists_the_operators_who_took_calls_as_the_scope_and_the_page_do(tmp_path):
    """The audit: an operator who registered a request but took no call of the period had a row of dashes in the
    Справка's table, under «Операторов ОКА, принимавших звонки: 1», and none on the «Операторы» page."""
    from analytics.reports.build import build_report

    db = tmp_path / "oka.duckdb"
    init(db)
    with connect(db) as con:
        con.execute("INSERT INTO calls (call_id, started_at, duration_s, operator_id, operator_name, score, "
                    "rulebook) VALUES ('k1', TIMESTAMP '2025-03-03 10:00:00', 60, 'op1', 'Айгуль', 90, 'x')")
        con.execute("INSERT INTO requests (request_id, customer_type, kind, account, contact, reason, operator_id, "
                    "created_at) VALUES ('q9', 'individual', 'sealing', '1', '8701', 'замена', 'op4', "
                    "TIMESTAMP '2025-03-04 10:00:00')")
    data = build_report(db, Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31)), "spravka")
    assert [o.operator_id for o in data.operators] == ["op1"]
    assert data.scope.operators == len(data.operators)
