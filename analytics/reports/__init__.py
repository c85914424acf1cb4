"""The half-yearly «Справка по результатам проверки» and the «Отчет по аудиту СМ».

Clause 2.6 of СТП-04-2019 has the head of ОКА check its two indicators once a
half-year and document it in a «Справка», and the internal auditors write an
«Отчет по аудиту СМ».  :func:`generate` writes either as DOCX and XLSX (and
PDF when LibreOffice is installed) from the same queries the dashboard uses.

    build.py        ReportData from the store (analytics.queries.kpi, analytics.queries.views)
    docx_writer.py  the document to sign;  xlsx_writer.py  the same numbers, every row
    charts.py       matplotlib PNGs;       pdf.py          LibreOffice conversion
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from analytics.reports.model import KINDS, Period, ReportData
from analytics.reports.options import ReportOptions
from core.errors import OkaError

log = logging.getLogger(__name__)

__all__ = ["KINDS", "Period", "ReportData", "ReportError", "ReportFiles", "ReportOptions", "generate", "out_base"]


class ReportError(OkaError):
    """The report cannot be made as asked (bad period, kind or output path)."""


@dataclass
class ReportFiles:
    docx: Path
    xlsx: Path
    pdf: Path | None = None
    problems: list[str] = field(default_factory=list)   # one line each, e.g. why no PDF

    @property
    def paths(self) -> list[Path]:
        return [p for p in (self.docx, self.xlsx, self.pdf) if p is not None]


def out_base(out: Path) -> Path:
    """``FILE`` or ``FILE.docx``/``.xlsx``/``.pdf`` -> ``FILE`` (the base all formats share)."""
    out = Path(out)
    return out.with_suffix("") if out.suffix.lower() in (".docx", ".xlsx", ".pdf") else out


def generate(db: Path, date_from: dt.date, date_to: dt.date, kind: str, out: Path,
             opts: ReportOptions | None = None, now: dt.datetime | None = None) -> ReportFiles:
    """Write the report for calls started in [date_from, date_to] to ``out``.docx/.xlsx(/.pdf)."""
    from analytics.reports.build import build_report
    from analytics.reports.charts import draw_all
    from analytics.reports.docx_writer import write_docx
    from analytics.reports.xlsx_writer import write_xlsx

    opts = opts or ReportOptions()
    if kind not in KINDS:
        raise ReportError(f"unknown report kind {kind!r}; use one of {', '.join(KINDS)}")
    if date_from > date_to:
        raise ReportError(f"the period starts ({date_from}) after it ends ({date_to})")
    base = out_base(out)
    if base.exists() and base.is_dir():
        raise ReportError(f"{base}: is a folder; give a file name such as {base / ('spravka-' + str(date_from))}")
    data = build_report(Path(db), Period(date_from, date_to), kind, opts, now=now)
    charts = draw_all(data) if opts.charts else {}
    try:
        files = ReportFiles(write_docx(data, base.with_name(base.name + ".docx"), charts, opts),
                            write_xlsx(data, base.with_name(base.name + ".xlsx"), charts))
    except OSError as e:
        raise ReportError(f"{base}: cannot write the report ({e.strerror or e}); "
                          "choose a folder you may write to") from e
    if opts.pdf is not False:
        from analytics.reports.pdf import PdfError, soffice, to_pdf

        if soffice() is None and opts.pdf is None:
            log.info("LibreOffice is not installed; no PDF made")
        else:
            try:
                files.pdf = to_pdf(files.docx)
            except PdfError as e:
                if opts.pdf:
                    raise
                files.problems.append(str(e))
    return files
