"""The oka-qa dashboard: ``streamlit run dashboards/app.py -- --db var/oka.duckdb``.

Every page is registered in ``registry.py``; every read goes through
``datasource.py``; the period chosen in the sidebar is shared by all pages
(``context.period()``).
"""
from __future__ import annotations

import streamlit as st

from dashboards import context, datasource, registry
from dashboards.components import period as period_picker
from transcription.schema import OkaError

st.set_page_config(page_title="ОКА — качество обслуживания", page_icon="📞", layout="wide")

nav = st.navigation(registry.navigation_pages())

st.sidebar.markdown("### ОКА · СТП-04-2019")
try:
    first, last = datasource.date_range()
except OkaError as e:
    st.error(str(e))
    st.stop()
chosen = period_picker.picker(first, last)
context.set_period(chosen)
st.sidebar.caption(f"{chosen.label}: {chosen.start:%d.%m.%Y} – {chosen.end:%d.%m.%Y}")
if st.sidebar.button("Обновить данные", icon=":material/refresh:", help="Перечитать базу (кэш — 60 с)"):
    datasource.refresh()

try:
    nav.run()
except OkaError as e:   # a domain error is one line for the user, never a traceback
    st.error(str(e))
