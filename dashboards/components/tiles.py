"""KPI tiles against their targets, with the change from the previous period."""
from __future__ import annotations

import streamlit as st

from dashboards.targets import TILES

PER_ROW = 5


def kpi_tiles(current: dict, previous: dict) -> None:
    for row_start in range(0, len(TILES), PER_ROW):
        cols = st.columns(PER_ROW)
        for col, tile in zip(cols, TILES[row_start:row_start + PER_ROW]):
            value = current.get(tile.key)
            with col.container(border=True, key=f"tile_{tile.key.replace('.', '_')}"):
                st.metric(tile.label, tile.fmt(value), tile.fmt_delta(value, previous.get(tile.key)),
                          delta_color="normal" if tile.higher_is_better else "inverse", help=tile.help)
                met = tile.met(value)
                mark = "" if met is None else (" ✅" if met else " ⚠️")
                st.caption((tile.target_text() or "справочно") + mark)
