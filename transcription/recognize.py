"""Speech to text: the speech of a call packed into one stream, Whisper, words mapped back.

A :class:`Recognizer` holds one loaded model (one per worker process, never one
per call).  Silero VAD finds the speech on each channel; the speech chunks of
all channels, in time order, are packed into one stream with short gaps, so
the model decodes each second of speech once and no 30 s window is spent on
silence or on half-empty tails of a channel.  With ``--language auto`` and the
``pack_by_speaker`` option (off by default: it costs the customers' side accuracy) they may
be packed speaker by speaker instead (:func:`language_packing`, where that
saves windows): a speaker's speech that fits one window is then the very window
the language code encodes for them, and the encoder runs on it once for their
language and their words (:mod:`transcription.encoder_cache`).  A mono call's two voices are always packed
apart (``recognize(..., by_speaker=True)``, ``TranscribeOptions.mono_by_voice``): a voice the model cannot
read then does not take the other's sentences in its window with it.  Every recognised word is mapped
back, through the chunk it fell in, to its channel (or voice) and its time in
the recording; words of one chunk group into utterances.

The packed stream is cut into pieces of at most ``PIECE_S`` and decoded by
faster-whisper's ``BatchedInferencePipeline``, ``batch_size`` pieces at a time,
one pass each, with the department's terms as the prompt.  A piece whose text
fails a guard (:mod:`transcription.guards`: a loop, an echo of the prompt, a
low log-probability; or a stretch of speech left without a word) is decoded again alone by the plain decoder, once,
without the prompt and without Whisper's temperature fallback; segments that still look invented are dropped.  A
hopeless piece (:mod:`transcription.audibility`: speech barely above the line's noise) is not decoded again: its
invented text is dropped and the rules abstain on the rest.  At most one second pass per piece, so that bad audio
stays cheap, and one that loops stops there (:mod:`transcription.loop_stop`: no window of it decoded after the
loop); ``extra_passes`` adds the old passes after it (a piece left with no word decoded chunk by chunk, the
speech a loop swallowed decoded once more).
"""
from __future__ import annotations

import bisect
import logging
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np

from transcription import audibility, encoder_cache, guards, loop_stop
from transcription.audio import SAMPLE_RATE
from transcription.language import CHOICES, WINDOW_S, chunk_languages, kazakh_decoding, kazakh_segments
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


def _seconds(n: int) -> float:
    """Sample ``n`` as seconds that ``int(t * SAMPLE_RATE)`` turns back into ``n`` (faster-whisper cuts clips so)."""
    t = n / SAMPLE_RATE
    return t if int(t * SAMPLE_RATE) == n else (n + 0.5) / SAMPLE_RATE


@dataclass
class _Packed:
    audio: np.ndarray
    chunks: list[Chunk]
    starts: list[float]      # where each chunk begins in the packed stream (s)
    bounds: list[tuple[int, int]] = field(default_factory=list)  # each chunk's first and end sample there
    by_speaker: bool = False  # pieces never hold two speakers' chunks

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
        """Consecutive runs of chunks of at most ``PIECE_S`` (packed seconds), for the batched decoder.

        Packed by speaker: runs of one speaker's chunks of up to Whisper's whole window (``WINDOW_S``,
        the language code's too), so that a speaker who says up to 30 s is one piece.

        A piece starts and ends on a chunk's own samples (``int(t * SAMPLE_RATE)`` gives them back), so
        the audio it cuts is exactly those chunks' (and, packed by speaker, a speaker's whole speech when
        it fits: the very window the language code encodes).
        """
        out: list[dict] = []
        longest = WINDOW_S if self.by_speaker else PIECE_S
        for i, (a, b) in enumerate(self.bounds):
            same = not self.by_speaker or (i > 0 and self.chunks[i - 1].tag == self.chunks[i].tag)
            if out and same and (b - out[-1]["first"]) / SAMPLE_RATE <= longest:
                out[-1]["last"] = b
            else:
                out.append({"first": a, "last": b})
        return [{"start": _seconds(p["first"]), "end": _seconds(p["last"])} for p in out]


