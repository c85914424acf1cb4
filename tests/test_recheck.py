"""A rulebook edit re-judges the stored calls by the changed rules only, and the store ends as a fresh ingest with
the edited rulebook would leave it (analytics/ingest/recheck.py, rules/versions.py)."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import types
from pathlib import Path

import duckdb
import pytest
import yaml
from click.testing import CliRunner

from analytics.ingest import recheck as recheck_mod
from analytics.ingest.pipeline import ingest
from analytics.ingest.recheck import recheck
from analytics.queries.kpi import compute_kpis
from analytics.storage import reviews, uncertain
from cli.main import cli
from rules.engine import Checker
from rules.registry import DETECTORS
from rules.rulebook import DEFAULT_PATH
from tests.program_release import module_of, release

# hand-made calls besides the generated ones: a mono call whose roles come from the operator's markers, a filler
# heard unsurely (word probabilities), forms of address and fillers an edit can add or take away
EXTRA = {
    "M1": ("mono", [("unknown", "Алло, здравствуйте, у меня вопрос по начислению за отопление."),
                    ("unknown", "Короче, смотрите, начисление по нормативу.")]),
    "P1": ("stereo-operator-left", [("operator", "Добрый день, тепловые сети, слушаю вас."),
                                    ("customer", "Здравствуйте, хочу передать показания."),
                                    ("operator", "Блин, подождите, пожалуйста, назовите лицевой счёт."),
                                    ("operator", "Спасибо за обращение, до свидания.")]),
    "F1": ("stereo-operator-left", [("operator", "Добрый день, тепловые сети, слушаю вас."),
                                    ("customer", "Почему такое большое начисление?"),
                                    ("operator",
                                     "Девушка, короче, подождите. Блин, там перерасчёт. Ждите, пожалуйста."),
                                    ("operator", "Всего доброго, до свидания.")]),
    # started while M1 (op99, 2025-02-10 10:00:00, 9 s) was going on: overlap.parallel_calls at ingest
    "O1": ("stereo-operator-left", [("operator", "Добрый день, тепловые сети, слушаю вас."),
                                    ("customer", "Здравствуйте, хочу передать показания."),
                                    ("operator", "Спасибо за обращение, до свидания.")]),
}
STARTS = {"O1": "2025-02-10T10:00:05"}   # the others: 2025-02-1k 10:00:00, k their place in EXTRA


def _extra_transcript(call_id: str, layout: str, utts: list[tuple[str, str]]) -> dict:
    out = []
    for i, (speaker, text) in enumerate(utts):
        u = {"speaker": speaker, "start": 4.0 * i, "end": 4.0 * i + 3.5, "text": text}
        if call_id == "P1" and text.startswith("Блин"):  # the filler heard unsurely: uncertain at 0.5
            words = text.split()
            u["words"] = [{"w": w, "start": 4.0 * i + 0.3 * k, "end": 4.0 * i + 0.3 * k + 0.3,
                           "p": 0.3 if k == 0 else 0.95} for k, w in enumerate(words)]
        out.append(u)
    return {"call_id": call_id, "duration_s": 4.0 * len(utts) + 1, "language": "ru", "layout": layout,
            "utterances": out}


def make_folder(root: Path) -> Path:
    from data import synth

    frames = synth.generate(40, dt.date(2025, 1, 1), 2, seed=5)
    synth.write(frames, root, prechecked=False)
    with open(root / "calls.csv", "a", encoding="utf-8") as f:
        for k, (cid, (layout, utts)) in enumerate(EXTRA.items()):
            path = root / "transcripts" / f"{cid}.json"
            path.write_text(json.dumps(_extra_transcript(cid, layout, utts), ensure_ascii=False), "utf-8")
            start = STARTS.get(cid, f"2025-02-1{k}T10:00:00")
            f.write(f"{cid},{start},op99,Оператор,,transcripts/{cid}.json,{layout}\n")
    return root


def _rule(book: dict, rule_id: str) -> dict:
    return next(r for r in book["rules"] if r["id"] == rule_id)


def write_rulebook(folder: Path, edit=None) -> Checker:
    """The packaged rulebook, edited by ``edit`` (a function of the parsed YAML), as a Checker."""
    book = yaml.safe_load(DEFAULT_PATH.read_text("utf-8"))
    if edit:
        edit(book)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "rulebook.yaml"
    path.write_text(yaml.safe_dump(book, allow_unicode=True, sort_keys=False), "utf-8")
    return Checker.load(path)


def _add_filler(b):
    _rule(b, "speech.filler")["params"]["lexicon"].append("пожалуйста")


def _aht_threshold(b):
    _rule(b, "aht.over_norm")["params"]["norm_min"]["readings"] = 2


def _weight(b):
    _rule(b, "address.forbidden")["weight"] = 30


def _overlap_weight(b):   # a rule found at ingest (clause 15.13): its weight is the score's like any other's
    _rule(b, "overlap.parallel_calls")["weight"] = 25


def _min_confidence(b):
    _rule(b, "speech.filler")["min_confidence"] = 0.2


def _topics(b):
    b["topics"]["first_weight"] = 1


def _operator_marker(b):
    b["operator_markers"].append("короче")


def _remove_rule(b):
    b["rules"] = [r for r in b["rules"] if r["id"] != "speech.filler"]


N_CALLS = 40 + len(EXTRA)

# edit, the rules it changes, calls re-judged by those rules, calls checked whole, calls only rescored
EDITS = [
    pytest.param(_add_filler, ["speech.filler"], N_CALLS, 0, 0, id="word-list"),
    pytest.param(_aht_threshold, ["aht.over_norm"], N_CALLS, 0, 0, id="threshold"),
    pytest.param(_min_confidence, ["speech.filler"], N_CALLS, 0, 0, id="min-confidence"),
    pytest.param(_weight, [], 0, 0, N_CALLS, id="weight"),
    pytest.param(_overlap_weight, [], 0, 0, N_CALLS, id="overlap-weight"),
    pytest.param(_operator_marker, [], 0, 1, N_CALLS - 1, id="operator-marker"),
    pytest.param(_remove_rule, [], N_CALLS, 0, 0, id="rule-removed"),
    pytest.param(_topics, "all", 0, N_CALLS, 0, id="topics-shared"),
]


@pytest.fixture(scope="module")
def stored_a(tmp_path_factory):
    """The folder, and a store of it judged by the packaged rulebook (A)."""
    root = tmp_path_factory.mktemp("recheck")
    folder = make_folder(root / "data")
    checker_a = write_rulebook(root / "a")
    db = root / "a.duckdb"
    ingest(folder, db, checker=checker_a, on_error=pytest.fail)
    return folder, db, checker_a


def snapshot(db: Path) -> dict[str, list]:
    """What the KPIs and the pages read, without the findings' idx (an identifier, not a verdict)."""
    queries = {
        "calls": "SELECT call_id, topic, topics, score, rulebook, language FROM calls",
        "findings": 'SELECT call_id, rule, clause, speaker, start, "end", evidence, rulebook, confidence FROM findings',
        "uncertain": 'SELECT call_id, rule, clause, speaker, start, "end", evidence, rulebook, confidence '
                     "FROM uncertain_findings",
        "not_assessed": "SELECT call_id, rule, reason FROM not_assessed",
        "readings": "SELECT call_id, idx, value, start, evidence, confidence FROM call_readings",
        "links": "SELECT record_type, record_id, call_id, method FROM links",
    }
    with duckdb.connect(str(db), read_only=True) as con:
        out = {k: sorted(con.execute(q).fetchall(), key=repr) for k, q in queries.items()}
    out["kpis"] = compute_kpis(db)
    return out


