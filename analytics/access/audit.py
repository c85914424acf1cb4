"""The append-only audit log: who signed in, opened which call, played which audio,
exported what, changed which review.

Entries live in the ``audit_log`` table of the store.  This module only appends
and reads; nothing here updates or deletes a row.  Each entry carries the
SHA-256 of the one before it, so ``verify`` finds a row changed, removed or
inserted behind the log's back (a hash chain, as bank journals keep).

A chain alone does not catch a cut tail, a dropped table, or a log rewritten
with its hashes recomputed: every entry's number and hash also go, as one line,
into an append-only file next to the database (``anchor_path``: ``<db>.audit-chain``,
mode 0600), and ``verify`` checks the table against it.  A restore re-bases the
anchor on the restored log (``rebase``).

What is stored is bounded and one line per field (``MAX_FIELD``): the log never
holds a page of text an outsider typed.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from analytics.storage import store
from core import clock
from core.errors import OkaError

log = logging.getLogger(__name__)

# What is logged; the Russian words are for the dashboard's audit page.
ACTIONS: dict[str, str] = {
    "sign_in": "вход",
    "sign_in_failed": "неудачный вход",
    "sign_out": "выход",
    "open_call": "открыт звонок",
    "play_audio": "прослушана запись",
    "export": "выгрузка",
    "review": "проверка находки",
    "review_cleared": "отмена проверки",
    "discrepancy_review": "проверка расхождения записи",
    "form": "оценочная форма",
    "violation_added": "добавлено пропущенное нарушение",
    "violation_retracted": "отозвано добавленное нарушение",
    "dispute": "оспаривание находки",
    "dispute_resolved": "решение по оспариванию",
    "calibration_opened": "открыта калибровка",
    "calibration_answer": "ответ на калибровке",
    "calibration_closed": "закрыта калибровка",
    "sample_drawn": "сделана выборка",
    "user_added": "добавлен пользователь",
    "user_removed": "удалён пользователь",
    "backup": "резервная копия",
    "restore": "восстановление",
    "denied": "отказ в доступе",
    "file_missing": "файл не найден (удалён или перемещён после открытия страницы)",
    "assignment_added": "назначено задание оператору",
    "assignment_acknowledged": "задание подтверждено оператором",
    "example_added": "добавлен пример в подборку",
    "example_removed": "удалён пример из подборки",
    "digest": "сводка разослана",
    "sign_in_throttled": "вход отложен (много неудачных попыток)",
    "session_expired": "сеанс завершён по бездействию",
}
GENESIS = "0" * 64
ANCHOR_SUFFIX = ".audit-chain"
# the longest value stored per field; longer input is cut and marked
MAX_FIELD = {"user": 64, "role": 16, "target": 200, "detail": 2000}
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_write_lock = threading.Lock()   # one appender at a time in this process; flock on the anchor across processes


class AuditError(OkaError):
    """The audit log cannot be written, or its hash chain is broken."""


@dataclass(frozen=True)
class Entry:
    seq: int
    logged_at: dt.datetime
    user_name: str
    role: str
    action: str
    target: str
    detail: str
    prev_hash: str
    hash: str


def _digest(prev: str, seq: int, at: dt.datetime, user: str, role: str, action: str, target: str,
            detail: str) -> str:
    body = json.dumps([prev, seq, at.isoformat(), user, role, action, target, detail], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def anchor_path(db: Path) -> Path:
    """The append-only file of (entry number, hash) lines that ``verify`` checks the table against."""
    db = Path(db)
    return db.with_name(db.name + ANCHOR_SUFFIX)


def bounded(value: object, field: str) -> str:
    """``value`` as one line of at most ``MAX_FIELD[field]`` characters (control characters as spaces)."""
    text = _CONTROL.sub(" ", str(value if value is not None else ""))
    limit = MAX_FIELD[field]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record(db: Path, user: str, role: str, action: str, target: str = "", detail: str | dict = "") -> Entry:
    """Append one entry; raises AuditError if it cannot be stored (the caller then refuses the action)."""
    if action not in ACTIONS:
        raise AuditError(f"unknown audit action {action!r}")
    if isinstance(detail, dict):
        detail = json.dumps(detail, ensure_ascii=False, sort_keys=True)
    user, role = bounded(user, "user"), bounded(role, "role")
    target, detail = bounded(target or "", "target"), bounded(detail, "detail")
    for attempt in range(20):
        try:
            return _append(Path(db), user, role, action, target, detail)
        except duckdb.CatalogException:
            store.init(Path(db))  # a database made before the audit log existed
        except (duckdb.TransactionException, duckdb.ConstraintException) as e:
            log.debug("audit append conflict (%s), retrying", e)
            time.sleep(0.01 * (attempt + 1))
        except (duckdb.Error, OSError) as e:
            raise AuditError(f"{db}: cannot write the audit log ({e})") from e
    raise AuditError(f"{db}: cannot write the audit log (too many concurrent writers)")


class _AnchorLock:
    """This process's lock and an exclusive ``flock`` on the anchor file: one appender at a time."""

    def __init__(self, db: Path) -> None:
        self.path = anchor_path(db)

    def __enter__(self):
        _write_lock.acquire()
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as e:
            _write_lock.release()
            raise AuditError(f"{self.path}: cannot open the audit log's anchor ({e})") from e
        self.fd = fd
        return self

    def write(self, lines: list[str]) -> None:
        os.write(self.fd, "".join(f"{line}\n" for line in lines).encode("ascii"))
        os.fsync(self.fd)

    def __exit__(self, *exc) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
        finally:
            _write_lock.release()


