"""«Моя страница»: the operator's own results — score and trend, the two clause-2.6 indicators and the
rate per clause beside the department's medians, their findings with the evidence and the redacted
recording, their assignments (acknowledged here) and the way to dispute a finding.

Nothing about another operator is shown except the department's medians.
"""
from __future__ import annotations

import streamlit as st

from analytics.catalogue.formats import fmt_clause, fmt_count, fmt_date, fmt_datetime, fmt_kpi, fmt_number, fmt_seconds
from core.errors import OkaError
from dashboards import auth, datasource, shell
from dashboards.components.coaching import effect_text, example_card, good_example_link
from dashboards.components.served import audio_player

period = shell.page()
viewer = auth.current()
titles = datasource.rule_titles()
clause_titles = datasource.clause_titles()

st.title("Моя страница")
if not viewer.role.own_calls_only:
    st.info("Это страница оператора: здесь оператор видит свои результаты.")
    st.stop()
if msg := st.session_state.pop("me_saved", None):
    st.success(msg)

s = datasource.own_summary(period.start, period.end)
st.caption(f"{period.label}: {fmt_date(period.start)} – {fmt_date(period.end)}. Рядом с вашими показателями — "
           f"медиана по отделу ({fmt_count(s.operators_in_median, 'оператор')} со звонками за период).")
LABELS = {"compliance_score_avg": ("Средний балл по СТП", "score"),
          "requests_registered_on_time_pct": ("Регистрация заявок вовремя (п. 2.6)", "pct"),
          "readings_entered_on_time_pct": ("Внесение показаний вовремя (п. 2.6)", "pct")}
cols = st.columns(len(LABELS) + 1)
cols[0].metric("Мои звонки", fmt_number(s.calls, 0))
for col, (key, (label, unit)) in zip(cols[1:], LABELS.items(), strict=True):
    col.metric(label, fmt_kpi(s.mine[key], unit), help=f"Медиана по отделу: {fmt_kpi(s.median[key], unit)}")
    col.caption(f"медиана отдела: {fmt_kpi(s.median[key], unit)}")

if not s.trend.is_empty():
    st.subheader("Мой балл по месяцам")
    st.line_chart(s.trend.to_pandas(), x="period_start", y="score", x_label="месяц", y_label="балл")

st.subheader("Нарушения по пунктам стандарта")
if s.clauses.is_empty():
    st.info("За период звонков нет.")
else:
    st.dataframe([{"Пункт": fmt_clause(r["clause"]), "Что проверяется": clause_titles.get(r["clause"], ""),
                   "Мои звонки с нарушением": f"{r['violating']} из {r['calls']}",
                   "Доля, %": fmt_number(r["rate_pct"], 0), "Медиана отдела, %": fmt_number(r["median_pct"], 0)}
                  for r in s.clauses.iter_rows(named=True) if r["violating"] or (r["median_pct"] or 0) > 0],
                 hide_index=True, key="me_clauses")
    for r in s.clauses.filter(s.clauses["violating"] > 0).head(3).iter_rows(named=True):
        good_example_link(r["clause"], viewer.operator_id, f"me_good_{r['clause']}")

st.subheader("Мои задания")
tasks = datasource.coaching_assignments()
if tasks.is_empty():
    st.info("Заданий нет.")
for t in tasks.iter_rows(named=True):
    with st.container(border=True):
        st.markdown(f"**{fmt_clause(t['clause'])}** · {clause_titles.get(t['clause'], '')} · срок "
                    f"{fmt_date(t['due_on'])} · от {t['assigned_by']}")
        if t["note"]:
            st.write(t["note"])
        for ex in datasource.coaching_examples(ids=list(t["examples"] or [])).iter_rows(named=True):
            example_card(ex, f"me_ex_{t['assignment_id']}_{ex['example_id']}")
        if t["acknowledged_at"] is None:
            if st.button("Ознакомлен(а)", key=f"me_ack_{t['assignment_id']}", type="primary"):
                try:
                    datasource.acknowledge(t["assignment_id"])
                except OkaError as e:
                    st.error(str(e))
                else:
                    st.session_state["me_saved"] = "Задание подтверждено."
                    st.rerun()
        else:
            st.caption(f"Подтверждено {fmt_datetime(t['acknowledged_at'])}")
        st.write(effect_text(datasource.assignment_effect(t["assignment_id"])))

st.subheader("Мои нарушения")
found = datasource.my_findings(period.start, period.end)
# what counts: a finding an auditor rejected (or a dispute withdrew) is no violation; one an auditor added is
mine = found.filter(found["verdict"].fill_null("") != "rejected")
if withdrawn := found.height - mine.height:
    st.caption(f"Сняты аудитором и не учитываются: {fmt_count(withdrawn, 'находка')}.")
if mine.is_empty():
    st.info("Нарушений за период нет.")
else:
    st.caption("Запись звучит с заглушёнными номерами, именами и адресами. Если нарушение найдено ошибочно, "
               "оспорьте его на странице «Оспаривания».")
    rows = mine.to_dicts()
    st.dataframe([{"Звонок": f["call_id"], "Нарушение": titles.get(f["rule"], f["rule"]),
                   "Цитата": (f["evidence"] or "(звонок в целом)") if f["source"] == "check"
                   else f"Аудитор: {f['evidence'] or 'без комментария'}",
                   "С": fmt_seconds(f["start"]), "Найдено": "проверкой" if f["source"] == "check" else "аудитором",
                   "Оспорено": "да" if f.get("dispute") is not None else ""} for f in rows],
                 hide_index=True, key="me_findings")
    pick = st.selectbox("Прослушать", range(len(rows)), key="me_pick",
                        format_func=lambda i: f"{rows[i]['call_id']} · {titles.get(rows[i]['rule'], rows[i]['rule'])}"
                                              f" · {fmt_seconds(rows[i]['start'])}")
    f = rows[pick]
    audio = datasource.playable_audio(f["call_id"])
    if audio is None or not audio_player(f["call_id"], audio[0], max(0.0, (f["start"] or 0) - 2), kind=audio[1]):
        st.caption("Запись этого звонка недоступна.")
    if st.button("Оспорить это нарушение", icon=":material/gavel:", key="me_dispute"):
        st.switch_page("screens/disputes.py")
