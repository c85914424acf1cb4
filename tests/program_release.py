"""A new release of the program, for tests: the fingerprints of ``rules/versions.py`` see a module's code changed."""
from __future__ import annotations

from rules import versions
from rules.registry import DETECTORS, load_builtins


def module_of(detector: str) -> str:
    load_builtins()
    return DETECTORS[detector].__module__


def release(monkeypatch, module: str | None) -> None:
    """The detectors' ``module`` changed (None: the code every rule shares)."""
    if module is None:
        monkeypatch.setattr(versions, "shared_code", lambda: "a new release")
        return
    changed = {d for d in DETECTORS if module_of(d) == module}   # before a test swaps a detector of the module
    real = versions.detector_code
    monkeypatch.setattr(versions, "detector_code", lambda d: "a new release" if d in changed else real(d))
