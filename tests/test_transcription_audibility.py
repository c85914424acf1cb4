"""Hopeless pieces: speech buried in noise is not decoded again (signals built in code, no model)."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from transcription.audibility import hopeless, speech_to_noise_db
from transcription.audio import SAMPLE_RATE
from transcription.options import TranscribeOptions


def _speech(seconds: float, voice_db: float, noise_db: float | None, seed: int = 0) -> np.ndarray:
    """Syllables (a 220 Hz buzz, 0.15 s on, 0.1 s off) at ``voice_db`` dBFS RMS, white noise at ``noise_db``."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    on = (t % 0.25) < 0.15
    buzz = np.sign(np.sin(2 * np.pi * 220 * t)) * on * 10 ** (voice_db / 20)
    noise = 0 if noise_db is None else rng.standard_normal(len(t)) * 10 ** (noise_db / 20)
    return (buzz + noise).astype(np.float32)


def _gapped(audio: np.ndarray, gap_s: float = 0.2, every_s: float = 1.0) -> np.ndarray:
    """The audio with ``gap_s`` of digital silence after every ``every_s`` (as packing joins chunks)."""
    step, gap = int(every_s * SAMPLE_RATE), np.zeros(int(gap_s * SAMPLE_RATE), np.float32)
    return np.concatenate([part for k in range(0, len(audio), step) for part in (audio[k:k + step], gap)])


@pytest.mark.parametrize("audio, low, high", [
    (_speech(5, -12, -60), 40, 55),                # a clean line: the pauses are near silence
    (_speech(5, -12, -33), 15, 25),                # a noisy line still readable (the bench's crosstalk line)
    (_speech(5, -18, -20), 0, 8),                  # the voice barely above the noise (the bench's noisy line)
    (_gapped(_speech(5, -18, -20)), 0, 8),         # packing's silent gaps are not the line's noise
    (_speech(5, -20, -20), 0, 6),                  # as loud as the noise
])
def test_speech_to_noise_ratio(audio, low, high):
    assert low <= speech_to_noise_db(audio) <= high


@pytest.mark.parametrize("audio", [
    _speech(0.5, -12, -20),                        # under a second of sound: not judged
    np.zeros(5 * SAMPLE_RATE, np.float32),         # digital silence
    _gapped(_speech(0.6, -12, -20), gap_s=2.0, every_s=0.3),   # mostly gaps
])
def test_too_little_sound_is_not_judged(audio):
    assert speech_to_noise_db(audio) is None


def _seg(text=" Алло.", avg_logprob=-0.4, no_speech_prob=0.05):
    return SimpleNamespace(text=text, avg_logprob=avg_logprob, no_speech_prob=no_speech_prob)


OPTS = TranscribeOptions(device="cpu")


@pytest.mark.parametrize("audio, segments, why", [
    # Whisper is as sure of its text on noise as on speech: the line says what its log-probability does not
    (_speech(5, -18, -20), [_seg(" ИПУ ГВС, АЛСЕКО, ИС РАДИ.", -0.61)], "dB above the noise"),
    (_speech(5, -12, -33), [_seg(" ИПУ ГВС, АЛСЕКО, ИС РАДИ.", -0.61)], None),
    (_speech(5, -12, -60), [_seg(avg_logprob=-1.6)], None),                      # unsure on a clean line: try again
    (_speech(5, -12, -60), [_seg(avg_logprob=-2.6)], "log-probability"),         # guessing even on a clean line
    (_speech(5, -12, -60), [_seg("", no_speech_prob=0.9)], "silence"),           # nothing said, and sure of it
    (_speech(5, -12, -60), [_seg("", no_speech_prob=0.1)], None),                # nothing said, speech missed
    (_speech(0.5, -18, -20), [_seg()], None),                                    # too short to judge the line
])
def test_hopeless(audio, segments, why):
    got = hopeless(audio, segments, OPTS)
    assert (got is None) if why is None else (why in got)


def test_the_line_test_can_be_switched_off():
    opts = TranscribeOptions(device="cpu", hopeless_snr_db=-1.0)
    assert hopeless(_speech(5, -20, -20), [_seg()], opts) is None