def _append(db: Path, user: str, role: str, action: str, target: str, detail: str) -> Entry:
    with _AnchorLock(db) as anchor, store.connect(db) as con:
        if os.fstat(anchor.fd).st_size == 0:
            _adopt(db, con, anchor)
        con.execute("BEGIN TRANSACTION")
        try:
            last = con.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
            at = clock.now()
            digest = _digest(prev, seq, at, user, role, action, target, detail)
            con.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [seq, at, user, role, action, target, detail, prev, digest])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        try:
            anchor.write([f"{seq} {digest}"])
        except OSError as e:
            raise AuditError(f"{anchor.path}: cannot write the audit log's anchor ({e})") from e
    log.info("audit %s %s %s %s", user, action, target, detail)
    return Entry(seq, at, user, role, action, target, detail, prev, digest)


def _adopt(db: Path, con, anchor: _AnchorLock) -> None:
    """Start the anchor of a log kept before anchors existed; refuse if this log had one and it is gone
    (the file removed to hide a cut: the head must look, ``oka-qa audit verify``)."""
    mark = con.execute("SELECT value FROM meta WHERE key = 'audit_anchored'").fetchone()
    if mark:
        raise AuditError(f"{anchor.path}: the audit log's anchor is missing; run `oka-qa audit verify --db {db}`")
    anchor.write([f"{seq} {digest}" for seq, digest in
                  con.execute("SELECT seq, hash FROM audit_log ORDER BY seq").fetchall()])
    con.execute("INSERT OR REPLACE INTO meta VALUES ('audit_anchored', '1')")


def rebase(db: Path) -> int:
    """After a restore: anchor the log as the restored database holds it (``rebase N`` then its lines)."""
    with _AnchorLock(db) as anchor, store.connect(Path(db), read_only=True) as con:
        try:
            rows = con.execute("SELECT seq, hash FROM audit_log ORDER BY seq").fetchall()
        except duckdb.CatalogException:
            rows = []
        anchor.write([f"rebase {len(rows)}", *(f"{seq} {digest}" for seq, digest in rows)])
    with store.connect(Path(db)) as con:
        con.execute("INSERT OR REPLACE INTO meta VALUES ('audit_anchored', '1')")
    return len(rows)


