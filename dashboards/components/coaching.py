"""Pieces shared by «Обучение», «Моя страница» and the «Операторы» profile: an example's redacted clip,
a good example for a clause, the effect of an assignment in words."""
from __future__ import annotations

import streamlit as st

from analytics.catalogue.formats import fmt_clause, fmt_count, fmt_date, fmt_number, fmt_seconds
from dashboards import datasource
from dashboards.components.served import audio_player

QUALITY_RU = {"good": "хороший пример", "bad": "как не надо"}
DOUBT_RU = {"withdrawn": "Нарушение в этом отрезке снято аудитором (проверка или оспаривание): как пример «как не "
                         "надо» он больше не годится — тренеру стоит убрать его из подборки.",
            "violated": "В этом отрезке теперь засчитано нарушение этого пункта: как хороший пример он не годится — "
                        "тренеру стоит убрать его из подборки."}


def clip(example: dict) -> None:
    """The example's moment as a redacted clip (or a caption saying why there is none)."""
    path = datasource.example_clip(example["example_id"])
    if path is None or not audio_player(f"example-{example['example_id']}", path, 0, kind="redacted"):
        st.caption("Фрагмент записи недоступен на этом компьютере.")


def example_card(example: dict, key: str) -> None:
    st.markdown(f"**{QUALITY_RU.get(example['quality'], example['quality'])}** · {fmt_clause(example['clause'])} · "
                f"звонок {example['call_id']}, {fmt_seconds(example['start_s'])}–{fmt_seconds(example['end_s'])}"
                + (f" · {example['operator_name']}" if example.get("operator_name") else ""))
    if example.get("note"):
        st.caption(example["note"])
    if example.get("doubt") in DOUBT_RU:
        st.warning(DOUBT_RU[example["doubt"]], icon=":material/report:")
    clip(example)


def good_example_link(clause: str, operator_id: str | None, key: str) -> None:
    """A good example of ``clause`` (from another operator) with its clip, or a line saying there is none yet."""
    ex = datasource.good_example(clause, operator_id)
    if ex is None:
        st.caption(f"Хорошего примера по {fmt_clause(clause)} в подборках пока нет — тренер может добавить его "
                   "на странице «Обучение».")
        return
    with st.expander(f"Как надо: {fmt_clause(clause)} — пример из подборки «{ex['collection']}»"):
        example_card(ex, key)


def rate_text(r: tuple[int, int, float | None]) -> str:
    calls, violating, pct = r
    if not calls:
        return "звонков нет"
    return f"{fmt_number(pct, 0)} % ({violating} из {fmt_count(calls, 'звонок', 'gent')})"


def effect_text(effect) -> str:
    """«до: 50 % (2 из 4) за 15.02–28.02 · после: 25 % (1 из 4) за 11.03–24.03 · −25 п.п.»"""
    if effect is None:
        return "результат появится после срока"
    change = effect.change_pp
    delta = "" if change is None else f" · {'+' if change > 0 else '−' if change < 0 else '±'}" \
                                      f"{fmt_number(abs(change), 0)} п.п."
    return (f"до: {rate_text(effect.before)} за {fmt_date(effect.before_from)}–{fmt_date(effect.before_to)} · "
            f"после: {rate_text(effect.after)} за {fmt_date(effect.after_from)}–{fmt_date(effect.after_to)}{delta}")


def good_examples_for(top, operator_id: str, min_violations: int = 2, limit: int = 3) -> None:
    """Under an operator's most violated rules (``rule, clause, violations``): a good example of each
    clause broken at least ``min_violations`` times, from another operator's call."""
    frequent = [c for c, n in zip(top["clause"], top["violations"], strict=True) if n >= min_violations]
    for clause in list(dict.fromkeys(frequent))[:limit]:
        good_example_link(clause, operator_id, f"good_{operator_id}_{clause}")