def pack(channels: list[np.ndarray], chunks: list[Chunk], by_speaker: bool = False) -> _Packed:
    """The chunks' audio, one after another with ``GAP_S`` of silence between.

    In time order; or, ``by_speaker``, each speaker's (tag's) chunks in time order
    with no silence between them (each chunk keeps the VAD's padding), the
    speakers in the order they first speak and ``GAP_S`` between them: each
    speaker's speech is then the stream the language code hears for them
    (:func:`transcription.language.chunk_languages`), and one encoder pass serves both.
    """
    chunks = sorted(chunks, key=lambda c: (c.start, c.channel))
    if by_speaker:
        first: dict[Hashable, int] = {}
        for c in chunks:
            first.setdefault(c.tag, len(first))
        chunks.sort(key=lambda c: first[c.tag])  # stable: time order within a speaker
    clips = [channels[c.channel][int(c.start * SAMPLE_RATE):int(c.end * SAMPLE_RATE)] for c in chunks]
    gaps = [not by_speaker or k + 1 == len(chunks) or chunks[k + 1].tag != c.tag for k, c in enumerate(chunks)]
    audio, starts, bounds = _joined(clips, gaps)
    return _Packed(audio, chunks, starts, bounds, by_speaker)


def _joined(clips: list[np.ndarray], gaps: list[bool]) -> tuple[np.ndarray, list[float], list[tuple[int, int]]]:
    """The clips one after another, ``GAP_S`` of silence after those marked in ``gaps``; each clip's start (s)
    and first and end sample in the result."""
    gap = np.zeros(int(GAP_S * SAMPLE_RATE), np.float32)
    parts, starts, bounds, at = [], [], [], 0
    for clip, gap_after in zip(clips, gaps, strict=True):
        starts.append(at / SAMPLE_RATE)
        bounds.append((at, at + len(clip)))
        parts += [clip, gap] if gap_after else [clip]
        at += len(clip) + (len(gap) if gap_after else 0)
    audio = np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)
    return audio, starts, bounds


def language_packing(channels: list[np.ndarray], chunks: list[Chunk]) -> _Packed:
    """The packing that sends the fewest windows through the encoder when the language is to be found.

    The language code encodes each speaker's first 30 s and each one-speaker
    piece; the decoder, each piece.  In time order every speaker's window is one
    more; packed by speaker, a speaker whose whole speech is one piece costs none
    (:mod:`transcription.encoder_cache`).  On a tie, time order: a piece that holds
    both sides of the conversation decodes at least as well.
    """
    in_time = pack(channels, chunks)
    by_speaker = pack(channels, chunks, by_speaker=True)
    speakers = {c.tag for c in chunks}
    pieces_of: dict[Hashable, int] = {}
    for first, _ in map(by_speaker.span, by_speaker.pieces()):
        tag = by_speaker.chunks[first].tag
        pieces_of[tag] = pieces_of.get(tag, 0) + 1
    shared = sum(n == 1 for n in pieces_of.values())
    if len(by_speaker.pieces()) + len(speakers) - shared < len(in_time.pieces()) + len(speakers):
        return by_speaker
    return in_time


def packing(channels: list[np.ndarray], chunks: list[Chunk], by_speaker: bool) -> _Packed:
    """The packing of a call whose language is to be found: in time order, or by speaker where asked and it saves."""
    return language_packing(channels, chunks) if by_speaker else pack(channels, chunks)


def _silent(packed: _Packed, within: tuple[int, int], got: list[tuple[Hashable, Utterance]]) -> list[int]:
    """The piece's chunks with at least ``MISSED_SPEECH_S`` of speech and not one word on them."""
    return [i for i in range(within[0], within[1] + 1)
            if packed.chunks[i].end - packed.chunks[i].start >= MISSED_SPEECH_S and not any(
                tag == packed.chunks[i].tag and u.start < packed.chunks[i].end and u.end > packed.chunks[i].start
                for tag, u in got)]


