"""Every dashboard page through streamlit's AppTest: widgets change the numbers they should.

The KPI tiles must show exactly ``analytics.queries.kpi.compute_kpis`` (what ``oka-qa kpi --json`` prints).
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import dashboard_db
import pytest
from streamlit.testing.v1 import AppTest

import dashboards
from analytics.catalogue.formats import fmt_number, fmt_rule
from analytics.catalogue.kpis import BY_KEY
from analytics.catalogue.kpis import tiles as catalogue_tiles
from analytics.queries.kpi import by_operator, compute_kpis

APP = str(Path(dashboards.__file__).parent / "app.py")
H1 = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
H2 = (dt.date(2025, 7, 1), dt.date(2025, 12, 31))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = dashboard_db.build(tmp_path_factory.mktemp("app") / "t.duckdb")
    dashboard_db.add_recording(path, "c13")     # so the call page has a player
    return path


def open_app(monkeypatch, db: Path, page: str | None = None, query: dict | None = None) -> AppTest:
    monkeypatch.setenv("OKA_QA_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    sign_in(at)
    at.query_params.update(query or {})
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, role: str = "head") -> None:
    """A session signed in as the head of ОКА (sees every page and personal data)."""
    from signin import sign_in as signed_in

    signed_in(at, role, name="тест")


def named(by_rule: dict[str, int]) -> dict[str, int]:
    """Rule id -> count as the dashboard names the rules: «п. 15.1 · title»."""
    from rules.engine import Checker

    rules = {r.id: (str(r.clause), r.title_ru) for r in Checker.default().rules}
    return {fmt_rule(rules[r][1], rules[r][0], r): n for r, n in by_rule.items()}


def tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_tiles(db: Path, start: dt.date, end: dt.date) -> dict[str, str]:
    k = compute_kpis(db, start, end)
    return {t.tile_label: t.fmt(k[t.key]) for t in catalogue_tiles(k)}


def choose_half_one(at: AppTest) -> AppTest:
    at.selectbox(key="period_kind").set_value("Полугодие").run()
    at.radio(key="period_half").set_value("I").run()
    return at


@pytest.mark.parametrize(("pick", "start", "end"), [
    ({}, *H2),                                                             # default: the half-year of the last call
    ({"period_half": "I"}, *H1),
    ({"period_kind": "Квартал", "period_quarter": "II"}, dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
    ({"period_kind": "Месяц", "period_month": "февраль"}, dt.date(2025, 2, 1), dt.date(2025, 2, 28)),
    ({"period_kind": "Произвольный", "period_range": (dt.date(2025, 1, 15), dt.date(2025, 3, 10))},
     dt.date(2025, 1, 15), dt.date(2025, 3, 10)),
])
def test_overview_tiles_equal_the_kpis(monkeypatch, db, pick, start, end):
    at = open_app(monkeypatch, db)
    for key, value in pick.items():
        widget = at.selectbox(key=key) if key in ("period_kind", "period_month") else \
            at.date_input(key=key) if key == "period_range" else at.radio(key=key)
        widget.set_value(value).run()
    assert not at.exception
    shown = tiles(at)
    assert {label: shown[label] for label in expected_tiles(db, start, end)} == expected_tiles(db, start, end)


def test_a_clause_26_tile_opens_every_case_that_is_not_on_time(monkeypatch, db):
    """The audit: «Внесение показаний вовремя 50 %» (2 of 4) opened «Записей нет»: the two calls whose readings were
    never entered were in no list behind the tile.  Its buttons: the late records and the calls without one."""
    from analytics.queries.kpi_lists import LISTS

    at = choose_half_one(open_app(monkeypatch, db))
    k = compute_kpis(db, *H1)
    buttons = {b.key: b.label for b in at.button if b.key and b.key.startswith("tile_open_")}
    for key, late, none, (on_time, due) in [
            ("readings_entered_on_time_pct", "readings_entered_late", "readings_not_entered",
             kpi_parts(db, "readings_entered_on_time_pct")),
            ("requests_registered_on_time_pct", "requests_registered_late", "requests_not_registered",
             kpi_parts(db, "requests_registered_on_time_pct"))]:
        n_late, n_none = (LISTS[name](db, *H1).height for name in (late, none))
        assert buttons[f"tile_open_{key}"] == f"С опозданием: {n_late}"
        assert buttons[f"tile_open_{key}_none"] == f"Без записи: {n_none}"
        assert n_late + n_none == due - on_time, key                # every case not on time is behind the tile
        assert k[key] == round(100 * on_time / due, 1)


def kpi_parts(db, key):
    from analytics.queries.kpi import kpis_and_shares

    return kpis_and_shares(db, *H1)[1][key]


def test_overview_shows_change_from_previous_period_and_charts(monkeypatch, db):
    at = choose_half_one(open_app(monkeypatch, db))
    calls = next(m for m in at.metric if m.label == "Звонков за период")
    assert (calls.value, calls.delta) == ("12", "+12")          # II 2024 had none
    score = next(m for m in at.metric if m.label == "Средний балл по СТП")
    assert score.value == fmt_number(compute_kpis(db, *H1)["compliance_score_avg"])
    assert len(at.get("plotly_chart")) == 4                 # score, violations per 100 calls, calls: one axis each
    violations = at.dataframe[1].value
    shown = dict(zip(violations["Нарушение"], violations["Нарушений"], strict=True))
    assert shown == named(compute_kpis(db, *H1)["violations"])


def test_operators_table_and_profile(monkeypatch, db):
    at = choose_half_one(open_app(monkeypatch, db, "screens/operators.py"))
    table = at.dataframe(key="operators_table").value
    assert list(table["Звонков"]) == [4, 4, 4]
    expected = by_operator(db, *H1).filter(by_operator(db, *H1)["operator_id"] == "op2").row(0, named=True)
    at.selectbox(key="operators_pick").set_value("op2").run()
    assert at.header[0].value == "Ерлан Ахметов"
    shown = tiles(at)
    assert shown["Звонков"] == "4"
    assert shown["Средний балл"] == fmt_number(expected["compliance_score_avg"])
    assert shown["Заявки вовремя"] == "0,0 %"                   # r2 registered 11.7 min after the call
    worst = [b for b in at.button if b.key and b.key.startswith("worst_")]
    assert "c03" in worst[0].label              # c03 (60) is now below c08 (67 once its rejected finding gave back)
    typa = next(b for b in worst if "«типа»" in b.label and "c08" in b.label)
    typa.click().run()                                          # opens the call at that second
    assert at.title[0].value == "Звонок c08"
    assert at.session_state["oka_call_t"] == 7.5


def test_clauses_rule_leads_to_its_calls(monkeypatch, db):
    at = choose_half_one(open_app(monkeypatch, db, "screens/clauses.py"))
    counts = at.dataframe(key="clauses_table").value
    shown = dict(zip(counts["Нарушение"], counts["Нарушений"], strict=True))
    assert shown == named(compute_kpis(db, *H1)["violations"])
    at.segmented_control(key="clauses_by").set_value("пункты СТП").run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {"п. 15.1", "п. 13", "п. 15.16"} <= {trace["name"] for trace in spec["data"]}
    at.selectbox(key="clauses_rule").set_value("address.forbidden").run()
    assert list(at.dataframe(key="clauses_calls").value["Звонок"]) == ["c05", "c02"]
    at.selectbox(key="clauses_rule").set_value("speech.jargon").run()
    assert list(at.dataframe(key="clauses_calls").value["Звонок"]) == ["c12", "c09", "c02"]


@pytest.mark.parametrize(("widgets", "expected"), [
    ({}, ["c12", "c11", "c10", "c09", "c08", "c07", "c06", "c05", "c04", "c03", "c02", "c01"]),
    ({"calls_query": "девушка"}, ["c08", "c03", "c02"]),                         # any form of the word
    ({"calls_query": "девушки", "calls_ops": ["op1"]}, ["c02"]),
    ({"calls_topics": ["readings"]}, ["c11", "c07", "c04", "c01"]),
    ({"calls_rule": "speech.filler"}, ["c08", "c03"]),
    ({"calls_score": (0, 60)}, ["c03"]),        # c08: 50, but its «девушки» was rejected, so 50 + 17 = 67
])
def test_calls_search_and_filters(monkeypatch, db, widgets, expected):
    at = choose_half_one(open_app(monkeypatch, db, "screens/calls.py"))
    for key, value in widgets.items():
        kind = {"calls_query": at.text_input, "calls_ops": at.multiselect, "calls_topics": at.multiselect,
                "calls_rule": at.selectbox, "calls_score": at.slider}[key]
        kind(key=key).set_value(value).run()
    assert list(at.dataframe(key="calls_found").value["Звонок"]) == expected


def test_call_page(monkeypatch, db):
    at = open_app(monkeypatch, db, "screens/calls.py", query={"call": "c13", "t": "3"})
    assert at.title[0].value == "Звонок c13"
    marks = [m.value for m in at.markdown if "oka-violation" in m.value]
    assert any("п. 15.1" in m and "Ты подожди" in m for m in marks)          # highlighted, with the clause
    assert any("mismatch" in e.value or "продиктовано иное" in e.value for e in at.error)
    assert any("closing.missing" in w.value or "п. 15.16" in w.value for w in at.warning)
    def player() -> str:   # the call's player: the app's own route, starting at the second asked for
        return next(str(h.proto) for h in at.get("html") if "<audio" in str(h.proto))

    assert "/oka/file/" in player() and "#t=3" in player()
    assert [m.value for m in at.markdown if "▶" in m.value] == [":red[**▶**] **Абонент:** Передаю показания четыреста."]
    at.button(key="utt_2").click().run()                                     # «Ты подожди, девушка.» at 0:05
    assert "#t=5" in player()
    assert "Ты подожди" in next(m.value for m in at.markdown if "▶" in m.value)
    at.segmented_control(key="call_layout").set_value("две колонки").run()
    assert not at.exception
    at.button(key="call_back").click().run()
    assert at.title[0].value == "Звонки"


@pytest.mark.parametrize(("half", "kpi", "first_id"), [
    ("II", "readings_value_mismatch", "m3"),   # c13: 410 entered, 400 dictated
    ("II", "requests_overdue", None),
    ("I", "requests_overdue", "r2"),                # open since April
    ("I", "calls_missing_record", "c04"),
    ("I", "requests_incomplete", None),
])
def test_timeliness_lists_match_the_kpis(monkeypatch, db, half, kpi, first_id):
    at = open_app(monkeypatch, db, "screens/timeliness.py")
    at.radio(key="period_half").set_value(half).run()
    row = BY_KEY[kpi]
    at.pills(key="timely_list").set_value(row.records.name).run()     # a click on the list's name
    k = compute_kpis(db, *(H1 if half == "I" else H2))
    assert f"{row.label}: {k[kpi]}" in [h.value for h in at.subheader]
    assert at.query_params["list"] == row.records.name              # in the address: «Назад» comes back to it
    if first_id:
        assert at.dataframe[0].value.iloc[0, 0] == first_id


def test_review_rejection_stops_counting(monkeypatch, tmp_path):
    fresh = dashboard_db.build(tmp_path / "review.duckdb")
    at = choose_half_one(open_app(monkeypatch, fresh, "screens/review.py"))
    before = compute_kpis(fresh, *H1)["compliance_score_avg"]
    at.selectbox(key="review_rule").set_value("speech.rude").run()
    assert at.dataframe[0].value.shape[0] == 1
    assert any("Это не мои проблемы" in m.value for m in at.markdown)           # the quote, on the card
    at.text_input(key="review_comment_c03_1").input("ирония, не грубость")
    at.button(key="review_rejected_c03_1").click().run()                         # «Ложное срабатывание»
    assert not at.exception
    assert any("отклонено" in s.value for s in at.success)
    assert "speech.rude" not in compute_kpis(fresh, *H1)["violations"]
    assert compute_kpis(fresh, *H1)["compliance_score_avg"] > before             # the score follows at once
    prec = next(d.value for d in at.dataframe   # the page's precision table (the recall table follows it)
                if "Точность, %" in d.value.columns and "Полнота, %" not in d.value.columns)
    row = prec[prec["Нарушение"] == named({"speech.rude": 0}).popitem()[0]].iloc[0]
    assert (row["Отклонено"], row["Точность, %"]) == (1, "0,0")
    at.radio(key="review_state").set_value("rejected").run()
    card = " ".join(m.value for m in at.markdown if "oka-status" in m.value)
    assert "ложное срабатывание" in card and "ирония, не грубость" in card and "тест" in card   # verdict, why, who
    at.selectbox(key="review_rule").set_value("").run()
    assert at.dataframe[0].value.shape[0] == 2                                   # c08's and c03's rejections


def test_missing_database_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("OKA_QA_DB", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(APP, default_timeout=60)
    sign_in(at)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [(f"{tmp_path / 'none.duckdb'}: no database here; "
                                           f"run `oka-qa ingest DIR --db {tmp_path / 'none.duckdb'}` first")]


@pytest.mark.parametrize("page", [None, "screens/operators.py", "screens/clauses.py", "screens/calls.py",
                                  "screens/timeliness.py", "screens/review.py"])
def test_every_page_on_an_empty_database(monkeypatch, tmp_path, page):
    from analytics.storage.store import init

    empty = tmp_path / "empty.duckdb"
    init(empty)
    at = open_app(monkeypatch, empty, page)       # no exception (open_app asserts it), and something to read
    assert at.title and (at.info or at.success or at.metric or at.dataframe)


def test_review_moves_on_and_keeps_its_place_across_a_call(monkeypatch, tmp_path):
    fresh = dashboard_db.build(tmp_path / "review.duckdb")
    at = choose_half_one(open_app(monkeypatch, fresh, "screens/review.py"))
    at.radio(key="review_state").set_value("all").run()                           # decided ones stay listed
    first = tuple(at.session_state["review_current"])
    at.button(key=f"review_confirmed_{first[0]}_{first[1]}").click().run()       # «Подтвердить»
    second = tuple(at.session_state["review_current"])
    assert second != first and not at.exception                                   # the next one follows
    at.button(key="review_open").click().run()                                    # listen to it in the call
    assert at.title[0].value == f"Звонок {second[0]}"
    at.button(key="call_back").click().run()                                      # «Назад»
    assert at.title[0].value == "Проверка"      # (AppTest keeps its page; the browser test checks «Назад» for real)
    assert tuple(at.session_state["review_current"]) == second                    # the same finding on screen
    assert at.radio(key="review_state").value == "all"
