"""The one place the dashboard reads data: cached wrappers around ``analytics``.

Each wrapper opens nothing itself; the analytics function opens a short-lived
read-only connection, and ``st.cache_data`` keeps the result (never the
connection) keyed by the data's version (``analytics.queries.views.data_version``,
checked every ``VERSION_TTL_S`` seconds): pages stay fast until ingest, a
records import or a review really changes something, and ``ingest`` can write
in between.  Anything that must change what users see (masking, per-role
filtering) belongs here, where every read passes.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path
from typing import NamedTuple

import polars as pl
import streamlit as st

from analytics.access.policy import ROLES, AccessError, Viewer, redact_call, redact_frame
from analytics.queries import views
from analytics.queries.call_search import CallFilter
from analytics.queries.views import REVIEW_STATES
from analytics.storage.reviews import VERDICTS
from core.errors import OkaError
from dashboards import context

# what the pages pass back in (a search's filter) or choose from (review states, verdicts)
__all__ = ["REVIEW_STATES", "VERDICTS", "CallFilter"]

log = logging.getLogger(__name__)

TTL_S = 3600          # a backstop only: results are keyed by the data's version
VERSION_TTL_S = 10    # how often a session looks whether the data changed


class Store(NamedTuple):
    """The database and the version of its data: the first argument of every cached read."""

    path: Path
    version: str


@st.cache_data(ttl=VERSION_TTL_S, show_spinner=False)
def _version(path: str) -> str:
    return views.data_version(Path(path))


def _db() -> Store:
    path = context.db_path()
    return Store(path, _version(str(path)))


def refresh() -> None:
    """Forget cached results (after a write, or when the user asks)."""
    st.cache_data.clear()


# --- KPIs: the same numbers as `oka-qa kpi --json` ------------------------------------------

@st.cache_data(ttl=TTL_S, show_spinner=False)
def _kpis(db: Store, date_from: dt.date, date_to: dt.date) -> dict:
    from analytics.queries.kpi import compute_kpis

    return compute_kpis(db.path, date_from, date_to)


def kpis(date_from: dt.date, date_to: dt.date) -> dict:
    """docs/CONTRACT.md section 5 for the period (``analytics.queries.kpi.compute_kpis``)."""
    return _kpis(_db(), date_from, date_to)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _kpi_list(db: Store, name: str, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    from analytics.queries.kpi_lists import LISTS

    return LISTS[name](db.path, date_from, date_to)


def kpi_list(name: str, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    """The records behind the KPI ``name`` (``analytics.queries.kpi_lists.LISTS``): the tiles' definitions."""
    return redact_frame(_viewer(), _kpi_list(_db(), name, date_from, date_to))


def kpi_list_counts(date_from: dt.date, date_to: dt.date) -> dict[str, int]:
    """How many records each list of the KPI catalogue holds (the counts on the tabs and tiles)."""
    from analytics.catalogue.kpis import with_records

    return {k.records.name: kpi_list(k.records.name, date_from, date_to).height for k in with_records()}


def report_options(mask_personal_data: bool = False):
    """``[report]`` of ``oka-qa.toml``: the targets of the tiles and of the report are the same."""
    from analytics.config import load

    opts = dataclasses.replace(load().report, mask_personal_data=mask_personal_data)
    return opts


# --- rulebook -------------------------------------------------------------------------------

@st.cache_resource(show_spinner=False)
def rules() -> dict[str, tuple[str, str]]:
    """Rule id -> (clause, Russian title) from the rulebook (empty if it cannot load: ids are shown)."""
    try:
        from rules.engine import Checker

        return {r.id: (str(r.clause), r.title_ru) for r in Checker.default().rules}
    except (ImportError, OkaError) as e:  # the dashboard still works with bare rule ids
        log.warning("rulebook titles unavailable: %s", e)
        return {}


