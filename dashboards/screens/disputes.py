"""«Оспаривания»: an operator disputes a finding on their own call; an auditor upholds or withdraws it.

Both are events of the review history; a withdrawn finding leaves the KPIs, and
the operator sees the outcome with the auditor's reason.
"""
from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.catalogue.formats import fmt_datetime, fmt_seconds
from core.errors import OkaError
from dashboards import auth, context, datasource, shell
from dashboards.components.export import download_buttons

period = shell.page()
viewer = auth.current()
titles = datasource.rule_titles()
OUTCOME_RU = {None: "ожидает решения", "open": "ожидает решения", "uphold": "нарушение подтверждено",
              "withdraw": "нарушение снято",
              # a re-check no longer finds it, or the auditor took the added violation back: no answer is due
              "gone": "нарушение больше не числится"}

st.title("Оспаривания")
if msg := st.session_state.pop("dispute_saved", None):
    st.success(msg)


def _number(f: dict) -> str:
    """A finding's number in its call, or «добавлено аудитором» for a violation an auditor added."""
    return "добавлено аудитором" if f.get("added_seq") is not None else f"#{f['idx']}"


def _finding_label(f: dict) -> str:
    said = f"«{f['evidence']}»" if f["evidence"] else "(звонок в целом)"
    return f"{f['call_id']} {_number(f)} · {titles.get(f['rule'], f['rule'])} · {said} · {fmt_seconds(f['start'])}"


def _outcomes(df) -> None:
    # (the outcome beside the violation: the grid is wider than the page, and the answer is what the operator looks for)
    shown = [{"Звонок": r["call_id"], "№": _number(r), "Нарушение": titles.get(r["rule"], r["rule"]),
              "Решение": OUTCOME_RU[r["outcome"]], "Причина решения": r["reason"] or "—",
              "Довод оператора": r["comment"], "Цитата": r["evidence"], "Подано": fmt_datetime(r["decided_at"]),
              "Решил(а)": r["resolved_by"] or "—"} for r in df.iter_rows(named=True)]
    st.dataframe(shown, hide_index=True, key="disputes_table")
    if shown:   # the table as shown: its headers and outcomes in Russian (the frame's own are codes)
        download_buttons(pl.DataFrame(shown), "оспаривания", key="disputes")


if viewer.role.own_calls_only:  # the operator: own findings, a dispute, the outcomes
    st.caption(f"{period.label}. Ваши звонки: если нарушение найдено ошибочно, оспорьте его — аудитор ответит.")
    mine = datasource.my_findings(period.start, period.end)
    # the check's findings and the violations auditors added alike: each counts against the operator
    open_to_dispute = mine.filter(mine["dispute"].is_null() & (mine["verdict"].fill_null("") != "rejected"))
    if open_to_dispute.is_empty():
        st.info("Нарушений, которые можно оспорить, за период нет.")
    else:
        rows = open_to_dispute.to_dicts()
        with st.form("dispute_form", clear_on_submit=True):
            pick = st.selectbox("Нарушение", range(len(rows)), format_func=lambda i: _finding_label(rows[i]),
                                key="dispute_pick")
            comment = st.text_area("Почему это не нарушение", key="dispute_comment")
            if st.form_submit_button("Оспорить", type="primary", key="dispute_send"):
                f = rows[pick]
                try:
                    datasource.open_dispute(f["call_id"], f["idx"], comment, f["added_seq"])
                except OkaError as e:
                    st.error(str(e))
                else:
                    st.session_state["dispute_saved"] = f"Оспаривание {f['call_id']} {_number(f)} отправлено аудитору."
                    st.rerun()
    st.subheader("Мои оспаривания")
    _outcomes(datasource.disputes())
else:  # an auditor or the head: resolve
    st.caption("Оператор оспорил нарушение в своём звонке. Подтвердите его или снимите — с причиной: "
               "оператор её прочтёт. Снятое нарушение перестаёт учитываться в показателях.")
    pending = datasource.disputes("open")
    if pending.is_empty():
        st.info("Неразобранных оспариваний нет.")
    else:
        rows = pending.to_dicts()
        pick = st.selectbox("Оспаривание", range(len(rows)), key="resolve_pick",
                            format_func=lambda i: f"{_finding_label(rows[i])} — «{rows[i]['comment']}» "
                                                  f"({rows[i]['operator_name'] or rows[i]['operator_id']})")
        with st.form("resolve_form", clear_on_submit=True):
            outcome = st.radio("Решение", ("uphold", "withdraw"), horizontal=True, key="resolve_outcome",
                               format_func={"uphold": "Подтвердить нарушение", "withdraw": "Снять нарушение"}.get)
            reason = st.text_input("Причина (её прочтёт оператор)", key="resolve_reason")
            if st.form_submit_button("Сохранить решение", type="primary", key="resolve_send"):
                d = rows[pick]
                try:
                    datasource.resolve_dispute(d["seq"], outcome, reason)
                except OkaError as e:
                    st.error(str(e))
                else:
                    st.session_state["dispute_saved"] = (f"Решение по {d['call_id']} {_number(d)}: "
                                                         f"{OUTCOME_RU[outcome]}.")
                    st.rerun()
        d = rows[pick]
        if st.button("Открыть звонок на этом месте", icon=":material/play_circle:", key="resolve_open"):
            context.open_call(d["call_id"], d["start"])
    st.subheader("Все оспаривания")
    _outcomes(datasource.disputes())
