"""The recording of a call, cued to a moment: the original to a role that plays audio, the redacted one
(personal data toned out) to the others — through the app's own route — and why not, when nothing plays."""
from __future__ import annotations

import streamlit as st

from analytics.catalogue.formats import fmt_seconds
from dashboards import datasource
from dashboards.components.served import audio_player

LEAD_S = 1.0    # the review screen starts a little before the finding, so its words are heard whole


def player(call: dict, at_second: float | None, lead_s: float = 0.0) -> bool:
    """A player of ``call`` from ``at_second`` less ``lead_s``; a one-line reason when it cannot play.
    Returns whether a player is shown."""
    # a masked role's ``call`` has audio_path blanked (it is personal data): the data layer decides
    audio = datasource.playable_audio(call["call_id"])   # the original to a role that plays audio, else redacted
    if audio is None and not call.get("audio_path") and call.get("audio_path", "") is not None:
        st.caption("Записи разговора в базе нет.")
        return False
    start = max(0, int((at_second or 0) - (lead_s if at_second else 0)))
    if audio is None or not audio_player(call["call_id"], audio[0], start, kind=audio[1]):   # fetches are logged
        st.caption("Запись разговора недоступна на этом компьютере.")
        return False
    st.caption(f"Воспроизведение с {fmt_seconds(start)} — нажмите время у реплики, чтобы перейти к ней."
               + (" Номера, имена и адреса заменены сигналом." if audio[1] == "redacted" else ""))
    return True
