"""The recording of a call, cued to a moment, for the roles that may hear it — and why not, to the others."""
from __future__ import annotations

import streamlit as st

from analytics.catalogue.formats import fmt_seconds
from dashboards import auth
from dashboards.components.served import audio_player

LEAD_S = 1.0    # the review screen starts a little before the finding, so its words are heard whole


def player(call: dict, at_second: float | None, lead_s: float = 0.0) -> bool:
    """``st.audio`` of ``call`` from ``at_second`` less ``lead_s``; a one-line reason when it cannot play.
    Returns whether a player is shown."""
    from analytics.access.policy import AccessError, audio_file

    viewer = auth.current()
    if viewer is not None and not viewer.role.plays_audio:
        st.caption("Прослушивание записей недоступно для вашей роли: в разговоре звучат персональные данные.")
        return False
    if not call.get("audio_path"):
        st.caption("Записи разговора в базе нет.")
        return False
    try:
        audio = audio_file(auth.recordings_dir(), call["audio_path"])
    except AccessError:
        st.caption("Файл записи не найден в папке записей на этом компьютере.")
        return False
    start = max(0, int((at_second or 0) - (lead_s if at_second else 0)))
    if not audio_player(call["call_id"], audio, start):        # the app's own route; each fetch is logged there
        st.caption("Запись разговора недоступна в этом окне: войдите заново.")
        return False
    st.caption(f"Воспроизведение с {fmt_seconds(start)} — нажмите время у реплики, чтобы перейти к ней.")
    return True
