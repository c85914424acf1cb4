"""A second pass that loops stops there (``transcription.loop_stop``): no window decoded after a loop."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from transcription.audio import SAMPLE_RATE
from transcription.loop_stop import until_loop
from transcription.recognize import Chunk

LOOP = " 7,7,7,4,1,2" + ",1" * 40          # what the base model wrote on a bench call's second pass


def _segments(texts: list[str], asked: list[str]):
    """The segments of ``texts`` one by one, each noted in ``asked`` when taken (a decoder's window is
    decoded when its first segment is asked for)."""
    for k, text in enumerate(texts):
        asked.append(text)
        yield SimpleNamespace(start=float(k), end=k + 1.0, text=text)


@pytest.mark.parametrize("texts, kept", [
    ([" Добрый день.", " Слушаю вас."], 2),                           # no loop: everything
    ([" Добрый день.", LOOP, " Слушаю вас."], 2),                     # a loop: it and what came before
    ([LOOP, " Слушаю вас."], 1),
    ([" Да.", " Да.", " Слушаю вас."], 3),                            # «да» twice is speech
    ([" Алло.", " Алло.", " Алло.", " Слушаю вас."], 3),              # the same text three times in a row
    ([" 1,1,1,1,1", " Слушаю вас."], 2),                              # too short to tell a loop by compression
])
def test_until_loop_asks_for_nothing_after_a_loop(texts, kept):
    asked: list[str] = []
    out = [s.text for s in until_loop(_segments(texts, asked), 2.4)]
    assert out == texts[:kept]
    assert asked == texts[:kept]


def _word(word, start, end):
    return SimpleNamespace(word=" " + word, start=start, end=end, probability=0.9)


def _segment(start, end, text_words, **kw):
    words = [_word(w, start + 0.1 * k, start + 0.1 * k + 0.1) for k, w in enumerate(text_words)]
    return SimpleNamespace(start=start, end=end, text="".join(w.word for w in words), words=words,
                           **{"avg_logprob": -0.3, "no_speech_prob": 0.05, "compression_ratio": 1.3, **kw})


class _Windows:
    """The plain decoder: each window's segments come when asked for, and the windows decoded are counted."""

    def __init__(self, windows):
        self.windows, self.decoded = windows, 0

    def transcribe(self, audio, **kw):
        def run():
            for window in self.windows:
                self.decoded += 1
                yield from window
        return run(), None


@pytest.mark.parametrize("first_window, decoded, texts", [
    # the second pass loops in its first window: the rest of the piece is not decoded once more
    ([_segment(0.0, 2.0, ["Алло."]), _segment(2.0, 12.0, ["1,"] * 40)], 1, ["Алло."]),
    # no loop: the decoder goes on through the piece as before
    ([_segment(0.0, 2.0, ["Алло."])], 2, ["Алло.", "Спасибо."]),
])
def test_a_second_pass_that_loops_decodes_no_further_window(first_window, decoded, texts):
    from transcription.options import TranscribeOptions
    from transcription.recognize import Recognizer

    plain = _Windows([first_window, [_segment(14.0, 15.0, ["Спасибо."])]])
    rec = Recognizer(TranscribeOptions(device="cpu", language="ru"), model=plain)
    rec._batched = SimpleNamespace(transcribe=lambda audio, **kw: (
        iter([_segment(0.0, 20.0, ["Алло."], avg_logprob=-1.6)]), None))    # the first pass was guessing
    out = rec.recognize([np.zeros(25 * SAMPLE_RATE, np.float32)], [Chunk(0.0, 20.0, 0, "operator")])
    assert [u.text for _, u in out] == texts
    assert plain.decoded == decoded
