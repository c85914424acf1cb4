"""The one place the dashboard reads data: cached wrappers around ``analytics``.

Each wrapper opens nothing itself; the analytics function opens a short-lived
read-only connection, and ``st.cache_data`` keeps the result (never the
connection) keyed by the data's version (``analytics.queries.views.data_version``,
checked every ``VERSION_TTL_S`` seconds): pages stay fast until ingest, a
records import or a review really changes something, and ``ingest`` can write
in between.  Anything that must change what users see (masking, per-role
filtering) belongs here, where every read passes.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path
from typing import NamedTuple

import polars as pl
import streamlit as st

from analytics.access.policy import ROLES, AccessError, Viewer, redact_call, redact_frame
from analytics.queries import views
from analytics.queries.call_search import CallFilter
from analytics.queries.views import REVIEW_STATES
from analytics.storage.reviews import VERDICTS
from core.errors import OkaError
from dashboards import context

# what the pages pass back in (a search's filter) or choose from (review states, verdicts)
__all__ = ["REVIEW_STATES", "VERDICTS", "CallFilter"]

log = logging.getLogger(__name__)

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


# --- KPIs: the same numbers as `oka-qa kpi --json` ------------------------------------------

@st.cache_data(ttl=TTL_S, show_spinner=False)
def _kpis(db: Store, date_from: dt.date, date_to: dt.date) -> dict:
    from analytics.queries.kpi import compute_kpis

    return compute_kpis(db.path, date_from, date_to)


def kpis(date_from: dt.date, date_to: dt.date) -> dict:
    """docs/CONTRACT.md section 5 for the period (``analytics.queries.kpi.compute_kpis``)."""
    return _kpis(_db(), date_from, date_to)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _kpi_list(db: Store, name: str, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    from analytics.queries.kpi_lists import LISTS

    return LISTS[name](db.path, date_from, date_to)


def kpi_list(name: str, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    """The records behind the KPI ``name`` (``analytics.queries.kpi_lists.LISTS``): the tiles' definitions."""
    return redact_frame(_viewer(), _kpi_list(_db(), name, date_from, date_to))


def kpi_list_counts(date_from: dt.date, date_to: dt.date) -> dict[str, int]:
    """How many records each list of the KPI catalogue holds (the counts on the tabs and tiles)."""
    from analytics.catalogue.kpis import with_records

    return {k.records.name: kpi_list(k.records.name, date_from, date_to).height for k in with_records()}


def report_options(mask_personal_data: bool = False):
    """``[report]`` of ``oka-qa.toml``: the targets of the tiles and of the report are the same."""
    from analytics.config import load

    opts = dataclasses.replace(load().report, mask_personal_data=mask_personal_data)
    return opts


# --- rulebook -------------------------------------------------------------------------------

@st.cache_resource(show_spinner=False)
def rules() -> dict[str, tuple[str, str]]:
    """Rule id -> (clause, Russian title) from the rulebook (empty if it cannot load: ids are shown)."""
    try:
        from rules.engine import Checker

        return {r.id: (str(r.clause), r.title_ru) for r in Checker.default().rules}
    except (ImportError, OkaError) as e:  # the dashboard still works with bare rule ids
        log.warning("rulebook titles unavailable: %s", e)
        return {}


def rule_titles() -> dict[str, str]:
    """Rule id -> Russian title."""
    return {rule: title for rule, (_clause, title) in rules().items()}


# --- views ----------------------------------------------------------------------------------

@st.cache_data(ttl=TTL_S, show_spinner=False)
def _date_range(db: Store) -> tuple[dt.date | None, dt.date | None]:
    return views.date_range(db.path)


def date_range() -> tuple[dt.date | None, dt.date | None]:
    return _date_range(_db())


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _call(db: Store, name: str, *args) -> pl.DataFrame:
    return getattr(views, name)(db.path, *args)


# What the signed-in user may see (analytics.access.policy): every frame below passes through ``_view``,
# so a page, its export and any URL parameter get the same masked, filtered rows.

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
    viewer = _viewer()
    if viewer.role.sees_pd and not viewer.role.own_calls_only:
        return _call(_db(), name, *args)
    return _seen(_db(), viewer.role.id, viewer.operator_id or "", name, *args)


def operators() -> pl.DataFrame:
    return _view("operators")


