"""The report button of «Обзор»: the half-yearly «Справка» or the «Отчет по аудиту СМ»
for the period chosen, the same files ``oka-qa report`` writes, judged against the same
targets (``[report]`` of ``oka-qa.toml``), made through ``dashboards.datasource``."""
from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from analytics.catalogue.labels import REPORT_KINDS_RU
from core.errors import OkaError
from dashboards import datasource
from dashboards.components.export import XLSX_MIME
from dashboards.components.period import Period
from dashboards.components.served import download_link

log = logging.getLogger(__name__)

KINDS_RU = REPORT_KINDS_RU
MIME = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": XLSX_MIME, ".pdf": "application/pdf"}
STATE_KEY = "oka_report_files"


def report_button(period: Period, mask_personal_data: bool = False, role: str = "") -> None:
    """A document choice, «Сформировать отчёт», then one download button per file made."""
    pick, make, files_col = st.columns([3, 3, 3], vertical_alignment="bottom")
    kind = pick.selectbox("Документ за период", list(KINDS_RU), format_func=KINDS_RU.get, key="report_kind")
    wanted = (kind, period.start, period.end, mask_personal_data)
    if make.button("Сформировать отчёт", icon=":material/description:", key="report_make",
                   help="DOCX для подписи, XLSX со всеми перечнями и PDF (если установлен LibreOffice)"):
        try:
            with st.spinner("Формирую документ…"):
                files, problems = datasource.make_report(period.start, period.end, kind, mask_personal_data, role)
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
    for col, (name, data) in zip(buttons, made[1].items(), strict=False):
        suffix = Path(name).suffix
        with col:   # through the app's route: to this session only, each fetch logged (served.py)
            download_link(suffix[1:].upper(), name, MIME.get(suffix, "application/octet-stream"),
                          lambda data=data: data, key=f"report_download_{suffix[1:]}", kind="report",
                          detail={"report": kind, "from": period.start.isoformat(), "to": period.end.isoformat()})
