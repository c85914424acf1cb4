"""The auditors' workflow below the dashboard (issue 15): the review history is append-only and the state is
derived from it; per-rule precision and recall, agreement and the sample against hand computations."""
from __future__ import annotations

import datetime as dt

import dashboard_db
import polars as pl
import pytest

from analytics.queries import agreement as ag
from analytics.queries import views
from analytics.queries.call_form import call_form
from analytics.queries.call_search import CallFilter, search_calls
from analytics.queries.clause_rates import clause_rates
from analytics.queries.kpi import by_operator, compute_kpis
from analytics.queries.review_quality import auditor_summary, rule_quality
from analytics.storage import calibration, reviews, samples
from analytics.storage.store import connect, init
from rules.forms import FormError, load

H1 = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
T0 = dt.datetime(2025, 7, 10, 9, 0)


@pytest.fixture
def db(tmp_path):
    return dashboard_db.build(tmp_path / "t.duckdb")


def _events(db) -> list[tuple]:
    with connect(db, read_only=True) as con:
        return con.execute("SELECT * FROM review_events ORDER BY seq").fetchall()


def _violations(db) -> int:
    """All the first half-year's counted violations (``oka-qa kpi`` gives them per rule)."""
    return sum(compute_kpis(db, *H1)["violations"].values())


def _verdict(db, call_id, idx):
    with connect(db, read_only=True) as con:
        row = con.execute("SELECT verdict FROM reviews WHERE call_id = ? AND idx = ?", [call_id, idx]).fetchone()
    return row and row[0]


# --- history, never overwritten -----------------------------------------------------------------

def test_a_change_of_mind_is_a_new_event_and_nothing_is_updated_in_place(db):
    reviews.save_review(db, "c03", 1, "confirmed", "грубо", "marat", now=T0)
    before = _events(db)
    reviews.save_review(db, "c03", 1, "rejected", "ирония, не грубость", "aigerim", now=T0 + dt.timedelta(hours=1))
    reviews.clear_review(db, "c03", 1, "marat", now=T0 + dt.timedelta(hours=2))
    reviews.save_review(db, "c03", 1, "rejected", "всё же ирония", "marat", now=T0 + dt.timedelta(hours=3))
    after = _events(db)
    assert after[:len(before)] == before          # every earlier row exactly as it was
    mine = [(e[2], e[4], e[14]) for e in after if e[5] == "c03" and e[6] == 1]   # who, kind, comment
    assert mine == [("marat", "confirm", "грубо"), ("aigerim", "reject", "ирония, не грубость"),
                    ("marat", "clear", None), ("marat", "reject", "всё же ирония")]
    assert _verdict(db, "c03", 1) == "rejected"
    with connect(db) as con:   # the derived state cannot be written to: it is a view
        with pytest.raises(Exception, match=r"(?i)view|cannot|not a table"):
            con.execute("INSERT INTO reviews VALUES ('c03', 2, 'speech.filler', 'rejected', '', '', now())")


def test_a_rejected_finding_leaves_the_kpis_and_a_confirmed_one_comes_back(db):
    base = _violations(db)
    reviews.save_review(db, "c03", 1, "rejected", "", "marat", now=T0)
    assert _violations(db) == base - 1
    reviews.save_review(db, "c03", 1, "confirmed", "", "marat", now=T0 + dt.timedelta(minutes=1))
    assert _violations(db) == base


def _where(rows: pl.DataFrame, column: str = "violations", **match) -> int:
    for k, v in match.items():
        rows = rows.filter(pl.col(k) == v)
    return int(rows[column].sum()) if rows.height else 0


# Every place that counts violations, as the number it shows for op1's May call c10 (no finding of its own)
COUNTS = [
    ("kpi: violations per rule", lambda db: compute_kpis(db, *H1)["violations"].get("interruption", 0)),
    ("kpi: all violations", _violations),
    ("kpi per operator (operator pages, report)", lambda db: _where(by_operator(db, *H1), operator_id="op1")),
    ("operator page: most violated rules",
     lambda db: _where(views.operator_clauses(db, "op1", *H1), rule="interruption")),
    ("operator trend", lambda db: _where(views.trend(db, *H1, "month", "op1"), period_start=dt.date(2025, 5, 1))),
    ("«Пункты стандарта»: per rule", lambda db: _where(views.rule_counts(db, *H1), rule="interruption")),
    ("«Звонки»: the call's violations",
     lambda db: _where(search_calls(db, CallFilter(*H1, rule="interruption")), call_id="c10")),
    ("per-clause rates: calls with the clause violated",
     lambda db: _where(clause_rates(db, *H1, operator_id="op1"), "violating", clause="15.12")),
]


