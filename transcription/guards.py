"""Guards against text the model invented: what Whisper writes where nobody said it.

* :func:`dropped` — a decoded segment to throw away: empty, a high compression
  ratio of its own text (the same words repeated), "no speech" with a low
  log-probability, or a log-probability far below the threshold;
* credits of subtitle makers and video sign-offs («Редактор субтитров …»,
  «Продолжение следует…») and sound captions («ДИНАМИЧНАЯ МУЗЫКА»): Whisper learnt
  them from subtitled videos and writes them over silence and noise; nobody says
  them on a utility's line;
* :func:`without_repeats` — a loop the model spread over several segments (the
  same short text again and again), which no one segment's ratio shows;
* :func:`looping` — one utterance that is mostly one phrase over and over (the
  batched decoder can loop at the end of otherwise good text, where the
  segment's own compression ratio does not show it);
* :func:`echoes` — the decoding prompt written out instead of the speech:
  where speech is hard (dictated digits), a prompted model writes its list of
  terms («ипу гвс путэ»).
"""
from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterable, Iterator

from transcription.options import TranscribeOptions

log = logging.getLogger(__name__)

# avg_logprob below the option's threshold by this much is dropped even when
# Whisper is sure there is speech: such text is mostly invented.
LOGPROB_HARD_MARGIN = 0.5
# shorter texts are not judged as loops (compression says nothing about them)
LOOP_MIN_BYTES = 40
# what Whisper writes over silence because its training subtitles end so (never said in a call)
ARTEFACTS = re.compile(
    r"(редактор|корректор)\w* субтитр|субтитр\w* (сделал|делал|создавал|подготовил|предоставил)"
    r"|продолжение следует|спасибо за просмотр|подписывайтесь на (мой |наш )?канал|ставьте лайк"
    r"|dimatorzok|amara\.org")
# what Whisper writes over noise because its training subtitles caption sounds so («ДИНАМИЧНАЯ МУЗЫКА»,
# «АПЛОДИСМЕНТЫ»): a segment that is nothing but such a caption (lower case, «ё» as «е»); on a noisy line the
# model is as sure of it as of clear speech (p 0.6–0.99), and a greeting judged on it was «missing»
CAPTION = re.compile(r"^\W*(?:[а-я]+\s+)?(?:музыка|аплодисменты|смех)\W*$")
# the plain decoder writing the same text again as the next segment is a loop (the speech it stands for is
# then decoded chunk by chunk: transcription.recognize); a «да.» said twice is lost with it
REPEATS_KEPT = 1
# a word this similar (0..100) to a word of a prompt term counts as that word
ECHO_SIMILARITY = 75


def compression_ratio(text: str) -> float:
    """Whisper's loop measure of ``text``: its UTF-8 length over its zlib-compressed length."""
    data = text.strip().encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def dropped(seg, opts: TranscribeOptions) -> str | None:
    """Why a decoded segment (faster-whisper's ``Segment``) is dropped, or None to keep it.

    The compression ratio is the segment's own text's.  faster-whisper's plain decoder gives every
    segment of a 30-s window the *window's* ratio, so one looping segment would condemn every
    sentence heard before it (a greeting, a name, an account number) along with itself.
    """
    if not seg.text.strip():
        return "empty"
    plain = seg.text.lower().replace("ё", "е")
    if ARTEFACTS.search(plain):
        return "subtitle credits (a Whisper artefact)"
    if CAPTION.search(plain):
        return "a sound caption (a Whisper artefact)"
    ratio = compression_ratio(seg.text)
    if ratio > opts.compression_ratio_threshold:
        return f"compression ratio {ratio:.2f}"
    if seg.no_speech_prob > opts.no_speech_threshold and seg.avg_logprob < opts.logprob_threshold:
        return f"no-speech probability {seg.no_speech_prob:.2f}"
    if seg.avg_logprob < opts.logprob_threshold - LOGPROB_HARD_MARGIN:
        return f"avg log-probability {seg.avg_logprob:.2f}"
    return None


def looping(text: str, max_ratio: float) -> bool:
    """True for text that compresses better than ``max_ratio`` (Whisper's own loop test, per utterance)."""
    if len(text.strip().encode("utf-8")) < LOOP_MIN_BYTES:
        return False
    return compression_ratio(text) > max_ratio


def without_repeats(segments: Iterable) -> Iterator:
    """The segments less a loop spread over segments: from the ``REPEATS_KEPT + 1``-th time in a row
    that a segment's text (words only, lower case) is the one before it, those segments are dropped.
    For the plain decoder, whose segments carry the window's compression ratio (:func:`dropped`
    judges each segment's own text instead)."""
    for seg, run in in_a_row(segments):
        if run > REPEATS_KEPT:
            log.debug("dropped segment %.1f-%.1f %r: said %d times in a row", seg.start, seg.end, seg.text, run)
            continue
        yield seg


def in_a_row(segments: Iterable) -> Iterator[tuple]:
    """Each segment with how many times in a row its text (words only, lower case) has come, it included;
    a segment without words is 1."""
    last, run = None, 0
    for seg in segments:
        words = tuple(tokens(seg.text or ""))
        run = run + 1 if words and words == last else 1
        last = words
        yield seg, run


def tokens(text: str) -> list[str]:
    """Lower-case words, «ё» as «е», no punctuation."""
    return re.sub(r"[^\w\s]", " ", text.lower().replace("ё", "е")).split()


def prompt_terms(prompt: str) -> list[tuple[str, ...]]:
    """The prompt's terms: its comma- or full-stop-separated parts, as lower-case words."""
    return [t for t in (tuple(tokens(part)) for part in re.split(r"[,.;]", prompt)) if t]


def echoes(text: str, prompt: str) -> bool:
    """True when ``text`` has two of the prompt's terms one right after the other.

    One term is speech («назовите лицевой счёт»); two terms of the list in a
    row («ипу гвс путэ») is the list.  Words are compared loosely
    (``ECHO_SIMILARITY``), since the echo comes out misspelt («ботэ»).
    """
    from rapidfuzz import fuzz

    if not prompt.strip():
        return False
    terms = prompt_terms(prompt)
    words = tokens(text)
    ends: set[int] = set()
    for i in range(len(words)):
        for term in terms:
            if len(words) - i >= len(term) and all(
                    fuzz.ratio(w, t) >= ECHO_SIMILARITY for w, t in zip(words[i:i + len(term)], term, strict=True)):
                if i in ends:
                    return True
                ends.add(i + len(term))
    return False
