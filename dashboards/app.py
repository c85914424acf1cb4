"""The oka-qa dashboard: ``streamlit run dashboards/app.py -- --db var/oka.duckdb``.

Every page is registered in ``registry.py`` and starts with ``shell.page()``
(sidebar, period); every read goes through ``datasource.py``.
"""
from __future__ import annotations

import streamlit as st

from core.errors import OkaError
from dashboards import auth, registry

st.set_page_config(page_title="ОКА — качество обслуживания", page_icon="📞", layout="wide")

viewer = auth.current()
if viewer is None:   # the sign-in form is the only page until someone signs in (and no page list shows)
    st.navigation([st.Page(auth.require, title="Вход", url_path="sign-in", default=True)], position="hidden").run()
    st.stop()
nav = st.navigation(registry.navigation_pages(lambda spec: auth.page_allowed(viewer, spec.url_path)))
try:
    nav.run()
except OkaError as e:   # a domain error is one line for the user, never a traceback
    st.error(str(e))
