"""Calibration sessions: several reviewers answer the same calls blind, then see their agreement.
"""
from __future__ import annotations

import dataclasses

from analytics.access.policy import ROLES, AccessError, redact_text
from core.errors import OkaError
from dashboards import context
from dashboards import datasource as ds


def reviewers() -> list[str]:
    """Accounts that may fill forms (head and auditors), for a calibration session."""
    from dashboards import auth

    try:
        from analytics.access.users import UsersFile

        users = UsersFile(auth.users_file()).users.values()
    except (OkaError, OSError, ValueError):
        return []
    return sorted(u.name for u in users if ROLES[u.role].can_review)


def calibration_sessions() -> list:
    from analytics.storage import calibration

    viewer = ds._viewer()
    if viewer.role.own_calls_only:
        raise AccessError("калибровка — для аудиторов и тренеров")
    # a title is free text its author typed: masked for a role without personal data, as any text is
    return [dataclasses.replace(s, title=redact_text(viewer, s.title)) for s in calibration.sessions(context.db_path())]


def open_calibration(title: str, calls: list[str], auditors: list[str]) -> str:
    from analytics.storage import calibration

    viewer = ds._viewer()
    viewer.require("can_review")
    sid = calibration.open_session(context.db_path(), title, calls, auditors, viewer.name)
    ds.auth_log("calibration_opened", sid, {"title": title, "calls": calls, "auditors": auditors})
    return sid


def submit_calibration(session_id: str, call_id: str, answers: dict[str, str]) -> None:
    from analytics.storage import calibration

    viewer = ds._viewer()
    viewer.require("can_review")
    form = ds.evaluation_form()
    calibration.submit(context.db_path(), session_id, call_id,
                       {c: (a, form.criterion(c).weight) for c, a in answers.items()}, viewer.name, viewer.role.id,
                       n_criteria=len(form.criteria))
    ds.auth_log("calibration_answer", f"{session_id}/{call_id}", {"answers": answers})


def calibration_state(session_id: str) -> tuple[dict[str, int], bool]:
    """(calls answered in full per participant, whether the results may be shown yet)."""
    from analytics.storage import calibration

    ds.calibration_sessions()  # the role check
    n = len(ds.evaluation_form().criteria)
    return (calibration.progress(context.db_path(), session_id, n),
            calibration.results_visible(context.db_path(), session_id, n))


def calibration_agreement(session_id: str):
    """Agreement of a session (``analytics.queries.agreement.session_agreement``), once it is no longer blind."""
    from analytics.queries.agreement import session_agreement

    _progress, visible = ds.calibration_state(session_id)
    if not visible:
        raise AccessError("итоги калибровки видны, когда все участники ответили по всем звонкам")
    return session_agreement(context.db_path(), session_id)


def close_calibration(session_id: str, agreed: dict[tuple[str, str], str]) -> None:
    from analytics.storage import calibration

    viewer = ds._viewer()
    viewer.require("can_review")
    form = ds.evaluation_form()
    calibration.close(context.db_path(), session_id,
                      {k: (a, form.criterion(k[1]).weight) for k, a in agreed.items()}, viewer.name, viewer.role.id)
    ds.auth_log("calibration_closed", session_id, {"agreed": len(agreed)})
