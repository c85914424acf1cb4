"""Fixtures shared by the test modules.

``browser``: one Chromium (Debian's, /usr/bin/chromium) driven by Playwright for the whole test session —
launched once, at the first browser test, instead of once per module.  Each module gets the same browser;
the contexts (cookie jars) a module opened are closed when the module ends, so no session leaks from one
module's dashboard into another's.  The server is per module (``browser_kit.served_dashboard``).
"""
from __future__ import annotations

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
