"""Roles, local accounts and the data-layer masking (analytics/access/policy.py, analytics/access/users.py)."""
from __future__ import annotations

import json
import os
import stat

import polars as pl
import pytest
from click.testing import CliRunner

from analytics.access.policy import ROLES, AccessError, Viewer, audio_file, redact_frame, redact_text
from analytics.access.users import UsersError, UsersFile, demo_accounts
from cli.main import cli

PHONE = "87012345678"
CALLS = pl.DataFrame({
    "call_id": ["c1", "c2"],
    "operator_id": ["op1", "op2"],
    "operator_name": ["Айгуль Сапарова", "Ерлан Ахметов"],
    "text": [f"Айгуль, слушаю. Меня зовут Асель, телефон {PHONE}", "лицевой счёт один два три четыре пять шесть семь"],
    "evidence": ["Девушка, подождите", "иин 850312401234"],
    "account": ["1234567", "7654321"],
    "contact": [PHONE, "87470001122"],
    "score": [90.0, 70.0],
})


def viewer(role_id, operator_id=None):
    return Viewer("u", ROLES[role_id], operator_id)


@pytest.mark.parametrize("role_id,sees_pd,rows", [
    ("head", True, 2), ("auditor", True, 2), ("trainer", False, 2), ("operator", False, 1),
])
def test_each_roles_view_of_a_table(role_id, sees_pd, rows):
    df = redact_frame(viewer(role_id, "op1"), CALLS)
    assert df.height == rows
    dump = json.dumps(df.to_dicts(), ensure_ascii=False, default=str)
    for secret in (PHONE, "1234567", "850312401234", "Асель"):
        assert (secret in dump) is sees_pd, (role_id, secret)
    assert "Айгуль" in dump  # operators' own names stay: a trainer coaches them by name
    if role_id == "operator":
        assert df["call_id"].to_list() == ["c1"]


def test_operator_without_operator_id_sees_nothing_and_tables_without_it_are_refused():
    assert redact_frame(viewer("operator"), CALLS).height == 0
    with pytest.raises(AccessError):
        redact_frame(viewer("operator", "op1"), CALLS.drop("operator_id"))


def test_redact_text_per_role():
    text = f"мой телефон {PHONE}"
    assert redact_text(viewer("head"), text) == text
    assert PHONE not in redact_text(viewer("trainer"), text)
    assert redact_text(viewer("trainer"), None) is None


@pytest.mark.parametrize("permission,allowed", [
    ("can_review", {"head", "auditor"}),
    ("reads_audit", {"head", "auditor"}),
    ("plays_audio", {"head", "auditor"}),
    ("manages_users", {"head"}),
])
def test_permissions(permission, allowed):
    for role_id in ROLES:
        v = viewer(role_id)
        if role_id in allowed:
            v.require(permission)
        else:
            with pytest.raises(AccessError):
                v.require(permission)


# --- audio only from the recordings folder --------------------------------------------------

@pytest.fixture
def recordings(tmp_path):
    root = tmp_path / "rec"
    (root / "2025").mkdir(parents=True)
    (root / "2025" / "a.wav").write_bytes(b"RIFF")
    (tmp_path / "secret.txt").write_text("x")
    os.symlink(tmp_path / "secret.txt", root / "link.wav")
    return root


@pytest.mark.parametrize("stored,ok", [
    ("2025/a.wav", True),
    ("../secret.txt", False),
    ("2025/../../secret.txt", False),
    ("/etc/passwd", False),
    ("link.wav", False),           # a symbolic link out of the folder
    ("2025", False),               # a folder, not a file
    ("missing.wav", False),
    ("", False),
    (None, False),
])
def test_audio_file_stays_inside_the_recordings_folder(recordings, stored, ok):
    if ok:
        assert audio_file(recordings, stored) == (recordings / stored).resolve()
    else:
        with pytest.raises(AccessError):
            audio_file(recordings, stored)


def test_absolute_path_inside_the_folder_is_fine(recordings):
    assert audio_file(recordings, str(recordings / "2025" / "a.wav")).name == "a.wav"


# --- accounts -------------------------------------------------------------------------------

def test_users_file_hashes_and_verifies(tmp_path):
    path = tmp_path / "users.json"
    users = UsersFile(path)
    users.add("anna", "head", "correct horse")
    raw = path.read_text()
    assert "correct horse" not in raw and "$argon2id$" in raw
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = UsersFile(path)
    assert again.verify("anna", "correct horse").role == "head"
    assert again.verify("anna", "wrong password") is None
    assert again.verify("nobody", "correct horse") is None
    # the same password gives another hash: salted
    users.add("boris", "trainer", "correct horse")
    assert users.users["anna"].hash != users.users["boris"].hash


@pytest.mark.parametrize("name,role_id,password,operator_id,message", [
    ("anna", "head", "short", None, "at least"),
    ("an na", "head", "long enough", None, "user name"),
    ("anna", "boss", "long enough", None, "unknown role"),
    ("olga", "operator", "long enough", None, "operator-id"),
])
def test_users_add_refuses(tmp_path, name, role_id, password, operator_id, message):
    with pytest.raises((UsersError, AccessError), match=message):
        UsersFile(tmp_path / "u.json").add(name, role_id, password, operator_id)


