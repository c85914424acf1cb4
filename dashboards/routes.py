"""The dashboard server's own routes (mounted by ``dashboards/server.py`` through ``st.App``).

- ``POST /oka/session``: a one-time sign-in ticket in, the signed HttpOnly session cookie out;
- ``POST /oka/sign-out``: the session ends and its cookie is cleared;
- ``GET /oka/file/<token>``: a recording or a download prepared by a page, to the session it was
  prepared for only; every fetch, and every refusal, is in the audit log.

``Gate`` wraps the whole server: Streamlit's own ``/media/`` store answers only a signed-in
browser (the app puts nothing there; this closes it should a page ever do), and every response
carries headers that keep remote images out of the pages.
"""
from __future__ import annotations

import logging
import mimetypes
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from analytics.access.policy import ROLES
from core.errors import OkaError
from dashboards import sessions

log = logging.getLogger(__name__)

# which role may fetch which kind of grant: an original recording only a role that plays audio,
# whatever page or token asked for it
MAY_FETCH = {
    "recording": lambda role: role.plays_audio,
    "redacted": lambda role: True,
    "export": lambda role: True,
    "report": lambda role: True,
}
_ACTION = {"recording": "play_audio", "redacted": "play_audio", "export": "export", "report": "export"}
SECURITY_HEADERS = [
    (b"content-security-policy", b"img-src 'self' data: blob:; media-src 'self' blob:; frame-ancestors 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _same_origin(request: Request) -> bool:
    """A state-changing POST must come from the dashboard's own page (no cross-site sign-in or sign-out)."""
    origin = request.headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == request.headers.get("host", "")


def _refuse(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message, status_code=status, headers={"cache-control": "no-store"})


def session_cookie(request: Request) -> sessions.WebSession | None:
    return sessions.from_cookie(request.cookies.get(sessions.COOKIE))


async def open_session(request: Request) -> Response:
    if not _same_origin(request):
        return _refuse(403, "Запрос не с этой страницы.")
    ticket = (await request.body()).decode("ascii", "ignore").strip()[:200]
    s = sessions.redeem_ticket(ticket)
    if s is None:
        return _refuse(403, "Вход устарел: войдите ещё раз.")
    resp = Response(status_code=204, headers={"cache-control": "no-store"})
    resp.set_cookie(sessions.COOKIE, sessions.cookie_value(s.sid), httponly=True, samesite="strict",
                    secure=_secure(request), path="/")
    device = sessions.device_cookie_value(s.user, request.cookies.get(sessions.DEVICE_COOKIE))
    resp.set_cookie(sessions.DEVICE_COOKIE, device, max_age=sessions.DEVICE_S, httponly=True, samesite="strict",
                    secure=_secure(request), path="/")
    return resp


async def sign_out(request: Request) -> Response:
    if not _same_origin(request):
        return _refuse(403, "Запрос не с этой страницы.")
    sessions.revoke(sessions.sid_from_cookie(request.cookies.get(sessions.COOKIE)))
    resp = Response(status_code=204, headers={"cache-control": "no-store"})
    resp.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return resp


def _log(user: str, role: str, action: str, target: str, detail: dict) -> bool:
    from dashboards import auth  # the dashboard's one writer of the audit log

    try:
        auth.record(user, role, action, target, detail)
        return True
    except OkaError as e:
        log.error("%s", e)
        return False


def fetch_file(request: Request) -> Response:
    """A prepared recording or download (a sync endpoint: Starlette runs it in its thread pool)."""
    token = request.path_params["token"]
    s = session_cookie(request)
    g = sessions.take(token, s.sid if s else None)
    if s is None or g is None:
        _log(s.user if s else "-", s.role if s else "-", "denied", "file",
             {"reason": "no session" if s is None else "not this session's file"})
        return _refuse(403, "Файл недоступен: войдите в панель и откройте его со страницы.")
    role = ROLES.get(s.role)
    if role is None or not MAY_FETCH.get(g.kind, lambda r: False)(role):
        _log(s.user, s.role, "denied", g.target, {"kind": g.kind})
        return _refuse(403, "Этот файл недоступен для вашей роли.")
    if g.path is not None and not Path(g.path).is_file():
        # Starlette looks for a file only as it sends it, and fails then with a server error: a redacted copy
        # replaced by a newer one since the page showed it, or a moved recording, is «not found», and no play
        _log(g.user, g.role, "file_missing", g.target, {"kind": g.kind, "file": g.file_name})
        return _refuse(404, "Запись не найдена: обновите страницу.")
    detail = {**g.detail, "file": g.file_name, "kind": g.kind}
    if "range" in request.headers:
        detail["range"] = request.headers["range"][:40]
    if not _log(g.user, g.role, _ACTION[g.kind], g.target, detail):
        return _refuse(503, "Журнал доступа недоступен: файл не выдан.")
    disposition = "inline" if g.kind in ("recording", "redacted") else "attachment"
    headers = {"cache-control": "no-store",
               "content-disposition": f"{disposition}; filename*=UTF-8''{quote(g.file_name)}"}
    if g.path is not None:
        return FileResponse(g.path, media_type=g.mime or mimetypes.guess_type(g.path.name)[0], headers=headers)
    try:
        body = g.build() if g.build else b""
    except OkaError as e:
        return _refuse(500, str(e))
    return Response(body, media_type=g.mime, headers=headers)


ROUTES = [
    Route(f"{sessions.ROUTE_PREFIX}/session", open_session, methods=["POST"]),
    Route(f"{sessions.ROUTE_PREFIX}/sign-out", sign_out, methods=["POST"]),
    Route(f"{sessions.ROUTE_PREFIX}/file/{{token}}", fetch_file, methods=["GET"]),
]


class Gate:
    """ASGI middleware: Streamlit's ``/media/`` only to a signed-in browser; security headers everywhere."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                present = {k.lower() for k, _ in message["headers"]}
                message["headers"] = [*message["headers"], *(h for h in SECURITY_HEADERS if h[0] not in present)]
            await send(message)

        if scope.get("path", "").startswith(_media_prefix()) and not _cookie_session(scope):
            await _refuse(403, "Нет доступа: войдите в панель.")(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def _media_prefix() -> str:
    from streamlit import config

    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"{'/' + base if base else ''}/media/"


def _cookie_session(scope) -> sessions.WebSession | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie header opens nothing
                return None
            if sessions.COOKIE in jar:
                return sessions.from_cookie(jar[sessions.COOKIE].value)
    return None
