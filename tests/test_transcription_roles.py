"""Mono role assignment: voice clustering and naming the operator."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from transcription.audio import decode
from transcription.recognize import Chunk
from transcription.roles import assign_roles, cluster_voices, speech_chunks
from transcription.schema import Utterance

DATA = Path(__file__).parent / "data"
# the committed clip: operator 0.2-3.31 s, customer (a lower voice) 3.61-7.16 s
OPERATOR_SPAN, CUSTOMER_SPAN = (0.2, 3.31), (3.61, 7.16)


def test_voices_of_the_committed_clip_fall_apart():
    mono = decode(DATA / "stereo_call.flac").mono()
    chunks = speech_chunks(mono)
    assert len(chunks) >= 2
    voices = cluster_voices(mono, chunks, 0.1)
    side = ["op" if c.end <= OPERATOR_SPAN[1] + 0.2 else "cu" if c.start >= CUSTOMER_SPAN[0] - 0.2 else "?"
            for c in chunks]
    assert "?" not in side
    labelled = [(s, lab) for s, lab in zip(side, voices.labels, strict=True) if lab is not None]
    assert len(labelled) >= 0.8 * len(chunks)
    op_labels = {lab for s, lab in labelled if s == "op"}
    cu_labels = {lab for s, lab in labelled if s == "cu"}
    assert len(op_labels) == 1 and len(cu_labels) == 1 and op_labels != cu_labels


def test_one_stretch_is_left_unknown():
    mono = decode(DATA / "stereo_call.flac").mono()
    assert cluster_voices(mono, [Chunk(0.2, 3.3)], 0.1).labels == [None]


def test_one_voice_only_is_left_unknown():
    """A call with a single voice (the operator's side only) must not be split into two roles."""
    audio = decode(DATA / "stereo_call.flac")
    left = audio.channels[0]
    one_voice = np.concatenate([left[: int(3.4 * 16000)]] * 3)
    chunks = speech_chunks(one_voice)
    assert len(chunks) >= 3   # the operator's greeting, said three times
    voices = cluster_voices(one_voice, chunks, 0.1)
    assert voices.labels == [None] * len(chunks)
    utts = [U(c.start, c.end, "Алматинские тепловые сети, слушаю") for c in chunks]
    assign_roles(utts, voices.labels)
    assert {u.speaker for u in utts} == {"unknown"}


def U(start, end, text):
    return Utterance(speaker="unknown", start=start, end=end, text=text)


SPANS = [(0.0, 3.0), (3.5, 6.0), (6.5, 9.0)]


@pytest.mark.parametrize("texts, labels, speakers, how", [
    # the greeting names the operator, even when the customer speaks first
    (["алло", "Алматинские тепловые сети, слушаю", "хочу передать показания"], [1, 0, 1],
     ["customer", "operator", "customer"], "greeting"),
    (["Добрый день, тепловые сети", "здравствуйте", "слушаю"], [0, 1, 0], ["operator", "customer", "operator"],
     "greeting"),
    # no greeting: the first voice, speaking at once, is the operator
    (["слушаю вас", "здравствуйте", "да"], [1, 0, 1], ["operator", "customer", "operator"], "first-speaker"),
    # an unsure stretch stays unknown
    (["алматинские тепловые сети", "мм", "хочу передать"], [0, None, 1], ["operator", "unknown", "customer"],
     "greeting"),
    # nothing to go on: all unknown
    (["алло", "да", "нет"], [None, 0, 1], ["unknown", "unknown", "unknown"], "none"),
])
def test_assign_roles(texts, labels, speakers, how):
    utts = [U(a + 0.1, b - 0.1, t) for (a, b), t in zip(SPANS, texts, strict=True)]
    assert assign_roles(utts, labels) == how
    assert [u.speaker for u in utts] == speakers


def test_the_fallback_greeting_is_the_rulebooks_list():
    """transcription/ may not read the rulebook: it keeps a fallback copy, which must not drift."""
    from rules.rulebook import operator_greeting
    from transcription.options import DEFAULT_OPERATOR_GREETING

    assert DEFAULT_OPERATOR_GREETING == operator_greeting()


@pytest.mark.parametrize("greeting, speakers, how", [
    # the company named in the list given: the customer's first «алло» does not make her the operator
    (("горгаз",), ["customer", "operator", "customer"], "greeting"),
    # not in the list given: the first voice is the operator
    (("тепловые сети",), ["operator", "customer", "operator"], "first-speaker"),
    ((), ["operator", "customer", "operator"], "first-speaker"),
])
def test_assign_roles_looks_for_the_greeting_it_is_given(greeting, speakers, how):
    said = ["алло", "Горгаз, слушаю", "хочу передать"]
    utts = [U(a + 0.1, b - 0.1, t) for (a, b), t in zip(SPANS, said, strict=True)]
    assert assign_roles(utts, [1, 0, 1], greeting) == how
    assert [u.speaker for u in utts] == speakers


def _capture(monkeypatch) -> list:
    """transcribe_files replaced by a recorder of the options it is given; the rulebook's list replaced too."""
    seen: list = []

    def fake(paths, out_dir, opts, **kw):
        seen.append(opts)
        return []
    monkeypatch.setattr("transcription.batch.transcribe_files", fake)
    monkeypatch.setattr("rules.rulebook._greeting", lambda path: ("горгаз слушаю",))
    return seen


def test_oka_qa_transcribe_passes_the_rulebooks_greeting(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from cli.main import cli

    seen = _capture(monkeypatch)
    (tmp_path / "a.wav").write_bytes(b"")
    CliRunner().invoke(cli, ["transcribe", str(tmp_path / "a.wav"), "--out", str(tmp_path / "out")])
    assert [o.operator_greeting for o in seen] == [("горгаз слушаю",)]


def test_ingest_passes_the_rulebooks_greeting(monkeypatch, tmp_path):
    from analytics.config import Config
    from analytics.ingest.pipeline import IngestReport, _Todo, _transcribe

    seen = _capture(monkeypatch)
    todo = [_Todo({"call_id": "c1", "layout": "mono"}, "h", audio=tmp_path / "a.wav")]
    _transcribe(todo, tmp_path / "oka.duckdb", Config(), lambda m: None, IngestReport())
    assert [(o.operator_greeting, o.layout) for o in seen] == [(("горгаз слушаю",), "mono")]
