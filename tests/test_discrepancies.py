"""Records discrepancies (clause 12) reviewed like findings (issue 18): a reading or account mismatch is
confirmed or dismissed with a comment, by whom and when, as append-only history; a dismissed one leaves
the KPI, the list behind it and the «Справка»; a confirmed one stays; taking the verdict back restores it.
The same through the dashboard («Проверка», streamlit AppTest)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import dashboard_db
import pytest
from signin import sign_in
from streamlit.testing.v1 import AppTest

import dashboards
from analytics.access import audit
from analytics.access.policy import ROLES, AccessError, Viewer
from analytics.catalogue.kpis import with_records
from analytics.queries.discrepancies import discrepancies
from analytics.queries.kpi import compute_kpis
from analytics.queries.kpi_lists import LISTS
from analytics.reports.build import build_report
from analytics.reports.model import Period
from analytics.storage import discrepancies as ds
from analytics.storage.store import connect
from dashboards import datasource

APP = str(Path(dashboards.__file__).parent / "app.py")
H1 = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
H2 = (dt.date(2025, 7, 1), dt.date(2025, 12, 31))

# (what, record_type, record_id, the KPI it counts in, the list behind it, the list's id column, period)
CASES = [
    ("value", "reading", "m3", "readings_value_mismatch", "readings_mismatched", "reading_id", H2),  # 410 for 400
    ("account", "request", "r1", "records_mismatch", "records_mismatch", "record_id", H1),  # 1001, «55555» said
]
IDS = [c[0] for c in CASES]


@pytest.fixture
def db(tmp_path):
    path = dashboard_db.build(tmp_path / "t.duckdb")
    with connect(path) as con:      # c02 (request r1, account 1001) said another account number, heard surely
        con.execute("INSERT INTO call_numbers VALUES ('c02', '55555')")
    return path


def counted(db: Path, kpi: str, lst: str, id_col: str, period) -> tuple[int, list[str], int, list]:
    """The KPI, the ids of its list, and the same in the «Справка» built for the period."""
    report = build_report(db, Period(*period), "spravka")
    sheet = next(k.records.sheet for k in with_records() if k.records.name == lst)
    table = next(t for t in report.lists if t.key == sheet)
    return (compute_kpis(db, *period)[kpi], LISTS[lst](db, *period)[id_col].to_list(), report.kpis[kpi],
            [row[0] for row in table.rows])


@pytest.mark.parametrize(("what", "rtype", "rid", "kpi", "lst", "id_col", "period"), CASES, ids=IDS)
def test_a_dismissed_discrepancy_leaves_the_kpi_its_list_and_the_report(db, what, rtype, rid, kpi, lst, id_col,
                                                                        period):
    assert counted(db, kpi, lst, id_col, period) == (1, [rid], 1, [rid])
    ds.decide(db, rtype, rid, what, "confirmed", "", "marat", "auditor")
    assert counted(db, kpi, lst, id_col, period) == (1, [rid], 1, [rid])              # confirmed: stays
    ds.decide(db, rtype, rid, what, "dismissed", "распознано «9», сказано «908»", "aigerim", "head")
    assert counted(db, kpi, lst, id_col, period) == (0, [], 0, [])                     # dismissed: gone everywhere
    row = discrepancies(db, *period, state="dismissed").row(0, named=True)            # still seen, with its verdict
    assert (row["record_id"], row["what"], row["verdict"], row["reviewer"], row["comment"]) == (
        rid, what, "dismissed", "aigerim", "распознано «9», сказано «908»")
    assert isinstance(row["reviewed_at"], dt.datetime)
    assert ds.clear(db, rtype, rid, what, "aigerim", "head")
    assert counted(db, kpi, lst, id_col, period) == (1, [rid], 1, [rid])              # taken back: counts again
    assert discrepancies(db, *period, state="unreviewed")["record_id"].to_list() == [rid]


def test_the_history_is_append_only(db):
    ds.decide(db, "reading", "m3", "value", "dismissed", "ошибка распознавания", "marat", "auditor")
    ds.decide(db, "reading", "m3", "value", "confirmed", "переслушал: оператор ошибся", "aigerim", "head")
    ds.clear(db, "reading", "m3", "value", "aigerim", "head")
    ds.decide(db, "reading", "m3", "value", "dismissed", "сказано «четыреста десять»", "aigerim", "head")
    ev = ds.events(db, "m3")
    assert ev["kind"].to_list() == ["dismiss", "confirm", "clear", "dismiss"]
    assert ev["who"].to_list() == ["marat", "aigerim", "aigerim", "aigerim"]
    assert ev["role"].to_list() == ["auditor", "head", "head", "head"]
    assert set(ev["call_id"].to_list()) == {"c13"}
    assert compute_kpis(db, *H2)["readings_value_mismatch"] == 0


@pytest.mark.parametrize(("rtype", "rid", "what", "verdict", "comment", "says"), [
    ("reading", "m9", "value", "dismissed", "нет такой", "no reading m9"),
    ("request", "r1", "value", "confirmed", "", "only a reading has a value"),
    ("reading", "m3", "value", "dismissed", "  ", "say why"),
    ("reading", "m3", "value", "rejected", "x", "verdict must be one of"),
    ("reading", "m3", "weight", "confirmed", "", "discrepancy must be one of"),
    ("call", "c13", "value", "confirmed", "", "record type must be one of"),
], ids=["unknown record", "value of a request", "dismissal without a reason", "a finding's verdict",
        "unknown kind", "unknown record type"])
def test_a_decision_that_cannot_be_stored_is_refused_and_nothing_is_written(db, rtype, rid, what, verdict, comment,
                                                                            says):
    with pytest.raises(ds.DiscrepancyError, match=says):
        ds.decide(db, rtype, rid, what, verdict, comment, "marat", "auditor")
    assert ds.events(db).is_empty()


def test_an_unlinked_record_has_nothing_to_review(db):
    with connect(db) as con:
        con.execute("INSERT INTO readings VALUES ('m7', '2007', 'ГВС-7', 5.0, 'op1', NULL, '2025-07-08 10:00:00')")
    with pytest.raises(ds.DiscrepancyError, match="linked to no call"):
        ds.decide(db, "reading", "m7", "value", "confirmed", "", "marat", "auditor")


# --- through the dashboard ---------------------------------------------------------------------------------

@pytest.fixture
def app_db(db, tmp_path, monkeypatch):
    monkeypatch.setenv("OKA_QA_DB", str(db))
    monkeypatch.setenv("OKA_QA_USERS", str(tmp_path / "users.json"))
    return db


def review_page(role: str, name: str, half: str) -> AppTest:
    at = sign_in(AppTest.from_file(APP, default_timeout=60), role, name=name)
    at.session_state["_kept_period_half"] = half
    at.run()
    at.switch_page("screens/review.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


@pytest.mark.parametrize(("role", "name"), [("head", "aigerim"), ("auditor", "marat")])
def test_a_reviewer_dismisses_a_reading_mismatch_on_the_review_page(app_db, role, name):
    at = review_page(role, name, "II")
    assert compute_kpis(app_db, *H2)["readings_value_mismatch"] == 1
    card = "\n".join(m.value for m in at.markdown)
    assert "В базе: **410**" in card and "продиктовано в звонке: **400**" in card and "«четыреста»" in card
    button(at, "disc_dismissed_reading_m3_value").click().run()             # no reason: refused, nothing stored
    assert any("напишите в комментарии почему" in e.value for e in at.error)
    assert ds.events(app_db).is_empty()
    at.text_input(key="disc_comment_reading_m3_value").set_value("сказано «четыреста десять»").run()
    button(at, "disc_dismissed_reading_m3_value").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("m3 — отклонено" in s.value for s in at.success)
    assert compute_kpis(app_db, *H2)["readings_value_mismatch"] == 0           # out of the KPI at once
    ev = ds.events(app_db).row(0, named=True)
    assert (ev["kind"], ev["who"], ev["role"], ev["comment"]) == ("dismiss", name, role, "сказано «четыреста десять»")
    assert "discrepancy_review" in audit.entries(app_db, user=name)["action"].to_list()
    at.radio(key="disc_state").set_value("dismissed").run()                   # the dismissed one, with who and why
    line = "\n".join(m.value for m in at.markdown)
    assert "отклонено" in line and name in line and "сказано «четыреста десять»" in line
    button(at, "disc_clear_reading_m3_value").click().run()                   # and back
    assert compute_kpis(app_db, *H2)["readings_value_mismatch"] == 1


def test_a_confirmed_account_mismatch_stays_and_the_next_follows(app_db):
    with connect(app_db) as con:           # a second discrepancy in the half-year: m2's account not said in c11
        con.execute("INSERT INTO call_numbers VALUES ('c11', '77777')")
    at = review_page("auditor", "marat", "I")
    assert discrepancies(app_db, *H1)["record_id"].to_list() == ["r1", "m2"]
    at.radio(key="disc_state").set_value("all").run()              # the decided one stays in this list
    button(at, "disc_confirmed_request_r1_account").click().run()
    assert compute_kpis(app_db, *H1)["records_mismatch"] == 2                  # confirmed: still counted
    assert any(b.key == "disc_confirmed_reading_m2_account" for b in at.button)   # the next is on the card
    assert not any(b.key == "disc_confirmed_request_r1_account" for b in at.button)


@pytest.mark.parametrize("role", ["trainer", "operator"])
def test_a_role_that_cannot_review_can_neither_list_nor_decide(app_db, monkeypatch, role):
    monkeypatch.setattr(datasource, "_viewer", lambda: Viewer("saule", ROLES[role]))
    with pytest.raises(AccessError):
        datasource.discrepancies(*H2)
    with pytest.raises(AccessError):
        datasource.decide_discrepancy("reading", "m3", "value", "dismissed", "ошибка распознавания")
    assert ds.events(app_db).is_empty()
