"""Fault injection: ingest killed at random points, a read-only folder, a full disk, bad inputs.

``oka-qa ingest`` runs as a real subprocess on a transcripts-only data folder.
After every SIGKILL the database must open, hold nothing twice and every call
it holds must be whole; no call stored before a kill may disappear after it;
and a final run must leave exactly what one clean run leaves.  Run with ``-s``
to see the figures (kills, how many interrupted a write).
"""
from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest
from folder_builder import Folder

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
N_CALLS = 150
KILLS = 20
TIMESTAMP_COLUMNS = {"ingested_at", "seen_at", "first_used"}   # when this run wrote the row


def build_folder(root: Path, n_calls: int = N_CALLS) -> Path:
    f = Folder(root)
    for i in range(n_calls):
        day, hour, minute = 1 + i // 24, 8 + (i % 24) // 3, (i % 3) * 15
        start = f"2025-03-{day:02d}T{hour:02d}:{minute:02d}:00"
        text = ("Девушка, подождите, щас посмотрю." if i % 5 == 0 else
                f"хочу передать показания, лицевой счёт {1000000 + i}, горячая сто двадцать три")
        f.call(f"c{i:03d}", start, operator_id=f"op{i % 4}", text=text)
        stamp = f"2025-03-{day:02d}T{hour:02d}:{minute + 4:02d}:00"
        if i % 2 == 0:
            f.request(f"r{i:03d}", stamp, operator_id=f"op{i % 4}")
        else:
            f.reading(f"g{i:03d}", stamp, 123.0, operator_id=f"op{i % 4}")
    f.reading("g-bad", "2025-03-01T10:00:00", "сто")  # one malformed row: rejected on every run, stored once
    return f.write()


def ingest_cmd(data: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "cli.main", "ingest", str(data), "--db", str(db)]


def run_ingest(data: Path, db: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(ingest_cmd(data, db), check=False, cwd=ROOT, capture_output=True, text=True, timeout=120,
                          **kw)


def tables(con) -> dict[str, list[str]]:
    rows = con.execute("""SELECT table_name, column_name FROM information_schema.columns
                          WHERE table_catalog = current_database() AND table_name NOT IN ('meta', 'calendar')
                          ORDER BY table_name, ordinal_position""").fetchall()
    out: dict[str, list[str]] = {}
    for t, c in rows:
        if c not in TIMESTAMP_COLUMNS:
            out.setdefault(t, []).append(f'"{c}"')
    return out


def check_consistent(db: Path) -> dict[str, set]:
    """The invariants that must hold after any crash; returns the ids stored per table."""
    with duckdb.connect(str(db)) as con:  # opening replays the WAL
        def q(sql):
            return con.execute(sql).fetchall()

        for table, key in (("calls", "call_id"), ("requests", "request_id"), ("readings", "reading_id"),
                           ("utterances", "call_id, idx"), ("findings", "call_id, idx"),
                           ("call_readings", "call_id, idx"), ("links", "record_type, record_id"),
                           ("rejects", "file, row, reason")):
            dup = q(f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY ALL HAVING count(*) > 1)")
            assert dup == [(0,)], f"{table}: duplicated {key}"
        # every stored call is whole: both utterances of its transcript, a topic, a score, a rulebook
        assert q("""SELECT count(*) FROM calls c LEFT JOIN
                    (SELECT call_id, count(*) n FROM utterances GROUP BY 1) u USING (call_id)
                    WHERE coalesce(u.n, 0) <> 2 OR c.topic IS NULL OR c.score IS NULL OR c.rulebook IS NULL""") \
            == [(0,)], "a call is stored without its utterances or verdict"
        for child in ("utterances", "findings", "call_readings"):
            assert q(f"SELECT count(*) FROM {child} ANTI JOIN calls USING (call_id)") == [(0,)], child
        for record_type, table, key in (("request", "requests", "request_id"), ("reading", "readings", "reading_id")):
            assert q(f"""SELECT count(*) FROM links l WHERE record_type = '{record_type}'
                         AND record_id NOT IN (SELECT {key} FROM {table})""") == [(0,)]
        return {t: {r[0] for r in q(f"SELECT {k} FROM {t}")}
                for t, k in (("calls", "call_id"), ("requests", "request_id"), ("readings", "reading_id"))}


def differences(db: Path, reference: Path) -> dict[str, tuple[int, int]]:
    """Rows only in ``db`` and only in ``reference``, per table (timestamps of the run aside)."""
    out = {}
    with duckdb.connect(str(db)) as con:
        con.execute("ATTACH ? AS ref (READ_ONLY)", [str(reference)])
        for table, cols in tables(con).items():
            c = ", ".join(cols)
            extra = con.execute(f"SELECT count(*) FROM (SELECT {c} FROM main.{table} "
                                f"EXCEPT ALL SELECT {c} FROM ref.main.{table})").fetchone()[0]
            missing = con.execute(f"SELECT count(*) FROM (SELECT {c} FROM ref.main.{table} "
                                  f"EXCEPT ALL SELECT {c} FROM main.{table})").fetchone()[0]
            if extra or missing:
                out[table] = (extra, missing)
    return out


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults")
    data = build_folder(root / "data")
    reference = root / "reference.duckdb"
    t0 = time.monotonic()
    r = run_ingest(data, reference)
    elapsed = time.monotonic() - t0
    assert r.returncode == 1, r.stderr  # the one malformed reading row
    assert "readings.csv: row" in r.stderr
    ids = check_consistent(reference)
    assert len(ids["calls"]) == N_CALLS
    return root, data, reference, elapsed


def test_sigkill_at_random_points_loses_and_duplicates_nothing(world):
    """SIGKILL ingest at a random second of its run, again and again on the same database; when a run
    gets through before its kill, finish the database, compare it with the reference, start afresh."""
    root, data, reference, full_s = world
    rng = random.Random(8)
    kills = interrupted_writes = databases = attempts = 0

    def finish(db: Path) -> None:
        r = run_ingest(data, db)
        assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
        check_consistent(db)
        assert differences(db, reference) == {}

    db, before = None, {}
    while kills < KILLS and attempts < 3 * KILLS:
        attempts += 1
        if db is None:
            databases += 1
            db = root / f"kill{databases}.duckdb"
            before = {"calls": set(), "requests": set(), "readings": set()}
        started = time.time()
        proc = subprocess.Popen(ingest_cmd(data, db), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if attempts % 2:  # any second of the run, start-up included
            time.sleep(rng.uniform(0.1, 1.0) * full_s)
        else:  # aimed at the writes: wait for this run's first write to the database, then a little
            while proc.poll() is None and _last_write(db) < started:
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.5))
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        if db.exists():
            after = check_consistent(db)
            for table, ids in before.items():
                lost = ids - after[table]
                assert not lost, f"{table}: lost after a kill: {sorted(lost)[:5]}"
            if killed and (0 < len(after["calls"]) < N_CALLS or (after["calls"] and not after["readings"])):
                interrupted_writes += 1
            before = after
        if not killed:  # this run got through: check it against the reference and start a fresh database
            finish(db)
            db = None
    if db is not None:
        finish(db)
    print(f"\nfaults: {kills} SIGKILLs in {attempts} runs over {databases} databases ({interrupted_writes} "
          f"left a partly written database), full run {full_s:.1f}s; every database recovered to the reference")
    assert kills >= KILLS


