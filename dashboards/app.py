"""The oka-qa dashboard: ``streamlit run dashboards/app.py -- --db var/oka.duckdb``.

Every page is registered in ``registry.py`` and starts with ``shell.page()``
(sidebar, period); every read goes through ``datasource.py``.
"""
from __future__ import annotations

import streamlit as st

from dashboards import registry
from transcription.schema import OkaError

st.set_page_config(page_title="ОКА — качество обслуживания", page_icon="📞", layout="wide")

nav = st.navigation(registry.navigation_pages())
try:
    nav.run()
except OkaError as e:   # a domain error is one line for the user, never a traceback
    st.error(str(e))
