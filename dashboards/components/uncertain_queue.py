"""«Требует проверки»: the queue of uncertain findings on the «Проверка» page.

A finding the recogniser was too unsure of counts nowhere until an auditor
confirms it here; the queue shows first the decisions that would change the
score most (``analytics.queries.uncertain_queue``).
"""
from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.catalogue.formats import fmt_datetime, fmt_seconds
from dashboards import context, datasource

VERDICTS_RU = {"confirmed": "Подтвердить (будет учитываться)", "rejected": "Отклонить (ошибка распознавания)"}
COLUMNS_RU = {"call_id": "Звонок", "started_at": "Начало", "operator_name": "Оператор", "rule_ru": "Нарушение",
              "evidence": "Распознано", "confidence": "Уверенность, %", "score_points": "Изменит оценку на, баллов"}


def render(period) -> None:
    """The queue for ``period`` (a ``shell.page()`` period) with its decision form."""
    st.subheader("Требует проверки")
    st.caption("Нарушения, найденные в словах, которые распознаны неуверенно: они не учитываются ни в оценке, "
               "ни в показателях, ни в отчётах, пока аудитор их не подтвердит. Сначала — решения, которые сильнее "
               "всего изменят показатели.")
    queue = datasource.uncertain_queue(period.start, period.end)
    if queue.is_empty():
        st.info("Неуверенных срабатываний за период нет.")
        return
    titles = datasource.rule_titles()
    shown = queue.with_columns(pl.col("rule").replace_strict(titles, default=pl.col("rule")).alias("rule_ru"),
                               (pl.col("confidence") * 100).round(0).cast(pl.Int64).alias("confidence"),
                               pl.col("started_at").map_elements(fmt_datetime, return_dtype=pl.String),
                               pl.col("score_points").map_elements(lambda x: f"−{x:g}" if x else "0",
                                                                   return_dtype=pl.String))
    shown = shown.select([c for c in COLUMNS_RU if c in shown.columns]).rename(COLUMNS_RU)
    st.dataframe(shown, hide_index=True, key="uncertain_table")

    def _label(i: int) -> str:
        f = queue.row(i, named=True)
        return f"{f['call_id']} · {titles.get(f['rule'], f['rule'])} · «{f['evidence']}» · {fmt_seconds(f['start'])}"

    pick = st.selectbox("Срабатывание", list(range(queue.height)), format_func=_label, key="uncertain_pick")
    with st.form("uncertain_form", clear_on_submit=True):
        verdict = st.radio("Решение", list(VERDICTS_RU), format_func=VERDICTS_RU.get, horizontal=True,
                           key="uncertain_verdict")
        comment = st.text_input("Комментарий", key="uncertain_comment")
        if st.form_submit_button("Сохранить решение", type="primary"):
            f = queue.row(pick, named=True)
            datasource.decide_uncertain(f["call_id"], f["idx"], verdict, comment)
            st.session_state["review_saved"] = f"Сохранено: {f['call_id']} — {VERDICTS_RU[verdict].lower()}."
            st.rerun()
    f = queue.row(pick, named=True)
    if st.button("Прослушать это место", icon=":material/play_circle:", key="uncertain_open"):
        context.open_call(f["call_id"], f["start"])
