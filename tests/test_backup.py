"""Backup and restore of the database (analytics/access/backup.py and the CLI commands)."""
from __future__ import annotations

import threading

import duckdb
import pytest
from click.testing import CliRunner

from analytics.access import audit, backup
from analytics.storage import store
from cli.main import cli


def _calls(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return sorted(r[0] for r in con.execute("SELECT call_id FROM calls").fetchall())


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "var" / "oka.duckdb"
    store.init(path)
    with store.connect(path) as con:
        con.executemany("INSERT INTO calls (call_id, score) VALUES (?, ?)", [[f"c{i}", 90.0] for i in range(50)])
    audit.record(path, "anna", "head", "sign_in")
    return path


def test_backup_then_restore_brings_back_what_was_lost(db, tmp_path):
    info = backup.backup(db)
    assert info.path.parent == db.parent / "backups" and info.tables["calls"] == 50
    with store.connect(db) as con:
        con.execute("DELETE FROM calls WHERE call_id > 'c2'")
    assert len(_calls(db)) < 50
    _, kept = backup.restore(info.path, db)
    assert _calls(db) == sorted(f"c{i}" for i in range(50))
    assert kept is not None and len(_calls(kept)) < 50  # the replaced database is kept, not lost
    assert audit.verify(db) == 1


@pytest.mark.parametrize("damage", ["flip", "truncate", "not_a_db"])
def test_restore_refuses_a_damaged_backup_and_keeps_the_database(db, tmp_path, damage):
    info = backup.backup(db, tmp_path / "b.duckdb")
    data = bytearray(info.path.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0xFF
    elif damage == "truncate":
        data = data[: len(data) // 3]
    else:
        data = bytearray(b"hello, not a database" * 10)
    info.path.write_bytes(bytes(data))
    if damage == "not_a_db":
        info.path.with_name(info.path.name + backup.MANIFEST_SUFFIX).unlink()
    with pytest.raises(backup.BackupError):
        backup.restore(info.path, db)
    assert len(_calls(db)) == 50


def test_restore_refuses_a_backup_whose_audit_log_was_altered(db, tmp_path):
    out = tmp_path / "b.duckdb"
    backup.backup(db, out)
    out.with_name(out.name + backup.MANIFEST_SUFFIX).unlink()  # no manifest to catch it: the chain must
    with duckdb.connect(str(out)) as con:
        con.execute("UPDATE audit_log SET user_name = 'eve'")
    with pytest.raises(backup.BackupError, match="audit log does not verify"):
        backup.restore(out, db)
    assert len(_calls(db)) == 50


def test_backup_refuses_to_overwrite(db, tmp_path):
    out = tmp_path / "b.duckdb"
    backup.backup(db, out)
    with pytest.raises(backup.BackupError, match="exists already"):
        backup.backup(db, out)


def test_backup_while_another_thread_writes_is_consistent(db, tmp_path):
    stop = threading.Event()

    def writer():
        i = 1000
        while not stop.is_set():
            with store.connect(db) as con:
                con.execute("BEGIN")
                con.execute("INSERT INTO calls (call_id) VALUES (?)", [f"w{i}"])
                con.execute("INSERT INTO utterances (call_id, idx, text) VALUES (?, 0, 'x')", [f"w{i}"])
                con.execute("COMMIT")
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    try:
        infos = [backup.backup(db, tmp_path / f"b{n}.duckdb") for n in range(3)]
    finally:
        stop.set()
        t.join()
    for info in infos:  # every call written by the writer came with its utterance: no half transaction
        with duckdb.connect(str(info.path), read_only=True) as con:
            assert con.execute("""SELECT count(*) FROM calls c ANTI JOIN utterances u USING (call_id)
                                  WHERE c.call_id LIKE 'w%'""").fetchone()[0] == 0


def test_cli_backup_and_restore(db, tmp_path):
    runner = CliRunner()
    out = tmp_path / "cli.duckdb"
    r = runner.invoke(cli, ["backup", "--db", str(db), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert str(out) in r.stdout
    with store.connect(db) as con:
        con.execute("DELETE FROM calls")
    r = runner.invoke(cli, ["restore", str(out), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert len(_calls(db)) == 50
    log = audit.entries(db)  # the backup's own entry was written after the copy: carried over on restore
    assert log["action"].to_list()[:2] == ["restore", "backup"] and "carried_from_seq" in log["detail"][1]
    assert audit.verify(db) == 3
    r = runner.invoke(cli, ["restore", str(tmp_path / "missing.duckdb"), "--db", str(db)])
    assert r.exit_code == 2 and "no such backup" in r.stderr and len(r.stderr.strip().splitlines()) == 1
