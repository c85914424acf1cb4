"""Voice prints: what tells two speakers of a mono call apart, as numbers per speech stretch.

Two people differ in more than pitch: the shape of the vocal tract sets the
spectral envelope, which mel-frequency cepstral coefficients (MFCC) describe.
Here, in numpy alone (no extra package):

* :func:`mfcc` — 13 coefficients per 10 ms frame (25 ms Hamming windows,
  pre-emphasis, a 24-filter mel bank over the telephone band 300–3400 Hz —
  the part of the spectrum every recording of the department has, μ-law or
  not — log, DCT-II);
* :func:`voiceprints` — one row per speech stretch: the mean and the standard
  deviation of c1..c12 over the stretch's louder frames (the quiet ones are
  line noise and pauses, the same for both speakers), and the lower quartile of
  the pitch (a speaker's baseline, :func:`pitch`).  c0 (loudness) is left out:
  how loud a side is says how far the phone was, not who spoke.

The rows are in fixed units (not scaled per call), so that one voice heard
many times stays one voice; :func:`clip_outliers` then pulls in, per call, a
value far from the call's median (an octave error of the pitch tracker, a
cough), so that 2-means splits voices, not odd stretches.
"""
from __future__ import annotations

import numpy as np

from transcription.audio import SAMPLE_RATE

FRAME_S, HOP_S = 0.025, 0.010
N_FFT = 512
N_MELS = 24
N_CEPS = 13                 # c0..c12; c0 is dropped from the print
BAND_HZ = (300.0, 3400.0)   # the telephone band
PRE_EMPHASIS = 0.97
LOUD_SHARE = 0.5            # the print uses the louder half of a stretch's frames
F0_MIN, F0_MAX = 60.0, 400.0
PITCH_PERCENTILE = 25
# units of a print's columns: about what tells two voices apart in each (so one unit weighs alike)
MEAN_UNIT = 1.0
STD_UNIT = 1.0
# log-F0 units: 0.2 is about 3.5 semitones.  With 0.03 (half a semitone, the unit of the pitch-only prints before)
# one stretch whose pitch was read an octave off outweighed all the spectrum and 2-means split it off alone
# (`python bench/speakers.py --half dev --downmix`, dev half: clustering 0.950 with 0.03, 1.000 with 0.2)
PITCH_UNIT = 0.2
# a stretch's value further than this many (robust) standard deviations from the call's median is clipped
# there before clustering: one odd stretch (a cough, an octave error) must not make a "voice" of its own
OUTLIER_SD = 3.0


def _mel(hz: np.ndarray | float) -> np.ndarray:
    return 2595.0 * np.log10(1.0 + np.asarray(hz) / 700.0)


def _hz(mel: np.ndarray) -> np.ndarray:
    return 700.0 * (10 ** (mel / 2595.0) - 1.0)


def _filterbank(sr: int = SAMPLE_RATE) -> np.ndarray:
    """(N_MELS, N_FFT//2+1) triangular mel filters over ``BAND_HZ``."""
    edges = _hz(np.linspace(_mel(BAND_HZ[0]), _mel(BAND_HZ[1]), N_MELS + 2))
    freqs = np.fft.rfftfreq(N_FFT, 1.0 / sr)
    bank = np.zeros((N_MELS, len(freqs)))
    for m in range(N_MELS):
        lo, mid, hi = edges[m], edges[m + 1], edges[m + 2]
        bank[m] = np.clip(np.minimum((freqs - lo) / (mid - lo), (hi - freqs) / (hi - mid)), 0.0, None)
    return bank


_BANK = _filterbank()
_DCT = np.cos(np.pi / N_MELS * (np.arange(N_MELS)[None, :] + 0.5) * np.arange(N_CEPS)[:, None])


