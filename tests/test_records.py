"""Records import: per-row validation, time zones, XLSX, idempotent upsert, stored rejects."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from folder_builder import READING_COLS, REQUEST_COLS, write_csv

from analytics.ingest import records
from analytics.storage import store

GOOD_REQUEST = {"request_id": "Q1", "customer_type": "individual", "kind": "sealing", "account": "100200",
                "contact": "8701", "reason": "замена", "operator_id": "op1", "created_at": "2025-03-04T10:15:00"}
GOOD_READING = {"reading_id": "P1", "account": "100200", "meter": "ГВС-1", "value": "2045.3", "operator_id": "op1",
                "entered_at": "2025-03-04T10:15:00"}


@pytest.mark.parametrize("spec, cols, good, change, reason", [
    (records.REQUESTS, REQUEST_COLS, GOOD_REQUEST, {"created_at": "04/03/2025 10:15"},
     "created_at is not an ISO 8601 date-time: 04/03/2025 10:15"),
    (records.REQUESTS, REQUEST_COLS, GOOD_REQUEST, {"created_at": ""}, "missing created_at"),
    (records.REQUESTS, REQUEST_COLS, GOOD_REQUEST, {"created_at": "2025-02-30T10:00:00"},
     "created_at is not an ISO 8601 date-time"),
    (records.REQUESTS, REQUEST_COLS, GOOD_REQUEST, {"completed_at": "вчера"}, "completed_at is not an ISO 8601"),
    (records.REQUESTS, REQUEST_COLS, GOOD_REQUEST, {"completed_at": "2025-03-01T10:00:00"},
     "completed_at is before created_at"),
    (records.REQUESTS, REQUEST_COLS, GOOD_REQUEST, {"customer_type": "company"}, "unknown customer_type company"),
    (records.REQUESTS, REQUEST_COLS, GOOD_REQUEST, {"customer_type": ""}, "missing customer_type"),
    (records.REQUESTS, REQUEST_COLS, GOOD_REQUEST, {"kind": "repair"}, "unknown kind repair"),
    (records.REQUESTS, REQUEST_COLS, GOOD_REQUEST, {"request_id": "  "}, "missing request_id"),
    (records.READINGS, READING_COLS, GOOD_READING, {"value": "двенадцать"}, "value is not a number: двенадцать"),
    (records.READINGS, READING_COLS, GOOD_READING, {"value": ""}, "missing value"),
    (records.READINGS, READING_COLS, GOOD_READING, {"entered_at": "2025-03-04T25:00:00"},
     "entered_at is not an ISO 8601"),
    (records.READINGS, READING_COLS, GOOD_READING, {"reading_id": ""}, "missing reading_id"),
    # issue 17 item 10: impossible values are refused with one line, not accepted silently
    (records.REQUESTS, REQUEST_COLS, GOOD_REQUEST, {"created_at": "2099-01-01T10:00:00"},
     "created_at is in the future: 2099-01-01T10:00:00"),
    (records.REQUESTS, REQUEST_COLS, GOOD_REQUEST, {"completed_at": "2099-05-01T10:00:00"},
     "completed_at is in the future"),
    (records.REQUESTS, REQUEST_COLS, GOOD_REQUEST, {"created_at": "1970-01-01T00:00:00"}, "created_at is before 2000"),
    (records.READINGS, READING_COLS, GOOD_READING, {"entered_at": "2099-12-31T23:59:00"},
     "entered_at is in the future"),
    (records.READINGS, READING_COLS, GOOD_READING, {"value": "inf"}, "value inf is not a meter reading"),
    (records.READINGS, READING_COLS, GOOD_READING, {"value": "NaN"}, "value NaN is not a meter reading"),
    (records.READINGS, READING_COLS, GOOD_READING, {"value": "-5"}, "value -5 is not a meter reading"),
    (records.READINGS, READING_COLS, GOOD_READING, {"value": "1e999"}, "is not a meter reading"),
    # issue 17 item 6: a call_id that could name a file outside its folder
    (records.READINGS, READING_COLS, GOOD_READING, {"call_id": "../../X"}, "call_id ../../X is not a file-name-safe"),
    (records.REQUESTS, REQUEST_COLS, GOOD_REQUEST, {"call_id": "a/b"}, "call_id a/b is not a file-name-safe"),
])
def test_bad_row_rejected_rest_loaded(tmp_path, spec, cols, good, change, reason):
    path = tmp_path / f"{spec.name}.csv"
    other = dict(good, **{spec.id_column: "OK2"})
    write_csv(path, cols, [other, good | change, dict(good, **{spec.id_column: "OK3"})])
    loaded = records.load_file(path, spec)
    assert sorted(loaded.frame[spec.id_column].to_list()) == ["OK2", "OK3"]
    assert len(loaded.rejects) == 1
    line = loaded.rejects[0].line()
    assert line.startswith(f"{path}: row 3: ") and reason in line
    assert "\n" not in line


@pytest.mark.parametrize("value, expected", [
    ("2045.3", 2045.3), ("2045,3", 2045.3), (" 1 234,5 ", 1234.5), ("0", 0.0), ("1 234 567,25", 1234567.25),
])
def test_numbers(tmp_path, value, expected):
    path = tmp_path / "readings.csv"
    write_csv(path, READING_COLS, [GOOD_READING | {"value": value}])
    assert records.load_file(path, records.READINGS).frame["value"].to_list() == [expected]


@pytest.mark.parametrize("text, expected", [
    ("2025-03-04T10:15:00", "2025-03-04 10:15:00"),
    ("2025-03-04 10:15", "2025-03-04 10:15:00"),
    ("2025-03-04T10:15:00.250", "2025-03-04 10:15:00.250"),
    ("2025-03-04", "2025-03-04 00:00:00"),
    ("2025-03-04T05:15:00Z", "2025-03-04 10:15:00"),            # UTC -> Almaty UTC+5 since 2024-03-01
    ("2025-03-04T10:15:00+05:00", "2025-03-04 10:15:00"),
    ("2025-03-04T08:15:00+03:00", "2025-03-04 10:15:00"),       # Moscow time
    ("2024-02-29T04:15:00+00:00", "2024-02-29 10:15:00"),       # before the change Almaty was UTC+6
    ("2024-03-01T04:15:00+00:00", "2024-03-01 09:15:00"),       # after it, UTC+5
    ("2025-03-04T10:15:00+0500", "2025-03-04 10:15:00"),
    ("2025-03-04T10:15:00+05", "2025-03-04 10:15:00"),          # an offset in hours only
    ("2025-03-04T08:15:00.5+03", "2025-03-04 10:15:00.500"),
    ("20250304T101500", "2025-03-04 10:15:00"),                 # ISO 8601's basic form
    ("20250304T0515Z", "2025-03-04 10:15:00"),
    ("20250304T101500+0500", "2025-03-04 10:15:00"),
    ("20250304", "2025-03-04 00:00:00"),
])
def test_timestamps_to_almaty_wall_time(text, expected):
    got = pl.select(records.parse_timestamp(pl.lit(text))).item()
    assert got == dt.datetime.fromisoformat(expected)


def test_duplicates(tmp_path):
    path = tmp_path / "requests.csv"
    write_csv(path, REQUEST_COLS, [GOOD_REQUEST, GOOD_REQUEST, GOOD_REQUEST | {"account": "999"}])
    loaded = records.load_file(path, records.REQUESTS)
    assert loaded.frame.height == 1 and loaded.frame["account"].item() == "100200"
    assert [r.line() for r in loaded.rejects] == [
        f"{path}: row 4: duplicate request_id Q1 with a content different from row 2"]


def test_missing_column_is_one_error(tmp_path):
    path = tmp_path / "requests.csv"
    path.write_text("request_id,kind\nQ1,sealing\n", encoding="utf-8")
    with pytest.raises(records.RecordsError, match=r"requests.csv: missing column\(s\) customer_type, created_at"):
        records.load_file(path, records.REQUESTS)


def test_not_a_table(tmp_path):
    path = tmp_path / "requests.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(records.RecordsError, match=r"requests\.xlsx: cannot read it as XLSX"):
        records.load_file(path, records.REQUESTS)


def test_xlsx_with_russian_headers(tmp_path):
    path = tmp_path / "readings.xlsx"
    pl.DataFrame({
        "Номер показания": ["R1", "R2", "R3"], "Лицевой счёт": [100234567, 5, 6], "Показание": [2045.3, 7.0, None],
        "Оператор": ["op1", "op1", "op1"], "Звонок": [None, "c1", None],
        "Дата ввода": [dt.datetime(2025, 3, 4, 10, 15), dt.datetime(2025, 3, 4, 10, 16, 30),
                       dt.datetime(2025, 3, 4, 10, 17)],
    }).write_excel(path)
    loaded = records.load_file(path, records.READINGS)
    assert loaded.frame.select("reading_id", "account", "value", "call_id", "entered_at").rows() == [
        ("R1", "100234567", 2045.3, None, dt.datetime(2025, 3, 4, 10, 15)),
        ("R2", "5", 7.0, "c1", dt.datetime(2025, 3, 4, 10, 16, 30))]
    assert [r.line() for r in loaded.rejects] == [f"{path}: row 4: missing value"]


@pytest.mark.parametrize("given, stored", [
    ("физ", "individual"), ("Юридическое лицо", "legal"), ("legal", "legal"),
])
def test_customer_type_aliases(tmp_path, given, stored):
    path = tmp_path / "requests.csv"
    write_csv(path, REQUEST_COLS, [GOOD_REQUEST | {"customer_type": given, "kind": "Распломбировка"}])
    frame = records.load_file(path, records.REQUESTS).frame
    assert frame.select("customer_type", "kind").row(0) == (stored, "unsealing")


def _load(db: Path, path: Path, spec) -> tuple[int, int]:
    loaded = records.load_file(path, spec)
    with store.connect(db) as con:
        result = records.upsert(con, spec, loaded.frame)
        records.store_rejects(con, loaded.file, loaded.rejects)
    return result


def test_reimport_changes_nothing_and_update_upserts(tmp_path):
    db = tmp_path / "oka.duckdb"
    store.init(db)
    path = tmp_path / "requests.csv"
    rows = [GOOD_REQUEST, GOOD_REQUEST | {"request_id": "Q2"}, GOOD_REQUEST | {"request_id": "Q3", "kind": "x"}]
    write_csv(path, REQUEST_COLS, rows)
    assert _load(db, path, records.REQUESTS) == (2, 0)
    assert _load(db, path, records.REQUESTS) == (0, 0)
    rows[0] = GOOD_REQUEST | {"completed_at": "2025-03-10T12:00:00"}
    write_csv(path, REQUEST_COLS, rows)
    assert _load(db, path, records.REQUESTS) == (0, 1)
    with store.connect(db, read_only=True) as con:
        assert con.execute("SELECT request_id, completed_at FROM requests ORDER BY 1").fetchall() == [
            ("Q1", dt.datetime(2025, 3, 10, 12)), ("Q2", None)]
        # the rejects of a file are those of its latest import, not one more copy per import
        assert con.execute("SELECT file, row, reason FROM rejects").fetchall() == [
            (str(path), 4, "unknown kind x (sealing, unsealing or inspection)")]


def test_rows_missing_from_a_later_file_are_kept(tmp_path):
    db = tmp_path / "oka.duckdb"
    store.init(db)
    path = tmp_path / "readings.csv"
    write_csv(path, READING_COLS, [GOOD_READING, GOOD_READING | {"reading_id": "P2"}])
    _load(db, path, records.READINGS)
    write_csv(path, READING_COLS, [GOOD_READING | {"reading_id": "P3"}])
    _load(db, path, records.READINGS)
    with store.connect(db, read_only=True) as con:
        assert [r[0] for r in con.execute("SELECT reading_id FROM readings ORDER BY 1").fetchall()] == [
            "P1", "P2", "P3"]


def test_malformed_csv_rows_are_rejected_one_by_one(tmp_path):
    path = tmp_path / "readings.csv"
    path.write_text("reading_id,account,meter,value,operator_id,call_id,entered_at\n"
                    "g1,100200,ГВС-1,123.5,op1,,2025-03-03T09:04:00\n"
                    "g2,1,2,3,4\n"
                    "g3,100200,ГВС-1,1,op1,,2025-03-03T09:04:00,extra\n"
                    "g4,100200,ГВС-1,\"1,5\",op1,,2025-03-03T09:04:00\n"
                    '"g5,100200,ГВС-1,1,op1,,2025-03-03T09:04:00\n', encoding="utf-8")
    loaded = records.load_file(path, records.READINGS)
    assert loaded.frame.select("reading_id", "value").rows() == [("g1", 123.5), ("g4", 1.5)]
    assert [r.line() for r in loaded.rejects] == [
        f"{path}: row 3: 5 field(s) where the header has 7",
        f"{path}: row 4: 8 field(s) where the header has 7",
        f"{path}: row 6: 1 field(s) where the header has 7 (an unterminated quote?)",
    ]


def test_semicolon_csv_from_excel(tmp_path):
    path = tmp_path / "readings.csv"
    path.write_text("\ufeffНомер показания;Лицевой счёт;Показание;Оператор;Дата ввода\n"
                    "R1;100200;2045,3;op1;2025-03-04T10:15:00\n", encoding="utf-8")
    loaded = records.load_file(path, records.READINGS)
    assert loaded.frame.select("reading_id", "account", "value").rows() == [("R1", "100200", 2045.3)]
    assert loaded.rejects == []


def test_a_changed_record_is_reported_kept_in_history_and_keeps_its_link(tmp_path):
    """Issue 17 item 10: a re-imported request id with another customer replaced the stored one silently
    and dropped its call.  Now the change is reported, the old version kept, the call kept."""
    db = tmp_path / "oka.duckdb"
    store.init(db)
    path = tmp_path / "requests.csv"
    write_csv(path, REQUEST_COLS, [GOOD_REQUEST | {"call_id": "c1"}])
    _load(db, path, records.REQUESTS)
    write_csv(path, REQUEST_COLS, [GOOD_REQUEST | {"account": "999111", "contact": "8777", "call_id": ""}])
    loaded = records.load_file(path, records.REQUESTS)
    changes: list[records.Change] = []
    with store.connect(db) as con:
        assert records.upsert(con, records.REQUESTS, loaded.frame, changes) == (0, 1)
        stored = con.execute("SELECT account, call_id FROM requests WHERE request_id = 'Q1'").fetchone()
        history = con.execute("SELECT record_type, record_id, changed, previous FROM record_history").fetchall()
    assert [c.line(str(path)) for c in changes] == [
        f"{path}: row 2: request Q1 changed (account, contact); the previous version is kept in record_history"]
    assert stored == ("999111", "c1")                                  # the link stays
    assert len(history) == 1 and history[0][:3] == ("requests", "Q1", ["account", "contact"])
    assert '"account":"100200"' in history[0][3].replace(" ", "")


def test_completing_a_request_is_its_normal_life_not_a_change(tmp_path):
    db = tmp_path / "oka.duckdb"
    store.init(db)
    path = tmp_path / "requests.csv"
    write_csv(path, REQUEST_COLS, [GOOD_REQUEST])
    _load(db, path, records.REQUESTS)
    write_csv(path, REQUEST_COLS, [GOOD_REQUEST | {"completed_at": "2025-03-10T12:00:00", "call_id": "c1"}])
    changes: list[records.Change] = []
    with store.connect(db) as con:
        assert records.upsert(con, records.REQUESTS, records.load_file(path, records.REQUESTS).frame, changes) == (0, 1)
    assert changes == []


@pytest.mark.parametrize("change, reason", [
    ({"call_id": "../../X"}, "call_id ../../X is not a file-name-safe identifier"),
    ({"call_id": "."}, "call_id . is not a file-name-safe identifier"),     # the folder itself
    ({"call_id": "a..b"}, "call_id a..b is not a file-name-safe identifier"),
    ({"transcript_path": "../outside.json"}, "transcript_path ../outside.json is not inside the data folder"),
    ({"transcript_path": "/etc/passwd"}, "transcript_path /etc/passwd is not inside the data folder"),
    ({"audio_path": "calls/../../secret.wav", "transcript_path": ""}, "is not inside the data folder"),
    ({"started_at": "2099-03-04T10:00:00"}, "started_at is in the future"),
])
def test_calls_rows_that_would_leave_their_folder_or_time_are_rejected(tmp_path, change, reason):
    """Issue 17 item 6 (paths) and 10 (dates): one line naming the file and row; the good row loads."""
    from folder_builder import CALL_COLS

    good = {"call_id": "c1", "started_at": "2025-03-04T10:00:00", "operator_id": "op1", "operator_name": "Айгуль",
            "audio_path": "", "transcript_path": "transcripts/c1.json", "layout": "stereo-operator-left"}
    path = tmp_path / "calls.csv"
    write_csv(path, CALL_COLS, [good | {"call_id": "c0"}, good | change])
    loaded = records.load_file(path, records.CALLS)
    assert loaded.frame["call_id"].to_list() == ["c0"]
    line = loaded.rejects[0].line()
    assert line.startswith(f"{path}: row 3: ") and reason in line


@pytest.mark.parametrize("dropped", ["operator_id", "contact", "completed_at"])
def test_a_re_import_without_a_column_keeps_what_is_stored_in_it(tmp_path, dropped):
    """An export without an optional column is no order to blank it in every stored record (the audit: a request
    re-imported without ``operator_id`` lost its operator, its link and its registration)."""
    db = tmp_path / "oka.duckdb"
    store.init(db)
    path = tmp_path / "requests.csv"
    first = GOOD_REQUEST | {"operator_id": "op7", "contact": "87011234567", "completed_at": "2025-03-10T12:00:00"}
    write_csv(path, REQUEST_COLS, [first])
    _load(db, path, records.REQUESTS)
    write_csv(path, [c for c in REQUEST_COLS if c != dropped],
              [{k: v for k, v in (first | {"note": "уточнено"}).items() if k != dropped}])
    loaded = records.load_file(path, records.REQUESTS)
    assert dropped not in loaded.given
    with store.connect(db) as con:
        assert records.upsert(con, records.REQUESTS, loaded.frame, given=loaded.given) == (0, 1)   # the note
        stored = con.execute(f"SELECT {dropped}::VARCHAR, note FROM requests WHERE request_id = 'Q1'").fetchone()
    assert stored[0] is not None and stored[0].startswith(str(first[dropped])[:10])
    assert stored[1] == "уточнено"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_empty_rows_are_no_records_and_rows_keep_the_numbers_the_file_shows(tmp_path, kind):
    """An empty row («,,,,», blank lines at the end, an empty sheet row) is skipped, not rejected; the bad row
    after it is named by the number a spreadsheet shows."""
    import openpyxl

    header = ["reading_id", "account", "meter", "value", "operator_id", "entered_at"]
    rows = [["P1", "100200", "ГВС-1", "2045.3", "op1", "2025-03-04T10:15:00"], [None] * 6,
            ["P3", "100200", "ГВС-1", "abc", "op1", "2025-03-04T10:15:00"], [None] * 6]
    path = tmp_path / f"readings.{kind}"
    if kind == "csv":
        body = [",".join(header)] + [",".join(r) if r[0] else ",,,,," for r in rows]
        path.write_text("\n".join(body) + "\n\n\n", encoding="utf-8")
    else:
        wb = openpyxl.Workbook()
        for r in [header, *rows]:
            wb.active.append(r)
        wb.save(path)
    loaded = records.load_file(path, records.READINGS)
    assert loaded.frame["reading_id"].to_list() == ["P1"]
    assert [(r.row, r.reason) for r in loaded.rejects] == [(4, "value is not a number: abc")]


def test_a_stray_quote_or_a_non_utf8_cell_rejects_its_row_and_the_rows_after_it_load(tmp_path):
    """The audit: an unterminated quote on row 3 swallowed rows 4-5 (never stored, never named), and one byte of
    Windows-1251 rejected the whole file."""
    path = tmp_path / "readings.csv"
    head = "reading_id,account,meter,value,operator_id,call_id,entered_at\n"
    row = "{},100200,{},12,op1,,2026-03-16T11:00:00\n"
    path.write_bytes((head + row.format("R1", "ГВС-1") + row.format("R2", '"ГВС-1') + row.format("R3", "ГВС-1")
                      + row.format("R4", "ГВС-1")).encode("utf-8")
                     + row.format("R5", "ГВС-2").encode("cp1251") + row.format("R6", "ГВС-1").encode("utf-8"))
    loaded = records.load_file(path, records.READINGS)
    assert loaded.frame["reading_id"].to_list() == ["R1", "R3", "R4", "R6"]
    assert [(r.row, r.reason.split(" (")[0]) for r in loaded.rejects] == [
        (3, "3 field(s) where the header has 7"), (6, "not UTF-8 text")]


@pytest.mark.parametrize("day", ["2025-03-05", "20250305"])   # ISO 8601's extended and basic forms
@pytest.mark.parametrize("spec, row, col, rejected", [
    (records.READINGS, GOOD_READING, "entered_at", True),
    (records.REQUESTS, GOOD_REQUEST, "created_at", True),
    (records.REQUESTS, GOOD_REQUEST, "completed_at", False),    # completion is judged by the day (its due day)
])
def test_a_date_without_its_time_is_no_time_of_entry(tmp_path, spec, row, col, rejected, day):
    """The audit: «2026-03-16» was read as midnight, so a reading entered that day counted as on time for a call
    at 15:00.  Clause 2.6 measures minutes: such a row is rejected, naming what to give."""
    path = tmp_path / f"{spec.name}.csv"
    cols = READING_COLS if spec is records.READINGS else REQUEST_COLS
    write_csv(path, cols, [row | {col: day}])
    loaded = records.load_file(path, spec)
    assert [r.reason for r in loaded.rejects] == (
        [f"{col} is a date without the time of day: {day} (give the time too, e.g. {day}T14:05:00)"]
        if rejected else [])


def test_a_column_named_by_its_alias_is_a_column_the_file_has(tmp_path):
    """«Оператор» is operator_id: a re-import that changes it under the alias changes it (not «kept as stored»)."""
    db = tmp_path / "oka.duckdb"
    store.init(db)
    path = tmp_path / "readings.csv"
    head = "Номер показания;Лицевой счёт;Показание;Оператор;Дата ввода\n"
    path.write_text(head + "R1;100200;2045,3;op1;2025-03-04T10:15:00\n", encoding="utf-8")
    _load(db, path, records.READINGS)
    path.write_text(head + "R1;100200;2045,3;op2;2025-03-04T10:15:00\n", encoding="utf-8")
    loaded = records.load_file(path, records.READINGS)
    assert "operator_id" in loaded.given and "call_id" not in loaded.given
    with store.connect(db) as con:
        assert records.upsert(con, records.READINGS, loaded.frame, given=loaded.given) == (0, 1)
        assert con.execute("SELECT operator_id FROM readings WHERE reading_id = 'R1'").fetchone()[0] == "op2"


@pytest.mark.parametrize("call_id, safe", [
    # docs/CONTRACT.md section 1: letters, digits, «_», «-», «.»; no path separators, no «..»
    ("2025-03-04_0012", True), (".hidden", True), ("a.b-c_d", True), ("Звонок_1", True), ("abc.", True),
    (".", False), ("..", False), ("a..b", False), ("../x", False), ("a/b", False), ("a\\b", False), ("a b", False),
    ("", False),
])
def test_call_ids_as_the_contract_defines_them(tmp_path, call_id, safe):
    """The transcript's check (``check``) and the calls.csv check (``ingest``) agree."""
    from folder_builder import CALL_COLS

    from transcription.schema import SchemaError, check_call_id

    try:
        check_call_id(call_id, "t.json")
        accepted = True
    except SchemaError:
        accepted = False
    assert accepted == safe
    row = {"call_id": call_id, "started_at": "2025-03-04T10:00:00", "operator_id": "op1", "operator_name": "Айгуль",
           "audio_path": "", "transcript_path": "transcripts/c1.json", "layout": "stereo-operator-left"}
    path = tmp_path / "calls.csv"
    write_csv(path, CALL_COLS, [row])
    assert (records.load_file(path, records.CALLS).frame["call_id"].to_list() == [call_id]) == safe
