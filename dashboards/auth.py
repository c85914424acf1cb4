"""The sign-in gate: no page, table or recording is served without a session.

Local accounts (``oka-qa users add``; argon2 hashes in the users file) are the
default.  Single sign-on through Streamlit's own ``st.login`` (OIDC, set up in
``.streamlit/secrets.toml`` under ``[auth]``) is the enterprise option, turned
on by ``[access] sso = true`` in ``oka-qa.toml``; an SSO identity gets the role
of the local account whose ``sso_email`` it carries, and none without one.

The session keeps three plain values: ``oka_user``, ``oka_role`` and
``oka_operator_id``.  Every sign-in, failed sign-in and sign-out goes to the
audit log.
"""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import streamlit as st

from analytics.access import audit
from analytics.access.policy import ROLES, Viewer
from analytics.config import load as load_config
from core.errors import OkaError
from dashboards import context

log = logging.getLogger(__name__)

USER_KEY, ROLE_KEY, OPERATOR_KEY = "oka_user", "oka_role", "oka_operator_id"
USERS_ENV = "OKA_QA_USERS"            # set by ``oka-qa demo`` to its demo users file
RECORDINGS_ENV = "OKA_QA_RECORDINGS"  # set by ``oka-qa demo`` to the demo data folder
MAX_FAILURES, LOCKOUT_S = 5, 300

# pages each role may open (registry url_path); the head and the auditor open all
_PAGES_FOR = {
    "trainer": {"overview", "operators", "clauses", "calls", "timeliness", "calibration", "sample"},
    "operator": {"calls", "disputes"},
}
_PAGE_NEEDS = {"review": "can_review", "audit": "reads_audit"}


def users_file() -> Path:
    return Path(os.environ.get(USERS_ENV) or load_config().access.users_file)


def recordings_dir() -> Path:
    """The only folder audio is served from: the demo's, else ``[access] recordings_dir``, else the data
    folder of the last ``oka-qa ingest`` into this database, else the database's own folder."""
    from analytics.access.policy import remembered_recordings

    configured = os.environ.get(RECORDINGS_ENV) or load_config().access.recordings_dir
    if configured:
        return Path(configured)
    return remembered_recordings(context.db_path()) or context.db_path().parent


def current() -> Viewer | None:
    name, role_id = st.session_state.get(USER_KEY), st.session_state.get(ROLE_KEY)
    if not name or role_id not in ROLES:
        return None
    return Viewer(name, ROLES[role_id], st.session_state.get(OPERATOR_KEY) or None)


def page_allowed(viewer: Viewer, url_path: str) -> bool:
    need = _PAGE_NEEDS.get(url_path)
    if need and not getattr(viewer.role, need):
        return False
    allowed = _PAGES_FOR.get(viewer.role.id)
    return allowed is None or url_path in allowed


def guard_page(viewer: Viewer, page_file: str) -> None:
    """Stop a page this role may not open, however it was reached (navigation leaves it out already)."""
    from dashboards.registry import PAGES

    spec = next((p for p in PAGES if Path(p.path).name == Path(page_file).name), None)
    if spec is not None and not page_allowed(viewer, spec.url_path):
        log_event("denied", spec.url_path)
        st.error("Эта страница недоступна для вашей роли.")
        st.stop()


def log_event(action: str, target: str = "", detail: str | dict = "") -> None:
    """Append to the audit log as the signed-in user (an error here stops the action: nothing unlogged)."""
    viewer = current()
    audit.record(context.db_path(), viewer.name if viewer else "-", viewer.role.id if viewer else "-",
                 action, target, detail)


def log_once(action: str, target: str, detail: str | dict = "") -> None:
    """Log ``action`` on ``target`` once per session (a page reruns on every click)."""
    done = st.session_state.setdefault("oka_logged", set())
    if (action, target) not in done:
        log_event(action, target, detail)
        done.add((action, target))


def _sign_in(user) -> None:
    """Into the audit log first: if that cannot be written, nobody gets in."""
    audit.record(context.db_path(), user.name, user.role, "sign_in", user.name)
    st.session_state[USER_KEY] = user.name
    st.session_state[ROLE_KEY] = user.role
    st.session_state[OPERATOR_KEY] = user.operator_id or ""


@st.cache_resource
def _failures() -> dict[str, list[float]]:
    """Failed sign-ins per account name, shared by all sessions of this server."""
    return {}


def _locked(name: str) -> bool:
    recent = [t for t in _failures().get(name, []) if time.time() - t < LOCKOUT_S]
    _failures()[name] = recent
    return len(recent) >= MAX_FAILURES


def _sso_enabled() -> bool:
    if not load_config().access.sso:
        return False
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: SSO is simply not configured
        return False


def _sso_session():
    """The local account of a signed-in SSO identity, or None."""
    if not _sso_enabled() or not getattr(st.user, "is_logged_in", False):
        return None
    from analytics.access.users import UsersFile

    user = UsersFile(users_file()).by_sso_email(st.user.get("email"))
    if user is None:
        audit.record(context.db_path(), str(st.user.get("email")), "-", "denied", "sso", "no local account")
        st.error("Для этой корпоративной учётной записи нет роли в ОКА. Обратитесь к руководителю ОКА.")
        st.button("Выйти", on_click=st.logout)
        st.stop()
    return user


def require() -> Viewer:
    """The signed-in viewer; otherwise draws the sign-in form and stops the script."""
    db = context.db_path()
    if not db.exists():  # the same line as the store gives: nothing to sign in to yet
        st.error(f"{db}: no database here; run `oka-qa ingest DIR --db {db}` first")
        st.stop()
    viewer = current()
    if viewer is not None:
        return viewer
    from analytics.access.users import UsersFile

    try:
        sso_user = _sso_session()
        if sso_user is not None:
            _sign_in(sso_user)
            return current()
        users = UsersFile(users_file())
    except OkaError as e:  # a broken users file, an audit log that cannot be written: one line, no way in
        st.error(str(e))
        st.stop()
    st.title("Вход")
    if not users.users and not _sso_enabled():
        st.warning("Учётных записей ещё нет. Создайте первую командой "
                   "`oka-qa users add ИМЯ --role head` и обновите страницу.")
        st.stop()
    with st.form("sign_in"):
        name = st.text_input("Пользователь", key="sign_in_name")
        password = st.text_input("Пароль", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Войти", type="primary")
    if _sso_enabled():
        st.button("Войти через корпоративную учётную запись", on_click=st.login)
    if submitted:
        try:
            _check(users, name.strip(), password)
        except OkaError as e:
            st.error(str(e))
    st.stop()


def _check(users, name: str, password: str) -> None:
    if _locked(name):
        st.error(f"Слишком много неудачных попыток. Подождите {LOCKOUT_S // 60} мин.")
        return
    user = users.verify(name, password)
    if user is None:
        _failures().setdefault(name, []).append(time.time())
        audit.record(context.db_path(), name or "-", "-", "sign_in_failed", name)
        st.error("Неверное имя пользователя или пароль.")
        return
    _failures().pop(name, None)
    _sign_in(user)
    st.rerun()


def sign_out() -> None:
    log_event("sign_out")
    for key in (USER_KEY, ROLE_KEY, OPERATOR_KEY):
        st.session_state.pop(key, None)
    if getattr(st.user, "is_logged_in", False):
        st.logout()


def sidebar(viewer: Viewer) -> None:
    """Who is signed in, and the way out."""
    st.sidebar.caption(f"{viewer.name} · {viewer.role.title}")
    if st.sidebar.button("Выйти", icon=":material/logout:", key="sign_out"):
        sign_out()
        st.rerun()
