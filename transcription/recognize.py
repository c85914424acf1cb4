"""Speech to text for one channel: Whisper with VAD, word times and hallucination guards.

A :class:`Recognizer` holds one loaded model (one per worker process, never one
per call) and turns a 16 kHz channel into utterances whose times are seconds
from the start of the recording.  Segments that look invented (Whisper "hears"
text in noise) are dropped: a high no-speech probability, a high compression
ratio (the same words repeated) or a very low average log-probability.
"""
from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass

import numpy as np

from transcription.audio import SAMPLE_RATE
from transcription.model import describe, load_model, pick_runtime
from transcription.options import TranscribeOptions
from transcription.schema import Utterance, Word

log = logging.getLogger(__name__)

# avg_logprob below the option's threshold by this much is dropped even when
# Whisper is sure there is speech: such text is mostly invented.
LOGPROB_HARD_MARGIN = 0.5
# a pause at least this long (s) between two words of a segment starts a new utterance
PAUSE_S = 1.0


@dataclass(frozen=True)
class Clip:
    """A stretch of a channel to decode on its own (seconds)."""

    start: float
    end: float


class Recognizer:
    """One loaded Whisper model and the settings to run it with."""

    def __init__(self, opts: TranscribeOptions, model=None) -> None:
        self.opts = opts
        self.runtime = pick_runtime(opts)
        self.model = model if model is not None else load_model(opts, self.runtime)
        self.description = describe(opts, self.runtime)
        self._batched = None

    @property
    def batched(self):
        if self._batched is None:
            from faster_whisper import BatchedInferencePipeline

            self._batched = BatchedInferencePipeline(self.model)
        return self._batched

    def use_batched(self, duration_s: float) -> bool:
        limit = self.opts.batched_min_s
        return limit >= 0 and duration_s >= limit

    def _kwargs(self) -> dict:
        o = self.opts
        kw = {
            "language": o.language,
            "beam_size": o.beam_size,
            "word_timestamps": o.word_timestamps,
            "condition_on_previous_text": False,
            "no_speech_threshold": o.no_speech_threshold,
            "compression_ratio_threshold": o.compression_ratio_threshold,
            "log_prob_threshold": o.logprob_threshold,
        }
        if o.hotwords:
            kw["hotwords"] = o.hotwords
        return kw

    def recognize(self, audio: np.ndarray, clips: list[Clip] | None = None, speaker: str = "unknown") -> list[Utterance]:
        """Utterances (one per kept Whisper segment) of ``audio``, tagged ``speaker``.

        ``clips``: decode only these stretches (the caller's VAD); else Silero
        VAD picks the speech when ``opts.vad`` is on.
        """
        duration = len(audio) / SAMPLE_RATE
        if duration == 0 or not np.any(audio):
            return []
        if clips is not None and not clips:
            return []
        kw = self._kwargs()
        if self.use_batched(duration):
            if clips is not None:
                kw["clip_timestamps"] = [{"start": c.start, "end": c.end} for c in clips]
            else:
                kw["vad_filter"] = self.opts.vad
            segments, _ = self.batched.transcribe(audio, batch_size=self.opts.batch_size, **kw)
        else:
            if clips is not None:
                kw["clip_timestamps"] = [t for c in clips for t in (c.start, c.end)]
            else:
                kw["vad_filter"] = self.opts.vad
            segments, _ = self.model.transcribe(audio, **kw)
        return [u for s in segments for u in self._utterances(s, speaker)]

    def _utterances(self, seg, speaker: str) -> list[Utterance]:
        """The segment as utterances (split at pauses), or none if it looks invented."""
        o = self.opts
        text = seg.text.strip()
        reason = None
        if not text:
            reason = "empty"
        elif seg.compression_ratio > o.compression_ratio_threshold:
            reason = f"compression ratio {seg.compression_ratio:.2f}"
        elif seg.no_speech_prob > o.no_speech_threshold and seg.avg_logprob < o.logprob_threshold:
            reason = f"no-speech probability {seg.no_speech_prob:.2f}"
        elif seg.avg_logprob < o.logprob_threshold - LOGPROB_HARD_MARGIN:
            reason = f"avg log-probability {seg.avg_logprob:.2f}"
        if reason:
            log.debug("dropped segment %.1f-%.1f %r: %s", seg.start, seg.end, text, reason)
            return []
        common = {"speaker": speaker, "avg_logprob": float(seg.avg_logprob), "no_speech_prob": float(seg.no_speech_prob)}
        raw = [w for w in (seg.words or []) if w.word.strip()]
        if not raw:
            return [Utterance(start=float(seg.start), end=float(seg.end), text=text, **common)]
        words = [Word(w.word.strip(), float(w.start), float(w.end), float(w.probability)) for w in raw]
        spelled = {id(word): w.word for word, w in zip(words, raw)}  # with Whisper's own spacing
        return [Utterance(start=run[0].start, end=run[-1].end, words=run,
                          text="".join(spelled[id(w)] for w in run).strip(), **common)
                for run in split_at_pauses(words, PAUSE_S)]


def split_at_pauses(words: list[Word], pause_s: float) -> list[list[Word]]:
    """Runs of words with no gap longer than ``pause_s`` between them.

    Whisper decodes VAD-joined speech in 30 s windows, so one segment can span
    several turns of a side; the pauses between turns split it back.
    """
    runs: list[list[Word]] = [[words[0]]]
    for prev, w in itertools.pairwise(words):
        if w.start - prev.end > pause_s:
            runs.append([w])
        else:
            runs[-1].append(w)
    return runs
