"""«Калибровка»: the same calls before several auditors, blind; their agreement; one agreed answer.

An auditor or the head opens a session (calls of the period, two or more
auditors).  Each participant fills the form of every call without seeing the
others' answers.  Once all have answered (or the session is closed) the page
shows percent agreement and kappa per criterion and per auditor (Fleiss' kappa
over the participants, Cohen's between each pair) and the calls where they
disagree most; the session ends with an agreed answer per criterion, which
becomes the call's form.  A trainer reads the sessions and their results.
"""
from __future__ import annotations

import streamlit as st

from analytics.catalogue.formats import fmt_number, fmt_pct
from core.errors import OkaError
from dashboards import auth, datasource, shell
from dashboards.components import evaluation_form
from rules.forms import ANSWERS, ANSWERS_RU

period = shell.page()
viewer = auth.current()
form = datasource.evaluation_form()
crit_title = {c.id: f"{c.title_ru} (п. {c.clause})" for c in form.criteria}

st.title("Калибровка")
st.caption("Одни и те же звонки оценивают несколько аудиторов, не видя ответов друг друга; "
           "затем сравнивается согласованность и принимается общий ответ.")
if msg := st.session_state.pop("calibration_saved", None):
    st.success(msg)

if viewer.role.can_review:
    with st.expander("Новая сессия калибровки", expanded=not datasource.calibration_sessions()):
        calls = datasource.calls_in_period(period.start, period.end)
        others = datasource.reviewers()
        with st.form("calibration_new"):
            title = st.text_input("Название", value=f"Калибровка, {period.label}", key="cal_title")
            chosen = st.multiselect("Звонки", calls["call_id"].to_list(), key="cal_calls")
            if others:
                auditors = st.multiselect("Аудиторы", others, default=[viewer.name] if viewer.name in others else [],
                                          key="cal_auditors")
            else:
                typed = st.text_input("Аудиторы (имена учётных записей через запятую)", key="cal_auditors_text")
                auditors = [a.strip() for a in typed.split(",")]
            if st.form_submit_button("Открыть сессию", type="primary", key="cal_open"):
                try:
                    sid = datasource.open_calibration(title, chosen, auditors)
                except OkaError as e:
                    st.error(str(e))
                else:
                    st.session_state["cal_session"] = sid
                    st.session_state["calibration_saved"] = f"Сессия «{title}» открыта."
                    st.rerun()

sessions = datasource.calibration_sessions()
if not sessions:
    st.info("Сессий калибровки пока нет.")
    st.stop()
by_id = {s.session_id: s for s in sessions}
if st.session_state.get("cal_session") not in by_id:
    st.session_state["cal_session"] = sessions[0].session_id
sid = st.selectbox("Сессия", list(by_id), key="cal_session",
                   format_func=lambda i: f"{by_id[i].title} · {by_id[i].created_at:%d.%m.%Y}"
                                         + (" · закрыта" if by_id[i].closed_at else ""))
s = by_id[sid]
progress, visible = datasource.calibration_state(sid)
st.markdown(f"Звонков: **{len(s.calls)}** · участники: " + ", ".join(
    f"**{a}** ({progress.get(a, 0)} из {len(s.calls)})" for a in s.auditors))

if s.closed_at is None and not visible and viewer.name in s.auditors and viewer.role.can_review:
    call_id = st.selectbox("Звонок для оценки", s.calls, key="cal_call")
    evaluation_form.show(call_id, session_id=sid, prefix="cal")
elif s.closed_at is None and visible:   # answers are final once shown: agreement measures blind judgement
    st.caption("Все участники оценили все звонки; ответы больше не меняются. Обсудите расхождения и закройте сессию.")

if not visible:
    st.info("Итоги появятся, когда все участники оценят все звонки сессии.")
    st.stop()

res = datasource.calibration_agreement(sid)
c1, c2 = st.columns(2)
c1.metric("Согласие, %", fmt_pct(res.overall_pct))
c2.metric("Каппа Флейса", fmt_number(res.overall_kappa, 2))
st.subheader("По критериям")
st.dataframe([{"Критерий": crit_title.get(r["criterion"], r["criterion"]), "Ответов": r["items"],
               "Согласие, %": fmt_pct(r["agreement_pct"]), "Каппа Флейса": fmt_number(r["kappa"], 2)}
              for r in res.by_criterion.iter_rows(named=True)], hide_index=True, key="cal_by_criterion")
st.subheader("По аудиторам")
st.caption("Согласие с каждым из остальных участников и каппа Коэна, в среднем по парам.")
st.dataframe([{"Аудитор": r["auditor"], "Ответов": r["answered"], "Согласие, %": fmt_pct(r["agreement_pct"]),
               "Каппа Коэна": fmt_number(r["kappa"], 2)} for r in res.by_auditor.iter_rows(named=True)],
             hide_index=True, key="cal_by_auditor")
st.subheader("Звонки с наибольшим расхождением")
st.dataframe([{"Звонок": r["call_id"], "Критериев с расхождением": r["disagreements"],
               "Согласие, %": fmt_pct(r["agreement_pct"])} for r in res.by_call.iter_rows(named=True)],
             hide_index=True, key="cal_by_call")

if s.closed_at is not None:
    st.success(f"Сессия закрыта {s.closed_at:%d.%m.%Y %H:%M}; согласованные ответы стали формами звонков.")
elif viewer.role.can_review:
    st.subheader("Согласованный ответ")
    st.caption("Где ответы разошлись, выберите общий (предложен ответ большинства); единогласные ответы "
               "принимаются как есть. Согласованные ответы станут оценочными формами звонков.")
    with st.form("cal_close"):
        agreed = dict(res.majority)
        split = sorted(res.split)
        for call_id, criterion in split:
            agreed[(call_id, criterion)] = st.radio(
                f"{call_id}: {crit_title.get(criterion, criterion)}", ANSWERS, format_func=ANSWERS_RU.get,
                index=ANSWERS.index(res.majority[(call_id, criterion)]), horizontal=True,
                key=f"cal_agree_{call_id}_{criterion}")
        if not split:
            st.caption("Все ответы единогласны.")
        if st.form_submit_button("Закрыть сессию с этими ответами", type="primary", key="cal_close_send"):
            try:
                datasource.close_calibration(sid, agreed)
            except OkaError as e:
                st.error(str(e))
            else:
                st.session_state["calibration_saved"] = f"Сессия «{s.title}» закрыта, ответы согласованы."
                st.rerun()
