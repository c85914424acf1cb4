"""KPIs of docs/CONTRACT.md section 5 on a data folder whose answers are written by construction.

The scenario (March 2025; "now" is long after unless a row says otherwise):

calls (op1/op2, start, end, topic, score, findings, dictated values)
  C1 op1 03-03 10:00-10:05 request.individual 80  address.forbidden x2 (one rejected by an auditor), closing.missing;
     the customer says account 123456
  C2 op1 03-03 10:20-10:22 request.individual 100; says 777888
  C3 op2 03-04 09:00-09:10 readings 90 speech.filler; dictated 2045.3
  C4 op2 03-05 11:00-11:01 readings 70; dictated 100 and 101
  C5 op1 03-06 15:00-15:03:20 request.legal 60 greeting.missing; no record -> calls_missing_record
  C6 op2 03-07 12:00-12:01:40 billing 100
  C7 op1 02-27 (outside the period) readings 50 address.forbidden
  C8 op2 03-10 10:00-10:02 readings 95; no dictated value
requests (due day = 10th working day after the creation day; Women's Day 03-08 is a Saturday and moves
to Monday 03-10; Nauryz takes 03-21..03-25)
  Q1 op1 03-03 10:25, no call_id: C1 and C2 qualify, C1 names 123456 -> account_match C1; 20 min after
     C1 ended -> late; due 03-18, completed 03-10 -> on time
  Q2 op1 03-03 10:24, no call_id, account 999: neither names it -> latest = C2; 2 min after -> on time;
     no contact -> incomplete; open, due 03-18 -> overdue
  Q3 legal, call_id C1, created 03-03 10:03 (before C1 ended) -> on time; completed 03-20 > due 03-18 -> late
  Q4 op2 03-20 (Thu), no candidate -> unlinked; due 04-08 (Nauryz inside); completed 04-07, after the period:
     open and not yet due at its end -> in neither part of the completion share
  Q5 op2 03-12, unlinked; due 03-31 (Nauryz inside); completed 04-03, after the period -> overdue at its end
  Q6 op1 02-20 (outside the period)
  Q7 legal without meter, op2 03-07 12:01, no call_id -> time_window C6, on time; due 03-27, open -> overdue
readings
  P1 call_id C3, 09:14 (4 min after) -> on time; 2045.3 dictated -> match
  P2 op2 no call_id 03-05 11:03 -> time_window C4; on time; 100.5 not in {100, 101} -> mismatch
  P3 call_id C4 11:10 -> late; 101.0000001 equals 101 within 1e-6
  P4 op2 no call_id 03-10 10:30 -> C8 ended 28 min before -> time_window; late; C8 dictated nothing -> no mismatch
  P5 op1 no call_id 03-15 -> no candidate, unlinked
"""
from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from folder_builder import Folder

from analytics.ingest.pipeline import ingest
from analytics.queries import kpi, kpi_lists
from analytics.storage import store
from cli.main import cli


def build(root):
    f = Folder(root)
    f.call("C1", "2025-03-03T10:00:00", "op1", 300, "мой лицевой счёт один два три четыре пять шесть",
           "request.individual", 80, ("address.forbidden", "address.forbidden", "closing.missing"))
    f.call("C2", "2025-03-03T10:20:00", "op1", 120, "счёт семь семь семь восемь восемь восемь",
           "request.individual", 100)
    f.call("C3", "2025-03-04T09:00:00", "op2", 600, topic="readings", score=90, findings=("speech.filler",),
           readings=(2045.3,))
    f.call("C4", "2025-03-05T11:00:00", "op2", 60, topic="readings", score=70, readings=(100.0, 101.0))
    f.call("C5", "2025-03-06T15:00:00", "op1", 200, topic="request.legal", score=60, findings=("greeting.missing",))
    f.call("C6", "2025-03-07T12:00:00", "op2", 100, topic="billing", score=100)
    f.call("C7", "2025-02-27T10:00:00", "op1", 100, topic="readings", score=50, findings=("address.forbidden",))
    f.call("C8", "2025-03-10T10:00:00", "op2", 120, topic="readings", score=95)
    f.request("Q1", "2025-03-03T10:25:00", account="123456", completed_at="2025-03-10T12:00:00")
    f.request("Q2", "2025-03-03T10:24:00", account="999", contact="")
    f.request("Q3", "2025-03-03T10:03:00", customer_type="legal", call_id="C1", contract_no="Д-5",
              completed_at="2025-03-20T09:00:00")
    f.request("Q4", "2025-03-20T10:00:00", operator_id="op2", completed_at="2025-04-07T10:00:00")
    f.request("Q5", "2025-03-12T09:00:00", operator_id="op2", completed_at="2025-04-03T10:00:00")
    f.request("Q6", "2025-02-20T10:00:00", call_id="C7")
    f.request("Q7", "2025-03-07T12:01:00", customer_type="legal", operator_id="op2", meter="")
    f.reading("P1", "2025-03-04T09:14:00", 2045.3, "op2", "C3")
    f.reading("P2", "2025-03-05T11:03:00", 100.5, "op2")
    f.reading("P3", "2025-03-05T11:10:00", "101.0000001", "op2", "C4")
    f.reading("P4", "2025-03-10T10:30:00", 7, "op2")
    f.reading("P5", "2025-03-15T10:00:00", 8, "op1")
    return f


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    root = tmp_path_factory.mktemp("kpi")
    f = build(root / "data")
    f.write()
    path = root / "oka.duckdb"
    errors: list[str] = []
    ingest(root / "data", path, on_error=errors.append, checker=f.checker)
    assert errors == []
    with store.connect(path) as con:  # an auditor rejects one of C1's two address.forbidden findings
        con.execute("INSERT INTO review_events (seq, decided_at, who, kind, call_id, idx, rule) "
                    "VALUES (1, now(), 'qa', 'reject', 'C1', 0, 'address.forbidden')")
    return path


