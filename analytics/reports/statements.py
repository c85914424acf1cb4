"""What the report states about itself: what the check covers, how far auditors confirmed it, and how
Appendix 1's minutes are read.

* Coverage: ``rules/coverage.yaml`` (data next to the rulebook) says, clause by
  clause, whether the automatic check covers it fully, partly (and how), or not
  at all — tone of voice, chewing, the correctness of the information given are
  for a person who listens.
* Reviews: per rule, how many of the period's automatic findings an auditor
  reviewed, confirmed and rejected, how many violations auditors added (the
  check missed them), the rule's precision (confirmed / reviewed) and recall
  (confirmed / (confirmed + added)), as on «Проверка».  A rule is *trusted* when at least
  ``ReportOptions.trusted_min_reviews`` of its findings were reviewed and its
  precision is at least ``ReportOptions.trusted_precision_pct``.  The audit
  report states nonconformities only from confirmed findings or trusted rules;
  the rest is listed as «не подтверждено».
* Appendix 1: its «мин» column is read once, here, in :data:`APPENDIX_1_NOTE`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from core.errors import OkaError

LEVELS = {"full": "проверяется полностью", "partial": "проверяется частично", "none": "не проверяется"}
LEVELS_OF_MANY = {"full": "проверяются полностью", "partial": "проверяются частично", "none": "не проверяются"}

APPENDIX_1_NOTE = (
    "Как читаются минуты Приложения 1. Графа «мин» карты процесса прочитана двояко, и оба прочтения применены "
    "одинаково ко всем операторам. (1) Срок регистрации после звонка: заявка (строки 1–2, «5–7 мин») должна быть "
    "внесена в ИС РАДИ или СЭД не позднее 7 минут после окончания разговора, показания (строка 3, «5 мин») — "
    "в базу АЛСЕКО не позднее 5 минут; по этому сроку считаются показатели 1 и 2 п. 2.6. Запись, созданная "
    "во время разговора, внесена вовремя; звонок, после которого нужной записи нет вовсе, считается "
    "невыполнением. (2) Норматив длительности разговора: 7 минут для звонка о заявке, 5 — о показаниях, "
    "30 — о начислениях (строка 4, «5–30 мин», взята верхняя граница); по нему работает правило "
    "«Длительность разговора превышает норматив». Срок выполнения заявки — 10 рабочих дней после дня "
    "создания (верхняя граница «5–10 рабочих дней») по производственному календарю Казахстана.")


class CoverageError(OkaError):
    """The coverage file cannot be read; the message names it."""


@dataclass(frozen=True)
class CoverageRow:
    clause: str
    title: str
    level: str        # full | partial | none
    how: str


@dataclass
class ReviewRow:
    rule: str
    clause: str
    title: str
    findings: int     # automatic findings in the period's calls, rejected ones included
    reviewed: int
    confirmed: int
    rejected: int
    added: int = 0    # violations auditors heard that the check missed (not retracted)
    trusted: bool = False
    uncertain_confirmed: int = 0   # findings heard too unsurely to count, confirmed by an auditor in the queue

    @property
    def precision_pct(self) -> float | None:
        """Of the findings the check counted by itself and an auditor reviewed, the share confirmed."""
        return round(100.0 * self.confirmed / self.reviewed, 1) if self.reviewed else None

    @property
    def established(self) -> int:
        """The rule's violations an auditor confirmed: counted findings and uncertain ones alike."""
        return self.confirmed + self.uncertain_confirmed

    @property
    def recall_pct(self) -> float | None:
        """Of the violations an auditor established (confirmed findings, uncertain ones confirmed, added ones), the
        share the check counted by itself."""
        known = self.established + self.added
        return round(100.0 * self.confirmed / known, 1) if known else None


def coverage_path() -> Path:
    import rules

    return Path(rules.__file__).with_name("coverage.yaml")


def load_coverage(path: Path | None = None) -> list[CoverageRow]:
    path = path or coverage_path()
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        rows = [CoverageRow(str(c["clause"]), str(c["title"]), str(c["level"]), " ".join(str(c.get("how", "")).split()))
                for c in data.get("clauses") or ()]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as e:
        raise CoverageError(f"{path}: cannot read the coverage statement ({e})") from e
    bad = [r.clause for r in rows if r.level not in LEVELS]
    if bad:
        raise CoverageError(f"{path}: level must be one of {', '.join(LEVELS)} (clauses {', '.join(bad)})")
    return rows


