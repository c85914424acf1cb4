"""Guards against text the model invented: what Whisper writes where nobody said it.

* :func:`dropped` — a decoded segment to throw away: empty, a high compression
  ratio (the same words repeated), "no speech" with a low log-probability, or
  a log-probability far below the threshold;
* :func:`looping` — one utterance that is mostly one phrase over and over (the
  batched decoder can loop at the end of otherwise good text, where the
  segment's own compression ratio does not show it);
* :func:`echoes` — the decoding prompt written out instead of the speech:
  where speech is hard (dictated digits), a prompted model writes its list of
  terms («ипу гвс путэ»).
"""
from __future__ import annotations

import re
import zlib

from transcription.options import TranscribeOptions

# avg_logprob below the option's threshold by this much is dropped even when
# Whisper is sure there is speech: such text is mostly invented.
LOGPROB_HARD_MARGIN = 0.5
# shorter texts are not judged as loops (compression says nothing about them)
LOOP_MIN_BYTES = 40
# a word this similar (0..100) to a word of a prompt term counts as that word
ECHO_SIMILARITY = 75


def dropped(seg, opts: TranscribeOptions) -> str | None:
    """Why a decoded segment (faster-whisper's ``Segment``) is dropped, or None to keep it."""
    if not seg.text.strip():
        return "empty"
    if seg.compression_ratio > opts.compression_ratio_threshold:
        return f"compression ratio {seg.compression_ratio:.2f}"
    if seg.no_speech_prob > opts.no_speech_threshold and seg.avg_logprob < opts.logprob_threshold:
        return f"no-speech probability {seg.no_speech_prob:.2f}"
    if seg.avg_logprob < opts.logprob_threshold - LOGPROB_HARD_MARGIN:
        return f"avg log-probability {seg.avg_logprob:.2f}"
    return None


def looping(text: str, max_ratio: float) -> bool:
    """True for text that compresses better than ``max_ratio`` (Whisper's own loop test, per utterance)."""
    data = text.strip().encode("utf-8")
    if len(data) < LOOP_MIN_BYTES:
        return False
    return len(data) / len(zlib.compress(data)) > max_ratio


def _tokens(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.lower().replace("ё", "е")).split()


def prompt_terms(prompt: str) -> list[tuple[str, ...]]:
    """The prompt's terms: its comma- or full-stop-separated parts, as lower-case words."""
    return [t for t in (tuple(_tokens(part)) for part in re.split(r"[,.;]", prompt)) if t]


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
    words = _tokens(text)
    ends: set[int] = set()
    for i in range(len(words)):
        for term in terms:
            if len(words) - i >= len(term) and all(
                    fuzz.ratio(w, t) >= ECHO_SIMILARITY for w, t in zip(words[i:i + len(term)], term, strict=True)):
                if i in ends:
                    return True
                ends.add(i + len(term))
    return False
