"""Start the Streamlit dashboard as a server (``oka-qa dashboard``, ``oka-qa demo``).

The database path goes to the app in the environment (``OKA_QA_DB``) and, for
anyone reading the process list, after ``--`` on its command line.  The server
runs headless, without usage statistics, bound to the address given.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import dashboards
from core.errors import OkaError
from dashboards.components.status import TEXT_COLOUR

log = logging.getLogger(__name__)

DB_ENV = "OKA_QA_DB"
# the roof knows the dashboard package; its server (an ``st.App``: the pages plus the app's own
# routes for sign-in cookies, recordings and downloads) is a file inside it
APP = Path(dashboards.__file__).resolve().parent / "server.py"


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
        "--theme.textColor", TEXT_COLOUR,        # dark enough that a grid's pinned (faded) columns read 4,5:1
        "--client.toolbarMode", "minimal",       # no English menu (Rerun, Settings, Print, ...)
        "--client.showErrorDetails", "none",
        "--client.disableDataExport", "true",
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
    server = subprocess.Popen(cmd, env=env)
    # Whoever stops us (Ctrl+C, a service manager's SIGTERM, a closed terminal) stops the server too:
    # without this, the streamlit process outlives the oka-qa one.
    forwarded = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            forwarded[sig] = signal.signal(sig, _raise_stop)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.send_signal(signal.SIGINT)
        return _stopped(server)
    except _Stop as stop:
        server.send_signal(stop.signum)
        _stopped(server)
        return 128 + stop.signum
    finally:
        for sig, handler in forwarded.items():
            signal.signal(sig, handler)
        if server.poll() is None:
            server.terminate()
            _stopped(server)


class _Stop(Exception):
    """Raised in the main thread by SIGTERM or SIGHUP, to stop the server."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stop(signum: int, _frame) -> None:
    raise _Stop(signum)


def _stopped(server: subprocess.Popen, grace_s: float = 10.0) -> int:
    """Wait for the server to exit; kill it if it takes longer than ``grace_s``."""
    try:
        return server.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        log.warning("the dashboard server did not stop in %.0f s; killing it", grace_s)
        server.kill()
        return server.wait()
