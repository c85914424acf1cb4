"""Which language each stretch of speech is in: Whisper's language probabilities, Russian or Kazakh only.

``--language auto`` (the default).  Whisper scores ~100 languages; ours are two,
so only the «ru» and «kk» tokens are read and renormalised: the embedded base
model, asked freely, calls synthetic Kazakh Latvian or Turkish.  Two kinds of
evidence, both from the encoder over voiced speech only (the VAD's chunks):

* each speaker (channel, or voice in mono) over up to 30 s of all their speech;
* each piece of the packed stream (up to 28 s) on its own.

A chunk takes its speaker's language; a piece spoken by one speaker takes the
mean of its own and the speaker's probability, or its own when that is sure
(``SWITCH``) — a caller who switches mid-call.  A piece with both speakers is not
judged as a whole (one window cannot say whose language it hears): each chunk
keeps its speaker's language.
The call's language counts words by their utterance's language: ``mixed`` when
each has at least ``MIXED_SHARE`` of the words (docs/CONTRACT.md section 1).
"""
from __future__ import annotations

import logging
from collections.abc import Hashable, Sequence

import numpy as np

from transcription.audio import SAMPLE_RATE
from transcription.schema import Utterance

log = logging.getLogger(__name__)

CHOICES = ("ru", "kk")      # the languages a call may be in
SWITCH = 0.8                # a piece this sure of a language takes it, whoever speaks
MIXED_SHARE = 0.10          # docs/CONTRACT.md section 1: each language in at least 10 % of the words
MIN_WORDS = 3               # and at least this many words (one «рахмет» is no second language)
WINDOW_S = 30.0             # Whisper's window: the speech a speaker is judged on


def kk_probability(model, audio: np.ndarray) -> float:
    """P(kk | kk or ru) for up to 30 s of 16 kHz speech, by the model's language token probabilities."""
    from faster_whisper.transcribe import pad_or_trim

    audio = audio[: int(WINDOW_S * SAMPLE_RATE)]
    if not len(audio):
        return 0.5
    features = model.feature_extractor(audio)
    encoded = model.encode(pad_or_trim(features[..., : model.feature_extractor.nb_max_frames]))
    probs = {token[2:-2]: p for token, p in model.model.detect_language(encoded)[0]}
    ru, kk = probs.get("ru", 0.0), probs.get("kk", 0.0)
    return kk / (ru + kk) if ru + kk > 0 else 0.5


def calibrated(p_kk: float, threshold: float) -> float:
    """P(kk) with the prior moved so that ``threshold`` becomes even odds (``threshold`` 0.5: unchanged).

    Whisper learnt from far more Russian than Kazakh; a deployment that has labelled
    calls can set ``kk_threshold`` (``TranscribeOptions``) to the probability its
    Kazakh speech reaches (``python bench/language_detect.py`` measures it).
    """
    p = min(max(p_kk, 1e-6), 1 - 1e-6)
    t = min(max(threshold, 1e-6), 1 - 1e-6)
    odds = (p / (1 - p)) / (t / (1 - t))
    return odds / (1 + odds)


def chunk_languages(model, channels: Sequence[np.ndarray], chunks: Sequence, pieces: Sequence[tuple[int, int]],
                    piece_audio: Sequence[np.ndarray], threshold: float = 0.5) -> list[str]:
    """The language of each chunk (see the module's docstring).

    pieces: (first, last) chunk index of each piece; piece_audio: each piece's packed audio;
    threshold: the P(kk) that counts as even odds (:func:`calibrated`).
    """
    by_tag: dict[Hashable, list[np.ndarray]] = {}
    for c in chunks:
        parts = by_tag.setdefault(c.tag, [])
        if sum(len(p) for p in parts) < WINDOW_S * SAMPLE_RATE:
            parts.append(channels[c.channel][int(c.start * SAMPLE_RATE):int(c.end * SAMPLE_RATE)])
    speaker = {tag: calibrated(kk_probability(model, np.concatenate(parts)), threshold)
               for tag, parts in by_tag.items()}
    log.debug("speakers' P(kk): %s", {str(t): round(p, 3) for t, p in speaker.items()})
    langs = [_pick(speaker[c.tag]) for c in chunks]
    for (first, last), audio in zip(pieces, piece_audio, strict=True):
        tags = {chunks[i].tag for i in range(first, last + 1)}
        if len(tags) > 1:
            continue  # both speakers in one window: it cannot tell whose language it hears; each keeps theirs
        p = calibrated(kk_probability(model, audio), threshold)
        lang = _pick(p) if p >= SWITCH or p <= 1 - SWITCH else _pick((p + speaker[next(iter(tags))]) / 2)
        for i in range(first, last + 1):
            langs[i] = lang
    return langs


def _pick(p_kk: float) -> str:
    return "kk" if p_kk > 0.5 else "ru"


def call_language(utterances: Sequence[Utterance]) -> str:
    """``ru``, ``kk``, ``mixed`` or ``unknown`` from the words of utterances that carry a language."""
    words = dict.fromkeys(CHOICES, 0)
    for u in utterances:
        if u.language in words:
            words[u.language] += len(u.text.split())
    total = sum(words.values())
    if total == 0:
        return "unknown"
    minority = min(words.values())
    if minority >= MIN_WORDS and minority >= MIXED_SHARE * total:
        return "mixed"
    return max(words, key=lambda k: words[k])