def _copy(db: Path, to: Path) -> Path:
    shutil.copy(db, to)
    return to


@pytest.mark.parametrize(("edit", "changed", "by_rules", "whole", "rescored"), EDITS)
def test_recheck_equals_a_fresh_ingest_with_the_edited_rulebook(stored_a, tmp_path, edit, changed, by_rules,
                                                                 whole, rescored):
    folder, db_a, _ = stored_a
    checker_b = write_rulebook(tmp_path / "b", edit)
    db = _copy(db_a, tmp_path / "rechecked.duckdb")
    report = recheck(db, checker_b, workers=1)
    fresh = tmp_path / "fresh.duckdb"
    ingest(folder, fresh, checker=checker_b, on_error=pytest.fail)
    got, want = snapshot(db), snapshot(fresh)
    assert got == want
    assert snapshot(db_a) != want   # the edit changes what is stored: the comparison is not vacuous
    expected_changed = sorted(r.id for r in checker_b.rules) if changed == "all" else changed
    assert (report.rules_changed, report.calls_by_rules, report.calls_whole, report.calls_rescored) == (
        expected_changed, by_rules, whole, rescored)
    assert report.failed_calls == []


def test_an_unchanged_rulebook_re_runs_nothing(stored_a, tmp_path):
    _, db_a, _ = stored_a
    db = _copy(db_a, tmp_path / "same.duckdb")
    with duckdb.connect(str(db), read_only=True) as con:
        before = sorted(con.execute("SELECT * FROM findings").fetchall(), key=repr)
    report = recheck(db, write_rulebook(tmp_path / "again"), workers=1)  # the same rules, written again
    assert report.nothing and report.verdicts_replaced == 0 and report.calls_judged == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert sorted(con.execute("SELECT * FROM findings").fetchall(), key=repr) == before
    assert "перепроверять нечего" in report.summary()


