"""Russian names for what the store calls in English, and number formatting for the UI.

One place, so that tables, charts, exports and the browser test say the same.
"""
from __future__ import annotations

import datetime as dt
import math

import polars as pl

TOPICS_RU = {
    "request.individual": "Заявка (физ. лицо)",
    "request.legal": "Заявка (юр. лицо)",
    "readings": "Показания",
    "billing": "Начисления, справки",
    "out_of_scope": "Не по профилю",
    "other": "Прочее",
}

CUSTOMER_TYPES_RU = {"individual": "физ. лицо", "legal": "юр. лицо"}

REQUEST_KINDS_RU = {"sealing": "опломбировка", "unsealing": "распломбировка", "inspection": "технический осмотр"}

LINK_METHODS_RU = {"given": "указан в записи", "time_window": "по времени", "account_match": "по номеру счёта",
                   "account_near": "по номеру счёта (одна цифра иначе)", "latest": "последний звонок"}
REASON_CLASSES_RU = {"plumbing": "сантехнические работы", "emergency": "авария", "meter_replaced": "замена ИПУ",
                     "other": "другая", "missing": "не указана"}
MISSING_RECORDS_RU = {"request": "заявка", "reading": "показания"}

SPEAKERS_RU = {"operator": "Оператор", "customer": "Абонент", "unknown": "Не определён"}

MONTHS_RU = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
             "ноябрь", "декабрь")

COLUMNS_RU = {
    "call_id": "Звонок",
    "started_at": "Начало",
    "operator_id": "Таб. №",
    "operator_name": "Оператор",
    "topic": "Тема",
    "score": "Балл",
    "duration_s": "Длительность, с",
    "calls": "Звонков",
    "violations": "Нарушений",
    "per_100_calls": "Нарушений на 100 звонков",
    "requests_registered_on_time_pct": "Заявки вовремя, %",
    "requests_completed_on_time_pct": "Заявки выполнены в срок, %",
    "readings_entered_on_time_pct": "Показания вовремя, %",
    "requests_overdue": "Просрочено заявок",
    "calls_missing_record": "Звонки без записи",
    "rule": "Правило",
    "title": "Нарушение",
    "clause": "Пункт СТП",
    "start": "Секунда",
    "end": "Конец, с",
    "evidence": "Сказано",
    "quote": "Фрагмент",
    "speaker": "Говорит",
    "period_start": "Период с",
    "idx": "№",
    "verdict": "Решение",
    "comment": "Комментарий",
    "reviewer": "Проверил",
    "reviewed_at": "Когда",
    "findings": "Срабатываний",
    "reviewed": "Проверено",
    "confirmed": "Подтверждено",
    "rejected": "Отклонено",
    "precision_pct": "Точность, %",
    "request_id": "Заявка",
    "customer_type": "Потребитель",
    "kind": "Вид",
    "account": "Лицевой счёт",
    "contract_no": "Договор",
    "object_name": "Объект",
    "meter": "Прибор учёта",
    "contact": "Контакт",
    "reason": "Причина",
    "created_at": "Создана",
    "completed_at": "Выполнена",
    "linked_by": "Связь",
    "minutes_after_call": "Минут после звонка",
    "reading_id": "Показание",
    "value": "Значение",
    "entered_at": "Внесено",
    "dictated": "Продиктовано",
    "value_matches": "Совпадает",
    "due_day": "Срок выполнения",
    "linked_call": "Звонок",
    "link_method": "Связь",
    "call_ended_at": "Звонок окончен",
    "completed_by_period_end": "Выполнена к концу периода",
    "missing_fields": "Не заполнено",
    "dictated_values": "Продиктовано",
    "ended_at": "Окончание",
    "topics": "Темы",
    "record_id": "Запись",
    "record_type": "Вид записи",
    "recorded_at": "Создана",
    "numbers_said": "Номера в звонке",
    "reason_class": "Причина по п. 20",
    "missing": "Нет записи",
    "language": "Язык",
    "reasons": "Почему",
    "completed_by_now": "Выполнена",
}


def topic_ru(topic: str | None) -> str:
    return TOPICS_RU.get(topic or "other", topic or "—")


def russian(df: pl.DataFrame, titles: dict[str, str] | None = None) -> pl.DataFrame:
    """The frame as the user sees it: Russian topic names and column headers.

    ``titles`` (rule id -> Russian title) adds a «Нарушение» column after «Правило».
    """
    for column, names in (("topic", TOPICS_RU), ("speaker", SPEAKERS_RU), ("customer_type", CUSTOMER_TYPES_RU),
                          ("kind", REQUEST_KINDS_RU), ("linked_by", LINK_METHODS_RU),
                          ("link_method", LINK_METHODS_RU), ("reason_class", REASON_CLASSES_RU),
                          ("missing", MISSING_RECORDS_RU)):
        if column in df.columns:
            df = df.with_columns(pl.col(column).cast(pl.String).replace(names))
    if "verdict" in df.columns:
        df = df.with_columns(pl.col("verdict").cast(pl.String).replace({"confirmed": "подтверждено", "rejected": "отклонено"})
                             .fill_null("не проверено"))
    if titles is not None and "rule" in df.columns and "title" not in df.columns:
        title = df["rule"].replace_strict(titles, default="", return_dtype=pl.String).alias("title")
        df = df.insert_column(df.columns.index("rule") + 1, title)
    df = df.with_columns(pl.col(pl.String).fill_null(""))
    return df.rename({c: COLUMNS_RU[c] for c in df.columns if c in COLUMNS_RU})


MONTHS_SHORT_RU = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")


def with_when(df: pl.DataFrame, grain: str) -> pl.DataFrame:
    """Adds ``when``: «мар 2025» for a month, «03.03» (the Monday) for a week — chart axes in Russian."""
    if grain == "month":
        labels = [f"{MONTHS_SHORT_RU[d.month - 1]} {d.year}" for d in df["period_start"]]
    else:
        labels = [f"{d:%d.%m.%y}" for d in df["period_start"]]
    return df.with_columns(pl.Series("when", labels, dtype=pl.String))


def when_order(df: pl.DataFrame) -> dict[str, list[str]]:
    """plotly's category order for ``when``: by date, not by first appearance."""
    return {"when": df.sort("period_start")["when"].unique(maintain_order=True).to_list()}


def short(text: str, limit: int = 48) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (chart labels)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clause_ru(clause: str | None) -> str:
    """«п. 15.1» for a numbered clause; an appendix as it is («Приложение 1»)."""
    if not clause:
        return ""
    return f"п. {clause}" if clause[0].isdigit() else clause


def fmt_number(value: float | None, digits: int = 1) -> str:
    """«1 840», «91,4»; a dash for no value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, int) or float(value).is_integer() and digits == 0:
        return f"{int(value):,}".replace(",", " ")
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",")


def fmt_pct(value: float | None) -> str:
    """«96,1 %»; a dash where the share is over zero items (null)."""
    return "—" if value is None else f"{fmt_number(value)} %"


def fmt_seconds(seconds: float | None) -> str:
    """«1:07» for 67 seconds."""
    if seconds is None:
        return "—"
    s = int(seconds)
    return f"{s // 60}:{s % 60:02d}"


def fmt_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")
