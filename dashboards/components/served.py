"""Recordings and downloads through the app's own route, never through Streamlit's ``/media/`` store.

``st.audio`` and ``st.download_button`` publish their bytes at ``/media/<content hash>``: the same URL
in every session, answered to anyone for minutes after the tab closed, and logged nowhere.  Here a
page registers a grant (``dashboards.sessions``) bound to its session, with the user and role of the
moment, and shows a player or a link to ``/oka/file/<token>``; the route checks the browser's session
cookie and the role, logs the fetch, and serves the file.
"""
from __future__ import annotations

import html
import mimetypes
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dashboards import sessions

STYLE = ("display:inline-flex;align-items:center;gap:.3rem;padding:.25rem .75rem;border:1px solid #c3c6cf;"
         "border-radius:.5rem;color:#1b1f2a;text-decoration:none;font-size:.9rem;background:#fff")


def _url(token: str) -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{'/' + base if base else ''}{sessions.ROUTE_PREFIX}/file/{token}"


def _grant(key: str, **fields) -> str | None:
    """Register a grant for this tab's web session as the signed-in viewer; None without a session."""
    from dashboards import auth

    viewer = auth.current()
    sid = st.session_state.get(auth.SID_KEY)
    if viewer is None or not sid:
        return None
    return sessions.grant(key, sessions.Grant(sid=sid, user=viewer.name, role=viewer.role.id, **fields))


def audio_player(call_id: str, path: Path, start_s: float = 0.0, kind: str = "recording") -> bool:
    """A player for ``path`` (already checked to lie in the recordings folder) starting at ``start_s``.

    kind: "recording" (the original: the route serves it only to a role that plays audio) or "redacted".
    """
    mime = mimetypes.guess_type(path.name)[0] or "audio/wav"
    token = _grant(f"audio:{call_id}:{kind}", kind=kind, file_name=path.name, mime=mime, target=call_id,
                   path=Path(path), detail={"at_s": round(float(start_s or 0), 1)})
    if token is None:
        return False
    src = f"{_url(token)}#t={max(0.0, float(start_s or 0)):g}"
    st.html(f'<audio class="oka-player" controls preload="none" style="width:100%" '
            f'src="{html.escape(src, quote=True)}"></audio>')
    return True


def download_link(label: str, file_name: str, mime: str, build: Callable[[], bytes], key: str,
                  kind: str = "export", detail: dict | None = None) -> None:
    """A link that downloads ``build()`` as ``file_name``; the bytes are made when it is fetched."""
    token = _grant(f"file:{key}", kind=kind, file_name=file_name, mime=mime, target=file_name, build=build,
                   detail=detail or {})
    if token is None:
        st.caption("Выгрузка доступна после входа.")
        return
    st.html(f'<a class="oka-download" href="{html.escape(_url(token), quote=True)}" '
            f'download="{html.escape(file_name, quote=True)}" style="{STYLE}">↓ {html.escape(label)}</a>')
