"""The sign-in gate: no page, table or recording is served without a session.

Local accounts (``oka-qa users add``; argon2 hashes in the users file) are the
default.  Single sign-on through Streamlit's own ``st.login`` (OIDC, set up in
``.streamlit/secrets.toml`` under ``[auth]``) is the enterprise option, turned
on by ``[access] sso = true`` in ``oka-qa.toml``; an SSO identity gets the role
of the local account whose ``sso_email`` it carries, and none without one.

The session keeps three plain values: ``oka_user``, ``oka_role`` and
``oka_operator_id``, and the id of its server-side web session
(``dashboards.sessions``).  The browser holds that session as a signed HttpOnly
cookie, so a refresh or a new tab stays signed in (and lands on the page and
call its link asked for); the session ends after ``[access] idle_timeout_min``
without use, or on sign-out, which also clears everything this tab kept.

Wrong passwords slow down the client that types them (``analytics.access.throttle``), counted per
account and address, or per browser for a browser the account signed in from before;
they never lock the account.  Every sign-in, failed or delayed sign-in and
sign-out goes to the audit log, under the account's name only if it exists
(a password typed into the name field is never stored).
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import streamlit as st

from analytics.access import audit
from analytics.access.policy import ROLES, Viewer
from analytics.access.throttle import Throttle
from analytics.config import load as load_config
from core.errors import OkaError
from dashboards import context, sessions

log = logging.getLogger(__name__)

USER_KEY, ROLE_KEY, OPERATOR_KEY = "oka_user", "oka_role", "oka_operator_id"
SID_KEY, TICKET_KEY, ENDED_KEY = "oka_sid", "oka_ticket", "oka_session_ended"
USERS_ENV = "OKA_QA_USERS"            # set by ``oka-qa demo`` to its demo users file
RECORDINGS_ENV = "OKA_QA_RECORDINGS"  # set by ``oka-qa demo`` to the demo data folder
MAX_NAME = 64                         # a longer «name» is no account's: not looked up, not stored

# pages each role may open (registry url_path); the head and the auditor open all
_PAGES_FOR = {
    "trainer": {"overview", "operators", "clauses", "calls", "timeliness", "calibration", "sample", "coaching"},
    "operator": {"me", "calls", "disputes"},
}
_PAGE_NEEDS = {"review": "can_review", "audit": "reads_audit"}
_PAGE_ONLY_FOR = {"me": {"operator"}}   # the operator's own page has nothing to show anyone else


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
    """The signed-in viewer of this tab: its own sign-in, or the browser's session cookie; None when the
    session was signed out (in any tab) or idle too long — everything the tab kept is then cleared."""
    sid = st.session_state.get(SID_KEY)
    if sid is not None and sessions.alive(sid) is None:
        _end_session("session_expired")
    if not st.session_state.get(USER_KEY):
        _from_cookie()
    name, role_id = st.session_state.get(USER_KEY), st.session_state.get(ROLE_KEY)
    if not name or role_id not in ROLES:
        return None
    return Viewer(name, ROLES[role_id], st.session_state.get(OPERATOR_KEY) or None)


def _cookie_named(name: str) -> str | None:
    try:
        value = st.context.cookies.get(name)
    except Exception:  # noqa: BLE001 - no browser behind this run (a test, a bare script)
        return None
    return value if isinstance(value, str) else None


def _cookie() -> str | None:
    return _cookie_named(sessions.COOKIE)


def _device_cookie() -> str | None:
    return _cookie_named(sessions.DEVICE_COOKIE)


def throttle_client(account: str) -> str:
    """Who is trying ``account``: this browser if the account signed in from it before, else the address."""
    return sessions.throttle_client(client_id(), _device_cookie(), account)


def _from_cookie() -> None:
    """A new tab or a refresh: take over the browser's live session if its account still has that role."""
    s = sessions.from_cookie(_cookie())
    if s is None:
        return
    from analytics.access.users import UsersFile

    try:
        user = UsersFile(users_file()).users.get(s.user)
    except OkaError:
        user = None
    if (user is None or user.role != s.role or (user.operator_id or "") != s.operator_id):
        sessions.revoke(s.sid)           # the account was removed or changed since: the cookie opens nothing
        return
    st.session_state[USER_KEY], st.session_state[ROLE_KEY] = s.user, s.role
    st.session_state[OPERATOR_KEY], st.session_state[SID_KEY] = s.operator_id, s.sid


def _end_session(action: str | None) -> None:
    """Forget everything this tab kept (the next person starts clean); log why, as the one it was."""
    name, role_id = st.session_state.get(USER_KEY), st.session_state.get(ROLE_KEY)
    if action and name:
        try:
            audit.record(context.db_path(), name, role_id or "-", action, name)
        except OkaError as e:
            log.error("%s", e)
    sessions.revoke(st.session_state.get(SID_KEY))
    st.session_state.clear()
    st.session_state[ENDED_KEY] = action or "sign_out"