def _anchored(db: Path) -> dict[int, str] | None:
    """{entry number: hash} as the anchor file has them (a later line wins), or None without a file."""
    path = anchor_path(db)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        raise AuditError(f"{path}: the audit log's anchor cannot be read ({e})") from e
    out: dict[int, str] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if len(parts) == 2 and parts[0] == "rebase" and parts[1].isdigit():
            out = {k: v for k, v in out.items() if k <= int(parts[1])}
        elif len(parts) == 2 and parts[0].isdigit() and len(parts[1]) == 64:
            out[int(parts[0])] = parts[1]
        else:
            raise AuditError(f"{path}: line {n} of the audit log's anchor is damaged")
    return out


def entries(db: Path, date_from: dt.date | None = None, date_to: dt.date | None = None,
            user: str | None = None, action: str | None = None, limit: int = 5000) -> pl.DataFrame:
    """The newest entries first: seq, logged_at, user_name, role, action, target, detail."""
    with store.connect(Path(db), read_only=True) as con:
        try:
            return con.sql("""
                SELECT seq, logged_at, user_name, role, action, target, detail FROM audit_log
                WHERE logged_at >= ?::DATE AND logged_at < ?::DATE + INTERVAL 1 DAY
                  AND (? IS NULL OR user_name = ?) AND (? IS NULL OR action = ?)
                ORDER BY seq DESC LIMIT ?""",
                params=[date_from or dt.date(1900, 1, 1), date_to or dt.date(2999, 12, 31),
                        user, user, action, action, limit]).pl()
        except duckdb.CatalogException:
            return pl.DataFrame(schema={"seq": pl.Int64, "logged_at": pl.Datetime, "user_name": pl.String,
                                        "role": pl.String, "action": pl.String, "target": pl.String,
                                        "detail": pl.String})


def verify(db: Path, anchored: bool = True) -> int:
    """Check the whole hash chain and, with ``anchored``, the anchor file beside the database;
    the number of entries, or AuditError naming the first bad one.

    ``anchored=False`` checks the chain alone (a backup copy, whose anchor is its database's).
    """
    expected = _anchored(db) if anchored else None
    with store.connect(Path(db), read_only=True) as con:
        try:
            rows = con.execute("""SELECT seq, logged_at, user_name, role, action, target, detail, prev_hash, hash
                                  FROM audit_log ORDER BY seq""").fetchall()
        except duckdb.CatalogException:
            rows = None
    if rows is None:
        if expected:
            raise AuditError(f"{db}: the audit log table is gone ({len(expected)} entries are anchored "
                             f"in {anchor_path(db).name})")
        return 0
    _check_chain(db, rows)
    if expected is None:
        if rows and anchored:
            raise AuditError(f"{db}: the audit log's anchor {anchor_path(db).name} is missing; "
                             f"the log cannot be shown to be complete")
        return len(rows)
    last = max(expected, default=0)
    if len(rows) < last:
        raise AuditError(f"{db}: audit log entries {len(rows) + 1}–{last} are missing (cut from the end)")
    for seq, *_, digest in rows:
        if seq not in expected:
            raise AuditError(f"{db}: audit log entry {seq} is not in its anchor (added behind the log's back)")
        if expected[seq] != digest:
            raise AuditError(f"{db}: audit log entry {seq} was rewritten (its hash differs from the anchor)")
    return len(rows)


def _check_chain(db: Path, rows: list[tuple]) -> None:
    prev = GENESIS
    for n, (seq, at, user, role, action, target, detail, prev_hash, digest) in enumerate(rows, start=1):
        if seq != n:
            raise AuditError(f"{db}: audit log entry {n} is missing (found {seq} in its place)")
        if prev_hash != prev or _digest(prev, seq, at, user, role, action, target, detail) != digest:
            raise AuditError(f"{db}: audit log entry {seq} was altered")
        prev = digest