@pytest.mark.parametrize("place, count", COUNTS, ids=[c[0] for c in COUNTS])
def test_a_violation_an_auditor_added_counts_wherever_violations_are_counted(db, place, count):
    """Issue 15: a violation the check missed and an auditor added is a violation: the KPIs, the operator's
    pages, the call list and the report count it; retracted, it leaves them again."""
    before = count(db)
    seq = reviews.add_missed(db, "c10", "interruption", 20, "перебила клиента", "marat", now=T0)
    assert count(db) == before + 1, place
    reviews.retract_added(db, seq, "marat", "ослышался", now=T0 + dt.timedelta(minutes=1))
    assert count(db) == before, place


def _score(db, call_id: str) -> float:
    """The call's score as every page and figure reads it (analytics.queries.scores)."""
    return search_calls(db, CallFilter(*H1)).filter(pl.col("call_id") == call_id)["score"][0]


def test_a_violation_an_auditor_added_takes_its_weight_off_the_calls_score(db):
    """Found in issue 20's audit of the Справка: an added violation counted everywhere except the score, so a
    call with one counted violation kept 100 («100 means no violation», contract section 3) and the
    department's and the operator's averages ignored it.  Each rule still counts once per call."""
    from analytics.queries.scores import weight_of

    base, avg = _score(db, "c10"), compute_kpis(db, *H1)["compliance_score_avg"]
    first = reviews.add_missed(db, "c10", "interruption", 20, "перебила клиента", "marat", now=T0)
    assert _score(db, "c10") == base - weight_of("interruption")
    assert compute_kpis(db, *H1)["compliance_score_avg"] < avg
    second = reviews.add_missed(db, "c10", "interruption", 40, "и ещё раз", "marat", now=T0)
    assert _score(db, "c10") == base - weight_of("interruption")          # the same rule: once per call
    reviews.retract_added(db, first, "marat", "ослышался", now=T0 + dt.timedelta(minutes=1))
    reviews.retract_added(db, second, "marat", "ослышался", now=T0 + dt.timedelta(minutes=2))
    assert _score(db, "c10") == base and compute_kpis(db, *H1)["compliance_score_avg"] == avg


def test_a_rejected_finding_replaced_by_an_added_one_of_its_rule_leaves_the_score(db):
    """An auditor who rejects a finding and adds the violation at its right place: the rule still counts once."""
    with connect(db, read_only=True) as con:
        call_id, idx, rule, start = con.execute(
            "SELECT call_id, idx, rule, start FROM findings ORDER BY call_id, idx LIMIT 1").fetchone()
    base = _score(db, call_id)
    reviews.save_review(db, call_id, idx, "rejected", "не то место", "marat", now=T0)
    reviews.add_missed(db, call_id, rule, (start or 0) + 5, "вот здесь", "marat", now=T0)
    assert _score(db, call_id) == base


def test_an_old_store_keeps_its_verdicts_as_events(tmp_path):
    path = tmp_path / "old.duckdb"
    with connect(path) as con:   # a store of the version before: a verdict table, one row per finding
        con.execute("""CREATE TABLE reviews (call_id VARCHAR, idx INTEGER, rule VARCHAR, verdict VARCHAR,
                       comment VARCHAR, reviewer VARCHAR, reviewed_at TIMESTAMP, PRIMARY KEY (call_id, idx))""")
        con.execute("INSERT INTO reviews VALUES ('x1', 0, 'speech.filler', 'rejected', 'не паразит', 'qa', ?)", [T0])
    init(path)
    assert [(e[2], e[4], e[5], e[14]) for e in _events(path)] == [("qa", "reject", "x1", "не паразит")]
    assert _verdict(path, "x1", 0) == "rejected"


@pytest.mark.parametrize("call, idx, verdict, message", [
    ("c99", 0, "confirmed", "no finding 0 in call c99"),
    ("c02", 0, "maybe", "verdict must be one of"),
])
def test_bad_verdicts_are_refused_and_nothing_is_written(db, call, idx, verdict, message):
    before = _events(db)
    with pytest.raises(reviews.ReviewError, match=message):
        reviews.save_review(db, call, idx, verdict)
    assert _events(db) == before


# --- precision and recall per rule, from the events (worked out by hand) --------------------------