def review_rows(db: Path, start, end, catalog: dict[str, tuple[str, str]], min_reviews: int,
                precision_pct: float) -> list[ReviewRow]:
    """Per rule with findings or added violations in the period: the auditors' verdicts, the violations they
    added, and whether the rule is trusted — the figures of «Проверка» (``review_quality.rule_quality``)."""
    from analytics.queries.review_quality import rule_quality

    out = []
    for r in rule_quality(db, start, end).sort("rule").iter_rows(named=True):
        clause, title = catalog.get(r["rule"], ("—", r["rule"]))
        row = ReviewRow(r["rule"], clause, title, int(r["findings"]), int(r["reviewed"]), int(r["confirmed"]),
                        int(r["rejected"]), int(r["added"]), uncertain_confirmed=int(r["uncertain_confirmed"]))
        row.trusted = row.reviewed >= min_reviews and (row.precision_pct or 0.0) >= precision_pct
        out.append(row)
    return out


def write_docx_section(doc, data, figs, opts, n) -> None:
    """The section «Что проверено и насколько подтверждено»: coverage, review figures, Appendix 1."""
    from analytics.reports.docx_parts import para, table
    from analytics.reports.texts import fmt_clause, fmt_kpi, fmt_number

    para(doc, "Проверка автоматическая: нарушения найдены программой по расшифровкам записей звонков и по "
              "записям ИС РАДИ, СЭД и АЛСЕКО. Ниже — какие требования Стандарта она охватывает и в какой мере.",
         align="justify")
    for level, label in LEVELS_OF_MANY.items():
        rows = [[fmt_clause(c.clause), c.title, c.how] for c in data.coverage if c.level == level]
        if rows:
            para(doc, f"Пункты, которые {label}:", bold=True, size=11, space_after=1)
            table(doc, ["Пункт", "Содержание", "Как проверяется" if level != "none" else "Почему нет"], rows,
                  [2.6, 5.4, 9.0], size=9)
    reviewed = sum(r.reviewed for r in data.reviews)
    confirmed = sum(r.confirmed for r in data.reviews)
    rejected = sum(r.rejected for r in data.reviews)
    found = sum(r.findings for r in data.reviews)
    added = sum(r.added for r in data.reviews)
    para(doc, f"Проверка находок аудитором: из {fmt_number(found, 0)} автоматических находок за период аудитор "
              f"проверил {fmt_number(reviewed, 0)}, подтвердил {fmt_number(confirmed, 0)}, "
              f"отклонил {fmt_number(rejected, 0)}; пропущенных программой нарушений аудиторы добавили "
              f"{fmt_number(added, 0)}. Отклонённые находки нигде не учитываются, добавленные нарушения "
              "учитываются наравне с найденными. "
              f"Точность правила — доля подтверждённых среди проверенных; полнота — доля найденных программой "
              "(подтверждённых) среди всех нарушений, установленных аудитором (подтверждённых и добавленных); "
              f"правило с точностью не ниже "
              f"{fmt_kpi(opts.trusted_precision_pct, '%')} при не менее чем {opts.trusted_min_reviews} проверенных "
              "находках считается надёжным.", align="justify")
    rows = [[fmt_clause(r.clause), r.title, fmt_number(r.findings, 0), fmt_number(r.reviewed, 0),
             fmt_number(r.confirmed, 0), fmt_number(r.rejected, 0), fmt_kpi(r.precision_pct, "%"),
             fmt_number(r.added, 0), fmt_kpi(r.recall_pct, "%"), "да" if r.trusted else "нет"] for r in data.reviews]
    if rows:
        table(doc, ["Пункт", "Правило", "Находок", "Проверено", "Подтверждено", "Отклонено", "Точность",
                    "Добавлено аудитором", "Полнота", "Надёжно"], rows,
              [1.7, 4.1, 1.3, 1.4, 1.6, 1.4, 1.4, 1.5, 1.4, 1.2], size=8, numeric_cols=(2, 3, 4, 5, 6, 7, 8))
    para(doc, APPENDIX_1_NOTE, align="justify")
