"""Whether a piece of a call can be heard at all: the decision to decode it again, from cheap signs.

A piece whose first pass failed a guard (:mod:`transcription.guards`) is decoded once more
(:mod:`transcription.recognize`), unless it is *hopeless*: audio that no second pass would read.  On
such audio Whisper's own numbers cannot say so: on a line whose noise is as loud as the voice it writes
the prompt's terms or a loop at an average log-probability of −0.2…−0.9, as sure as it is of clean
speech.  The signs used instead cost next to nothing and are not the model's opinion of itself:

* the piece's **speech-to-noise ratio** (:func:`speech_to_noise_db`): how far its loud frames (the
  voice) stand above its quiet ones (the noise in the pauses between words and in the VAD's padding);
  speech buried in noise leaves them a few dB apart, clean speech 30–40 dB;
* the first pass's own log-probability, far below anything read (``hopeless_logprob``), or nothing said
  and the model sure the piece was silence.

A hopeless piece keeps what its first pass wrote less the text the guards call invented (loops, echoes of
the prompt): words it holds are low-confidence words, and the rules abstain (``not_assessed``).
"""
from __future__ import annotations

import numpy as np

from transcription.audio import SAMPLE_RATE
from transcription.options import TranscribeOptions

# frames of this length (s) are the unit of level
FRAME_S = 0.02
# the voice's level: this percentile of the frames' levels; the noise's: ``NOISE_PERCENTILE``
VOICE_PERCENTILE = 95
NOISE_PERCENTILE = 10
# fewer frames with sound than this (1 s) and the ratio is not judged
MIN_FRAMES = 50
# a frame this quiet (RMS) is digital silence (the gaps packing puts between chunks), not the line's noise
SILENT_RMS = 1e-6


def frame_levels_db(audio: np.ndarray) -> np.ndarray:
    """The level (dBFS, of each frame's RMS) of the ``FRAME_S`` frames of ``audio`` that are not digital silence."""
    n = int(FRAME_S * SAMPLE_RATE)
    frames = np.asarray(audio[: len(audio) // n * n], dtype=np.float64).reshape(-1, n)
    rms = np.sqrt(np.mean(frames ** 2, axis=1))
    return 20 * np.log10(rms[rms > SILENT_RMS])


def speech_to_noise_db(audio: np.ndarray) -> float | None:
    """How many dB the piece's voice stands above its noise, or None with too little sound to say.

    The voice's level is the ``VOICE_PERCENTILE``-th percentile of the frames' levels, the noise's the
    ``NOISE_PERCENTILE``-th: a piece of speech (the VAD's chunks with their padding) pauses between words
    often enough that its quietest tenth is the line's noise.
    """
    levels = frame_levels_db(audio)
    if len(levels) < MIN_FRAMES:
        return None
    voice, noise = np.percentile(levels, [VOICE_PERCENTILE, NOISE_PERCENTILE])
    return float(voice - noise)


def hopeless(audio: np.ndarray, segments: list, opts: TranscribeOptions) -> str | None:
    """Why a piece (its audio, its first pass's segments) is not worth a second pass, or None if it is."""
    snr = speech_to_noise_db(audio)
    if snr is not None and snr < opts.hopeless_snr_db:
        return f"speech {snr:.1f} dB above the noise"
    said = [s for s in segments if (s.text or "").strip()]
    if not said:
        if segments and all(s.no_speech_prob >= opts.no_speech_threshold for s in segments):
            return "nothing said, silence by the model"
        return None
    if all(s.avg_logprob < opts.hopeless_logprob for s in said):
        return f"best avg log-probability {max(s.avg_logprob for s in said):.2f}"
    return None
