"""The auditors' random sample of calls per operator, and how far its review has come.
"""
from __future__ import annotations

import datetime as dt

import polars as pl

from analytics.access.policy import AccessError, redact_frame
from dashboards import context
from dashboards import datasource as ds


def draw_sample(date_from: dt.date, date_to: dt.date, per_operator: int, seed: int | None) -> str:
    from analytics.storage import samples

    viewer = ds._viewer()
    viewer.require("can_review")
    sid = samples.draw(context.db_path(), date_from, date_to, per_operator, viewer.name, seed)
    ds.auth_log("sample_drawn", sid, {"from": str(date_from), "to": str(date_to), "per_operator": per_operator,
                                    "seed": seed})
    return sid


def samples_list() -> pl.DataFrame:
    from analytics.storage import samples

    viewer = ds._viewer()
    if viewer.role.own_calls_only:
        raise AccessError("выборка — для аудиторов и тренеров")
    return samples.samples(context.db_path())


def sample_calls(sample_id: str) -> pl.DataFrame:
    from analytics.storage import samples

    ds.samples_list()  # the role check
    return redact_frame(ds._viewer(), samples.sample_calls(context.db_path(), sample_id))


def sample_progress(sample_id: str) -> pl.DataFrame:
    from analytics.storage import samples

    ds.samples_list()
    return redact_frame(ds._viewer(), samples.progress(context.db_path(), sample_id))