def _frames(x: np.ndarray, n: int, hop: int) -> np.ndarray:
    if len(x) < n:
        return np.zeros((0, n), dtype=np.float64)
    idx = np.arange(n)[None, :] + hop * np.arange((len(x) - n) // hop + 1)[:, None]
    return x[idx].astype(np.float64)


def mfcc(audio: np.ndarray, sr: int = SAMPLE_RATE) -> np.ndarray:
    """(frames, 13) MFCC of 16 kHz audio, one frame every 10 ms; c0 first."""
    x = np.asarray(audio, dtype=np.float64)
    if len(x) > 1:
        x = np.append(x[0], x[1:] - PRE_EMPHASIS * x[:-1])
    frames = _frames(x, int(FRAME_S * sr), int(HOP_S * sr)) * np.hamming(int(FRAME_S * sr))
    power = np.abs(np.fft.rfft(frames, N_FFT)) ** 2
    logmel = np.log(power @ _BANK.T + 1e-10)
    return logmel @ _DCT.T


def pitch(x: np.ndarray, sr: int = SAMPLE_RATE) -> np.ndarray:
    """Per-frame F0 in Hz (40 ms frames, 10 ms hop, autocorrelation); NaN where unvoiced."""
    n, hop = int(0.04 * sr), int(HOP_S * sr)
    frames = _frames(np.asarray(x, dtype=np.float64), n, hop)
    if not len(frames):
        return np.full(0, np.nan)
    frames = frames * np.hanning(n)
    frames = frames - frames.mean(axis=1, keepdims=True)
    ac = np.fft.irfft(np.abs(np.fft.rfft(frames, 2 * n)) ** 2)[:, :n]
    lo, hi = int(sr / F0_MAX), int(sr / F0_MIN)
    peak = lo + np.argmax(ac[:, lo:hi], axis=1)
    strength = ac[np.arange(len(ac)), peak] / (ac[:, 0] + 1e-9)
    f0 = sr / peak.astype(np.float64)
    f0[strength < 0.45] = np.nan
    return f0


def _stretch_print(ceps: np.ndarray, x: np.ndarray) -> np.ndarray:
    """[mean c1..c12, std c1..c12, log pitch] of one stretch (NaN where it cannot be told)."""
    row = np.full(2 * (N_CEPS - 1) + 1, np.nan)
    if len(ceps) >= 3:
        loud = ceps[ceps[:, 0] >= np.quantile(ceps[:, 0], 1.0 - LOUD_SHARE)]
        row[: N_CEPS - 1] = loud[:, 1:].mean(axis=0) / MEAN_UNIT
        row[N_CEPS - 1: 2 * (N_CEPS - 1)] = loud[:, 1:].std(axis=0) / STD_UNIT
    f0 = pitch(x)
    f0 = f0[np.isfinite(f0)]
    if len(f0) >= 3:
        row[-1] = np.log(np.percentile(f0, PITCH_PERCENTILE)) / PITCH_UNIT
    return row


def voiceprints(audio: np.ndarray, spans: list[tuple[float, float]]) -> np.ndarray:
    """(stretches, 25) voice prints of the stretches ``spans`` (seconds) of 16 kHz audio.

    A value a stretch is too short to give takes the column's mean over the call (it then pulls
    towards neither voice).
    """
    ceps = mfcc(audio)
    rows = []
    for start, end in spans:
        a = int(start / HOP_S)
        b = max(int(end / HOP_S) - int(FRAME_S / HOP_S) + 1, a + 1)
        rows.append(_stretch_print(ceps[a:b], audio[int(start * SAMPLE_RATE): int(end * SAMPLE_RATE)]))
    x = np.array(rows, dtype=np.float64).reshape(len(rows), 2 * (N_CEPS - 1) + 1)
    if not len(x):
        return x
    with np.errstate(all="ignore"):
        fill = np.nan_to_num(np.nanmean(np.where(np.isfinite(x), x, np.nan), axis=0)) \
            if np.isfinite(x).any() else np.zeros(x.shape[1])
    return np.where(np.isfinite(x), x, fill[None, :])


def clip_outliers(x: np.ndarray, k: float = OUTLIER_SD) -> np.ndarray:
    """Each column clipped to its median ± ``k`` robust standard deviations (1.4826 × MAD) over the rows."""
    if len(x) < 3:
        return x
    med = np.median(x, axis=0)
    sd = 1.4826 * np.median(np.abs(x - med), axis=0) + 1e-9
    return np.clip(x, med - k * sd, med + k * sd)
