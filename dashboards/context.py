"""What every page shares: the database path, the chosen period and the call to open.

The database comes from ``--db PATH`` after ``--`` on the streamlit command line,
else the ``OKA_QA_DB`` environment variable (both set by ``oka-qa dashboard``),
else the configured default.  The period is chosen once, in the sidebar
(``app.py``), and read by every page from here.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import streamlit as st

from dashboards.components.period import Period

DB_ENV = "OKA_QA_DB"
_PERIOD_KEY = "oka_period"
_CALL_KEY = "oka_call"
_CALL_T_KEY = "oka_call_t"
_BACK_KEY = "oka_call_back"
CALLS_PAGE = "screens/calls.py"


def db_path() -> Path:
    """The DuckDB file this dashboard shows."""
    argv = sys.argv[1:]
    if "--db" in argv and argv.index("--db") + 1 < len(argv):
        return Path(argv[argv.index("--db") + 1])
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV])
    from analytics.config import load

    return Path(load().store.db)


def set_period(period: Period) -> None:
    st.session_state[_PERIOD_KEY] = period


def period() -> Period:
    """The period chosen in the sidebar."""
    return st.session_state[_PERIOD_KEY]


def open_call(call_id: str, at_second: float | None = None, back: str | None = None) -> None:
    """Go to the call page showing ``call_id``, its player starting at ``at_second``; «Назад» there
    returns to the page ``back`` (a page script, e.g. "screens/review.py") with its address as it is now."""
    st.session_state[_CALL_KEY] = call_id
    st.session_state[_CALL_T_KEY] = at_second
    st.session_state[_BACK_KEY] = (back, {k: st.query_params[k] for k in st.query_params}) if back else None
    params = {"call": call_id}
    if at_second is not None:
        params["t"] = f"{at_second:g}"
    st.switch_page(CALLS_PAGE, query_params=params)


def chosen_call() -> tuple[str | None, float | None]:
    """The call to show on the call page (from a link's query or a click elsewhere) and its start second."""
    qp = st.query_params
    if "call" in qp:
        st.session_state[_CALL_KEY] = qp["call"]
        try:
            st.session_state[_CALL_T_KEY] = float(qp["t"]) if "t" in qp else None
        except ValueError:
            st.session_state[_CALL_T_KEY] = None
    return st.session_state.get(_CALL_KEY), st.session_state.get(_CALL_T_KEY)


def seek(at_second: float) -> None:
    """Start the call page's player at ``at_second`` (a click on an utterance)."""
    st.session_state[_CALL_T_KEY] = at_second
    if "call" in st.query_params:
        st.query_params["t"] = f"{at_second:g}"


def back_page() -> tuple[str, dict] | None:
    """The page (and its address) the call was opened from, if not the call search."""
    return st.session_state.get(_BACK_KEY)


def go_back() -> None:
    """Close the call and return where it was opened from (the tab, list and filters as they were)."""
    back = back_page()
    close_call()
    if back:
        st.switch_page(back[0], query_params=back[1])
    st.rerun()


def remember(key: str, default) -> None:
    """Give widget ``key`` its last value before it is drawn: streamlit forgets the widgets of a page
    left for another, so filters would reset after a visit to a call."""
    st.session_state[key] = st.session_state.get(key, st.session_state.get(f"_kept_{key}", default))


def remembered(key: str, value):
    """Keep ``value`` of widget ``key`` for ``remember``; returns it."""
    st.session_state[f"_kept_{key}"] = value
    return value


def close_call() -> None:
    st.session_state.pop(_CALL_KEY, None)
    st.session_state.pop(_CALL_T_KEY, None)
    st.session_state.pop(_BACK_KEY, None)
    for key in ("call", "t"):
        if key in st.query_params:
            del st.query_params[key]


def reviewer() -> str:
    """Who is using the dashboard (the sign-in sets ``oka_user``); empty when nobody signed in."""
    return str(st.session_state.get("oka_user", ""))
