"""The KPI catalogue: one row per figure of ``oka-qa kpi --json`` (docs/CONTRACT.md section 5).

Each row says what the figure is called (the same words on the tile, in the report and on the
«Своевременность» tab), its unit, which direction is better, what it means, the option of
``[report]`` in ``oka-qa.toml`` that holds its target, and the list of records behind it (the
function of ``analytics.queries.kpi_lists``, its title and columns).  A new KPI is one new row;
``tests/test_catalogue.py`` fails when ``kpi --json`` prints a key that has no row here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from analytics.catalogue.formats import DASH, fmt_change, fmt_kpi, fmt_number

UNITS = ("count", "pct", "score", "map")


@dataclass(frozen=True)
class Column:
    """source: the list's column; header: its Russian heading; personal: personal data (left blank
    for readers without access to it)."""

    source: str
    header: str
    personal: bool = False


@dataclass(frozen=True)
class KpiList:
    """The records behind a KPI: ``name`` is the function of ``analytics.queries.kpi_lists``;
    ``sheet`` the XLSX sheet name (31 characters at most); ``title`` the heading in the report;
    ``columns`` what the report and the dashboard show of it, the record's id first; ``worst_by``
    the column whose largest values are the worst cases (None: the list's own order) and
    ``worst_label`` how the report calls the rows it shows when the list is cut."""

    name: str
    sheet: str
    title: str
    columns: tuple[Column, ...]
    worst_by: str | None = None
    worst_label: str = "первых"


@dataclass(frozen=True)
class Kpi:
    """key: the field of ``oka-qa kpi --json``; label: its Russian name everywhere; unit: one of
    ``UNITS``; better: "higher", "lower" or None (neither: a volume, or a list that is only
    listed); help: what the number means; clause: the standard's clause it reports on;
    target_option: the field of ``[report]`` (``ReportOptions``) holding its target, None for
    none; records: the list behind it; also: the key of another KPI whose list is the rest of what this one is
    not (the calls with no record at all beside the records made late, for the indicators of clause 2.6: both are
    «not on time»); tile: shown as a tile on «Обзор»."""

    key: str
    label: str
    unit: str
    better: str | None
    help: str
    clause: str = ""
    target_option: str | None = None
    records: KpiList | None = None
    tile: bool = True
    also: str | None = None

    @property
    def tile_label(self) -> str:
        """The tile's caption: the label, and «(п. 2.6)» on the two indicators of clause 2.6."""
        return f"{self.label} (п. 2.6)" if self.clause == "2.6" and self.tile else self.label

    @property
    def higher_is_better(self) -> bool:
        return self.better != "lower"

    def target(self, opts: Any) -> float | None:
        """The target from the report options (``analytics.config.load().report``)."""
        return None if self.target_option is None else getattr(opts, self.target_option)

    def fmt(self, value: Any) -> str:
        """The value as a tile or a report cell shows it; «нет данных» for none."""
        return fmt_kpi(value, self.unit)

    def fmt_target(self, target: float | None) -> str:
        if target is None:
            return ""
        sign = "≥" if self.higher_is_better else "≤"
        shown = fmt_number(int(target), 0) if self.unit == "count" else fmt_kpi(target, self.unit)
        return f"цель {sign} {shown}"

    def fmt_delta(self, value: Any, previous: Any) -> str | None:
        """The change from the previous period («+2», «−1,5 п.п.»); None when either is unknown."""
        text = fmt_change(value, previous, self.unit)
        return None if text == DASH else text

    def met(self, value: Any, target: float | None) -> bool | None:
        """Whether ``value`` reaches ``target``; None when there is no target or no value."""
        if target is None or value is None or self.better is None:
            return None
        return value >= target if self.better == "higher" else value <= target


_OP = Column("operator_id", "Оператор")
_REQ = Column("request_id", "Заявка")
_READ = Column("reading_id", "Показание")
_ACCOUNT = Column("account", "Лицевой счёт", personal=True)
_LINKED = (Column("linked_call", "Звонок"), Column("link_method", "Как связана"))   # the call, and how it was found
_CALL_COLUMNS = (Column("call_id", "Звонок"), Column("started_at", "Начало"), _OP, Column("topic", "Тема"),
                 Column("score", "Балл"))
_RECORD_COLUMNS = (Column("record_id", "Запись"), Column("record_type", "Вид"), _ACCOUNT,
                   Column("contract_no", "Договор", personal=True), _OP, *_LINKED,
                   Column("recorded_at", "Внесена"), Column("numbers_said", "Номера в звонке", personal=True))

KPIS: tuple[Kpi, ...] = (
    Kpi("requests_registered_on_time_pct", "Регистрация заявок вовремя", "pct", "higher",
        "Доля заявок, созданных не позже 7 минут после окончания звонка, среди заявок периода, связанных со "
        "звонком, и звонков, по которым заявка нужна, но не зарегистрирована (п. 2.6, Приложение 1).",
        clause="2.6", target_option="registered_target_pct",
        records=KpiList("requests_registered_late", "Заявки с опозданием",
                        "Заявки, зарегистрированные с опозданием (позднее 7 мин после звонка)",
                        (_REQ, Column("customer_type", "Потребитель"), _OP, *_LINKED,
                         Column("call_ended_at", "Звонок окончен"), Column("created_at", "Заявка создана"),
                         Column("minutes_after_call", "Через, мин")),
                        worst_by="minutes_after_call", worst_label="с наибольшим опозданием"),
        also="requests_not_registered"),
    Kpi("readings_entered_on_time_pct", "Внесение показаний вовремя", "pct", "higher",
        "Доля показаний, внесённых не позже 5 минут после окончания звонка, среди показаний периода, связанных "
        "со звонком, и звонков с показаниями, которые не внесены (п. 2.6, Приложение 1).",
        clause="2.6", target_option="readings_target_pct",
        records=KpiList("readings_entered_late", "Показания с опозданием",
                        "Показания, внесённые с опозданием (позднее 5 мин после звонка)",
                        (_READ, _ACCOUNT, _OP, *_LINKED,
                         Column("call_ended_at", "Звонок окончен"), Column("entered_at", "Внесено"),
                         Column("minutes_after_call", "Через, мин")),
                        worst_by="minutes_after_call", worst_label="с наибольшим опозданием"),
        also="readings_not_entered"),
    Kpi("compliance_score_avg", "Средний балл по СТП", "score", "higher",
        "Средний балл звонков периода по своду правил СТП-04-2019 (100 — без нарушений); "
        "отклонённые аудитором срабатывания не снижают балл.", target_option="score_target"),
    Kpi("calls", "Звонков за период", "count", None, "Звонки, начатые в периоде."),
    Kpi("requests", "Заявок за период", "count", None, "Заявки, созданные в периоде."),
    Kpi("requests_completed_on_time_pct", "Заявки выполнены в срок", "pct", "higher",
        "Доля заявок, выполненных за 10 рабочих дней, среди выполненных и просроченных.",
        target_option="completed_target_pct",
        records=KpiList("requests_completed_late", "Заявки не в срок",
                        "Заявки, не выполненные в срок (10 рабочих дней): выполненные позже или ещё открытые",
                        (_REQ, Column("kind", "Вид"), _OP, Column("created_at", "Создана"),
                         Column("due_day", "Срок выполнения"), Column("completed_at", "Выполнена")))),
    Kpi("requests_overdue", "Заявки просрочены", "count", "lower",
        "Открытые заявки, срок которых (10 рабочих дней) истёк к концу периода.", target_option="problems_target",
        records=KpiList("requests_overdue", "Заявки просроченные",
                        "Заявки просроченные: не выполнены за 10 рабочих дней",
                        (_REQ, Column("kind", "Вид"), Column("customer_type", "Потребитель"), _OP,
                         Column("created_at", "Создана"), Column("due_day", "Срок выполнения"),
                         Column("linked_call", "Звонок")),
                        worst_label="с самым давним сроком")),
    Kpi("requests_incomplete", "Заявки без обязательных данных", "count", "lower",
        "Заявки без поля, обязательного по Приложению 1.", target_option="problems_target",
        records=KpiList("requests_incomplete", "Заявки неполные", "Заявки без обязательных данных (Приложение 1)",
                        (_REQ, Column("customer_type", "Потребитель"), _OP, Column("created_at", "Создана"),
                         Column("missing_fields", "Не указано")))),
    Kpi("readings", "Показаний за период", "count", None, "Показания, внесённые в периоде."),
    Kpi("readings_value_mismatch", "Показания расходятся с продиктованными", "count", "lower",
        "Внесённое значение не совпадает ни с одним значением, продиктованным в звонке (п. 12).",
        clause="12", target_option="problems_target",
        records=KpiList("readings_mismatched", "Показания расхождение",
                        "Показания, расходящиеся с продиктованными (п. 12)",
                        (_READ, _ACCOUNT, _OP, Column("linked_call", "Звонок"), Column("value", "Внесено в базу"),
                         Column("dictated_values", "Продиктовано в звонке"), Column("entered_at", "Внесено")))),
    Kpi("calls_missing_record", "Звонки без заявки или показаний", "count", "lower",
        "Звонки по заявке или показаниям, после которых нужной записи нет: по строке на каждую недостающую "
        "(звонок, после которого нужны и заявка, и показания, а нет ни того, ни другого, — две строки).",
        target_option="problems_target",
        records=KpiList("calls_missing_record", "Звонки без записи", "Звонки без заявки или показания в базе",
                        (*_CALL_COLUMNS, Column("missing", "Нет записи")))),
    # docs/CONTRACT.md section 5 (revised): figures the KPI computation adds; each shows once ``kpi --json`` has it
    Kpi("requests_not_registered", "Звонки без зарегистрированной заявки", "count", "lower",
        "Звонки периода, по которым нужна заявка, но ни одна не связана со звонком.",
        clause="2.6", target_option="problems_target", tile=False,
        records=KpiList("requests_not_registered", "Звонки без заявки", "Звонки, по которым заявка не зарегистрирована",
                        _CALL_COLUMNS)),
    Kpi("readings_not_entered", "Звонки без внесённых показаний", "count", "lower",
        "Звонки периода, в которых продиктованы показания, но ни одно показание не связано со звонком.",
        clause="2.6", target_option="problems_target", tile=False,
        records=KpiList("readings_not_entered", "Звонки без показаний", "Звонки, показания из которых не внесены",
                        _CALL_COLUMNS)),
    Kpi("requests_unlinked", "Заявки без звонка", "count", None,
        "Заявки периода, не связанные ни с одним звонком (другой канал или не с чем сопоставить); "
        "приводятся списком и не оцениваются.", tile=False,
        records=KpiList("requests_unlinked", "Заявки без звонка", "Заявки, не связанные ни с одним звонком",
                        (_REQ, Column("kind", "Вид"), Column("customer_type", "Потребитель"), _OP,
                         Column("created_at", "Создана")))),
    Kpi("readings_unlinked", "Показания без звонка", "count", None,
        "Показания периода, не связанные ни с одним звонком; приводятся списком и не оцениваются.", tile=False,
        records=KpiList("readings_unlinked", "Показания без звонка", "Показания, не связанные ни с одним звонком",
                        (_READ, _ACCOUNT, _OP, Column("entered_at", "Внесено")))),
    Kpi("requests_sealing_reason_invalid", "Опломбировка без допустимой причины", "count", "lower",
        "Заявки физических лиц на опломбировку, причина которых не из трёх допустимых (п. 20).",
        clause="20", target_option="problems_target", tile=False,
        records=KpiList("requests_sealing_reason_invalid", "Опломбировка без причины",
                        "Заявки на опломбировку без допустимой причины (п. 20)",
                        (_REQ, _OP, Column("created_at", "Создана"), Column("reason", "Причина"),
                         Column("reason_class", "Причина по п. 20")))),
    Kpi("records_mismatch", "Записи с другим номером счёта", "count", "lower",
        "Заявки и показания, номер счёта или договора которых не совпадает ни с одним уверенно услышанным "
        "в звонке (п. 12).", clause="12", target_option="problems_target", tile=False,
        records=KpiList("records_mismatch", "Записи другой номер", "Записи, номер которых не назван в звонке (п. 12)",
                        _RECORD_COLUMNS)),
    Kpi("records_unverifiable", "Записи, которые нельзя сверить", "count", None,
        "Записи, номера в звонке которых распознаны неуверенно, так что сверка невозможна.", tile=False,
        records=KpiList("records_unverifiable", "Записи без сверки",
                        "Записи, номера в звонке которых расслышаны неуверенно", _RECORD_COLUMNS)),
    Kpi("calls_not_assessed", "Звонки без оценки", "count", None,
        "Звонки, в которых ни одно правило не удалось проверить; в средний балл не входят.", tile=False,
        records=KpiList("calls_not_assessed", "Звонки без оценки", "Звонки, которые не удалось оценить",
                        (*_CALL_COLUMNS[:4], Column("language", "Язык"), Column("reasons", "Почему")))),
    Kpi("calls_by_language", "Звонки по языкам", "map", None, "Звонки периода по языку разговора.", tile=False),
    Kpi("violations", "Нарушения по правилам", "map", "lower",
        "Срабатывания правил за период без отклонённых аудитором и неуверенных.", tile=False),
)

BY_KEY: dict[str, Kpi] = {k.key: k for k in KPIS}
# fields of ``kpi --json`` that are not KPIs: the period asked for
PERIOD_KEYS = ("from", "to")


def tiles(kpis: dict[str, Any] | None = None) -> tuple[Kpi, ...]:
    """The tiles of «Обзор», in catalogue order; given the KPI object, only those it holds."""
    return tuple(k for k in KPIS if k.tile and (kpis is None or k.key in kpis))


def scalars(kpis: dict[str, Any] | None = None) -> tuple[Kpi, ...]:
    """Every single-number KPI (the report's table), in catalogue order; given the object, those it holds."""
    return tuple(k for k in KPIS if k.unit != "map" and (kpis is None or k.key in kpis))


def with_records() -> tuple[Kpi, ...]:
    """The KPIs with a list of records behind them (the «Своевременность» tabs, the report's lists)."""
    return tuple(k for k in KPIS if k.records is not None)