def _history(db):
    """On top of dashboard_db's two verdicts (c08#0 rejected, c02#0 confirmed, by «аудитор»)."""
    t = iter(T0 + dt.timedelta(minutes=i) for i in range(100))
    reviews.save_review(db, "c05", 0, "confirmed", "", "marat", next(t))
    reviews.save_review(db, "c13", 1, "rejected", "", "marat", next(t))
    reviews.save_review(db, "c13", 1, "confirmed", "переслушала: обращение", "aigerim", next(t))   # change of mind
    reviews.save_review(db, "c03", 2, "rejected", "", "marat", next(t))
    reviews.save_review(db, "c03", 2, "confirmed", "всё же «короче»", "marat", next(t))      # his own change of mind
    reviews.save_review(db, "c08", 1, "rejected", "", "aigerim", next(t))
    reviews.add_missed(db, "c01", "address.forbidden", 10, "«женщина» на 10-й секунде", "marat", now=next(t))
    for call in ("c04", "c07"):
        reviews.add_missed(db, call, "speech.filler", 5, "«как бы»", "marat", now=next(t))
    gone = reviews.add_missed(db, "c06", "speech.filler", 3, "ослышалась", "marat", now=next(t))
    reviews.retract_added(db, gone, "marat", "ослышалась", now=next(t))
    reviews.add_missed(db, "c11", "greeting.missing", 0, "нет приветствия", "aigerim", now=next(t))
    reviews.add_missed(db, "c10", "interruption", 20, "перебила", "aigerim", now=next(t))


QUALITY_ALL = [
    # rule, findings, reviewed, confirmed, rejected, added, precision %, recall %
    ("address.forbidden", 4, 4, 3, 1, 1, 75.0, 75.0),     # c02 c05 c13 confirmed, c08 rejected; c01 added: 3/4
    ("speech.filler", 2, 2, 1, 1, 2, 50.0, 33.3),         # c03 confirmed, c08 rejected; c04 c07 added (c06 retracted)
    ("greeting.missing", 1, 0, 0, 0, 1, None, 0.0),       # c03 not reviewed; c11 added: none of 1 found
    ("interruption", 0, 0, 0, 0, 1, None, 0.0),           # only heard by an auditor
    ("speech.jargon", 3, 0, 0, 0, 0, None, None),         # nothing to go on
]
QUALITY_H1 = [("address.forbidden", 3, 3, 2, 1, 1, 66.7, 66.7)]   # without July's c13


@pytest.mark.parametrize("period, expected", [((None, None), QUALITY_ALL), (H1, QUALITY_H1)])
def test_rule_precision_and_recall_match_a_hand_computation(db, period, expected):
    _history(db)
    got = {r[0]: r for r in rule_quality(db, *period).select(
        "rule", "findings", "reviewed", "confirmed", "rejected", "added", "precision_pct", "recall_pct").iter_rows()}
    for row in expected:
        assert got[row[0]] == row


def test_each_auditors_work_is_counted_once_per_finding(db):
    _history(db)
    got = {r[0]: r[1:] for r in auditor_summary(db).select(
        "auditor", "reviewed", "confirmed", "rejected", "added", "forms", "disputes_resolved").iter_rows()}
    assert got == {"marat": (3, 2, 1, 3, 0, 0),     # c05 ok, c13 rejected, c03 ok (each his last word); 3 adds
                   "aigerim": (2, 1, 1, 2, 0, 0),   # c13 ok, c08#1 rejected; c11, c10 added
                   "аудитор": (2, 1, 1, 0, 0, 0)}


# --- evaluation forms -----------------------------------------------------------------------------

def test_the_form_proposes_answers_from_findings_and_its_score_becomes_the_calls(db):
    form = load()
    rows = {r.criterion: r for r in call_form(db, "c03", form)}
    assert rows["c15.2"].proposal == "no" and "Это не мои проблемы" in rows["c15.2"].evidence[0]
    assert rows["c15.1"].proposal == "yes"       # no address finding in c03
    assert rows["c13.tone"].proposal is None and rows["c13.tone"].by_ear
    assert rows["c20"].proposal == "na"          # billing: no request data to collect
    reviews.save_review(db, "c03", 1, "rejected", "", "marat", now=T0)
    assert {r.criterion: r.proposal for r in call_form(db, "c03", form)}["c15.2"] == "yes"   # rejected: not evidence
    answers = {c.id: ("yes", c.weight) for c in form.criteria}
    answers |= {"c13.tone": ("no", 10.0), "c15.16": ("no", 10.0), "c20": ("na", 12.0)}
    reviews.answer_form(db, "c03", answers, "marat", "auditor", now=T0)
    judged = sum(c.weight for c in form.criteria) - 12.0
    assert reviews.form_score(db, "c03") == round(100 * (judged - 20) / judged, 1)
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT score FROM calls WHERE call_id = 'c03'").fetchone()[0] == 60.0   # kept
    kpi = compute_kpis(db, dt.date(2025, 2, 3), dt.date(2025, 2, 3))   # c03 alone that day
    assert kpi["compliance_score_avg"] == round(reviews.form_score(db, "c03"), 1)


