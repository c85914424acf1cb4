"""`oka-qa dashboard`: the streamlit command line it runs, and its one-line error without a database."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from analytics.cli import cli
from analytics.serve import APP, ServeError, serve_dashboard, streamlit_command


@pytest.mark.parametrize(("option", "value"), [
    ("--server.port", "8765"),
    ("--server.address", "0.0.0.0"),
    ("--server.headless", "true"),
    ("--browser.gatherUsageStats", "false"),
    ("--db", "/data/oka.duckdb"),
])
def test_streamlit_command(option, value):
    cmd = streamlit_command(Path("/data/oka.duckdb"), 8765, "0.0.0.0")
    assert cmd[cmd.index("run") + 1] == str(APP)
    assert cmd[cmd.index(option) + 1] == value
    assert cmd.index("--") < cmd.index("--db")          # the app's own argument, after streamlit's


def test_app_is_installed():
    assert APP.is_file() and APP.name == "app.py"


def test_missing_database(tmp_path):
    with pytest.raises(ServeError, match="no database here"):
        serve_dashboard(tmp_path / "none.duckdb", 8765)
    result = CliRunner().invoke(cli, ["dashboard", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "none.duckdb: no database here" in result.output
