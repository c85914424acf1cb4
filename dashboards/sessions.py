"""Web sessions of the dashboard server, shared by the page scripts and the app's own routes.

A sign-in opens a session here (``open_session``); the browser holds it as a
signed, HttpOnly cookie (``COOKIE``) set by the route ``/oka/session`` in
exchange for a one-time ticket, so a refresh or a new tab finds the session
again.  A session ends after ``idle_s`` without use, or at once on sign-out
(``revoke``): its cookie then opens nothing, in any tab.

Recordings and downloads are served only through grants (``grant``): a random
token bound to one session, its user and role captured when the file was
prepared, valid for a few minutes.  ``/oka/file/<token>`` answers only the
browser whose session cookie is the one the grant was made for, and logs each
fetch (``dashboards.routes``).  Nothing of a session is written to disk: the
server's restart ends every session.  The one thing kept is the key that signs
the device cookies (``remember_devices_in``: beside the database, or in the
user's state folder where the database's is read-only), so that a browser stays
known to the sign-in throttle as long as ``DEVICE_S`` says, across restarts.
"""
from __future__ import annotations

import errno
import hashlib
import hmac
import logging
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

COOKIE = "oka_session"
DEVICE_COOKIE = "oka_device"   # names the accounts signed in from this browser (sign-in throttling only)
DEVICE_S = 180 * 24 * 3600     # how long a browser is remembered
ROUTE_PREFIX = "/oka"
IDLE_S = 30 * 60           # the default idle timeout; ``[access] idle_timeout_min`` sets it
TICKET_S = 120             # a sign-in ticket must be exchanged for the cookie this soon
GRANT_S = 15 * 60          # a prepared file or recording is served this long after the page showed it

DEVICE_KEY_FILE = ".oka-device-key"   # beside the database (``remember_devices_in``)
_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}   # a folder the key cannot be made in

_KEY = secrets.token_bytes(32)   # signs the session cookies of this server process
_device_key = secrets.token_bytes(32)   # signs the device cookies; a kept one after ``remember_devices_in``
_lock = threading.Lock()
log = logging.getLogger(__name__)


@dataclass
class WebSession:
    sid: str
    user: str
    role: str
    operator_id: str
    client: str
    created: float
    last_seen: float
    idle_s: float = IDLE_S


@dataclass
class Grant:
    """One file a session may fetch: a recording (``path``) or a download (``build`` makes the bytes).

    kind: "recording" (the original audio; only a role that plays audio), "redacted" (audio with personal
    data silenced), "export" (a table), "report" (a document).  user/role: who prepared it, for the log.
    """

    sid: str
    kind: str
    file_name: str
    mime: str
    user: str
    role: str
    target: str
    path: Path | None = None
    build: Callable[[], bytes] | None = None
    detail: dict = field(default_factory=dict)
    expires: float = 0.0


_sessions: dict[str, WebSession] = {}
_tickets: dict[str, tuple[str, float]] = {}
_grants: dict[str, Grant] = {}
_grant_of: dict[tuple[str, str], str] = {}     # (sid, key) -> token: one live grant per button


def _sign(sid: str) -> str:
    return hmac.new(_KEY, sid.encode("ascii"), hashlib.sha256).hexdigest()


def open_session(user: str, role: str, operator_id: str = "", client: str = "", idle_s: float = IDLE_S
                 ) -> WebSession:
    now = time.time()
    s = WebSession(secrets.token_urlsafe(24), user, role, operator_id or "", client, now, now, idle_s)
    with _lock:
        _sessions[s.sid] = s
    return s


def alive(sid: str | None) -> WebSession | None:
    """The session if it exists and was used within its idle timeout (this use counts), else None."""
    if not sid:
        return None
    now = time.time()
    with _lock:
        s = _sessions.get(sid)
        if s is None:
            return None
        if now - s.last_seen > s.idle_s:
            _drop(sid)
            return None
        s.last_seen = now
        return s


def revoke(sid: str | None) -> None:
    with _lock:
        _drop(sid or "")


def _drop(sid: str) -> None:
    _sessions.pop(sid, None)
    for key in [k for k in _grant_of if k[0] == sid]:
        _grants.pop(_grant_of.pop(key), None)
    for t in [t for t, (s, _) in _tickets.items() if s == sid]:
        _tickets.pop(t, None)


def cookie_value(sid: str) -> str:
    return f"{sid}.{_sign(sid)}"


def sid_from_cookie(value: str | None) -> str | None:
    """The session id a cookie carries, if its signature is this server's."""
    if not value or "." not in value:
        return None
    sid, _, sig = value.rpartition(".")
    return sid if hmac.compare_digest(sig, _sign(sid)) else None


def from_cookie(value: str | None) -> WebSession | None:
    return alive(sid_from_cookie(value))


def _device_sign(body: str) -> str:
    return hmac.new(_device_key, ("device:" + body).encode("ascii"), hashlib.sha256).hexdigest()


