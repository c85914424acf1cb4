"""The evaluation form of a call and the violations an auditor adds by hand (issue 15).  Every write
checks the role, goes through analytics/storage and lands in the audit log; the reads are small and uncached,
so an answer shows at once.
"""
from __future__ import annotations

import datetime as dt

import polars as pl

from analytics.access.policy import AccessError, redact_frame
from dashboards import context
from dashboards import datasource as ds


def call_form(call_id: str, session_id: str | None = None) -> list:
    """The form of a call the user may see (``analytics.queries.call_form``), evidence masked as their role
    requires; in a calibration session, the user's own answers only."""
    from analytics.access.policy import redact_text
    from analytics.queries.call_form import call_form as build

    viewer = ds._viewer()
    if ds.call_detail(call_id) is None:
        raise AccessError(f"звонок {call_id} недоступен")
    rows = build(context.db_path(), call_id, ds.evaluation_form(), session_id, viewer.name if session_id else None)
    if not viewer.role.sees_pd:
        for r in rows:
            r.evidence = [redact_text(viewer, e) for e in r.evidence]
    return rows


def form_stale(call_id: str) -> bool:
    """Whether the call's form was filled before its violations last changed (its score does not count then)."""
    from analytics.storage import reviews

    if ds.call_detail(call_id) is None:
        raise AccessError(f"звонок {call_id} недоступен")
    return reviews.form_stale(context.db_path(), call_id)


def save_form(call_id: str, answers: dict[str, str], comment: str = "") -> None:
    """The auditor's answers ``{criterion: yes|no|na}`` become the call's form (its score counts from now)."""
    from analytics.storage import reviews

    viewer = ds._viewer()
    viewer.require("can_review")
    form = ds.evaluation_form()
    weighted = {c: (a, form.criterion(c).weight) for c, a in answers.items()}
    reviews.answer_form(context.db_path(), call_id, weighted, viewer.name, viewer.role.id, comment)
    ds.auth_log("form", call_id, {"answers": answers, "score": form.score(answers), "edition": form.edition})


def added_violations(call_id: str) -> pl.DataFrame:
    from analytics.storage import reviews

    if ds.call_detail(call_id) is None:
        raise AccessError(f"звонок {call_id} недоступен")
    return redact_frame(ds._viewer(), reviews.added(context.db_path(), call_id).with_columns(
        pl.lit(ds.call_detail(call_id).call.get("operator_id")).alias("operator_id")))


def add_missed(call_id: str, rule: str, at_s: float | None, comment: str) -> int:
    from analytics.storage import reviews

    viewer = ds._viewer()
    viewer.require("can_review")
    seq = reviews.add_missed(context.db_path(), call_id, rule, at_s, comment, viewer.name, viewer.role.id)
    ds.auth_log("violation_added", call_id, {"rule": rule, "at_s": at_s, "comment": comment, "event": seq})
    return seq


def retract_added(seq: int, comment: str = "") -> None:
    from analytics.storage import reviews

    viewer = ds._viewer()
    viewer.require("can_review")
    reviews.retract_added(context.db_path(), seq, viewer.name, comment, viewer.role.id)
    ds.auth_log("violation_retracted", str(seq), {"comment": comment})


def form_results(date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    """Per criterion over the period's filled forms: yes, no, n.a. and the share met (the manual check's figures)."""
    from analytics.queries.review_quality import form_results as build

    viewer = ds._viewer()
    if viewer.role.own_calls_only:
        raise AccessError("итоги форм по отделу — для аудиторов и тренеров")
    return build(context.db_path(), date_from, date_to)