def test_duplicate_and_remove(tmp_path):
    users = UsersFile(tmp_path / "u.json")
    users.add("anna", "head", "long enough")
    with pytest.raises(UsersError, match="exists"):
        users.add("anna", "trainer", "long enough")
    users.remove("anna")
    assert UsersFile(tmp_path / "u.json").users == {}
    with pytest.raises(UsersError):
        users.remove("anna")


def test_broken_users_file_is_one_clear_error(tmp_path):
    path = tmp_path / "u.json"
    path.write_text("{not json")
    with pytest.raises(UsersError, match=str(path)):
        UsersFile(path)


def test_sso_email_maps_to_an_account(tmp_path):
    users = UsersFile(tmp_path / "u.json")
    users.add("anna", "auditor", "long enough", sso_email="Anna@ATS.kz")
    assert users.by_sso_email("anna@ats.kz").name == "anna"
    assert users.by_sso_email("eve@ats.kz") is None and users.by_sso_email(None) is None


def test_demo_accounts_have_random_passwords(tmp_path):
    a = demo_accounts(tmp_path / "u.json", operator_id="op1")
    b = demo_accounts(tmp_path / "u2.json", operator_id="op1")
    assert set(a) == {"head", "auditor", "trainer", "operator"}
    assert a["head"][1] != b["head"][1]
    users = UsersFile(tmp_path / "u.json")
    assert users.verify("trainer", a["trainer"][1]).viewer().role.sees_pd is False
    assert users.users["operator"].operator_id == "op1"


def test_cli_users_add_list_remove(tmp_path):
    runner = CliRunner()
    path = tmp_path / "u.json"
    db = tmp_path / "none.duckdb"
    r = runner.invoke(cli, ["users", "add", "anna", "--role", "trainer", "--users-file", str(path), "--db", str(db)],
                      input="long enough\nlong enough\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["users", "add", "olga", "--role", "operator", "--operator-id", "op7",
                            "--password-stdin", "--users-file", str(path), "--db", str(db)], input="another one\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["users", "list", "--users-file", str(path)])
    assert "anna\ttrainer\tтренер" in r.stdout and "olga\toperator" in r.stdout and "argon2" not in r.stdout
    r = runner.invoke(cli, ["users", "add", "ivan", "--role", "head", "--password-stdin", "--users-file", str(path),
                            "--db", str(db)], input="short\n")
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "at least" in r.stderr
    r = runner.invoke(cli, ["users", "remove", "anna", "--users-file", str(path), "--db", str(db)])
    assert r.exit_code == 0 and "anna" not in UsersFile(path).users


def test_demo_access_prints_fresh_accounts_and_points_the_dashboard_at_them(tmp_path, monkeypatch, capsys):
    from analytics.storage import store
    from cli.access import demo_access

    db = tmp_path / "demo.duckdb"
    store.init(db)
    with store.connect(db) as con:
        con.execute("INSERT INTO calls (call_id, operator_id) VALUES ('c1', 'op7'), ('c2', 'op3')")
    monkeypatch.setenv("OKA_QA_USERS", "")       # so that monkeypatch puts them back as they were
    monkeypatch.setenv("OKA_QA_RECORDINGS", "")
    made = demo_access(db, tmp_path / "rec")
    printed = capsys.readouterr().err
    users = UsersFile(tmp_path / "demo-users.json")
    for name, (role_id, password) in made.items():
        assert password in printed and users.verify(name, password).role == role_id
    assert users.users["operator"].operator_id == "op3"
    assert os.environ["OKA_QA_USERS"] == str((tmp_path / "demo-users.json").resolve())
    assert os.environ["OKA_QA_RECORDINGS"] == str((tmp_path / "rec").resolve())
    again = demo_access(db, tmp_path / "rec")
    assert again["head"][1] != made["head"][1]


def test_ingest_remembers_where_the_recordings_are(tmp_path):
    from analytics.access.policy import remember_recordings, remembered_recordings
    from analytics.storage import store

    db = tmp_path / "oka.duckdb"
    assert remembered_recordings(db) is None
    store.init(db)
    assert remembered_recordings(db) is None
    remember_recordings(db, tmp_path / "data")
    assert remembered_recordings(db) == (tmp_path / "data").resolve()


def test_a_text_column_nobody_listed_is_masked_too():
    df = pl.DataFrame({"call_id": ["c1"], "operator_id": ["op1"], "new_column": [f"звоните {PHONE}"],
                       "said": [[f"телефон {PHONE}"]], "score": [1.0]})
    out = redact_frame(viewer("trainer"), df)
    assert PHONE not in json.dumps(out.to_dicts(), ensure_ascii=False)
    assert out["call_id"].to_list() == ["c1"] and out["score"].to_list() == [1.0]
