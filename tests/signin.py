"""Sign an AppTest session in without the form (the form itself is tested in tests/test_access_dashboard.py)."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboards import sessions
from dashboards.auth import OPERATOR_KEY, ROLE_KEY, SID_KEY, USER_KEY


def sign_in(at: AppTest, role: str = "head", name: str | None = None, operator_id: str = "") -> AppTest:
    """As the form does: the viewer in the tab's state, and a live web session behind it."""
    web = sessions.open_session(name or role, role, operator_id)
    at.session_state[USER_KEY] = name or role
    at.session_state[ROLE_KEY] = role
    at.session_state[OPERATOR_KEY] = operator_id
    at.session_state[SID_KEY] = web.sid
    return at
