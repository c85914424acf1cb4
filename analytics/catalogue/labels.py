"""Russian names of every value the store keeps in English (topics, customer types, request kinds,
link methods, speakers, languages, verdicts, the fields a request needs) and of the columns of
every grid and list.  The dashboard, the reports and their exports all take names from here;
``tests/test_catalogue.py`` fails when a stored value has no name."""
from __future__ import annotations

from typing import Any

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
LINK_METHODS_RU = {
    "given": "указан в записи",
    "time_window": "по времени",
    "account_match": "по номеру счёта",
    "account_near": "по номеру счёта с одной ошибкой",
    "latest": "последний звонок",
}
SPEAKERS_RU = {"operator": "Оператор", "customer": "Абонент", "unknown": "Не определён"}
LANGUAGES_RU = {"ru": "русский", "kk": "казахский", "mixed": "русский и казахский", "unknown": "не определён"}
NOT_ASSESSED_RU = {"language": "нет словаря для языка звонка", "no_speech": "нет речи",
                   "low_confidence": "слова распознаны неуверенно"}
VERDICTS_RU = {"confirmed": "подтверждено", "rejected": "ложное срабатывание", "dismissed": "отклонено",
               "cleared": "решение снято"}
# the records discrepancies a reviewer confirms or dismisses (analytics/storage/discrepancies.py)
DISCREPANCIES_RU = {"value": "значение не совпадает с продиктованным", "account": "номер не назван в звонке"}
UNREVIEWED_RU = "не проверено"
RECORD_TYPES_RU = {"request": "заявка", "reading": "показание"}
REASON_CLASSES_RU = {"plumbing": "после сантехнических работ", "emergency": "после аварии",
                     "meter_replaced": "после замены прибора учёта", "other": "иная причина",
                     "missing": "причина не указана"}
FIELDS_RU = {"account": "лицевой счёт", "contact": "контакт", "reason": "причина", "contract_no": "номер договора",
             "object_name": "объект", "meter": "прибор учёта"}
LAYOUTS_RU = {"stereo-operator-left": "стерео, оператор слева", "stereo-operator-right": "стерео, оператор справа",
              "mono": "моно"}

# the access log's details (analytics.access.audit): keys and the free-text reasons it records
AUDIT_DETAIL_RU = {"verdict": "решение", "comment": "комментарий", "rows": "строк", "columns": "столбцы",
                   "report": "документ", "from": "с", "to": "по", "file": "файл", "reason": "причина",
                   "no local account": "нет локальной учётной записи"}
REPORT_KINDS_RU = {"spravka": "Справка по результатам проверки", "audit": "Отчет по аудиту СМ"}

MONTHS_RU = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
             "ноябрь", "декабрь")
MONTHS_SHORT_RU = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
MONTHS_GEN = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
              "ноября", "декабря")

# column of a grid or list -> the Russian names of its values
# an operator's dispute of a finding (analytics/storage/reviews.py, dispute_state)
DISPUTES_RU = {"open": "оспорено, ждёт ответа", "uphold": "оспорено, подтверждено", "withdraw": "оспорено, снято",
               "gone": "оспорено, нарушение больше не числится"}
VALUE_LABELS: dict[str, dict[str, str]] = {
    "dispute": DISPUTES_RU,
    "topic": TOPICS_RU,
    "speaker": SPEAKERS_RU,
    "customer_type": CUSTOMER_TYPES_RU,
    "kind": REQUEST_KINDS_RU,
    "linked_by": LINK_METHODS_RU,
    "link_method": LINK_METHODS_RU,
    "language": LANGUAGES_RU,
    "reason_not_assessed": NOT_ASSESSED_RU,
    "layout": LAYOUTS_RU,
    "record_type": RECORD_TYPES_RU,
    "what": DISCREPANCIES_RU,
    "missing": RECORD_TYPES_RU,
    "reason_class": REASON_CLASSES_RU,
}
# list columns whose items are stored values -> their Russian names
LIST_LABELS: dict[str, dict[str, str]] = {"missing_fields": FIELDS_RU, "reasons": NOT_ASSESSED_RU}

COLUMNS_RU = {
    "call_id": "Звонок",
    "started_at": "Начало",
    "operator_id": "Таб. №",
    "operator_name": "Оператор",
    "dispute": "Оспаривание",
    "dispute_comment": "Довод оператора",
    "dispute_reason": "Ответ на оспаривание",
    "operator": "Оператор",
    "topic": "Тема",
    "language": "Язык",
    "score": "Балл",
    "duration_s": "Длительность",
    "calls": "Звонков",
    "violations": "Нарушений",
    "per_100_calls": "Нарушений на 100 звонков",
    "requests_registered_on_time_pct": "Заявки внесены вовремя, %",
    "requests_completed_on_time_pct": "Заявки выполнены в срок, %",
    "readings_entered_on_time_pct": "Показания внесены вовремя, %",
    "requests_overdue": "Просрочено заявок",
    "calls_missing_record": "Звонки без записи",
    "rule": "Нарушение",
    "title": "Нарушение",
    "clause": "Пункт СТП",
    "start": "Момент",
    "end": "Конец",
    "evidence": "Сказано",
    "quote": "Фрагмент",
    "speaker": "Говорит",
    "period_start": "Период с",
    "idx": "№",
    "verdict": "Решение",
    "comment": "Комментарий",
    "reviewer": "Проверил",
    "reviewed_at": "Когда проверено",
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
    "note": "Примечание",
    "created_at": "Создана",
    "completed_at": "Выполнена",
    "linked_by": "Связь",
    "minutes_after_call": "Через, мин",
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
    "name": "Название",
    "deduction": "Снижение балла",
    "weight": "Вес",
    "record_id": "Запись",
    "record_type": "Вид записи",
    "what": "Расхождение",
    "recorded_at": "Внесена",
    "numbers_said": "Номера в звонке",
    "reason_class": "Причина по п. 20",
    "reasons": "Почему не оценён",
    "topics": "Темы",
    "no_request": "Нет заявки",
    "no_reading": "Нет показаний",
    "completed_by_now": "Выполнена",
}


def label(column: str, value: Any) -> Any:
    """The Russian name of ``value`` in ``column`` (the value itself where the column has no names)."""
    names = VALUE_LABELS.get(column)
    if names is None or value is None:
        return value
    return names.get(value, value)


def topic_ru(topic: str | None) -> str:
    return TOPICS_RU.get(topic or "other", topic or "—")


def fields_ru(fields: list[str] | None) -> str:
    """The fields a request lacks, in Russian, comma-separated."""
    return ", ".join(FIELDS_RU.get(f, f) for f in fields or [])
