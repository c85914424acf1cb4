"""The access log («Журнал доступа»): its actions, its entries and whether its hash chain holds.
"""
from __future__ import annotations

import datetime as dt

import polars as pl

from dashboards import context
from dashboards import datasource as ds


def audit_actions() -> dict[str, str]:
    from analytics.access.audit import ACTIONS

    return dict(ACTIONS)


def audit_verify() -> tuple[int | None, str]:
    """(entries checked, "") when the hash chain holds; (None, what is wrong) when it does not."""
    from analytics.access import audit

    ds._viewer().require("reads_audit")
    try:
        return audit.verify(context.db_path()), ""
    except audit.AuditError as e:
        return None, str(e)


def audit_entries(first: dt.date, last: dt.date, user: str | None, action: str | None) -> pl.DataFrame:
    from analytics.access import audit

    ds._viewer().require("reads_audit")
    return audit.entries(context.db_path(), first, last, user=user, action=action)