@pytest.mark.parametrize("change, proposal_c152", [
    (lambda db: reviews.save_review(db, "c03", 1, "rejected", "", "aigerim", now=T0 + dt.timedelta(hours=1)), "yes"),
    (lambda db: (reviews.save_review(db, "c03", 1, "rejected", "", "aigerim", now=T0 + dt.timedelta(hours=1)),
                 reviews.add_missed(db, "c03", "speech.rude", 5.0, "грубо", "aigerim")), "no"),   # heard after all
])
def test_a_form_filled_before_the_violations_changed_no_longer_scores_the_call(db, change, proposal_c152):
    """The audit: a form filled as proposed kept the call's score after the finding behind a «no» was withdrawn (and
    a violation added later never reached the score).  The form goes stale: the rulebook's score counts (with the
    change) until the form is filled anew, and the new proposals follow what counts now."""
    form = load()
    day = dt.date(2025, 2, 3)                                             # c03 alone that day
    proposed = {r.criterion: (r.proposal or "yes", form.criterion(r.criterion).weight)
                for r in call_form(db, "c03", form)}
    reviews.answer_form(db, "c03", proposed, "marat", "auditor", now=T0)
    assert compute_kpis(db, day, day)["compliance_score_avg"] == reviews.form_score(db, "c03")
    assert not reviews.form_stale(db, "c03")
    change(db)
    assert reviews.form_stale(db, "c03")
    rows = {r.criterion: r for r in call_form(db, "c03", form)}
    assert rows["c15.2"].proposal == proposal_c152                       # «Нет грубости»: follows the change
    kpi = compute_kpis(db, day, day)
    auto = search_calls(db, CallFilter(date_from=day, date_to=day))["score"].to_list()
    assert kpi["compliance_score_avg"] == auto[0] != reviews.form_score(db, "c03")
    reviews.answer_form(db, "c03", proposed, "marat", "auditor", now=T0 + dt.timedelta(hours=2))   # filled anew
    assert not reviews.form_stale(db, "c03")
    assert compute_kpis(db, day, day)["compliance_score_avg"] == reviews.form_score(db, "c03")


def test_form_results_per_criterion_by_hand(db):
    from analytics.queries.review_quality import form_results

    reviews.answer_form(db, "c03", {"c13.tone": ("no", 10.0), "c15.1": ("yes", 17.0)}, "marat", now=T0)
    reviews.answer_form(db, "c05", {"c13.tone": ("yes", 10.0), "c15.1": ("na", 17.0)}, "marat", now=T0)
    reviews.answer_form(db, "c05", {"c13.tone": ("no", 10.0)}, "aigerim", now=T0)    # a later word on c05
    reviews.answer_form(db, "c13", {"c13.tone": ("yes", 10.0)}, "marat", now=T0)     # July: outside H1
    got = {r[0]: r[1:] for r in form_results(db, *H1).rows()}
    assert got == {"c13.tone": (0, 2, 0, 0.0), "c15.1": (1, 0, 1, 100.0)}


@pytest.mark.parametrize("text, message", [
    ("edition: x\ncriteria:\n  - {id: a, clause: '13', title_ru: A, weight: 1, rules: [no.such]}\n", "unknown rule"),
    ("edition: x\ncriteria:\n  - {id: a, clause: '13', title_ru: A}\n", "missing weight"),
    ("edition: x\ncriteria:\n  - {id: a, clause: '13', title_ru: A, weight: 1}\n"
     "  - {id: a, clause: '14', title_ru: B, weight: 1}\n", "appears twice"),
    ("criteria: []\n", "expected a mapping with 'edition'"),
])
def test_a_bad_form_file_is_one_clear_error(tmp_path, text, message):
    path = tmp_path / "forms.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormError, match=message):
        load(path, known_rules={"speech.filler"})


def test_every_rule_of_the_rulebook_proposes_some_criterion():
    from rules.engine import Checker

    form = load(known_rules={r.id for r in Checker.default().rules})
    assert {r.id for r in Checker.default().rules} <= {rule for c in form.criteria for rule in c.rules}