def test_worker_processes_give_what_one_process_gives(stored_a, tmp_path, monkeypatch):
    _, db_a, _ = stored_a
    checker_b = write_rulebook(tmp_path / "b", _add_filler)
    inline = recheck(_copy(db_a, tmp_path / "inline.duckdb"), checker_b, workers=1)
    monkeypatch.setattr(recheck_mod, "INLINE_BELOW", 0)
    pooled = recheck(_copy(db_a, tmp_path / "pool.duckdb"), checker_b, workers=2, chunk_calls=10)
    assert (pooled.calls_by_rules, pooled.verdicts_replaced) == (inline.calls_by_rules, inline.verdicts_replaced)
    assert snapshot(tmp_path / "pool.duckdb") == snapshot(tmp_path / "inline.duckdb")


def test_workers_never_run_the_parents_main_script(stored_a, tmp_path, monkeypatch):
    """After a Streamlit page (AppTest) or a plain script, ``__main__`` is a file: spawned workers ran it
    again and died, and the pool started new ones for ever (the whole suite hung here)."""
    _, db_a, _ = stored_a
    ran = tmp_path / "page_ran"
    page = tmp_path / "page.py"
    page.write_text(f"open({str(ran)!r}, 'w').close()\nraise SystemExit('a page must not run in a worker')\n")
    script = types.ModuleType("__main__")
    script.__file__, script.__spec__ = str(page), None
    monkeypatch.setitem(sys.modules, "__main__", script)
    monkeypatch.setattr(recheck_mod, "INLINE_BELOW", 0)
    checker_b = write_rulebook(tmp_path / "b", _add_filler)
    inline = recheck(_copy(db_a, tmp_path / "inline.duckdb"), checker_b, workers=1)
    pooled = recheck(_copy(db_a, tmp_path / "pool.duckdb"), checker_b, workers=2, chunk_calls=10)
    assert not ran.exists()
    assert snapshot(tmp_path / "pool.duckdb") == snapshot(tmp_path / "inline.duckdb")
    assert pooled.verdicts_replaced == inline.verdicts_replaced


def test_ingest_follows_an_edited_rulebook_first(stored_a, tmp_path):
    folder, db_a, _ = stored_a
    checker_b = write_rulebook(tmp_path / "b", _add_filler)
    db = _copy(db_a, tmp_path / "again.duckdb")
    report = ingest(folder, db, checker=checker_b, on_error=pytest.fail)
    assert report.recheck is not None and report.recheck.rules_changed == ["speech.filler"]
    assert report.recheck.calls_by_rules == N_CALLS and report.calls_stored == 0
    fresh = tmp_path / "fresh.duckdb"
    ingest(folder, fresh, checker=checker_b, on_error=pytest.fail)
    assert snapshot(db) == snapshot(fresh)
    assert ingest(folder, db, checker=checker_b, on_error=pytest.fail).recheck is None   # nothing left to do


@pytest.mark.parametrize(("module", "rules_of_module"), [
    ("rules.detectors.speech", True),    # one module of detectors: its rules only, on every call
    (None, False),                       # the code every rule shares: the whole check
])
def test_ingest_follows_a_new_release_of_the_program(stored_a, tmp_path, monkeypatch, module, rules_of_module):
    """The stored verdicts of an old release are re-judged at the next ingest, and the store ends as a fresh ingest
    by the new release leaves it: an operator's record keeps no finding that only the old program made."""
    folder, db_a, _ = stored_a
    db = _copy(db_a, tmp_path / "upgraded.duckdb")
    of_module = sorted(r.id for r in write_rulebook(tmp_path / "a").rules if module_of(r.detector) == module)
    release(monkeypatch, module)
    phrases = DETECTORS["phrases"]
    # what the release changed: «блин» is no longer a filler (as if the old release had found it falsely)
    monkeypatch.setitem(DETECTORS, "phrases", lambda call, rule: [
        f for f in phrases(call, rule) if not (rule.id == "speech.filler" and f.evidence.startswith("Блин"))])
    checker = write_rulebook(tmp_path / "same")   # the same rulebook, judged by the new program
    report = ingest(folder, db, checker=checker, on_error=pytest.fail)
    assert report.recheck is not None and report.calls_stored == 0
    if rules_of_module:
        assert report.recheck.rules_changed == of_module and "speech.filler" in of_module
        assert report.recheck.calls_by_rules == N_CALLS and report.recheck.calls_whole == 0
    else:
        assert report.recheck.calls_whole == N_CALLS
    fresh = tmp_path / "fresh.duckdb"
    ingest(folder, fresh, checker=checker, on_error=pytest.fail)
    assert snapshot(db) == snapshot(fresh)
    assert snapshot(db_a) != snapshot(fresh)   # the release changed a verdict: the comparison is not vacuous
    assert ingest(folder, db, checker=checker, on_error=pytest.fail).recheck is None


