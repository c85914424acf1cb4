"""«Обзор»: the KPIs of the period against targets, trends, calls by topic."""
from __future__ import annotations

import plotly.express as px
import polars as pl
import streamlit as st

from dashboards import datasource, shell
from dashboards.components.export import download_buttons
from dashboards.components.report import report_button
from dashboards.components.tiles import kpi_tiles
from dashboards.labels import TOPICS_RU, russian, with_when

period = shell.page()
st.title("Обзор")
st.caption(f"{period.label} · сравнение с периодом «{period.previous().label}»")

# Actions on the period (e.g. the half-yearly report) go in this row.
actions = st.container(key="overview_actions")
with actions:
    from dashboards import auth

    viewer = auth.require()   # a trainer's report has personal data masked, as every table they see
    report_button(period, mask_personal_data=not viewer.role.sees_pd, role=viewer.role.id)

# The tiles show as soon as the period's KPIs are in; the change from the previous period (a second
# KPI computation, seconds on a large store when not cached) fills in at the end of the page.
tiles = st.empty()
current = datasource.kpis(period.start, period.end)
with tiles.container():
    kpi_tiles(current, None)


def add_changes() -> None:
    before = datasource.kpis(period.previous().start, period.previous().end)
    with tiles.container():
        kpi_tiles(current, before)


if not current.get("calls"):
    add_changes()
    st.info("В выбранном периоде звонков нет — выберите другой период слева.")
    st.stop()

left, right = st.columns([3, 2])
with left:
    st.subheader("Динамика")
    grain_ru = st.segmented_control("Шаг", ["неделя", "месяц"], default="месяц", key="overview_grain")
    grain = "week" if grain_ru == "неделя" else "month"
    tr = with_when(datasource.trend(period.start, period.end, grain), grain)
    fig = px.line(tr.to_pandas(), x="when", y=["score", "per_100_calls"], markers=True,
                  labels={"when": "", "value": "", "variable": ""})
    names = {"score": "Средний балл", "per_100_calls": "Нарушений на 100 звонков"}
    fig.for_each_trace(lambda t: t.update(name=names[t.name]))
    fig.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h"})
    st.plotly_chart(fig, key="overview_trend")
    calls_fig = px.bar(tr.to_pandas(), x="when", y="calls", labels={"when": "", "calls": "Звонков"})
    calls_fig.update_layout(height=200, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(calls_fig, key="overview_calls")
with right:
    st.subheader("Звонки по темам")
    topics = datasource.calls_by_topic(period.start, period.end)
    tp = topics.with_columns(pl.col("topic").replace(TOPICS_RU).alias("name"))
    pie = px.pie(tp.to_pandas(), names="name", values="calls", hole=0.45)
    pie.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h"})
    st.plotly_chart(pie, key="overview_topics")
    topics_shown = russian(topics)
    st.dataframe(topics_shown, hide_index=True, key="overview_topics_table")
    download_buttons(topics_shown, f"темы_{period.start}_{period.end}", key="overview_topics")

st.subheader("Нарушения по правилам")
viol = pl.DataFrame({"rule": list(current.get("violations", {})),
                     "violations": list(current.get("violations", {}).values())},
                    schema={"rule": pl.String, "violations": pl.Int64}).sort("violations", descending=True)
shown = russian(viol, datasource.rule_titles())
st.dataframe(shown, hide_index=True, key="overview_violations")
download_buttons(shown, f"нарушения_{period.start}_{period.end}", key="overview_violations")

add_changes()