# --- disputes -------------------------------------------------------------------------------------

def test_dispute_withdrawn_leaves_the_kpis_upheld_stays(db):
    base = _violations(db)
    with pytest.raises(reviews.ReviewError, match="only the operator of the call"):
        reviews.dispute(db, "c03", 1, "это ирония", "aidos", "op1")          # c03 is op2's
    with pytest.raises(reviews.ReviewError, match="needs a comment"):
        reviews.dispute(db, "c03", 1, "  ", "erlan", "op2")
    d1 = reviews.dispute(db, "c03", 1, "это ирония", "erlan", "op2", now=T0)
    d2 = reviews.dispute(db, "c03", 2, "я не говорил «короче»", "erlan", "op2", now=T0)
    with pytest.raises(reviews.ReviewError, match="already disputed"):
        reviews.dispute(db, "c03", 1, "ещё раз", "erlan", "op2")
    assert _violations(db) == base                       # a dispute alone changes nothing
    reviews.resolve_dispute(db, d1, "withdraw", "переслушали: ирония", "marat", now=T0 + dt.timedelta(hours=1))
    reviews.resolve_dispute(db, d2, "uphold", "на 8-й секунде слышно «короче»", "marat")
    with pytest.raises(reviews.ReviewError, match="already resolved"):
        reviews.resolve_dispute(db, d1, "uphold", "передумал", "marat")
    assert _violations(db) == base - 1
    assert (_verdict(db, "c03", 1), _verdict(db, "c03", 2)) == ("rejected", "confirmed")
    seen = reviews.disputes(db, "op2").select("idx", "outcome", "reason").rows()
    assert sorted(seen) == [(1, "withdraw", "переслушали: ирония"), (2, "uphold", "на 8-й секунде слышно «короче»")]
    assert reviews.disputes(db, "op1").is_empty()


def test_a_violation_an_auditor_added_is_disputed_like_a_finding(db):
    """The audit: an added violation counted against the operator, who could dispute only the check's findings."""
    from analytics.queries.review_quality import operator_findings

    base = _violations(db)
    add = reviews.add_missed(db, "c03", "interruption", 20, "перебил клиента", "marat", now=T0)
    assert _violations(db) == base + 1
    with pytest.raises(reviews.ReviewError, match="only the operator of the call"):
        reviews.dispute_added(db, add, "не перебивал", "aidos", "op1")          # c03 is op2's
    with pytest.raises(reviews.ReviewError, match="needs a comment"):
        reviews.dispute_added(db, add, " ", "erlan", "op2")
    d = reviews.dispute_added(db, add, "клиент сам замолчал", "erlan", "op2", now=T0)
    with pytest.raises(reviews.ReviewError, match="already disputed"):
        reviews.dispute_added(db, add, "ещё раз", "erlan", "op2")
    assert _violations(db) == base + 1                    # a dispute alone changes nothing
    row = reviews.disputes(db, "op2", "open").select("added_seq", "idx", "rule", "evidence", "start").rows()
    assert row == [(add, None, "interruption", "перебил клиента", 20.0)]
    reviews.resolve_dispute(db, d, "withdraw", "переслушали: пауза клиента", "aigerim", now=T0 + dt.timedelta(hours=1))
    assert _violations(db) == base                        # withdrawn: it counts nowhere, as a retracted one
    mine = operator_findings(db, "op2", *H1).filter(pl.col("added_seq") == add)
    assert mine.select("verdict", "dispute", "reason").rows() == [
        ("rejected", "withdraw", "переслушали: пауза клиента")]
    with pytest.raises(reviews.ReviewError, match="no standing added violation"):
        reviews.dispute_added(db, add, "снова", "erlan", "op2")


def test_an_upheld_dispute_of_an_added_violation_keeps_it_and_is_not_reopened(db):
    base = _violations(db)
    add = reviews.add_missed(db, "c03", "interruption", 20, "перебил клиента", "marat", now=T0)
    d = reviews.dispute_added(db, add, "не перебивал", "erlan", "op2", now=T0)
    reviews.resolve_dispute(db, d, "uphold", "на 20-й секунде слышно", "aigerim")
    assert _violations(db) == base + 1
    with pytest.raises(reviews.ReviewError, match="answered; it stands"):
        reviews.dispute_added(db, add, "ещё раз", "erlan", "op2")
    # a dispute of a finding and of an added violation of one call do not stand in each other's way
    reviews.dispute(db, "c03", 1, "это ирония", "erlan", "op2", now=T0)


