"""«Пункты стандарта»: violations per rule and clause over time; a rule's calls."""
from __future__ import annotations

import plotly.express as px
import polars as pl
import streamlit as st

from analytics.catalogue.formats import fmt_clause, fmt_number, fmt_rule
from dashboards import datasource, shell
from dashboards.components.calltable import call_table
from dashboards.components.drill import calls_of, count_grid
from dashboards.components.export import download_buttons
from dashboards.labels import russian, short, when_order, with_when

period = shell.page()
RULE_WIDTH_PX = 560
rules = datasource.rules()
titles = datasource.rule_titles()
st.title("Пункты стандарта")
st.caption(f"{period.label}. Отклонённые аудитором срабатывания не учитываются.")

counts = datasource.rule_counts(period.start, period.end)
if counts.is_empty():
    st.success("В выбранном периоде нарушений нет.")
    st.stop()

shown = russian(counts, rules)


def _pick(row: int) -> None:
    st.session_state["clauses_rule"] = counts["rule"][row]


st.caption("Выберите строку — ниже откроются звонки с этим нарушением; нажмите на число — список за ним.")
count_grid(shown, "clauses_table", {"Нарушений": lambda r: calls_of(rule=counts["rule"][r], violations="1"),
                                    "Звонков": lambda r: calls_of(rule=counts["rule"][r], violations="1")},
           on_row=_pick, column_config={   # the rule's title is the row: room for ~80 characters at 1280×720
               "Нарушение": st.column_config.TextColumn("Нарушение", width=RULE_WIDTH_PX)})
download_buttons(shown, f"нарушения_по_пунктам_{period.start:%d.%m.%Y}_{period.end:%d.%m.%Y}", key="clauses")

left, right = st.columns(2)
grain_ru = left.segmented_control("Шаг", ["неделя", "месяц"], default="месяц", key="clauses_grain")
by = right.segmented_control("Разрез", ["правила", "пункты СТП"], default="правила", key="clauses_by")
tr = datasource.rule_trend(period.start, period.end, "week" if grain_ru == "неделя" else "month")
clause_of = dict(zip(counts["rule"].to_list(), counts["clause"].to_list(), strict=False))
if by == "пункты СТП":   # rules that cite the same clause add up (15.1: forbidden address and «ты»)
    tr = (tr.with_columns(pl.Series("name", [fmt_clause(clause_of.get(r)) for r in tr["rule"]], dtype=pl.String))
          .group_by("period_start", "name").agg(pl.col("violations").sum()).sort("period_start", "name"))
else:
    tr = tr.with_columns(pl.Series("name", [f"{fmt_clause(clause_of.get(r))} · {short(titles.get(r, r))}"
                                            for r in tr["rule"]], dtype=pl.String))
tr = with_when(tr, "week" if grain_ru == "неделя" else "month")
fig = px.bar(tr.to_pandas(), x="when", y="violations", color="name", category_orders=when_order(tr),
             labels={"when": "", "violations": "Нарушений", "name": ""})
fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h", "y": -0.2},
                  separators=", ",
                  yaxis={"tickformat": ",d", **({"dtick": 1} if (tr["violations"].max() or 0) <= 6 else {})})
st.plotly_chart(fig, key="clauses_trend", config={"displayModeBar": False})

rules = counts["rule"].to_list()
if st.session_state.get("clauses_rule") not in rules:
    st.session_state["clauses_rule"] = rules[0]
rule = st.selectbox("Звонки с нарушением", rules, key="clauses_rule",
                    format_func=lambda r: fmt_rule(titles.get(r), clause_of[r], r))
calls = datasource.search_calls(datasource.CallFilter(period.start, period.end, rule=rule, limit=500))
st.caption(f"Звонков: {fmt_number(calls.height, 0)}" + (" (показаны первые 500)" if calls.height >= 500 else ""))
call_table(calls, key="clauses_calls", export_name=f"звонки_по_нарушению_{period.start:%d.%m.%Y}_{period.end:%d.%m.%Y}",
           back="screens/clauses.py")
