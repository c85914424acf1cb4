"""«Обучение»: the trainer's example libraries and coaching assignments with their measured effect.

A collection plays as a list of short redacted clips; an assignment gives an operator a clause with
examples and a date, and after the date shows the operator's rate for the clause before and after
(equal windows, ``analytics/coaching/assignments.py``).
"""
from __future__ import annotations

import datetime as dt
import re

import streamlit as st

from analytics.catalogue.formats import fmt_clause, fmt_date, fmt_datetime
from core import clock
from core.errors import OkaError
from dashboards import auth, datasource, shell
from dashboards.components.coaching import QUALITY_RU, effect_text, example_card

period = shell.page()
viewer = auth.current()
writes = viewer.role.id in ("head", "trainer")
titles = datasource.clause_titles()
clauses = sorted(titles, key=lambda c: (not c[:1].isdigit(), [int(x) for x in re.findall(r"\d+", c)[:2]]))


def clause_label(c: str) -> str:
    return f"{fmt_clause(c)} · {titles.get(c, '')}"[:110]


st.title("Обучение")
if msg := st.session_state.pop("coaching_saved", None):
    st.success(msg)
tab_lib, tab_tasks = st.tabs(["Подборки примеров", "Задания операторам"])

with tab_lib:
    cols = datasource.coaching_collections()
    names = cols["collection"].to_list()
    if not names:
        st.info("Подборок пока нет. Добавьте первый пример ниже: звонок, отрезок, пункт стандарта и оценку.")
    else:
        pick = st.selectbox("Подборка", names, key="lib_pick",
                            format_func=lambda n: f"{n} ({cols.filter(cols['collection'] == n)['examples'][0]})")
        st.caption("Фрагменты звучат с заглушёнными номерами, именами и адресами.")
        for ex in datasource.coaching_examples(collection=pick).iter_rows(named=True):
            with st.container(border=True):
                example_card(ex, f"lib_{ex['example_id']}")
                if writes and st.button("Убрать из подборки", key=f"lib_rm_{ex['example_id']}",
                                        icon=":material/delete:"):
                    datasource.remove_example(ex["example_id"])
                    st.rerun()
    if writes:
        st.subheader("Добавить пример")
        with st.form("example_form", clear_on_submit=True):
            c1, c2 = st.columns(2)
            new_name = c1.text_input("Подборка (новая или существующая)", value=names[0] if names else "",
                                     key="ex_collection", placeholder="Как предложить руководителя")
            call_id = c2.text_input("Звонок (номер)", key="ex_call")
            c3, c4 = st.columns(2)
            start_s = c3.number_input("С, секунд", min_value=0.0, step=1.0, key="ex_from")
            end_s = c4.number_input("По, секунд", min_value=0.0, step=1.0, value=15.0, key="ex_to")
            clause = st.selectbox("Пункт стандарта", clauses, format_func=clause_label, key="ex_clause")
            quality = st.radio("Оценка", list(QUALITY_RU), format_func=QUALITY_RU.get, horizontal=True,
                               key="ex_quality")
            note = st.text_area("Заметка тренера", key="ex_note")
            if st.form_submit_button("Добавить", type="primary"):
                try:
                    new_id = datasource.add_example(new_name, call_id.strip(), start_s, end_s, clause, quality, note)
                except OkaError as e:
                    st.error(str(e))
                else:
                    st.session_state["coaching_saved"] = f"Пример {new_id} добавлен в подборку «{new_name.strip()}»."
                    st.rerun()

with tab_tasks:
    ops = datasource.operators()
    op_names = dict(zip(ops["operator_id"].to_list(), ops["operator_name"].to_list(), strict=False))
    if writes:
        st.subheader("Новое задание")
        all_examples = datasource.coaching_examples()
        with st.form("assign_form", clear_on_submit=True):
            op = st.selectbox("Оператор", list(op_names), format_func=lambda o: op_names.get(o) or o, key="as_op")
            clause = st.selectbox("Пункт стандарта", clauses, format_func=clause_label, key="as_clause")
            due = st.date_input("Срок", value=clock.today() + dt.timedelta(days=14), format="DD.MM.YYYY",
                                key="as_due")
            ex_ids = st.multiselect(
                "Примеры", all_examples["example_id"].to_list(), key="as_examples",
                format_func=lambda i: next(f"{r['collection']}: {QUALITY_RU[r['quality']]}, {fmt_clause(r['clause'])}, "
                                           f"звонок {r['call_id']}" for r in all_examples.iter_rows(named=True)
                                           if r["example_id"] == i))
            note = st.text_area("Что отработать", key="as_note")
            if st.form_submit_button("Назначить", type="primary"):
                try:
                    new_id = datasource.assign(op, clause, due, note, ex_ids)
                except OkaError as e:
                    st.error(str(e))
                else:
                    st.session_state["coaching_saved"] = f"Задание {new_id} назначено: {op_names.get(op) or op}."
                    st.rerun()
    st.subheader("Задания и их результат")
    st.caption("Доля звонков оператора с нарушением пункта: за столько же дней до задания и после срока "
               "(дни обучения между ними не считаются).")
    tasks = datasource.coaching_assignments()
    if tasks.is_empty():
        st.info("Заданий пока нет.")
    for t in tasks.iter_rows(named=True):
        with st.container(border=True):
            who = op_names.get(t["operator_id"]) or t["operator_id"]
            st.markdown(f"**{who}** · {clause_label(t['clause'])} · срок {fmt_date(t['due_on'])} · "
                        f"назначил(а) {t['assigned_by']} {fmt_datetime(t['assigned_at'])}")
            st.caption(("Подтверждено оператором " + fmt_datetime(t["acknowledged_at"])) if t["acknowledged_at"]
                       else "Оператор ещё не подтвердил задание.")
            if t["note"]:
                st.write(t["note"])
            st.write(effect_text(datasource.assignment_effect(t["assignment_id"])))
