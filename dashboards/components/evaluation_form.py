"""The evaluation form on a call's page (and in a calibration session), and the violations an auditor adds.

Criteria are grouped by clause; each is answered «да» / «нет» / «н/п», pre-filled
with the answer the automatic check proposes (its evidence under it) or the
answer already given.  Criteria judged by ear start empty: the auditor answers
them while listening.  Auditors and the head fill it; a trainer reads it masked,
an operator their own call's.
"""
from __future__ import annotations

import streamlit as st

from analytics.catalogue.formats import fmt_clause as clause_ru
from analytics.catalogue.formats import fmt_datetime, fmt_number, fmt_seconds
from core.errors import OkaError
from dashboards import auth, datasource
from rules.forms import ANSWERS, ANSWERS_RU

PROPOSAL_RU = {"yes": "автоматически: соблюдено", "no": "автоматически: нарушено", "na": "не применимо к теме"}


def _key(prefix: str, call_id: str, criterion: str) -> str:
    return f"{prefix}_{call_id}_{criterion}"


def show(call_id: str, session_id: str | None = None, prefix: str = "form") -> None:
    """The form of ``call_id``; with ``session_id``, the signed-in auditor's blind answers in that session."""
    viewer = auth.current()
    form = datasource.evaluation_form()
    rows = datasource.call_form(call_id, session_id)
    answered = {r.criterion: r.answer for r in rows if r.answer}
    st.subheader("Оценочная форма" if session_id is None else "Ваши ответы (другие участники их не видят)")
    if answered:
        who = next((r.answered_by for r in rows if r.answered_by), "")
        said = (f"Оценка по форме: **{fmt_number(form.score(answered))}** из 100 "
                f"(заполнил(а) {who}; редакция формы {form.edition}).")
        if session_id is None and datasource.form_stale(call_id):
            st.warning(f"{said} После заполнения формы нарушения звонка изменились (решение аудитора, ответ на "
                       "оспаривание или добавленное нарушение), поэтому балл звонка снова считается по проверке — "
                       "до нового заполнения формы. Предложенные ответы ниже учитывают изменения.",
                       icon=":material/update:")
        else:
            st.caption(f"{said} Балл звонка — оценка по форме.")
    else:
        st.caption(f"Форма ещё не заполнена. Редакция формы {form.edition}; «н/п» — не применимо.")
    if viewer is None or not viewer.role.can_review:
        table = [{"Пункт": clause_ru(r.clause), "Критерий": r.title_ru, "Вес": r.weight,
                  "Ответ": ANSWERS_RU.get(r.answer, "—"), "Предложено": ANSWERS_RU.get(r.proposal, "—")}
                 for r in rows]
        st.dataframe(table, hide_index=True, key=f"{prefix}_readonly_{call_id}")
        return
    with st.form(f"{prefix}_{call_id}"):
        clause = None
        for r in rows:
            if r.clause != clause:
                clause = r.clause
                st.markdown(f"**{clause_ru(clause)}**")
            start = r.answer or r.proposal
            st.radio(f"{r.title_ru} · вес {fmt_number(r.weight, 0)}", ANSWERS, format_func=ANSWERS_RU.get,
                     index=ANSWERS.index(start) if start else None, horizontal=True,
                     key=_key(prefix, call_id, r.criterion))
            if r.evidence:
                st.caption("Автоматическая проверка: " + "; ".join(r.evidence))
            elif r.by_ear:
                st.caption("Оценивается на слух.")
            elif r.proposal:
                st.caption(PROPOSAL_RU[r.proposal] + ".")
        comment = st.text_input("Комментарий к форме", key=f"{prefix}_{call_id}_comment")
        submitted = st.form_submit_button("Сохранить форму", type="primary", key=f"{prefix}_{call_id}_save")
    if submitted:
        answers = {r.criterion: st.session_state.get(_key(prefix, call_id, r.criterion)) for r in rows}
        missing = [r.title_ru for r in rows if answers[r.criterion] is None]
        if missing:
            st.error("Ответьте на все критерии; без ответа: " + "; ".join(missing))
            return
        try:
            if session_id is None:
                datasource.save_form(call_id, answers, comment)
            else:
                datasource.submit_calibration(session_id, call_id, answers)
        except OkaError as e:
            st.error(str(e))
            return
        st.session_state[f"{prefix}_saved"] = (f"Форма звонка {call_id} сохранена: оценка "
                                               f"{fmt_number(form.score(answers))}.")
        st.rerun()
    if msg := st.session_state.pop(f"{prefix}_saved", None):
        st.success(msg)


def missed_violations(call_id: str, at_second: float | None = None) -> None:
    """Violations the automatic check missed: the list, and (auditors) a form to add one at a moment."""
    viewer = auth.current()
    added = datasource.added_violations(call_id)
    titles = datasource.rule_titles()
    st.subheader("Пропущенные нарушения")
    if added.is_empty():
        st.caption("Аудиторы не добавляли нарушений, пропущенных автоматической проверкой.")
    else:
        st.dataframe([{"Правило": titles.get(r["rule"], r["rule"]), "Момент": fmt_seconds(r["at_s"]),
                       "Комментарий": r["comment"], "Добавил(а)": r["who"],
                       "Когда": fmt_datetime(r["decided_at"])} for r in added.iter_rows(named=True)],
                     hide_index=True, key=f"added_{call_id}")
    if viewer is None or not viewer.role.can_review:
        return
    if msg := st.session_state.pop("added_saved", None):
        st.success(msg)
    with st.form(f"add_missed_{call_id}", clear_on_submit=True):
        rule = st.selectbox("Правило", sorted(titles), format_func=lambda r: titles[r],
                            key=f"add_rule_{call_id}")
        at = st.number_input("Момент разговора, с", min_value=0.0, step=1.0, value=float(at_second or 0.0),
                             key=f"add_at_{call_id}")
        comment = st.text_input("Что было сказано или услышано", key=f"add_comment_{call_id}")
        if st.form_submit_button("Добавить нарушение", key=f"add_save_{call_id}"):
            try:
                datasource.add_missed(call_id, rule, at, comment)
            except OkaError as e:
                st.error(str(e))
                return
            st.session_state["added_saved"] = f"Добавлено: {titles.get(rule, rule)} на {fmt_seconds(at)}."
            st.rerun()
    if not added.is_empty():
        pick = st.selectbox("Отозвать добавленное", [None, *added["seq"].to_list()], key=f"retract_pick_{call_id}",
                            format_func=lambda s: "—" if s is None else next(
                                f"{titles.get(r['rule'], r['rule'])} на {fmt_seconds(r['at_s'])}"
                                for r in added.iter_rows(named=True) if r["seq"] == s))
        if pick is not None and st.button("Отозвать", key=f"retract_{call_id}"):
            datasource.retract_added(pick)
            st.rerun()


def on_call_page(call_id: str, at_second: float | None = None) -> None:
    """The hook on «Звонки»: the form, then the added violations (errors as one line)."""
    try:
        st.divider()
        show(call_id)
        missed_violations(call_id, at_second)
    except OkaError as e:
        st.error(str(e))
