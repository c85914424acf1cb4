"""«Проверка»: an auditor confirms or rejects findings; each rule's precision from the verdicts.

A rejected finding stops counting in the KPIs and on every page.
"""
from __future__ import annotations

import plotly.express as px
import streamlit as st

from analytics.catalogue.formats import fmt_seconds
from dashboards import context, datasource, shell
from dashboards.components import rule_quality, uncertain_queue
from dashboards.components.export import download_buttons
from dashboards.labels import for_export, grid_config, russian

period = shell.page()
titles = datasource.rule_titles()
STATES_RU = {"unreviewed": "не проверенные", "confirmed": "подтверждённые", "rejected": "отклонённые", "all": "все"}
DONE_RU = {"confirmed": "подтверждено", "rejected": "отклонено, больше не учитывается"}
VERDICTS_RU = {"confirmed": "Подтвердить", "rejected": "Отклонить (ложное срабатывание)"}

st.title("Проверка")
st.caption(f"{period.label}. Отклонённое срабатывание перестаёт учитываться в показателях.")

if msg := st.session_state.pop("review_saved", None):
    st.success(msg)

c1, c2 = st.columns(2)
rules = sorted(datasource.rule_precision()["rule"].to_list())
REVIEW_STATES, VERDICTS = datasource.REVIEW_STATES, datasource.VERDICTS
rule = c1.selectbox("Правило", [None, *rules], key="review_rule",
                    format_func=lambda r: "все правила" if r is None else f"{titles.get(r, r)} ({r})")
state = c2.radio("Показать", REVIEW_STATES, format_func=STATES_RU.get, horizontal=True, key="review_state")

found = datasource.findings_for_review(period.start, period.end, rule, state)
shown = russian(found, datasource.rules())
st.dataframe(shown, hide_index=True, key="review_table", column_config=grid_config(shown))
download_buttons(for_export(shown), f"проверка_{period.start:%d.%m.%Y}_{period.end:%d.%m.%Y}", key="review")

if found.is_empty():
    st.info("Срабатываний для проверки нет.")
else:
    st.subheader("Решение")
    options = list(range(found.height))

    def _label(i: int) -> str:
        f = found.row(i, named=True)
        said = f"«{f['evidence']}»" if f["evidence"] else "(звонок в целом)"
        return f"{f['call_id']} #{f['idx']} · {titles.get(f['rule'], f['rule'])} · {said} · {fmt_seconds(f['start'])}"

    pick = st.selectbox("Срабатывание", options, format_func=_label, key="review_pick")
    with st.form("review_form", clear_on_submit=True):
        verdict = st.radio("Решение", VERDICTS, format_func=VERDICTS_RU.get, horizontal=True, key="review_verdict")
        comment = st.text_input("Комментарий", key="review_comment")
        if st.form_submit_button("Сохранить", type="primary"):
            f = found.row(pick, named=True)
            datasource.save_review(f["call_id"], f["idx"], verdict, comment)
            st.session_state["review_saved"] = f"Сохранено: {f['call_id']} #{f['idx']} — {DONE_RU[verdict]}."
            st.rerun()
    f = found.row(pick, named=True)
    if st.button("Открыть звонок на этом месте", icon=":material/play_circle:", key="review_open"):
        context.open_call(f["call_id"], f["start"])

uncertain_queue.render(period)

st.subheader("Точность правил")
st.caption("Доля подтверждённых среди проверенных срабатываний, по всем проверкам.")
prec = datasource.rule_precision()
reviewed = prec.filter(prec["reviewed"] > 0)
if not reviewed.is_empty():
    named = reviewed.with_columns(reviewed["rule"].replace(titles).alias("name"))
    fig = px.bar(named.to_pandas(), x="precision_pct", y="name", orientation="h", range_x=[0, 100],
                 text="precision_pct", labels={"precision_pct": "Точность, %", "name": ""},
                 hover_data={"reviewed": True, "rule": True})
    fig.update_layout(height=max(200, 40 * named.height), margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(fig, key="review_precision_chart")
pshown = russian(prec, datasource.rules())
st.dataframe(pshown, hide_index=True, key="review_precision")
download_buttons(pshown, "точность_правил", key="review_precision")
rule_quality.show(period)  # precision and recall from the review history (issue 15)