def deduction(findings: pl.DataFrame, score: float | None) -> str:
    """«100 − 17 (п. 15.1) − 5 (п. 13) = 78» for a call: each rule that still counts, once, with its weight."""
    from analytics.catalogue.formats import fmt_deduction
    from analytics.queries.scores import rulebook_weights, weight_of

    counted = findings.filter(pl.col("verdict").is_null() | (pl.col("verdict") != "rejected"))
    taken = []
    for rule, clause in counted.select("rule", "clause").unique(subset="rule", maintain_order=True).iter_rows():
        w = weight_of(rule)
        if w:
            taken.append((w, rules().get(rule, (clause, ""))[0] or clause))
    return fmt_deduction(rulebook_weights()[1], taken, score)


def rule_titles() -> dict[str, str]:
    """Rule id -> Russian title."""
    return {rule: title for rule, (_clause, title) in rules().items()}


# --- views ----------------------------------------------------------------------------------

@st.cache_data(ttl=TTL_S, show_spinner=False)
def _date_range(db: Store) -> tuple[dt.date | None, dt.date | None]:
    return views.date_range(db.path)


def date_range() -> tuple[dt.date | None, dt.date | None]:
    return _date_range(_db())


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _call(db: Store, name: str, *args) -> pl.DataFrame:
    return getattr(views, name)(db.path, *args)


# What the signed-in user may see (analytics.access.policy): every frame below passes through ``_view``,
# so a page, its export and any URL parameter get the same masked, filtered rows.

def _viewer() -> Viewer:
    from dashboards import auth

    viewer = auth.current()
    if viewer is None:
        raise AccessError("вход не выполнен")
    return viewer


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _seen(db: Store, role_id: str, operator_id: str, name: str, *args) -> pl.DataFrame:
    return redact_frame(Viewer("-", ROLES[role_id], operator_id or None), _call(db, name, *args))


def _view(name: str, *args) -> pl.DataFrame:
    viewer = _viewer()
    if viewer.role.sees_pd and not viewer.role.own_calls_only:
        return _call(_db(), name, *args)
    return _seen(_db(), viewer.role.id, viewer.operator_id or "", name, *args)


def operators() -> pl.DataFrame:
    return _view("operators")


