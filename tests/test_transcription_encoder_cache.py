"""Each window of speech through the encoder once per call, with the real embedded model (slow).

With ``--language auto`` a speaker's speech is heard by the language code (the
speaker's window, then the piece's) and by the decoder; packed by speaker, the
three are one window and the encoder runs on it once.  The transcript is the
one the uncached model gives.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from transcription.options import TranscribeOptions
from transcription.pipeline import Transcriber

CLIP = Path(__file__).parent / "data" / "stereo_call.flac"   # operator 0.2-3.3 s, customer 3.6-7.2 s

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def transcriber():
    return Transcriber(TranscribeOptions(device="cpu", language="auto", pack_by_speaker=True))


def _texts(transcript) -> list[tuple[str, str, str | None]]:
    return [(u.speaker, u.text, u.language) for u in transcript.utterances]


@pytest.mark.parametrize("language, encoded", [
    ("auto", 2),   # one window per speaker: their language, their piece's language and the decoder share it
    ("ru", 1),     # no language to find: the call's speech is one piece
])
def test_each_window_is_encoded_once(transcriber, language, encoded):
    transcriber.opts.language = language
    try:
        counts = transcriber.recognizer.encoder.counts
        before = dict(counts)
        transcriber.transcribe(CLIP)
        assert counts["encoded"] - before["encoded"] == encoded
    finally:
        transcriber.opts.language = "auto"


def test_the_shared_windows_change_nothing_in_the_transcript(transcriber):
    cached = transcriber.transcribe(CLIP)
    plain = Transcriber(TranscribeOptions(device="cpu", language="auto", pack_by_speaker=True), recognizer=None)
    plain.recognizer.encoder = plain.recognizer.model   # every window encoded afresh, as before
    assert _texts(plain.transcribe(CLIP)) == _texts(cached)
    assert any(s == "operator" for s, _, _ in _texts(cached)) and any(s == "customer" for s, _, _ in _texts(cached))


@pytest.mark.parametrize("trim, widest", [
    (False, 3000),   # faster-whisper's window: 30 s, padded
    (True, 900),     # the clip's 7.4 s of speech packed, rounded up, and a second
])
def test_trim_padding_encodes_the_sound_and_a_second(trim, widest):
    t = Transcriber(TranscribeOptions(device="cpu", language="ru", trim_padding=trim))
    transcript = t.transcribe(CLIP)
    counts = t.recognizer.encoder.counts
    assert counts["encoded"] >= 1
    assert counts["frames"] <= counts["encoded"] * widest
    assert counts["frames"] > counts["encoded"] * (widest - 200)
    assert "тепловые сети" in " ".join(u.text.lower() for u in transcript.utterances if u.speaker == "operator")
