"""The dashboard server: Streamlit's app (``app.py``) plus the app's own routes and gate.

``oka-qa dashboard`` runs ``streamlit run dashboards/server.py -- --db PATH``;
Streamlit finds ``app`` below (an ``st.App``) and serves it with uvicorn.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from dashboards import sessions
from dashboards.context import db_path
from dashboards.routes import ROUTES, Gate

sessions.remember_devices_in(db_path().resolve().parent)   # a browser stays known across restarts
app = st.App(str(Path(__file__).resolve().parent / "app.py"), routes=ROUTES, middleware=[Middleware(Gate)])
