"""The half-yearly report (the same files as ``oka-qa report``), with the tiles' targets.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path

from dashboards import context
from dashboards import datasource as ds

log = logging.getLogger(__name__)


def report_options(mask_personal_data: bool = False):
    """``[report]`` of ``oka-qa.toml``: the targets of the tiles and of the report are the same."""
    from analytics.config import load

    opts = dataclasses.replace(load().report, mask_personal_data=mask_personal_data)
    return opts


def make_report(date_from: dt.date, date_to: dt.date, kind: str, mask_personal_data: bool,
                role: str) -> tuple[dict[str, bytes], list[str]]:
    """Generate the report into a temporary folder: {file name: bytes} and one-line problems (e.g. no PDF).

    Its verdicts use ``[report]`` of ``oka-qa.toml`` (the tiles' targets); the export is in the access log.
    """
    import tempfile

    from analytics.access import audit
    from analytics.reports import generate

    db = context.db_path()
    base = f"{kind}_{date_from:%Y-%m-%d}_{date_to:%Y-%m-%d}"
    with tempfile.TemporaryDirectory(prefix="oka-qa-report-") as tmp:
        made = generate(db, date_from, date_to, kind, Path(tmp) / base, ds.report_options(mask_personal_data))
        files = {p.name: p.read_bytes() for p in made.paths}
    audit.record(db, context.reviewer() or "—", role, "export", target=", ".join(files),
                 detail={"report": kind, "from": date_from.isoformat(), "to": date_to.isoformat()})
    return files, made.problems
