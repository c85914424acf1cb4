"""Commands for access and safety: ``users``, ``backup``, ``restore``, ``audit``.

Registered on the ``oka-qa`` group by ``cli/main.py``.  Each command is
logged in the audit log of the database it concerns (as the operating-system
user, role ``cli``) when that database exists.
"""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from core.errors import OkaError

EXIT_OK, EXIT_FAILED = 0, 2


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_FAILED)


def _audit(db: Path, action: str, target: str, detail: str | dict = "") -> None:
    from analytics.access import audit

    if Path(db).exists():
        audit.record(db, getpass.getuser(), "cli", action, target, detail)


# --- users ----------------------------------------------------------------------------------

@click.group("users")
def users_group() -> None:
    """Local accounts of the dashboard (users file with argon2 password hashes)."""


def _users_file(cfg, users_file: Path | None) -> Path:
    return Path(users_file or cfg.access.users_file)


@users_group.command("add")
@click.argument("name")
@click.option("--role", "role_id", required=True, type=click.Choice(["head", "auditor", "trainer", "operator"]),
              help="head: руководитель ОКА; auditor: аудитор; trainer: тренер (masked); operator: own calls, masked.")
@click.option("--operator-id", default=None, help="For --role operator: their operator_id in calls.csv.")
@click.option("--sso-email", default=None, help="The e-mail their single sign-on identity carries, if any.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@click.option("--replace", is_flag=True, help="Replace an existing account of that name (new password, role).")
@click.option("--users-file", type=click.Path(path_type=Path), default=None)
@click.option("--db", type=click.Path(path_type=Path), default=None, help="Database whose audit log records it.")
@click.pass_obj
def users_add(cfg, name, role_id, operator_id, sso_email, password_stdin, replace, users_file, db) -> None:
    """Add an account; the password is asked for (or read from stdin), never given as an argument."""
    from analytics.access.users import UsersFile

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    try:
        users = UsersFile(_users_file(cfg, users_file))
        user = users.add(name, role_id, password, operator_id, sso_email, replace=replace)
        _audit(Path(db or cfg.store.db), "user_added", name, {"role": role_id})
    except OkaError as e:
        _fail(str(e))
    click.echo(f"{user.name}: {role_id} saved in {users.path}", err=True)


@users_group.command("remove")
@click.argument("name")
@click.option("--users-file", type=click.Path(path_type=Path), default=None)
@click.option("--db", type=click.Path(path_type=Path), default=None, help="Database whose audit log records it.")
@click.pass_obj
def users_remove(cfg, name, users_file, db) -> None:
    """Remove an account."""
    from analytics.access.users import UsersFile

    try:
        users = UsersFile(_users_file(cfg, users_file))
        users.remove(name)
        _audit(Path(db or cfg.store.db), "user_removed", name)
    except OkaError as e:
        _fail(str(e))
    click.echo(f"{name}: removed from {users.path}", err=True)


@users_group.command("list")
@click.option("--users-file", type=click.Path(path_type=Path), default=None)
@click.pass_obj
def users_list(cfg, users_file) -> None:
    """The accounts: name, role, operator id, SSO e-mail (never the hashes)."""
    from analytics.access.policy import ROLES
    from analytics.access.users import UsersFile

    try:
        users = UsersFile(_users_file(cfg, users_file))
    except OkaError as e:
        _fail(str(e))
    for u in users.users.values():
        click.echo("\t".join([u.name, u.role, ROLES[u.role].title, u.operator_id or "-", u.sso_email or "-"]))


# --- backup and restore ---------------------------------------------------------------------

@click.command("backup")
@click.option("--db", type=click.Path(path_type=Path), default=None, help="DuckDB file (default var/oka.duckdb).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Backup file (default <db folder>/backups/<db>-<time>.duckdb).")
@click.pass_obj
def backup_cmd(cfg, db, out) -> None:
    """Write a consistent copy of the database (safe while ingest or the dashboard runs); prints its path."""
    from analytics.access.backup import backup

    db = Path(db or cfg.store.db)
    try:
        info = backup(db, out)
        _audit(db, "backup", str(info.path), {"sha256": info.sha256})
    except OkaError as e:
        _fail(str(e))
    click.echo(info.summary(), err=True)
    click.echo(str(info.path))


@click.command("restore")
@click.argument("backup_file", type=click.Path(path_type=Path))
@click.option("--db", type=click.Path(path_type=Path), default=None, help="DuckDB file (default var/oka.duckdb).")
@click.pass_obj
def restore_cmd(cfg, backup_file, db) -> None:
    """Replace the database with a checked backup; the replaced one is kept next to it."""
    from analytics.access.backup import restore

    db = Path(db or cfg.store.db)
    try:
        info, kept = restore(backup_file, db)
        _audit(db, "restore", str(info.path), {"sha256": info.sha256, "kept": str(kept) if kept else None})
    except OkaError as e:
        _fail(str(e))
    click.echo(f"{db}: restored from {info.path}" + (f"; the previous database is kept as {kept}" if kept else ""),
               err=True)


# --- audit ----------------------------------------------------------------------------------

@click.group("audit")
def audit_group() -> None:
    """Read and verify the append-only audit log."""


@audit_group.command("show")
@click.option("--db", type=click.Path(path_type=Path), default=None)
@click.option("--user", default=None)
@click.option("--action", default=None)
@click.option("--limit", type=int, default=50, show_default=True)
@click.pass_obj
def audit_show(cfg, db, user, action, limit) -> None:
    """The newest entries, one a line: seq, time, user, role, action, target, detail."""
    from analytics.access import audit

    try:
        df = audit.entries(Path(db or cfg.store.db), user=user, action=action, limit=limit)
    except OkaError as e:
        _fail(str(e))
    for row in df.iter_rows():
        click.echo("\t".join("" if v is None else str(v) for v in row))


@audit_group.command("verify")
@click.option("--db", type=click.Path(path_type=Path), default=None)
@click.pass_obj
def audit_verify(cfg, db) -> None:
    """Check the hash chain of the whole log; exit 2 naming the first entry altered or missing."""
    from analytics.access import audit

    try:
        n = audit.verify(Path(db or cfg.store.db))
    except OkaError as e:
        _fail(str(e))
    click.echo(f"audit log intact: {n} entries", err=True)


def demo_access(db: Path, recordings: Path) -> dict[str, tuple[str, str]]:
    """For ``oka-qa demo``: one account per role with a fresh random password, printed to stderr,
    in ``<db folder>/demo-users.json``; the dashboard is told to use it and the demo recordings folder."""
    import os

    from analytics.access.policy import ROLES
    from analytics.access.users import demo_accounts
    from analytics.queries.views import first_operator_id

    users_file = Path(db).parent / "demo-users.json"
    users_file.unlink(missing_ok=True)
    made = demo_accounts(users_file, first_operator_id(db))
    os.environ["OKA_QA_USERS"] = str(users_file.resolve())
    os.environ["OKA_QA_RECORDINGS"] = str(Path(recordings).resolve())
    click.echo("Демо-учётные записи (только на этом компьютере, пароли новые при каждом запуске):", err=True)
    for name, (role_id, password) in made.items():
        click.echo(f"  {name:9s} {password}   {ROLES[role_id].title}", err=True)
    return made


COMMANDS = (users_group, backup_cmd, restore_cmd, audit_group)
