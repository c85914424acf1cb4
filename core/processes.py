"""Worker processes started by ``spawn``: what every pool of the project shares."""
from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def workers_skip_main() -> Iterator[None]:
    """Start spawned workers without re-running the parent's ``__main__``.

    Spawned processes run the parent's main script again unless it was
    imported by module name; the workers need nothing from it, and a main
    script that is a Streamlit app or a test runner must not run in each one
    (a ``multiprocessing.Pool`` whose workers die that way starts new ones for
    ever).  Start the workers inside this block.
    """
    main = sys.modules.get("__main__")
    saved = {k: getattr(main, k) for k in ("__file__", "__spec__") if main is not None and hasattr(main, k)}
    try:
        for k in saved:
            setattr(main, k, None)
        yield
    finally:
        for k, v in saved.items():
            setattr(main, k, v)
