"""A second pass that loops stops there: the plain decoder does not go on seeking through the piece.

A piece's second pass (:meth:`transcription.recognize.Recognizer._plain`) is faster-whisper's plain decoder,
which decodes a window, moves to the last timestamp it wrote and decodes from there again.  After a loop
(the same text again and again, or one segment that compresses like a loop: :mod:`transcription.guards`)
that last timestamp lies inside the piece, so the rest of the piece was decoded once more, and on a
line the model cannot read it looped again: on the ASR bench's call 13 (prompt on) two windows ran to
the 224-token limit after the first loop, 4.6 of the call's 9.4 CPU-s, for no word kept.  The
segments come window by window (a generator): :func:`until_loop` stops taking them after the first
loop, so no further window is decoded; the loop itself is dropped by the guards as before.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from transcription import guards

log = logging.getLogger(__name__)

# the same text this many times in a row is a loop spread over segments (a «да.» said twice is not)
REPEATS = 3


def until_loop(segments: Iterable, max_ratio: float) -> Iterator:
    """The segments up to and with the first that loops: its own text compresses beyond ``max_ratio``
    (:func:`transcription.guards.looping`), or it is the ``REPEATS``-th of the same text in a row.  Nothing
    after it is asked for."""
    for seg, run in guards.in_a_row(segments):
        yield seg
        if guards.looping(seg.text or "", max_ratio) or run >= REPEATS:
            log.debug("second pass stops after the loop at %.1f-%.1f s: %r", seg.start, seg.end, (seg.text or "")[:40])
            return
