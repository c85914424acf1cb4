"""«Выборка»: the half-yearly random sample for the manual listening check, and its progress.

Per operator, the configured number of calls (``[audit] sample_per_operator``),
stratified by topic, drawn with a recorded seed: the same seed over the same
calls gives the same sample.  Each sampled call opens on «Звонки» with its
evaluation form; progress counts the forms filled.  A trainer reads it.
"""
from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.catalogue.formats import fmt_clause, fmt_datetime, fmt_number, fmt_pct
from analytics.catalogue.labels import topic_ru
from analytics.config import load as load_config
from core.errors import OkaError
from dashboards import auth, context, datasource, shell
from dashboards.components.export import download_buttons

period = shell.page()
viewer = auth.current()

st.title("Выборка для прослушивания")
st.caption("Случайная выборка звонков каждого оператора за период, пропорционально темам обращений; "
           "по каждому звонку заполняется оценочная форма.")
if msg := st.session_state.pop("sample_saved", None):
    st.success(msg)

if viewer.role.can_review:
    with st.form("sample_draw"):
        c1, c2 = st.columns(2)
        size = c1.number_input("Звонков на оператора", min_value=1, max_value=500, step=1,
                               value=int(load_config().audit.sample_per_operator), key="sample_size")
        seed_text = c2.text_input("Зерно (пусто — случайное; записывается с выборкой)", key="sample_seed")
        if st.form_submit_button(f"Сделать выборку за {period.label}", type="primary", key="sample_draw_send"):
            try:
                seed = int(seed_text) if seed_text.strip() else None
            except ValueError:
                st.error(f"Зерно должно быть целым числом, а не «{seed_text}».")
            else:
                try:
                    sid = datasource.draw_sample(period.start, period.end, int(size), seed)
                except OkaError as e:
                    st.error(str(e))
                else:
                    st.session_state["sample_pick"] = sid
                    st.session_state["sample_saved"] = "Выборка сделана."
                    st.rerun()

listed = datasource.samples_list()
if listed.is_empty():
    st.info("Выборок пока нет.")
    st.stop()
rows = {r["sample_id"]: r for r in listed.iter_rows(named=True)}
if st.session_state.get("sample_pick") not in rows:
    st.session_state["sample_pick"] = listed["sample_id"][0]
sid = st.selectbox("Выборка", list(rows), key="sample_pick",
                   format_func=lambda i: f"{rows[i]['date_from']:%d.%m.%Y} – {rows[i]['date_to']:%d.%m.%Y} · "
                                         f"{rows[i]['per_operator']} на оператора · зерно {rows[i]['seed']} · "
                                         f"{rows[i]['drawn_at']:%d.%m.%Y %H:%M}, {rows[i]['drawn_by']}")
s = rows[sid]
st.progress(s["done"] / s["calls"] if s["calls"] else 0.0,
            text=f"Заполнено форм: {s['done']} из {s['calls']} · зерно {s['seed']}")
prog = datasource.sample_progress(sid)
st.subheader("По операторам")
st.dataframe([{"Оператор": r["operator_name"] or r["operator_id"], "Звонков": r["calls"], "Заполнено": r["done"],
               "Средняя оценка по формам": fmt_number(r["form_score_avg"])} for r in prog.iter_rows(named=True)],
             hide_index=True, key="sample_progress")
results = datasource.form_results(period.start, period.end)
if not results.is_empty():
    st.subheader("Итоги оценочных форм по пунктам стандарта")
    st.caption(f"{period.label}: все заполненные формы звонков периода; «соблюдено» — доля «да» среди «да» и «нет».")
    crit = {c.id: c for c in datasource.evaluation_form().criteria}
    st.dataframe([{"Пункт": fmt_clause(crit[r["criterion"]].clause) if r["criterion"] in crit else "—",
                   "Критерий": crit[r["criterion"]].title_ru if r["criterion"] in crit else r["criterion"],
                   "Да": r["yes"], "Нет": r["no"], "Н/п": r["na"], "Соблюдено, %": fmt_pct(r["met_pct"])}
                  for r in results.iter_rows(named=True)], hide_index=True, key="sample_form_results")
calls = datasource.sample_calls(sid)
st.subheader("Звонки выборки")
shown = [{"Звонок": r["call_id"], "Оператор": r["operator_name"] or r["operator_id"], "Тема": topic_ru(r["topic"]),
          "Начало": fmt_datetime(r["started_at"]),
          "Оценка по форме": fmt_number(r["form_score"]) if r["form_score"] is not None else "не заполнена"}
         for r in calls.iter_rows(named=True)]
event = st.dataframe(shown, hide_index=True, key="sample_calls", on_select="rerun", selection_mode="single-row")
if shown:   # the table as shown (the frame's «form_score» had no Russian name, an unfilled form read «—»)
    download_buttons(pl.DataFrame(shown), f"выборка_{sid}", key="sample_calls")
picked = event.selection.rows if event is not None else []
if picked:
    context.open_call(calls["call_id"][picked[0]])
