"""«Проверка»: an auditor works through the findings with one hand — the quote, the player cued to
the moment, «Подтвердить» / «Ложное срабатывание» (keys 1 and 2); the next finding follows.

A rejected finding stops counting in the KPIs and in every score at once.  The finding chosen and
the filters survive a visit to the call («Назад» comes back here).  Below: each rule's precision.
"""
from __future__ import annotations

import plotly.express as px
import polars as pl
import streamlit as st

from analytics.catalogue.formats import fmt_datetime, fmt_number, fmt_of, fmt_rule, fmt_seconds
from dashboards import context, datasource, shell
from dashboards.components import discrepancy_review, rule_quality, uncertain_queue
from dashboards.components.decision import decision
from dashboards.components.export import download_buttons
from dashboards.components.player import LEAD_S, player
from dashboards.labels import for_export, grid_config, russian

period = shell.page()
rules = datasource.rules()
PAGE = "screens/review.py"
CURRENT = "review_current"          # (call_id, idx) of the finding on screen: kept across pages
STATES_RU = {"unreviewed": "не проверенные", "confirmed": "подтверждённые", "rejected": "отклонённые", "all": "все"}
# the finding first (call, rule), then when and who: at 1280×720 the grid is narrow and scrolls sideways
LIST_COLUMNS = ["call_id", "rule", "clause", "started_at", "operator_name", "start", "evidence", "verdict", "dispute"]
RULE_WIDTH_PX = 230       # «Нарушение» wraps onto up to three lines (rows ROW_HEIGHT_PX high) instead of being cut
ROW_HEIGHT_PX = 66        # Streamlit wraps a grid's text only in rows taller than 4rem

# the decision fits the first screen at 1280×720: less empty space above the title
st.html("<style>[data-testid='stMainBlockContainer'] {padding-top: 2rem !important;}</style>")
st.title("Проверка")
st.caption(f"{period.label}. Ложное срабатывание перестаёт учитываться в показателях и баллах сразу. "
           "Клавиши: 1 — подтвердить, 2 — ложное срабатывание.")
# the confirmation has a fixed place: shown only after a save, it would shift every element below it, and for
# a moment the browser drew the card twice (the old one, stale, and the new) — a click could hit the old one
saved_slot = st.empty()
if msg := st.session_state.pop("review_saved", None):
    saved_slot.success(msg, icon=":material/task_alt:")

# the filters over the list, the card beside them from the top: its buttons stay on the first screen at 1280×720
left, right = st.columns([5, 4])
names = sorted(datasource.rule_precision()["rule"].to_list())
context.remember("review_rule", "")
rule = context.remembered("review_rule", left.selectbox(
    "Правило", ["", *names], key="review_rule",      # "" (not None, which streamlit shows as its English placeholder)
    format_func=lambda r: "все правила" if not r else fmt_rule(rules.get(r, (None, None))[1],
                                                               rules.get(r, (None, None))[0], r))) or None
context.remember("review_state", "unreviewed")
state = context.remembered("review_state", left.radio("Показать", datasource.REVIEW_STATES,
                                                      format_func=STATES_RU.get, horizontal=True, key="review_state"))

found = datasource.findings_for_review(period.start, period.end, rule, state)
keys = list(zip(found["call_id"].to_list(), found["idx"].to_list(), strict=True))


def _next_after(f: dict, verdict: str) -> None:
    """After a decision: the next finding of the list (the list itself may drop the one just decided)."""
    here = keys.index((f["call_id"], f["idx"]))
    rest = keys[here + 1:] or keys[:here]
    st.session_state[CURRENT] = rest[0] if rest else None


def _pick_from_table() -> None:
    rows = st.session_state["review_table"].selection.rows
    if rows:
        st.session_state[CURRENT] = keys[rows[0]]


if found.is_empty():
    left.info("Срабатываний для проверки нет." if state == "unreviewed" else "Срабатываний нет.")
else:
    if tuple(st.session_state.get(CURRENT) or ()) not in keys:
        st.session_state[CURRENT] = keys[0]
    current = tuple(st.session_state[CURRENT])
    pos = keys.index(current)
    f = found.row(pos, named=True)

    with right.container(border=True, key="review_card"):
        clause, title = rules.get(f["rule"], (f["clause"], None))
        st.markdown(f"**{fmt_rule(title, clause or f['clause'], f['rule'])}**")
        st.caption(f"{fmt_of(pos + 1, len(keys))} · звонок {f['call_id']} · {fmt_datetime(f['started_at'])} · "
                   f"{f['operator_name'] or '—'} · {fmt_seconds(f['start'])}")
        st.markdown(f"> «{f['evidence']}»" if f["evidence"] else "> (нарушение по звонку в целом)")
        if f["dispute"] == "open":   # the operator's word before the auditor's: the answer is given on «Оспаривания»
            st.warning(f"Оператор оспорил эту находку: «{f['dispute_comment']}». Ответ — на странице «Оспаривания».",
                       icon=":material/gavel:")
        elif f["dispute"] is not None:
            st.caption(f"Оспаривание оператора: «{f['dispute_comment']}» — "
                       f"{'нарушение подтверждено' if f['dispute'] == 'uphold' else 'нарушение снято'}: "
                       f"{f['dispute_reason']}.")
        detail = datasource.call_detail(f["call_id"])
        if detail is not None:
            player(detail.call, f["start"], lead_s=LEAD_S, hint=False)
        decision(f, key="review", on_saved=_next_after)
        if st.button("Открыть звонок на этом месте", icon=":material/open_in_new:", key="review_open",
                     type="tertiary"):
            context.open_call(f["call_id"], f["start"], back=PAGE)
    with left:
        st.caption(f"Срабатываний: {fmt_number(found.height, 0)}. Выберите строку — справа откроется её проверка.")
        shown = russian(found.select(LIST_COLUMNS), rules)
        config = grid_config(shown, pin=("Звонок", "Нарушение"))
        config["Нарушение"]["width"] = RULE_WIDTH_PX
        st.dataframe(shown, hide_index=True, key="review_table", on_select=_pick_from_table,
                     selection_mode="single-row", column_config=config, height=420, row_height=ROW_HEIGHT_PX)
        download_buttons(for_export(russian(found, rules)),
                         f"проверка_{period.start:%d.%m.%Y}_{period.end:%d.%m.%Y}", key="review")

discrepancy_review.render(period, PAGE)   # reading and account mismatches, reviewed the same way
uncertain_queue.render(period)

st.subheader("Точность правил")
st.caption("Доля подтверждённых среди проверенных срабатываний, по всем проверкам.")
prec = datasource.rule_precision()
reviewed = prec.filter(prec["reviewed"] > 0)
if not reviewed.is_empty():
    named = reviewed.with_columns(pl.Series("name", [fmt_rule(rules.get(r, (c, None))[1], rules.get(r, (c, None))[0], r)
                                                     for r, c in zip(reviewed["rule"], reviewed["clause"],
                                                                     strict=True)]))
    fig = px.bar(named.to_pandas(), x="precision_pct", y="name", orientation="h", range_x=[0, 100],
                 text="precision_pct", labels={"precision_pct": "Точность, %", "name": ""},
                 hover_data={"reviewed": True, "rule": False})
    fig.update_layout(height=max(200, 40 * named.height), margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      separators=", ")
    st.plotly_chart(fig, key="review_precision_chart", config={"displayModeBar": False})
pshown = russian(prec, rules)
st.dataframe(pshown, hide_index=True, key="review_precision")
download_buttons(pshown, "точность_правил", key="review_precision")
rule_quality.show(period)  # precision and recall from the review history (issue 15)
