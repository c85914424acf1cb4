"""What every browser test shares: Debian's chromium, the dashboard served on a free port, and a wait
for Streamlit to finish the run an action started.

The browser itself is one Chromium per test session, the ``browser`` fixture of ``tests/conftest.py``;
the server is started per module by ``served_dashboard`` (each module has its own database).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def need_chromium() -> None:
    """Skip the calling test (or fixture) where the browser the tests drive is not installed."""
    import pytest

    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (scripts/dev.sh test installs it: apt-get install chromium)")
SHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
OKA_QA = [sys.executable, "-m", "cli.main"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]

# Streamlit's page is settled when its script is not running (the app root's ``data-test-script-state``: the
# browser sets it to «rerunRequested» the moment a widget asks for a run, the server to «running», then
# «notRunning»), no element is left over from the run before (``data-stale="true"``, drawn faded until the new
# run replaces or drops it) and no run is shown (the status widget).
_SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-stale="true"]')
        && !document.querySelector('[data-testid="stStatusWidget"]');
}"""


@contextlib.contextmanager
def served_dashboard(db: Path, users_file: Path, **env: str) -> Iterator[str]:
    """``oka-qa dashboard`` on a free port with ``users_file`` as its accounts (and ``env`` added to its
    environment); yields its URL and stops it afterwards.  Its output goes to a log file beside the database,
    so a chatty server can never block on a full pipe."""
    port = _free_port()
    log = Path(db).with_suffix(".server.log")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "OKA_QA_USERS": str(users_file), **env}
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([*OKA_QA, "dashboard", "--db", str(db), "--port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=out, text=True, env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, proc, log=log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)      # oka-qa gives streamlit 10 s to stop, then kills it
            except subprocess.TimeoutExpired:
                proc.kill()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float = 120, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            said = log.read_text(encoding="utf-8", errors="replace") if log else proc.stderr.read()
            raise RuntimeError(f"the dashboard exited with {proc.returncode}: {said}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer in {timeout_s} s")


def settle(pg, quiet_ms: int = 400, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has finished the run the last action started: no run shown and nothing stale,
    and still so ``quiet_ms`` later (a rerun the run itself asked for, ``st.rerun()``, starts in between).

    Waiting on the page's state, not on a fixed sleep: on a loaded machine a run can take seconds to start.
    Callers that know what the run must show wait for that too (a heading, a message, a changed card)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        pg.wait_for_function(_SETTLED, timeout=max(1, int((deadline - time.monotonic()) * 1000)))
        pg.wait_for_timeout(quiet_ms)
        if pg.evaluate(_SETTLED):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"the page did not settle in {timeout_ms} ms")


def fetch(request, url: str):
    """``request.get(url)`` (a Playwright ``APIRequestContext``), asked once more when the connection was reset
    before any answer.  The server (uvicorn) closes a connection idle for 5 s; a request sent on it at that
    moment finds it closed (``ECONNRESET``, "socket hang up").  Chromium sends such a request again by itself,
    Playwright's request context does not: the reset is the connection's, not the server's answer, whose
    status every caller still checks."""
    from playwright.sync_api import Error

    try:
        return request.get(url)
    except Error as e:
        if "ECONNRESET" not in str(e) and "socket hang up" not in str(e):
            raise
        return request.get(url)
