"""Speech to text: the speech of a call packed into one stream, Whisper, words mapped back.

A :class:`Recognizer` holds one loaded model (one per worker process, never one
per call).  Silero VAD finds the speech on each channel; the speech chunks of
all channels, in time order, are packed into one stream with short gaps, so
the model decodes each second of speech once and no 30 s window is spent on
silence or on half-empty tails of a channel.  Every recognised word is mapped
back, through the chunk it fell in, to its channel (or voice) and its time in
the recording; words of one chunk group into utterances.

The packed stream is cut into pieces of at most ``PIECE_S`` and decoded by
faster-whisper's ``BatchedInferencePipeline``, ``batch_size`` pieces at a time,
one pass each, with the department's terms as the prompt.  A piece whose text
fails a guard (:mod:`transcription.guards`: a loop, an echo of the prompt, a
low log-probability; or a stretch of speech left without a word) is decoded again alone by the plain decoder, once,
without the prompt and without Whisper's temperature fallback (none when the first pass is hopeless); segments that
still look invented are dropped.  A piece left with no word even then (the base model loops on long stretches of
Kazakh) is decoded once more chunk by chunk.
"""
from __future__ import annotations

import bisect
import logging
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np

from transcription import guards
from transcription.audio import SAMPLE_RATE
from transcription.language import CHOICES, chunk_languages, kazakh_decoding, kazakh_segments
from transcription.model import describe, load_model, pick_runtime
from transcription.options import TranscribeOptions
from transcription.schema import Utterance, Word

log = logging.getLogger(__name__)

# a pause at least this long (s) between two words of one chunk starts a new utterance
PAUSE_S = 1.0
# Whisper's fallback temperatures (faster-whisper's default)
TEMPERATURES = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
# silence put between packed chunks, so that words of two chunks do not run together
GAP_S = 0.2
# the batched decoder gets pieces of the packed stream at most this long
PIECE_S = 28.0
# a chunk with this much speech (s) and no word decoded on it sends its piece to the plain decoder
MISSED_SPEECH_S = 1.0
# the batched decoder may report a piece's start this much early (rounded to its frames)
PIECE_SLACK_S = 0.05
# Silero VAD for the packed stream: close cuts, little padding (a 2 s silence
# rule and 0.4 s pads, faster-whisper's defaults, decode much
# silence twice over); chunks are cut before the batched decoder's piece length.
VAD = {"min_silence_duration_ms": 500, "speech_pad_ms": 200, "min_speech_duration_ms": 150,
       "max_speech_duration_s": 28.0}


@dataclass(frozen=True)
class Chunk:
    """A stretch of speech (seconds) on one channel; ``tag`` says whose it is (speaker or voice)."""

    start: float
    end: float
    channel: int = 0
    tag: Hashable = None


def speech_chunks(audio: np.ndarray, channel: int = 0, tag: Hashable = None, **vad: float) -> list[Chunk]:
    """The speech stretches of one channel, by Silero VAD."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if not np.any(audio):
        return []
    opts = VadOptions(**{**VAD, **vad})
    return [Chunk(t["start"] / SAMPLE_RATE, t["end"] / SAMPLE_RATE, channel, tag)
            for t in get_speech_timestamps(audio, opts)]


@dataclass
class _Packed:
    audio: np.ndarray
    chunks: list[Chunk]
    starts: list[float]      # where each chunk begins in the packed stream (s)

    def locate(self, t: float, within: tuple[int, int] | None = None) -> int:
        """The chunk that packed time ``t`` falls in (or the nearest before it).

        within: the first and last chunk the answer may be (those of the piece
        decoded): a word the aligner puts a little past its piece stays in it.
        """
        i = max(0, bisect.bisect_right(self.starts, t) - 1)
        return i if within is None else min(max(i, within[0]), within[1])

    def span(self, piece: dict) -> tuple[int, int]:
        """The first and last chunk of a piece of :meth:`pieces`."""
        return self.locate(piece["start"] + 1e-6), self.locate(piece["end"] - 1e-6)

    def to_recording(self, i: int, t: float) -> float:
        c = self.chunks[i]
        return min(max(c.start + (t - self.starts[i]), c.start), c.end)

    def pieces(self) -> list[dict]:
        """Consecutive runs of chunks of at most ``PIECE_S`` (packed seconds), for the batched decoder."""
        out: list[dict] = []
        for i, c in enumerate(self.chunks):
            a, b = self.starts[i], self.starts[i] + (c.end - c.start)
            if out and b - out[-1]["start"] <= PIECE_S:
                out[-1]["end"] = b
            else:
                out.append({"start": a, "end": b})
        return out


def pack(channels: list[np.ndarray], chunks: list[Chunk]) -> _Packed:
    """The chunks' audio, in time order, one after another with ``GAP_S`` of silence between."""
    chunks = sorted(chunks, key=lambda c: (c.start, c.channel))
    gap = np.zeros(int(GAP_S * SAMPLE_RATE), np.float32)
    parts, starts, at = [], [], 0.0
    for c in chunks:
        a, b = int(c.start * SAMPLE_RATE), int(c.end * SAMPLE_RATE)
        piece = channels[c.channel][a:b]
        starts.append(at)
        parts += [piece, gap]
        at += (len(piece) + len(gap)) / SAMPLE_RATE
    audio = np.concatenate(parts) if parts else np.zeros(0, np.float32)
    return _Packed(audio.astype(np.float32), chunks, starts)