def _idle_s() -> float:
    try:
        return max(1, load_config().access.idle_timeout_min) * 60.0
    except OkaError:
        return sessions.IDLE_S


def client_id() -> str:
    """Who is knocking, for throttling: the browser's IP address (``local`` on this computer)."""
    try:
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001 - no browser behind this run
        return "local"
    return ip if isinstance(ip, str) and ip else "local"


def cookie_setter() -> None:
    """After a sign-in, have the browser exchange its one-time ticket for the HttpOnly session cookie."""
    ticket = st.session_state.get(TICKET_KEY)
    if not ticket:
        return
    if not sessions.ticket_pending(ticket):
        st.session_state.pop(TICKET_KEY, None)
        return
    _script(f"fetch({json.dumps(_route('session'))}, {{method: 'POST', body: {json.dumps(ticket)}, "
            "credentials: 'same-origin'});")


def _route(name: str) -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{'/' + base if base else ''}{sessions.ROUTE_PREFIX}/{name}"


def _script(js: str) -> None:
    st.html(f"<script>{js}</script>", unsafe_allow_javascript=True)


def page_allowed(viewer: Viewer, url_path: str) -> bool:
    need = _PAGE_NEEDS.get(url_path)
    if need and not getattr(viewer.role, need):
        return False
    if url_path in _PAGE_ONLY_FOR and viewer.role.id not in _PAGE_ONLY_FOR[url_path]:
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


def denied_page(url_path: str) -> None:
    """What a page this role may not open shows at its address."""
    viewer = require()
    sidebar(viewer)
    log_event("denied", url_path)
    st.error("Эта страница недоступна для вашей роли.")


def record(user: str, role: str, action: str, target: str = "", detail: str | dict = "") -> None:
    """Append to the audit log as ``user`` (the app's routes: no Streamlit session behind them)."""
    audit.record(context.db_path(), user, role, action, target, detail)


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
    audit.record(context.db_path(), user.name, user.role, "sign_in", user.name, {"client": client_id()})
    keep = {k: st.session_state[k] for k in ("sign_in_name",) if k in st.session_state}
    st.session_state.clear()   # nothing of a previous session of this tab carries over
    st.session_state.update(keep)
    web = sessions.open_session(user.name, user.role, user.operator_id or "", client_id(), _idle_s())
    st.session_state[USER_KEY] = user.name
    st.session_state[ROLE_KEY] = user.role
    st.session_state[OPERATOR_KEY] = user.operator_id or ""
    st.session_state[SID_KEY] = web.sid
    st.session_state[TICKET_KEY] = sessions.issue_ticket(web.sid)


@st.cache_resource
def throttle() -> Throttle:
    """Failed sign-ins per client and account, shared by all sessions of this server."""
    return Throttle()


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
    ended = st.session_state.pop(ENDED_KEY, None)
    if ended == "session_expired":
        st.info("Сеанс завершён после долгого бездействия. Войдите снова.")
    if _cookie() and sessions.from_cookie(_cookie()) is None:   # a dead session cookie: have the browser drop it
        _script(f"fetch({json.dumps(_route('sign-out'))}, {{method: 'POST', credentials: 'same-origin'}});")
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
    known = name if len(name) <= MAX_NAME and name in users.users else None
    # the log names an account only if it exists: a password typed into the name field is not kept
    who, target = (known, known) if known else ("-", "неизвестная учётная запись")
    client, knocker = client_id(), throttle_client(name[:MAX_NAME])
    wait = throttle().wait_s(knocker, name[:MAX_NAME])
    if wait > 0:
        audit.record(context.db_path(), who, "-", "sign_in_throttled", target,
                     {"client": client, "wait_s": round(wait)})
        st.error(f"Слишком много неудачных попыток с этого компьютера. Повторите через {_seconds_ru(wait)}.")
        return
    user = users.verify(name, password) if len(name) <= MAX_NAME else None
    if user is None:
        throttle().failed(knocker, name[:MAX_NAME])
        audit.record(context.db_path(), who, "-", "sign_in_failed", target, {"client": client})
        st.error("Неверное имя пользователя или пароль.")
        return
    throttle().succeeded(knocker, name)
    _sign_in(user)
    st.rerun()


def _seconds_ru(s: float) -> str:
    n = max(1, round(s))
    if n >= 60:
        return f"{(n + 59) // 60} мин"
    return f"{n} с"


def sign_out() -> None:
    """Log it, end the web session (every tab, the cookie), and clear everything this tab kept."""
    log_event("sign_out")
    sso = getattr(st.user, "is_logged_in", False)
    _end_session(None)
    if sso:
        st.logout()


def sidebar(viewer: Viewer) -> None:
    """Who is signed in, and the way out."""
    st.sidebar.caption(f"{viewer.name} · {viewer.role.title}")
    if st.sidebar.button("Выйти", icon=":material/logout:", key="sign_out"):
        sign_out()
        st.rerun()
