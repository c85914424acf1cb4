"""DOCX → PDF through LibreOffice (``soffice --headless``), when it is installed.

LibreOffice is an optional converter: without it the report is DOCX and XLSX.
Each run uses its own user profile so two conversions (the CLI and the
dashboard) never share LibreOffice's lock.
"""
from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from core.errors import OkaError

log = logging.getLogger(__name__)


class PdfError(OkaError):
    """LibreOffice is missing or could not convert the document."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx_path: Path, timeout_s: float = 120.0) -> Path:
    """Convert ``docx_path`` to a PDF beside it and return the PDF's path."""
    exe = soffice()
    if exe is None:
        raise PdfError(f"{docx_path}: no PDF made, LibreOffice (soffice) is not installed; "
                       "install libreoffice-writer-nogui or use the DOCX")
    target = Path(docx_path).with_name(Path(docx_path).stem + ".pdf")
    docx_path = Path(docx_path).resolve()
    with tempfile.TemporaryDirectory(prefix="oka-qa-soffice-") as tmp:
        profile = Path(tmp) / "profile"
        outdir = Path(tmp) / "out"
        cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(outdir), str(docx_path)]
        log.debug("running %s", cmd)
        try:
            proc = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=timeout_s)
        except subprocess.TimeoutExpired as e:
            raise PdfError(f"{docx_path}: LibreOffice did not finish the PDF in {timeout_s:.0f} s") from e
        made = outdir / (docx_path.stem + ".pdf")
        if proc.returncode != 0 or not made.exists():
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            raise PdfError(f"{docx_path}: LibreOffice could not convert it to PDF"
                           + (f" ({detail[-1]})" if detail else ""))
        shutil.move(str(made), target)
    log.info("wrote %s", target)
    return target
