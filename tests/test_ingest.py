"""``oka-qa ingest``: idempotent, incremental, re-checks on a new rulebook, one line per bad input."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from folder_builder import Folder

from analytics.ingest import overlap, pipeline
from analytics.ingest.pipeline import ingest
from analytics.queries import kpi
from analytics.storage import reviews, store
from cli.main import cli

TABLES = ("calls", "utterances", "findings", "call_readings", "call_numbers", "requests", "readings", "links")


def _counts(db) -> dict[str, int]:
    with store.connect(db, read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}


def _folder(tmp_path) -> Folder:
    f = Folder(tmp_path / "data")
    f.call("C1", "2025-03-04T10:00:00", "op1", 120, "счёт один два три", "readings", 90,
           ("address.forbidden",), (2045.3,))
    f.call("C2", "2025-03-04T11:00:00", "op2", 60, topic="request.individual", score=70,
           findings=("greeting.missing", "closing.missing"))
    f.request("Q1", "2025-03-04T11:02:00", operator_id="op2")
    f.reading("P1", "2025-03-04T10:03:00", 2045.3, "op1")
    f.write()
    return f


def test_twice_stores_nothing_twice_and_checks_nothing_again(tmp_path):
    f = _folder(tmp_path)
    db = tmp_path / "oka.duckdb"
    first = ingest(f.root, db, checker=f.checker)
    counts = _counts(db)
    assert counts == {"calls": 2, "utterances": 4, "findings": 3, "call_readings": 1, "call_numbers": 1,
                      "requests": 1, "readings": 1, "links": 2}
    assert (first.calls_stored, first.records) == (2, {"requests": (1, 1, 0), "readings": (1, 1, 0)})
    f.checker.checked.clear()
    second = ingest(f.root, db, checker=f.checker)
    assert _counts(db) == counts
    assert f.checker.checked == []
    assert (second.calls_stored, second.calls_skipped, second.records) == (
        0, 2, {"requests": (1, 0, 0), "readings": (1, 0, 0)})
    assert second.processed > 0


def test_rerun_adds_only_what_is_new(tmp_path):
    f = _folder(tmp_path)
    db = tmp_path / "oka.duckdb"
    ingest(f.root, db, checker=f.checker)
    f.checker.checked.clear()
    f.call("C3", "2025-03-05T09:00:00", "op1", 30)
    f.write()
    report = ingest(f.root, db, checker=f.checker)
    assert f.checker.checked == ["C3"]
    assert (report.calls_stored, report.calls_skipped) == (1, 2)
    assert _counts(db)["calls"] == 3


def test_changed_transcript_is_stored_again(tmp_path):
    f = _folder(tmp_path)
    db = tmp_path / "oka.duckdb"
    ingest(f.root, db, checker=f.checker)
    path = f.root / "transcripts" / "C2.json"
    data = json.loads(path.read_text("utf-8"))
    data["utterances"].append({"speaker": "operator", "start": 7.0, "end": 9.0, "text": "до свидания"})
    data["duration_s"] = 90
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    f.checker.checked.clear()
    ingest(f.root, db, checker=f.checker)
    assert f.checker.checked == ["C2"]
    with store.connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM utterances WHERE call_id = 'C2'").fetchall()[0][0] == 3
        assert con.execute("SELECT duration_s, epoch(ended_at - started_at) FROM calls WHERE call_id = 'C2'"
                           ).fetchall()[0] == (90.0, 90.0)


def test_new_rulebook_rechecks_stored_calls(tmp_path):
    f = _folder(tmp_path)
    db = tmp_path / "oka.duckdb"
    ingest(f.root, db, checker=f.checker)
    f.checker.version = "TEST/02"
    f.checker.specs["C1"].findings = ()
    f.checker.specs["C1"].topic = "billing"
    f.checker.checked.clear()
    report = ingest(f.root, db, checker=f.checker)
    assert sorted(f.checker.checked) == ["C1", "C2"]
    assert report.calls_rechecked == 2
    with store.connect(db, read_only=True) as con:
        assert con.execute("SELECT topic, rulebook FROM calls WHERE call_id = 'C1'").fetchall() == [
            ("billing", "TEST/02")]
        assert con.execute("SELECT count(*) FROM findings WHERE call_id = 'C1'").fetchall()[0][0] == 0
        # the words said are untouched: a re-check works from the stored utterances
        assert con.execute("SELECT count(*) FROM utterances").fetchall()[0][0] == 4


def test_bad_inputs_are_one_line_each_and_the_rest_loads(tmp_path):
    f = _folder(tmp_path)
    f.call("C3", "2025-03-05T09:00:00", "op1", 30)
    f.call("C4", "2025-03-05T10:00:00", "op1", 30)
    f.calls.append({"call_id": "C5", "started_at": "2025-03-05T11:00:00", "operator_id": "op1",
                    "transcript_path": "transcripts/missing.json"})
    f.calls.append({"call_id": "C6", "started_at": "когда-то", "operator_id": "op1",
                    "transcript_path": "transcripts/C1.json"})
    f.reading("P2", "2025-03-05T10:03:00", "много", "op1")
    f.write()
    (f.root / "transcripts" / "C3.json").write_text("{not json", "utf-8")
    db = tmp_path / "oka.duckdb"
    errors: list[str] = []
    report = ingest(f.root, db, on_error=errors.append, checker=f.checker)
    calls_csv, readings_csv = f.root / "calls.csv", f.root / "readings.csv"
    assert sorted(errors) == sorted([
        f"{calls_csv}: row 7: started_at is not an ISO 8601 date-time: когда-то",
        f"{calls_csv}: row 6: transcript_path transcripts/missing.json not found",
        (f"{calls_csv}: row 4: {f.root / 'transcripts' / 'C3.json'}: not valid JSON "
        "(Expecting property name enclosed in double quotes at line 1)"),
        f"{readings_csv}: row 3: value is not a number: много",
    ])
    assert report.rejected == 4 and report.calls_stored == 3
    with store.connect(db, read_only=True) as con:
        assert [r[0] for r in con.execute("SELECT call_id FROM calls ORDER BY 1").fetchall()] == ["C1", "C2", "C4"]
        assert con.execute("SELECT count(*) FROM rejects").fetchall()[0][0] == 4


def test_cli_exit_codes(tmp_path, monkeypatch):
    f = _folder(tmp_path)
    monkeypatch.setattr(pipeline, "default_checker", lambda: f.checker)
    db = tmp_path / "oka.duckdb"
    runner = CliRunner()
    ok = runner.invoke(cli, ["ingest", str(f.root), "--db", str(db)])
    assert ok.exit_code == 0, ok.output
    f.reading("P2", "2025-03-05T10:03:00", "много", "op1")
    f.write()
    partial = runner.invoke(cli, ["ingest", str(f.root), "--db", str(db)])
    assert partial.exit_code == 1
    assert f"error: {f.root / 'readings.csv'}: row 3: value is not a number: много" in partial.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = runner.invoke(cli, ["ingest", str(empty), "--db", str(db)])
    assert nothing.exit_code == 2 and "no calls.csv" in nothing.stderr


@pytest.mark.slow
def test_broken_audio_is_one_line_and_the_other_calls_are_stored(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the transcript cache goes under ./var
    f = _folder(tmp_path)
    (f.root / "audio").mkdir()
    (f.root / "audio" / "broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt garbage")
    f.calls.append({"call_id": "C9", "started_at": "2025-03-05T11:00:00", "operator_id": "op1",
                    "audio_path": "audio/broken.wav"})
    f.write()
    monkeypatch.setattr(pipeline, "default_checker", lambda: f.checker)
    r = CliRunner().invoke(cli, ["ingest", str(f.root), "--db", str(tmp_path / "oka.duckdb")])
    assert r.exit_code == 1, r.output
    lines = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "broken.wav" in lines[0]
    assert _counts(tmp_path / "oka.duckdb")["calls"] == 2
    with store.connect(tmp_path / "oka.duckdb", read_only=True) as con:  # and it is in the rejects table
        (row, reason), = con.execute("SELECT row, reason FROM rejects").fetchall()
    assert row == 4 and "broken.wav" in reason


def test_real_rulebook_on_a_generated_folder(tmp_path, monkeypatch):
    """The real path: ``Checker.default()`` on transcripts written by data/synth.py."""
    import datetime as dt

    from data import synth

    frames = synth.generate(60, dt.date(2025, 1, 1), 2, seed=7)
    synth.write(frames, tmp_path / "data", prechecked=False)
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, ["ingest", str(tmp_path / "data"), "--db", "oka.duckdb"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, ["kpi", "--db", "oka.duckdb", "--json"])
    k = json.loads(r.stdout)
    assert (k["calls"], k["requests"], k["readings"]) == (60, frames["requests"].height, frames["readings"].height)
    with store.connect(tmp_path / "oka.duckdb", read_only=True) as con:
        topics = dict(con.execute("SELECT call_id, topic FROM calls").fetchall())
        assert con.execute("SELECT count(*) FROM links").fetchall()[0][0] == k["requests"] + k["readings"]
    # the rulebook finds the topic each generated call was written for: the generator and the checker are both
    # deterministic, so every call, not most of them (a list of the misses says which)
    expected = dict(zip(frames["calls"]["call_id"], frames["calls"]["topic"], strict=True))
    assert [(c, t, topics[c]) for c, t in expected.items() if topics[c] != t] == []


def test_xlsx_folder(tmp_path):
    import polars as pl

    f = _folder(tmp_path)
    for name in ("requests", "readings"):
        csv = f.root / f"{name}.csv"
        pl.read_csv(csv, infer_schema=False).write_excel(f.root / f"{name}.xlsx")
        csv.unlink()
    db = tmp_path / "oka.duckdb"
    report = ingest(f.root, db, checker=f.checker)
    assert report.records == {"requests": (1, 1, 0), "readings": (1, 1, 0)}
    assert _counts(db)["links"] == 2


def test_an_xlsx_beside_the_csv_of_its_table_is_named_not_silently_left_out(tmp_path):
    import polars as pl

    f = _folder(tmp_path)
    pl.read_csv(f.root / "readings.csv", infer_schema=False).write_excel(f.root / "readings.xlsx")
    errors: list[str] = []
    report = ingest(f.root, tmp_path / "oka.duckdb", checker=f.checker, on_error=errors.append)
    assert report.records["readings"] == (1, 1, 0)                 # the CSV is read
    assert errors == [f"{f.root / 'readings.xlsx'}: not read, as readings.csv is read for the readings; keep one "
                      "file per table (copy the rows of one into the other)"]
    assert report.rejected == 1                                     # so ingest exits 1


def test_links_are_redone_only_after_a_change_and_after_a_crash(tmp_path):
    from analytics.ingest import linking

    f = _folder(tmp_path)
    db = tmp_path / "oka.duckdb"
    ingest(f.root, db, checker=f.checker)
    with store.connect(db, read_only=True) as con:
        assert not linking.is_stale(con)
    with store.connect(db) as con:  # as if an ingest died after storing a record, before relinking
        con.execute("DELETE FROM links")
        linking.mark_stale(con)
    report = ingest(f.root, db, checker=f.checker)
    assert report.links["time_window"] == 2 and _counts(db)["links"] == 2
    with store.connect(db) as con:  # nothing changed since: the links are left as they are
        con.execute("DELETE FROM links WHERE record_type = 'reading'")
    assert ingest(f.root, db, checker=f.checker).links["unlinked"] == 1


def test_prechecked_folder(tmp_path):
    """calls.csv naming a Parquet file of check results (data/synth.py --prechecked): stored as given."""
    import datetime as dt

    import polars as pl

    from data import synth

    frames = synth.generate(500, dt.date(2025, 1, 1), 3, seed=11)
    data = tmp_path / "data"
    synth.write(frames, data, prechecked=True)
    with open(data / "calls.csv", "a", encoding="utf-8") as f:  # a call the Parquet file does not know
        f.write("X1,2025-02-03T10:00:00,op01,Айгуль,,prechecked/calls.parquet,stereo-operator-left\n")
    db = tmp_path / "oka.duckdb"
    errors: list[str] = []
    report = ingest(data, db, on_error=errors.append)  # no transcript to check: the rulebook is not loaded
    assert errors == [f"{data / 'calls.csv'}: row 502: call X1 is not in prechecked/calls.parquet"]
    assert report.calls_stored == 500
    k = kpi.compute_kpis(db)
    assert (k["calls"], k["requests"], k["readings"]) == (500, frames["requests"].height, frames["readings"].height)
    # clause 15.13 at ingest: calls started before an earlier-started call of the same operator ended
    calls = frames["calls"].sort("operator_id", "started_at", "call_id")
    overlapping = calls.with_columns(
        pl.col("ended_at").cum_max().shift(1).over("operator_id").alias("prev_end")
    ).filter(pl.col("prev_end") > pl.col("started_at")).height
    expected = dict(frames["findings"].group_by("rule").len().iter_rows())
    if overlapping:
        expected["overlap.parallel_calls"] = overlapping
    assert k["violations"] == expected
    dictated = frames["calls"].filter("dictated")
    with store.connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM call_readings").fetchall()[0][0] == dictated.height
        assert con.execute("SELECT round(avg(score), 6) FROM calls").fetchall()[0][0] == round(
            frames["calls"]["score"].mean(), 6)
    again = ingest(data, db, on_error=lambda m: None)
    assert (again.calls_stored, again.calls_skipped) == (0, 500)
    assert _counts(db)["calls"] == 500
    assert pl.read_parquet(data / "prechecked" / "calls.parquet").height == 500


def test_a_transcript_the_rulebook_trips_on_is_one_line(tmp_path):
    f = _folder(tmp_path)
    f.call("C3", "2025-03-05T09:00:00", "op1", 30)
    f.write()
    real_check = f.checker.check

    def check(transcript):
        if transcript.call_id == "C3":
            raise ValueError("unexpected text")
        return real_check(transcript)

    f.checker.check = check
    errors: list[str] = []
    report = ingest(f.root, tmp_path / "oka.duckdb", on_error=errors.append, checker=f.checker)
    assert errors == [f"{f.root / 'calls.csv'}: row 4: checking call C3 failed: unexpected text"]
    assert (report.calls_stored, report.calls_failed) == (2, 1)


# Clause 15.13: C1 of op1 10:00:00-10:05:00; another call starts at the time given (op1 unless said).
@pytest.mark.parametrize("start, operator, duration, flagged", [
    ("10:03:00", "op1", 60, True),             # op1 took a call while C1 was going on
    ("10:05:00", "op1", 60, False),            # right after C1 ended: no overlap
    ("10:03:00", "op2", 60, False),            # another operator's call
    ("09:58:00", "op1", 60, False),            # ended (09:59) before C1 started
    ("09:58:00", "op1", 600, True),            # C1 started while this one went on: C1 is the one flagged
])
def test_overlap_parallel_calls_found_at_ingest(tmp_path, start, operator, duration, flagged):
    f = Folder(tmp_path / "data")
    f.call("C1", "2025-03-04T10:00:00", "op1", 300)
    f.call("C2", f"2025-03-04T{start}", operator, duration)
    f.write()
    db = tmp_path / "oka.duckdb"
    report = ingest(f.root, db, checker=f.checker)
    with store.connect(db, read_only=True) as con:
        found = con.execute("SELECT call_id, clause, evidence FROM findings WHERE rule = 'overlap.parallel_calls'"
                            ).fetchall()
    later = "C2" if start > "10:00:00" else "C1"
    assert [(c, cl) for c, cl, _ in found] == ([(later, "15.13")] if flagged else [])
    assert report.overlaps == len(found)
    if flagged:
        other = "C1" if later == "C2" else "C2"
        assert f"звонок {other}" in found[0][2]
        assert kpi.compute_kpis(db)["violations"]["overlap.parallel_calls"] == 1
    # the finding takes the rule's weight (rulebook: 10) off, as any finding does: 100 only with nothing found
    with store.connect(db, read_only=True) as con:
        scores = dict(con.execute("SELECT call_id, score FROM calls").fetchall())
    assert scores == {"C1": 100.0, "C2": 100.0, **({later: 90.0} if flagged else {})}


@pytest.mark.parametrize("how", ["rejected", "start corrected"])
def test_an_overlap_gone_or_rejected_gives_its_weight_back(tmp_path, how):
    """A start time corrected in a new delivery removes the finding and its weight; a finding an auditor
    rejects gives its weight back in every figure (analytics.queries.scores), and no more than it took."""
    f = Folder(tmp_path / "data")
    f.call("C1", "2025-03-04T10:00:00", "op1", 300)
    f.call("C2", "2025-03-04T10:03:00", "op1", 60)
    f.write()
    db = tmp_path / "oka.duckdb"
    ingest(f.root, db, checker=f.checker)
    assert kpi.compute_kpis(db)["compliance_score_avg"] == 95.0      # (100 + 90) / 2
    if how == "rejected":
        with store.connect(db) as con:
            idx = con.execute("SELECT idx FROM findings WHERE rule = 'overlap.parallel_calls'").fetchall()[0][0]
        reviews.save_review(db, "C2", idx, "rejected", "the telephony log shows a transfer", "qa")
        assert "overlap.parallel_calls" not in kpi.compute_kpis(db)["violations"]
    else:
        f.calls[1]["started_at"] = "2025-03-04T10:06:00"   # after C1 ended
        f.write()
        ingest(f.root, db, checker=f.checker)
        with store.connect(db, read_only=True) as con:
            assert dict(con.execute("SELECT call_id, score FROM calls").fetchall()) == {"C1": 100.0, "C2": 100.0}
            assert con.execute("SELECT count(*) FROM findings").fetchall() == [(0,)]
    assert kpi.compute_kpis(db)["compliance_score_avg"] == 100.0


def test_overlap_finding_and_its_review_survive_a_reingest(tmp_path):
    f = Folder(tmp_path / "data")
    f.call("C1", "2025-03-04T10:00:00", "op1", 300)
    f.call("C2", "2025-03-04T10:02:00", "op1", 60, findings=("closing.missing",))
    f.write()
    db = tmp_path / "oka.duckdb"
    ingest(f.root, db, checker=f.checker)
    with store.connect(db) as con:
        idx = con.execute("SELECT idx FROM findings WHERE rule = 'overlap.parallel_calls'").fetchall()[0][0]
    reviews.save_review(db, "C2", idx, "confirmed", "", "qa")
    f.call("C3", "2025-03-04T12:00:00", "op1", 60)  # a new delivery relinks and recounts
    f.write()
    ingest(f.root, db, checker=f.checker)
    with store.connect(db, read_only=True) as con:
        rows = con.execute("SELECT f.call_id, f.rule, r.verdict FROM findings f LEFT JOIN reviews r "
                           "USING (call_id, idx) ORDER BY f.call_id, f.idx").fetchall()
    assert rows == [("C2", "closing.missing", None), ("C2", "overlap.parallel_calls", "confirmed")]


@pytest.mark.parametrize("release, renewed", [("another", True), ("this", False)])
def test_a_new_release_of_the_overlap_judgement_reaches_the_stored_calls(tmp_path, release, renewed):
    """The overlap's findings are the store's, not the check's: a release of analytics/ingest/overlap.py that
    judges otherwise renews them at the next ingest with nothing new to store; the same release leaves them."""
    f = Folder(tmp_path / "data")
    f.call("C1", "2025-03-04T10:00:00", "op1", 300)
    f.call("C2", "2025-03-04T10:03:00", "op1", 60)
    f.write()
    db = tmp_path / "oka.duckdb"
    ingest(f.root, db, checker=f.checker)
    with store.connect(db) as con:   # as an older release left it: other words, and its own fingerprint
        con.execute("UPDATE findings SET evidence = 'старая формулировка' WHERE rule = 'overlap.parallel_calls'")
        if release == "another":
            con.execute("UPDATE meta SET value = 'older' WHERE key = 'overlap_code'")
    ingest(f.root, db, checker=f.checker)
    with store.connect(db, read_only=True) as con:
        (evidence,) = con.execute("SELECT evidence FROM findings WHERE rule = 'overlap.parallel_calls'").fetchall()
        assert (evidence[0] != "старая формулировка") == renewed
        assert con.execute("SELECT value FROM meta WHERE key = 'overlap_code'").fetchall() == [(overlap.CODE,)]


@pytest.mark.parametrize("release, relinked", [("another", True), ("this", False)])
def test_a_new_release_of_the_linking_relinks_the_stored_records(tmp_path, release, relinked):
    """A release of analytics/ingest/linking.py that links otherwise relinks every record at the next ingest with
    nothing new to store (the links a KPI of clause 2.6 counts were made by the code that shipped); the same
    release leaves them."""
    from analytics.ingest import linking

    f = _folder(tmp_path)
    db = tmp_path / "oka.duckdb"
    ingest(f.root, db, checker=f.checker)
    with store.connect(db) as con:   # as an older release left them: no link, and its own fingerprint
        con.execute("DELETE FROM links")
        if release == "another":
            con.execute("UPDATE meta SET value = 'older' WHERE key = 'links_code'")
    ingest(f.root, db, checker=f.checker)
    with store.connect(db, read_only=True) as con:
        assert (con.execute("SELECT count(*) FROM links").fetchone()[0] > 0) == relinked
        assert con.execute("SELECT value FROM meta WHERE key = 'links_code'").fetchall() == [(linking.CODE,)]


def test_a_transcript_naming_another_call_id_is_stored_as_its_row_says_with_one_line(tmp_path, caplog):
    """The row of calls.csv names the call (the records' links use it); a transcript file whose own call_id
    differs (a copy, a renamed export) is stored under the row's, and one line says so instead of nothing."""
    f = Folder(tmp_path / "data")
    f.call("C1", "2025-03-04T10:00:00", "op1", 120)
    path = f.root / "transcripts" / "C1.json"
    data = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps({**data, "call_id": "export-17"}, ensure_ascii=False), "utf-8")
    f.write()
    db = tmp_path / "oka.duckdb"
    ingest(f.root, db, checker=f.checker)
    with store.connect(db, read_only=True) as con:
        assert con.execute("SELECT call_id FROM calls").fetchall() == [("C1",)]
    (line,) = [r.getMessage() for r in caplog.records if "names call_id" in r.getMessage()]
    assert line == f"{f.root / 'calls.csv'}: row 2: transcripts/C1.json names call_id export-17; the row's C1 is used"


def test_the_default_checker_weighs_a_parallel_call_too(tmp_path):
    """Without a checker given, the ingest's lazy default gives the rulebook for the overlap's weight."""
    from analytics.queries.scores import weight_of

    f = Folder(tmp_path / "data")
    f.call("C1", "2025-03-04T10:00:00", "op1", 300)
    f.call("C2", "2025-03-04T10:03:00", "op1", 60)   # the same words as C1, started while C1 went on
    f.write()
    db = tmp_path / "oka.duckdb"
    ingest(f.root, db)
    with store.connect(db, read_only=True) as con:
        scores = dict(con.execute("SELECT call_id, score FROM calls").fetchall())
    assert scores["C2"] == scores["C1"] - weight_of("overlap.parallel_calls")
