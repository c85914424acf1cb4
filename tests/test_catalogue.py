"""One catalogue per fact: every KPI that ``oka-qa kpi --json`` prints has a row in the KPI
catalogue, every value the store keeps in English has a Russian name, and the catalogue's
lists, columns and target options exist where it says."""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import dashboard_db
import pytest
from click.testing import CliRunner

from analytics.catalogue import formats, kpis, labels
from analytics.ingest import linking, records
from analytics.queries import kpi_lists, kpi_sql
from analytics.reports.options import ReportOptions
from analytics.storage import reviews
from analytics.storage.store import connect
from cli.main import cli
from rules import reasons
from transcription import schema

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return dashboard_db.build(tmp_path_factory.mktemp("catalogue") / "t.duckdb")


def test_every_kpi_of_kpi_json_has_a_catalogue_row(db):
    out = CliRunner().invoke(cli, ["kpi", "--db", str(db), "--json"])
    assert out.exit_code == 0, out.output
    printed = set(json.loads(out.output)) - set(kpis.PERIOD_KEYS)
    assert printed - set(kpis.BY_KEY) == set(), "KPIs with no row in analytics/catalogue/kpis.py"


def _contract_keys() -> set[str]:
    """The keys of the example object of docs/CONTRACT.md section 5."""
    text = (ROOT / "docs/CONTRACT.md").read_text(encoding="utf-8")
    block = text[text.index("## 5."):]
    example = block[block.index("```json") + 7: block.index("```", block.index("```json") + 7)]
    return set(json.loads(example)) - set(kpis.PERIOD_KEYS)


def test_every_kpi_of_the_contract_has_a_catalogue_row():
    assert _contract_keys() - set(kpis.BY_KEY) == set()


def _sql_literals(module, pattern: str) -> set[str]:
    return set(re.findall(pattern, Path(module.__file__).read_text(encoding="utf-8")))


# (what, the values the code stores, their Russian names)
ENUMS = [
    ("topics", set(schema.TOPICS), labels.TOPICS_RU),
    ("speakers", set(schema.SPEAKERS), labels.SPEAKERS_RU),
    ("languages", set(schema.LANGUAGES), labels.LANGUAGES_RU),
    ("layouts", set(schema.LAYOUTS), labels.LAYOUTS_RU),
    ("not assessed reasons", set(schema.NOT_ASSESSED_REASONS), labels.NOT_ASSESSED_RU),
    ("customer types", set(records.CUSTOMER_TYPES.values()), labels.CUSTOMER_TYPES_RU),
    ("request kinds", set(records.KINDS.values()), labels.REQUEST_KINDS_RU),
    ("link methods", _sql_literals(linking, r"THEN '(\w+)'|'(\w+)' AS method"), labels.LINK_METHODS_RU),
    ("verdicts", set(reviews.VERDICTS), labels.VERDICTS_RU),
    ("missing request fields", _sql_literals(kpi_sql, r"IS NULL THEN '(\w+)' END"), labels.FIELDS_RU),
    ("sealing reasons", {*reasons.VALID, reasons.OTHER, reasons.MISSING}, labels.REASON_CLASSES_RU),
    ("record types", _sql_literals(kpi_lists, r"'(\w+)' AS record_type|SELECT \w+, '(\w+)',"),
     labels.RECORD_TYPES_RU),
]


@pytest.mark.parametrize(("what", "values", "names"), ENUMS, ids=[e[0] for e in ENUMS])
def test_every_stored_value_has_a_russian_name(what, values, names):
    values = {v for group in values for v in (group if isinstance(group, tuple) else (group,)) if v}
    assert values, f"no {what} found in the code"
    assert values - set(names) == set(), f"{what} with no Russian name in analytics/catalogue/labels.py"


# (table, column, its Russian names): what a store built by the pipeline really holds
STORED = [("calls", "topic", labels.TOPICS_RU), ("utterances", "speaker", labels.SPEAKERS_RU),
          ("requests", "customer_type", labels.CUSTOMER_TYPES_RU), ("requests", "kind", labels.REQUEST_KINDS_RU),
          ("links", "method", labels.LINK_METHODS_RU), ("reviews", "verdict", labels.VERDICTS_RU)]


@pytest.mark.parametrize(("table", "column", "names"), STORED, ids=[f"{t}.{c}" for t, c, _ in STORED])
def test_every_value_in_a_store_has_a_russian_name(db, table, column, names):
    with connect(db, read_only=True) as con:
        sql = f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL"
        stored = {r[0] for r in con.execute(sql).fetchall()}
    assert stored - set(names) == set()


@pytest.mark.parametrize("kpi", kpis.KPIS, ids=[k.key for k in kpis.KPIS])
def test_catalogue_row_is_complete(db, kpi):
    assert kpi.unit in kpis.UNITS and kpi.better in ("higher", "lower", None)
    assert kpi.label and kpi.help
    if kpi.target_option is not None:
        assert kpi.target_option in {f.name for f in dataclasses.fields(ReportOptions)}
    if kpi.records is not None:
        assert kpi.records.name in kpi_lists.LISTS
        columns = kpi_lists.LISTS[kpi.records.name](db).columns
        assert {c.source for c in kpi.records.columns} <= set(columns)
        assert len(kpi.records.sheet) <= 31                         # an XLSX sheet name's limit


def test_targets_are_the_config_files(tmp_path):
    from analytics.config import load

    cfg = tmp_path / "oka-qa.toml"
    cfg.write_text("[report]\nregistered_target_pct = 80\nscore_target = 75.5\n", encoding="utf-8")
    opts = load(cfg).report
    assert kpis.BY_KEY["requests_registered_on_time_pct"].target(opts) == 80
    assert kpis.BY_KEY["compliance_score_avg"].target(opts) == 75.5
    assert kpis.BY_KEY["calls"].target(opts) is None


@pytest.mark.parametrize(("fn", "args", "text"), [
    (formats.fmt_number, (1840,), "1\u00a0840"), (formats.fmt_number, (91.44,), "91,4"),
    (formats.fmt_number, (None,), "—"), (formats.fmt_pct, (0.0,), "0,0 %"), (formats.fmt_of, (3, 4), "3 из 4"),
    (formats.fmt_share, (0, 1), "0,0 % (0 из 1)"), (formats.fmt_share, (0, 0), "нет данных"),
    (formats.fmt_seconds, (36.982,), "00:37"), (formats.fmt_seconds, (3605,), "60:05"),
    (formats.fmt_clause, ("20–21, Appendix 1",), "пп. 20–21, Приложение 1"),
    (formats.fmt_clause, ("Appendix 1",), "Приложение 1"), (formats.fmt_clause, ("15.12",), "п. 15.12"),
    (formats.fmt_rule, ("Оператор перебивает потребителя", "15.12", "interruption"),
     "п. 15.12 · Оператор перебивает потребителя"),
    (formats.fmt_kpi, (None, "pct"), "нет данных"), (formats.fmt_change, (80.0, 90.5, "pct"), "−10,5 п.п."),
    (formats.fmt_value, (908.0,), "908"), (formats.fmt_value, (123.5,), "123,5"),
])
def test_formats(fn, args, text):
    assert fn(*args) == text
