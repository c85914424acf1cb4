"""Coaching assignments (analytics/coaching/assignments.py): the before/after rates against a hand
computation on ``tests/coaching_db.py``, who may assign and acknowledge, and the audit log."""
from __future__ import annotations

import datetime as dt

import pytest

from analytics.access import audit
from analytics.access.policy import ROLES, AccessError, Viewer
from analytics.coaching import assignments as coaching
from tests import coaching_db

TRAINER = Viewer("Тренер Т.", ROLES["trainer"])
OP1 = Viewer("Айгуль", ROLES["operator"], "op1")
OP2 = Viewer("Ерлан", ROLES["operator"], "op2")


@pytest.fixture
def db(tmp_path):
    return coaching_db.build(tmp_path / "oka.duckdb")


def assign(db, **kw):
    return coaching.assign(db, TRAINER, "op1", "15.1", coaching_db.DUE, note="Обращение по имени",
                           examples=[3], measure_days=14, now=coaching_db.ASSIGNED, **kw)


# hand computation (tests/coaching_db.py):
#   L = 14: before 15.02–28.02: b2 (violating), b3 (violating, two findings one call), b4, b5 (rejected) -> 2/4;
#           b1 is a day early, b6 is not judged; after 11.03–24.03: a1, a2, a3 (violating), a5 -> 1/4
#   L = 5 (seen on 15.03): before 24.02–28.02: b4, b5 -> 0/2; after 11.03–15.03: a1, a2 -> 0/2
@pytest.mark.parametrize(("today", "expected"), [
    (dt.date(2025, 4, 30), (14, dt.date(2025, 2, 15), dt.date(2025, 3, 24), (4, 2, 50.0), (4, 1, 25.0), -25.0)),
    (dt.date(2025, 3, 24), (14, dt.date(2025, 2, 15), dt.date(2025, 3, 24), (4, 2, 50.0), (4, 1, 25.0), -25.0)),
    (dt.date(2025, 3, 15), (5, dt.date(2025, 2, 24), dt.date(2025, 3, 15), (2, 0, 0.0), (2, 0, 0.0), 0.0)),
    (dt.date(2025, 3, 10), None),      # the date has not passed: nothing measured yet
])
def test_effect_matches_hand_computation(db, today, expected):
    aid = assign(db)
    got = coaching.effect(db, aid, today=today, rules_of=coaching_db.RULES_OF)
    if expected is None:
        assert got is None
        return
    assert (got.days, got.before_from, got.after_to, got.before, got.after, got.change_pp) == expected
    assert got.before_to == dt.date(2025, 2, 28) and got.after_from == dt.date(2025, 3, 11)


def test_who_assigns_and_who_acknowledges(db):
    with pytest.raises(AccessError):
        coaching.assign(db, OP1, "op1", "15.1", coaching_db.DUE, now=coaching_db.ASSIGNED)
    with pytest.raises(AccessError):    # a date already past
        coaching.assign(db, TRAINER, "op1", "15.1", dt.date(2025, 2, 1), now=coaching_db.ASSIGNED)
    aid = assign(db)
    with pytest.raises(AccessError):
        coaching.acknowledge(db, OP2, aid)
    coaching.acknowledge(db, OP1, aid, now=dt.datetime(2025, 3, 2, 8, 0))
    row = coaching.assignments(db, "op1").row(0, named=True)
    assert row["acknowledged_at"] == dt.datetime(2025, 3, 2, 8, 0) and list(row["examples"]) == [3]
    assert coaching.assignments(db, "op2").is_empty()
    log = audit.entries(db)
    assert log["action"].to_list()[:2] == ["assignment_acknowledged", "assignment_added"]
    assert log["user_name"].to_list()[:2] == ["Айгуль", "Тренер Т."]
    assert audit.verify(db) == 2


@pytest.mark.parametrize(("prefer", "coached"), [("op1", "op1"), ("op2", "op2"), (None, "op1")])
def test_demo_seed_comes_from_what_the_check_found(db, prefer, coached):
    from analytics.coaching import demo, examples

    made = demo.seed(db, today=dt.date(2025, 4, 1), operator_id=prefer)
    ex = examples.examples(db)
    assert ex["example_id"].to_list() == made and len(made) >= 2
    bad = ex.filter(ex["quality"] == "bad")
    assert bad["clause"].n_unique() == bad.height <= 3                   # one moment per clause
    with connect_ro(db) as con:                                          # each bad moment is a counted finding's
        for r in bad.iter_rows(named=True):
            assert con.execute("""SELECT count(*) FROM findings f ANTI JOIN reviews v ON v.call_id = f.call_id
                                  AND v.idx = f.idx AND v.verdict = 'rejected'
                                  WHERE f.call_id = ? AND f.clause = ? AND f.start BETWEEN ? AND ?""",
                               [r["call_id"], r["clause"], r["start_s"], r["end_s"]]).fetchone()[0] >= 1
    task = coaching.assignments(db).row(0, named=True)
    assert task["operator_id"] == coached and next(iter(task["examples"])) in made
    assert demo.seed(db) == []                                           # never twice


def connect_ro(db):
    from analytics.storage.store import connect

    return connect(db, read_only=True)


def test_a_database_made_before_coaching_reads_empty_and_gains_the_tables(db):
    from analytics.coaching import examples
    from analytics.storage.store import connect

    with connect(db) as con:
        con.execute("DROP TABLE examples")
        con.execute("DROP TABLE assignments")
    assert examples.examples(db).is_empty() and examples.collections(db).is_empty()
    assert coaching.assignments(db).is_empty()
    assert examples.add(db, TRAINER, "Обращение по имени", "b2", 3.0, 6.0, "15.1", "good") == 1
    assert assign(db) == 1


def test_examples_stay_true_to_the_auditors_decisions(db):
    """The audit: a bad example kept coaching the operator on a violation the auditor had withdrawn, and a moment
    the check flags as a 15.1 violation was accepted as the good example of 15.1 and shown as «Как надо»."""
    from analytics.coaching import examples
    from analytics.storage import reviews

    with pytest.raises(AccessError, match=r"засчитано нарушение п\. 15\.1"):      # b2: «девушка» at 1.0–2.0 s
        examples.add(db, TRAINER, "Обращение по имени", "b2", 0.5, 4.0, "15.1", "good")
    bad = examples.add(db, TRAINER, "Как не надо", "b2", 0.5, 4.0, "15.1", "bad")
    good = examples.add(db, TRAINER, "Обращение по имени", "b1", 2.0, 6.0, "15.1", "good")   # after b1's finding
    assert examples.good_example(db, "15.1")["example_id"] == good
    d = reviews.dispute(db, "b2", 0, "это не обращение", "Айгуль", "op1")
    reviews.resolve_dispute(db, d, "withdraw", "переслушали", "аудитор")
    reviews.add_missed(db, "b1", "address.forbidden", 3.0, "«девушка» на 3-й секунде", "аудитор")
    doubts = dict(examples.examples(db, ids=[bad, good]).select("example_id", "doubt").iter_rows())
    assert doubts == {bad: "withdrawn", good: "violated"}
    assert examples.good_example(db, "15.1") is None or examples.good_example(db, "15.1")["example_id"] != good