def calls_by_topic(date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    return _view("calls_by_topic", date_from, date_to)


def trend(date_from: dt.date, date_to: dt.date, grain: str, operator_id: str | None = None) -> pl.DataFrame:
    return _view("trend", date_from, date_to, grain, operator_id)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _by_operator(db: Store, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    from analytics.queries.kpi import by_operator

    return by_operator(db.path, date_from, date_to)


def operator_table(date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    """Per operator who took a call in the period: the KPIs of ``analytics.queries.kpi`` (one definition) and names."""
    kpi = redact_frame(_viewer(), _by_operator(_db(), date_from, date_to).filter(pl.col("calls") > 0))
    return (kpi.join(operators(), on="operator_id", how="left")
            .select("operator_id", pl.coalesce("operator_name", "operator_id").alias("operator_name"), "calls",
                    pl.col("compliance_score_avg").alias("score"), "violations",
                    (100.0 * pl.col("violations") / pl.col("calls")).round(1).alias("per_100_calls"),
                    "requests_registered_on_time_pct", "readings_entered_on_time_pct",
                    "requests_overdue", "calls_missing_record")
            .sort("operator_name"))


def operator_clauses(operator_id: str, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    return _view("operator_clauses", operator_id, date_from, date_to)


def worst_moments(operator_id: str, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    return _view("worst_moments", operator_id, date_from, date_to)


def rule_counts(date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    return _view("rule_counts", date_from, date_to)


def rule_trend(date_from: dt.date, date_to: dt.date, grain: str) -> pl.DataFrame:
    return _view("rule_trend", date_from, date_to, grain)


def search_calls(flt: views.CallFilter) -> pl.DataFrame:
    from analytics.access.policy import MAX_QUERY_WORDS

    viewer = _viewer()
    flt = dataclasses.replace(flt, word_forms=tuple(flt.word_forms)[:MAX_QUERY_WORDS])   # however it was built
    flt = dataclasses.replace(flt, masked=not viewer.role.sees_pd)
    if flt.masked and views.searches_personal_data(flt.word_forms):
        # searching for a number or a name would tell which calls hold it: refused, with an empty result
        st.error("Поиск по персональным данным (номерам, именам) недоступен для вашей роли.")
        return _view("search_calls", dataclasses.replace(flt, word_forms=())).clear()
    return _view("search_calls", flt)


def call_detail(call_id: str) -> views.CallDetail | None:
    """The call as the signed-in user may see it: None if it is not theirs (an operator) or not stored."""
    return redact_call(_viewer(), _call(_db(), "call_detail", call_id))


def findings_for_review(date_from: dt.date, date_to: dt.date, rule: str | None, state: str) -> pl.DataFrame:
    _viewer().require("can_review")  # the review page is the auditors': refused to others even by URL
    return _view("findings_for_review", date_from, date_to, rule, state)


def rule_precision() -> pl.DataFrame:
    return _view("rule_precision")


# --- the one write: an auditor's verdict ----------------------------------------------------

def save_review(call_id: str, idx: int, verdict: str, comment: str) -> None:
    from analytics.storage.reviews import save_review as save
    from dashboards import auth

    _viewer().require("can_review")
    save(context.db_path(), call_id, idx, verdict, comment, context.reviewer())
    auth.log_event("review", f"{call_id}#{idx}", {"verdict": verdict, "comment": comment})
    refresh()


# --- «Требует проверки»: uncertain findings, the decisions that move the KPIs most first -------

def _weights() -> tuple[dict[str, float], float]:
    """Rule id -> weight, and the score's floor, from the rulebook (what confirming a finding costs the score)."""
    from rules.engine import Checker

    book = Checker.default().rulebook
    return {r.id: r.weight for r in book.rules}, book.score_floor


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _uncertain(db: Store, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    from analytics.queries.uncertain_queue import uncertain_queue

    return uncertain_queue(db.path, date_from, date_to, _weights()[0])


def uncertain_queue(date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    """The undecided uncertain findings of the period, most consequential first (auditors only)."""
    viewer = _viewer()
    viewer.require("can_review")
    return redact_frame(viewer, _uncertain(_db(), date_from, date_to))


def decide_uncertain(call_id: str, idx: int, verdict: str, comment: str) -> None:
    """Confirm (it counts from now on) or reject an uncertain finding."""
    from analytics.storage.uncertain import decide_uncertain as decide
    from dashboards import auth

    _viewer().require("can_review")
    weights, floor = _weights()
    rule = _uncertain_rule(call_id, idx)
    decide(context.db_path(), call_id, idx, verdict, weights.get(rule, 0.0), floor, comment, context.reviewer())
    auth.log_event("review", f"{call_id}#u{idx}", {"verdict": verdict, "comment": comment, "uncertain": True})
    refresh()


def _uncertain_rule(call_id: str, idx: int) -> str:
    from analytics.queries.uncertain_queue import uncertain_rule

    return uncertain_rule(context.db_path(), call_id, idx)


# --- the half-yearly report (the same files as ``oka-qa report``) ---------------------------

def make_report(date_from: dt.date, date_to: dt.date, kind: str, mask_personal_data: bool,
                role: str) -> tuple[dict[str, bytes], list[str]]:
    """Generate the report into a temporary folder: {file name: bytes} and one-line problems (e.g. no PDF).

    Its verdicts use ``[report]`` of ``oka-qa.toml`` (the tiles' targets); the export is in the access log.
    """
    import tempfile

    from analytics.access import audit
    from analytics.reports import generate

    db = context.db_path()
    base = f"{kind}_{date_from:%Y-%m-%d}_{date_to:%Y-%m-%d}"
    with tempfile.TemporaryDirectory(prefix="oka-qa-report-") as tmp:
        made = generate(db, date_from, date_to, kind, Path(tmp) / base, report_options(mask_personal_data))
        files = {p.name: p.read_bytes() for p in made.paths}
    audit.record(db, context.reviewer() or "—", role, "export", target=", ".join(files),
                 detail={"report": kind, "from": date_from.isoformat(), "to": date_to.isoformat()})
    return files, made.problems


# --- the access log («Журнал доступа») ------------------------------------------------------

def audit_actions() -> dict[str, str]:
    from analytics.access.audit import ACTIONS

    return dict(ACTIONS)


def audit_verify() -> tuple[int | None, str]:
    """(entries checked, "") when the hash chain holds; (None, what is wrong) when it does not."""
    from analytics.access import audit

    _viewer().require("reads_audit")
    try:
        return audit.verify(context.db_path()), ""
    except audit.AuditError as e:
        return None, str(e)


def audit_entries(first: dt.date, last: dt.date, user: str | None, action: str | None) -> pl.DataFrame:
    from analytics.access import audit

    _viewer().require("reads_audit")
    return audit.entries(context.db_path(), first, last, user=user, action=action)