def test_an_added_violation_taken_back_while_disputed_leaves_the_dispute_gone(db):
    """The audit: the auditor retracted the violation they added while the operator's dispute of it was open; the
    dispute stayed open, and answering it told the operator «нарушение подтверждено» of nothing on their record."""
    from analytics.queries.review_quality import operator_findings

    base = _violations(db)
    add = reviews.add_missed(db, "c03", "interruption", 20, "перебил клиента", "marat", now=T0)
    d = reviews.dispute_added(db, add, "клиент сам замолчал", "erlan", "op2", now=T0)
    reviews.retract_added(db, add, "marat", "ошибся звонком", now=T0 + dt.timedelta(minutes=5))
    assert _violations(db) == base
    assert reviews.disputes(db, "op2", "open").is_empty()
    assert reviews.disputes(db, "op2").select("seq", "added_seq", "outcome").rows() == [(d, add, "gone")]
    with pytest.raises(reviews.ReviewError, match="no longer on the call's record"):
        reviews.resolve_dispute(db, d, "uphold", "на 20-й секунде слышно", "aigerim")
    assert operator_findings(db, "op2", *H1).filter(pl.col("added_seq") == add).is_empty()


@pytest.mark.parametrize("outcome", ["uphold", "withdraw"])
def test_a_finding_whose_dispute_was_answered_is_not_disputed_again(db, outcome):
    """The answer stands (the review page keeps it too): a second dispute would reopen what was decided."""
    d = reviews.dispute(db, "c03", 1, "это ирония", "erlan", "op2", now=T0)
    reviews.resolve_dispute(db, d, outcome, "переслушали", "marat", now=T0 + dt.timedelta(hours=1))
    with pytest.raises(reviews.ReviewError, match="was answered; the answer stands"):
        reviews.dispute(db, "c03", 1, "и всё же ирония", "erlan", "op2")


@pytest.mark.parametrize("outcome, change, refused", [
    ("withdraw", lambda db: reviews.save_review(db, "c03", 1, "confirmed", reviewer="b"), True),
    ("withdraw", lambda db: reviews.clear_review(db, "c03", 1, reviewer="b"), True),
    ("withdraw", lambda db: reviews.save_review(db, "c03", 1, "rejected", reviewer="b"), False),   # the same
    ("uphold", lambda db: reviews.save_review(db, "c03", 1, "rejected", reviewer="b"), True),
    ("uphold", lambda db: reviews.save_review(db, "c03", 1, "confirmed", reviewer="b"), False),
])
def test_the_answer_to_a_dispute_is_not_undone_on_the_review_page(db, outcome, change, refused):
    """The audit: a dispute withdrawn (the operator read «нарушение снято»), then another auditor confirmed the
    finding on «Проверка» and it counted again, while the operator could not dispute it again."""
    d = reviews.dispute(db, "c03", 1, "это ирония", "erlan", "op2", now=T0)
    reviews.resolve_dispute(db, d, outcome, "переслушали", "marat", now=T0 + dt.timedelta(hours=1))
    standing = _verdict(db, "c03", 1)
    if refused:
        with pytest.raises(reviews.ReviewError, match=r"по спору оператора нарушение .* \(marat, .*остаётся в силе"):
            change(db)
    else:
        change(db)
    assert _verdict(db, "c03", 1) == standing


# --- agreement: three auditors, worked out by hand ------------------------------------------------

# items: (call, criterion) -> answers of A, B, C
THREE = {("k1", "c13.tone"): "yyy", ("k2", "c13.tone"): "nny", ("k3", "c13.tone"): "ynn",
         ("k1", "c15.1"): "nnn", ("k2", "c15.1"): "yyy", ("k3", "c15.1"): "yyn"}
YN = {"y": "yes", "n": "no"}


@pytest.mark.parametrize("criterion, pct, kappa", [
    # P_i: 1, 1/3, 1/3 -> P = 5/9; p(yes) = 5/9, p(no) = 4/9 -> Pe = 41/81; kappa = (45-41)/(81-41) = 0.1
    ("c13.tone", 100 * 5 / 9, 0.1),
    # P_i: 1, 1, 1/3 -> P = 7/9; Pe = 41/81; kappa = (63-41)/40 = 0.55
    ("c15.1", 100 * 7 / 9, 0.55),
    # all six items: P = 4/6; Pe = 41/81; kappa = (54-41)/40 = 0.325
    (None, 100 * 4 / 6, 0.325),
])
def test_fleiss_kappa_and_agreement_by_hand(criterion, pct, kappa):
    items = [[YN[a] for a in v] for (_k, c), v in THREE.items() if criterion in (None, c)]
    assert ag.percent_agreement(items) == pytest.approx(pct)
    assert ag.fleiss_kappa(items) == pytest.approx(kappa)