# The keys of `oka-qa kpi --json`, in the order of docs/CONTRACT.md section 5's example (revised).
CONTRACT_KEYS = (
    "from", "to", "calls", "requests", "requests_registered_on_time_pct", "requests_completed_on_time_pct",
    "requests_overdue", "requests_incomplete", "readings", "readings_entered_on_time_pct", "readings_value_mismatch",
    "calls_missing_record", "requests_not_registered", "requests_unlinked", "requests_sealing_reason_invalid",
    "readings_not_entered", "readings_unlinked", "records_mismatch", "records_unverifiable", "calls_not_assessed",
    "calls_by_language", "compliance_score_avg", "violations")


def ordered(d: dict) -> dict:
    assert set(d) == set(CONTRACT_KEYS)
    return {k: d[k] for k in CONTRACT_KEYS}


# Registrations due in March: the linked Q1 (late), Q2, Q3, Q7 (on time) + C5 (needed a request, has none): 3/5.
# Completion, judged now: Q1 and Q4 (completed 04-07, due 04-08) on time; Q2, Q7 open past due, Q3, Q5 completed
# after their due day: 2/6.  Mismatch: Q2 (account 999, C2 said 777888) and Q3 (contract 5, C1 said 123456).
MARCH = ordered({
    "from": "2025-03-01", "to": "2025-03-31", "calls": 7,
    "requests": 6, "requests_registered_on_time_pct": 60.0, "requests_completed_on_time_pct": 33.3,
    "requests_overdue": 3, "requests_incomplete": 2,
    "readings": 5, "readings_entered_on_time_pct": 50.0, "readings_value_mismatch": 1,
    "calls_missing_record": 1, "requests_not_registered": 1, "requests_unlinked": 2,
    "requests_sealing_reason_invalid": 0, "readings_not_entered": 0, "readings_unlinked": 1,
    "records_mismatch": 2, "records_unverifiable": 0, "calls_not_assessed": 0,
    "calls_by_language": {"ru": 7, "kk": 0, "mixed": 0, "unknown": 0}, "compliance_score_avg": 85.0,
    "violations": {"address.forbidden": 1, "closing.missing": 1, "greeting.missing": 1, "speech.filler": 1},
})
MARCH_3 = ordered({
    "from": "2025-03-03", "to": "2025-03-03", "calls": 2,
    "requests": 3, "requests_registered_on_time_pct": 66.7, "requests_completed_on_time_pct": 33.3,
    "requests_overdue": 0, "requests_incomplete": 1,
    "readings": 0, "readings_entered_on_time_pct": None, "readings_value_mismatch": 0,
    "calls_missing_record": 0, "requests_not_registered": 0, "requests_unlinked": 0,
    "requests_sealing_reason_invalid": 0, "readings_not_entered": 0, "readings_unlinked": 0,
    "records_mismatch": 2, "records_unverifiable": 0, "calls_not_assessed": 0,
    "calls_by_language": {"ru": 2, "kk": 0, "mixed": 0, "unknown": 0}, "compliance_score_avg": 90.0,
    "violations": {"address.forbidden": 1, "closing.missing": 1},
})
EMPTY_MAY = ordered({
    "from": "2025-05-01", "to": "2025-05-31", "calls": 0,
    "requests": 0, "requests_registered_on_time_pct": None, "requests_completed_on_time_pct": None,
    "requests_overdue": 0, "requests_incomplete": 0,
    "readings": 0, "readings_entered_on_time_pct": None, "readings_value_mismatch": 0,
    "calls_missing_record": 0, "requests_not_registered": 0, "requests_unlinked": 0,
    "requests_sealing_reason_invalid": 0, "readings_not_entered": 0, "readings_unlinked": 0,
    "records_mismatch": 0, "records_unverifiable": 0, "calls_not_assessed": 0,
    "calls_by_language": {"ru": 0, "kk": 0, "mixed": 0, "unknown": 0}, "compliance_score_avg": None,
    "violations": {},
})
# "Today" is 2025-03-19 noon, before the period ends: Q2 (due 03-18) is overdue, Q3 completed 03-20 is still
# open and past due, Q1 completed on time; Q4, Q5, Q7 not due yet -> 1 of 3 on time.
MARCH_SEEN_ON_19TH = MARCH | {"requests_completed_on_time_pct": 33.3, "requests_overdue": 2}
# Seen on 2025-04-01: Q4 (due 04-08) is open and not due yet -> left out; Q5 (due 03-31) open and late -> 1 of 5.
MARCH_SEEN_ON_APRIL_1ST = MARCH | {"requests_completed_on_time_pct": 20.0}


