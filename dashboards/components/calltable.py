"""A list of calls; selecting a row opens the call page."""
from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import context
from dashboards.components.export import download_buttons
from dashboards.labels import for_export, grid_config, russian

COLUMNS = ["call_id", "started_at", "operator_name", "topic", "score", "duration_s", "violations", "quote"]


def call_table(calls: pl.DataFrame, key: str, export_name: str, back: str | None = None) -> None:
    """The calls as a grid; a row opens its call (``back``: the page «Назад» returns to, None for the search)."""
    cols = [c for c in COLUMNS if c in calls.columns and (c != "quote" or calls["quote"].str.len_chars().sum())]
    shown = russian(calls.select(cols))
    event = st.dataframe(shown, hide_index=True, key=key, on_select="rerun", selection_mode="single-row",
                         column_config=grid_config(shown))
    download_buttons(for_export(shown), export_name, key=key)
    rows = event.selection.rows if event is not None else []
    if rows:
        context.open_call(calls["call_id"][rows[0]], back=back)
