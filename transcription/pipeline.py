"""One recording in, one transcript out: layout, channels, recognition, speakers.

Stereo: each channel is one side of the call (operator left by default); both
are recognised separately, bled copies are removed, and the utterances are
merged by time.  Mono (or a "stereo" file whose two channels are the same):
the speech stretches are split into two voices and the roles assigned by
:mod:`transcription.roles`; each voice's stretches are decoded as pieces of
their own (``TranscribeOptions.mono_by_voice``), so that a voice Whisper
cannot read does not take the other voice's sentences in its window with it.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import numpy as np

from core.errors import OkaError
from transcription import bleed, roles
from transcription.audio import SAMPLE_RATE, Audio, decode
from transcription.language import call_language
from transcription.options import TranscribeOptions
from transcription.recognize import Chunk, Recognizer, speech_chunks
from transcription.schema import LAYOUTS, Transcript, Utterance

log = logging.getLogger(__name__)

DUAL_MONO_TOLERANCE = 1e-3  # channels this close (RMS of the difference / RMS) are one signal


def dual_mono(audio: Audio) -> bool:
    """True when a two-channel file carries the same signal twice."""
    if not audio.stereo:
        return False
    left, right = audio.channels
    ref = float(np.sqrt(np.mean(left.astype(np.float64) ** 2))) + 1e-12
    diff = float(np.sqrt(np.mean((left.astype(np.float64) - right) ** 2)))
    return diff / ref < DUAL_MONO_TOLERANCE


def choose_layout(audio: Audio, wanted: str, source: str = "recording") -> str:
    """The layout to transcribe with: ``wanted`` (``auto`` or a contract layout) fitted to the file."""
    if wanted not in ("auto", *LAYOUTS):
        raise OkaError(f"layout {wanted!r}: use auto, {', '.join(LAYOUTS)}")
    if not audio.stereo or dual_mono(audio):
        if wanted.startswith("stereo"):
            log.warning("%s: asked for %s but the recording has one voice channel; transcribing it as mono",
                        source, wanted)
        return "mono"
    return "stereo-operator-left" if wanted == "auto" else wanted


class Transcriber:
    """Holds one recognizer (one model) and transcribes recordings with it."""

    def __init__(self, opts: TranscribeOptions, recognizer: Recognizer | None = None) -> None:
        self.opts = opts
        self.recognizer = recognizer or Recognizer(opts)

    @property
    def description(self) -> str:
        return self.recognizer.description

    def transcribe(self, path: Path, call_id: str | None = None) -> Transcript:
        """Transcribe ``path``; raises :class:`transcription.audio.AudioError` if it cannot be decoded."""
        path = Path(path)
        audio = decode(path)
        layout = choose_layout(audio, self.opts.layout, str(path))
        if layout == "mono":
            utts = self._mono(audio.mono())
        else:
            utts = self._stereo(audio, operator_left=layout == "stereo-operator-left")
        utts.sort(key=lambda u: (u.start, u.end))
        language = call_language(utts) if self.opts.language == "auto" else self.opts.language
        return Transcript(call_id=call_id or path.stem, duration_s=audio.duration_s,
                          language=language, layout=layout, utterances=utts)

    def _chunks(self, audio: np.ndarray, channel: int, tag) -> list[Chunk]:
        if self.opts.vad:
            return speech_chunks(audio, channel, tag)
        return [Chunk(0.0, len(audio) / SAMPLE_RATE, channel, tag)] if np.any(audio) else []

    def _stereo(self, audio: Audio, operator_left: bool) -> list[Utterance]:
        left, right = audio.channels
        gl, gr, share = bleed.gate(left, right, self.opts.bleed_gate_db)
        if share:
            log.debug("bleed gate silenced %.1f%% of frames", 100 * share)
        names = ("operator", "customer") if operator_left else ("customer", "operator")
        chunks = self._chunks(gl, 0, names[0]) + self._chunks(gr, 1, names[1])
        tagged = self.recognizer.recognize([gl, gr], chunks)
        for speaker, u in tagged:
            u.speaker = speaker
        ul = [u for _, u in tagged if u.speaker == names[0]]
        ur = [u for _, u in tagged if u.speaker == names[1]]
        ul, ur, dropped = bleed.drop_copies(ul, ur, left, right, self.opts.bleed_similarity)
        if dropped:
            log.info("dropped %d bled utterance(s)", dropped)
        return ul + ur

    def _mono(self, audio: np.ndarray) -> list[Utterance]:
        chunks = roles.speech_chunks(audio) if self.opts.vad else self._chunks(audio, 0, None)
        if not chunks:
            return []
        voices = roles.cluster_voices(audio, chunks, self.opts.role_min_margin)
        chunks = [replace(c, tag=v) for c, v in zip(chunks, voices.labels, strict=True)]
        # each voice apart; one "voice" (the two not told apart) is packed in time order, GAP_S between its turns
        by_voice = self.opts.mono_by_voice and len(set(voices.labels)) > 1
        tagged = self.recognizer.recognize([audio], chunks, by_speaker=by_voice)
        utts = [u for _, u in tagged]
        how = roles.assign_roles(utts, [v for v, _ in tagged], tuple(self.opts.operator_greeting))
        log.debug("mono roles: separation %.2f, operator found by %s", voices.separation, how)
        return utts
