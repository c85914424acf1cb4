"""Whatever the transcript says, the checker does not crash; a transcript that breaks the schema is one clear error."""
from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.engine import Checker
from rules.rulebook import DEFAULT_PATH
from transcription.schema import TOPICS, SchemaError, Transcript

CHECKER = Checker.default()
EDITION = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))["edition"]   # what the rulebook file says
RU_WORDS = ["девушка", "подожди", "щас", "короче", "до", "свидания", "сто", "двадцать", "три", "и", "пять", "показания",
            "ипу", "меня", "зовут", "айгуль", "руководитель", "жалоба", "соседа", "тенге", ",", ".", "?", "целых",
            "десятых", "тысяча", "ноль", "лицевой", "счёт", "ты", "как", "бы"]

texts = st.one_of(
    st.text(max_size=200),  # arbitrary Unicode
    st.lists(st.sampled_from(RU_WORDS), max_size=40).map(" ".join),  # words the rules react to, in any order
    st.just(""),
    st.just("девушка подожди " * 3000),  # a huge utterance
)
times = st.floats(min_value=0, max_value=1e5, allow_nan=False, allow_infinity=False)
utterance = st.fixed_dictionaries(
    {"speaker": st.sampled_from(["operator", "customer", "unknown"]), "start": times, "end": times, "text": texts},
    optional={"words": st.lists(st.fixed_dictionaries({"w": st.text(max_size=12), "start": times, "end": times}),
                                max_size=5)})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(utts=st.lists(utterance, max_size=12), layout=st.sampled_from(["mono", "stereo-operator-left"]),
       duration=st.one_of(st.none(), times))
def test_any_transcript_is_checked_without_crash(utts, layout, duration):
    data = {"call_id": "h", "layout": layout, "utterances": utts}
    if duration is None:   # required (docs/CONTRACT.md section 1): one line, not a guess
        with pytest.raises(SchemaError, match="'duration_s' required"):
            Transcript.from_dict(data)
        return
    data["duration_s"] = duration
    result = CHECKER.check(Transcript.from_dict(data))  # out-of-order timestamps are sorted by the schema
    assert result.score is None or 0.0 <= result.score <= 100.0
    assert (result.score is None) == (len(result.not_assessed) == len(CHECKER.rules))
    assert result.topic in TOPICS   # the contract's topics, defined once in the schema
    out = result.to_dict()
    assert out["rulebook"] == EDITION
    assert set(out["topics"]) <= set(TOPICS) and out["topics"][0] == out["topic"]
    for f in out["findings"]:
        assert f["rule"] and f["clause"] and isinstance(f["evidence"], str)
    for r in out["readings"]:
        assert r["value"] > 0


X = {"call_id": "x", "duration_s": 60}   # what every transcript must have besides its utterances


@pytest.mark.parametrize("data, message", [
    ([], "expected a JSON object"),
    ({"utterances": []}, "'call_id' must be a non-empty string"),
    # required (docs/CONTRACT.md section 1): a transcript without them is rejected, not completed by a guess
    ({"call_id": "x", "utterances": []}, "call.json: 'duration_s' required"),
    ({"call_id": "x", "duration_s": 60}, "call.json: 'utterances' required"),
    ({"call_id": "x"}, "call.json: 'duration_s' and 'utterances' required"),
    ({"call_id": "x", "duration_s": None, "utterances": []}, "'duration_s' must be a number, got None"),
    ({"call_id": "x", "layout": "quad"}, "'layout' must be one of"),
    ({**X, "utterances": [{"speaker": "boss", "start": 0, "text": "a"}]}, "utterance 0: 'speaker'"),
    ({**X, "utterances": [{"speaker": "operator", "start": "0", "text": "a"}]}, "'start' must be a number"),
    ({**X, "utterances": [{"speaker": "operator", "start": 0, "text": 5}]}, "'text' must be a string"),
    ({**X, "utterances": "many"}, "'utterances' must be a list"),
    ({**X, "utterances": [{"speaker": "operator", "start": float("nan"), "text": "a"}]}, "must be finite"),
    ({**X, "utterances": [{"start": 0, "text": "a", "avg_logprob": True}]}, "'avg_logprob' must be a num"),
    ({**X, "utterances": [{"start": 0, "text": "a", "language": "de"}]}, "utterance 0: 'language'"),
    ({**X, "utterances": [{"start": 0, "text": "a", "words": {}}]}, "'words' must be a list"),
    ({**X, "utterances": [{"start": 0, "text": "a b", "words": [{"w": "a"}, {"w": 1}]}]},
     "utterance 0: word 1 must be an object"),
    ({**X, "utterances": [{"start": 0, "text": "a", "words": [{"w": "a", "end": "1"}]}]},
     "word 0 'end' must be a number"),
    ({**X, "utterances": [{"start": 0, "text": "a", "words": [{"w": "a", "p": float("inf")}]}]},
     "word 0 'p' must be finite"),
    # a JSON integer too large for a float (json reads 400 digits as an int): named, not an OverflowError
    ({**X, "utterances": [{"speaker": "operator", "start": 10 ** 400, "text": "a"}]},
     "utterance 0: 'start' must be finite, got an integer of 401 digits"),
    ({**X, "utterances": [{"start": 0, "text": "a", "words": [{"w": "a", "end": -(10 ** 400)}]}]},
     "word 0 'end' must be finite"),
    # one too long for str() (over 4,300 digits: a ValueError of its own), handed over by a program, not json
    ({"call_id": "x", "duration_s": 10 ** 5000, "utterances": []},
     "'duration_s' must be finite, got an integer of 5001 digits"),
    # the same integer where a word is expected: named, not repr()'s ValueError
    ({"call_id": "x", "layout": 10 ** 5000}, "'layout' must be one of .*, got an integer of 5001 digits"),
    ({**X, "utterances": [], "language": -(10 ** 5000)}, "'language' must be one of .*, got an integer of 5001 digits"),
    ({**X, "utterances": [{"speaker": 10 ** 5000, "start": 0}]}, "'speaker' must be one of"),
    ({**X, "utterances": [{"start": 0, "language": [10 ** 5000]}]}, "'language' must be one of .*, got a list"),
    # a long value is quoted short: the message stays one readable line
    ({"call_id": "x", "layout": "q" * 10_000}, r"got 'q{58}…$"),
])
def test_schema_breaking_transcript_is_a_clear_error(data, message):
    with pytest.raises(SchemaError, match=message):
        CHECKER.check(Transcript.from_dict(data, source="call.json"))


@pytest.mark.parametrize("utterance", [
    {"speaker": "operator", "start": 1, "end": 2, "text": "a"},
    {"start": 2.5, "text": "a"},                       # end and speaker left out
    {"speaker": "customer", "start": 3.0, "end": 1.0, "text": "a b",   # start and end swapped; a word without a
     "words": [{"w": "a", "end": 2}, {"w": "b", "start": 2.0, "end": 3.0, "p": 1}]},  # start takes the new start
    {"start": 0.0, "end": 1.0, "text": "a", "words": [], "avg_logprob": -0.3, "no_speech_prob": 0, "language": "kk"},
])
def test_well_formed_utterance_reads_as_the_checked_path_reads_it(utterance):
    """A well-formed utterance is read without building the error messages (``_plain_utterance``), to the same
    ``Utterance`` as the path that checks field by field and names the fault."""
    from transcription.schema import _plain_utterance, _utterance

    assert _plain_utterance(utterance) == _utterance(utterance, "call.json: utterance 0")
