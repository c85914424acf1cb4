"""Linking records to calls (docs/CONTRACT.md section 4, revised): given id; else, among the operator's calls of
the last two working days, the latest naming the record's number, then the latest naming it but for one
digit, then the latest that ended within 60 minutes."""
from __future__ import annotations

import pytest
from folder_builder import Folder

from analytics.ingest import linking
from analytics.ingest.pipeline import ingest
from analytics.storage import store

ACCOUNT_WORDS = "лицевой счёт один два три четыре пять шесть"  # 123456


def _links(db) -> dict[str, tuple[str, str]]:
    with store.connect(db, read_only=True) as con:
        return {rid: (cid, m) for _, rid, cid, m in con.execute("SELECT * FROM links").fetchall()}


def _run(tmp_path, build) -> dict[str, tuple[str, str]]:
    f = Folder(tmp_path / "data")
    build(f)
    f.write()
    errors: list[str] = []
    ingest(f.root, tmp_path / "oka.duckdb", on_error=errors.append, checker=f.checker)
    assert errors == []
    return _links(tmp_path / "oka.duckdb")


# One call of op1, 10:00:00-10:02:00 (120 s), then a reading at the time given.
@pytest.mark.parametrize("entered_at, operator, expected", [
    ("2025-03-04T10:01:00", "op1", ("C1", "time_window")),   # during the call
    ("2025-03-04T11:02:00", "op1", ("C1", "time_window")),   # exactly 60 min after it ended
    ("2025-03-04T11:02:01", "op1", None),                    # one second too late
    ("2025-03-04T10:00:00", "op1", None),                    # the call had not started before it
    ("2025-03-04T09:59:00", "op1", None),                    # before the call
    ("2025-03-04T10:05:00", "op2", None),                    # another operator's record
    ("2025-03-04T10:05:00+05:00", "op1", ("C1", "time_window")),
    ("2025-03-04T05:05:00Z", "op1", ("C1", "time_window")),  # the same moment in UTC
])
def test_time_window(tmp_path, entered_at, operator, expected):
    def build(f):
        f.call("C1", "2025-03-04T10:00:00", "op1", 120)
        f.reading("P1", entered_at, 1.0, operator)
    assert _run(tmp_path, build).get("P1") == expected


# Two calls of op1 before the record: C1 10:00-10:02 and C2 10:10-10:12; the record comes at 10:30.
@pytest.mark.parametrize("text1, text2, account, expected", [
    (ACCOUNT_WORDS, "добрый день", "123456", ("C1", "account_match")),
    ("добрый день", ACCOUNT_WORDS, "123456", ("C2", "account_match")),
    ("счёт 123456", "добрый день", "12-34-56", ("C1", "account_match")),      # digits in the text, dashes in the record
    ("один два три, четыре пять шесть", "ничего", "123456", ("C1", "account_match")),  # dictated in pieces
    (ACCOUNT_WORDS, ACCOUNT_WORDS, "123456", ("C2", "account_match")),         # both name it: the latest
    ("добрый день", "до свидания", "123456", ("C2", "time_window")),          # neither does: the latest in 60 min
    (ACCOUNT_WORDS, "добрый день", "", ("C2", "time_window")),                # no account in the record
    # speech recognition dropped a digit: 110234567 heard as 1 1 2 3 4 5 6 7
    ("лицевой счёт 1, 1, 2, 3, 4, 5, 6, 7", "добрый день", "110234567", ("C1", "account_near")),
    ("счёт 11234567", "счёт 110234567", "110234567", ("C2", "account_match")),  # exact wins over near
    ("счёт 110234567", "счёт 11234567", "110234567", ("C1", "account_match")),  # even when the near one is later
    ("счёт 11234567", "счёт 110234568", "110234567", ("C2", "account_near")),   # two near ones: the latest
    ("счёт 1245", "добрый день", "12345", ("C2", "time_window")),               # too short to guess a digit
    ("счёт 110234599", "добрый день", "110234567", ("C2", "time_window")),      # two digits wrong: no evidence
    ("в 5 часов", "добрый день", "5", ("C2", "time_window")),                   # «5» said in passing is no evidence
])
def test_two_candidates(tmp_path, text1, text2, account, expected):
    def build(f):
        f.call("C1", "2025-03-04T10:00:00", "op1", 120, text1)
        f.call("C2", "2025-03-04T10:10:00", "op1", 120, text2)
        f.reading("P1", "2025-03-04T10:30:00", 1.0, "op1", account=account)
    assert _run(tmp_path, build)["P1"] == expected


