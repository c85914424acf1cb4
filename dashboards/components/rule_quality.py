"""Each rule's precision and recall from the review history, and what each auditor did (on «Проверка»).

Precision: confirmed of reviewed findings (those the check counted by itself).  Recall: confirmed findings of
all the violations auditors know of — confirmed, those they added because the automatic check missed them, and
the uncertain ones they confirmed.  The uncertain findings decided in the queue have columns of their own.  All
over the calls of the period.
"""
from __future__ import annotations

import streamlit as st

from analytics.catalogue.formats import fmt_pct, fmt_rule
from dashboards import datasource
from dashboards.components.export import download_buttons
from dashboards.components.period import Period


def show(period: Period) -> None:
    st.subheader("Точность и полнота автоматической проверки")
    st.caption(f"{period.label}, по истории решений аудиторов. Точность — доля подтверждённых среди проверенных "
               "срабатываний; полнота — доля найденных автоматически среди всех известных нарушений "
               "(подтверждённые + добавленные аудиторами как пропущенные + подтверждённые неуверенные). Неуверенные "
               "срабатывания (из очереди «Требует проверки») в точность не входят: у них свои столбцы.")
    q = datasource.rule_quality(period.start, period.end)
    rules = datasource.rules()
    shown = [{"Правило": fmt_rule(rules.get(r["rule"], (None, None))[1], rules.get(r["rule"], (None, None))[0],
                                  r["rule"]), "Срабатываний": r["findings"],
              "Проверено": r["reviewed"], "Подтверждено": r["confirmed"], "Отклонено": r["rejected"],
              "Добавлено (пропущено)": r["added"], "Точность, %": fmt_pct(r["precision_pct"]),
              "Полнота, %": fmt_pct(r["recall_pct"]),
              "Неуверенные: подтверждено": r["uncertain_confirmed"],
              "Неуверенные: отклонено": r["uncertain_rejected"]} for r in q.iter_rows(named=True)]
    st.dataframe(shown, hide_index=True, key="rule_quality")
    if shown:
        import polars as pl

        download_buttons(pl.DataFrame(shown), f"точность_полнота_{period.start:%d.%m.%Y}_{period.end:%d.%m.%Y}",
                         key="rule_quality")
    a = datasource.auditor_summary(period.start, period.end)
    if not a.is_empty():
        st.caption("Работа аудиторов за период")
        st.dataframe([{"Аудитор": r["auditor"], "Проверено": r["reviewed"], "Подтверждено": r["confirmed"],
                       "Отклонено": r["rejected"], "Добавлено": r["added"], "Форм": r["forms"],
                       "Оспариваний разобрано": r["disputes_resolved"]} for r in a.iter_rows(named=True)],
                     hide_index=True, key="auditor_summary")
