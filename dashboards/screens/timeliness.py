"""«Своевременность»: the records behind the KPIs, one list per KPI of the catalogue, each exportable.

The lists come from ``analytics.queries.kpi_lists``, built on the same definitions as the KPI
tiles; each is named as its tile and carries its count.  The list shown is in the address
(``?list=…``), so a tile opens it, and «Назад» from a call comes back to it.
"""
from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.catalogue.formats import fmt_number
from analytics.catalogue.kpis import with_records
from dashboards import auth, context, datasource, shell
from dashboards.components.export import download_buttons
from dashboards.labels import for_export, grid_config, russian

period = shell.page()
KPIS = {k.records.name: k for k in with_records()}

st.title("Своевременность")
st.caption(f"{period.label}. Каждый перечень — записи, которые учтены в показателе с тем же названием на «Обзоре». "
           "Выберите строку, чтобы открыть звонок.")

ops = datasource.operators()
names = {i: n for i, n in zip(ops["operator_id"], ops["operator_name"], strict=True) if n}
operator = st.query_params.get("operator")          # a count of one operator's clicked on «Операторы»
operator = operator if operator in set(ops["operator_id"].to_list()) else None


def _mine(df: pl.DataFrame) -> pl.DataFrame:
    """The rows of the operator asked for (every row when none is)."""
    return df.filter(pl.col("operator_id") == operator) if operator and "operator_id" in df.columns else df


if operator:
    counts = {n: _mine(datasource.kpi_list(n, period.start, period.end)).height for n in KPIS}
    c1, c2 = st.columns([4, 1], vertical_alignment="center")
    c1.info(f"Показаны записи оператора {names.get(operator, operator)}.", icon=":material/filter_alt:")
    if c2.button("Все операторы", key="timely_all_operators", icon=":material/filter_alt_off:"):
        del st.query_params["operator"]
        st.rerun()
else:
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
df = _mine(datasource.kpi_list(name, period.start, period.end))
st.subheader(f"{kpi.label}: {fmt_number(df.height, 0)}")
st.caption(f"{spec.title}. {kpi.help}")
reviewable = "verdict" in df.columns           # a records discrepancy: confirmed or dismissed on «Проверка»
if reviewable and auth.current() is not None and auth.current().role.can_review:
    st.caption("Расхождение, вызванное ошибкой распознавания, можно отклонить: оно перестанет учитываться "
               "в показателе и в справке.")
    if st.button("Проверить расхождения", icon=":material/fact_check:", key="timely_review_discrepancies"):
        st.switch_page("screens/review.py")
if df.is_empty():
    st.info("Записей нет." if datasource.kpis(period.start, period.end).get("calls") else
            "Нет данных: в выбранном периоде звонков нет.")
else:
    keep = [c.source for c in spec.columns if c.source in df.columns] + (["verdict"] if reviewable else [])
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
