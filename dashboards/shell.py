"""What every page does first: the sidebar (period picker, refresh) and the checks before any data.

Each page script starts with ``period = shell.page()``.  Doing it in the page
rather than in ``app.py`` keeps the sidebar on every rerun (streamlit's
AppTest reruns only the page script) and gives one place for what must happen
before a page shows data (sign-in, roles).
"""
from __future__ import annotations

import streamlit as st

from core.errors import OkaError
from dashboards import context, datasource
from dashboards.components import period as period_picker
from dashboards.components.period import Period


def page() -> Period:
    """Draw the sidebar and return the period chosen; stops the page with one line if the store cannot be read."""
    import sys

    from dashboards import auth

    viewer = auth.require()
    auth.guard_page(viewer, sys._getframe(1).f_code.co_filename)  # the page that called: is it this role's?
    auth.sidebar(viewer)
    st.sidebar.markdown("### ОКА · СТП-04-2019")
    try:
        first, last = datasource.date_range()
    except OkaError as e:
        st.error(str(e))
        st.stop()
    chosen = period_picker.picker(first, last)
    context.set_period(chosen)
    st.sidebar.caption(f"{chosen.label}: {chosen.start:%d.%m.%Y} – {chosen.end:%d.%m.%Y}")
    if st.sidebar.button("Обновить данные", icon=":material/refresh:", key="refresh",
                         help="Страницы сами перечитывают базу, когда в ней появляются новые данные "
                              f"(проверка раз в {datasource.VERSION_TTL_S} с); кнопка — сразу"):
        datasource.refresh()
    return chosen
