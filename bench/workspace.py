"""Where a scale bench keeps its data and store while it runs."""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def workspace(keep: Path | None, prefix: str) -> Iterator[Path]:
    """``keep`` (made if missing, left in place for a later ``--reuse``) or a temporary folder removed at the end,
    however the bench ends."""
    work = keep or Path(tempfile.mkdtemp(prefix=prefix))
    work.mkdir(parents=True, exist_ok=True)
    try:
        yield work
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
