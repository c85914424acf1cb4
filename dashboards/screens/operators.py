"""«Операторы»: a sortable table, and a trainer's profile of one operator."""
from __future__ import annotations

import plotly.express as px
import polars as pl
import streamlit as st

from analytics.catalogue.formats import fmt_clause, fmt_datetime, fmt_number, fmt_pct, fmt_seconds
from dashboards import context, datasource, shell
from dashboards.components import charts
from dashboards.components.coaching import good_examples_for
from dashboards.components.drill import calls_of, count_grid, records_of
from dashboards.components.export import download_buttons
from dashboards.labels import for_export, russian, short

period = shell.page()
st.title("Операторы")
st.caption(f"{period.label}. Нажмите на заголовок столбца, чтобы отсортировать; выберите строку — откроется профиль; "
           "нажмите на число — откроется список за ним.")

table = datasource.operator_table(period.start, period.end)
if table.is_empty():
    st.info("В выбранном периоде звонков нет.")
    st.stop()

shown = russian(table)


def _pick(row: int) -> None:
    st.session_state["operators_pick"] = table["operator_id"][row]


def _op(row: int) -> str:
    return table["operator_id"][row]


# each count opens the records behind it, of this operator (drill.calls_of / records_of)
count_grid(shown, "operators_table", {
    "Звонков": lambda r: calls_of(operator=_op(r)),
    "Нарушений": lambda r: calls_of(operator=_op(r), violations="1"),
    "Просрочено заявок": lambda r: records_of("requests_overdue", _op(r)),
    "Звонки без записи": lambda r: records_of("calls_missing_record", _op(r)),
}, on_row=_pick, column_config={"Таб. №": None})
download_buttons(shown, f"операторы_{period.start:%d.%m.%Y}_{period.end:%d.%m.%Y}", key="operators")

ids = table["operator_id"].to_list()
names = dict(zip(ids, table["operator_name"].to_list(), strict=False))
context.remember("operators_pick", ids[0])          # the profile stays chosen across a visit to a call
if st.session_state.get("operators_pick") not in ids:
    st.session_state["operators_pick"] = ids[0]
op = context.remembered("operators_pick", st.selectbox("Профиль оператора", ids, key="operators_pick",
                                                       format_func=lambda i: names.get(i) or i))
row = table.filter(table["operator_id"] == op).row(0, named=True)

st.header(names.get(op) or op)
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Звонков", fmt_number(row["calls"], 0))
c2.metric("Средний балл", fmt_number(row["score"]))
c3.metric("Нарушений на 100 звонков", fmt_number(row["per_100_calls"]))
c4.metric("Заявки вовремя", fmt_pct(row["requests_registered_on_time_pct"]))
c5.metric("Показания вовремя", fmt_pct(row["readings_entered_on_time_pct"]))

left, right = st.columns(2)
with left:
    st.subheader("Балл по неделям")
    tr = charts.full_axis(datasource.trend(period.start, period.end, "week", op), period.start, period.end, "week")
    target = datasource.report_options().score_target
    st.plotly_chart(charts.line(tr, "score", "Средний балл (неделя с …)", target=target, y_range=(0, 100.5),
                                height=280), key="operator_trend", config={"displayModeBar": False})
with right:
    st.subheader("Чаще всего нарушаемые пункты")
    top = datasource.operator_clauses(op, period.start, period.end)
    titles = datasource.rule_titles()
    if top.is_empty():
        st.success("Нарушений нет.")
    else:
        labels = [f"{fmt_clause(c)} · {short(titles.get(r, r), 36)}"
                  for c, r in zip(top["clause"], top["rule"], strict=True)]
        tp = top.with_columns(label=pl.Series(labels))
        bar = px.bar(tp.to_pandas(), x="violations", y="label", orientation="h",
                     labels={"violations": "Нарушений", "label": ""})
        bar.update_layout(height=min(280, 70 + 45 * tp.height), margin={"l": 10, "r": 10, "t": 10, "b": 10},
                          yaxis={"autorange": "reversed"}, separators=", ",
                          xaxis={"tickformat": ",d", "rangemode": "tozero",
                                 **({"dtick": 1} if tp["violations"].max() <= 6 else {})})
        st.plotly_chart(bar, key="operator_clauses", config={"displayModeBar": False})
        good_examples_for(top, op)   # issue 16: each frequent violation beside a good example of its clause

st.subheader("Худшие моменты")
st.caption("Цитаты из звонков с самым низким баллом; нажмите, чтобы открыть звонок с этой секунды.")
worst = datasource.worst_moments(op, period.start, period.end)
if worst.is_empty():
    st.success("Цитат с нарушениями нет.")
for i, m in enumerate(worst.to_dicts()):
    quote = m["evidence"] if len(m["evidence"]) <= 80 else m["evidence"][:77] + "…"
    label = (f"«{quote}» — {fmt_clause(m['clause'])}, {titles.get(m['rule'], m['rule'])}, "
             f"звонок {m['call_id']} ({fmt_datetime(m['started_at'])}), {fmt_seconds(m['start'])}")
    if st.button(label, key=f"worst_{i}", icon=":material/play_circle:", type="tertiary"):
        context.open_call(m["call_id"], m["start"], back="screens/operators.py")
download_buttons(for_export(russian(worst, datasource.rules())), f"моменты_{op}", key="worst")
