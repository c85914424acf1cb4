"""Options of the half-yearly report (``oka-qa report``)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ReportOptions:
    """What goes into a report and how it is written.

    registered_target_pct: the share of requests registered within 7 minutes of
        the call (Appendix 1, 5–7 min) at or above which indicator 1 of the
        table in 2.6 counts as met.
    readings_target_pct: the same for readings entered within 5 minutes
        (indicator 2).
    completed_target_pct: the share of requests completed within 10 working
        days at or above which that figure counts as met.
    score_target: the average score by the rulebook (0..100) at or above
        which compliance counts as met.
    problems_target: the count of problem records (overdue or incomplete
        requests, mismatched readings, calls with no record, ...) at or below
        which such a figure counts as met; 0 makes every one a deviation.
    These targets are those of the dashboard's tiles too (the KPI catalogue,
    ``analytics.catalogue.kpis``, names the option behind each KPI).
    max_list_rows: rows of each list printed in the DOCX (the worst cases
        first where a list has a delay); the XLSX always holds every row, and
        the DOCX says so when it is cut.
    examples_per_clause: quotes per rule in the compliance section.
    top_rules_per_operator: violations per operator that get a training
        recommendation (the most frequent first).
    min_violations_for_training: fewer violations of a rule than this do not
        make a recommendation.
    pdf: None converts to PDF when LibreOffice (``soffice``) is installed;
        False never; True requires it.
    charts: draw the charts (matplotlib) into the DOCX and the XLSX.
    trusted_precision_pct, trusted_min_reviews: a rule whose findings an
        auditor reviewed at least ``trusted_min_reviews`` times in the period
        and confirmed at least ``trusted_precision_pct`` % of them is trusted:
        the audit report states its findings as nonconformities; the other
        rules' findings count as nonconformities only where confirmed, and the
        rest is listed as «не подтверждено».
    mask_personal_data: for readers without access to personal data (the
        trainer's role): quotes are masked with ``rules.privacy`` and the
        account / contract / contact columns of the lists are left blank.
    """

    registered_target_pct: float = 95.0
    readings_target_pct: float = 95.0
    completed_target_pct: float = 95.0
    score_target: float = 90.0
    problems_target: int = 0
    max_list_rows: int = 25
    examples_per_clause: int = 3
    top_rules_per_operator: int = 3
    min_violations_for_training: int = 1
    pdf: bool | None = None
    charts: bool = True
    mask_personal_data: bool = False
    trusted_precision_pct: float = 90.0
    trusted_min_reviews: int = 20
