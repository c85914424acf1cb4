"""A finding's number (idx) is the key of every verdict and dispute about it: however a call is judged again, an
old verdict or dispute never lands on another finding (analytics/storage/finding_ids.py; the audit of December
2026 found three ways it did: a re-delivered call, a confirmed uncertain finding, a changed overlap)."""
from __future__ import annotations

import pytest
from folder_builder import Folder

from analytics.ingest.pipeline import ingest
from analytics.storage import reviews, store
from analytics.storage.uncertain import decide_uncertain


def _verdicts(db) -> list[tuple]:
    """(rule, evidence, verdict, dispute) of every stored finding."""
    with store.connect(db, read_only=True) as con:
        return con.execute("""SELECT f.rule, f.evidence, r.verdict, d.outcome FROM findings f
                              LEFT JOIN reviews r USING (call_id, idx)
                              LEFT JOIN dispute_state d ON d.call_id = f.call_id AND d.idx = f.idx AND d.ref IS NULL
                              ORDER BY f.call_id, f.idx""").fetchall()


def _disputed_then_redelivered(tmp_path, answer: str | None = None):
    """Call C1 with greeting.missing (#0, disputed by its operator; ``answer``ed) and closing.missing, then
    delivered again with only closing.missing found: (the store, the dispute's seq)."""
    f = Folder(tmp_path / "data")
    f.call("C1", "2025-03-04T10:00:00", "op1", findings=("greeting.missing", "closing.missing"))
    f.write()
    db = tmp_path / "oka.duckdb"
    ingest(f.root, db, checker=f.checker)
    seq = reviews.dispute(db, "C1", 0, "Я поздоровалась", "op1", "op1")
    if answer:
        reviews.resolve_dispute(db, seq, answer, "прослушано", "qa")
    again = Folder(tmp_path / "data")
    again.call("C1", "2025-03-04T10:00:00", "op1", text="добрый день я по поводу пломбы",
               findings=("closing.missing",))
    again.write()
    ingest(again.root, db, checker=again.checker)
    return db, seq


@pytest.mark.parametrize("answer", [None, "withdraw", "uphold"])
def test_a_redelivered_call_keeps_no_dispute_on_another_finding(tmp_path, answer):
    """The operator disputed greeting.missing (#0); the call is delivered again and only closing.missing is found,
    on other words: it is a new finding, undisputed, unreviewed — not «снято» nor «подтверждено»."""
    db, _ = _disputed_then_redelivered(tmp_path, answer)
    assert _verdicts(db) == [("closing.missing", "evidence 0", None, None)]


def test_an_open_dispute_of_a_finding_no_longer_found_is_gone_and_cannot_be_answered(tmp_path):
    """The audit: a re-check took the disputed finding away, the dispute stayed open on «Оспаривания», and an
    auditor's «нарушение подтверждено» would have told the operator of a violation no longer on their record."""
    db, seq = _disputed_then_redelivered(tmp_path)
    assert reviews.disputes(db, "op1", "open").is_empty()
    assert reviews.disputes(db, "op1").select("seq", "rule", "evidence", "outcome").rows() == [
        (seq, "greeting.missing", None, "gone")]
    assert reviews.disputes(db, state="gone")["seq"].to_list() == [seq]
    with pytest.raises(reviews.ReviewError, match="no longer on the call's record"):
        reviews.resolve_dispute(db, seq, "uphold", "прослушано", "qa")


def test_a_finding_found_again_keeps_its_number_and_its_verdict(tmp_path):
    f = Folder(tmp_path / "data")
    f.call("C1", "2025-03-04T10:00:00", "op1", findings=("greeting.missing", "closing.missing"))
    f.write()
    db = tmp_path / "oka.duckdb"
    ingest(f.root, db, checker=f.checker)
    reviews.save_review(db, "C1", 1, "confirmed", "", "qa")
    again = Folder(tmp_path / "data")   # another transcript: both found again, the same words at the same time
    again.call("C1", "2025-03-04T10:00:00", "op1", text="добрый день я по поводу пломбы",
               findings=("greeting.missing", "closing.missing"))
    again.write()
    ingest(again.root, db, checker=again.checker)
    assert _verdicts(db) == [("greeting.missing", "evidence 0", None, None),
                             ("closing.missing", "evidence 1", "confirmed", None)]


def test_a_confirmed_uncertain_finding_takes_a_number_no_dispute_holds(tmp_path):
    """A re-check took the disputed #0 away; the auditor then confirms an uncertain finding of the call."""
    f = Folder(tmp_path / "data")
    f.call("C1", "2025-03-04T10:00:00", "op1", findings=("speech.jargon",))
    f.write()
    db = tmp_path / "oka.duckdb"
    ingest(f.root, db, checker=f.checker)
    reviews.dispute(db, "C1", 0, "Это не жаргон", "op1", "op1")
    with store.connect(db) as con:   # as a rulebook edit leaves it: #0 no longer found, one unsure finding
        con.execute("DELETE FROM findings WHERE call_id = 'C1'")
        con.execute("""INSERT INTO uncertain_findings VALUES ('C1', 0, 'speech.filler', '13', 'operator', 3.0, 3.5,
                                                              'блин', 'TEST/01', 0.4)""")
    new = decide_uncertain(db, "C1", 0, "confirmed", 5.0, reviewer="qa")
    assert new != 0
    assert _verdicts(db) == [("speech.filler", "блин", "confirmed", None)]


def test_an_overlap_with_another_call_is_a_new_finding(tmp_path):
    """C2 overlapped C1 and the auditor confirmed it; a later delivery shows C2 began while C0 went on: the
    finding names C0 now, and the confirmation of the one about C1 does not carry over."""
    f = Folder(tmp_path / "data")
    f.call("C1", "2025-03-04T10:00:00", "op1", 300)
    f.call("C2", "2025-03-04T10:03:00", "op1", 60)
    f.write()
    db = tmp_path / "oka.duckdb"
    ingest(f.root, db, checker=f.checker)
    with store.connect(db, read_only=True) as con:
        (idx,) = [i for (i,) in con.execute("SELECT idx FROM findings WHERE call_id = 'C2'").fetchall()]
    reviews.save_review(db, "C2", idx, "confirmed", "", "qa")
    f.call("C0", "2025-03-04T09:59:00", "op1", 1260)     # 09:59–10:20
    f.write()
    ingest(f.root, db, checker=f.checker)
    with store.connect(db, read_only=True) as con:
        rows = con.execute("""SELECT f.evidence, r.verdict FROM findings f LEFT JOIN reviews r USING (call_id, idx)
                              WHERE f.call_id = 'C2'""").fetchall()
    assert len(rows) == 1 and "звонок C0" in rows[0][0] and rows[0][1] is None
