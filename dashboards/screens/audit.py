"""«Журнал доступа»: the audit log for the head of ОКА (and the auditor): who signed in, opened
which call, played which recording, exported what, changed which review."""
from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from analytics.access.policy import ROLES
from analytics.catalogue.formats import fmt_count, fmt_number
from core import clock
from dashboards import auth, datasource, shell
from dashboards.components.export import download_buttons
from dashboards.labels import audit_detail, for_export, grid_config

shell.page()
viewer = auth.require()
viewer.require("reads_audit")

st.title("Журнал доступа")
st.caption("Кто входил, какие звонки открывал, какие записи слушал, что выгружал и какие "
           "проверки менял. Журнал только пополняется; каждая запись заверена хешем предыдущей.")

checked, problem = datasource.audit_verify()
if checked is not None:
    st.success(f"Целостность журнала подтверждена: {fmt_count(checked, 'запись')}, цепочка хешей не нарушена.",
               icon=":material/verified:")
else:
    st.error(f"Журнал изменён в обход программы: {problem}", icon=":material/gpp_bad:")

c1, c2, c3 = st.columns(3)
today = clock.today()
days = c1.date_input("Дни", (today - dt.timedelta(days=30), today), key="audit_days", format="DD.MM.YYYY")
first, last = (days[0], days[-1]) if days else (today, today)
names = datasource.audit_actions()
action = c2.selectbox("Действие", [None, *names], key="audit_action",
                      format_func=lambda a: "все" if a is None else names[a])
user = c3.text_input("Пользователь", key="audit_user").strip() or None
log = datasource.audit_entries(first, last, user, action)
roles = {r.id: r.title for r in ROLES.values()}
shown = log.with_columns(log["action"].replace_strict(names, default=log["action"]).alias("action"),
                         log["role"].replace_strict(roles, default=log["role"]).alias("role"),
                         pl.Series("detail", [audit_detail(d) for d in log["detail"]], dtype=pl.String)) \
    .rename({"seq": "№", "logged_at": "время", "user_name": "пользователь", "role": "роль",
             "action": "действие", "target": "объект", "detail": "подробности"})
st.caption(f"Записей за период: {fmt_number(shown.height, 0)}")
st.dataframe(shown, hide_index=True, key="audit_table",
             column_config=grid_config(shown, pin=("№", "время", "пользователь")))   # who did it, when
download_buttons(for_export(shown), f"журнал_доступа_{first:%d.%m.%Y}_{last:%d.%m.%Y}", key="audit_table")
