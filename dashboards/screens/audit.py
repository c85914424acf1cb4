"""«Журнал доступа»: the audit log for the head of ОКА (and the auditor): who signed in, opened
which call, played which recording, exported what, changed which review."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from analytics.access import audit
from dashboards import auth, context, shell
from dashboards.components.export import download_buttons

shell.page()
viewer = auth.require()
viewer.require("reads_audit")

st.title("Журнал доступа")
st.caption("Кто входил, какие звонки открывал, какие записи слушал, что выгружал и какие "
           "проверки менял. Журнал только пополняется; каждая запись заверена хешем предыдущей.")

try:
    n = audit.verify(context.db_path())
    st.success(f"Целостность журнала подтверждена: {n} записей, цепочка хешей не нарушена.",
               icon=":material/verified:")
except audit.AuditError as e:
    st.error(f"Журнал изменён в обход программы: {e}", icon=":material/gpp_bad:")

c1, c2, c3 = st.columns(3)
today = dt.date.today()
days = c1.date_input("Дни", (today - dt.timedelta(days=30), today), key="audit_days", format="DD.MM.YYYY")
first, last = (days[0], days[-1]) if days else (today, today)
actions = [None, *audit.ACTIONS]
action = c2.selectbox("Действие", actions, key="audit_action",
                      format_func=lambda a: "все" if a is None else audit.ACTIONS[a])
user = c3.text_input("Пользователь", key="audit_user").strip() or None
log = audit.entries(context.db_path(), first, last, user=user, action=action)
shown = log.with_columns(log["action"].replace_strict(audit.ACTIONS, default=log["action"]).alias("action")) \
    .rename({"seq": "№", "logged_at": "время", "user_name": "пользователь", "role": "роль",
             "action": "действие", "target": "объект", "detail": "подробности"})
st.caption(f"Записей за период: {shown.height}")
st.dataframe(shown, hide_index=True, key="audit_table")
download_buttons(shown, f"журнал_доступа_{first}_{last}", key="audit_table")
