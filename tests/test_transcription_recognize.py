"""Packing the speech of a call into one stream, and mapping times back (no model needed)."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from transcription.audio import SAMPLE_RATE
from transcription.recognize import GAP_S, PIECE_S, Chunk, _seconds, language_packing, pack, packing

LEFT = np.arange(10 * SAMPLE_RATE, dtype=np.float32)          # sample values say where they came from
RIGHT = -np.arange(10 * SAMPLE_RATE, dtype=np.float32)
CHUNKS = [Chunk(4.0, 5.0, 1, "customer"), Chunk(0.5, 2.0, 0, "operator"), Chunk(6.0, 8.0, 0, "operator")]


def test_pack_orders_chunks_and_puts_gaps_between():
    packed = pack([LEFT, RIGHT], CHUNKS)
    assert [c.tag for c in packed.chunks] == ["operator", "customer", "operator"]
    assert packed.starts == pytest.approx([0.0, 1.5 + GAP_S, 2.5 + 2 * GAP_S])
    assert len(packed.audio) == int((1.5 + 1.0 + 2.0 + 3 * GAP_S) * SAMPLE_RATE)
    # the customer's chunk comes from the right channel, at its own time
    at = int(packed.starts[1] * SAMPLE_RATE)
    assert packed.audio[at] == RIGHT[int(4.0 * SAMPLE_RATE)]


@pytest.mark.parametrize("packed_t, chunk, recording_t", [
    (0.0, 0, 0.5),
    (1.0, 0, 1.5),
    (1.5 + GAP_S + 0.25, 1, 4.25),
    (2.5 + 2 * GAP_S + 1.9, 2, 7.9),
    (1.5 + 0.05, 0, 2.0),      # in the gap after a chunk: the chunk before, clamped to its end
])
def test_times_map_back_to_the_recording(packed_t, chunk, recording_t):
    packed = pack([LEFT, RIGHT], CHUNKS)
    i = packed.locate(packed_t)
    assert i == chunk
    assert packed.to_recording(i, packed_t) == pytest.approx(recording_t)


def test_pieces_for_the_batched_decoder_stay_short():
    chunks = [Chunk(10.0 * k, 10.0 * k + 9.0, 0, None) for k in range(8)]
    audio = np.zeros(90 * SAMPLE_RATE, np.float32)
    pieces = pack([audio], chunks).pieces()
    assert all(p["end"] - p["start"] <= PIECE_S for p in pieces)
    assert len(pieces) == 3   # three 9 s chunks and their gaps fit in one piece
    assert pieces[0]["start"] == 0.0


def test_nothing_to_pack():
    assert len(pack([LEFT], []).audio) == 0


@pytest.mark.parametrize("chunks, pieces_by_speaker", [
    # both speakers' whole speech fits Whisper's window: one piece each, in the order they first speak
    (CHUNKS, [["operator", "operator"], ["customer"]]),
    # a speaker with more than 30 s: their own pieces, never shared with the other speaker
    ([Chunk(float(k), k + 0.9, 0, "operator") for k in range(0, 70, 2)] + [Chunk(1.0, 1.8, 1, "customer")],
     [["operator"] * 33, ["operator"] * 2, ["customer"]]),   # 33 chunks of 0.9 s fill 29.7 s
    # three voices of a mono call (the unsure stretches are a speaker of their own)
    ([Chunk(0.5, 1.5, 0, 1), Chunk(2.0, 3.0, 0, None), Chunk(3.5, 4.0, 0, 0), Chunk(5.0, 6.0, 0, 1)],
     [[1, 1], [None], [0]]),
])
def test_packed_by_speaker_a_piece_is_one_speakers_speech(chunks, pieces_by_speaker):
    audio = np.arange(80 * SAMPLE_RATE, dtype=np.float32)
    packed = pack([audio, -audio], chunks, by_speaker=True)
    got = [[packed.chunks[i].tag for i in range(a, b + 1)] for a, b in map(packed.span, packed.pieces())]
    assert got == pieces_by_speaker


@pytest.mark.parametrize("times", [
    [(0.5, 2.0), (6.0, 8.0)],
    [(0.1234567, 1.3333333), (2.7182818, 3.1415926), (4.0000313, 4.99996)],   # times off the sample grid
    [(0.33, 0.66), (1.0 / 3, 2.0 / 3 + 1), (3.01, 9.99)],
])
def test_packed_by_speaker_a_speakers_piece_is_the_window_the_language_code_hears(times):
    """The language code concatenates a speaker's chunks as they lie in the channel; the batched decoder
    cuts the piece by ``int(t * SAMPLE_RATE)``: the two must be the same samples, or the encoder runs twice."""
    chunks = [Chunk(a, b, 1, "customer") for a, b in times] + [Chunk(0.2, 0.4, 0, "operator")]
    channels = [LEFT, RIGHT]
    packed = pack(channels, chunks, by_speaker=True)
    piece = next(p for p in packed.pieces() if packed.chunks[packed.span(p)[0]].tag == "customer")
    cut = packed.audio[int(piece["start"] * SAMPLE_RATE):int(piece["end"] * SAMPLE_RATE)]
    heard = np.concatenate([RIGHT[int(a * SAMPLE_RATE):int(b * SAMPLE_RATE)] for a, b in times])
    assert np.array_equal(cut, heard)


def _turns(operator_s: float, customer_s: float) -> list[Chunk]:
    """Alternating turns of 2 s chunks: the operator's on the left channel, the customer's on the right."""
    out, t, left = [], 0.0, {"operator": operator_s, "customer": customer_s}
    while any(v > 0 for v in left.values()):
        for tag, channel in (("operator", 0), ("customer", 1)):
            if left[tag] > 0:
                n = min(2.0, left[tag])
                out.append(Chunk(t, t + n, channel, tag))
                left[tag] -= n
                t += n + 0.5
    return out


@pytest.mark.parametrize("operator_s, customer_s, by_speaker", [
    (29.0, 16.0, True),    # both fit a window: 2 windows by speaker against 2 pieces + 2 speakers' windows
    (8.0, 6.0, True),      # a short call: 2 against 1 piece + 2
    (31.0, 16.0, False),   # 3 (2 pieces + a window) + 1 = 4 against 2 + 2: a tie keeps time order
    (80.0, 70.0, True),    # nobody fits, but one speaker's pieces hold no gaps: 6 pieces + 2 against 7 + 2
])
def test_packed_by_speaker_only_where_it_saves_encoder_windows(operator_s, customer_s, by_speaker):
    audio = np.zeros(400 * SAMPLE_RATE, np.float32)
    assert language_packing([audio, audio], _turns(operator_s, customer_s)).by_speaker is by_speaker


# 1001, 1019: n / 16000 * 16000 comes out a hair below n in floating point
@pytest.mark.parametrize("n", [0, 1, 1001, 1019, 4799, 16001, 123457, 480000, 1_234_567, 9_999_999])
def test_piece_times_give_back_their_samples(n):
    assert int(_seconds(n) * SAMPLE_RATE) == n


# --- the batched decoder and its second pass (a scripted decoder, no model) -------------

def _word(word, start, end):
    return SimpleNamespace(word=" " + word, start=start, end=end, probability=0.9)   # Whisper's leading space


def _segment(start, end, words, **kw):
    text = "".join(w.word for w in words)
    return SimpleNamespace(start=start, end=end, text=text, words=words,
                           **{"avg_logprob": -0.3, "no_speech_prob": 0.05, "compression_ratio": 1.3, **kw})


class _Scripted:
    """A decoder that answers from a script and remembers how it was called."""

    def __init__(self, segments):
        self.segments, self.calls = segments, []

    def transcribe(self, audio, **kw):
        self.calls.append({"seconds": len(audio) / SAMPLE_RATE, **kw})
        return iter(self.segments), None


def _recognizer(batched_segments, alone_segments):
    from transcription.options import TranscribeOptions
    from transcription.recognize import Recognizer

    rec = Recognizer(TranscribeOptions(device="cpu", language="ru"), model=_Scripted(alone_segments))
    rec._batched = _Scripted(batched_segments)
    return rec


# two channels of 45 s; the operator speaks 0-20 s, the customer 21-41 s: two pieces
TWO = [np.zeros(45 * SAMPLE_RATE, np.float32), np.zeros(45 * SAMPLE_RATE, np.float32)]
TWO_CHUNKS = [Chunk(0.0, 20.0, 0, "operator"), Chunk(21.0, 41.0, 1, "customer")]


def test_a_piece_that_echoes_the_prompt_is_decoded_again_without_it():
    from transcription.options import DEFAULT_PROMPT

    second = 20.0 + GAP_S
    rec = _recognizer(
        batched_segments=[
            _segment(0.0, 20.0, [_word("Добрый", 1.0, 1.4), _word("день.", 1.4, 1.8),
                                 _word("Слушаю", 20.3, 20.6)]),            # aligned past its piece
            _segment(second - 0.02, second + 20.0,                           # start rounded down a frame
                     [_word("ипу", second + 1, second + 1.3), _word("гвс", second + 1.3, second + 1.6),
                      _word("путэ", second + 1.6, second + 2.0)]),
        ],
        alone_segments=[_segment(0.0, 3.0, [_word("Лицевой", 1.0, 1.5), _word("счёт", 1.5, 2.0),
                                            _word("два.", 2.0, 3.0)])])
    out = rec.recognize(TWO, TWO_CHUNKS)

    assert [(tag, u.text) for tag, u in out] == [("operator", "Добрый день."), ("operator", "Слушаю"),
                                                 ("customer", "Лицевой счёт два.")]
    assert out[2][1].start == pytest.approx(22.0) and out[2][1].end == pytest.approx(24.0)
    assert out[1][1].end <= 20.0                       # kept on the operator's chunk, clamped to its end
    batched_call, = rec.batched.calls
    assert batched_call["initial_prompt"] == DEFAULT_PROMPT
    alone_call, = rec.model.calls                       # only the echoing piece, alone, without the prompt
    assert alone_call["initial_prompt"] is None
    assert alone_call["seconds"] == pytest.approx(20.0, abs=0.01)


@pytest.mark.parametrize("bad", [
    {"text_words": ["Лицевой", "щет"] + ["-1"] * 40},   # a loop at the end of the piece
    {"avg_logprob": -1.6},                              # the decoder was guessing
])
def test_a_piece_that_fails_a_guard_is_decoded_again(bad):
    words = [_word(w, 1.0 + 0.1 * k, 1.1 + 0.1 * k) for k, w in enumerate(bad.get("text_words", ["Алло."]))]
    extra = {k: v for k, v in bad.items() if k != "text_words"}
    rec = _recognizer(batched_segments=[_segment(0.0, 20.0, words, **extra)],
                      alone_segments=[_segment(0.0, 2.0, [_word("Алло.", 1.0, 1.5)])])
    out = rec.recognize(TWO[:1], TWO_CHUNKS[:1])
    assert [u.text for _, u in out] == ["Алло."]
    assert len(rec.model.calls) == 1


def test_good_pieces_are_decoded_once():
    rec = _recognizer(batched_segments=[_segment(0.0, 20.0, [_word("Алло.", 1.0, 1.5)])], alone_segments=[])
    assert [u.text for _, u in rec.recognize(TWO[:1], TWO_CHUNKS[:1])] == ["Алло."]
    assert rec.model.calls == []


@pytest.mark.parametrize("by_speaker, answers, seconds", [
    # each speaker's chunks of the piece as a stream of their own, each second decoded once more
    (True, [[_segment(0.0, 1.5, [_word("Слушаю", 0.5, 1.0), _word("вас.", 1.0, 1.5)])],
            [_segment(0.0, 2.0, [_word("Показания", 0.3, 1.0), _word("счётчика.", 1.0, 2.0)])]],
     [3.0 + GAP_S, 3.5 + GAP_S]),
    # the product: the piece alone, both speakers in one stream
    (False, [[_segment(0.0, 1.5, [_word("Слушаю", 0.5, 1.0), _word("вас.", 1.0, 1.5)]),
              _segment(3.2, 6.0, [_word("Показания", 3.5, 4.2), _word("счётчика.", 4.2, 5.2)])]],
     [3.0 + GAP_S + 3.5]),
])
def test_a_piece_the_decoder_stopped_short_on_is_decoded_again(by_speaker, answers, seconds):
    from transcription.options import TranscribeOptions
    from transcription.recognize import Recognizer

    # one piece, two chunks: the batched decoder wrote the operator's words and stopped
    chunks = [Chunk(0.0, 3.0, 0, "operator"), Chunk(3.5, 7.0, 1, "customer")]
    rec = Recognizer(TranscribeOptions(device="cpu", language="ru", second_pass_by_speaker=by_speaker),
                     model=_Answers(*answers))
    rec._batched = _Scripted([_segment(0.0, 3.0, [_word("Слушаю", 0.5, 1.0), _word("вас.", 1.0, 1.5)])])
    out = rec.recognize(TWO, chunks)
    assert [(tag, u.text) for tag, u in out] == [("operator", "Слушаю вас."), ("customer", "Показания счётчика.")]
    assert out[1][1].start == pytest.approx(3.8) and out[1][1].end == pytest.approx(5.5)   # back on its channel
    assert [c["seconds"] for c in rec.model.calls] == pytest.approx(seconds)


def test_a_loop_on_one_voice_does_not_swallow_the_others_words():
    from transcription.options import TranscribeOptions
    from transcription.recognize import Recognizer

    operator = [_segment(0.0, 2.5, GREETING), _segment(3.2, 4.0, [_word("Спасибо.", 3.4, 3.9)])]
    customer = [_segment(0.0, 3.5, [_word(w, 0.1 + 0.07 * k, 0.15 + 0.07 * k) for k, w in enumerate(["6-6"] * 40)])]
    rec = Recognizer(TranscribeOptions(device="cpu", language="ru", second_pass_by_speaker=True),
                     model=_Answers(operator, customer))
    rec._batched = _Scripted([_segment(0.0, 9.4, GREETING)])   # the customer has no words: decoded again
    out = rec.recognize(TWO, THREE_CHUNKS)
    assert [(tag, u.text) for tag, u in out] == [("operator", "Тепловые сети, здравствуйте."), ("operator", "Спасибо.")]
    assert [c["seconds"] for c in rec.model.calls] == pytest.approx([3.0 + 2.5 + 2 * GAP_S, 3.5 + GAP_S])


def test_the_plain_decoder_goes_without_the_prompt():
    from transcription.options import TranscribeOptions
    from transcription.recognize import Recognizer

    model = _Scripted([_segment(0.0, 2.0, [_word("Алло.", 1.0, 1.5)])])
    rec = Recognizer(TranscribeOptions(device="cpu", batched_min_s=-1, language="ru"), model=model)
    assert [u.text for _, u in rec.recognize(TWO[:1], TWO_CHUNKS[:1])] == ["Алло."]
    assert model.calls[0]["initial_prompt"] is None and model.calls[0]["seconds"] == pytest.approx(20.0 + GAP_S)


@pytest.mark.parametrize("first_pass, decoded_again", [
    ({"avg_logprob": -1.6}, True),                        # unsure: one more pass may save it
    ({"avg_logprob": -2.6}, False),                       # hopeless: the rules abstain instead
])
def test_at_most_one_second_pass_and_none_when_hopeless(first_pass, decoded_again):
    rec = _recognizer(batched_segments=[_segment(0.0, 20.0, [_word("Алло.", 1.0, 1.5)], **first_pass)],
                      alone_segments=[_segment(0.0, 2.0, [_word("Алло.", 1.0, 1.5)])])
    out = rec.recognize(TWO[:1], TWO_CHUNKS[:1])
    assert len(rec.model.calls) == int(decoded_again)
    if decoded_again:
        assert rec.model.calls[0]["temperature"] == 0.0      # one pass: no temperature fallback
        assert [u.text for _, u in out] == ["Алло."]
    else:
        assert out == []                                     # dropped by the guards, not guessed again


@pytest.mark.parametrize("by_speaker_asked, operator_s, customer_s, by_speaker", [
    (False, 8, 6, False),    # the default: both sides in time order, each the other's context
    (True, 8, 6, True),      # asked, and each side fits one window: packed by speaker
    (True, 31, 16, False),   # asked, but it saves nothing: time order
])
def test_packed_by_speaker_only_when_the_option_asks(by_speaker_asked, operator_s, customer_s, by_speaker):
    audio = np.zeros(400 * SAMPLE_RATE, np.float32)
    assert packing([audio, audio], _turns(operator_s, customer_s), by_speaker_asked).by_speaker is by_speaker


class _Answers(_Scripted):
    """A decoder that gives each call the next of its answers."""

    def __init__(self, *answers):
        super().__init__([])
        self.answers = list(answers)

    def transcribe(self, audio, **kw):
        self.calls.append({"seconds": len(audio) / SAMPLE_RATE, **kw})
        return iter(self.answers.pop(0)), None


# one piece of three chunks, in the packed stream at 0-3, 3.2-6.7 and 6.9-9.4 s
THREE_CHUNKS = [Chunk(0.0, 3.0, 0, "operator"), Chunk(3.5, 7.0, 1, "customer"), Chunk(7.5, 10.0, 0, "operator")]
GREETING = [_word("Тепловые", 0.5, 1.0), _word("сети,", 1.0, 1.5), _word("здравствуйте.", 1.5, 2.5)]


def _copy(start):
    return _segment(start, start + 1.5, [_word(w.word.strip(), start + k * 0.4, start + k * 0.4 + 0.3)
                                         for k, w in enumerate(GREETING)])


@pytest.mark.parametrize("alone, passes_after, texts", [
    # alone, the decoder heard the greeting and then looped on it over the rest of the window: the loop is cut
    # and the speech it swallowed is decoded once more, each speaker's chunks as one stream
    ([_segment(0.0, 2.5, GREETING), _copy(3.3), _copy(5.0), _copy(7.0)], 2,
     [("operator", "Тепловые сети, здравствуйте."), ("customer", "Показания двести."),
      ("operator", "Спасибо.")]),
    # no loop: a chunk left empty stays so (it may be the other side's faint copy)
    ([_segment(0.0, 2.5, GREETING), _segment(7.0, 8.0, [_word("Спасибо.", 7.2, 7.8)])], 0,
     [("operator", "Тепловые сети, здравствуйте."), ("operator", "Спасибо.")]),
])
def test_the_speech_a_loop_swallowed_is_decoded_once_more(alone, passes_after, texts):
    from transcription.options import TranscribeOptions
    from transcription.recognize import Recognizer

    customer = [_segment(0.0, 2.0, [_word("Показания", 0.3, 0.9), _word("двести.", 0.9, 1.6)])]
    operator = [_segment(0.0, 1.0, [_word("Спасибо.", 0.2, 0.8)])]
    # the piece alone, then the passes after the second
    opts = TranscribeOptions(device="cpu", language="ru", extra_passes=True, second_pass_by_speaker=False)
    rec = Recognizer(opts, model=_Answers(alone, customer, operator))
    rec._batched = _Scripted([_segment(0.0, 9.4, GREETING)])   # the customer has no words: decoded again
    out = rec.recognize(TWO, THREE_CHUNKS)
    assert [(tag, u.text) for tag, u in out] == texts
    assert len(rec.model.calls) == 1 + passes_after
    # each speaker's swallowed speech alone: the customer's 3.5 s, then the operator's 2.5 s (and a gap each)
    assert [c["seconds"] for c in rec.model.calls[1:]] == pytest.approx([3.5 + GAP_S, 2.5 + GAP_S][:passes_after])


def _noisy_line(seconds: float, voice_db: float, noise_db: float) -> np.ndarray:
    """Syllables (a 220 Hz buzz, 0.15 s on, 0.1 s off) at ``voice_db`` dBFS over white noise at ``noise_db``."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    buzz = np.sign(np.sin(2 * np.pi * 220 * t)) * ((t % 0.25) < 0.15) * 10 ** (voice_db / 20)
    return (buzz + np.random.default_rng(0).standard_normal(len(t)) * 10 ** (noise_db / 20)).astype(np.float32)


