"""«Обзор»: the KPIs of the period against targets, trends, calls by topic."""
from __future__ import annotations

import plotly.express as px
import polars as pl
import streamlit as st

from analytics.catalogue.kpis import BY_KEY
from analytics.catalogue.labels import TOPICS_RU
from dashboards import datasource, shell
from dashboards.components import charts
from dashboards.components.drill import HINT, calls_of, count_grid
from dashboards.components.export import download_buttons
from dashboards.components.report import report_button
from dashboards.components.tiles import kpi_tiles
from dashboards.labels import for_export, russian

period = shell.page()
st.title("Обзор")
st.caption(f"{period.label} · сравнение с периодом «{period.previous().label}»")

# Actions on the period (e.g. the half-yearly report) go in this row.
actions = st.container(key="overview_actions")
with actions:
    from dashboards import auth

    viewer = auth.require()   # a trainer's report has personal data masked, as every table they see
    report_button(period, mask_personal_data=not viewer.role.sees_pd, role=viewer.role.id)

opts = datasource.report_options()
current = datasource.kpis(period.start, period.end)
before = datasource.kpis(period.previous().start, period.previous().end)
kpi_tiles(current, before, opts, datasource.kpi_list_counts(period.start, period.end))
if not current.get("calls"):
    st.info("В выбранном периоде звонков нет — выберите другой период слева.")
    st.stop()

left, right = st.columns([3, 2])
with left:
    st.subheader("Динамика")
    grain_ru = st.segmented_control("Шаг", ["неделя", "месяц"], default="месяц", key="overview_grain")
    grain = "week" if grain_ru == "неделя" else "month"
    tr = charts.full_axis(datasource.trend(period.start, period.end, grain), period.start, period.end, grain)
    score = BY_KEY["compliance_score_avg"]
    st.plotly_chart(charts.line(tr, "score", score.label, target=score.target(opts), y_range=(0, 100.5)),
                    key="overview_trend", config={"displayModeBar": False})
    st.plotly_chart(charts.line(tr, "per_100_calls", "Нарушений на 100 звонков"), key="overview_per100",
                    config={"displayModeBar": False})
    st.plotly_chart(charts.bars(tr, "calls", "Звонков"), key="overview_calls", config={"displayModeBar": False})
with right:
    st.subheader("Звонки по темам")
    topics = datasource.calls_by_topic(period.start, period.end)
    tp = topics.with_columns(pl.col("topic").replace(TOPICS_RU).alias("name"))
    pie = px.pie(tp.to_pandas(), names="name", values="calls", hole=0.45)
    pie.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h"},
                      separators=", ")
    st.plotly_chart(pie, key="overview_topics", config={"displayModeBar": False})
    topics_shown = russian(topics)
    count_grid(topics_shown, "overview_topics_table", {"Звонков": lambda r: calls_of(topic=topics["topic"][r])})
    download_buttons(for_export(topics_shown), f"темы_{period.start:%d.%m.%Y}_{period.end:%d.%m.%Y}",
                     key="overview_topics")

st.subheader("Нарушения по правилам")
viol = pl.DataFrame({"rule": list(current.get("violations", {})),
                     "violations": list(current.get("violations", {}).values())},
                    schema={"rule": pl.String, "violations": pl.Int64}).sort("violations", descending=True)
shown = russian(viol, datasource.rules())
st.caption(HINT)
count_grid(shown, "overview_violations", {"Нарушений": lambda r: calls_of(rule=viol["rule"][r], violations="1")})
download_buttons(shown, f"нарушения_{period.start:%d.%m.%Y}_{period.end:%d.%m.%Y}", key="overview_violations")

