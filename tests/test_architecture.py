"""The house rules of STYLE.md that a test can hold: one-way dependencies between
the four packages, faster-whisper only in transcription/, a light ``--help``,
SQL only in analytics/, and ruff."""
from __future__ import annotations

import ast
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# package -> the project packages it may import.  core/ is the ground floor (errors, the
# working-day calendar); cli/ is the roof that composes every layer and may import anything.
ALLOWED = {
    "core": {"core"},
    "transcription": {"core", "transcription"},
    "rules": {"core", "rules", "transcription"},          # transcription.schema only, checked below
    "analytics": {"core", "analytics", "rules", "transcription"},
    "dashboards": {"core", "dashboards", "analytics", "rules", "transcription"},
    "data": {"core", "data"},
    "cli": {"core", "transcription", "rules", "analytics", "dashboards", "data", "cli"},
}
PROJECT = set(ALLOWED)

# the rooms of analytics/ -> the rooms each may import (config.py, at the top of analytics/,
# gathers every room's options and may be imported by any of them)
# catalogue/ (KPI catalogue, Russian labels, number formats) is pure data that reads nothing: every room
# that names or formats a figure may use it, and it uses none of them
ROOMS = {
    "catalogue": {"catalogue"},
    "storage": {"storage"},
    "ingest": {"ingest", "storage", "config"},
    "queries": {"queries", "storage", "catalogue"},
    "access": {"access", "storage"},
    # access: a masked report masks its lists by the pages' own policy (policy.mask_frame), not a copy of it
    "reports": {"reports", "queries", "config", "catalogue", "access"},
    "config": {"reports"},
}
# the dashboard reads through one data layer: only the modules of the package dashboards/datasource/ touch
# analytics' rooms below it (its __init__.py only re-exports them; pages import the package).
# auth.py and routes.py are the sign-in layer (the users file, the session, the media route and the access log's
# lines for them), not readers of the data.
DATA_LAYER = ("store", "figures", "report", "rulebook", "calls", "reviews", "forms", "operator_disputes",
              "calibration", "samples", "coaching", "audit_log")
DASHBOARD_READERS = {*(f"dashboards/datasource/{m}.py" for m in DATA_LAYER), "dashboards/auth.py",
                     "dashboards/routes.py"}
# what any page may import: the configuration, the access policy (roles, pure functions) and the catalogue
DASHBOARD_MAY_IMPORT = {"analytics.config", "analytics.access.policy", "analytics.catalogue"}


def _imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
    return found


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_dependencies_point_one_way(package):
    wrong = []
    for path in _modules(package):
        for name, line in _imports(path):
            top = name.split(".")[0]
            if top in PROJECT and top not in ALLOWED[package]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
            if package == "rules" and top == "transcription" and name not in ("transcription.schema",):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {name} (rules may use the schema only)")
    assert not wrong, "\n".join(wrong)


def _room(path: Path) -> str:
    rel = path.relative_to(ROOT / "analytics")
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


@pytest.mark.parametrize("room", sorted(ROOMS))
def test_analytics_rooms_point_one_way(room):
    wrong = []
    for path in _modules("analytics"):
        if _room(path) != room:
            continue
        for name, line in _imports(path):
            parts = name.split(".")
            if parts[0] == "analytics" and len(parts) > 1 and parts[1] not in ROOMS[room]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_analytics_has_only_rooms():
    loose = [p.name for p in (ROOT / "analytics").glob("*.py") if p.stem not in ROOMS and p.name != "__init__.py"]
    assert not loose, f"modules outside the rooms of analytics/: {loose}"


