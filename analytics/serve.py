"""Start the Streamlit dashboard as a server (``oka-qa dashboard``, ``oka-qa demo``).

The database path goes to the app in the environment (``OKA_QA_DB``) and, for
anyone reading the process list, after ``--`` on its command line.  The server
runs headless, without usage statistics, bound to the address given.
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from transcription.schema import OkaError

log = logging.getLogger(__name__)

DB_ENV = "OKA_QA_DB"
APP = Path(__file__).resolve().parent.parent / "dashboards" / "app.py"


class ServeError(OkaError):
    """The dashboard cannot start (no database, no app)."""


def streamlit_command(db_path: Path, port: int, address: str) -> list[str]:
    """The command line that serves the dashboard on ``address:port`` for ``db_path``."""
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.port", str(int(port)),
        "--server.address", address,
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
        "--theme.base", "light",
        "--client.toolbarMode", "viewer",
        "--", "--db", str(db_path),
    ]


def serve_dashboard(db_path: Path, port: int, address: str = "127.0.0.1") -> int:
    """Run the dashboard server until it stops (Ctrl+C); returns its exit code."""
    db_path = Path(db_path).resolve()
    if not db_path.exists():
        raise ServeError(f"{db_path}: no database here; run `oka-qa ingest DIR --db {db_path}` first")
    if not APP.exists():
        raise ServeError(f"{APP}: the dashboard app is missing from this installation")
    env = {**os.environ, DB_ENV: str(db_path)}
    cmd = streamlit_command(db_path, port, address)
    log.info("serving the dashboard for %s on http://%s:%s", db_path, address, port)
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 0
