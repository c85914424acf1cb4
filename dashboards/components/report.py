"""The report button of «Обзор»: the half-yearly «Справка» or the «Отчет по аудиту СМ»
for the period chosen, the same files ``oka-qa report`` writes (``analytics.reports``)."""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import streamlit as st

from analytics.reports import ReportOptions, generate
from core.errors import OkaError
from dashboards import context
from dashboards.components.export import XLSX_MIME
from dashboards.components.served import download_link
from dashboards.components.period import Period
from dashboards.targets import TILES

log = logging.getLogger(__name__)

KINDS_RU = {"spravka": "Справка по результатам проверки", "audit": "Отчет по аудиту СМ"}
MIME = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": XLSX_MIME, ".pdf": "application/pdf"}
STATE_KEY = "oka_report_files"


def report_options(mask_personal_data: bool = False) -> ReportOptions:
    """The report's verdicts use the same targets as the tiles (``dashboards.targets``)."""
    targets = {t.key: t.target for t in TILES}
    return ReportOptions(registered_target_pct=targets["requests_registered_on_time_pct"],
                         readings_target_pct=targets["readings_entered_on_time_pct"],
                         mask_personal_data=mask_personal_data)


def make_files(db: Path, period: Period, kind: str, opts: ReportOptions) -> tuple[dict[str, bytes], list[str]]:
    """Generate into a temporary folder and return {file name: bytes} and the one-line problems (e.g. no PDF)."""
    base = f"{kind}_{period.start:%Y-%m-%d}_{period.end:%Y-%m-%d}"
    with tempfile.TemporaryDirectory(prefix="oka-qa-report-") as tmp:
        files = generate(db, period.start, period.end, kind, Path(tmp) / base, opts)
        return {p.name: p.read_bytes() for p in files.paths}, files.problems


def _log_export(db: Path, names: list[str], kind: str, period: Period, role: str) -> None:
    from analytics.access import audit

    audit.record(db, context.reviewer() or "—", role, "export", target=", ".join(names),
                 detail={"report": kind, "from": period.start.isoformat(), "to": period.end.isoformat()})


def report_button(period: Period, mask_personal_data: bool = False, role: str = "") -> None:
    """A document choice, «Сформировать отчёт», then one download button per file made."""
    pick, make, files_col = st.columns([3, 2, 4], vertical_alignment="bottom")
    kind = pick.selectbox("Документ за период", list(KINDS_RU), format_func=KINDS_RU.get, key="report_kind")
    wanted = (kind, period.start, period.end, mask_personal_data)
    if make.button("Сформировать отчёт", icon=":material/description:", key="report_make",
                   help="DOCX для подписи, XLSX со всеми перечнями и PDF (если установлен LibreOffice)"):
        db = context.db_path()
        try:
            with st.spinner("Формирую документ…"):
                files, problems = make_files(db, period, kind, report_options(mask_personal_data))
            _log_export(db, list(files), kind, period, role)
        except OkaError as e:
            st.error(str(e))
            return
        for problem in problems:
            st.warning(problem)
        st.session_state[STATE_KEY] = (wanted, files)
    made = st.session_state.get(STATE_KEY)
    if not made or made[0] != wanted:          # nothing made yet, or made for another period
        return
    buttons = files_col.columns(len(made[1]))
    for col, (name, data) in zip(buttons, made[1].items()):
        suffix = Path(name).suffix
        with col:   # through the app's route: to this session only, each fetch logged (served.py)
            download_link(suffix[1:].upper(), name, MIME.get(suffix, "application/octet-stream"),
                          lambda data=data: data, key=f"report_download_{suffix[1:]}", kind="report",
                          detail={"report": kind, "from": period.start.isoformat(), "to": period.end.isoformat()})
