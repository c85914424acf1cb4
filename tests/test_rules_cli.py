"""``oka-qa check`` and ``oka-qa eval`` from the outside (docs/CONTRACT.md sections 2–3)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cli.main import cli

CORPUS = Path(__file__).parent / "corpus"
RULEBOOK = Path(__file__).resolve().parents[1] / "rules" / "rulebook.yaml"


def _call(tmp_path: Path, speaker: str, name: str = "2025-03-04_0012") -> Path:
    data = {"call_id": name, "duration_s": 60.0, "language": "ru", "layout": "stereo-operator-left", "utterances": [
        {"speaker": "operator", "start": 0.0, "end": 3.2,
         "text": "Добрый день, Алматинские тепловые сети, Айгуль, слушаю вас."},
        {"speaker": "customer", "start": 3.45, "end": 7.1, "text": "Здравствуйте, хочу передать показания."},
        {"speaker": speaker, "start": 12.4, "end": 13.0, "text": "Девушка, подождите."},
        {"speaker": "customer", "start": 40.2, "end": 43.0, "text": "Сто двадцать три и пять."},
        {"speaker": "operator", "start": 44.0, "end": 46.0, "text": "Спасибо за обращение, до свидания."}]}
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_check_json_contract_example(tmp_path):
    res = CliRunner().invoke(cli, ["check", "--json", str(_call(tmp_path, "operator"))])
    assert res.exit_code == 0, res.output
    (line,) = res.stdout.splitlines()
    out = json.loads(line)
    assert out["call_id"] == "2025-03-04_0012" and out["rulebook"] == "STP-04-2019/01"
    assert out["topic"] == "readings"
    assert out["findings"] == [{"rule": "address.forbidden", "clause": "15.1", "speaker": "operator",
                                "start": 12.4, "end": 13.0, "evidence": "Девушка, подождите", "confidence": 1.0}]
    assert out["topics"][0] == "readings"
    assert out["uncertain"] == [] and isinstance(out["not_assessed"], list)
    assert out["score"] == 83.0
    assert out["readings"] == [{"value": 123.5, "start": 40.2, "evidence": "Сто двадцать три и пять",
                               "confidence": 1.0}]   # a typed transcript: its digits are sure


def test_same_words_from_the_customer_are_no_finding(tmp_path):
    res = CliRunner().invoke(cli, ["check", "--json", str(_call(tmp_path, "customer"))])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["findings"] == []


@pytest.mark.parametrize("text, says", [
    ("{not json", "not valid JSON"),
    # a number too long for Python to read (over 4,300 digits): json raises a plain ValueError
    ('{"call_id": "b", "duration_s": 9, "utterances": [{"speaker": "operator", "start": 1' + "0" * 5000
     + ', "text": "a"}]}', "not valid JSON"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),                 # a RecursionError in json
    ('{"call_id": "b", "utterances": []}', "'duration_s' required"),      # required by the contract (section 1)
    ('{"call_id": "b", "duration_s": 9}', "'utterances' required"),
    (None, "a folder, not a transcript file"),                          # a folder named among the files
])
def test_check_bad_input_is_one_line_and_the_rest_is_checked(tmp_path, text, says):
    good = _call(tmp_path, "operator", "a")
    bad = tmp_path / "b.json"
    if text is None:
        bad.mkdir()
    else:
        bad.write_text(text, encoding="utf-8")
    for as_json in (["--json"], []):
        res = CliRunner().invoke(cli, ["check", *as_json, str(bad), str(good)])
        assert res.exit_code == 1
        out = res.stdout.splitlines()
        if as_json:
            assert [json.loads(x)["call_id"] for x in out] == ["a"]
        else:
            assert len(out) == 2 and out[0].startswith("a: topic readings")
        (err,) = res.stderr.splitlines()
        assert str(bad) in err and says in err


def test_check_human_output_of_a_call_with_nothing_to_judge(tmp_path):
    """A call with no speech has a null score (the contract, section 3): said so, not a crash that stops the
    files after it."""
    empty = tmp_path / "e.json"
    empty.write_text(json.dumps({"call_id": "e", "duration_s": 30.0, "utterances": []}), encoding="utf-8")
    res = CliRunner().invoke(cli, ["check", str(empty), str(_call(tmp_path, "operator", "a"))])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0] == "e: topic other, score not assessed, 0 finding(s)"
    assert res.stdout.splitlines()[1].startswith("a: topic readings, score 83.0")


def test_check_human_output(tmp_path):
    res = CliRunner().invoke(cli, ["check", str(_call(tmp_path, "operator"))])
    assert res.exit_code == 0
    assert "address.forbidden (п. 15.1) at 12.4s: «Девушка, подождите»" in res.stdout


@pytest.fixture(scope="module")
def corpus_report():
    res = CliRunner().invoke(cli, ["eval", "--json", str(CORPUS)])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_corpus_is_labelled_as_the_issue_asks():
    files = sorted(CORPUS.glob("corpus_*.json"))
    assert len(files) >= 150
    labels = [json.loads(p.read_text(encoding="utf-8"))["expected"] for p in files]
    assert sum(x["style"] == "asr" for x in labels) >= len(files) / 3
    assert {x["topic"] for x in labels} == {"request.individual", "request.legal", "readings", "billing",
                                            "out_of_scope", "other"}


def test_corpus_every_rule_f1(corpus_report):
    # every rule a transcript can show; those found at ingest (overlap.parallel_calls) have no corpus rows
    judged_on_one_call = {r["id"] for r in yaml.safe_load(RULEBOOK.read_text(encoding="utf-8"))["rules"]
                          if r["detector"] != "at_ingest"}
    assert set(corpus_report["rules"]) == judged_on_one_call
    for rule, s in corpus_report["rules"].items():
        assert s["support"] >= 5, rule
        assert s["f1"] >= 0.95, (rule, s)
    # at least 5 hard negatives per rule: calls written with the rule's words in an innocent context
    negatives = {}
    for p in CORPUS.glob("corpus_*.json"):
        exp = json.loads(p.read_text(encoding="utf-8"))["expected"]
        for rule in exp.get("hard_negatives", []):
            negatives[rule] = negatives.get(rule, 0) + 1
    assert all(negatives.get(r, 0) >= 5 for r in corpus_report["rules"]), negatives


def test_corpus_topic_and_readings(corpus_report):
    assert corpus_report["topic_accuracy"] >= 0.95
    assert corpus_report["readings_accuracy"] >= 0.95
    assert corpus_report["readings_accuracy_calls_with_readings"] >= 0.95


def test_eval_text_output_and_missing_labels(tmp_path):
    res = CliRunner().invoke(cli, ["eval", str(CORPUS)])
    assert res.exit_code == 0 and "topic accuracy" in res.stdout and "address.forbidden" in res.stdout
    _call(tmp_path, "operator")
    res = CliRunner().invoke(cli, ["eval", str(tmp_path)])
    assert res.exit_code == 2
    assert "no 'expected' labels" in res.stderr


@pytest.mark.parametrize("layout", ["folder", "sidecar"])
def test_eval_reads_labels_kept_apart(tmp_path, layout):
    labels = {}
    for p in sorted(CORPUS.glob("corpus_00*.json")):
        data = json.loads(p.read_text(encoding="utf-8"))
        exp = data.pop("expected")
        labels[data["call_id"]] = {"rules": [{"rule": r} for r in exp["rules"]], "topic": exp["topic"],
                                   "readings": [{"value": v} for v in exp["readings"]]}
        (tmp_path / p.name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        if layout == "sidecar":
            (tmp_path / f"{p.stem}.expected.json").write_text(json.dumps(labels[data["call_id"]]), encoding="utf-8")
    if layout == "folder":
        (tmp_path / "labels.json").write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
    res = CliRunner().invoke(cli, ["eval", "--json", str(tmp_path)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["calls"] == len(labels) and out["topic_accuracy"] == 1.0


@pytest.mark.parametrize("args, names", [
    (["check"], "oka-qa check"),                              # no transcript given
    (["kpi", "--from", "2025-13-01"], "oka-qa kpi"),          # not a date
    (["transcribe", "x.wav", "--out", "o", "--layout", "sideways"], "oka-qa transcribe"),
    (["no-such-command"], "oka-qa"),
])
def test_a_usage_error_is_one_line_on_stderr_and_exit_2(tmp_path, args, names):
    """docs/CONTRACT.md: errors go to stderr in one line each, a usage error exits 2 (the console script's
    ``main``; click's own handling printed «Usage:», «Try …» and the error on three lines)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    got = subprocess.run([sys.executable, "-c", "from cli.main import main; main()", *args], capture_output=True,
                         text=True, cwd=tmp_path, env=env)
    assert got.returncode == 2
    assert got.stdout == ""
    lines = got.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {names}: "), got.stderr
