"""Coaching (issue 16): redacted audio, example libraries, assignments, the operator's own page.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path

import polars as pl

from analytics.access.policy import ROLES, AccessError, Viewer, redact_frame
from core.errors import OkaError
from dashboards import context
from dashboards import datasource as ds

log = logging.getLogger(__name__)


def playable_audio(call_id: str) -> tuple[Path, str] | None:
    """What the signed-in user may hear of a call: (file, "recording") for a role that plays audio,
    (redacted file, "redacted") for the others; None when there is nothing to play."""
    from analytics.access.redaction import playable
    from dashboards import auth

    try:
        return playable(ds._viewer(), context.db_path(), call_id, auth.recordings_dir())
    except OkaError as e:   # no recording, a file outside the folder, an undecodable one: a caption, no player
        log.info("no audio for %s: %s", call_id, e)
        return None


def example_clip(example_id: int) -> Path | None:
    """The redacted clip of an example (everyone hears examples redacted: they travel between people)."""
    from analytics.access.redaction import redacted_clip
    from analytics.coaching import examples as ex
    from dashboards import auth

    _coach_or_operator()
    df = ex.examples(context.db_path(), ids=[int(example_id)])
    if df.is_empty():
        return None
    row = df.row(0, named=True)
    try:
        return redacted_clip(context.db_path(), row["call_id"], row["start_s"], row["end_s"], auth.recordings_dir())
    except OkaError as e:
        log.info("no clip for example %s: %s", example_id, e)
        return None


def _coach_or_operator() -> Viewer:
    """Every signed-in role reads examples (redacted clips, masked notes) and assignments (an operator
    only their own); writing is for the roles of ``analytics.coaching.assignments.COACH_ROLES``."""
    return ds._viewer()


def coaching_collections() -> pl.DataFrame:
    from analytics.coaching import examples as ex

    _coach_or_operator()
    return ex.collections(context.db_path())


def coaching_examples(collection: str | None = None, clause: str | None = None,
                      ids: list[int] | None = None) -> pl.DataFrame:
    """Examples, with the notes masked for roles that see personal data masked."""
    from analytics.coaching import examples as ex

    df = ex.examples(context.db_path(), collection, clause, None, ids)
    return _examples_seen(_coach_or_operator(), df.drop("started_at"))


def _examples_seen(viewer, df: pl.DataFrame) -> pl.DataFrame:
    """Examples as ``viewer`` sees them: they travel between people, so an operator sees other operators'
    examples too, masked as a trainer sees them; a role without personal data gets the notes masked."""
    return redact_frame(dataclasses.replace(viewer, role=ROLES["trainer"]) if viewer.role.own_calls_only else viewer,
                        df)


def good_example(clause: str, operator_id: str | None = None) -> dict | None:
    """The example shown beside a clause (an operator's page, a trainer's profile), its note masked as the
    example library masks it."""
    from analytics.coaching import examples as ex

    viewer = _coach_or_operator()
    row = ex.good_example(context.db_path(), clause, operator_id)
    if row is None:
        return None
    return _examples_seen(viewer, pl.DataFrame([row], infer_schema_length=None)).row(0, named=True)


def add_example(collection: str, call_id: str, start_s: float, end_s: float, clause: str, quality: str,
                note: str) -> int:
    from analytics.coaching import examples as ex

    new_id = ex.add(context.db_path(), ds._viewer(), collection, call_id, start_s, end_s, clause, quality, note)
    ds.refresh()
    return new_id


def remove_example(example_id: int) -> None:
    from analytics.coaching import examples as ex

    ex.remove(context.db_path(), ds._viewer(), example_id)
    ds.refresh()


def coaching_assignments(operator_id: str | None = None) -> pl.DataFrame:
    """Assignments: an operator gets only their own, whatever is asked."""
    from analytics.coaching import assignments as asg

    viewer = _coach_or_operator()
    if viewer.role.own_calls_only:
        operator_id = viewer.operator_id or "\x00"
    return redact_frame(viewer, asg.assignments(context.db_path(), operator_id))   # notes masked as on any page


def assignment_effect(assignment_id: int):
    from analytics.coaching import assignments as asg

    viewer = _coach_or_operator()
    df = asg.assignments(context.db_path())
    row = df.filter(pl.col("assignment_id") == int(assignment_id))
    if row.is_empty() or not viewer.may_see_call(row["operator_id"][0]):
        return None
    return asg.effect(context.db_path(), int(assignment_id))


def assign(operator_id: str, clause: str, due_on: dt.date, note: str, examples: list[int]) -> int:
    from analytics.coaching import assignments as asg

    new_id = asg.assign(context.db_path(), ds._viewer(), operator_id, clause, due_on, note, examples)
    ds.refresh()
    return new_id


def acknowledge(assignment_id: int) -> None:
    from analytics.coaching import assignments as asg

    asg.acknowledge(context.db_path(), ds._viewer(), int(assignment_id))
    ds.refresh()


def own_summary(date_from: dt.date, date_to: dt.date):
    """The signed-in operator's own figures beside the department's medians (``analytics.queries.own_page``)."""
    from analytics.queries.own_page import own_summary as summary

    viewer = ds._viewer()
    if not viewer.role.own_calls_only:
        raise AccessError("«Моя страница» — страница оператора")
    return summary(context.db_path(), viewer.operator_id or "\x00", date_from, date_to)