def _missed(packed: _Packed, within: tuple[int, int], got: list[tuple[Hashable, Utterance]]) -> str | None:
    """Why a piece looks cut short: a chunk with at least ``MISSED_SPEECH_S`` of speech and not one word on it.

    Decoding without timestamps, the batched decoder sometimes stops after
    the first sentence of a piece; the rest of the piece comes out empty.
    """
    silent = _silent(packed, within, got)
    if silent:
        c = packed.chunks[silent[0]]
        return f"no words for the speech at {c.start:.1f}-{c.end:.1f} s"
    return None


def _subpack(packed: _Packed, indices: list[int]) -> _Packed:
    """Some of a packing's chunks, packed again one after another with ``GAP_S`` of silence between."""
    audio, starts, bounds = _joined([packed.audio[slice(*packed.bounds[i])] for i in indices], [True] * len(indices))
    return _Packed(audio, [packed.chunks[i] for i in indices], starts, bounds)


class Recognizer:
    """One loaded Whisper model and the settings to run it with."""

    def __init__(self, opts: TranscribeOptions, model=None) -> None:
        self.opts = opts
        self.runtime = pick_runtime(opts)
        self.model = model if model is not None else load_model(opts, self.runtime)
        self.encoder = encoder_cache.caching(self.model, opts.trim_padding)  # each window encoded once per call
        self.description = describe(opts, self.runtime)
        self._batched = None

    @property
    def batched(self):
        if self._batched is None:
            from faster_whisper import BatchedInferencePipeline

            self._batched = BatchedInferencePipeline(self.encoder)
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
            # as given, without the leading space faster-whisper's plain decoder adds (" " + prompt.strip()) and
            # its batched decoder does not: with the space the batched decoder wrote the bench's mono greetings'
            # «Алматинские» right (in-sample operator WER 39.0 -> 37.2 %, customer 33.5 -> 35.6 %), but neither
            # held-out half gained (test: WER equal, recall 0.143 -> 0.095; dev: recall 0.263 -> 0.158)
            kw["initial_prompt"] = o.prompt
        if self._kazakh_way(kw["language"]):
            kw = kazakh_decoding(kw, o.kk_prompt)
        return kw

    def _kazakh_way(self, language: str | None) -> bool:
        """Pieces in ``language`` are decoded the Kazakh way (``kk_decode``: :mod:`transcription.language`)."""
        return language == "kk" and self.opts.kk_decode

    def _kk(self, segments, language: str | None):
        """Kazakh segments with their loops cut off (``transcription.language``), others as decoded."""
        return kazakh_segments(segments) if self._kazakh_way(language) else segments

    def recognize(self, channels: list[np.ndarray], chunks: list[Chunk],
                  by_speaker: bool = False) -> list[tuple[Hashable, Utterance]]:
        """(tag, utterance) for the speech in ``chunks`` of ``channels``, in time order.

        With ``language = "auto"`` each chunk's language is found first (:mod:`transcription.language`)
        and the chunks of each language are decoded together in it; every utterance carries its language.
        by_speaker: every piece holds one speaker's (tag's) chunks only (:func:`pack`), whatever that costs
        (mono calls: :mod:`transcription.pipeline`).
        """
        if not chunks:
            return []
        encoder_cache.forget(self.encoder)
        try:
            if self.opts.language != "auto":
                out = self._recognize(channels, chunks, self.opts.language, by_speaker=by_speaker)
            else:
                # packed by speaker (where asked and that saves windows) so that the encoder runs on each window
                # once, for the speaker's language, the piece's language and the words; else in time order
                packed = pack(channels, chunks, by_speaker=True) if by_speaker else \
                    packing(channels, chunks, self.opts.pack_by_speaker)
                pieces = packed.pieces()
                spans = [packed.span(p) for p in pieces]
                audio = [packed.audio[int(p["start"] * SAMPLE_RATE):int(p["end"] * SAMPLE_RATE)] for p in pieces]
                langs = chunk_languages(encoder_cache.for_language(self.encoder), channels, packed.chunks, spans,
                                        audio, self.opts.kk_threshold, shared=packed.by_speaker)
                out = []
                for lang in CHOICES:
                    group = [c for c, la in zip(packed.chunks, langs, strict=True) if la == lang]
                    if group:
                        out += self._recognize(channels, group, lang, by_speaker=packed.by_speaker)
        finally:
            encoder_cache.forget(self.encoder)
        out.sort(key=lambda tu: (tu[1].start, tu[1].end))
        return out

    def _recognize(self, channels: list[np.ndarray], chunks: list[Chunk], language: str,
                   by_speaker: bool = False) -> list[tuple[Hashable, Utterance]]:
        """The chunks decoded in one language (packed as :func:`pack` says); each utterance is marked with it."""
        packed = pack(channels, chunks, by_speaker)
        if self.use_batched(len(packed.audio) / SAMPLE_RATE):
            out = self._decode_batched(packed, language)
        else:  # no prompt: only the batched path checks its pieces for echoes of it
            segments, _ = self.model.transcribe(packed.audio, **{**self._kwargs(language), "initial_prompt": None})
            segments = guards.without_repeats(self._kk(segments, language))
            out = [tu for s in segments for tu in self._utterances(s, packed)]
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
            hopeless = why and audibility.hopeless(
                packed.audio[int(piece["start"] * SAMPLE_RATE):int(piece["end"] * SAMPLE_RATE)], segs, self.opts)
            if hopeless:
                log.debug("piece %.1f-%.1f not decoded again: hopeless, %s (%s)", piece["start"], piece["end"],
                          hopeless, why)
                # a second pass would not hear it either: what the guards call invented goes, the rules abstain
                got = [tu for tu in got if not self._invented(tu[1], kw.get("initial_prompt") or "")]
                why = None
            if why:
                said = [sg.avg_logprob for sg in segs if (sg.text or "").strip()]
                log.debug("piece %.1f-%.1f decoded again alone: %s (best avg log-probability %s)", piece["start"],
                          piece["end"], why, f"{max(said):.2f}" if said else "none")
                got, looped = self._second_pass(packed, piece, within, kw)
                if self.opts.extra_passes and within[1] > within[0] and not got:
                    got = self._chunk_by_chunk(packed, piece, within, kw)
                elif self.opts.extra_passes and within[1] > within[0] and looped:
                    got += self._after_loop(packed, within, got, kw)
            out += got
        return out

    def _chunk_by_chunk(self, packed: _Packed, piece: dict, within: tuple[int, int],
                        kw: dict) -> list[tuple[Hashable, Utterance]]:
        """A piece that came out empty even alone (the base model loops on long Kazakh pieces), chunk by chunk."""
        log.debug("piece %.1f-%.1f decoded chunk by chunk", piece["start"], piece["end"])
        return [tu for i in range(within[0], within[1] + 1)
                for tu in self._decode_alone(packed, self._chunk_piece(packed, i), (i, i), kw)[0]]

    def _after_loop(self, packed: _Packed, within: tuple[int, int], got: list[tuple[Hashable, Utterance]],
                    kw: dict) -> list[tuple[Hashable, Utterance]]:
        """The speech a loop swallowed (a loop, cut by the guards, takes the rest of its window with it),
        decoded once more: each speaker's chunks that the second pass left without words, as one stream
        per speaker (so that one voice's loop cannot swallow the other's words again).  One pass per
        speaker, whatever it hears, so that bad audio stays cheap.  A pass that merely left a chunk empty,
        without a loop, is left alone: the empty chunk may be the other side's faint copy."""
        silent = _silent(packed, within, got)
        out: list[tuple[Hashable, Utterance]] = []
        for tag in dict.fromkeys(packed.chunks[i].tag for i in silent):
            sub = _subpack(packed, [i for i in silent if packed.chunks[i].tag == tag])
            log.debug("%d s of %s's speech a loop swallowed decoded once more", len(sub.audio) // SAMPLE_RATE, tag)
            out += self._plain(sub.audio, sub, 0.0, (0, len(sub.chunks) - 1), kw)[0]
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
            why = self._invented(u, prompt)
            if why:
                return why
        return None

    def _invented(self, u: Utterance, prompt: str) -> str | None:
        """Why an utterance reads as text the model made up (a loop, the prompt written out), or None."""
        if guards.looping(u.text, self.opts.compression_ratio_threshold):
            return f"loop {u.text[:40]!r}"
        if guards.echoes(u.text, prompt):
            return f"prompt echoed {u.text[:40]!r}"
        return None

    def _second_pass(self, packed: _Packed, piece: dict, within: tuple[int, int],
                     kw: dict) -> tuple[list[tuple[Hashable, Utterance]], bool]:
        """A piece's one second pass: alone (:meth:`_decode_alone`), or, ``second_pass_by_speaker``, each
        speaker's chunks of it as a stream of their own, so that a loop on one voice cannot swallow the
        other's words (what the pass after a loop did, without decoding anything a third time).  A Kazakh
        piece of several chunks (``kk_decode``) chunk by chunk: the base model loops over whole pieces of
        Kazakh even alone, and they came out empty (then the pass after the second saved them)."""
        if within[1] > within[0] and self._kazakh_way(kw.get("language")) and not self.opts.extra_passes:
            return self._chunk_by_chunk(packed, piece, within, kw), False
        tags = list(dict.fromkeys(packed.chunks[i].tag for i in range(within[0], within[1] + 1)))
        if not self.opts.second_pass_by_speaker or len(tags) < 2:
            return self._decode_alone(packed, piece, within, kw)
        out, looped = [], False
        for tag in tags:
            sub = _subpack(packed, [i for i in range(within[0], within[1] + 1) if packed.chunks[i].tag == tag])
            got, loop = self._plain(sub.audio, sub, 0.0, (0, len(sub.chunks) - 1), kw)
            out, looped = out + got, looped or loop
        return out, looped

    def _decode_alone(self, packed: _Packed, piece: dict, within: tuple[int, int],
                      kw: dict) -> tuple[list[tuple[Hashable, Utterance]], bool]:
        """One piece by the plain decoder, once (:meth:`_plain`)."""
        a, b = int(piece["start"] * SAMPLE_RATE), int(piece["end"] * SAMPLE_RATE)
        return self._plain(packed.audio[a:b], packed, piece["start"], within, kw)

    def _plain(self, audio: np.ndarray, packed: _Packed, offset: float, within: tuple[int, int],
               kw: dict) -> tuple[list[tuple[Hashable, Utterance]], bool]:
        """``audio`` (which begins at ``offset`` of ``packed``) by the plain decoder, once: no prompt, no
        temperature fallback (at most one second pass per piece, so bad audio stays cheap), guards; its
        utterances with loops cut out, and whether there was a loop."""
        segments, _ = self.encoder.transcribe(audio, **{**kw, "initial_prompt": None, "temperature": 0.0})
        limit = self.opts.compression_ratio_threshold
        if not self._kazakh_way(kw.get("language")):  # a Kazakh loop is cut, the rest kept
            segments = loop_stop.until_loop(segments, limit)        # no window decoded after a loop
        segments = list(self._kk(segments, kw.get("language")))
        kept = list(guards.without_repeats(segments))
        looped = len(kept) < len(segments) or any(
            guards.compression_ratio(seg.text or "") > limit for seg in kept)
        got = [tu for seg in kept for tu in self._utterances(seg, packed, offset, within)]
        out = [tu for tu in got if not guards.looping(tu[1].text, limit)]
        return out, looped or len(out) < len(got)

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
