"""Which release of a module made what the store holds: the module's fingerprint kept in ``meta``.

What the store derives by itself — the findings of clause 15.13 (``analytics/ingest/overlap.py``), the links of
records to calls (``analytics/ingest/linking.py``), the classes of request reasons (``analytics/ingest/reasons.py``,
the lexicon's version) — is redone at the next ingest when what derives it changed: each keeps its fingerprint
under its own key when it writes, and compares it before.
"""
from __future__ import annotations

import hashlib
from pathlib import Path


def fingerprint(module_file: str) -> str:
    """The fingerprint of a module's release: its source's hash."""
    return hashlib.sha256(Path(module_file).read_bytes()).hexdigest()[:16]


def made_by(con, key: str, code: str) -> bool:
    """True when what ``key`` stands for was last made by the release ``code`` (False: never, or by another)."""
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row is not None and row[0] == code


def mark(con, key: str, code: str) -> None:
    """Note, in the writer's transaction, that the release ``code`` made what ``key`` stands for."""
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, code])