def calls_by_topic(date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    return _view("calls_by_topic", date_from, date_to)


def trend(date_from: dt.date, date_to: dt.date, grain: str, operator_id: str | None = None) -> pl.DataFrame:
    return _view("trend", date_from, date_to, grain, operator_id)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _by_operator(db: Store, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    from analytics.queries.kpi import by_operator

    return by_operator(db.path, date_from, date_to)


def operator_table(date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    """Per operator who took a call in the period: the KPIs of ``analytics.queries.kpi`` (one definition) and names."""
    kpi = redact_frame(_viewer(), _by_operator(_db(), date_from, date_to).filter(pl.col("calls") > 0))
    return (kpi.join(operators(), on="operator_id", how="left")
            .select("operator_id", pl.coalesce("operator_name", "operator_id").alias("operator_name"), "calls",
                    pl.col("compliance_score_avg").alias("score"), "violations",
                    (100.0 * pl.col("violations") / pl.col("calls")).round(1).alias("per_100_calls"),
                    "requests_registered_on_time_pct", "readings_entered_on_time_pct",
                    "requests_overdue", "calls_missing_record")
            .sort("operator_name"))


def operator_clauses(operator_id: str, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    return _view("operator_clauses", operator_id, date_from, date_to)


def worst_moments(operator_id: str, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    return _view("worst_moments", operator_id, date_from, date_to)


def rule_counts(date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    return _view("rule_counts", date_from, date_to)


def rule_trend(date_from: dt.date, date_to: dt.date, grain: str) -> pl.DataFrame:
    return _view("rule_trend", date_from, date_to, grain)


def search_calls(flt: views.CallFilter) -> pl.DataFrame:
    from analytics.access.policy import MAX_QUERY_WORDS

    viewer = _viewer()
    flt = dataclasses.replace(flt, word_forms=tuple(flt.word_forms)[:MAX_QUERY_WORDS])   # however it was built
    flt = dataclasses.replace(flt, masked=not viewer.role.sees_pd)
    if flt.masked and views.searches_personal_data(flt.word_forms):
        # searching for a number or a name would tell which calls hold it: refused, with an empty result
        st.error("Поиск по персональным данным (номерам, именам) недоступен для вашей роли.")
        return _view("search_calls", dataclasses.replace(flt, word_forms=())).clear()
    return _view("search_calls", flt)


def call_detail(call_id: str) -> views.CallDetail | None:
    """The call as the signed-in user may see it: None if it is not theirs (an operator) or not stored."""
    return redact_call(_viewer(), _call(_db(), "call_detail", call_id))


def findings_for_review(date_from: dt.date, date_to: dt.date, rule: str | None, state: str) -> pl.DataFrame:
    _viewer().require("can_review")  # the review page is the auditors': refused to others even by URL
    return _view("findings_for_review", date_from, date_to, rule, state)


def rule_precision() -> pl.DataFrame:
    return _view("rule_precision")


# --- the one write: an auditor's verdict ----------------------------------------------------

def save_review(call_id: str, idx: int, verdict: str, comment: str) -> None:
    from analytics.storage.reviews import save_review as save
    from dashboards import auth

    _viewer().require("can_review")
    save(context.db_path(), call_id, idx, verdict, comment, context.reviewer())
    auth.log_event("review", f"{call_id}#{idx}", {"verdict": verdict, "comment": comment})
    refresh()


# --- records discrepancies (clause 12), reviewed like findings: a dismissed one leaves the KPI and the report ----

@st.cache_data(ttl=TTL_S, show_spinner=False)
def _discrepancies(db: Store, date_from: dt.date, date_to: dt.date, state: str) -> pl.DataFrame:
    from analytics.queries.discrepancies import discrepancies as build

    return build(db.path, date_from, date_to, state)


def discrepancies(date_from: dt.date, date_to: dt.date, state: str = "unreviewed") -> pl.DataFrame:
    """The period's reading and account mismatches with their verdicts (``analytics.queries.discrepancies``)."""
    viewer = _viewer()
    viewer.require("can_review")
    return redact_frame(viewer, _discrepancies(_db(), date_from, date_to, state))


def decide_discrepancy(record_type: str, record_id: str, what: str, verdict: str | None, comment: str = "") -> None:
    """Confirm or dismiss (``verdict`` None: take back) a discrepancy; history in ``discrepancy_events``."""
    from analytics.storage import discrepancies as store

    viewer = _viewer()
    viewer.require("can_review")
    if verdict is None:
        store.clear(context.db_path(), record_type, record_id, what, viewer.name, viewer.role.id)
    else:
        store.decide(context.db_path(), record_type, record_id, what, verdict, comment, viewer.name, viewer.role.id)
    auth_log("discrepancy_review", f"{record_type} {record_id} ({what})",
             {"verdict": verdict or "cleared", "comment": comment})


# --- «Требует проверки»: uncertain findings, the decisions that move the KPIs most first -------

def _weights() -> tuple[dict[str, float], float]:
    """Rule id -> weight, and the score's floor, from the rulebook (what confirming a finding costs the score)."""
    from rules.engine import Checker

    book = Checker.default().rulebook
    return {r.id: r.weight for r in book.rules}, book.score_floor


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _uncertain(db: Store, date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    from analytics.queries.uncertain_queue import uncertain_queue

    return uncertain_queue(db.path, date_from, date_to, _weights()[0])


def uncertain_queue(date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    """The undecided uncertain findings of the period, most consequential first (auditors only)."""
    viewer = _viewer()
    viewer.require("can_review")
    return redact_frame(viewer, _uncertain(_db(), date_from, date_to))


def decide_uncertain(call_id: str, idx: int, verdict: str, comment: str) -> None:
    """Confirm (it counts from now on) or reject an uncertain finding."""
    from analytics.storage.uncertain import decide_uncertain as decide
    from dashboards import auth

    _viewer().require("can_review")
    weights, floor = _weights()
    rule = _uncertain_rule(call_id, idx)
    decide(context.db_path(), call_id, idx, verdict, weights.get(rule, 0.0), floor, comment, context.reviewer())
    auth.log_event("review", f"{call_id}#u{idx}", {"verdict": verdict, "comment": comment, "uncertain": True})
    refresh()


def _uncertain_rule(call_id: str, idx: int) -> str:
    from analytics.queries.uncertain_queue import uncertain_rule

    return uncertain_rule(context.db_path(), call_id, idx)


# --- the half-yearly report (the same files as ``oka-qa report``) ---------------------------

def make_report(date_from: dt.date, date_to: dt.date, kind: str, mask_personal_data: bool,
                role: str) -> tuple[dict[str, bytes], list[str]]:
    """Generate the report into a temporary folder: {file name: bytes} and one-line problems (e.g. no PDF).

    Its verdicts use ``[report]`` of ``oka-qa.toml`` (the tiles' targets); the export is in the access log.
    """
    import tempfile

    from analytics.access import audit
    from analytics.reports import generate

    db = context.db_path()
    base = f"{kind}_{date_from:%Y-%m-%d}_{date_to:%Y-%m-%d}"
    with tempfile.TemporaryDirectory(prefix="oka-qa-report-") as tmp:
        made = generate(db, date_from, date_to, kind, Path(tmp) / base, report_options(mask_personal_data))
        files = {p.name: p.read_bytes() for p in made.paths}
    audit.record(db, context.reviewer() or "—", role, "export", target=", ".join(files),
                 detail={"report": kind, "from": date_from.isoformat(), "to": date_to.isoformat()})
    return files, made.problems


# --- the access log («Журнал доступа») ------------------------------------------------------

def audit_actions() -> dict[str, str]:
    from analytics.access.audit import ACTIONS

    return dict(ACTIONS)


def audit_verify() -> tuple[int | None, str]:
    """(entries checked, "") when the hash chain holds; (None, what is wrong) when it does not."""
    from analytics.access import audit

    _viewer().require("reads_audit")
    try:
        return audit.verify(context.db_path()), ""
    except audit.AuditError as e:
        return None, str(e)


def audit_entries(first: dt.date, last: dt.date, user: str | None, action: str | None) -> pl.DataFrame:
    from analytics.access import audit

    _viewer().require("reads_audit")
    return audit.entries(context.db_path(), first, last, user=user, action=action)


# --- the auditors' workflow (issue 15): forms, added violations, disputes, calibration, the sample --------
# Every write checks the role, goes through analytics/storage and lands in the audit log; the reads are
# small and uncached, so an answer shows at once.

@st.cache_resource(show_spinner=False)
def evaluation_form():
    """The evaluation form of ``rules/forms.yaml``, its rules checked against the rulebook."""
    from rules.engine import Checker
    from rules.forms import load

    return load(known_rules={r.id for r in Checker.default().rules})


def _role() -> str:
    return _viewer().role.id


def call_form(call_id: str, session_id: str | None = None) -> list:
    """The form of a call the user may see (``analytics.queries.call_form``), evidence masked as their role
    requires; in a calibration session, the user's own answers only."""
    from analytics.access.policy import redact_text
    from analytics.queries.call_form import call_form as build

    viewer = _viewer()
    if call_detail(call_id) is None:
        raise AccessError(f"звонок {call_id} недоступен")
    rows = build(context.db_path(), call_id, evaluation_form(), session_id, viewer.name if session_id else None)
    if not viewer.role.sees_pd:
        for r in rows:
            r.evidence = [redact_text(viewer, e) for e in r.evidence]
    return rows


def save_form(call_id: str, answers: dict[str, str], comment: str = "") -> None:
    """The auditor's answers ``{criterion: yes|no|na}`` become the call's form (its score counts from now)."""
    from analytics.storage import reviews

    viewer = _viewer()
    viewer.require("can_review")
    form = evaluation_form()
    weighted = {c: (a, form.criterion(c).weight) for c, a in answers.items()}
    reviews.answer_form(context.db_path(), call_id, weighted, viewer.name, viewer.role.id, comment)
    auth_log("form", call_id, {"answers": answers, "score": form.score(answers), "edition": form.edition})


def added_violations(call_id: str) -> pl.DataFrame:
    from analytics.storage import reviews

    if call_detail(call_id) is None:
        raise AccessError(f"звонок {call_id} недоступен")
    return redact_frame(_viewer(), reviews.added(context.db_path(), call_id).with_columns(
        pl.lit(call_detail(call_id).call.get("operator_id")).alias("operator_id")))


def add_missed(call_id: str, rule: str, at_s: float | None, comment: str) -> int:
    from analytics.storage import reviews

    viewer = _viewer()
    viewer.require("can_review")
    seq = reviews.add_missed(context.db_path(), call_id, rule, at_s, comment, viewer.name, viewer.role.id)
    auth_log("violation_added", call_id, {"rule": rule, "at_s": at_s, "comment": comment, "event": seq})
    return seq


def retract_added(seq: int, comment: str = "") -> None:
    from analytics.storage import reviews

    viewer = _viewer()
    viewer.require("can_review")
    reviews.retract_added(context.db_path(), seq, viewer.name, comment, viewer.role.id)
    auth_log("violation_retracted", str(seq), {"comment": comment})


def rule_quality(date_from: dt.date | None, date_to: dt.date | None) -> pl.DataFrame:
    """Each rule's precision and recall from the review history (``analytics.queries.review_quality``)."""
    from analytics.queries.review_quality import rule_quality as build

    _viewer().require("can_review")
    return build(context.db_path(), date_from, date_to)


def auditor_summary(date_from: dt.date | None, date_to: dt.date | None) -> pl.DataFrame:
    from analytics.queries.review_quality import auditor_summary as build

    _viewer().require("can_review")
    return build(context.db_path(), date_from, date_to)


def form_results(date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    """Per criterion over the period's filled forms: yes, no, n.a. and the share met (the manual check's figures)."""
    from analytics.queries.review_quality import form_results as build

    viewer = _viewer()
    if viewer.role.own_calls_only:
        raise AccessError("итоги форм по отделу — для аудиторов и тренеров")
    return build(context.db_path(), date_from, date_to)


def my_findings(date_from: dt.date, date_to: dt.date) -> pl.DataFrame:
    """The signed-in operator's findings in the period, with verdicts and disputes (masked)."""
    from analytics.queries.review_quality import operator_findings

    viewer = _viewer()
    if not viewer.role.own_calls_only:
        raise AccessError("свои находки оспаривает оператор")
    return redact_frame(viewer, operator_findings(context.db_path(), viewer.operator_id or "\x00", date_from,
                                                  date_to))


def disputes(state: str = "all") -> pl.DataFrame:
    """Disputes an auditor resolves, or (an operator) the operator's own, masked as the role requires."""
    from analytics.storage import reviews

    viewer = _viewer()
    if not (viewer.role.can_review or viewer.role.own_calls_only):
        raise AccessError("оспаривания видят оператор и аудиторы")
    df = reviews.disputes(context.db_path(), viewer.operator_id if viewer.role.own_calls_only else None, state)
    return redact_frame(viewer, df)


def open_dispute(call_id: str, idx: int, comment: str) -> int:
    from analytics.storage import reviews

    viewer = _viewer()
    if not viewer.role.own_calls_only:
        raise AccessError("оспорить находку может только оператор, чей это звонок")
    seq = reviews.dispute(context.db_path(), call_id, idx, comment, viewer.name, viewer.operator_id or "",
                          viewer.role.id)
    auth_log("dispute", f"{call_id}#{idx}", {"comment": comment, "event": seq})
    return seq


def resolve_dispute(seq: int, outcome: str, reason: str) -> None:
    from analytics.storage import reviews

    viewer = _viewer()
    viewer.require("can_review")
    reviews.resolve_dispute(context.db_path(), seq, outcome, reason, viewer.name, viewer.role.id)
    auth_log("dispute_resolved", str(seq), {"outcome": outcome, "reason": reason})


def reviewers() -> list[str]:
    """Accounts that may fill forms (head and auditors), for a calibration session."""
    from dashboards import auth

    try:
        from analytics.access.users import UsersFile

        users = UsersFile(auth.users_file()).users.values()
    except (OkaError, OSError, ValueError):
        return []
    return sorted(u.name for u in users if ROLES[u.role].can_review)


def calls_in_period(date_from: dt.date, date_to: dt.date, limit: int = 500) -> pl.DataFrame:
    """The period's calls as the user may see them (the search with no filter), to pick some from."""
    return search_calls(views.CallFilter(date_from, date_to, limit=limit))


def calibration_sessions() -> list:
    from analytics.storage import calibration

    viewer = _viewer()
    if viewer.role.own_calls_only:
        raise AccessError("калибровка — для аудиторов и тренеров")
    return calibration.sessions(context.db_path())


def open_calibration(title: str, calls: list[str], auditors: list[str]) -> str:
    from analytics.storage import calibration

    viewer = _viewer()
    viewer.require("can_review")
    sid = calibration.open_session(context.db_path(), title, calls, auditors, viewer.name)
    auth_log("calibration_opened", sid, {"title": title, "calls": calls, "auditors": auditors})
    return sid


def submit_calibration(session_id: str, call_id: str, answers: dict[str, str]) -> None:
    from analytics.storage import calibration

    viewer = _viewer()
    viewer.require("can_review")
    form = evaluation_form()
    calibration.submit(context.db_path(), session_id, call_id,
                       {c: (a, form.criterion(c).weight) for c, a in answers.items()}, viewer.name, viewer.role.id)
    auth_log("calibration_answer", f"{session_id}/{call_id}", {"answers": answers})


def calibration_state(session_id: str) -> tuple[dict[str, int], bool]:
    """(calls answered in full per participant, whether the results may be shown yet)."""
    from analytics.storage import calibration

    calibration_sessions()  # the role check
    n = len(evaluation_form().criteria)
    return (calibration.progress(context.db_path(), session_id, n),
            calibration.results_visible(context.db_path(), session_id, n))


def calibration_agreement(session_id: str):
    """Agreement of a session (``analytics.queries.agreement.session_agreement``), once it is no longer blind."""
    from analytics.queries.agreement import session_agreement

    _progress, visible = calibration_state(session_id)
    if not visible:
        raise AccessError("итоги калибровки видны, когда все участники ответили по всем звонкам")
    return session_agreement(context.db_path(), session_id)


def close_calibration(session_id: str, agreed: dict[tuple[str, str], str]) -> None:
    from analytics.storage import calibration

    viewer = _viewer()
    viewer.require("can_review")
    form = evaluation_form()
    calibration.close(context.db_path(), session_id,
                      {k: (a, form.criterion(k[1]).weight) for k, a in agreed.items()}, viewer.name, viewer.role.id)
    auth_log("calibration_closed", session_id, {"agreed": len(agreed)})


def draw_sample(date_from: dt.date, date_to: dt.date, per_operator: int, seed: int | None) -> str:
    from analytics.storage import samples

    viewer = _viewer()
    viewer.require("can_review")
    sid = samples.draw(context.db_path(), date_from, date_to, per_operator, viewer.name, seed)
    auth_log("sample_drawn", sid, {"from": str(date_from), "to": str(date_to), "per_operator": per_operator,
                                    "seed": seed})
    return sid


def samples_list() -> pl.DataFrame:
    from analytics.storage import samples

    viewer = _viewer()
    if viewer.role.own_calls_only:
        raise AccessError("выборка — для аудиторов и тренеров")
    return samples.samples(context.db_path())


def sample_calls(sample_id: str) -> pl.DataFrame:
    from analytics.storage import samples

    samples_list()  # the role check
    return redact_frame(_viewer(), samples.sample_calls(context.db_path(), sample_id))


def sample_progress(sample_id: str) -> pl.DataFrame:
    from analytics.storage import samples

    samples_list()
    return redact_frame(_viewer(), samples.progress(context.db_path(), sample_id))


def auth_log(action: str, target: str, detail: dict) -> None:
    """The audit log entry of a write, then fresh reads everywhere."""
    from dashboards import auth

    auth.log_event(action, target, detail)
    refresh()


# --- coaching (issue 16): redacted audio, example libraries, assignments, the operator's own page ------

def playable_audio(call_id: str) -> tuple[Path, str] | None:
    """What the signed-in user may hear of a call: (file, "recording") for a role that plays audio,
    (redacted file, "redacted") for the others; None when there is nothing to play."""
    from analytics.access.redaction import playable
    from dashboards import auth

    try:
        return playable(_viewer(), context.db_path(), call_id, auth.recordings_dir())
    except OkaError as e:   # no recording, a file outside the folder, an undecodable one: a caption, no player
        log.info("no audio for %s: %s", call_id, e)
        return None


def example_clip(example_id: int) -> Path | None:
    """The redacted clip of an example (everyone hears examples redacted: they travel between people)."""
    from analytics.access.redaction import redacted_clip
    from analytics.coaching import examples as ex
    from dashboards import auth

    _coach_or_operator()
    df = ex.examples(context.db_path(), ids=[int(example_id)])
    if df.is_empty():
        return None
    row = df.row(0, named=True)
    try:
        return redacted_clip(context.db_path(), row["call_id"], row["start_s"], row["end_s"], auth.recordings_dir())
    except OkaError as e:
        log.info("no clip for example %s: %s", example_id, e)
        return None


def _coach_or_operator() -> Viewer:
    """Every signed-in role reads examples (redacted clips, masked notes) and assignments (an operator
    only their own); writing is for the roles of ``analytics.coaching.assignments.COACH_ROLES``."""
    return _viewer()


def coaching_collections() -> pl.DataFrame:
    from analytics.coaching import examples as ex

    _coach_or_operator()
    return ex.collections(context.db_path())


def coaching_examples(collection: str | None = None, clause: str | None = None,
                      ids: list[int] | None = None) -> pl.DataFrame:
    """Examples, with the notes masked for roles that see personal data masked."""
    from analytics.coaching import examples as ex

    viewer = _coach_or_operator()
    df = ex.examples(context.db_path(), collection, clause, None, ids)
    return redact_frame(dataclasses.replace(viewer, role=ROLES["trainer"]) if viewer.role.own_calls_only else viewer,
                        df.drop("started_at"))


def good_example(clause: str, operator_id: str | None = None) -> dict | None:
    from analytics.coaching import examples as ex

    _coach_or_operator()
    return ex.good_example(context.db_path(), clause, operator_id)


def add_example(collection: str, call_id: str, start_s: float, end_s: float, clause: str, quality: str,
                note: str) -> int:
    from analytics.coaching import examples as ex

    new_id = ex.add(context.db_path(), _viewer(), collection, call_id, start_s, end_s, clause, quality, note)
    refresh()
    return new_id


def remove_example(example_id: int) -> None:
    from analytics.coaching import examples as ex

    ex.remove(context.db_path(), _viewer(), example_id)
    refresh()


def coaching_assignments(operator_id: str | None = None) -> pl.DataFrame:
    """Assignments: an operator gets only their own, whatever is asked."""
    from analytics.coaching import assignments as asg

    viewer = _coach_or_operator()
    if viewer.role.own_calls_only:
        operator_id = viewer.operator_id or "\x00"
    return asg.assignments(context.db_path(), operator_id)


def assignment_effect(assignment_id: int):
    from analytics.coaching import assignments as asg

    viewer = _coach_or_operator()
    df = asg.assignments(context.db_path())
    row = df.filter(pl.col("assignment_id") == int(assignment_id))
    if row.is_empty() or not viewer.may_see_call(row["operator_id"][0]):
        return None
    return asg.effect(context.db_path(), int(assignment_id))


def assign(operator_id: str, clause: str, due_on: dt.date, note: str, examples: list[int]) -> int:
    from analytics.coaching import assignments as asg

    new_id = asg.assign(context.db_path(), _viewer(), operator_id, clause, due_on, note, examples)
    refresh()
    return new_id


def acknowledge(assignment_id: int) -> None:
    from analytics.coaching import assignments as asg

    asg.acknowledge(context.db_path(), _viewer(), int(assignment_id))
    refresh()


def clause_titles() -> dict[str, str]:
    from analytics.queries.clause_rates import clause_titles as titles

    try:
        return titles()
    except (ImportError, OkaError):
        return {}


def own_summary(date_from: dt.date, date_to: dt.date):
    """The signed-in operator's own figures beside the department's medians (``analytics.queries.own_page``)."""
    from analytics.queries.own_page import own_summary as summary

    viewer = _viewer()
    if not viewer.role.own_calls_only:
        raise AccessError("«Моя страница» — страница оператора")
    return summary(context.db_path(), viewer.operator_id or "\x00", date_from, date_to)
