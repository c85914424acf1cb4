"""Issue 17 item 9: everything oka-qa writes is readable by its own account only (0600 files, 0700 folders).

The database, its audit anchor, backups, reports, transcripts and the users file were created 0644:
readable by every local account.  Run as a real process under the usual umask 022.
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from folder_builder import Folder

OKA_QA = [sys.executable, "-m", "cli.main"]


def _run(*args: str, stdin: str = "") -> None:
    subprocess.run([*OKA_QA, *args], input=stdin, text=True, capture_output=True, check=False,
                   preexec_fn=lambda: os.umask(0o022), timeout=300)


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_everything_written_is_private(tmp_path):
    folder = Folder(tmp_path / "data")
    folder.call("c1", "2025-03-04T10:00:00")
    folder.request("Q1", "2025-03-04T10:05:00", call_id="c1")
    folder.write()
    db = tmp_path / "var" / "oka.duckdb"
    _run("ingest", str(folder.root), "--db", str(db))
    _run("users", "add", "anna", "--role", "head", "--password-stdin", "--users-file", str(tmp_path / "var" / "u.json"),
         "--db", str(db), stdin="correct horse battery\n")
    _run("backup", "--db", str(db))
    _run("report", "--from", "2025-01-01", "--to", "2025-06-30", "--db", str(db), "--no-pdf",
         "--out", str(tmp_path / "reports" / "spravka"))
    written = [p for p in tmp_path.rglob("*") if "data" not in p.relative_to(tmp_path).parts]
    files = [p for p in written if p.is_file()]
    assert {p.suffix for p in files} >= {".duckdb", ".json", ".docx", ".xlsx", ".audit-chain"}
    assert {p.name: oct(_mode(p)) for p in files if _mode(p) & 0o077} == {}
    assert {p.name: oct(_mode(p)) for p in written if p.is_dir() and _mode(p) & 0o077} == {}
