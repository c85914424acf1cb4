"""KPI tiles against their targets, with the change from the previous period."""
from __future__ import annotations

import streamlit as st

from dashboards.targets import TILES

PER_ROW = 4


def kpi_tiles(current: dict, previous: dict | None) -> None:
    """The tiles of ``current``; the change from ``previous`` under each (None: not known yet, none shown)."""
    previous = previous or {}
    for row_start in range(0, len(TILES), PER_ROW):
        cols = st.columns(PER_ROW)
        for col, tile in zip(cols, TILES[row_start:row_start + PER_ROW]):
            value = current.get(tile.key)
            with col.container(border=True):
                delta = tile.fmt_delta(value, previous.get(tile.key))
                flat = delta is not None and not delta.lstrip("+-").strip("0,. п")
                neutral = flat or tile.target is None      # more calls is neither good nor bad
                st.metric(tile.label, tile.fmt(value), delta, help=tile.help,
                          delta_color="off" if neutral else "normal" if tile.higher_is_better else "inverse",
                          delta_arrow="off" if flat else "auto")
                met = tile.met(value)
                text = tile.target_text() or "справочно"
                if met is None:
                    st.caption(text)
                else:
                    st.caption(f":green[{text} · выполнено]" if met else f":red[{text} · не выполнено]")