@pytest.mark.parametrize("a, b, kappa", [
    ("ynynyy", "ynnnyy", 2 / 3),   # po 5/6, pe (4*3 + 2*3)/36 = 1/2
    ("ynynyy", "yynnyn", 0.0),     # po 3/6 = pe
    ("yyyy", "yyyy", None),        # one category only: chance agreement is total
])
def test_cohen_kappa_by_hand(a, b, kappa):
    got = ag.cohen_kappa([YN[x] for x in a], [YN[x] for x in b])
    assert got == (None if kappa is None else pytest.approx(kappa))


def _three_auditor_session(db):
    for call in ("k1", "k2", "k3"):
        with connect(db) as con:
            con.execute("INSERT INTO calls (call_id, started_at, operator_id) VALUES (?, ?, 'op1')",
                        [call, dt.datetime(2025, 3, 1)])
    sid = calibration.open_session(db, "март", ["k1", "k2", "k3"], ["A", "B", "C"], "head")
    for i, who in enumerate("ABC"):
        for call in ("k1", "k2", "k3"):
            calibration.submit(db, sid, call, {c: (YN[v[i]], 1.0) for (k, c), v in THREE.items() if k == call}, who)
    return sid


def test_a_three_auditor_session_by_hand(db):
    sid = _three_auditor_session(db)
    assert calibration.results_visible(db, sid, n_criteria=2)
    res = ag.session_agreement(db, sid)
    by_c = {r["criterion"]: (r["agreement_pct"], r["kappa"]) for r in res.by_criterion.iter_rows(named=True)}
    assert by_c["c13.tone"] == (pytest.approx(100 * 5 / 9), pytest.approx(0.1))
    assert by_c["c15.1"] == (pytest.approx(100 * 7 / 9), pytest.approx(0.55))
    assert res.overall_kappa == pytest.approx(0.325)
    # A-B: 5/6 agree, kappa 2/3; A-C: 3/6, kappa 0; B-C: 4/6, kappa (2/3-1/2)/(1/2) = 1/3
    by_a = {r["auditor"]: (r["agreement_pct"], r["kappa"]) for r in res.by_auditor.iter_rows(named=True)}
    assert by_a["A"] == (pytest.approx((500 / 6 + 50) / 2), pytest.approx(1 / 3))
    assert by_a["B"] == (pytest.approx((500 / 6 + 400 / 6) / 2), pytest.approx(0.5))
    assert by_a["C"] == (pytest.approx((50 + 400 / 6) / 2), pytest.approx(1 / 6))
    assert res.by_call["call_id"].to_list() == ["k3", "k2", "k1"]          # most disagreement first
    assert res.split == {("k2", "c13.tone"), ("k3", "c13.tone"), ("k3", "c15.1")}
    assert res.majority[("k2", "c13.tone")] == "no" and res.majority[("k3", "c15.1")] == "yes"


def test_calibration_is_blind_and_never_touches_the_calls_form_until_closed(db):
    sid = _three_auditor_session(db)
    assert reviews.answers(db, "k2").is_empty()                        # the call's own form: untouched
    mine = reviews.answers(db, "k2", session_id=sid, who="A")
    assert set(mine["who"]) == {"A"}                                   # one auditor sees their own answers only
    calibration.close(db, sid, {("k2", "c13.tone"): ("no", 10.0)}, "head")
    assert reviews.answers(db, "k2").select("criterion", "answer").rows() == [("c13.tone", "no")]
    with pytest.raises(calibration.CalibrationError, match="closed"):
        calibration.submit(db, sid, "k1", {"c13.tone": ("yes", 1.0)}, "A")


def test_once_the_results_are_shown_no_answer_changes(db):
    """The audit: an auditor re-answered after the reveal to match the majority, and agreement went 84 % → 100 %."""
    sid = _three_auditor_session(db)
    assert calibration.results_visible(db, sid, n_criteria=2)
    before = ag.session_agreement(db, sid).overall_kappa
    with pytest.raises(calibration.CalibrationError, match="shown already"):
        calibration.submit(db, sid, "k3", {"c13.tone": ("yes", 1.0)}, "C", n_criteria=2)
    assert ag.session_agreement(db, sid).overall_kappa == before


# --- the half-yearly sample -----------------------------------------------------------------------

