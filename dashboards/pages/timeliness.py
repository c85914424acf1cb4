"""«Своевременность»: the records behind the timeliness KPIs, each list exportable."""
from __future__ import annotations

import streamlit as st

from dashboards import context

period = context.period()
st.title("Своевременность")
