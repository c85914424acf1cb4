"""Mono calls: each voice's speech decoded in pieces of its own (a scripted decoder, no model)."""
from __future__ import annotations

import numpy as np
import pytest

from data.tts import write_wav
from transcription import pipeline, recognize, roles
from transcription.audio import SAMPLE_RATE
from transcription.options import TranscribeOptions
from transcription.recognize import Chunk, Recognizer

# a mono call whose two voices (0 and 1) take turns
TURNS = [Chunk(0.0, 3.0, 0, 0), Chunk(3.5, 6.0, 0, 1), Chunk(6.5, 9.0, 0, 0), Chunk(9.5, 12.0, 0, 1)]
# each sample says where it lies in the recording (0 is the silence put between packed chunks)
RECORDING = np.arange(1, 20 * SAMPLE_RATE + 1, dtype=np.float32)


class _Decoder:
    """Hears nothing and remembers what it was given."""

    def __init__(self):
        self.calls = []

    def transcribe(self, audio, **kw):
        self.calls.append((audio, kw))
        return iter([]), None


def _voices_per_piece(audio: np.ndarray, pieces: list[dict]) -> list[set]:
    """The voices whose speech each piece of the batched decoder holds."""
    out = []
    for p in pieces:
        heard = audio[int(p["start"] * SAMPLE_RATE):int(p["end"] * SAMPLE_RATE)]
        times = (heard[heard > 0] - 1) / SAMPLE_RATE
        out.append({c.tag for c in TURNS if ((times >= c.start) & (times < c.end)).any()})
    return out


@pytest.mark.parametrize("language", ["ru", "auto"])
@pytest.mark.parametrize("by_speaker, voices", [
    (False, [{0, 1}]),        # in time order the 12 s of turns are one piece: both voices in one window
    (True, [{0}, {1}]),       # by voice: a piece never holds the other voice's speech
])
def test_by_voice_a_piece_holds_one_voice(monkeypatch, language, by_speaker, voices):
    monkeypatch.setattr(recognize, "chunk_languages", lambda *a, **k: ["ru"] * len(a[2]))
    rec = Recognizer(TranscribeOptions(device="cpu", language=language), model=_Decoder())
    rec._batched = _Decoder()
    rec.recognize([RECORDING], TURNS, by_speaker=by_speaker)
    (audio, kw), = rec._batched.calls
    assert _voices_per_piece(audio, kw["clip_timestamps"]) == voices


class _Recognizer:
    description = "scripted"

    def __init__(self):
        self.by_speaker = []

    def recognize(self, channels, chunks, by_speaker=False):
        self.by_speaker.append(by_speaker)
        return []


@pytest.mark.parametrize("channels, voices, mono_by_voice, by_speaker", [
    (1, [0, 1, 0, 1], True, True),               # mono: each voice apart (the default)
    (1, [0, 1, None, 1], True, True),            # a stretch of neither voice is a group of its own
    (1, [0, 1, 0, 1], False, False),             # mono, switched off: both voices in time order
    (1, [None] * 4, True, False),                # the voices not told apart: one group, in time order
    (2, [0, 1, 0, 1], True, False),              # stereo calls are not touched by the mono option
    (2, [0, 1, 0, 1], False, False),
])
def test_a_mono_call_is_decoded_voice_by_voice(monkeypatch, tmp_path, channels, voices, mono_by_voice, by_speaker):
    monkeypatch.setattr(roles, "speech_chunks", lambda audio: TURNS)
    monkeypatch.setattr(roles, "cluster_voices", lambda audio, chunks, margin: roles.Voices(voices, 3.0))
    monkeypatch.setattr(pipeline, "speech_chunks", lambda audio, channel, tag: [Chunk(0.0, 3.0, channel, tag)])
    rng = np.random.default_rng(0)
    path = tmp_path / "call.wav"
    write_wav(path, (0.1 * rng.standard_normal((13 * SAMPLE_RATE, channels))).squeeze(), SAMPLE_RATE)
    rec = _Recognizer()
    pipeline.Transcriber(TranscribeOptions(device="cpu", mono_by_voice=mono_by_voice), rec).transcribe(path)
    assert rec.by_speaker == [by_speaker]
