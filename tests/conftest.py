"""Fixtures shared by the test modules.

``browser``: one Chromium (Debian's, /usr/bin/chromium) driven by Playwright for the whole test session —
launched once, at the first browser test, instead of once per module.  Each module gets the same browser;
the contexts (cookie jars) a module opened are closed when the module ends, so no session leaks from one
module's dashboard into another's.  The server is per module (``browser_kit.served_dashboard``).

The heaviest test files are collected first (``HEAVIEST``): ``bash scripts/dev.sh test`` runs three workers that take
whole files in collection order (``--dist loadfile --no-loadscope-reorder``; xdist's default hands out the files
with the most tests first), so a heavy file is not left last on one worker while the others have nothing left —
the suite must stay within CI's 20 minutes on 2 cores.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from browser_kit import ARGS, CHROMIUM, SHOTS, need_chromium


@pytest.fixture(scope="session")
def _chromium():
    need_chromium()
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def browser(_chromium):
    """The session's Chromium; what this module opened in it is closed when the module ends."""
    before = set(_chromium.contexts)
    yield _chromium
    for ctx in _chromium.contexts:
        if ctx not in before:
            ctx.close()


# seconds per file, summed over its tests (a ``pytest_runtest_logreport`` hook writing each report's duration,
# over ``bash scripts/dev.sh test`` on 2 cores, 3 December 2026: 1870 s of tests); files not listed keep their
# order after these
HEAVIEST = ("test_pd_probe.py", "test_ingest_cluster.py", "test_browser_review.py", "test_reports.py",
            "test_review_workflow_dashboard.py", "test_faults.py", "test_access_dashboard.py", "test_dashboard.py",
            "test_privacy.py", "test_transcription_batch.py", "test_recheck.py", "test_browser.py",
            "test_coaching_dashboard.py", "test_discrepancies.py", "test_dashboard_drill.py", "test_browser_access.py")


def pytest_collection_modifyitems(session, config, items) -> None:
    rank = {name: i for i, name in enumerate(HEAVIEST)}
    items.sort(key=lambda item: rank.get(Path(str(item.fspath)).name, len(rank)))   # (stable: in-file order kept)