def _missed(packed: _Packed, within: tuple[int, int], got: list[tuple[Hashable, Utterance]]) -> str | None:
    """A chunk of the piece with at least ``MISSED_SPEECH_S`` of speech and not one word on it.

    Decoding without timestamps, the batched decoder sometimes stops after
    the first sentence of a piece; the rest of the piece comes out empty.
    """
    for i in range(within[0], within[1] + 1):
        c = packed.chunks[i]
        if c.end - c.start >= MISSED_SPEECH_S and not any(
                tag == c.tag and u.start < c.end and u.end > c.start for tag, u in got):
            return f"no words for the speech at {c.start:.1f}-{c.end:.1f} s"
    return None


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

    def use_batched(self, packed_s: float) -> bool:
        limit = self.opts.batched_min_s
        return limit >= 0 and packed_s >= limit

    def _kwargs(self, language: str | None = None) -> dict:
        o = self.opts
        kw = {
            "language": language or o.language,
            "beam_size": o.beam_size,
            "word_timestamps": True,  # needed to map words back to their chunk
            "condition_on_previous_text": False,
            "no_speech_threshold": o.no_speech_threshold,
            "compression_ratio_threshold": o.compression_ratio_threshold,
            "log_prob_threshold": o.logprob_threshold,
            "vad_filter": False,      # the chunks are the VAD's already
            "temperature": TEMPERATURES if o.temperature_fallback else 0.0,
        }
        if o.hotwords:
            kw["hotwords"] = o.hotwords
        if o.prompt:
            kw["initial_prompt"] = o.prompt
        if o.kk_decode and kw["language"] == "kk":
            kw = kazakh_decoding(kw)
        return kw

    def _kk(self, segments, language: str | None):
        """Kazakh segments with their loops cut off (``transcription.language``), others as decoded."""
        return kazakh_segments(segments) if language == "kk" and self.opts.kk_decode else segments

    def recognize(self, channels: list[np.ndarray], chunks: list[Chunk]) -> list[tuple[Hashable, Utterance]]:
        """(tag, utterance) for the speech in ``chunks`` of ``channels``, in time order.

        With ``language = "auto"`` each chunk's language is found first (:mod:`transcription.language`)
        and the chunks of each language are decoded together in it; every utterance carries its language.
        """
        if not chunks:
            return []
        if self.opts.language != "auto":
            out = self._recognize(channels, chunks, self.opts.language)
        else:
            packed = pack(channels, chunks)
            pieces = packed.pieces()
            spans = [packed.span(p) for p in pieces]
            audio = [packed.audio[int(p["start"] * SAMPLE_RATE):int(p["end"] * SAMPLE_RATE)] for p in pieces]
            langs = chunk_languages(self.model, channels, packed.chunks, spans, audio, self.opts.kk_threshold)
            out = []
            for lang in CHOICES:
                group = [c for c, la in zip(packed.chunks, langs, strict=True) if la == lang]
                if group:
                    out += self._recognize(channels, group, lang)
        out.sort(key=lambda tu: (tu[1].start, tu[1].end))
        return out

    def _recognize(self, channels: list[np.ndarray], chunks: list[Chunk],
                   language: str) -> list[tuple[Hashable, Utterance]]:
        """The chunks decoded in one language; each utterance is marked with it."""
        packed = pack(channels, chunks)
        if self.use_batched(len(packed.audio) / SAMPLE_RATE):
            out = self._decode_batched(packed, language)
        else:  # no prompt: only the batched path checks its pieces for echoes of it
            segments, _ = self.model.transcribe(packed.audio, **{**self._kwargs(language), "initial_prompt": None})
            out = [tu for s in self._kk(segments, language) for tu in self._utterances(s, packed)]
        for _, u in out:
            u.language = language if language in CHOICES else None
        return out

    def _decode_batched(self, packed: _Packed, language: str | None = None) -> list[tuple[Hashable, Utterance]]:
        """Pieces decoded ``batch_size`` at a time; a piece that fails a guard is decoded again alone."""
        kw = self._kwargs(language)
        pieces = packed.pieces()
        segments, _ = self.batched.transcribe(packed.audio, batch_size=self.opts.batch_size,
                                              clip_timestamps=pieces, without_timestamps=True, **kw)
        by_piece: dict[int, list] = {}
        starts = [p["start"] - PIECE_SLACK_S for p in pieces]
        for seg in self._kk(segments, language):
            by_piece.setdefault(max(0, bisect.bisect_right(starts, seg.start) - 1), []).append(seg)
        out = []
        for k, piece in enumerate(pieces):
            within = packed.span(piece)
            segs = by_piece.get(k, [])
            got = [tu for seg in segs for tu in self._utterances(seg, packed, within=within)]
            why = self._suspect(segs, [u for _, u in got], kw.get("initial_prompt") or "") or \
                _missed(packed, within, got)
            if why and self._hopeless(segs):
                log.debug("piece %.1f-%.1f not decoded again: hopeless (%s)", piece["start"], piece["end"], why)
                why = None  # a second pass would not hear it either: the rules abstain on it instead
            if why:
                said = [sg.avg_logprob for sg in segs if (sg.text or "").strip()]
                log.debug("piece %.1f-%.1f decoded again alone: %s (best avg log-probability %s)", piece["start"],
                          piece["end"], why, f"{max(said):.2f}" if said else "none")
                got = self._decode_alone(packed, piece, within, kw)
                if not got and within[1] > within[0]:
                    # nothing left even alone (the base model loops on long Kazakh pieces): chunk by chunk
                    log.debug("piece %.1f-%.1f decoded chunk by chunk", piece["start"], piece["end"])
                    got = [tu for i in range(within[0], within[1] + 1)
                           for tu in self._decode_alone(packed, self._chunk_piece(packed, i), (i, i), kw)]
            out += got
        return out

    @staticmethod
    def _chunk_piece(packed: _Packed, i: int) -> dict:
        c = packed.chunks[i]
        return {"start": packed.starts[i], "end": packed.starts[i] + (c.end - c.start)}

    def _suspect(self, segments: list, utterances: list[Utterance], prompt: str) -> str | None:
        """Why a batch-decoded piece should be decoded again (None if it looks right)."""
        for seg in segments:
            reason = guards.dropped(seg, self.opts)
            if reason not in (None, "empty"):
                return reason
        for u in utterances:
            if guards.looping(u.text, self.opts.compression_ratio_threshold):
                return f"loop {u.text[:40]!r}"
            if guards.echoes(u.text, prompt):
                return f"prompt echoed {u.text[:40]!r}"
        return None

    def _hopeless(self, segments: list) -> bool:
        """The first pass heard nothing a second one could save: every segment with words decoded below
        ``hopeless_logprob`` (or nothing at all said with words and the model sure it was silence)."""
        said = [s for s in segments if (s.text or "").strip()]
        if not said:
            return bool(segments) and all(s.no_speech_prob >= self.opts.no_speech_threshold for s in segments)
        return all(s.avg_logprob < self.opts.hopeless_logprob for s in said)

    def _decode_alone(self, packed: _Packed, piece: dict, within: tuple[int, int],
                      kw: dict) -> list[tuple[Hashable, Utterance]]:
        """One piece by the plain decoder, once: no prompt, no temperature fallback (at most one second pass
        per piece, so bad audio stays cheap), guards."""
        a, b = int(piece["start"] * SAMPLE_RATE), int(piece["end"] * SAMPLE_RATE)
        segments, _ = self.model.transcribe(packed.audio[a:b], **{**kw, "initial_prompt": None, "temperature": 0.0})
        segments = self._kk(segments, kw.get("language"))
        got = [tu for seg in segments for tu in self._utterances(seg, packed, piece["start"], within)]
        return [tu for tu in got if not guards.looping(tu[1].text, self.opts.compression_ratio_threshold)]

    def _utterances(self, seg, packed: _Packed, offset: float = 0.0,
                    within: tuple[int, int] | None = None) -> list[tuple[Hashable, Utterance]]:
        """The segment's words, mapped back and grouped into utterances (chunk and pause bounded).

        offset: where in the packed stream the audio the segment was decoded from begins.
        """
        reason = guards.dropped(seg, self.opts)
        if reason:
            log.debug("dropped segment %.1f-%.1f %r: %s", seg.start, seg.end, seg.text, reason)
            return []
        runs: list[tuple[int, list[tuple[Word, str]]]] = []
        for w in seg.words or []:
            if not w.word.strip():
                continue
            i = packed.locate(offset + (w.start + w.end) / 2, within)
            word = Word(w.word.strip(), packed.to_recording(i, offset + w.start),
                        packed.to_recording(i, offset + w.end),
                        float(w.probability))
            if runs and runs[-1][0] == i and word.start - runs[-1][1][-1][0].end <= PAUSE_S:
                runs[-1][1].append((word, w.word))
            else:
                runs.append((i, [(word, w.word)]))
        out = []
        for i, run in runs:
            words = [w for w, _ in run]
            out.append((packed.chunks[i].tag, Utterance(
                speaker="unknown", start=words[0].start, end=words[-1].end,
                text="".join(raw for _, raw in run).strip(),
                words=words if self.opts.word_timestamps else None,
                avg_logprob=float(seg.avg_logprob), no_speech_prob=float(seg.no_speech_prob))))
        return out
