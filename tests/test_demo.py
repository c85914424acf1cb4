"""The bundled demo through the real pipeline, as `oka-qa demo` builds it.

The demo folder carries one broken recording on purpose: ingest names it in one
line on stderr, exits 1, and stores every other call with its records.
"""
from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from cli.main import cli
from data import DEMO_DIR

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    result = CliRunner().invoke(cli, ["ingest", str(DEMO_DIR), "--db", str(db)])
    return db, result


def _rows(name: str) -> list[dict]:
    with open(DEMO_DIR / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_broken_recording_is_one_line_and_the_rest_is_ingested(ingested):
    _db, result = ingested
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert "2026-11-03_0013.wav" in errors[0] and "cannot decode audio" in errors[0]


def test_every_other_call_and_record_is_counted(ingested):
    db, _ = ingested
    result = CliRunner().invoke(cli, ["kpi", "--db", str(db), "--from", "2026-01-01", "--to", "2026-12-31", "--json"])
    assert result.exit_code == 0, result.output
    kpi = json.loads(result.stdout)
    calls = _rows("calls.csv")
    assert kpi["calls"] == len(calls) - 1                       # all but the broken recording
    assert kpi["requests"] == len(_rows("requests.csv"))
    assert kpi["readings"] == len(_rows("readings.csv"))
    assert kpi["compliance_score_avg"] is not None
    # the scripted violations that survive speech recognition of the demo voices
    assert kpi["violations"].get("address.forbidden", 0) >= 1   # «Девушка, подождите» in 2026-07-22_0005
    assert kpi["violations"].get("speech.rude", 0) >= 1         # «Это не мои проблемы» in 2026-09-02_0008


def test_ingest_twice_adds_nothing(ingested):
    db, _ = ingested
    before = CliRunner().invoke(cli, ["kpi", "--db", str(db), "--from", "2026-01-01", "--to", "2026-12-31", "--json"])
    again = CliRunner().invoke(cli, ["ingest", str(DEMO_DIR), "--db", str(db)])
    assert again.exit_code == 1                                  # the broken file is still reported
    after = CliRunner().invoke(cli, ["kpi", "--db", str(db), "--from", "2026-01-01", "--to", "2026-12-31", "--json"])
    assert json.loads(after.stdout) == json.loads(before.stdout)
