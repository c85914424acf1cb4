"""The real embedded model on committed and generated audio: words, speakers, silence, bleed."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from data.tts import write_wav
from transcription.audio import decode
from transcription.options import TranscribeOptions
from transcription.pipeline import Transcriber, choose_layout

DATA = Path(__file__).parent / "data"
CLIP = DATA / "stereo_call.flac"   # operator: «алматинские тепловые сети слушаю вас»; customer: «...показания счетчика»

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def transcriber():
    return Transcriber(TranscribeOptions(device="cpu"))


def side(transcript, speaker: str) -> str:
    return " ".join(u.text for u in transcript.utterances if u.speaker == speaker).lower().replace("ё", "е")


def clip_channels() -> tuple[np.ndarray, np.ndarray]:
    audio = decode(CLIP)
    return audio.channels[0], audio.channels[1]


def test_committed_clip_words_and_speakers(transcriber):
    t = transcriber.transcribe(CLIP)
    assert t.call_id == "stereo_call" and t.layout == "stereo-operator-left"
    assert t.duration_s == pytest.approx(7.36, abs=0.05)
    operator, customer = side(t, "operator"), side(t, "customer")
    assert "тепловые сети" in operator
    assert "показани" in customer
    assert "показани" not in operator and "теплов" not in customer
    # word timestamps are kept and fall in each side's turn (operator 0.2-3.3 s, customer 3.6-7.2 s)
    for u in t.utterances:
        assert u.words, u
        for w in u.words:
            assert (w.end <= 3.6) if u.speaker == "operator" else (w.start >= 3.2), (u.speaker, w)
    assert [u.start for u in t.utterances] == sorted(u.start for u in t.utterances)


def test_layout_operator_right_swaps_speakers():
    t = Transcriber(TranscribeOptions(device="cpu", layout="stereo-operator-right")).transcribe(CLIP)
    assert t.layout == "stereo-operator-right"
    assert "тепловые сети" in side(t, "customer") and "показани" in side(t, "operator")


def line_noise(seconds: float, rate: int = 8000) -> np.ndarray:
    """Mains hum with harmonics and hiss, as on a bad telephone line."""
    rng = np.random.default_rng(3)
    t = np.arange(int(seconds * rate)) / rate
    hum = sum(0.02 / k * np.sin(2 * np.pi * 50 * k * t) for k in (1, 3, 5))
    return (hum + 0.02 * rng.standard_normal(len(t))).astype(np.float32)


@pytest.mark.parametrize("name, make", [
    ("noise_stereo.wav", lambda: np.stack([line_noise(30), line_noise(30)[::-1]], axis=1)),
    ("noise_mono.wav", lambda: line_noise(30)),
    ("silence_stereo.wav", lambda: np.zeros((30 * 8000, 2), np.float32)),
    ("silence_mono.wav", lambda: np.zeros(30 * 8000, np.float32)),
])
def test_no_words_from_noise_or_silence(transcriber, tmp_path, name, make):
    path = tmp_path / name
    write_wav(path, make(), 8000)
    t = transcriber.transcribe(path)
    assert t.duration_s == pytest.approx(30.0, abs=0.01)
    assert t.utterances == []


def test_bled_copies_are_dropped(transcriber, tmp_path):
    left, right = clip_channels()
    k = 10 ** (-20 / 20)
    path = tmp_path / "leaky.wav"
    write_wav(path, np.stack([left + k * right, right + k * left], axis=1), 16000)
    t = transcriber.transcribe(path)
    operator, customer = side(t, "operator"), side(t, "customer")
    assert "теплов" in operator and "показани" in customer
    assert "показани" not in operator and "теплов" not in customer


def test_bled_copies_are_dropped_without_the_gate(tmp_path):
    """With the level gate off, the text comparison alone removes the copies."""
    left, right = clip_channels()
    k = 10 ** (-20 / 20)
    path = tmp_path / "leaky.wav"
    write_wav(path, np.stack([left + k * right, right + k * left], axis=1), 16000)
    t = Transcriber(TranscribeOptions(device="cpu", bleed_gate_db=0)).transcribe(path)
    operator, customer = side(t, "operator"), side(t, "customer")
    assert "теплов" in operator and "показани" in customer
    assert "показани" not in operator and "теплов" not in customer


def test_mono_roles(transcriber, tmp_path):
    left, right = clip_channels()
    path = tmp_path / "mono.wav"
    write_wav(path, (left + right) / 2, 16000)
    t = transcriber.transcribe(path)
    assert t.layout == "mono"
    assert "тепловые сети" in side(t, "operator")
    assert "показани" in side(t, "customer")


def test_dual_mono_is_taken_as_mono(tmp_path):
    left, right = clip_channels()
    mix = (left + right) / 2
    path = tmp_path / "dual.wav"
    write_wav(path, np.stack([mix, mix], axis=1), 16000)
    assert choose_layout(decode(path), "auto") == "mono"
    assert choose_layout(decode(CLIP), "auto") == "stereo-operator-left"
    assert choose_layout(decode(CLIP), "mono") == "mono"
