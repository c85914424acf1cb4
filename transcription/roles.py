"""Who is speaking on a mono recording: operator, customer or unknown.

The method: Silero VAD cuts the call into speech stretches; each stretch gets
a voice print (:mod:`transcription.voiceprint`: the mean and spread of its MFCC over the
telephone band and the lower quartile of its pitch); a duration-weighted 2-means clustering
splits the stretches into two voices.  The voice that greets with the
company's name («Алматинские тепловые сети»: the rulebook's ``operator_greeting``,
handed in through ``TranscribeOptions``) near the start is the operator;
with no such greeting, the voice that speaks first (within the first seconds)
is.  A stretch that is not clearly closer to one voice, or a call whose two
"voices" are not clearly apart, is labelled ``unknown``; nothing is guessed.

Measured (``python bench/speakers.py --half dev --downmix``, the held-out corpus's dev half, where operator
and customer are different voices): with MFCC prints every stretch of the 15 calls clustered right, against
0.898 of the speech with the pitch and log-mel prints before.  Known limit: one voice alone (one side
of a stereo call taken as mono) still splits into two "voices" far apart (centroid distance 4-17,
separation 1.5-4.3 on those channels): the distance guard below only catches a recording of one voice that
repeats itself; a mono call is taken to have two speakers.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import numpy as np

from transcription import recognize, voiceprint
from transcription.options import DEFAULT_OPERATOR_GREETING
from transcription.recognize import Chunk
from transcription.schema import Utterance

log = logging.getLogger(__name__)

GREETING_WITHIN_S = 30.0
FIRST_SPEAKER_WITHIN_S = 5.0
MIN_SEPARATION = 1.0       # centroid distance / mean distance to own centroid
MIN_DISTANCE = 2.5         # centroid distance in the voice prints' units (transcription.voiceprint)
MAX_CHUNK_S = 28.0


@dataclass
class Voices:
    """Cluster of each speech stretch (0, 1, or None when unsure) and the split's quality."""

    labels: list[int | None]
    separation: float


def speech_chunks(audio: np.ndarray) -> list[Chunk]:
    """Speech stretches with short silences cut (so that turns fall apart)."""
    return recognize.speech_chunks(audio, min_silence_duration_ms=250, speech_pad_ms=60,
                                   min_speech_duration_ms=200, max_speech_duration_s=MAX_CHUNK_S)


def _features(audio: np.ndarray, chunks: list[Chunk]) -> np.ndarray:
    return voiceprint.clip_outliers(voiceprint.voiceprints(audio, [(c.start, c.end) for c in chunks]))


def _two_means(x: np.ndarray, w: np.ndarray, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Duration-weighted 2-means, best of a few seeded starts: (labels, centroids)."""
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(8):
        cent = x[rng.choice(len(x), 2, replace=False)]
        for _ in range(50):
            d = np.linalg.norm(x[:, None, :] - cent[None, :, :], axis=2)
            lab = d.argmin(axis=1)
            new = np.array([np.average(x[lab == k], axis=0, weights=w[lab == k]) if (lab == k).any() else cent[k]
                            for k in (0, 1)])
            if np.allclose(new, cent):
                break
            cent = new
        inertia = float((w * d[np.arange(len(x)), lab] ** 2).sum())
        if best is None or inertia < best[0]:
            best = (inertia, lab, cent)
    return best[1], best[2]


def cluster_voices(audio: np.ndarray, chunks: list[Chunk], min_margin: float) -> Voices:
    """Split the speech stretches into two voices; unsure stretches get ``None``."""
    if len(chunks) < 2:
        return Voices([None] * len(chunks), 0.0)
    x = _features(audio, chunks)
    w = np.array([c.end - c.start for c in chunks])
    lab, cent = _two_means(x, w)
    d = np.linalg.norm(x[:, None, :] - cent[None, :, :], axis=2)
    within = float(np.average(d[np.arange(len(x)), lab], weights=w))
    distance = float(np.linalg.norm(cent[0] - cent[1]))
    separation = distance / (within + 1e-9)
    if separation < MIN_SEPARATION or distance < MIN_DISTANCE or len(set(lab.tolist())) < 2:
        log.info("mono: the two voices are not clearly apart (distance %.2f, separation %.2f); speakers left unknown",
                 distance, separation)
        return Voices([None] * len(chunks), separation)
    margin = np.abs(d[:, 0] - d[:, 1]) / (d[:, 0] + d[:, 1] + 1e-9)
    labels = [int(k) if m >= min_margin else None for k, m in zip(lab, margin, strict=True)]
    return Voices(labels, separation)


def _words(text: str) -> str:
    """The text's words, lowercase with «ё» as «е», one space apart and around."""
    return " " + " ".join(re.findall(r"\w+", text.lower().replace("ё", "е"))) + " "


def _greets(text: str, phrases: tuple[str, ...]) -> bool:
    said = _words(text)
    return any(f" {p} " in said for p in phrases)


def assign_roles(utts: list[Utterance], voice: list[int | None],
                 greeting: tuple[str, ...] = DEFAULT_OPERATOR_GREETING) -> str:
    """Set each utterance's speaker from its voice (``None``: unsure); returns how the operator was found.

    ``greeting``: the phrases by which the operator names the company (the rulebook's ``operator_greeting``).
    """
    operator = None
    how = "none"
    phrases = tuple(" ".join(p.lower().replace("ё", "е").split()) for p in greeting)
    for u, v in zip(utts, voice, strict=True):
        if u.start > GREETING_WITHIN_S:
            break
        if v is not None and phrases and _greets(u.text, phrases):
            operator, how = v, "greeting"
            break
    if operator is None:
        first = next(((u, v) for u, v in zip(utts, voice, strict=True)), None)
        if first and first[1] is not None and first[0].start <= FIRST_SPEAKER_WITHIN_S:
            operator, how = first[1], "first-speaker"
    for u, v in zip(utts, voice, strict=True):
        if operator is None or v is None:
            u.speaker = "unknown"
        else:
            u.speaker = "operator" if v == operator else "customer"
    return how
