"""Docs that cannot drift: every rule of the rulebook is complete and tested both ways."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from rules.engine import Checker, rule_titles
from rules.lexicon import RulebookError
from rules.registry import DETECTORS, register
from tests.test_rules_table import ROWS, transcript

CONTRACT_RULES = {
    "address.forbidden": "15.1", "address.ty": "15.1", "speech.filler": "13", "speech.jargon": "13",
    "speech.rude": "15.2–15.4, 15.10–15.12", "enterprise.negative": "15.15", "greeting.missing": "14, 15.16",
    "closing.missing": "15.16", "name.not_used": "14.1", "escalation.not_offered": "18",
    "third_party.disclosed": "14.7", "term.unexplained": "13", "interruption": "15.12", "tempo.fast": "13",
    "request.data_missing": "20–21, Appendix 1", "aht.over_norm": "Appendix 1", "overlap.parallel_calls": "15.13",
}
# rules found at ingest from many calls (no transcript shows them): tested where they are found
AT_INGEST = {"overlap.parallel_calls": "tests/test_ingest.py"}
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
# docs/CONTRACT.md section 3: the rules that concern the whole call give at most one finding per call
CONTRACT_ONCE_PER_CALL = {"greeting.missing", "closing.missing", "name.not_used", "escalation.not_offered",
                          "request.data_missing", "tempo.fast", "aht.over_norm"}


def test_rulebook_has_every_contract_rule_with_its_clause():
    checker = Checker.default()
    assert checker.version == "STP-04-2019/01"
    assert {r.id: r.clause for r in checker.rules} == CONTRACT_RULES


@pytest.mark.parametrize("rule", Checker.default().rules, ids=lambda r: r.id)
def test_rule_is_documented_and_tested_both_ways(rule):
    assert rule.clause.strip(), f"{rule.id}: no clause"
    assert CYRILLIC.search(rule.title_ru), f"{rule.id}: title_ru must be Russian"
    assert rule.severity in ("minor", "major", "critical")
    assert rule.weight > 0
    assert rule.detector in DETECTORS
    if rule.detector == "at_ingest":
        assert rule.id in Path(AT_INGEST[rule.id]).read_text(encoding="utf-8")
        return
    rows = [fires for rid, fires, _ in ROWS if rid == rule.id]
    assert True in rows, f"{rule.id}: no positive row in tests/test_rules_table.py"
    assert False in rows, f"{rule.id}: no negative row in tests/test_rules_table.py"


def test_the_rulebook_marks_the_contracts_whole_call_rules_once_per_call():
    assert {r.id for r in Checker.default().rules if r.once_per_call} == CONTRACT_ONCE_PER_CALL


@pytest.mark.parametrize("once, fillers", [(False, 2), (True, 1)])
def test_once_per_call_is_the_rulebooks_field(tmp_path, once, fillers):
    turns = ["o: Добрый день.", "c: Алло.", "o: Короче, всё готово.", "o: Ну короче, до свидания."]

    def mark(data):
        next(r for r in data["rules"] if r["id"] == "speech.filler")["once_per_call"] = once
    result = Checker.load(_edit(tmp_path, mark)).check(transcript(turns))
    assert [f.rule for f in result.findings].count("speech.filler") == fillers


def test_rule_titles_for_the_dashboard():
    titles = rule_titles()
    assert titles["address.forbidden"][0] == "15.1"
    assert all(CYRILLIC.search(t) for _, t in titles.values())
    assert titles == Checker.default().rule_titles()


def _edit(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(Path("rules/rulebook.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "rulebook.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_an_auditor_adds_a_filler_in_the_yaml(tmp_path):
    turns = ["o: Добрый день.", "c: Алло.", "o: Собственно, всё готово.", "o: До свидания."]
    assert not any(f.rule == "speech.filler" for f in Checker.default().check(transcript(turns)).findings)

    def add(data):
        next(r for r in data["rules"] if r["id"] == "speech.filler")["params"]["lexicon"].append("собственно")
    checker = Checker.load(_edit(tmp_path, add))
    assert [f.evidence for f in checker.check(transcript(turns)).findings if f.rule == "speech.filler"] == \
        ["Собственно, всё готово"]


def test_a_new_detector_registers_like_the_builtins(tmp_path):
    @register("test_long_silence")
    def long_silence(call, rule):
        from rules.call import finding
        pairs = zip(call.utts, call.utts[1:], strict=False)
        return [finding(rule, u) for a, u in pairs if u.start - a.end > rule.params["gap_s"]]

    def add(data):
        data["rules"].append({"id": "silence.long", "clause": "15.12", "title_ru": "Долгое молчание",
                              "severity": "minor", "weight": 2, "detector": "test_long_silence",
                              "params": {"gap_s": 10}})
    try:
        checker = Checker.load(_edit(tmp_path, add))
        result = checker.check(transcript([("o", 0, 2, "Добрый день."), ("o", 20, 22, "До свидания.")]))
        assert [f.rule for f in result.findings] == ["silence.long"]
        assert result.score == 98.0
    finally:
        DETECTORS.pop("test_long_silence")


@pytest.mark.parametrize("change, message", [
    (lambda d: d["rules"][0].pop("clause"), "missing clause"),
    (lambda d: d["rules"][0].update(detector="nope"), "unknown detector"),
    (lambda d: d["rules"].append(dict(d["rules"][0])), "appears twice"),
    (lambda d: d.pop("edition"), "edition"),
    (lambda d: d["rules"][0].update(severity="fatal"), "severity"),
    (lambda d: d["rules"][0].update(once_per_call="yes"), "once_per_call must be true or false"),
    (lambda d: d["rules"][0]["params"].update(lexicon=[{"девушка": {"unless_next_tag": ["VERBZ"]}}]), "unknown tag"),
    (lambda d: d["rules"][0]["params"].update(lexicon=[{"девушка": {"gap": 2}}]), "two or more words"),
    (lambda d: d["rules"][0]["params"].update(lexicon=[{"эй девушка": {"gap": "two"}}]), "whole number"),
    (lambda d: d["rules"][0]["params"].update(lexicon=[{"эй ты девушка": {"any_order": True}}]), "two words"),
    (lambda d: d["rules"][0]["params"].update(lexicon=[{"эй девушка": {"any_order": "yes"}}]), "true or false"),
    (lambda d: d["rules"][0]["params"].update(lexicon=[{"эй девушка": {"question": "yes"}}]), "question: 'yes'"),
])
def test_broken_rulebook_is_one_clear_error(tmp_path, change, message):
    path = _edit(tmp_path, change)
    with pytest.raises(RulebookError, match=message):
        Checker.load(path).check(transcript(["o: Девушка, здравствуйте."]))


def test_rulebook_not_yaml(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [unclosed", encoding="utf-8")
    with pytest.raises(RulebookError, match="not valid YAML"):
        Checker.load(bad)
