"""«Журнал доступа»: the audit log for the head of ОКА (and the auditor): who signed in, opened
which call, played which recording, exported what, changed which review."""
from __future__ import annotations

import streamlit as st

from analytics import audit
from dashboards import auth, context, shell
from dashboards.components.export import download_buttons

period = shell.page()
viewer = auth.require()
viewer.require("reads_audit")

st.title("Журнал доступа")
st.caption(f"{period.label}: кто входил, какие звонки открывал, какие записи слушал, что выгружал и какие "
           "проверки менял. Журнал только пополняется; каждая запись заверена хешем предыдущей.")

try:
    n = audit.verify(context.db_path())
    st.success(f"Целостность журнала подтверждена: {n} записей, цепочка хешей не нарушена.",
               icon=":material/verified:")
except audit.AuditError as e:
    st.error(f"Журнал изменён в обход программы: {e}", icon=":material/gpp_bad:")

c1, c2 = st.columns(2)
actions = [None, *audit.ACTIONS]
action = c1.selectbox("Действие", actions, key="audit_action",
                      format_func=lambda a: "все" if a is None else audit.ACTIONS[a])
user = c2.text_input("Пользователь", key="audit_user").strip() or None
log = audit.entries(context.db_path(), period.start, period.end, user=user, action=action)
shown = log.with_columns(log["action"].replace_strict(audit.ACTIONS, default=log["action"]).alias("action")) \
    .rename({"seq": "№", "logged_at": "время", "user_name": "пользователь", "role": "роль",
             "action": "действие", "target": "объект", "detail": "подробности"})
st.caption(f"Записей за период: {shown.height}")
st.dataframe(shown, hide_index=True, key="audit_table")
download_buttons(shown, f"журнал_доступа_{period.start}_{period.end}", key="audit_table")
