"""An auditor's decisions on what the checker found: the verdict on a finding, the records
discrepancies (clause 12), the «Требует проверки» queue of uncertain findings, and what the verdicts say of
each rule and auditor.
"""
from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from analytics.access.policy import redact_frame
from analytics.queries.views import REVIEW_STATES as REVIEW_STATES  # the states a page filters by
from analytics.storage.reviews import VERDICTS as VERDICTS  # what a verdict may be
from dashboards import context
from dashboards import datasource as ds
from dashboards.datasource import store
from dashboards.datasource.store import TTL_S, Store


def findings_for_review(date_from: dt.date, date_to: dt.date, rule: str | None, state: str) -> pl.DataFrame:
    ds._viewer().require("can_review")  # the review page is the auditors': refused to others even by URL
    return store._view("findings_for_review", date_from, date_to, rule, state)


def save_review(call_id: str, idx: int, verdict: str, comment: str) -> None:
    from analytics.storage.reviews import save_review as save
    from dashboards import auth

    ds._viewer().require("can_review")
    save(context.db_path(), call_id, idx, verdict, comment, context.reviewer())
    auth.log_event("review", f"{call_id}#{idx}", {"verdict": verdict, "comment": comment})
    ds.refresh()


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _discrepancies(db: Store, date_from: dt.date, date_to: dt.date, state: str) -> pl.DataFrame:
    from analytics.queries.discrepancies import discrepancies as build

    return build(db.path, date_from, date_to, state)


def discrepancies(date_from: dt.date, date_to: dt.date, state: str = "unreviewed") -> pl.DataFrame:
    """The period's reading and account mismatches with their verdicts (``analytics.queries.discrepancies``)."""
    viewer = ds._viewer()
    viewer.require("can_review")
    return redact_frame(viewer, _discrepancies(store._db(), date_from, date_to, state))


def decide_discrepancy(record_type: str, record_id: str, what: str, verdict: str | None, comment: str = "") -> None:
    """Confirm or dismiss (``verdict`` None: take back) a discrepancy; history in ``discrepancy_events``."""
    from analytics.storage import discrepancies as decisions

    viewer = ds._viewer()
    viewer.require("can_review")
    if verdict is None:
        decisions.clear(context.db_path(), record_type, record_id, what, viewer.name, viewer.role.id)
    else:
        decisions.decide(context.db_path(), record_type, record_id, what, verdict, comment, viewer.name, viewer.role.id)
    ds.auth_log("discrepancy_review", f"{record_type} {record_id} ({what})",
             {"verdict": verdict or "cleared", "comment": comment})


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
    viewer = ds._viewer()
    viewer.require("can_review")
    return redact_frame(viewer, _uncertain(store._db(), date_from, date_to))


def decide_uncertain(call_id: str, idx: int, verdict: str, comment: str) -> None:
    """Confirm (it counts from now on) or reject an uncertain finding."""
    from analytics.storage.uncertain import decide_uncertain as decide
    from dashboards import auth

    ds._viewer().require("can_review")
    weights, floor = _weights()
    rule = _uncertain_rule(call_id, idx)
    decide(context.db_path(), call_id, idx, verdict, weights.get(rule, 0.0), floor, comment, context.reviewer())
    auth.log_event("review", f"{call_id}#u{idx}", {"verdict": verdict, "comment": comment, "uncertain": True})
    ds.refresh()


def _uncertain_rule(call_id: str, idx: int) -> str:
    from analytics.queries.uncertain_queue import uncertain_rule

    return uncertain_rule(context.db_path(), call_id, idx)


def rule_quality(date_from: dt.date | None, date_to: dt.date | None) -> pl.DataFrame:
    """Each rule's precision and recall from the review history (``analytics.queries.review_quality``)."""
    from analytics.queries.review_quality import rule_quality as build

    ds._viewer().require("can_review")
    return build(context.db_path(), date_from, date_to)


def auditor_summary(date_from: dt.date | None, date_to: dt.date | None) -> pl.DataFrame:
    from analytics.queries.review_quality import auditor_summary as build

    ds._viewer().require("can_review")
    return build(context.db_path(), date_from, date_to)
