"""The program is part of a rule's version (rules/versions.py): a release that changes how a call is judged makes the
stored verdicts stale, so the next ingest or recheck re-judges them; a change to code the check never runs does not."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rules import versions
from rules.registry import DETECTORS, load_builtins
from rules.rulebook import Rulebook
from tests.program_release import module_of, release

ROOT = Path(__file__).resolve().parent.parent

_LOADED = """
import json, sys
from tests.check_calls import corpus_calls, demo_calls, kk_calls
from rules.engine import Checker
checker = Checker.default()
for t in corpus_calls() + kk_calls() + demo_calls():
    checker.check(t)
print(json.dumps(sorted(m.__file__ for n, m in list(sys.modules.items())
                        if n.split(".")[0] in ("rules", "transcription") and getattr(m, "__file__", None))))
"""


def test_every_module_a_check_runs_is_fingerprinted():
    """Checked in a fresh process (this one has imported everything): a module of ``rules`` that the check loads is
    either in the shared code or a detector's module, and none of ``NOT_CHECKING`` is loaded."""
    proc = subprocess.run([sys.executable, "-c", _LOADED], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = {Path(f).resolve() for f in json.loads(proc.stdout)}
    shared = {p.resolve() for p in versions.check_modules()}
    detectors = {p.resolve() for p in (ROOT / "rules" / "detectors").glob("*.py")}
    package_inits = {p.resolve() for p in (ROOT / "rules" / "__init__.py", ROOT / "transcription" / "__init__.py",
                                           ROOT / "rules" / "detectors" / "__init__.py")}
    assert loaded - shared - detectors - package_inits == set()
    assert not {p.name for p in loaded if p.parent == ROOT / "rules"} & versions.NOT_CHECKING
    assert ROOT / "rules" / "engine.py" in loaded and (ROOT / "rules" / "engine.py").resolve() in shared


@pytest.fixture
def copied_rules(tmp_path, monkeypatch):
    """``rules/*.py`` and the transcript schema copied, and the fingerprints read from the copy."""
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    for p in (ROOT / "rules").glob("*.py"):
        shutil.copy(p, rules_dir / p.name)
    (tmp_path / "transcription").mkdir()
    shutil.copy(ROOT / "transcription" / "schema.py", tmp_path / "transcription" / "schema.py")
    monkeypatch.setattr(versions, "RULES_DIR", rules_dir)
    versions.shared_code.cache_clear()
    yield tmp_path
    versions.shared_code.cache_clear()


@pytest.mark.parametrize(("path", "changes"), [
    ("rules/text.py", True),            # tokenising: every rule reads it
    ("rules/confidence.py", True),      # what a finding is worth
    ("transcription/schema.py", True),  # what a transcript holds
    ("rules/forms.py", False),          # review forms: never judge a call
    ("rules/versions.py", False),
])
def test_shared_code_follows_the_modules_a_check_runs(copied_rules, path, changes):
    before = versions.shared_code()
    with open(copied_rules / path, "a", encoding="utf-8") as f:
        f.write("\n# a release's change\n")
    versions.shared_code.cache_clear()
    assert (versions.shared_code() != before) is changes


def test_a_library_upgrade_changes_the_shared_code(monkeypatch):
    versions.shared_code.cache_clear()
    before = versions.shared_code()
    real = versions.metadata.version
    monkeypatch.setattr(versions.metadata, "version",
                        lambda name: "99.0" if name == "pymorphy3-dicts-ru" else real(name))
    versions.shared_code.cache_clear()
    try:
        assert versions.shared_code() != before
    finally:
        versions.shared_code.cache_clear()


def test_detectors_of_one_module_share_its_code_hash_and_others_differ():
    load_builtins()
    by_module: dict[str, set[str]] = {}
    for name in DETECTORS:
        by_module.setdefault(module_of(name), set()).add(versions.detector_code(name))
    assert all(len(hashes) == 1 for hashes in by_module.values())
    assert len({h for hashes in by_module.values() for h in hashes}) == len(by_module)


@pytest.mark.parametrize("module", ["rules.detectors.speech", "rules.detectors.timing", None])
def test_a_release_re_judges_the_rules_whose_code_changed(monkeypatch, module):
    book = Rulebook.load()
    old = versions.manifest(book)
    release(monkeypatch, module)
    p = versions.plan(old, versions.manifest(book))
    if module is None:
        assert p.rules is versions.FULL
    else:
        assert p.rules == {r.id for r in book.rules if module_of(r.detector) == module}
        assert p.rules and p.rules != {r.id for r in book.rules}
        assert not p.roles_changed


def test_an_unchanged_program_re_judges_nothing():
    book = Rulebook.load()
    versions.shared_code.cache_clear()
    versions.detector_code.cache_clear()
    assert not versions.plan(versions.manifest(Rulebook.load()), versions.manifest(book)).anything
