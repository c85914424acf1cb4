"""`oka-qa dashboard`: the streamlit command line it runs, and its one-line error without a database."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from cli.serve import APP, ServeError, serve_dashboard, streamlit_command


@pytest.mark.parametrize(("option", "value"), [
    ("--server.port", "8765"),
    ("--server.address", "0.0.0.0"),
    ("--server.headless", "true"),
    ("--browser.gatherUsageStats", "false"),
    ("--client.showErrorDetails", "none"),       # issue 17 item 8: no traceback in the browser
    ("--client.disableDataExport", "true"),      # issue 17 item 3: no unlogged toolbar export
    ("--db", "/data/oka.duckdb"),
])
def test_streamlit_command(option, value):
    cmd = streamlit_command(Path("/data/oka.duckdb"), 8765, "0.0.0.0")
    assert cmd[cmd.index("run") + 1] == str(APP)
    assert cmd[cmd.index(option) + 1] == value
    assert cmd.index("--") < cmd.index("--db")          # the app's own argument, after streamlit's


def test_app_is_installed():
    """The server (an st.App: the pages plus the app's own routes) and the page script beside it."""
    assert APP.is_file() and APP.name == "server.py" and (APP.parent / "app.py").is_file()
    assert "st.App(" in APP.read_text(encoding="utf-8")


def test_missing_database(tmp_path):
    with pytest.raises(ServeError, match="no database here"):
        serve_dashboard(tmp_path / "none.duckdb", 8765)
    result = CliRunner().invoke(cli, ["dashboard", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "none.duckdb: no database here" in result.output


@pytest.mark.slow
def test_stopping_oka_qa_stops_the_server(tmp_path):
    """SIGTERM to `oka-qa dashboard` (a service manager, a test's teardown) must not leave streamlit running."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from analytics.storage.store import init

    init(tmp_path / "t.duckdb")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    parent = subprocess.Popen([sys.executable, "-m", "cli.main", "dashboard", "--db", str(tmp_path / "t.duckdb"),
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                assert time.monotonic() < deadline, "the dashboard did not start"
                time.sleep(0.3)
        children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children").read_text().split()
        assert len(children) == 1
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=30) != 0
        child = int(children[0])
        gone = time.monotonic() + 5
        while Path(f"/proc/{child}").exists() and time.monotonic() < gone:
            time.sleep(0.1)      # reaped by init once it exits
        assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]
    finally:
        if parent.poll() is None:
            os.kill(parent.pid, signal.SIGKILL)
