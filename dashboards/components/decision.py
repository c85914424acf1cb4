"""An auditor's decision on one finding: the verdict already given (who, when, why) and two buttons,
«Подтвердить» and «Ложное срабатывание», with keyboard shortcuts 1 and 2.  The same on the review
screen and on the call page."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from analytics.catalogue.formats import fmt_datetime
from analytics.catalogue.labels import VERDICTS_RU
from core.errors import OkaError
from dashboards import auth, datasource
from dashboards.components import status

SHORTCUTS = {"confirmed": "1", "rejected": "2"}
BUTTONS = {"confirmed": "Подтвердить", "rejected": "Ложное срабатывание"}
DONE_RU = {"confirmed": "подтверждено", "rejected": "отклонено как ложное, больше не учитывается"}


def verdict_line(f: dict) -> str:
    """HTML: «✔ подтверждено · аудитор · 05.03.2025 14:20 · «comment»», or «○ не проверено»."""
    if not f.get("verdict"):
        return status.html_text(status.Status(status.STATUSES["no_data"].colour, "○", "не проверено"))
    st_ = status.STATUSES["met"] if f["verdict"] == "confirmed" else status.STATUSES["not_met"]
    who = " · ".join(x for x in (f.get("reviewer") or "", fmt_datetime(f.get("reviewed_at"))
                                 if f.get("reviewed_at") else "") if x)
    said = f" · «{f['comment']}»" if f.get("comment") else ""
    word = VERDICTS_RU[f["verdict"]] + (f" · {who}" if who else "") + said
    return status.html_text(status.Status(st_.colour, st_.icon, word))


def decision(f: dict, key: str, on_saved: Callable[[dict, str], None] | None = None,
             shortcuts: bool = True) -> None:
    """The verdict given on finding ``f`` (call_id, idx, verdict, comment, reviewer, reviewed_at) and the
    buttons to give one; ``on_saved(f, verdict)`` runs after a save (e.g. move to the next finding)."""
    st.markdown(verdict_line(f), unsafe_allow_html=True)
    viewer = auth.current()
    if viewer is None or not viewer.role.can_review:
        return
    which = f"{f['call_id']}_{f['idx']}"
    buttons, below = st.container(), st.container()      # the buttons first on screen, the comment under them
    comment = below.text_input("Комментарий (необязательно)", value=f.get("comment") or "",
                               key=f"{key}_comment_{which}", placeholder="например: упоминание, не обращение")
    for verdict in ("confirmed", "rejected"):      # one per row: the whole label readable in a narrow card
        # streamlit shows the shortcut key on the button itself
        if buttons.button(BUTTONS[verdict], key=f"{key}_{verdict}_{which}",
                     type="primary" if verdict == "confirmed" else "secondary",
                      icon=":material/check:" if verdict == "confirmed" else ":material/block:",
                      shortcut=SHORTCUTS[verdict] if shortcuts else None, width="stretch"):
            try:
                datasource.save_review(f["call_id"], f["idx"], verdict, comment)
            except OkaError as e:   # e.g. the answer to the operator's dispute on it stands
                buttons.error(str(e))
                return
            st.session_state["review_saved"] = f"Сохранено: {f['call_id']} № {f['idx']} — {DONE_RU[verdict]}."
            if on_saved is not None:
                on_saved(f, verdict)
            st.rerun()
