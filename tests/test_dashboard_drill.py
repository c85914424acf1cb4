"""Issue 18: from a count in a table to the records behind it, and key columns pinned (streamlit AppTest).

A click on a count cell (the grid's cell selection, set here as the browser sets it) opens, in the same tab,
the page listing those records with the filters in its address; the list opened holds as many records as
the count said.  The identifying columns of the grids (call, record, start, operator) are pinned.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import dashboard_db
import pytest
from signin import sign_in
from streamlit.testing.v1 import AppTest

import dashboards

APP = str(Path(dashboards.__file__).parent / "app.py")


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = dashboard_db.build(tmp_path / "t.duckdb")
    monkeypatch.setenv("OKA_QA_DB", str(path))
    monkeypatch.setenv("OKA_QA_USERS", str(tmp_path / "users.json"))
    return path


def page(script: str, state: dict | None = None) -> AppTest:
    at = sign_in(AppTest.from_file(APP, default_timeout=60), "head", name="aigerim")
    at.session_state["_kept_period_half"] = "I"
    for k, v in (state or {}).items():
        at.session_state[k] = v
    at.run()
    at.switch_page(script).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def grid(at: AppTest, header: str):
    """The first grid on the page with a column ``header``."""
    return next(d for d in at.dataframe if header in d.value.columns)


def click_cell(at: AppTest, key: str, row: int, header: str) -> AppTest:
    at.session_state[key] = {"selection": {"rows": [], "columns": [], "cells": [[row, header]]}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def found(at: AppTest) -> tuple[int, int | None]:
    """«Найдено звонков: N[, нарушений в них: M]» on «Звонки»."""
    text = next(c.value for c in at.caption if c.value.startswith("Найдено звонков"))
    m = re.match(r"Найдено звонков: (\d+)(?:, нарушений (?:этого правила )?в них: (\d+))?", text)
    return int(m.group(1)), (int(m.group(2)) if m.group(2) else None)


# (page, grid key, the row's label column and label, the count's header, where it must land, what shows the count)
CASES = [
    ("screens/operators.py", "operators_table", "Оператор", "Айгуль Сапарова", "Звонков", "Звонки", "calls"),
    ("screens/operators.py", "operators_table", "Оператор", "Ерлан Ахметов", "Нарушений", "Звонки", "violations"),
    ("screens/operators.py", "operators_table", "Оператор", "Ерлан Ахметов", "Просрочено заявок",
     "Своевременность", "list"),
    ("screens/operators.py", "operators_table", "Оператор", "Айгуль Сапарова", "Звонки без записи",
     "Своевременность", "list"),
    ("screens/overview.py", "overview_topics_table", "Тема", "Заявка (физ. лицо)", "Звонков", "Звонки", "calls"),
    ("screens/clauses.py", "clauses_table", "Нарушение", "п. 13 · ", "Звонков", "Звонки", "calls"),
    # a rule's violations open its calls, counted as that rule's (the audit: 3 = every rule's, for 1 of this one)
    *[("screens/clauses.py", "clauses_table", "Нарушение", label, "Нарушений", "Звонки", "violations")
      for label in ("п. 13 · ", "п. 15.1 · ")],
]


@pytest.mark.parametrize(("script", "key", "label_col", "label", "header", "lands", "shows"), CASES,
                         ids=[f"{c[1]}-{c[4]}" for c in CASES])
def test_a_count_in_a_table_opens_the_records_behind_it(db, script, key, label_col, label, header, lands, shows):
    at = page(script)
    table = grid(at, header).value
    row = next(i for i, v in enumerate(table[label_col]) if str(v).startswith(label))
    count = int(table[header].iloc[row])
    assert count > 0
    click_cell(at, key, row, header)
    assert [t.value for t in at.title] == [lands]
    if shows == "calls":
        assert found(at)[0] == count
    elif shows == "violations":
        assert found(at)[1] == count
    else:                                    # a «Своевременность» list of this operator: «Название: N»
        assert any(h.value.endswith(f": {count}") for h in at.subheader), [h.value for h in at.subheader]
        assert any(label in i.value for i in at.info)
    at.run()                                 # the same cell, still selected: no second jump, no error
    assert not at.exception


def test_the_clicked_operator_is_the_only_one_listed(db):
    at = click_cell(page("screens/operators.py"), "operators_table", 2, "Просрочено заявок")   # Ерлан Ахметов
    assert (at.query_params["operator"], at.query_params["list"]) == ("op2", "requests_overdue")
    shown = grid(at, "Оператор").value
    assert set(shown["Оператор"]) == {"Ерлан Ахметов"}
    assert any(b.key == "timely_all_operators" for b in at.button)     # and a way back to everyone's


# (page, state, a header of the grid, the headers pinned)
PINNED = [
    ("screens/review.py", {}, "Нарушение", ["Звонок", "Нарушение"]),      # narrow: the finding
    ("screens/review.py", {"_kept_period_half": "II"}, "Расхождение", ["Запись", "Расхождение"]),
    ("screens/operators.py", {}, "Звонков", ["Оператор"]),
    ("screens/calls.py", {}, "Тема", ["Звонок", "Начало", "Оператор"]),
    ("screens/timeliness.py", {}, "Заявка", ["Заявка", "Оператор", "Звонок"]),
    ("screens/audit.py", {}, "действие", ["№", "время", "пользователь"]),
]


@pytest.mark.parametrize(("script", "state", "header", "pinned"), PINNED,
                         ids=[f"{p[0].split('/')[1][:-3]}-{p[2]}" for p in PINNED])
def test_the_identifying_columns_are_pinned(db, script, state, header, pinned):
    at = page(script, state)
    config = json.loads(grid(at, header).proto.columns or "{}")
    assert {c for c, cfg in config.items() if cfg.get("pinned")} == set(pinned)