def _finding_idx(db: Path, call_id: str, rule: str, table: str = "findings") -> list[tuple[int, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"SELECT idx, evidence FROM {table} WHERE call_id = ? AND rule = ? ORDER BY idx",
                           [call_id, rule]).fetchall()


def test_reviews_stay_on_findings_found_again_and_vanished_ones_are_reported(stored_a, tmp_path):
    _, db_a, _ = stored_a
    db = _copy(db_a, tmp_path / "reviewed.duckdb")
    (addr_idx, _), = _finding_idx(db, "F1", "address.forbidden")
    fillers = _finding_idx(db, "F1", "speech.filler")
    assert [e for _, e in fillers] == ["Девушка, короче, подождите", "Блин, там перерасчёт"]
    (unsure_idx, _), = _finding_idx(db, "P1", "speech.filler", "uncertain_findings")
    reviews.save_review(db, "F1", addr_idx, "confirmed", reviewer="аудитор")
    reviews.save_review(db, "F1", fillers[0][0], "rejected", reviewer="аудитор")    # «короче»: goes with the edit
    reviews.save_review(db, "F1", fillers[1][0], "confirmed", reviewer="аудитор")   # «блин»: stays
    copied = uncertain.decide_uncertain(db, "P1", unsure_idx, "confirmed", weight=5, reviewer="аудитор")

    def edit(b):
        lex = _rule(b, "speech.filler")["params"]["lexicon"]
        lex[:] = [e for e in lex if not (isinstance(e, dict) and "короче" in e)] + ["пожалуйста"]
    report = recheck(db, write_rulebook(tmp_path / "b", edit), workers=1)

    assert _finding_idx(db, "F1", "address.forbidden") == _finding_idx(db_a, "F1", "address.forbidden")
    now = _finding_idx(db, "F1", "speech.filler")
    assert fillers[1] in now and fillers[0] not in now and len(now) == 2   # «блин» kept, «пожалуйста» new
    new_idx = next(i for i, _ in now if i != fillers[1][0])
    assert new_idx not in (addr_idx, fillers[0][0], fillers[1][0]) and new_idx > max(addr_idx, *dict(fillers))
    with duckdb.connect(str(db), read_only=True) as con:
        standing = dict(((c, i), v) for c, i, v in con.execute("SELECT call_id, idx, verdict FROM reviews").fetchall())
        assert con.execute("SELECT count(*) FROM review_events").fetchone()[0] == 4   # the history is untouched
        orphans = con.execute("SELECT call_id, idx, kind, rule, verdict FROM recheck_orphans").fetchall()
    assert standing[("F1", addr_idx)] == "confirmed" and standing[("F1", fillers[1][0])] == "confirmed"
    assert ("F1", new_idx) not in standing   # no old review lands on the new finding
    assert orphans == [("F1", fillers[0][0], "finding", "speech.filler", "rejected")]
    assert [(o["call_id"], o["idx"]) for o in report.orphans] == [("F1", fillers[0][0])]
    # the auditor's confirmation of the unsure filler stands while the words are still found
    assert _finding_idx(db, "P1", "speech.filler", "uncertain_findings")[0][0] == unsure_idx
    assert [i for i, _ in _finding_idx(db, "P1", "speech.filler")] == [copied]


def test_cli_recheck(tmp_path, monkeypatch):
    folder = make_folder(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, ["ingest", str(folder), "--db", "oka.duckdb"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, ["recheck", "--db", "oka.duckdb", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["verdicts_replaced"] == 0
    assert "перепроверять нечего" in r.stderr
    r = CliRunner().invoke(cli, ["recheck", "--db", "oka.duckdb", "--all", "--json", "--workers", "1"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["calls_whole"] == N_CALLS   # after a program upgrade: every call whole
    r = CliRunner().invoke(cli, ["recheck", "--db", "missing.duckdb"])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "missing.duckdb" in r.stderr


def test_a_prechecked_folder_with_transcripts_is_judged_as_its_transcripts_would_be(tmp_path):
    """data/synth.py --prechecked --transcripts: results checked elsewhere plus the transcripts.  The first re-check
    judges every call whole (the rules that judged them elsewhere are unknown); the store then equals an ingest
    of the same calls as transcript JSON files."""
    from data import synth

    frames = synth.generate(60, dt.date(2025, 1, 1), 2, seed=9)
    synth.write(frames, tmp_path / "pre", prechecked=True, transcripts=True)
    synth.write(frames, tmp_path / "json", prechecked=False)
    checker = write_rulebook(tmp_path / "a")
    db = tmp_path / "pre.duckdb"
    ingest(tmp_path / "pre", db, checker=checker, on_error=pytest.fail)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(DISTINCT call_id) FROM utterances").fetchone()[0] == 60
        assert con.execute("SELECT DISTINCT rulebook FROM calls").fetchall() == [(synth.RULEBOOK,)]
    report = recheck(db, checker, workers=1)
    assert (report.calls_whole, report.calls_by_rules, report.calls_unjudgeable) == (60, 0, 0)
    fresh = tmp_path / "json.duckdb"
    ingest(tmp_path / "json", fresh, checker=checker, on_error=pytest.fail)
    got, want = snapshot(db), snapshot(fresh)
    assert got == want
    assert recheck(db, checker, workers=1).nothing


@pytest.mark.parametrize(("change", "message"), [
    ({"speaker": "agent"}, "speaker 'agent' must be one of operator, customer, unknown"),
    ({"start": float("nan")}, "finite start and end"),
])
def test_a_bad_utterance_rejects_its_call_in_one_line(tmp_path, change, message):
    import polars as pl

    from data import synth

    frames = synth.generate(20, dt.date(2025, 1, 1), 1, seed=3)
    data = tmp_path / "pre"
    synth.write(frames, data, prechecked=True, transcripts=True)
    path = data / "prechecked" / "utterances.parquet"
    utts = pl.read_parquet(path)
    first = utts["call_id"][0]
    col, value = next(iter(change.items()))
    utts = utts.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(value)).otherwise(pl.col(col))
                             .alias(col))
    utts.write_parquet(path)
    errors: list[str] = []
    report = ingest(data, tmp_path / "oka.duckdb", on_error=errors.append)
    assert len(errors) == 1 and first in errors[0] and message in errors[0] and "utterances.parquet" in errors[0]
    assert report.calls_stored == 19


def test_a_recheck_stopped_half_way_resumes_with_what_is_left(stored_a, tmp_path, monkeypatch):
    folder, db_a, _ = stored_a
    checker_b = write_rulebook(tmp_path / "b", _add_filler)
    db = _copy(db_a, tmp_path / "crashed.duckdb")
    real, written = recheck_mod._write, []

    def dies_after_two_chunks(*args, **kwargs):
        if len(written) == 2:
            raise RuntimeError("the machine went down")
        written.append(1)
        real(*args, **kwargs)

    monkeypatch.setattr(recheck_mod, "_write", dies_after_two_chunks)
    with pytest.raises(RuntimeError):
        recheck(db, checker_b, workers=1, chunk_calls=10)
    monkeypatch.undo()
    assert not list(tmp_path.glob(".recheck-*"))   # the exported transcripts do not outlive the run
    report = recheck(db, checker_b, workers=1, chunk_calls=10)
    assert report.calls_by_rules == N_CALLS - 20   # the two chunks written are not judged again
    fresh = tmp_path / "fresh.duckdb"
    ingest(folder, fresh, checker=checker_b, on_error=pytest.fail)
    assert snapshot(db) == snapshot(fresh)


def test_a_rulebook_edited_again_during_the_recheck_stops_it(stored_a, tmp_path, monkeypatch):
    """The workers load the rulebook file themselves: one edited after the driver read it would judge calls by
    rules other than those the store records for them."""
    from analytics.ingest.recheck_work import RecheckWorkerError

    _, db_a, _ = stored_a
    checker_b = write_rulebook(tmp_path / "b", _add_filler)
    write_rulebook(tmp_path / "b", _aht_threshold)   # the auditor saves another edit meanwhile
    monkeypatch.setattr(recheck_mod, "INLINE_BELOW", 0)
    db = _copy(db_a, tmp_path / "moving.duckdb")
    with pytest.raises(RecheckWorkerError, match="changed during the re-check"):
        recheck(db, checker_b, workers=2, chunk_calls=10)
    assert snapshot(db) == snapshot(db_a)
