"""«Звонки»: search by words and lemmas with filters; the call page with conversation, audio and records."""
from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.access.policy import MAX_QUERY_CHARS, bounded_query
from analytics.catalogue.formats import fmt_clause, fmt_datetime, fmt_number, fmt_rule, fmt_seconds, fmt_value
from analytics.catalogue.labels import LANGUAGES_RU, NOT_ASSESSED_RU, TOPICS_RU
from dashboards import auth, context, datasource, shell
from dashboards.components import evaluation_form
from dashboards.components.calltable import call_table
from dashboards.components.conversation import conversation
from dashboards.components.decision import decision
from dashboards.components.export import download_buttons
from dashboards.components.player import player
from dashboards.labels import for_export, grid_config, russian
from transcription.schema import TOPICS

period = shell.page()
rules = datasource.rules()
titles = datasource.rule_titles()


def show_call(call_id: str, at_second: float | None) -> None:
    if st.button("Назад" if context.back_page() else "К списку звонков", icon=":material/arrow_back:",
                 key="call_back"):
        context.go_back()
    detail = datasource.call_detail(call_id)
    if detail is None:
        st.error(f"Звонок {call_id} не найден в базе.")
        return
    auth.log_once("open_call", call_id)
    call = detail.call
    st.title(f"Звонок {call_id}")
    started = fmt_datetime(call["started_at"])
    st.markdown(f"**{started}** · оператор **{call['operator_name'] or call['operator_id'] or '—'}** · "
                f"тема **{TOPICS_RU.get(call['topic'], call['topic'] or '—')}** · "
                f"язык **{LANGUAGES_RU.get(call.get('language') or 'unknown', '—')}**")
    c1, c2, c3 = st.columns(3)
    c1.metric("Балл", fmt_number(call["score"]), help="Баллы снимаются по весам правил; ложные срабатывания, "
              "отклонённые аудитором, балл не снижают.")
    c2.metric("Длительность", fmt_seconds(call["duration_s"]))
    added = datasource.added_violations(call_id)   # violations auditors heard that the check missed: they count too
    c3.metric("Нарушений", fmt_number(
        detail.findings.filter(pl.col("verdict").is_null() | (pl.col("verdict") != "rejected")).height
        + added.height, 0))

    st.caption(f"Балл: {datasource.deduction(detail.findings, call['score'], added, bool(call.get('form_scored')))}")
    skipped = detail.extra.get("not_assessed") or []
    if skipped:
        st.caption("Не оценивались (не входят в балл и в доли нарушений): " + "; ".join(
            f"{titles.get(r, r)} — {NOT_ASSESSED_RU.get(reason, reason)}" for r, reason in skipped))
    player(call, at_second)

    counted = detail.findings.filter(pl.col("verdict").is_null() | (pl.col("verdict") != "rejected"))
    whole = counted.filter(pl.col("start").is_null() | (pl.col("evidence").fill_null("") == ""))
    if not whole.is_empty():
        st.warning("Нарушения по звонку в целом: " + "; ".join(
            f"{titles.get(r, r)} ({fmt_clause(c)})" for r, c in zip(whole["rule"], whole["clause"], strict=False)))

    left, right = st.columns([3, 2])
    with left:
        st.subheader("Разговор")
        layout = st.segmented_control("Вид", ["чат", "две колонки"], default="чат", key="call_layout")
        if detail.utterances.is_empty():
            st.info("Расшифровки нет.")
        else:
            if layout == "две колонки":
                h1, h2 = st.columns(2)
                h1.markdown("**Оператор**")
                h2.markdown("**Абонент**")
            conversation(detail.utterances, detail.findings, titles, "columns" if layout == "две колонки" else "chat",
                         at_second)
    with right:
        st.subheader("Нарушения")
        fshown = russian(detail.findings.select("idx", "rule", "clause", "start", "evidence", "verdict", "comment"),
                         rules)
        if detail.findings.is_empty():
            st.success("Нарушений нет.")
        else:
            st.dataframe(fshown, hide_index=True, key="call_findings", column_config=grid_config(fshown))
            download_buttons(for_export(fshown), f"нарушения_{call_id}", key="call_findings")
            _decide(detail.findings)
        st.subheader("Заявки")
        if detail.requests.is_empty():
            st.caption("Связанных заявок нет.")
        else:
            rq = russian(detail.requests)
            st.dataframe(rq, hide_index=True, key="call_requests", column_config=grid_config(rq))
            download_buttons(for_export(rq), f"заявки_{call_id}", key="call_requests")
        st.subheader("Показания")
        if not detail.dictated.is_empty():
            st.caption("Продиктовано в звонке: " + ", ".join(
                f"{fmt_value(v)} ({fmt_seconds(s)})"
                for v, s in zip(detail.dictated["value"], detail.dictated["start"], strict=False)))
        if detail.readings.is_empty():
            st.caption("Связанных показаний нет.")
        else:
            for r in detail.readings.to_dicts():
                if r["value_matches"] is False:
                    st.error(f"Показание {r['reading_id']}: внесено {fmt_value(r['value'])}"
                             f", продиктовано иное (п. 12 СТП).")
                elif r["value_matches"]:
                    st.success(f"Показание {r['reading_id']}: значение совпадает с продиктованным.")
            rd = russian(detail.readings)
            st.dataframe(rd, hide_index=True, key="call_readings", column_config=grid_config(rd))
            download_buttons(for_export(rd), f"показания_{call_id}", key="call_readings")
    evaluation_form.on_call_page(call_id, at_second)  # the auditor's form and added violations (issue 15)