def _last_write(db: Path) -> float:
    times = [p.stat().st_mtime for p in (db, Path(f"{db}.wal")) if p.exists()]
    return max(times, default=0.0)


def _as_nobody() -> dict:
    """Run a child without root's power to write anywhere (a read-only folder means nothing to root)."""
    if os.geteuid() != 0:
        return {}
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot make a folder read-only to the child")
    return {"setpriv": ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"]}


@pytest.mark.parametrize("db_file_writable", [False, True])
def test_read_only_database_folder_is_a_clear_error_and_no_corruption(world, db_file_writable):
    _, data, reference, _ = world
    prefix = _as_nobody().get("setpriv", [])
    base = Path(tempfile.mkdtemp(prefix="oka-ro-"))
    try:
        os.chmod(base, 0o755)
        shutil.copytree(data, base / "data")
        more = build_folder(base / "data2", N_CALLS + 10)  # ten calls the stored database lacks
        for p in [base / "data", more, *(base / "data").rglob("*"), *more.rglob("*")]:
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
        folder = base / "ro"
        folder.mkdir()
        db = folder / "oka.duckdb"
        shutil.copyfile(reference, db)
        os.chmod(db, 0o666 if db_file_writable else 0o644)
        os.chmod(folder, 0o555)
        digest = db.read_bytes()
        r = subprocess.run(prefix + ingest_cmd(more, db), check=False, cwd=ROOT, capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 2, r.stderr
        assert "Traceback" not in r.stderr
        assert str(db) in r.stderr and ("writable" in r.stderr or "Permission denied" in r.stderr)
        assert db.read_bytes() == digest  # not a byte changed
        os.chmod(folder, 0o755)
        assert differences(db, reference) == {}
    finally:
        os.chmod(base / "ro", 0o755) if (base / "ro").exists() else None
        shutil.rmtree(base, ignore_errors=True)


def test_full_disk_is_a_clear_error_and_a_rerun_completes(world, tmp_path):
    reference = world[2]
    more = build_folder(tmp_path / "data2", N_CALLS + 10)
    db = tmp_path / "oka.duckdb"
    shutil.copyfile(reference, db)

    def small_disk():  # every file this process writes is capped at 4 KiB: the WAL cannot grow
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    r = run_ingest(more, db, preexec_fn=small_disk)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "disk has free space" in r.stderr and len(r.stderr.strip().splitlines()) <= 3
    ids = check_consistent(db)
    assert ids["calls"] >= {f"c{i:03d}" for i in range(N_CALLS)}  # what was stored before is all there
    r = run_ingest(more, db)
    assert r.returncode == 1, r.stderr
    assert len(check_consistent(db)["calls"]) == N_CALLS + 10


def test_bad_files_and_rows_are_rejected_with_reasons_and_the_rest_processed(tmp_path):
    f = Folder(tmp_path / "data")
    for i in range(6):
        f.call(f"ok{i}", f"2025-03-03T{9 + i:02d}:00:00", operator_id="op1")
    data = f.write()
    (data / "rec").mkdir()
    (data / "rec" / "empty.wav").write_bytes(b"")
    (data / "rec" / "corrupt.wav").write_bytes(b"RIFF" + random.Random(1).randbytes(8000))
    with open(data / "rec" / "huge.wav", "wb") as fh:  # 300 MB, sparse: huge to read, nothing to decode
        fh.truncate(300 * 1024 * 1024)
    (data / "rec" / "notes.mp3").write_text("это не аудио, а текст " * 50, encoding="utf-8")
    (data / "rec" / "broken.json").write_text('{"call_id": "x", "utterances": [', encoding="utf-8")
    (data / "rec" / "not_a_transcript.json").write_text('[1, 2, 3]', encoding="utf-8")
    bad_rows = [
        ("bad_empty", "2025-03-03T15:00:00", "rec/empty.wav", ""),
        ("bad_corrupt", "2025-03-03T15:10:00", "rec/corrupt.wav", ""),
        ("bad_huge", "2025-03-03T15:20:00", "rec/huge.wav", ""),
        ("bad_text", "2025-03-03T15:30:00", "rec/notes.mp3", ""),
        ("bad_json", "2025-03-03T15:40:00", "", "rec/broken.json"),
        ("bad_shape", "2025-03-03T15:45:00", "", "rec/not_a_transcript.json"),
        ("bad_missing", "2025-03-03T15:50:00", "rec/gone.wav", ""),
        ("bad_traversal", "2025-03-03T15:55:00", "../../etc/passwd", ""),
        ("bad_date", "вчера", "", "transcripts/ok0.json"),
        ("", "2025-03-03T16:00:00", "", "transcripts/ok1.json"),
    ]
    with open(data / "calls.csv", "a", encoding="utf-8") as fh:
        fh.writelines(f"{cid},{start},op1,Оператор op1,{audio},{tr},stereo-operator-left\n"
                      for cid, start, audio, tr in bad_rows)
    with open(data / "readings.csv", "w", encoding="utf-8") as fh:
        fh.write("reading_id,account,meter,value,operator_id,call_id,entered_at\n"
                 "g1,100200,ГВС-1,123.5,op1,ok0,2025-03-03T09:04:00\n"
                 "g2,100200,ГВС-1,сто,op1,,2025-03-03T09:04:00\n"
                 "g3,100200,ГВС-1,12,op1,,не дата\n"
                 ",100200,ГВС-1,12,op1,,2025-03-03T09:04:00\n"
                 "g4,100200,ГВС-1,7.5,op1,ok1,2025-03-03T10:04:00\n")
    db = tmp_path / "oka.duckdb"
    r = run_ingest(data, db)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
    for needle in ("empty.wav", "corrupt.wav", "huge.wav", "notes.mp3", "broken.json", "not_a_transcript.json",
                   "gone.wav", "passwd", "вчера", "missing call_id", "readings.csv: row 3", "readings.csv: row 4",
                   "readings.csv: row 5"):
        assert any(needle in ln for ln in errors), (needle, errors)
    ids = check_consistent(db)
    assert ids["calls"] == {f"ok{i}" for i in range(6)}
    assert ids["readings"] == {"g1", "g4"}
    # every error line names its file, and is one line
    assert all(".csv" in ln or ".wav" in ln or ".mp3" in ln or ".json" in ln for ln in errors), errors
    print(f"\nbad inputs: {len(bad_rows)} call rows + 3 reading rows tried, {len(errors)} one-line rejections, "
          f"{len(ids['calls'])} good calls and {len(ids['readings'])} readings stored")


def test_unterminated_quote_rejects_one_row_not_the_file(tmp_path):
    f = Folder(tmp_path / "data")
    f.call("ok0", "2025-03-03T09:00:00", operator_id="op1")
    f.reading("g1", "2025-03-03T09:04:00", 123.5, call_id="ok0")
    data = f.write()
    with open(data / "readings.csv", "a", encoding="utf-8") as fh:
        fh.write('"g2,100200,ГВС-1,1,op1,,2025-03-03T09:04:00\n')
    r = run_ingest(data, tmp_path / "oka.duckdb")
    assert r.returncode == 1
    assert check_consistent(tmp_path / "oka.duckdb")["readings"] == {"g1"}
