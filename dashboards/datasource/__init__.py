"""The one place the dashboard reads data: cached wrappers around ``analytics``, one module per concept.

Pages import this package (``from dashboards import datasource``, then ``datasource.kpis(...)``) and nothing
below it; the modules are:

- ``store``: the store handle (database and data version), the cache, the signed-in viewer and ``_view``,
  through which every frame passes masked and filtered for the role;
- ``figures``: KPIs, the records behind them, per-topic, per-operator and per-rule views;
- ``report``: the half-yearly report;  ``rulebook``: rule titles, the deduction line, the evaluation form;
- ``calls``: the call search and a call's page;
- ``reviews``: verdicts on findings, records discrepancies, the uncertain queue, rule and auditor quality;
- ``forms``, ``operator_disputes``, ``calibration``, ``samples``: the rest of the auditors' workflow;
- ``coaching``: redacted audio, examples, assignments, the operator's own page;  ``audit_log``: the access log.

Each wrapper opens nothing itself; the analytics function opens a short-lived read-only connection, and
``st.cache_data`` keeps the result (never the connection) keyed by the data's version (see ``store``).
Anything that must change what users see (masking, per-role filtering) belongs here, where every read passes.

The modules call one another's public functions, and ``_viewer``, through this package (``ds.name(...)``),
as they did when this was one module: a test that patches ``datasource.X`` reaches every caller.  No module
is named like a function of this package (``kpis`` would hide ``kpis()``).
"""
from __future__ import annotations

from dashboards.datasource.audit_log import audit_actions, audit_entries, audit_verify
from dashboards.datasource.calibration import (
    calibration_agreement,
    calibration_sessions,
    calibration_state,
    close_calibration,
    open_calibration,
    reviewers,
    submit_calibration,
)
from dashboards.datasource.calls import CallFilter, call_detail, calls_in_period, search_calls
from dashboards.datasource.coaching import (
    acknowledge,
    add_example,
    assign,
    assignment_effect,
    coaching_assignments,
    coaching_collections,
    coaching_examples,
    example_clip,
    good_example,
    own_summary,
    playable_audio,
    remove_example,
)
from dashboards.datasource.figures import (
    calls_by_topic,
    date_range,
    kpi_list,
    kpi_list_counts,
    kpis,
    operator_clauses,
    operator_table,
    operators,
    rule_counts,
    rule_precision,
    rule_trend,
    trend,
    worst_moments,
)
from dashboards.datasource.forms import (
    add_missed,
    added_violations,
    call_form,
    form_results,
    form_stale,
    retract_added,
    save_form,
)
from dashboards.datasource.operator_disputes import disputes, my_findings, open_dispute, resolve_dispute
from dashboards.datasource.report import make_report, report_options
from dashboards.datasource.reviews import (
    REVIEW_STATES,
    VERDICTS,
    auditor_summary,
    decide_discrepancy,
    decide_uncertain,
    discrepancies,
    findings_for_review,
    rule_quality,
    save_review,
    uncertain_queue,
)
from dashboards.datasource.rulebook import clause_titles, deduction, evaluation_form, rule_titles, rules
from dashboards.datasource.samples import draw_sample, sample_calls, sample_progress, samples_list
from dashboards.datasource.store import TTL_S, VERSION_TTL_S, Store, _viewer, auth_log, refresh

__all__ = [
    "REVIEW_STATES",
    "TTL_S",
    "VERDICTS",
    "VERSION_TTL_S",
    "CallFilter",
    "Store",
    "_viewer",
    "acknowledge",
    "add_example",
    "add_missed",
    "added_violations",
    "assign",
    "assignment_effect",
    "audit_actions",
    "audit_entries",
    "audit_verify",
    "auditor_summary",
    "auth_log",
    "calibration_agreement",
    "calibration_sessions",
    "calibration_state",
    "call_detail",
    "call_form",
    "calls_by_topic",
    "calls_in_period",
    "clause_titles",
    "close_calibration",
    "coaching_assignments",
    "coaching_collections",
    "coaching_examples",
    "date_range",
    "decide_discrepancy",
    "decide_uncertain",
    "deduction",
    "discrepancies",
    "disputes",
    "draw_sample",
    "evaluation_form",
    "example_clip",
    "findings_for_review",
    "form_results",
    "form_stale",
    "good_example",
    "kpi_list",
    "kpi_list_counts",
    "kpis",
    "make_report",
    "my_findings",
    "open_calibration",
    "open_dispute",
    "operator_clauses",
    "operator_table",
    "operators",
    "own_summary",
    "playable_audio",
    "refresh",
    "remove_example",
    "report_options",
    "resolve_dispute",
    "retract_added",
    "reviewers",
    "rule_counts",
    "rule_precision",
    "rule_quality",
    "rule_titles",
    "rule_trend",
    "rules",
    "sample_calls",
    "sample_progress",
    "samples_list",
    "save_form",
    "save_review",
    "search_calls",
    "submit_calibration",
    "trend",
    "uncertain_queue",
    "worst_moments",
]
