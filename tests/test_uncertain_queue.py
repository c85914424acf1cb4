"""«Требует проверки»: uncertain findings count nowhere until confirmed; the queue orders them by their effect."""
from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from analytics.ingest.pipeline import ingest
from analytics.queries.kpi import compute_kpis
from analytics.queries.uncertain_queue import uncertain_queue
from analytics.storage.reviews import ReviewError
from analytics.storage.store import connect
from analytics.storage.uncertain import decide_uncertain
from rules.engine import Checker
from tests.folder_builder import CALL_COLS, write_csv

DAY = dt.date(2026, 3, 16)
WEIGHTS = {r.id: r.weight for r in Checker.default().rules}


def _utt(speaker: str, start: float, text: str, probs: dict[str, float]) -> dict:
    words = text.split()
    return {"speaker": speaker, "start": start, "end": start + 0.4 * len(words), "text": text,
            "words": [{"w": w, "start": start + 0.4 * i, "end": start + 0.4 * (i + 1), "p": probs.get(w, 0.95)}
                      for i, w in enumerate(words)]}


def _transcript(call_id: str, op_text: str, probs: dict[str, float]) -> dict:
    return {"call_id": call_id, "duration_s": 30.0, "layout": "stereo-operator-left", "utterances": [
        _utt("operator", 0.0, "добрый день тепловые сети слушаю вас", {}),
        _utt("customer", 4.0, "здравствуйте у меня вопрос по отоплению", {}),
        _utt("operator", 8.0, op_text, probs),
        _utt("customer", 12.0, "понятно спасибо", {}),
        _utt("operator", 16.0, "спасибо за обращение всего доброго", {})]}


@pytest.fixture
def db(tmp_path):
    root = tmp_path / "data"
    (root / "t").mkdir(parents=True)
    calls = {  # call: (operator's words, their probabilities)
        "unsure": ("девушка подождите минутку", {"девушка": 0.2}),        # uncertain, would cost the score
        # a sure «девушка» counts; an unsure «женщина» would change nothing more; an unsure «ты» would
        "counted": ("девушка подождите женщина ты где", {"женщина": 0.2, "ты": 0.25}),
        "clean": ("подождите минутку", {}),
    }
    rows = []
    for i, (cid, (text, probs)) in enumerate(calls.items()):
        (root / "t" / f"{cid}.json").write_text(json.dumps(_transcript(cid, text, probs), ensure_ascii=False), "utf-8")
        rows.append({"call_id": cid, "started_at": f"2026-03-16T1{i}:00:00", "operator_id": "op1",
                     "operator_name": "Айгуль", "audio_path": "", "transcript_path": f"t/{cid}.json",
                     "layout": "stereo-operator-left"})
    write_csv(root / "calls.csv", CALL_COLS, rows)
    path = tmp_path / "oka.duckdb"
    ingest(root, path)
    return path


def _score(db, call_id):
    with connect(db, read_only=True) as con:
        return con.execute("SELECT score FROM calls WHERE call_id = ?", [call_id]).fetchone()[0]


def test_uncertain_counts_nowhere_and_the_queue_puts_score_moving_decisions_first(db):
    kpi = compute_kpis(db, DAY, DAY)
    assert "address.forbidden" in kpi["violations"]          # the sure «девушка» of call «counted»
    assert kpi["violations"].get("address.forbidden") == 1   # not the unsure one
    assert "address.ty" not in kpi["violations"]             # only heard unsurely
    assert _score(db, "unsure") == 100.0
    q = uncertain_queue(db, DAY, DAY, WEIGHTS)
    got = [(r["call_id"], r["rule"], r["score_points"]) for r in q.iter_rows(named=True)]
    assert set(got[:2]) == {("unsure", "address.forbidden", WEIGHTS["address.forbidden"]),
                            ("counted", "address.ty", WEIGHTS["address.ty"])}
    assert got[2] == ("counted", "address.forbidden", 0.0)    # the rule already counts in that call
    assert q["score_points"].to_list() == sorted(q["score_points"].to_list(), reverse=True)
    assert q.filter(q["call_id"] == "unsure")["score_points"][0] == WEIGHTS["address.forbidden"]