def test_dashboard_reads_through_one_data_layer():
    stale = sorted(rel for rel in DASHBOARD_READERS if not (ROOT / rel).is_file())
    assert not stale, f"readers listed but missing (moved?): {stale}"
    wrong = []
    for path in _modules("dashboards"):
        rel = str(path.relative_to(ROOT))
        if rel in DASHBOARD_READERS:
            continue
        for name, line in _imports(path):
            if name.startswith("analytics") and not any(name == m or name.startswith(m + ".")
                                                        for m in DASHBOARD_MAY_IMPORT):
                wrong.append(f"{rel}:{line} imports {name} (read through dashboards.datasource)")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("package", ["core", "rules", "analytics", "dashboards", "data", "cli"])
def test_faster_whisper_lives_only_in_transcription(package):
    wrong = [f"{p.relative_to(ROOT)}:{line}" for p in _modules(package) for name, line in _imports(p)
             if name.split(".")[0] in ("faster_whisper", "ctranslate2")]
    assert not wrong, wrong


@pytest.mark.parametrize("package", ["core", "transcription", "rules", "dashboards", "data", "cli"])
def test_sql_only_in_analytics(package):
    wrong = [f"{p.relative_to(ROOT)}:{line}" for p in _modules(package) for name, line in _imports(p)
             if name.split(".")[0] == "duckdb"]
    assert not wrong, wrong


def test_help_does_not_load_heavy_libraries():
    code = ("import sys; from click.testing import CliRunner; from cli.main import cli; "
            "r = CliRunner().invoke(cli, ['--help']); assert r.exit_code == 0, r.output; "
            "heavy = [m for m in ('faster_whisper', 'ctranslate2', 'pymorphy3', 'streamlit', 'duckdb', 'polars') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"--help loaded {out.stdout.strip()}"


HOUSE_RULES = {"E", "F", "W", "I", "B", "UP", "BLE", "RUF"}   # the rule set the house agreed on


def test_ruff_is_clean():
    """ruff over the whole tree with the house rule set, which pyproject.toml must still select in full."""
    import tomllib

    lint = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"].get("lint", {})
    assert HOUSE_RULES <= set(lint.get("select", ())), "pyproject.toml [tool.ruff.lint] select lost a house rule"
    assert not lint.get("ignore") and not lint.get("per-file-ignores"), "a rule switched off: say why, here"
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    out = subprocess.run([ruff, "check", "--output-format", "concise", "core", "transcription", "rules", "analytics",
                          "dashboards", "data", "cli", "tests", "bench"], cwd=ROOT, capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0, out.stdout + out.stderr


class _Reached(Exception):
    """Raised by a stand-in: the call went through the patched name."""


# (name patched on the package, a function of another module that must reach it, its arguments)
_D = dt.date(2025, 1, 1)
PATCH_REACHES = [
    ("_viewer", "operators", ()),                       # store._view
    ("_viewer", "kpi_list", ("calls_missing_record", _D, _D)),
    ("_viewer", "call_detail", ("c01",)),
    ("_viewer", "discrepancies", (_D, _D)),
    ("_viewer", "save_form", ("c01", {})),
    ("_viewer", "disputes", ()),
    ("_viewer", "calibration_sessions", ()),
    ("_viewer", "samples_list", ()),
    ("_viewer", "coaching_collections", ()),
    ("_viewer", "audit_verify", ()),
    ("search_calls", "calls_in_period", (_D, _D)),
    ("call_detail", "added_violations", ("c01",)),
    ("refresh", "auth_log", ("review", "c01#0", {})),
]


@pytest.mark.parametrize("patched, function, args", PATCH_REACHES)
def test_a_patch_of_the_data_layer_reaches_every_module(monkeypatch, patched, function, args):
    """dashboards.datasource re-exports the functions of its modules, which call one another and ``_viewer``
    through the package: a test that patches ``datasource.X`` reaches every caller, as when it was one module."""
    from dashboards import auth, datasource

    def reached(*_a, **_k):
        raise _Reached

    monkeypatch.setattr(datasource, patched, reached)
    monkeypatch.setattr(auth, "log_event", lambda *_a, **_k: None)   # auth_log's entry goes nowhere
    with pytest.raises(_Reached):
        getattr(datasource, function)(*args)
