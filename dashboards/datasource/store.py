"""The store handle and the cache: every read names the database and its data's version, and only a
signed-in viewer gets rows (``_view`` masks and filters them as the role requires).

``st.cache_data`` keeps results (never a connection) keyed by the data's version
(``analytics.queries.views.data_version``, checked every ``VERSION_TTL_S`` seconds): pages stay fast until
ingest, a records import or a review really changes something, and ``ingest`` can write in between.
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import polars as pl
import streamlit as st

from analytics.access.policy import ROLES, AccessError, Viewer, redact_frame
from analytics.queries import views
from dashboards import context
from dashboards import datasource as ds

TTL_S = 3600          # a backstop only: results are keyed by the data's version
VERSION_TTL_S = 10    # how often a session looks whether the data changed


class Store(NamedTuple):
    """The database and the version of its data: the first argument of every cached read."""

    path: Path
    version: str


@st.cache_data(ttl=VERSION_TTL_S, show_spinner=False)
def _version(path: str) -> str:
    return views.data_version(Path(path))


def _db() -> Store:
    path = context.db_path()
    return Store(path, _version(str(path)))


def refresh() -> None:
    """Forget cached results (after a write, or when the user asks)."""
    st.cache_data.clear()


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _call(db: Store, name: str, *args) -> pl.DataFrame:
    return getattr(views, name)(db.path, *args)


# What the signed-in user may see (analytics.access.policy): every frame passes through ``_view``, so a page,
# its export and any URL parameter get the same masked, filtered rows.

def _viewer() -> Viewer:
    from dashboards import auth

    viewer = auth.current()
    if viewer is None:
        raise AccessError("вход не выполнен")
    return viewer


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _seen(db: Store, role_id: str, operator_id: str, name: str, *args) -> pl.DataFrame:
    return redact_frame(Viewer("-", ROLES[role_id], operator_id or None), _call(db, name, *args))


def _view(name: str, *args) -> pl.DataFrame:
    viewer = ds._viewer()
    if viewer.role.sees_pd and not viewer.role.own_calls_only:
        return _call(_db(), name, *args)
    return _seen(_db(), viewer.role.id, viewer.operator_id or "", name, *args)


def auth_log(action: str, target: str, detail: dict) -> None:
    """The audit log entry of a write, then fresh reads everywhere."""
    from dashboards import auth

    auth.log_event(action, target, detail)
    ds.refresh()
