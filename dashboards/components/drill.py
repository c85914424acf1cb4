"""From a count in a table to the list behind it: a click on a count cell opens, in this tab (the period
stays), the page that lists those records, its filters in the address (so «Назад» and a shared link work).

``count_grid`` draws the grid: the count columns named in ``links`` (header -> row -> (page, query)) are
clickable cells, marked «→»; a row's checkbox still selects the row (``on_row``), as before.
"""
from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st

from dashboards.labels import grid_config

Target = tuple[str, dict[str, str]]          # (page script, query parameters)
HINT = "Нажмите на число в таблице — откроется список за ним."
CALLS_PAGE = "screens/calls.py"
TIMELINESS_PAGE = "screens/timeliness.py"


def count_grid(shown: pl.DataFrame, key: str, links: dict[str, Callable[[int], Target | None]],
               on_row: Callable[[int], None] | None = None, **kwargs) -> None:
    """``shown`` as a grid whose count cells (``links``) open their lists; ``on_row(i)`` when row i is selected."""
    handled_key = f"_{key}_cell"

    def _row_selected() -> None:
        rows = st.session_state[key].selection.rows
        if rows and on_row is not None:
            on_row(rows[0])

    config = {**grid_config(shown), **kwargs.pop("column_config", {})}
    for header in links:
        if header in shown.columns:
            column = config.setdefault(header, st.column_config.NumberColumn(header))
            if column is not None:
                column["help"] = "Нажмите на число — откроется список за ним"
                column.setdefault("type_config", {})["format"] = "%d →"
    modes = ["single-cell", "single-row"] if on_row is not None else ["single-cell"]
    event = st.dataframe(shown, hide_index=True, key=key, on_select=_row_selected, selection_mode=modes,
                         column_config=config, **kwargs)
    cells = [tuple(c) for c in (event.selection.cells if event is not None else [])]
    if not cells:                              # nothing chosen (or back on the page): the next click counts
        st.session_state.pop(handled_key, None)
        return
    if cells[0] == st.session_state.get(handled_key):
        return                                 # the same cell, still selected: already followed
    st.session_state[handled_key] = cells[0]
    row, header = cells[0]
    target = links[header](int(row)) if header in links else None
    if target is not None:
        st.switch_page(target[0], query_params=target[1])


def calls_of(**filters: str | None) -> Target:
    """The «Звонки» search with these filters (operator, topic, rule, violations)."""
    return CALLS_PAGE, {k: v for k, v in filters.items() if v}


def records_of(list_name: str, operator: str | None = None) -> Target:
    """A «Своевременность» list (``analytics.queries.kpi_lists``), of one operator if given."""
    return TIMELINESS_PAGE, {"list": list_name, **({"operator": operator} if operator else {})}