@pytest.mark.parametrize("date_from, date_to, now, expected", [
    ("2025-03-01", "2025-03-31", None, MARCH),
    ("2025-03-03", "2025-03-03", None, MARCH_3),
    ("2025-05-01", "2025-05-31", None, EMPTY_MAY),
    ("2025-03-01", "2025-03-31", "2025-03-19T12:00:00", MARCH_SEEN_ON_19TH),
    ("2025-03-01", "2025-03-31", "2025-04-01T12:00:00", MARCH_SEEN_ON_APRIL_1ST),
])
def test_kpis_by_construction(db, date_from, date_to, now, expected):
    got = kpi.compute_kpis(db, dt.date.fromisoformat(date_from), dt.date.fromisoformat(date_to),
                           now=dt.datetime.fromisoformat(now) if now else None)
    assert got == expected
    assert list(got) == list(CONTRACT_KEYS)  # every key of the contract, in its order


def test_cli_kpi_json(db):
    r = CliRunner().invoke(cli, ["kpi", "--db", str(db), "--from", "2025-03-01", "--to", "2025-03-31", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == MARCH


def test_cli_kpi_text(db):
    r = CliRunner().invoke(cli, ["kpi", "--db", str(db), "--from", "2025-03-01", "--to", "2025-03-31"])
    assert r.exit_code == 0
    assert "Звонков" in r.output and "address.forbidden" in r.output


def test_links_methods(db):
    with store.connect(db, read_only=True) as con:
        links = {(t, i): (c, m) for t, i, c, m in con.execute("SELECT * FROM links").fetchall()}
    assert links == {
        ("request", "Q1"): ("C1", "account_match"), ("request", "Q2"): ("C2", "time_window"),
        ("request", "Q3"): ("C1", "given"), ("request", "Q6"): ("C7", "given"),
        ("request", "Q7"): ("C6", "time_window"),
        ("reading", "P1"): ("C3", "given"), ("reading", "P2"): ("C4", "time_window"),
        ("reading", "P3"): ("C4", "given"), ("reading", "P4"): ("C8", "time_window"),
    }


@pytest.mark.parametrize("by, key, expected", [
    ("operator", {"operator_id": "op1"}, {"calls": 3, "requests": 3, "requests_overdue": 1, "readings": 1,
                                          "calls_missing_record": 1, "violations": 3}),
    ("operator", {"operator_id": "op2"}, {"calls": 4, "requests": 3, "requests_overdue": 2, "readings": 4,
                                          "readings_value_mismatch": 1, "violations": 1}),
    ("topic", {"topic": "readings"}, {"calls": 3, "readings": 4, "readings_entered_on_time_pct": 50.0}),
    ("topic", {"topic": "(без звонка)"}, {"calls": 0, "requests": 2, "readings": 1}),
    ("month", {"month": dt.date(2025, 3, 1)}, {"calls": 7, "requests": 6, "readings": 5}),
])
def test_breakdowns(db, by, key, expected):
    frame = kpi.breakdown(db, dt.date(2025, 3, 1), dt.date(2025, 3, 31), by)
    rows = [r for r in frame.iter_rows(named=True) if all(r[k] == v for k, v in key.items())]
    assert len(rows) == 1
    assert {k: rows[0][k] for k in expected} == expected


def test_operator_month_breakdown_sums_to_total(db):
    frame = kpi.breakdown(db, dt.date(2025, 2, 1), dt.date(2025, 3, 31), "operator_month")
    total = kpi.compute_kpis(db, dt.date(2025, 2, 1), dt.date(2025, 3, 31))
    for col in ("calls", "requests", "readings", "requests_overdue", "readings_value_mismatch"):
        assert frame[col].sum() == total[col]


@pytest.mark.parametrize("name, ids", [
    ("requests_registered_late", ["Q1"]),
    ("requests_completed_late", ["Q2", "Q3", "Q5", "Q7"]),
    ("requests_overdue", ["Q2", "Q5", "Q7"]),
    ("requests_incomplete", ["Q2", "Q7"]),
    ("readings_entered_late", ["P3", "P4"]),
    ("readings_mismatched", ["P2"]),
    ("calls_missing_record", ["C5"]),
])
def test_lists_behind_the_numbers(db, name, ids):
    frame = kpi_lists.LISTS[name](db, dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    id_col = frame.columns[0]
    assert sorted(frame[id_col].to_list()) == ids


def test_mismatch_list_has_both_values(db):
    frame = kpi_lists.readings_mismatched(db, dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    row = frame.row(0, named=True)
    assert row["value"] == 100.5 and row["dictated_values"] == [100.0, 101.0]


def test_incomplete_list_names_missing_fields(db):
    frame = kpi_lists.requests_incomplete(db, dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    missing = dict(zip(frame["request_id"], frame["missing_fields"].to_list(), strict=True))
    assert missing == {"Q2": ["contact"], "Q7": ["meter"]}


def test_bad_period(db):
    with pytest.raises(kpi.KpiError):
        kpi.compute_kpis(db, dt.date(2025, 3, 31), dt.date(2025, 3, 1))


# One call of op1, 2025-03-04 10:00:00-10:02:00; one request and one reading after it.
# The due day of a request created on Tue 2025-03-04 is Wed 2025-03-19 (Monday 10 March is off).
@pytest.mark.parametrize("created, entered, completed, expected", [
    ("10:09:00", "10:07:00", "2025-03-19T23:59:59",
     {"requests_registered_on_time_pct": 100.0, "readings_entered_on_time_pct": 100.0,
      "requests_completed_on_time_pct": 100.0, "requests_overdue": 0}),
    ("10:09:01", "10:07:01", "2025-03-20T00:00:00",
     {"requests_registered_on_time_pct": 0.0, "readings_entered_on_time_pct": 0.0,
      "requests_completed_on_time_pct": 0.0, "requests_overdue": 0}),
    ("10:01:00", "10:01:00", "",  # created during the call; still open after its due day
     {"requests_registered_on_time_pct": 100.0, "readings_entered_on_time_pct": 100.0,
      "requests_completed_on_time_pct": 0.0, "requests_overdue": 1}),
])
def test_boundaries(tmp_path, created, entered, completed, expected):
    f = Folder(tmp_path / "data")
    f.call("C1", "2025-03-04T10:00:00", "op1", 120, topic="request.individual")
    f.request("Q1", f"2025-03-04T{created}", completed_at=completed)
    f.reading("P1", f"2025-03-04T{entered}", 1.0)
    f.write()
    ingest(f.root, tmp_path / "oka.duckdb", checker=f.checker)
    got = kpi.compute_kpis(tmp_path / "oka.duckdb", dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert {k: got[k] for k in expected} == expected


@pytest.mark.parametrize("date_from, date_to, expected", [
    (None, None, ("2025-02-20", "2025-03-20")),       # the first and last day with data
    ("2025-03-05", None, ("2025-03-05", "2025-03-20")),
    (None, "2025-03-01", ("2025-02-20", "2025-03-01")),
    ("2030-01-01", None, ("2030-01-01", "2030-01-01")),
])
def test_default_period(db, date_from, date_to, expected):
    got = kpi.compute_kpis(db, date_from and dt.date.fromisoformat(date_from),
                           date_to and dt.date.fromisoformat(date_to))
    assert (got["from"], got["to"]) == expected


def test_calendar_grows_to_cover_the_records(tmp_path):
    """A request older than the stored calendar (2015 on; records from the future are rejected at ingest)."""
    f = Folder(tmp_path / "data")
    f.call("C1", "2012-03-02T10:00:00", "op1", 120, topic="request.individual")
    f.request("Q1", "2012-03-02T10:03:00", completed_at="2012-03-10T10:00:00")  # due 03-16 at the earliest
    f.write()
    errors: list[str] = []
    ingest(f.root, tmp_path / "oka.duckdb", checker=f.checker, on_error=errors.append)
    assert errors == []
    got = kpi.compute_kpis(tmp_path / "oka.duckdb", dt.date(2012, 3, 1), dt.date(2012, 3, 31),
                           now=dt.datetime(2012, 12, 31))
    assert (got["requests_completed_on_time_pct"], got["requests_overdue"]) == (100.0, 0)
