"""The oka-qa dashboard: ``streamlit run dashboards/app.py -- --db var/oka.duckdb``
(``oka-qa dashboard`` serves it through ``dashboards/server.py``, with the app's own routes).

Every page is registered in ``registry.py`` and starts with ``shell.page()``
(sidebar, period); every read goes through the ``datasource`` package.
"""
from __future__ import annotations

import functools
import logging

import streamlit as st

from core.errors import OkaError
from dashboards import auth, registry
from dashboards.components.russian_ui import russian_ui

log = logging.getLogger("dashboards")

# Set here too, not only in the server's options: whatever runs this script shows no traceback and
# offers no table export that bypasses the logged buttons (dashboards/components/export.py).
st.set_option("client.showErrorDetails", "none")
st.set_option("client.disableDataExport", True)
st.set_page_config(page_title="ОКА — качество обслуживания", page_icon="📞", layout="wide")

viewer = auth.current()
if viewer is None:
    russian_ui()   # Streamlit's own English (status, dialogs, input hints) in Russian; no sidebar here
    # The sign-in form answers at every page's address, so a link (/calls?call=…&t=…) survives the
    # sign-in: afterwards the same address opens that page and that call.
    gate = [st.Page(auth.require, title="Вход", url_path="sign-in", default=True)]
    gate += [st.Page(functools.partial(auth.require), title=spec.title, url_path=spec.url_path)
             for spec in registry.PAGES]
    st.navigation(gate, position="hidden").run()
    st.stop()
with st.sidebar:
    russian_ui()
auth.cookie_setter()
allowed = [spec for spec in registry.PAGES if auth.page_allowed(viewer, spec.url_path)]


def _home() -> None:
    """The address without a page («/»): the role's first page.  Every real page keeps its own address,
    so a link to it (/overview, /calls?call=…) never meets Streamlit's English «Page not found»."""
    st.switch_page(allowed[0].path, query_params=st.query_params.to_dict())


pages = [st.Page(_home, title="Начало", url_path="home", default=True, visibility="hidden")]
pages += [st.Page(spec.path, title=spec.title, url_path=spec.url_path, icon=spec.icon) for spec in allowed]
# A page this role may not open still answers at its address (hidden, with one Russian line).
pages += [st.Page(functools.partial(auth.denied_page, spec.url_path), title=spec.title, url_path=spec.url_path,
                  visibility="hidden") for spec in registry.PAGES if spec not in allowed]
nav = st.navigation(pages)
try:
    nav.run()
except OkaError as e:   # a domain error is one line for the user, never a traceback
    st.error(str(e))
except Exception as e:  # anything else: one Russian line here, the details in the server log
    log.exception("page %s failed", getattr(nav, "url_path", "?"))
    st.error(f"Страница не может быть показана ({type(e).__name__}). Подробности записаны в журнал сервера; "
             "обновите страницу или сообщите администратору.")
