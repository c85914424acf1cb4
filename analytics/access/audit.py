"""The append-only audit log: who signed in, opened which call, played which audio,
exported what, changed which review.

Entries live in the ``audit_log`` table of the store.  This module only appends
and reads; nothing here updates or deletes a row.  Each entry carries the
SHA-256 of the one before it, so ``verify`` finds a row changed, removed or
inserted behind the log's back (a hash chain, as bank journals keep).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from analytics.storage import store
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
    "user_added": "добавлен пользователь",
    "user_removed": "удалён пользователь",
    "backup": "резервная копия",
    "restore": "восстановление",
    "denied": "отказ в доступе",
    "assignment_added": "назначено задание оператору",
    "assignment_acknowledged": "задание подтверждено оператором",
    "example_added": "добавлен пример в подборку",
    "example_removed": "удалён пример из подборки",
    "digest": "сводка разослана",
}
GENESIS = "0" * 64


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


def record(db: Path, user: str, role: str, action: str, target: str = "", detail: str | dict = "") -> Entry:
    """Append one entry; raises AuditError if it cannot be stored (the caller then refuses the action)."""
    if action not in ACTIONS:
        raise AuditError(f"unknown audit action {action!r}")
    if isinstance(detail, dict):
        detail = json.dumps(detail, ensure_ascii=False, sort_keys=True)
    for attempt in range(20):
        try:
            return _append(Path(db), user, role, action, str(target or ""), detail)
        except duckdb.CatalogException:
            store.init(Path(db))  # a database made before the audit log existed
        except (duckdb.TransactionException, duckdb.ConstraintException) as e:
            log.debug("audit append conflict (%s), retrying", e)
            time.sleep(0.01 * (attempt + 1))
        except (duckdb.Error, OSError) as e:
            raise AuditError(f"{db}: cannot write the audit log ({e})") from e
    raise AuditError(f"{db}: cannot write the audit log (too many concurrent writers)")


def _append(db: Path, user: str, role: str, action: str, target: str, detail: str) -> Entry:
    with store.connect(db) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            last = con.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
            at = dt.datetime.now().replace(microsecond=0)
            digest = _digest(prev, seq, at, user, role, action, target, detail)
            con.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [seq, at, user, role, action, target, detail, prev, digest])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    log.info("audit %s %s %s %s", user, action, target, detail)
    return Entry(seq, at, user, role, action, target, detail, prev, digest)


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


def verify(db: Path) -> int:
    """Check the whole hash chain; the number of entries, or AuditError naming the first bad one."""
    with store.connect(Path(db), read_only=True) as con:
        try:
            rows = con.execute("""SELECT seq, logged_at, user_name, role, action, target, detail, prev_hash, hash
                                  FROM audit_log ORDER BY seq""").fetchall()
        except duckdb.CatalogException:
            return 0
    prev = GENESIS
    for n, (seq, at, user, role, action, target, detail, prev_hash, digest) in enumerate(rows, start=1):
        if seq != n:
            raise AuditError(f"{db}: audit log entry {n} is missing (found {seq} in its place)")
        if prev_hash != prev or _digest(prev, seq, at, user, role, action, target, detail) != digest:
            raise AuditError(f"{db}: audit log entry {seq} was altered")
        prev = digest
    return len(rows)