def _decide(findings: pl.DataFrame) -> None:
    """The review's buttons here too: pick a finding, confirm it or mark it false."""
    rows = findings.to_dicts()
    with st.container(border=True, key="call_decision"):
        def name(i: int) -> str:
            r = rows[i]
            rule = fmt_rule(titles.get(r["rule"]), r["clause"], r["rule"])
            return f"№ {r['idx']} · {rule} · {fmt_seconds(r['start'])}"

        i = st.selectbox("Решение по срабатыванию", range(len(rows)), key="call_decide_pick", format_func=name)
        decision(rows[i], key="call", shortcuts=False)


ASKED = ("operator", "topic", "rule", "violations")   # filters a count clicked elsewhere puts in the address


def _filters_from_address(names: dict, rules: list[str]) -> None:
    """A count clicked in another table (or a link) asks for its calls: its filters, set once per address."""
    asked = {k: st.query_params.get(k) for k in ASKED}
    if not any(asked.values()) or asked == st.session_state.get("_calls_asked"):
        return
    st.session_state["_calls_asked"] = asked
    st.session_state["calls_query"] = ""
    st.session_state["calls_ops"] = [asked["operator"]] if asked["operator"] in names else []
    st.session_state["calls_topics"] = [asked["topic"]] if asked["topic"] in TOPICS else []
    st.session_state["calls_rule"] = asked["rule"] if asked["rule"] in rules else None
    st.session_state.pop("calls_score", None)       # back to its default, the whole range
    st.session_state["calls_languages"] = []
    st.session_state["calls_violations"] = asked["violations"] == "1"


def search() -> None:
    st.title("Звонки")
    st.caption(f"{period.label}. Поиск находит слово в любой форме: «девушка» найдёт и «девушки».")
    ops = datasource.operators()
    names = dict(zip(ops["operator_id"].to_list(), ops["operator_name"].to_list(), strict=True))
    _filters_from_address(names, sorted(datasource.rule_counts(period.start, period.end)["rule"].to_list()))
    query = bounded_query(st.text_input("Поиск по расшифровкам", key="calls_query", max_chars=MAX_QUERY_CHARS,
                                        placeholder="например: девушка подождите"))
    c1, c2, c3, c4, c5 = st.columns([2, 2, 2, 1.6, 1.6])   # «все языки» whole at 1280×720
    chosen_ops = c1.multiselect("Оператор", list(names), format_func=lambda i: names.get(i) or i, key="calls_ops",
                                placeholder="все операторы")
    topics = c2.multiselect("Тема", list(TOPICS), format_func=lambda t: TOPICS_RU.get(t, t), key="calls_topics",
                            placeholder="все темы")
    rules = sorted(datasource.rule_counts(period.start, period.end)["rule"].to_list())
    rule = c3.selectbox("Нарушение", [None, *rules], key="calls_rule",
                        format_func=lambda r: "все звонки" if r is None else titles.get(r, r))
    lo, hi = c4.slider("Балл", 0, 100, (0, 100), key="calls_score")
    languages = c5.multiselect("Язык", list(LANGUAGES_RU), format_func=LANGUAGES_RU.get, key="calls_languages",
                               placeholder="все языки")
    word_forms = ()
    if query.strip():
        from rules.lemmas import query_forms

        word_forms = query_forms(query)
    violations = st.toggle("Только звонки с нарушениями", key="calls_violations")
    flt = datasource.CallFilter(period.start, period.end, tuple(chosen_ops), tuple(topics), rule, float(lo),
                                float(hi), word_forms, limit=500, languages=tuple(languages),
                                with_violations=violations, query=query.strip())
    calls = datasource.search_calls(flt)
    # with a rule chosen, its own violations (the count the «Пункты стандарта» page links from), then all of them
    st.caption(f"Найдено звонков: {fmt_number(calls.height, 0)}"
               + ((f", нарушений этого правила в них: {fmt_number(calls['rule_violations'].sum(), 0)} "
                   f"(всех нарушений: {fmt_number(calls['violations'].sum(), 0)})" if rule else
                   f", нарушений в них: {fmt_number(calls['violations'].sum(), 0)}") if violations else "")
               + (" (показаны первые 500)" if calls.height >= 500 else "")
               + ". Выберите строку, чтобы открыть звонок.")
    call_table(calls, key="calls_found", export_name=f"звонки_{period.start:%d.%m.%Y}_{period.end:%d.%m.%Y}")


call_id, at_second = context.chosen_call()
if call_id:
    show_call(call_id, at_second)
else:
    search()