@pytest.mark.parametrize("noise_db, decoded_again, kept", [
    (-20.0, False, ["Алло."]),             # the voice 4 dB above the noise: hopeless, the prompt's echo dropped
    (-60.0, True, ["Лицевой счёт."]),      # a clean line: the echo is decoded again without the prompt
])
def test_a_piece_buried_in_noise_is_not_decoded_again(noise_db, decoded_again, kept):
    line = _noisy_line(45, -18.0, noise_db)
    rec = _recognizer(
        batched_segments=[_segment(0.0, 9.0, [_word("Алло.", 1.0, 1.5)], avg_logprob=-0.5),
                          _segment(9.0, 20.0, [_word(w, 10.0 + 0.3 * k, 10.3 + 0.3 * k) for k, w in enumerate(
                              ["ИПУ", "ГВС,", "АЛСЕКО,", "ИС", "РАДИ."])], avg_logprob=-0.6)],   # Whisper is sure
        alone_segments=[_segment(0.0, 3.0, [_word("Лицевой", 1.0, 1.5), _word("счёт.", 1.5, 2.0)])])
    out = rec.recognize([line], TWO_CHUNKS[:1])
    assert len(rec.model.calls) == int(decoded_again)
    assert [u.text for _, u in out] == kept


@pytest.mark.parametrize("extra_passes, by_speaker, seconds", [
    (False, False, [3.0 + GAP_S + 3.5]),          # the product: one second pass, the piece alone
    (False, True, [3.0 + GAP_S, 3.5 + GAP_S]),    # one second pass, each speaker's chunks apart
    (True, False, [3.0 + GAP_S + 3.5, 3.0, 3.5]),  # and the passes after it: the chunks one by one
])
def test_at_most_one_second_pass_unless_extra_passes(extra_passes, by_speaker, seconds):
    from transcription.options import TranscribeOptions
    from transcription.recognize import Recognizer

    chunks = [Chunk(0.0, 3.0, 0, "operator"), Chunk(3.5, 7.0, 1, "customer")]
    opts = TranscribeOptions(device="cpu", language="ru", extra_passes=extra_passes, second_pass_by_speaker=by_speaker)
    rec = Recognizer(opts, model=_Scripted([]))
    rec._batched = _Scripted([_segment(0.0, 3.0, [_word("Алло.", 1.0, 1.5)], avg_logprob=-1.6)])
    rec.recognize(TWO, chunks)
    assert [c["seconds"] for c in rec.model.calls] == pytest.approx(seconds)
