"""«Своевременность»: the records behind the KPIs, one list per KPI of the catalogue, each exportable.

The lists come from ``analytics.queries.kpi_lists``, built on the same definitions as the KPI
tiles; each is named as its tile and carries its count.  The list shown is in the address
(``?list=…``), so a tile opens it, and «Назад» from a call comes back to it.
"""
from __future__ import annotations

import streamlit as st

from analytics.catalogue.formats import fmt_number
from analytics.catalogue.kpis import with_records
from dashboards import context, datasource, shell
from dashboards.components.export import download_buttons
from dashboards.labels import for_export, grid_config, russian

period = shell.page()
KPIS = {k.records.name: k for k in with_records()}

st.title("Своевременность")
st.caption(f"{period.label}. Каждый перечень — записи, которые учтены в показателе с тем же названием на «Обзоре». "
           "Выберите строку, чтобы открыть звонок.")

counts = datasource.kpi_list_counts(period.start, period.end)
wanted = st.query_params.get("list")
if wanted in KPIS and wanted != st.session_state.get("_timely_list_url"):   # a link or a tile asked for this list
    st.session_state["timely_list"] = wanted
elif st.session_state.get("timely_list") not in KPIS:        # first visit, or back from another page
    st.session_state["timely_list"] = st.session_state.get("_timely_list_url") or next(iter(KPIS))
name = st.pills("Перечень", list(KPIS), key="timely_list", label_visibility="collapsed",
                format_func=lambda n: f"{KPIS[n].label} · {fmt_number(counts.get(n, 0), 0)}") or next(iter(KPIS))
st.session_state["_timely_list_url"] = name
if st.query_params.get("list") != name:
    st.query_params["list"] = name

kpi = KPIS[name]
spec = kpi.records
df = datasource.kpi_list(name, period.start, period.end)
st.subheader(f"{kpi.label}: {fmt_number(df.height, 0)}")
st.caption(f"{spec.title}. {kpi.help}")
if df.is_empty():
    st.info("Записей нет." if datasource.kpis(period.start, period.end).get("calls") else
            "Нет данных: в выбранном периоде звонков нет.")
else:
    keep = [c.source for c in spec.columns if c.source in df.columns]
    ops = datasource.operators()
    names = {i: n for i, n in zip(ops["operator_id"], ops["operator_name"], strict=True) if n}
    picked = df.select(keep)
    if "operator_id" in keep:     # the operator by name, as in the report
        picked = picked.with_columns(picked["operator_id"].replace(names))
    shown = russian(picked, headers={c.source: c.header for c in spec.columns})
    event = st.dataframe(shown, hide_index=True, key=f"timely_{name}", on_select="rerun",
                         selection_mode="single-row", column_config=grid_config(shown))
    download_buttons(for_export(shown), f"{spec.sheet}_{period.start:%d.%m.%Y}_{period.end:%d.%m.%Y}".replace(" ", "_"),
                     key=f"timely_{name}")
    call_col = "linked_call" if "linked_call" in df.columns else "call_id"
    rows = event.selection.rows if event is not None else []
    if rows and df[call_col][rows[0]]:
        context.open_call(df[call_col][rows[0]], back="screens/timeliness.py")
