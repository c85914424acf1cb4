"""What the Справка and the audit report state about themselves, read back from the DOCX (python-docx): the
coverage statement (rules/coverage.yaml), the auditors' review figures, nonconformities only from confirmed
findings or trusted rules (the rest «не подтверждено»), and Appendix 1's minutes explained once.

The store is built by hand, 30 calls of op1 in March 2025, one automatic finding each:
  speech.filler      22 findings: 19 confirmed, 1 rejected, 2 not reviewed -> 20 reviewed, precision 95 % >= 90 %
                     over >= 20 reviews: trusted -> nonconformity with all 21 counted
  address.forbidden   3 findings: 1 confirmed, 1 rejected, 1 not reviewed -> nonconformity: 1 confirmed of 2
  closing.missing     2 findings, none reviewed                           -> «не подтверждено», 2 findings
  speech.jargon       3 findings: 2 rejected, 1 not reviewed              -> «не подтверждено», 1 finding
Totals: 30 findings, 24 reviewed, 20 confirmed, 4 rejected.

Violations the auditors added (the check missed them), in March's calls (issue 15):
  speech.filler       1 added                -> recall 19 / (19 + 1) = 95,0 %; counted 21 + 1 = 22
  address.forbidden   2 added (a 3rd retracted, a 4th in an April call) -> recall 1 / (1 + 2) = 33,3 %;
                                                counted 2 + 2 = 4, in 4 calls
  greeting.missing    1 added, no finding     -> recall 0 / 1 = 0,0 %; counted 1 -> a nonconformity the
                                                auditor established
  closing.missing, speech.jargon: none added, nothing confirmed -> recall «нет данных»
Totals added: 4.  op1's violations: 26 counted findings (30 - 4 rejected) + 4 added = 30.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner

from analytics.reports.model import KINDS
from analytics.reports.statements import APPENDIX_1_NOTE, LEVELS, LEVELS_OF_MANY
from analytics.reports.texts import fmt_clause
from analytics.storage import reviews
from analytics.storage.store import connect, init
from cli.main import cli
from rules.engine import rule_titles

# rule -> verdicts of its findings in order (None: not reviewed)
VERDICTS = {
    "speech.filler": ["confirmed"] * 19 + ["rejected"] + [None] * 2,
    "address.forbidden": ["confirmed", "rejected", None],
    "closing.missing": [None, None],
    "speech.jargon": ["rejected", "rejected", None],
}


# (call, rule) of the violations auditors added in March: c00-c21 are speech.filler's calls, c22-c24
# address.forbidden's, c25-c26 closing.missing's, c27-c29 speech.jargon's
ADDED = [("c25", "speech.filler"), ("c00", "address.forbidden"), ("c27", "address.forbidden"),
         ("c01", "greeting.missing")]


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("statements")
    db = root / "oka.duckdb"
    init(db)
    titles = rule_titles()
    verdicts_given = []
    with connect(db) as con:
        n = 0
        for rule, verdicts in VERDICTS.items():
            for verdict in verdicts:
                call_id = f"c{n:02d}"
                start = dt.datetime(2025, 3, 3, 9) + dt.timedelta(hours=n)
                con.execute("INSERT INTO calls (call_id, started_at, ended_at, duration_s, operator_id, "
                            "operator_name, layout, language, topic, score, rulebook) "
                            "VALUES (?,?,?,120,'op1','Айгуль','stereo-operator-left','ru','billing',90,'STP')",
                            [call_id, start, start + dt.timedelta(minutes=2)])
                con.execute("INSERT INTO findings VALUES (?,0,?,?,'operator',1.0,2.0,'слово','STP',1.0)",
                            [call_id, rule, titles[rule][0]])
                if verdict:
                    verdicts_given.append((call_id, verdict))
                n += 1
        april = dt.datetime(2025, 4, 2, 9)
        con.execute("INSERT INTO calls (call_id, started_at, ended_at, duration_s, operator_id, operator_name, layout, "
                    "language, topic, score, rulebook) VALUES ('april', ?, ?, 120, 'op1', 'Айгуль', "
                    "'stereo-operator-left', 'ru', 'billing', 100, 'STP')", [april, april + dt.timedelta(minutes=2)])
    for call_id, verdict in verdicts_given:   # through the review history, as the page «Проверка» records them
        reviews.save_review(db, call_id, 0, verdict, "", "аудитор", now=dt.datetime(2025, 4, 1))
    at = dt.datetime(2025, 4, 3)
    for call_id, rule in ADDED:              # in calls without a finding of that rule
        reviews.add_missed(db, call_id, rule, 30, "слышно на записи", "аудитор", now=at)
    gone = reviews.add_missed(db, "c26", "address.forbidden", 40, "ослышался", "аудитор", now=at)
    reviews.retract_added(db, gone, "аудитор", "ослышался", now=at)
    reviews.add_missed(db, "april", "address.forbidden", 10, "другой период", "аудитор", now=at)
    out = {}
    for kind in KINDS:
        path = root / f"{kind}.docx"
        res = CliRunner().invoke(cli, ["report", "--db", str(db), "--from", "2025-03-01", "--to", "2025-03-31",
                                       "--kind", kind, "--out", str(path), "--no-pdf"])
        assert res.exit_code == 0, res.output
        out[kind] = path
    return out


def _text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def _tables(path: Path) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in docx.Document(str(path)).tables]


@pytest.mark.parametrize("kind", KINDS)
def test_the_coverage_statement_lists_every_clause_by_level(reports, kind):
    coverage = yaml.safe_load(open("rules/coverage.yaml", encoding="utf-8"))["clauses"]
    text = _text(reports[kind])
    tables = [t for t in _tables(reports[kind]) if t[0][:2] == ["Пункт", "Содержание"]]
    printed = {row[0]: row[2] for t in tables for row in t[1:]}
    assert printed == {fmt_clause(str(c["clause"])): " ".join(c["how"].split()) for c in coverage}
    for label in LEVELS_OF_MANY.values():   # «Пункты, которые проверяются полностью:» (the plural of LEVELS)
        assert f"Пункты, которые {label}:" in text
    assert {c["level"] for c in coverage} == set(LEVELS)       # something in each group: full, partly, not at all
    none_rows = [row[0] for row in tables[-1][1:]]
    assert fmt_clause("15.8, 15.9") in none_rows                # chewing and eating: not checked


@pytest.mark.parametrize("kind", KINDS)
def test_the_review_figures(reports, kind):
    text = _text(reports[kind])
    assert ("из 30 автоматических находок за период аудитор проверил 24, подтвердил 20, отклонил 4; "
            "пропущенных программой нарушений аудиторы добавили 4") in text
    table = next(t for t in _tables(reports[kind]) if t[0][:3] == ["Пункт", "Правило", "Находок"])
    assert table[0][2:] == ["Находок", "Проверено", "Подтверждено", "Отклонено", "Точность", "Добавлено аудитором",
                            "Полнота", "Надёжно"]
    rows = {r[1]: r[2:] for r in table[1:]}
    titles = rule_titles()
    assert rows == {   # the hand computation of the module's docstring
        titles["speech.filler"][1]: ["22", "20", "19", "1", "95,0 %", "1", "95,0 %", "да"],
        titles["address.forbidden"][1]: ["3", "2", "1", "1", "50,0 %", "2", "33,3 %", "нет"],
        titles["closing.missing"][1]: ["2", "0", "0", "0", "нет данных", "0", "нет данных", "нет"],
        titles["speech.jargon"][1]: ["3", "2", "0", "2", "0,0 %", "0", "нет данных", "нет"],
        titles["greeting.missing"][1]: ["0", "0", "0", "0", "нет данных", "1", "0,0 %", "нет"],
    }


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("rule, calls, violations", [
    ("speech.filler", "22", "22"),        # 21 counted findings + 1 added
    ("address.forbidden", "4", "4"),      # 2 counted + 2 added (the retracted one and April's left out)
    ("greeting.missing", "1", "1"),       # only added
    ("speech.jargon", "1", "1"),
])
def test_added_violations_count_in_the_reports_clause_table(reports, kind, rule, calls, violations):
    table = next(t for t in _tables(reports[kind]) if t[0][:2] == ["Пункт", "Требование"])
    rows = {r[1]: r[2:4] for r in table[1:]}
    assert rows[rule_titles()[rule][1]] == [calls, violations]


@pytest.mark.parametrize("kind", KINDS)
def test_added_violations_count_in_the_operators_table(reports, kind):
    table = next(t for t in _tables(reports[kind]) if t[0][:2] == ["Оператор", "Звонков"])
    assert table[1][1] == "30" and table[1][3] == "30"      # March's 30 calls; 26 counted findings + 4 added


@pytest.mark.parametrize("kind", KINDS)
def test_appendix_1_minutes_are_explained_once(reports, kind):
    assert _text(reports[kind]).count(APPENDIX_1_NOTE) == 1


def test_audit_nonconformities_only_from_confirmed_findings_or_trusted_rules(reports):
    text = _text(reports["audit"])
    titles = rule_titles()
    ncs = [line for line in text.splitlines() if line.startswith("НС-")]
    unconfirmed = text.split("Не подтверждено")[1].splitlines()[1:]

    def about(rule, lines):
        return [line for line in lines if f"«{titles[rule][1]}»" in line]

    assert len(about("speech.filler", ncs)) == 1 and "нарушений — 22" in about("speech.filler", ncs)[0]
    assert "ещё 1 добавлено аудитором" in about("speech.filler", ncs)[0]
    assert "подтверждено аудитором нарушений — 1 из 2 найденных автоматически, ещё 2 добавлено аудитором" in about(
        "address.forbidden", ncs)[0]
    assert "установлено аудитором нарушений, пропущенных программой, — 1" in about("greeting.missing", ncs)[0]
    assert about("closing.missing", ncs) == [] and about("speech.jargon", ncs) == []
    assert "автоматических находок — 2 (аудитором не проверялись)" in about("closing.missing", unconfirmed)[0]
    assert "автоматических находок — 1 (проверено аудитором 2, подтверждений нет)" in about(
        "speech.jargon", unconfirmed)[0]
    assert about("speech.filler", unconfirmed) == [] and about("address.forbidden", unconfirmed) == []