def _calls(n_per_topic: dict[str, int], ops=("op1", "op2")) -> pl.DataFrame:
    rows = [{"call_id": f"{op}-{t}-{i:03d}", "operator_id": op, "topic": t}
            for op in ops for t, n in n_per_topic.items() for i in range(n)]
    return pl.DataFrame(rows)


@pytest.mark.parametrize("sizes, k, quota", [
    ({"readings": 30, "billing": 10}, 8, {"readings": 6, "billing": 2}),
    ({"readings": 5, "billing": 3, "other": 2}, 5, {"readings": 3, "billing": 1, "other": 1}),  # 2.5/1.5/1.0
    ({"readings": 2, "billing": 1}, 10, {"readings": 2, "billing": 1}),                     # fewer calls than k
])
def test_the_sample_is_stratified_by_topic(sizes, k, quota):
    picked = samples.choose(_calls(sizes, ops=("op1",)), k, seed=7)
    assert dict(picked.group_by("topic").len().iter_rows()) == quota


def test_the_same_seed_draws_the_same_calls_whatever_the_row_order():
    calls = _calls({"readings": 40, "billing": 15, "request.individual": 10})
    first = samples.choose(calls, 10, seed=2025)
    again = samples.choose(calls.sample(fraction=1.0, shuffle=True, seed=1), 10, seed=2025)
    other = samples.choose(calls, 10, seed=2026)
    assert first["call_id"].to_list() == again["call_id"].to_list()
    assert first["call_id"].to_list() != other["call_id"].to_list()
    assert dict(first.group_by("operator_id").len().iter_rows()) == {"op1": 10, "op2": 10}


def test_a_drawn_sample_records_its_seed_and_progress_counts_forms(db):
    sid = samples.draw(db, *H1, per_operator=2, who="marat", seed=42)
    again = samples.draw(db, *H1, per_operator=2, who="marat", seed=42)
    got = samples.sample_calls(db, sid)
    assert got["call_id"].to_list() == samples.sample_calls(db, again)["call_id"].to_list()
    assert samples.samples(db).filter(pl.col("sample_id") == sid)["seed"].to_list() == [42]
    reviews.answer_form(db, got["call_id"][0], {"c13.tone": ("yes", 10.0)}, "marat")
    prog = samples.progress(db, sid)
    assert prog["calls"].sum() == 6 and prog["done"].sum() == 1


def test_a_sample_drawn_without_a_seed_can_be_drawn_again_from_the_seed_it_recorded(db):
    first = samples.draw(db, *H1, per_operator=3, who="marat")
    seed = samples.samples(db).filter(pl.col("sample_id") == first)["seed"][0]
    assert seed is not None
    again = samples.draw(db, *H1, per_operator=3, who="aigerim", seed=seed)
    assert samples.sample_calls(db, first)["call_id"].to_list() == samples.sample_calls(db, again)["call_id"].to_list()


def test_a_violation_added_where_the_check_could_not_judge_counts_under_its_clause_everywhere(db):
    """The audit: on a Kazakh call (third_party.disclosed not assessed) an added violation counted in the score and
    the KPI, but had no clause, was dropped from the operator's rates and took the call out of the Справка's base."""
    from analytics.queries.clause_rates import clause_rates
    from analytics.queries.report_queries import not_assessed_calls
    from rules.engine import Checker

    call_id, rule, op = "c03", "third_party.disclosed", "op2"      # c03 is Kazakh; the rule has Russian words only
    with connect(db) as con:                                          # (and is its clause's only rule)
        con.execute("INSERT INTO not_assessed VALUES (?, ?, 'language')", [call_id, rule])
        assert not con.execute("SELECT 1 FROM findings WHERE rule = ?", [rule]).fetchone()
    clause = {r.id: r.clause for r in Checker.default().rules}[rule]
    skipped_before = not_assessed_calls(db, *H1).get(rule, 0)
    rates_before = clause_rates(db, *H1, operator_id=op, clause=clause).row(0, named=True)
    reviews.add_missed(db, call_id, rule, 3.0, "назвал долг соседа", "marat")
    with connect(db, read_only=True) as con:
        assert con.execute("SELECT clause FROM counted_violations WHERE call_id = ? AND rule = ?",
                           [call_id, rule]).fetchone()[0] == clause
    assert not_assessed_calls(db, *H1).get(rule, 0) == skipped_before - 1       # judged now: in the share's base
    rates = clause_rates(db, *H1, operator_id=op, clause=clause).row(0, named=True)
    assert (rates["calls"], rates["violating"]) == (rates_before["calls"] + 1, rates_before["violating"] + 1)
