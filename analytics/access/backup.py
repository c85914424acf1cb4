"""Backup and restore of the database, one command each.

``backup`` copies the whole database inside one transaction (DuckDB's
``COPY FROM DATABASE`` into an attached file), so a copy taken while
``ingest`` or the dashboard is busy is still consistent: it waits for the
write lock, like any other writer.  Next to the copy goes a manifest with its
SHA-256 and the rows per table; ``restore`` refuses a copy that does not match
it or whose audit log's hash chain is broken, and keeps the database it replaces as ``<db>.before-restore-<time>``, so
nothing stored is lost by restoring the wrong file.  Audit entries written
after the backup are carried over into the restored log: a restore never
erases who did what.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.storage import store
from core import clock
from core.errors import OkaError

log = logging.getLogger(__name__)

SUFFIX = ".duckdb"
MANIFEST_SUFFIX = ".manifest.json"


class BackupError(OkaError):
    """A backup cannot be written, or a file given to restore is not a sound backup."""


@dataclass
class BackupInfo:
    path: Path
    sha256: str
    tables: dict[str, int]
    created_at: str

    def summary(self) -> str:
        return f"{self.path}: {sum(self.tables.values())} rows in {len(self.tables)} tables"


def default_path(db: Path) -> Path:
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    return Path(db).parent / "backups" / f"{Path(db).stem}-{stamp}{SUFFIX}"


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, int]:
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY 1", [catalog]).fetchall()]
    return {n: con.execute(f'SELECT count(*) FROM "{catalog}".main."{n}"').fetchone()[0] for n in names}


def backup(db: Path, out: Path | None = None) -> BackupInfo:
    """Write a consistent copy of ``db`` to ``out`` (default ``<db folder>/backups/<db>-<time>.duckdb``)."""
    db = Path(db)
    if not db.exists():
        raise BackupError(f"{db}: no database to back up")
    out = Path(out) if out else default_path(db)
    if out.exists():
        raise BackupError(f"{out}: exists already; give another --out")
    try:
        out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as e:
        raise BackupError(f"{out.parent}: cannot create the backup folder ({e})") from e
    tmp = out.with_name(out.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        with store.connect(db) as con:
            catalog = con.execute("SELECT current_database()").fetchone()[0]
            con.execute("ATTACH ? AS oka_backup", [str(tmp)])
            try:
                con.execute(f'COPY FROM DATABASE "{catalog}" TO oka_backup')
                tables = _tables(con, "oka_backup")
            finally:
                con.execute("DETACH oka_backup")
    except duckdb.Error as e:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"{out}: backup failed ({e})") from e
    Path(str(tmp) + ".wal").unlink(missing_ok=True)
    os.chmod(tmp, 0o600)            # a copy of everything: readable by this account only
    os.replace(tmp, out)
    info = BackupInfo(out, _sha256(out), tables, clock.now().isoformat())
    manifest = out.with_name(out.name + MANIFEST_SUFFIX)
    manifest.write_text(json.dumps({"source": str(db), "sha256": info.sha256, "tables": tables,
                                    "created_at": info.created_at}, ensure_ascii=False, indent=1),
                        encoding="utf-8")
    os.chmod(manifest, 0o600)
    log.info("backup of %s written to %s", db, out)
    return info


def check(path: Path) -> BackupInfo:
    """Check a backup against its manifest (if there is one) and open it; BackupError if unsound."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    manifest = path.with_name(path.name + MANIFEST_SUFFIX)
    digest = _sha256(path)
    expected = None
    if manifest.exists():
        try:
            expected = json.loads(manifest.read_text(encoding="utf-8"))
        except (ValueError, OSError) as e:
            raise BackupError(f"{manifest}: unreadable manifest ({e})") from e
        if expected.get("sha256") != digest:
            raise BackupError(f"{path}: the file does not match its manifest (damaged or changed)")
    try:
        con = duckdb.connect(":memory:")
        try:
            con.execute("ATTACH ? AS candidate (READ_ONLY)", [str(path)])
            tables = _tables(con, "candidate")
        finally:
            con.close()
    except duckdb.Error as e:
        raise BackupError(f"{path}: not a readable DuckDB database ({e})") from e
    if "calls" not in tables or "meta" not in tables:
        raise BackupError(f"{path}: not an oka-qa database (no calls or meta table)")
    from analytics.access import audit

    try:  # restoring a copy whose audit log was altered would rewrite who did what
        audit.verify(path, anchored=False)   # a copy's anchor is its database's
    except OkaError as e:
        raise BackupError(f"{path}: refused, its audit log does not verify ({e})") from e
    if expected and expected.get("tables") and expected["tables"] != tables:
        raise BackupError(f"{path}: row counts differ from its manifest")
    return BackupInfo(path, digest, tables, (expected or {}).get("created_at", ""))


def restore(backup_path: Path, db: Path) -> tuple[BackupInfo, Path | None]:
    """Replace ``db`` with a checked backup; returns the backup and where the old database was kept."""
    db = Path(db)
    info = check(backup_path)
    db.parent.mkdir(parents=True, exist_ok=True)
    tmp = db.with_name(db.name + ".restoring")
    shutil.copyfile(info.path, tmp)
    kept = None
    if db.exists():
        # wait for the write lock so no ingest is half-way, and fold its WAL into the file we keep
        with store.connect(db) as con:
            con.execute("CHECKPOINT")
        kept = db.with_name(f"{db.name}.before-restore-{clock.now():%Y%m%d-%H%M%S}")
        os.replace(db, kept)
    Path(str(db) + ".wal").unlink(missing_ok=True)
    os.replace(tmp, db)
    from analytics.access import audit

    audit.rebase(db)   # the anchor now describes the restored log; what only the replaced one had is carried below
    if kept is not None:
        _carry_audit(kept, db)
    log.info("restored %s from %s (previous database kept as %s)", db, info.path, kept)
    return info, kept


def _carry_audit(old_db: Path, db: Path) -> None:
    """Append to the restored audit log the entries only the replaced database had (those written
    after the backup was taken), so that restoring never erases who did what."""
    from analytics.access import audit

    try:
        with store.connect(old_db, read_only=True) as con:
            old = con.execute("""SELECT seq, logged_at, user_name, role, action, target, detail, hash
                                 FROM audit_log ORDER BY seq""").fetchall()
    except (duckdb.Error, OkaError) as e:
        log.warning("no audit log carried over from %s: %s", old_db, e)
        return
    with store.connect(db, read_only=True) as con:
        try:
            have = {r[0] for r in con.execute("SELECT hash FROM audit_log").fetchall()}
        except duckdb.CatalogException:
            have = set()
    for seq, at, user, role, action, target, detail, digest in old:
        if digest not in have:
            audit.record(db, user, role, action, target,
                         {"carried_from_seq": seq, "logged_at": at.isoformat(), "detail": detail})
