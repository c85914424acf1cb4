"""Channel bleed: one side of the call leaking faintly into the other channel.

Some recorders (echo on the line, joint-stereo MP3/Opus) put a quiet copy of
each speaker on the other's channel, and then the same words come out under
both speakers.  Two defences:

* :func:`gate` before recognition: wherever a channel is much quieter than the
  other while the other is speaking, it carries only the copy, so it is
  silenced there (this also saves decoding the copy);
* :func:`drop_copies` after recognition: of two overlapping utterances with
  similar text on opposite channels, the one on the channel that is quieter
  over that span is dropped.
"""
from __future__ import annotations

import difflib
import logging
import re

import numpy as np

from transcription.audio import SAMPLE_RATE
from transcription.schema import Utterance

log = logging.getLogger(__name__)

FRAME_S = 0.02      # energy frame
SMOOTH_S = 0.2      # moving average over frames, so syllables do not flicker the gate
ACTIVE_DB = 12.0    # a channel "speaks" when this far above its own noise floor
MIN_OVERLAP = 0.5   # of the shorter utterance, for two utterances to be one heard twice


def _frame_db(x: np.ndarray) -> np.ndarray:
    n = int(FRAME_S * SAMPLE_RATE)
    frames = len(x) // n
    if frames == 0:
        return np.zeros(0)
    power = (x[: frames * n].reshape(frames, n).astype(np.float64) ** 2).mean(axis=1)
    k = max(1, int(SMOOTH_S / FRAME_S))
    power = np.convolve(power, np.ones(k) / k, mode="same")
    return 10 * np.log10(power + 1e-10)


def gate(left: np.ndarray, right: np.ndarray, margin_db: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Silence each channel where it is ``margin_db`` quieter than the other one speaking.

    Returns the gated channels and the share of frames silenced (both sides).
    """
    if margin_db <= 0:
        return left, right, 0.0
    n = int(FRAME_S * SAMPLE_RATE)
    db_l, db_r = _frame_db(left), _frame_db(right)
    if len(db_l) == 0:
        return left, right, 0.0
    floor_l, floor_r = np.percentile(db_l, 10), np.percentile(db_r, 10)
    mute_l = (db_r > floor_r + ACTIVE_DB) & (db_l < db_r - margin_db)
    mute_r = (db_l > floor_l + ACTIVE_DB) & (db_r < db_l - margin_db)
    out = []
    for x, mute in ((left, mute_l), (right, mute_r)):
        mask = np.repeat(~mute, n).astype(np.float32)
        mask = np.concatenate([mask, np.ones(len(x) - len(mask), dtype=np.float32)])
        out.append(x * mask)
    share = float((mute_l.sum() + mute_r.sum()) / (2 * len(db_l)))
    return out[0], out[1], share


def _norm(text: str) -> str:
    return re.sub(r"[^\w ]+", "", text.lower().replace("ё", "е")).strip()


def similarity(a: str, b: str) -> float:
    """0..1: how alike two utterances' texts are (case and punctuation ignored)."""
    return difflib.SequenceMatcher(None, _norm(a), _norm(b), autojunk=False).ratio()


def _rms(x: np.ndarray, start: float, end: float) -> float:
    seg = x[int(start * SAMPLE_RATE): max(int(end * SAMPLE_RATE), int(start * SAMPLE_RATE) + 1)]
    return float(np.sqrt(np.mean(seg.astype(np.float64) ** 2))) if len(seg) else 0.0


def drop_copies(a: list[Utterance], b: list[Utterance], audio_a: np.ndarray, audio_b: np.ndarray,
                min_similarity: float) -> tuple[list[Utterance], list[Utterance], int]:
    """Drop bled copies between channel A's and channel B's utterances.

    Returns the kept utterances of each channel and how many were dropped.
    """
    drop_a: set[int] = set()
    drop_b: set[int] = set()
    for i, ua in enumerate(a):
        for j, ub in enumerate(b):
            if j in drop_b:
                continue
            lo, hi = max(ua.start, ub.start), min(ua.end, ub.end)
            shorter = min(ua.end - ua.start, ub.end - ub.start)
            if hi <= lo or shorter <= 0 or (hi - lo) < MIN_OVERLAP * shorter:
                continue
            sim = similarity(ua.text, ub.text)
            if sim < min_similarity:
                continue
            louder_a = _rms(audio_a, lo, hi) >= _rms(audio_b, lo, hi)
            log.debug("bleed: %r / %r (similarity %.2f), keeping channel %s", ua.text, ub.text, sim,
                      "A" if louder_a else "B")
            if louder_a:
                drop_b.add(j)
            else:
                drop_a.add(i)
                break
    kept_a = [u for i, u in enumerate(a) if i not in drop_a]
    kept_b = [u for j, u in enumerate(b) if j not in drop_b]
    return kept_a, kept_b, len(drop_a) + len(drop_b)