def remember_devices_in(folder: Path) -> Path | None:
    """Sign device cookies with the key kept in ``folder``/``DEVICE_KEY_FILE`` (made the first time, readable
    by the server's user only), so that a browser a user signed in from stays known to the sign-in throttle
    after the server restarts.  Where ``folder`` is read-only for the server's user and holds no key yet, the
    key is kept in the user's own state folder instead (:func:`state_key_path`, one line says where).  The key
    file, or None when it cannot be read or made (the cookies then last as long as this process, and one line
    says why).  Session cookies keep this process's key."""
    global _device_key
    path = Path(folder) / DEVICE_KEY_FILE
    try:
        key = _kept_key(path)
    except OSError as e:
        if e.errno not in _READ_ONLY or os.path.lexists(path):   # a missing folder, a key that cannot be read
            return _unusable(path, e)
        try:
            fallback = state_key_path(Path(folder))
        except (RuntimeError, KeyError) as e2:   # no home folder for this user
            return _unusable(path, e, "Make the database's folder writable for this user, or set XDG_STATE_HOME "
                             f"to a folder that is, and restart ({e2}).")
        try:
            fallback.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            key = _kept_key(fallback)
        except (OSError, ValueError) as e2:
            return _unusable(fallback, e2, "Make the database's folder writable for this user, or set "
                                           "XDG_STATE_HOME to a folder that is, and restart.")
        log.warning("%s: the database's folder is read-only for this user, so the device cookies' key is kept "
                    "in %s", folder, fallback)
        path = fallback
    except ValueError as e:
        return _unusable(path, e)
    _device_key = key
    return path


def state_key_path(folder: Path) -> Path:
    """Where the device cookies' key of the database in ``folder`` is kept when that folder is read-only:
    ``$XDG_STATE_HOME/oka-qa`` (``~/.local/state/oka-qa`` by default), one file per database folder."""
    root = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "oka-qa"
    digest = hashlib.sha256(str(Path(folder).resolve()).encode("utf-8")).hexdigest()[:16]
    return root / f"device-key-{digest}"


def _kept_key(path: Path) -> bytes:
    """The key in ``path``, made there (0600) the first time: written whole under a name of its own, then
    linked into place, so that a second server starting at the same moment reads the first one's key, never
    an empty file, and a crash leaves no half-made key."""
    if not path.is_file():
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)   # 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(secrets.token_bytes(32).hex() + "\n")
            os.link(tmp, path)
        except FileExistsError:
            pass                    # another server made it first: its key is the one
        finally:
            os.unlink(tmp)
    key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    if len(key) < 32:
        raise ValueError("shorter than 32 bytes")
    return key


def _unusable(path: Path, e: Exception,
              what_to_do: str = "Delete the file, or make its folder writable, and restart.") -> None:
    log.error("%s: the device cookies' key could not be read or made (%s); browsers are remembered only "
              "until the server restarts. %s", path, e, what_to_do)
    return None


def device_cookie_value(user: str, previous: str | None = None) -> str:
    """The browser cookie set at a sign-in: a random browser id and the accounts signed in from it (signed).

    It opens nothing; it only lets the sign-in throttle tell this browser from others behind the same
    address (``throttle_client``).  The accounts of an earlier cookie of this browser are kept (last 5).
    """
    token, users = devices_of(previous) or (secrets.token_urlsafe(12), ())
    users = (*tuple(u for u in users if u != user)[-4:], user)
    body = token + ":" + "~".join(u.encode("utf-8").hex() for u in users)   # no character a cookie quotes
    return f"{body}.{_device_sign(body)}"


def devices_of(value: str | None) -> tuple[str, tuple[str, ...]] | None:
    """(browser id, accounts) of a device cookie whose signature is this server's, else None."""
    if not value or "." not in value or not value.isascii():
        return None
    body, _, sig = value.rpartition(".")
    if not hmac.compare_digest(sig, _device_sign(body)) or ":" not in body:
        return None
    token, _, users = body.partition(":")
    try:
        return token, tuple(bytes.fromhex(u).decode("utf-8") for u in users.split("~") if u)
    except ValueError:
        return None


def throttle_client(address: str, device_cookie: str | None, account: str) -> str:
    """Who is trying ``account``, for the sign-in throttle: a browser from which this account signed in
    before is itself (so a guesser behind the same address, an office's one outside address, does
    not slow its owner down); any other attempt is its address."""
    known = devices_of(device_cookie)
    if known and account in known[1]:
        return f"browser:{known[0]}"
    return f"address:{address}"


def issue_ticket(sid: str) -> str:
    """A one-time ticket the browser exchanges for the session cookie (``POST /oka/session``)."""
    ticket = secrets.token_urlsafe(24)
    with _lock:
        _tickets[ticket] = (sid, time.time() + TICKET_S)
    return ticket


def redeem_ticket(ticket: str) -> WebSession | None:
    with _lock:
        sid, until = _tickets.pop(ticket, ("", 0.0))
    if time.time() > until:
        return None
    return alive(sid)


def ticket_pending(ticket: str) -> bool:
    with _lock:
        return ticket in _tickets


def grant(key: str, g: Grant) -> str:
    """Register ``g`` under ``key`` (one button on one page); returns the token of its URL.

    The same button on the next rerun replaces its grant under the same token (a player keeps its
    place); a session holds one grant per button.
    """
    g.expires = time.time() + GRANT_S
    with _lock:
        token = _grant_of.get((g.sid, key))
        if token is None or token not in _grants:
            token = secrets.token_urlsafe(24)
        _grant_of[(g.sid, key)] = token
        _grants[token] = g
        _expire(time.time())
    return token


def _expire(now: float) -> None:
    for t in [t for t, g in _grants.items() if g.expires < now]:
        _grants.pop(t, None)
    for k in [k for k, t in _grant_of.items() if t not in _grants]:
        _grant_of.pop(k, None)


def take(token: str, sid: str | None) -> Grant | None:
    """The grant behind ``token`` if it is live and was made for session ``sid``."""
    with _lock:
        g = _grants.get(token)
        if g is None or g.expires < time.time() or not sid or not hmac.compare_digest(g.sid, sid):
            return None
    return g


def reset() -> None:
    """Forget every session, ticket and grant (tests)."""
    with _lock:
        _sessions.clear()
        _tickets.clear()
        _grants.clear()
        _grant_of.clear()
