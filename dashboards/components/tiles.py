"""KPI tiles against their targets, with the change from the previous period, each opening the
records behind it.  Built from the KPI catalogue (``analytics.catalogue.kpis``); the targets are
``[report]`` of ``oka-qa.toml``, the same the report judges by."""
from __future__ import annotations

import streamlit as st

from analytics.catalogue.formats import fmt_number
from analytics.catalogue.kpis import BY_KEY, Kpi, tiles
from dashboards.components import status

PER_ROW = 4
LISTS_PAGE = "screens/timeliness.py"
# a tile's caption wraps instead of being cut («Регистрация заявок вовремя (п. 2.6)» at 1280 px)
WRAP_LABELS = ("<style>[data-testid='stMetricLabel'] p, [data-testid='stMetricLabel'] div "
               "{white-space: normal !important; overflow: visible !important; text-overflow: clip !important;}"
               "</style>")


def tile_status(kpi: Kpi, value, target) -> str:
    """The line under a tile: the target and whether it is met, with colour and icon."""
    st_ = status.of(kpi.met(value, target), value is not None, target is not None and kpi.better is not None)
    return status.html_text(st_, kpi.fmt_target(target) if kpi.better is not None else "")


def kpi_tiles(current: dict, previous: dict | None, opts, counts: dict[str, int] | None = None) -> None:
    """The tiles of ``current``; the change from ``previous`` under each (None: not known yet, none shown);
    ``opts``: the report options holding the targets; ``counts``: records per list (a tile with a list
    gets a button that opens it)."""
    previous = previous or {}
    st.html(WRAP_LABELS)
    shown = tiles(current)
    for row_start in range(0, len(shown), PER_ROW):
        cols = st.columns(PER_ROW)
        for col, kpi in zip(cols, shown[row_start:row_start + PER_ROW], strict=False):
            value = current.get(kpi.key)
            target = kpi.target(opts)
            with col.container(border=True):
                delta = kpi.fmt_delta(value, previous.get(kpi.key))
                if delta is not None and delta.startswith("−"):   # streamlit reads the direction off an ASCII minus
                    delta = "-" + delta[1:]
                flat = delta is not None and delta.startswith("±")
                neutral = flat or kpi.better is None         # more calls is neither good nor bad
                st.metric(kpi.tile_label, kpi.fmt(value), delta, help=kpi.help,
                          delta_color="off" if neutral else "normal" if kpi.higher_is_better else "inverse",
                          delta_arrow="off" if flat else "auto")
                st.markdown(tile_status(kpi, value, target), unsafe_allow_html=True)
                if kpi.records is not None and counts is not None:
                    n = counts.get(kpi.records.name, 0)
                    # an indicator's «not on time» is its late records and, where it has them, the calls with none
                    label = "С опозданием" if kpi.also else "Записи"
                    if st.button(f"{label}: {fmt_number(n, 0)}", key=f"tile_open_{kpi.key}", type="tertiary",
                                 icon=":material/list:", help=kpi.records.title):
                        st.switch_page(LISTS_PAGE, query_params={"list": kpi.records.name})
                    rest = BY_KEY.get(kpi.also) if kpi.also else None
                    if rest is not None and rest.records is not None:
                        m = counts.get(rest.records.name, 0)
                        if st.button(f"Без записи: {fmt_number(m, 0)}", key=f"tile_open_{kpi.key}_none",
                                     type="tertiary", icon=":material/list:", help=rest.records.title):
                            st.switch_page(LISTS_PAGE, query_params={"list": rest.records.name})
