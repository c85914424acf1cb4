"""The encoder hears a window up to its sound and one second more, never less than the aligner reads.

faster-whisper pads every window's features with zeros to 30 s (3000 frames); the batched
decoder then aligns a piece's words over its duration rounded up to a whole second
(``int(ceil(duration) * 100)`` frames), and CTranslate2 does not check that against the encoder's
output.  ``transcription.encoder_cache.trimmed_length`` must cover that, whatever the duration.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from transcription.encoder_cache import trimmed_length

FULL = 3000  # frames in a padded window


def window(duration_s: float) -> np.ndarray:
    """A window as the batched decoder builds it: the piece's frames (the last one dropped), zeros after."""
    frames = min(FULL, int(duration_s * 16000) // 160)   # faster-whisper's frames, less the dropped last one
    w = np.zeros((80, FULL), np.float32)
    w[:, :frames] = np.random.default_rng(0).uniform(-1.0, 1.0, (80, frames)).astype(np.float32)
    return w


@pytest.mark.parametrize("duration_s, expected", [
    (7.2, 900),      # 720 frames of sound: 8 s, and a second more
    (25.0, 2600),    # a whole second: 2500 frames, and a second more
    (25.005, 2600),  # the aligner reads ceil(25.005) = 26 s: 2600 frames
    (25.999, 2700),
    (28.0, 2900),
    (29.5, FULL),    # never more than the window
    (30.0, FULL),
    (0.2, 200),
])
def test_trimmed_length(duration_s, expected):
    n = trimmed_length(window(duration_s))
    assert n == expected
    assert n >= min(FULL, math.ceil(duration_s) * 100), "the aligner would read past the encoder's output"


def test_silence_is_one_second():
    assert trimmed_length(np.zeros((80, FULL), np.float32)) == 100
