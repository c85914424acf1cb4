"""«Расхождения записей»: the head or an auditor reviews the records discrepancies (clause 12) like findings.

A reading whose value is none of those dictated, a record whose account is none of the numbers said: the
card shows both sides, the moment of the call to listen to, the verdict given (who, when, why), and
«Подтвердить» / «Отклонить расхождение».  A dismissed discrepancy (the recogniser heard «9» where «908»
was said) leaves the KPI and the «Справка» at once; the history is kept (analytics/storage/discrepancies.py).
"""
from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.catalogue.formats import fmt_datetime, fmt_number, fmt_of, fmt_seconds, fmt_value
from analytics.catalogue.labels import DISCREPANCIES_RU, RECORD_TYPES_RU
from core.errors import OkaError
from dashboards import context, datasource
from dashboards.components.decision import verdict_line
from dashboards.components.player import LEAD_S, player
from dashboards.labels import grid_config, russian

STATES_RU = {"unreviewed": "не проверенные", "confirmed": "подтверждённые", "dismissed": "отклонённые", "all": "все"}
CURRENT = "disc_current"       # (record_type, record_id, what) on the card: kept across pages
# the discrepancy first (record, kind), then its call, when and who: the grid is narrow at 1280×720
LIST_COLUMNS = ["record_id", "what", "call_id", "recorded_at", "operator_name", "value", "dictated_values",
                "account", "numbers_said", "verdict"]


def _sides(d: dict) -> str:
    """What the record says against what the call says, in one line."""
    if d["what"] == "value":
        said = ", ".join(fmt_value(v) for v in d["dictated_values"] or []) or "—"
        return f"В базе: **{fmt_value(d['value'])}** · продиктовано в звонке: **{said}**"
    number = d["account"] or d["contract_no"] or "—"
    said = ", ".join(d["numbers_said"] or []) or "—"
    return f"Номер в записи: **{number}** · названо в звонке: **{said}**"


def _card(d: dict, pos: int, total: int, keys: list[tuple], page: str) -> None:
    which = f"{d['record_type']}_{d['record_id']}_{d['what']}"
    st.markdown(f"**{RECORD_TYPES_RU[d['record_type']].capitalize()} {d['record_id']}: "
                f"{DISCREPANCIES_RU[d['what']]}**")
    st.caption(f"{fmt_of(pos + 1, total)} · звонок {d['call_id']} · {fmt_datetime(d['recorded_at'])} · "
               f"{d['operator_name'] or '—'}" + (f" · {fmt_seconds(d['at_s'])}" if d["at_s"] is not None else ""))
    st.markdown(_sides(d))
    if d["evidence"]:
        st.markdown(f"> «{d['evidence']}»")
    detail = datasource.call_detail(d["call_id"])
    if detail is not None:
        player(detail.call, d["at_s"], lead_s=LEAD_S, hint=False)
    st.markdown(verdict_line(d), unsafe_allow_html=True)
    comment = st.text_input("Комментарий (для отклонения обязателен)", value=d.get("comment") or "",
                            key=f"disc_comment_{which}", placeholder="например: распознано «9», сказано «908»")
    choices = (("confirmed", "Подтвердить", ":material/check:"),
               ("dismissed", "Отклонить расхождение", ":material/block:"))
    for verdict, label, icon in choices:
        if st.button(label, key=f"disc_{verdict}_{which}", icon=icon, width="stretch",
                     type="primary" if verdict == "confirmed" else "secondary"):
            try:
                datasource.decide_discrepancy(d["record_type"], d["record_id"], d["what"], verdict, comment)
            except OkaError as e:
                st.error("Отклонение убирает расхождение из показателя и справки: напишите в комментарии почему."
                         if verdict == "dismissed" and not comment.strip() else str(e))
                return
            here = keys.index((d["record_type"], d["record_id"], d["what"]))
            rest = keys[here + 1:] or keys[:here]
            st.session_state[CURRENT] = rest[0] if rest else None
            st.session_state["disc_saved"] = (f"Сохранено: {RECORD_TYPES_RU[d['record_type']]} {d['record_id']} — "
                                              + ("подтверждено" if verdict == "confirmed" else
                                                 "отклонено, больше не учитывается"))
            st.rerun()
    if d["verdict"] and st.button("Снять решение", key=f"disc_clear_{which}", type="tertiary",
                                  icon=":material/undo:"):
        datasource.decide_discrepancy(d["record_type"], d["record_id"], d["what"], None)
        st.session_state["disc_saved"] = f"Решение снято: {RECORD_TYPES_RU[d['record_type']]} {d['record_id']}."
        st.rerun()
    if st.button("Открыть звонок на этом месте", icon=":material/open_in_new:", key=f"disc_open_{which}",
                 type="tertiary"):
        context.open_call(d["call_id"], d["at_s"], back=page)


def render(period, page: str) -> None:
    """The discrepancies of ``period`` with the card of the one chosen; ``page`` is where «Назад» returns."""
    st.subheader("Расхождения записей (п. 12)")
    st.caption("Показание или номер счёта в базе не совпадает со сказанным в звонке. Отклонённое расхождение "
               "(например, ошибка распознавания) сразу перестаёт учитываться в показателях и в справке.")
    slot = st.empty()           # a fixed place for the confirmation: nothing below it moves
    if msg := st.session_state.pop("disc_saved", None):
        slot.success(msg, icon=":material/task_alt:")
    context.remember("disc_state", "unreviewed")
    state = context.remembered("disc_state", st.radio(
        "Показать расхождения", list(STATES_RU), format_func=STATES_RU.get, horizontal=True, key="disc_state"))
    found = datasource.discrepancies(period.start, period.end, state)
    if found.is_empty():
        st.info("Расхождений для проверки нет." if state == "unreviewed" else "Расхождений нет.")
        return
    keys = list(zip(found["record_type"].to_list(), found["record_id"].to_list(), found["what"].to_list(),
                    strict=True))
    if tuple(st.session_state.get(CURRENT) or ()) not in keys:
        st.session_state[CURRENT] = keys[0]

    def _pick() -> None:
        rows = st.session_state["disc_table"].selection.rows
        if rows:
            st.session_state[CURRENT] = keys[rows[0]]

    pos = keys.index(tuple(st.session_state[CURRENT]))
    left, right = st.columns([5, 4])
    with right.container(border=True, key="disc_card"):
        _card(found.row(pos, named=True), pos, len(keys), keys, page)
    with left:
        st.caption(f"Расхождений: {fmt_number(found.height, 0)}. Выберите строку — справа откроется её проверка.")
        shown = russian(found.select(LIST_COLUMNS).with_columns(pl.col("value").cast(pl.Float64)))
        st.dataframe(shown, hide_index=True, key="disc_table", on_select=_pick, selection_mode="single-row",
                     column_config=grid_config(shown, pin=("Запись", "Расхождение")))
