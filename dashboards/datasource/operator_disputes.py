"""An operator's own findings and the disputes they open, which an auditor resolves.
"""
from __future__ import annotations

import datetime as dt

import polars as pl

from analytics.access.policy import AccessError, redact_frame
from dashboards import context
from dashboards import datasource as ds


def my_findings(date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    """The signed-in operator's findings in the period, with verdicts and disputes (masked)."""
    from analytics.queries.review_quality import operator_findings

    viewer = ds._viewer()
    if not viewer.role.own_calls_only:
        raise AccessError("свои находки оспаривает оператор")
    return redact_frame(viewer, operator_findings(context.db_path(), viewer.operator_id or "\x00", date_from,
                                                  date_to))


def disputes(state: str = "all") -> pl.DataFrame:
    """Disputes an auditor resolves, or (an operator) the operator's own, masked as the role requires."""
    from analytics.storage import reviews

    viewer = ds._viewer()
    if not (viewer.role.can_review or viewer.role.own_calls_only):
        raise AccessError("оспаривания видят оператор и аудиторы")
    df = reviews.disputes(context.db_path(), viewer.operator_id if viewer.role.own_calls_only else None, state)
    return redact_frame(viewer, df)


def open_dispute(call_id: str, idx: int | None, comment: str, added_seq: int | None = None) -> int:
    """The signed-in operator disputes finding ``idx`` of their call, or (``added_seq``) a violation an auditor
    added to it."""
    from analytics.storage import reviews

    viewer = ds._viewer()
    if not viewer.role.own_calls_only:
        raise AccessError("оспорить находку может только оператор, чей это звонок")
    if added_seq is not None:
        seq = reviews.dispute_added(context.db_path(), added_seq, comment, viewer.name, viewer.operator_id or "",
                                    viewer.role.id)
        target = f"{call_id}+{added_seq}"
    else:
        seq = reviews.dispute(context.db_path(), call_id, idx, comment, viewer.name, viewer.operator_id or "",
                              viewer.role.id)
        target = f"{call_id}#{idx}"
    ds.auth_log("dispute", target, {"comment": comment, "event": seq})
    return seq


def resolve_dispute(seq: int, outcome: str, reason: str) -> None:
    from analytics.storage import reviews

    viewer = ds._viewer()
    viewer.require("can_review")
    reviews.resolve_dispute(context.db_path(), seq, outcome, reason, viewer.name, viewer.role.id)
    ds.auth_log("dispute_resolved", str(seq), {"outcome": outcome, "reason": reason})