# A record entered long after its call, with no call_id: found by the account said in the call within two
# working days, never by time alone.  The call C1 of op1 names 123456 and ends 10:02 on the day given;
# 2025: Sat 03-08 is Women's Day moved to Mon 03-10; Nauryz takes Fri 03-21 .. Tue 03-25.
@pytest.mark.parametrize("call_day, entered_at, account, expected", [
    ("2025-03-04", "2025-03-04T13:00:00", "123456", ("C1", "account_match")),   # three hours late
    ("2025-03-04", "2025-03-04T13:00:00", "654321", None),                      # late and another account
    ("2025-03-04", "2025-03-06T10:02:00", "123456", ("C1", "account_match")),   # Tue -> Thu, two working days
    ("2025-03-04", "2025-03-06T10:02:01", "123456", None),                      # one second more
    ("2025-03-06", "2025-03-11T10:00:00", "123456", ("C1", "account_match")),   # Thu -> Tue: Fri, (Mon off), Tue
    ("2025-03-06", "2025-03-12T10:00:00", "123456", None),                      # Thu -> Wed: three working days
    ("2025-03-20", "2025-03-27T09:00:00", "123456", ("C1", "account_match")),   # over Nauryz: Wed 26, Thu 27
    ("2025-03-20", "2025-03-28T09:00:00", "123456", None),
    ("2025-03-04", "2025-03-05T09:00:00", "123456-7", ("C1", "account_near")),  # one digit more in the record
])
def test_late_records_are_found_by_the_account(tmp_path, call_day, entered_at, account, expected):
    def build(f):
        f.call("C1", f"{call_day}T10:00:00", "op1", 120, ACCOUNT_WORDS)
        f.reading("P1", entered_at, 1.0, "op1", account=account)
    assert _run(tmp_path, build).get("P1") == expected


def test_account_evidence_beats_a_nearer_call(tmp_path):
    """The operator took another call between; the record names the first call's account."""
    def build(f):
        f.call("C1", "2025-03-04T10:00:00", "op1", 120, ACCOUNT_WORDS)
        f.call("C2", "2025-03-04T11:00:00", "op1", 120, "счёт 777888")
        f.request("Q1", "2025-03-04T11:05:00", account="123456")
        f.request("Q2", "2025-03-04T11:06:00", account="777888")
        f.request("Q3", "2025-03-04T11:07:00", account="555444")  # named in no call: the latest within 60 min
    assert _run(tmp_path, build) == {"Q1": ("C1", "account_match"), "Q2": ("C2", "account_match"),
                                     "Q3": ("C2", "time_window")}


def test_contract_number_breaks_the_tie_for_legal_requests(tmp_path):
    def build(f):
        f.call("C1", "2025-03-04T10:00:00", "op1", 120, "договор номер четыре четыре пять пять")
        f.call("C2", "2025-03-04T10:10:00", "op1", 120, "добрый день")
        f.request("Q1", "2025-03-04T10:30:00", customer_type="legal", contract_no="Д-4455")
    assert _run(tmp_path, build)["Q1"] == ("C1", "account_match")


def test_given_call_id_wins(tmp_path):
    def build(f):
        f.call("C1", "2025-03-04T08:00:00", "op2", 120)
        f.call("C2", "2025-03-04T10:00:00", "op1", 120)
        f.reading("P1", "2025-03-04T10:03:00", 1.0, "op1", call_id="C1")
    assert _run(tmp_path, build)["P1"] == ("C1", "given")


def test_unknown_given_call_id_falls_back_to_time(tmp_path, caplog):
    def build(f):
        f.call("C1", "2025-03-04T10:00:00", "op1", 120)
        f.reading("P1", "2025-03-04T10:03:00", 1.0, "op1", call_id="C-typo")
        f.reading("P2", "2025-03-04T20:00:00", 1.0, "op1", call_id="C-typo")
    assert _run(tmp_path, build) == {"P1": ("C1", "time_window")}
    with store.connect(tmp_path / "oka.duckdb") as con:
        counts = linking.link(con)
    assert counts["unknown_call"] == 2 and counts["unlinked"] == 1
    # the ingest's one line names the records, so that they can be found and their call_id mended
    (line,) = [r.getMessage() for r in caplog.records if "not stored" in r.getMessage()]
    assert "reading P1 (call_id C-typo), reading P2 (call_id C-typo)" in line and "\n" not in line


def test_relinking_is_stable_and_a_late_call_gets_linked(tmp_path):
    f = Folder(tmp_path / "data")
    f.call("C1", "2025-03-04T10:00:00", "op1", 120)
    f.reading("P1", "2025-03-04T10:03:00", 1.0, "op1")
    f.reading("P2", "2025-03-05T10:03:00", 2.0, "op1", call_id="C2")
    f.write()
    db = tmp_path / "oka.duckdb"
    ingest(f.root, db, checker=f.checker)
    first = _links(db)
    assert first == {"P1": ("C1", "time_window")}
    ingest(f.root, db, checker=f.checker)
    assert _links(db) == first
    f.call("C2", "2025-03-05T10:00:00", "op1", 120)  # its call arrives with the next delivery
    f.write()
    ingest(f.root, db, checker=f.checker)
    assert _links(db) == {"P1": ("C1", "time_window"), "P2": ("C2", "given")}
