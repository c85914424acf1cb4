"""Voice prints (MFCC statistics) tell two voices of one pitch apart; one odd stretch does not make a voice."""
from __future__ import annotations

import numpy as np
import pytest

from transcription.audio import SAMPLE_RATE
from transcription.recognize import Chunk
from transcription.roles import cluster_voices
from transcription.voiceprint import clip_outliers, mfcc, voiceprints

# formants (Hz) of five vowels of a grown man's voice; a shorter vocal tract scales them all up
VOWELS = [(730, 1090, 2440), (270, 2290, 3010), (300, 870, 2240), (530, 1840, 2480), (570, 840, 2410)]


def vowel(rng: np.random.Generator, f0: float, formants: tuple[float, ...], seconds: float) -> np.ndarray:
    """A sung vowel: harmonics of ``f0`` shaped by resonances at ``formants`` (the source-filter model)."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    out = np.zeros_like(t)
    for k in range(1, int(3800 / f0)):
        f = k * f0
        gain = sum(1.0 / (1.0 + ((f - fm) / 80.0) ** 2) for fm in formants) / k ** 0.5
        out += gain * np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi))
    ramp = np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.02)
    return out * ramp


def stretch(rng: np.random.Generator, scale: float, f0: float, seconds: float) -> np.ndarray:
    """Random vowels of one speaker (formants × ``scale``) at about ``f0``, for ``seconds``."""
    parts, got = [], 0.0
    while got < seconds:
        d = float(rng.uniform(0.06, 0.12))
        formants = tuple(fm * scale for fm in VOWELS[rng.integers(len(VOWELS))])
        parts.append(vowel(rng, f0 * float(rng.uniform(0.97, 1.03)), formants, d))
        got += d
    x = np.concatenate(parts)
    return (0.3 * x / np.abs(x).max()).astype(np.float32)


def call(speakers: list[tuple[float, float]], seed: int = 1) -> tuple[np.ndarray, list[Chunk], list[int]]:
    """Turns alternating between the given (formant scale, F0) voices; (audio, stretches, who spoke each)."""
    rng = np.random.default_rng(seed)
    pieces, chunks, who, at = [], [], [], 0.3
    gap = np.zeros(int(0.4 * SAMPLE_RATE), np.float32)
    pieces.append(np.zeros(int(0.3 * SAMPLE_RATE), np.float32))
    for i in range(10):
        k = i % len(speakers)
        scale, f0 = speakers[k]
        x = stretch(rng, scale, f0, float(rng.uniform(1.2, 2.5)))
        chunks.append(Chunk(at, at + len(x) / SAMPLE_RATE))
        who.append(k)
        pieces += [x, gap]
        at += (len(x) + len(gap)) / SAMPLE_RATE
    audio = np.concatenate(pieces)
    audio = audio + 0.002 * rng.standard_normal(len(audio)).astype(np.float32)
    return audio, chunks, who


@pytest.mark.parametrize("voices", [
    [(1.0, 120.0), (1.2, 120.0)],    # one pitch, vocal tracts of different length: only the spectrum tells
    [(1.0, 200.0), (1.25, 200.0)],
    [(1.0, 150.0), (1.15, 150.0)],
])
def test_two_voices_fall_apart(voices):
    audio, chunks, who = call(voices)
    labels = cluster_voices(audio, chunks, 0.1).labels
    assert None not in labels
    assert len(set(labels)) == 2
    assert all((a == b) == (wa == wb) for a, wa in zip(labels, who, strict=True)
               for b, wb in zip(labels, who, strict=True))


def test_mfcc_frames_and_band():
    """One frame of 13 coefficients per 10 ms, from the telephone band only (what μ-law lines carry)."""
    from transcription.voiceprint import _BANK, N_FFT

    assert mfcc(np.zeros(SAMPLE_RATE)).shape == (98, 13)
    freqs = np.fft.rfftfreq(N_FFT, 1.0 / SAMPLE_RATE)
    assert _BANK[:, (freqs < 300) | (freqs > 3400)].sum() == 0
    assert (_BANK.sum(axis=0)[(freqs > 320) & (freqs < 3380)] > 0).all()


@pytest.mark.parametrize("column, odd, clipped_to_at_most", [
    (0, 40.0, 10.0 + 3 * 1.4826 * 1.0 + 1e-6),   # an octave error far out is pulled in
    (0, 11.0, 11.0),                            # a value within the spread is kept
])
def test_clip_outliers(column, odd, clipped_to_at_most):
    x = np.array([[9.0, 0.0], [10.0, 0.0], [11.0, 0.0], [10.0, 0.0], [9.0, 0.0], [odd, 0.0]])
    got = clip_outliers(x)
    assert got[-1, column] == pytest.approx(min(odd, clipped_to_at_most))
    assert (got[:-1] == x[:-1]).all()


def test_one_odd_stretch_is_no_voice_of_its_own(monkeypatch):
    """Two voices 3 units apart in one column, and one stretch 40 units off in another (an octave error, a
    cough): the split is by voice, the odd stretch goes with one of them."""
    who = [0, 1] * 5
    prints = np.array([[3.0 * w + 0.1 * (i % 3), 0.05 * (i % 4)] for i, w in enumerate(who)])
    prints[4, 1] = 40.0
    monkeypatch.setattr("transcription.voiceprint.voiceprints", lambda audio, spans: prints.copy())
    chunks = [Chunk(2.0 * i, 2.0 * i + 1.5) for i in range(len(who))]
    labels = cluster_voices(np.zeros(SAMPLE_RATE * 20, np.float32), chunks, 0.0).labels
    assert [lab == labels[0] for lab in labels] == [w == who[0] for w in who]


def test_voiceprints_of_a_too_short_stretch_take_the_calls_mean():
    audio, chunks, _ = call([(1.0, 120.0), (1.2, 120.0)])
    spans = [(c.start, c.end) for c in chunks] + [(0.0, 0.01)]
    x = voiceprints(audio, spans)
    assert np.isfinite(x).all()
    assert x[-1] == pytest.approx(x[:-1].mean(axis=0), rel=1e-6)
