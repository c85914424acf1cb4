"""«Своевременность»: the records behind the timeliness KPIs, each list exportable.

The lists come from ``analytics.queries.kpi_lists``, built on the same definitions as
the KPI tiles, so a tile's number is the length of its list here.
"""
from __future__ import annotations

import streamlit as st

from dashboards import context, datasource, shell
from dashboards.components.export import download_buttons
from dashboards.labels import russian

period = shell.page()

# (KPI list, tab title, what it shows)
LISTS = (
    ("requests_registered_late", "Поздняя регистрация",
     "Заявки, созданные позже 7 минут после окончания звонка (Приложение 1: 5–7 минут)."),
    ("requests_overdue", "Просроченные заявки",
     "Открытые заявки, срок которых (10 рабочих дней) истёк к концу периода."),
    ("requests_completed_late", "Выполнены не в срок",
     "Заявки, выполненные позже 10 рабочих дней, или просроченные."),
    ("requests_incomplete", "Неполные заявки", "Заявки без обязательных полей Приложения 1."),
    ("readings_entered_late", "Показания внесены поздно",
     "Показания, внесённые позже 5 минут после окончания звонка (Приложение 1)."),
    ("readings_mismatched", "Показания с расхождением",
     "Внесённое значение не совпадает ни с одним продиктованным в звонке (п. 12)."),
    ("calls_missing_record", "Звонки без записи",
     "Звонки по заявке или показаниям, к которым не найдено нужной записи (по строке на каждую недостающую)."),
    ("requests_not_registered", "Заявка не внесена",
     "Звонки, после которых нужна была заявка, а её нет: в показателе 1 считаются как невыполнение."),
    ("readings_not_entered", "Показания не внесены",
     "Звонки, в которых продиктованы показания, а в базе их нет: в показателе 2 считаются как невыполнение."),
    ("requests_unlinked", "Заявки без звонка",
     "Заявки, не связанные ни с одним звонком (другой канал или звонок не найден); в показатель не входят."),
    ("readings_unlinked", "Показания без звонка", "Показания, не связанные ни с одним звонком."),
    ("requests_sealing_reason_invalid", "Опломбировка без допустимой причины",
     "Заявки физ. лиц на опломбировку: причина — не сантехнические работы, не авария и не замена ИПУ (п. 20)."),
    ("records_mismatch", "Другой номер счёта",
     "Номер счёта (договора) в записи не совпадает ни с одним, уверенно расслышанным в звонке (п. 12)."),
    ("records_unverifiable", "Номер не расслышан",
     "Номера или значения в звонке расслышаны неуверенно: сверить запись со звонком нельзя, "
     "расхождением не считается."),
    ("calls_not_assessed", "Звонки без оценки",
     "Звонки, в которых ни одно правило нельзя было оценить (нет речи, язык без словаря, неразборчиво)."),
)

st.title("Своевременность")
st.caption(f"{period.label}. Выберите строку, чтобы открыть звонок.")

# Lazy tabs: only the open tab's list is queried (each is a scan of the period's records).
tabs = st.tabs([title for _, title, _ in LISTS], key="timely_tab", on_change="rerun")
for tab, (name, title, what) in zip(tabs, LISTS):
    if not tab.open:
        continue
    with tab:
        df = datasource.kpi_list(name, period.start, period.end)
        st.subheader(f"{title}: {df.height}")
        st.caption(what)
        if df.is_empty():
            st.success("Нет — всё в порядке.")
            continue
        shown = russian(df)
        event = st.dataframe(shown, hide_index=True, key=f"timely_{name}", on_select="rerun",
                             selection_mode="single-row")
        download_buttons(shown, f"{title}_{period.start}_{period.end}".replace(" ", "_"), key=f"timely_{name}")
        call_col = "linked_call" if "linked_call" in df.columns else "call_id"
        rows = event.selection.rows if event is not None else []
        if rows and df[call_col][rows[0]]:
            context.open_call(df[call_col][rows[0]])
