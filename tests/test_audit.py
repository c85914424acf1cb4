"""The append-only audit log (analytics/access/audit.py)."""
from __future__ import annotations

import threading

import duckdb
import pytest

from analytics.access import audit
from analytics.storage import store


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "oka.duckdb"
    store.init(path)
    return path


@pytest.mark.parametrize("action,target,detail", [
    ("sign_in", "", ""),
    ("open_call", "2025-03-04_0012", ""),
    ("play_audio", "2025-03-04_0012", {"at": 12.0}),
    ("export", "calls.xlsx", {"rows": 40, "page": "Звонки"}),
    ("review", "2025-03-04_0012#3", {"verdict": "rejected"}),
])
def test_record_and_read_back(db, action, target, detail):
    e = audit.record(db, "anna", "head", action, target, detail)
    df = audit.entries(db)
    assert df.height == 1
    row = df.row(0, named=True)
    assert (row["user_name"], row["role"], row["action"], row["target"]) == ("anna", "head", action, target)
    assert e.seq == 1 and e.prev_hash == audit.GENESIS
    if isinstance(detail, dict):
        assert all(str(v) in row["detail"] for v in detail.values())


def test_unknown_action_is_refused(db):
    with pytest.raises(audit.AuditError):
        audit.record(db, "anna", "head", "delete_everything")


def test_filters_and_order(db):
    for user, action in [("anna", "sign_in"), ("boris", "sign_in"), ("anna", "open_call")]:
        audit.record(db, user, "head", action, "x")
    assert audit.entries(db, user="anna")["action"].to_list() == ["open_call", "sign_in"]
    assert audit.entries(db, action="sign_in").height == 2
    assert audit.verify(db) == 3


@pytest.mark.parametrize("tamper,message", [
    ("UPDATE audit_log SET target = 'other' WHERE seq = 2", "entry 2 was altered"),
    ("DELETE FROM audit_log WHERE seq = 2", "entry 2 is missing"),
    ("UPDATE audit_log SET user_name = 'eve' WHERE seq = 1", "entry 1 was altered"),
])
def test_verify_finds_tampering(db, tamper, message):
    for i in range(3):
        audit.record(db, "anna", "head", "open_call", f"c{i}")
    assert audit.verify(db) == 3
    with duckdb.connect(str(db)) as con:
        con.execute(tamper)
    with pytest.raises(audit.AuditError, match=message):
        audit.verify(db)


def test_concurrent_writers_from_threads_keep_one_chain(db):
    errors = []

    def work(n):
        try:
            for i in range(5):
                audit.record(db, f"user{n}", "trainer", "open_call", f"call{i}")
        except Exception as e:  # noqa: BLE001 - collected for the assertion
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert audit.verify(db) == 20


def test_old_database_without_the_table_gets_it(tmp_path):
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE calls (call_id VARCHAR)")
    assert audit.entries(path).height == 0
    audit.record(path, "anna", "head", "sign_in")
    assert audit.verify(path) == 1


def test_cli_audit_show_and_verify(db):
    from click.testing import CliRunner

    from cli.main import cli

    audit.record(db, "anna", "head", "open_call", "c1")
    audit.record(db, "boris", "trainer", "export", "calls.csv", {"rows": 3})
    runner = CliRunner()
    r = runner.invoke(cli, ["audit", "show", "--db", str(db), "--user", "boris"])
    assert r.exit_code == 0 and r.stdout.count("\n") == 1 and "\tboris\ttrainer\texport\tcalls.csv\t" in r.stdout
    r = runner.invoke(cli, ["audit", "verify", "--db", str(db)])
    assert r.exit_code == 0 and "2 entries" in r.stderr
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE audit_log SET user_name = 'eve' WHERE seq = 2")
    r = runner.invoke(cli, ["audit", "verify", "--db", str(db)])
    assert r.exit_code == 2 and "entry 2 was altered" in r.stderr and r.stderr.count("\n") == 1


def _rewrite_with_recomputed_hashes(con) -> None:
    """What someone with the database but not its anchor could do: change an entry and re-chain the rest."""
    rows = con.execute("""SELECT seq, logged_at, user_name, role, action, target, detail FROM audit_log
                          ORDER BY seq""").fetchall()
    prev = audit.GENESIS
    for seq, at, user, role, action, target, detail in rows:
        if seq == 2:
            user = "someone_else"
        digest = audit._digest(prev, seq, at, user, role, action, target, detail)
        con.execute("UPDATE audit_log SET user_name = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                    [user, prev, digest, seq])
        prev = digest


@pytest.mark.parametrize("tamper, message", [
    ("DELETE FROM audit_log WHERE seq >= 3", "entries 3–4 are missing"),              # a cut tail
    ("DROP TABLE audit_log", "the audit log table is gone"),                           # a dropped table
    (_rewrite_with_recomputed_hashes, "entry 2 was rewritten"),                        # a consistent rewrite
])
def test_the_anchor_catches_what_the_chain_alone_cannot(db, tamper, message):
    """Issue 17 item 4: each of these left a chain that verified."""
    for i in range(4):
        audit.record(db, "anna", "head", "open_call", f"c{i}")
    with duckdb.connect(str(db)) as con:
        con.execute(tamper) if isinstance(tamper, str) else tamper(con)
    with pytest.raises(audit.AuditError, match=message):
        audit.verify(db)


def test_removing_the_anchor_is_noticed_and_stops_the_log(db):
    audit.record(db, "anna", "head", "sign_in")
    audit.anchor_path(db).unlink()
    with pytest.raises(audit.AuditError, match=r"anchor .* is missing"):
        audit.verify(db)
    with pytest.raises(audit.AuditError, match="anchor is missing"):
        audit.record(db, "anna", "head", "open_call", "c1")     # not healed silently by the next entry


def test_stored_fields_are_bounded_one_line(db):
    """Issue 17 item 10: unauthenticated input is stored bounded, without line breaks."""
    audit.record(db, "x" * 10_000, "head", "sign_in_failed", "y\r\n" * 10_000, {"note": "z" * 10_000})
    row = audit.entries(db).row(0, named=True)
    assert len(row["user_name"]) <= audit.MAX_FIELD["user"] and len(row["target"]) <= audit.MAX_FIELD["target"]
    assert len(row["detail"]) <= audit.MAX_FIELD["detail"] and "\n" not in row["target"]
    assert audit.verify(db) == 1


def test_the_anchor_is_private(db):
    import stat

    audit.record(db, "anna", "head", "sign_in")
    assert stat.S_IMODE(audit.anchor_path(db).stat().st_mode) == 0o600