@pytest.mark.parametrize("verdict, counts", [("confirmed", True), ("rejected", False)])
def test_a_decision_makes_it_count_or_keeps_it_out(db, verdict, counts):
    q = uncertain_queue(db, DAY, DAY, WEIGHTS)
    row = q.filter(q["call_id"] == "unsure").row(0, named=True)
    decide_uncertain(db, "unsure", row["idx"], verdict, WEIGHTS["address.forbidden"], comment="прослушано")
    kpi = compute_kpis(db, DAY, DAY)
    assert kpi["violations"].get("address.forbidden") == (2 if counts else 1)
    assert _score(db, "unsure") == (100.0 - WEIGHTS["address.forbidden"] if counts else 100.0)
    left = uncertain_queue(db, DAY, DAY, WEIGHTS)
    assert "unsure" not in left["call_id"].to_list()
    with pytest.raises(ReviewError, match="already decided"):
        decide_uncertain(db, "unsure", row["idx"], verdict, 1.0)


def _score_now(db, call_id):
    """The call's score as every page reads it (the auditors' decisions applied)."""
    from analytics.queries.scores import scored_calls, scored_ctes

    with connect(db, read_only=True) as con:
        return con.execute(f"WITH {scored_ctes()} SELECT score FROM (SELECT {scored_calls()}) WHERE call_id = ?",
                           [call_id]).fetchone()[0]


def test_confirming_an_unsure_finding_of_a_rule_whose_sure_one_was_rejected_takes_its_weight_once(db):
    from analytics.storage.reviews import save_review

    before = _score_now(db, "counted")
    with connect(db, read_only=True) as con:
        sure = con.execute("SELECT idx FROM findings WHERE call_id = 'counted' AND rule = 'address.forbidden'"
                           ).fetchone()[0]
    save_review(db, "counted", sure, "rejected", comment="не то слово", reviewer="a1")
    assert _score_now(db, "counted") == before + WEIGHTS["address.forbidden"]   # the rule's weight given back
    q = uncertain_queue(db, DAY, DAY, WEIGHTS)
    unsure = q.filter((q["call_id"] == "counted") & (q["rule"] == "address.forbidden")).row(0, named=True)
    decide_uncertain(db, "counted", unsure["idx"], "confirmed", WEIGHTS["address.forbidden"], reviewer="a1")
    assert _score_now(db, "counted") == before                                  # taken off again, once
    assert compute_kpis(db, DAY, DAY)["violations"]["address.forbidden"] == 1


def test_uncertain_decisions_are_their_own_population_in_the_rules_quality(db):
    """The audit: of 4 uncertain findings, 1 confirmed and 3 rejected read as precision 100 % (only the confirmation
    reached the history) and the auditor's summary showed no rejection."""
    from analytics.queries.review_quality import auditor_summary, rule_quality

    q = uncertain_queue(db, DAY, DAY, WEIGHTS)
    for r in q.iter_rows(named=True):
        verdict = "confirmed" if r["call_id"] == "unsure" else "rejected"
        decide_uncertain(db, r["call_id"], r["idx"], verdict, WEIGHTS[r["rule"]], reviewer="a1")
    got = {r["rule"]: r for r in rule_quality(db).iter_rows(named=True)}
    forbidden = got["address.forbidden"]
    assert (forbidden["findings"], forbidden["reviewed"], forbidden["precision_pct"]) == (1, 0, None)
    assert (forbidden["uncertain_confirmed"], forbidden["uncertain_rejected"]) == (1, 1)
    assert forbidden["recall_pct"] == 0.0        # the one violation auditors know of, the check did not count
    assert (got["address.ty"]["uncertain_confirmed"], got["address.ty"]["uncertain_rejected"]) == (0, 1)
    a1 = auditor_summary(db).filter(pl.col("auditor") == "a1").row(0, named=True)
    assert (a1["reviewed"], a1["confirmed"], a1["rejected"]) == (3, 1, 2)
