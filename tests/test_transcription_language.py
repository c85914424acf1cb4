"""Language per speaker and piece (``--language auto``), on a scripted model: no Whisper needed."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from transcription.audio import SAMPLE_RATE
from transcription.language import (
    KK_NEUTRAL_PROMPT,
    calibrated,
    call_language,
    chunk_languages,
    cut_loop,
    kazakh_decoding,
    kk_probability,
    loop_start,
)
from transcription.options import TranscribeOptions
from transcription.recognize import Chunk, Recognizer
from transcription.schema import Utterance

KK_LEVEL, RU_LEVEL = 0.5, 0.1     # the scripted model hears Kazakh in loud samples, Russian in quiet ones


class _Features:
    nb_max_frames = 3000

    def __call__(self, audio):
        return np.asarray(audio, np.float32)[None, :]


class _Detector:
    def __init__(self, p_kk):
        self.p_kk = p_kk

    def detect_language(self, encoded):
        loud = float(np.max(np.abs(encoded))) if encoded.size else 0.0
        p = self.p_kk(loud)
        return [[("<|ru|>", (1 - p) * 0.9), ("<|kk|>", p * 0.9), ("<|lv|>", 0.1)]]


class _Model:
    """Language by loudness; decoding answers one word per call and remembers the language asked."""

    def __init__(self, p_kk=lambda loud: 0.9 if loud > 0.3 else 0.05):
        self.feature_extractor = _Features()
        self.model = _Detector(p_kk)
        self.languages: list[str] = []

    def encode(self, features):
        return features

    def transcribe(self, audio, **kw):
        """One word at the start of each stretch of sound in ``audio``."""
        self.languages.append(kw["language"])
        sound = np.abs(np.asarray(audio)) > 0
        starts = np.flatnonzero(sound & ~np.concatenate([[False], sound[:-1]])) / SAMPLE_RATE
        text = " сөз" if kw["language"] == "kk" else " слово"
        words = [SimpleNamespace(word=text, start=t + 0.1, end=t + 0.5, probability=0.9) for t in starts]
        seg = SimpleNamespace(start=0.0, end=len(audio) / SAMPLE_RATE, text=text * len(words), words=words,
                              avg_logprob=-0.2, no_speech_prob=0.01, compression_ratio=1.2)
        return iter([seg]), None


def _signal(seconds: float, parts: list[tuple[float, float, float]]) -> np.ndarray:
    x = np.zeros(int(seconds * SAMPLE_RATE), np.float32)
    for a, b, level in parts:
        x[int(a * SAMPLE_RATE):int(b * SAMPLE_RATE)] = level
    return x


@pytest.mark.parametrize("p, threshold, expected", [
    (0.5, 0.5, 0.5), (0.2, 0.5, 0.2), (0.2, 0.2, 0.5), (0.3, 0.2, 0.63), (0.1, 0.2, 0.31),
])
def test_calibrated_moves_even_odds_to_the_threshold(p, threshold, expected):
    assert calibrated(p, threshold) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("langs_words, expected", [
    ([("kk", 20)], "kk"),
    ([("ru", 20)], "ru"),
    ([("kk", 15), ("ru", 5)], "mixed"),
    ([("ru", 40), ("kk", 2)], "ru"),              # fewer than 3 Kazakh words
    ([("ru", 40), ("kk", 3)], "ru"),              # 3 of 43 is under 10 %
    ([("ru", 27), ("kk", 3)], "mixed"),           # 3 of 30 is 10 %
    ([(None, 10)], "unknown"),
    ([], "unknown"),
])
def test_call_language_counts_words(langs_words, expected):
    utts = [Utterance("operator", 0.0, 1.0, " ".join(["w"] * n), language=lang) for lang, n in langs_words]
    assert call_language(utts) == expected


TWO_SIDES = [Chunk(0.0, 3.0, 0, "operator"), Chunk(4.0, 7.0, 1, "customer"), Chunk(8.0, 10.0, 0, "operator")]


@pytest.mark.parametrize("op_level, cu_level, threshold, expected", [
    (KK_LEVEL, KK_LEVEL, 0.5, ["kk", "kk", "kk"]),
    (RU_LEVEL, RU_LEVEL, 0.5, ["ru", "ru", "ru"]),
    (KK_LEVEL, RU_LEVEL, 0.5, ["kk", "ru", "kk"]),      # each speaker in their own language
    (RU_LEVEL, KK_LEVEL, 0.5, ["ru", "kk", "ru"]),
])
def test_each_speaker_keeps_their_language(op_level, cu_level, threshold, expected):
    left = _signal(11, [(0, 3, op_level), (8, 10, op_level)])
    right = _signal(11, [(4, 7, cu_level)])
    # one piece with both speakers that sounds unsure as a whole: the speakers' own languages decide
    model = _Model(p_kk=lambda loud: 0.9 if loud > 0.3 else 0.5 if loud > 0.15 else 0.05)
    piece = np.full(6 * SAMPLE_RATE, 0.2, np.float32)
    assert chunk_languages(model, [left, right], TWO_SIDES, [(0, 2)], [piece], threshold) == expected


def test_a_piece_sure_of_the_other_language_switches_its_speaker():
    # the operator speaks Russian overall, but one piece of theirs is clearly Kazakh
    left = _signal(40, [(0, 10, RU_LEVEL), (30, 38, KK_LEVEL)])
    chunks = [Chunk(0.0, 10.0, 0, "operator"), Chunk(30.0, 38.0, 0, "operator")]
    model = _Model(p_kk=lambda loud: 0.95 if loud > 0.3 else 0.05)
    pieces = [(0, 0), (1, 1)]
    audio = [left[:10 * SAMPLE_RATE], left[30 * SAMPLE_RATE:38 * SAMPLE_RATE]]
    assert chunk_languages(model, [left], chunks, pieces, audio) == ["ru", "kk"]


def test_the_threshold_calibrates_a_model_that_underrates_kazakh():
    left = _signal(11, [(0, 3, KK_LEVEL)])
    model = _Model(p_kk=lambda loud: 0.2 if loud > 0.3 else 0.02)   # Kazakh heard, but never above 0.5
    audio = [left[:3 * SAMPLE_RATE]]
    chunks = [Chunk(0.0, 3.0, 0, "operator")]
    assert chunk_languages(model, [left], chunks, [(0, 0)], audio, threshold=0.5) == ["ru"]
    assert chunk_languages(model, [left], chunks, [(0, 0)], audio, threshold=0.08) == ["kk"]


@pytest.mark.parametrize("language, decoded, marks", [
    ("auto", {"kk", "ru"}, {"operator": "kk", "customer": "ru"}),
    ("ru", {"ru"}, {"operator": "ru", "customer": "ru"}),
    ("kk", {"kk"}, {"operator": "kk", "customer": "kk"}),
])
def test_recognize_decodes_each_language_in_it(language, decoded, marks):
    left = _signal(30, [(0, 3, KK_LEVEL)])
    right = _signal(30, [(20, 23, RU_LEVEL)])
    model = _Model()
    rec = Recognizer(TranscribeOptions(device="cpu", language=language, batched_min_s=-1), model=model)
    out = rec.recognize([left, right], [Chunk(0.0, 3.0, 0, "operator"), Chunk(20.0, 23.0, 1, "customer")])
    assert set(model.languages) == decoded
    assert {tag: u.language for tag, u in out} == marks
    assert [u.start for _, u in out] == sorted(u.start for _, u in out)


class _Looping(_Model):
    """Loops on anything longer than a chunk (as the base model does on long Kazakh pieces)."""

    def transcribe(self, audio, **kw):
        if len(audio) / SAMPLE_RATE <= 4.0:
            return super().transcribe(audio, **kw)
        self.languages.append(kw["language"])
        text = " әр" * 80
        seg = SimpleNamespace(start=0.0, end=len(audio) / SAMPLE_RATE, text=text, avg_logprob=-0.3,
                              no_speech_prob=0.01, compression_ratio=12.0,
                              words=[SimpleNamespace(word=" әр", start=0.1, end=0.3, probability=0.5)])
        return iter([seg]), None


@pytest.mark.parametrize("extra_passes, plain_calls", [
    (False, 3),   # the product: the one second pass of a Kazakh piece is chunk by chunk
    (True, 4),    # the passes after the second: alone (it loops), then chunk by chunk
])
def test_a_kazakh_piece_that_loops_is_decoded_chunk_by_chunk(extra_passes, plain_calls):
    left = _signal(30, [(0, 3, KK_LEVEL), (10, 13, KK_LEVEL)])
    right = _signal(30, [(5, 8, KK_LEVEL)])
    model = _Looping()
    # the signal is a constant level, which the line test takes for noise without a voice: switched off here
    opts = TranscribeOptions(device="cpu", language="kk", batched_min_s=0, extra_passes=extra_passes,
                             hopeless_snr_db=-1)
    rec = Recognizer(opts, model=model)
    rec._batched = _Looping()
    chunks = [Chunk(0.0, 3.0, 0, "operator"), Chunk(5.0, 8.0, 1, "customer"), Chunk(10.0, 13.0, 0, "operator")]
    out = rec.recognize([left, right], chunks)
    assert [(tag, u.text, u.language) for tag, u in out] == [
        ("operator", "сөз", "kk"), ("customer", "сөз", "kk"), ("operator", "сөз", "kk")]
    assert len(model.languages) == plain_calls


@pytest.mark.parametrize("text, kept", [
    ("әлма әлің өлің өлің өлің өлің өлің өлі", "әлма әлің өлің"),       # a one-word loop to the end
    ("сет жығығығығығығы", "сет"),                                   # a loop inside a word
    ("бір екі үш бір екі үш бір екі үш бір екі үш бір", "бір екі үш"),   # a three-word unit
    ("сегіз жеті бір бір бір бір екі", None),   # digits said alike and then more: speech, not a loop
    ("бір екі бір екі", None),                  # said twice: no loop
    ("иә иә жақсы", None),
])
def test_loop_start(text, kept):
    words = text.split()
    cut = loop_start(words)
    assert (None if cut is None else " ".join(words[:cut])) == kept


def _segment(text: str, ratio: float, p: float = 0.9) -> SimpleNamespace:
    words = [SimpleNamespace(word=" " + w, start=0.3 * i, end=0.3 * i + 0.25, probability=p)
             for i, w in enumerate(text.split())]
    return SimpleNamespace(start=0.0, end=0.3 * len(words), text=" " + text, words=words, avg_logprob=-0.3,
                           no_speech_prob=0.01, compression_ratio=ratio)


def test_cut_loop_keeps_what_was_said_before_the_loop():
    seg = _segment("сөз бар " + "әр " * 30, 6.0)
    cut = cut_loop(seg)
    assert cut.text == " сөз бар әр" and [w.word for w in cut.words] == [" сөз", " бар", " әр"]
    assert cut.end == pytest.approx(0.85) and cut.compression_ratio < 2.4
    assert seg.text.count("әр") == 30                     # the decoded segment itself is left as it was
    plain = _segment("сөз бар екен", 1.1)
    assert cut_loop(plain) is plain
    # unsure words before a loop are no better than the loop: nothing is kept, the guards drop the segment
    unsure = cut_loop(_segment("қан " + "әр " * 30, 6.0, p=0.4))
    assert unsure.text == "" and unsure.words == []


class _LoopingKazakh(_Model):
    """Decodes Kazakh as two words and a loop; remembers the settings it was asked with."""

    def __init__(self):
        super().__init__()
        self.kwargs: list[dict] = []

    def transcribe(self, audio, **kw):
        self.kwargs.append(kw)
        if kw["language"] != "kk":
            return super().transcribe(audio, **kw)
        self.languages.append("kk")
        return iter([_segment("сөз бар " + "әр " * 30, 6.0)]), None


@pytest.mark.parametrize("kk_decode, text", [(True, "сөз бар әр"), (False, None)])
def test_kazakh_pieces_are_decoded_the_kazakh_way(kk_decode, text):
    left = _signal(10, [(0, 3, KK_LEVEL)])
    model = _LoopingKazakh()
    opts = TranscribeOptions(device="cpu", language="kk", batched_min_s=-1, kk_decode=kk_decode, hotwords="ИПУ")
    out = Recognizer(opts, model=model).recognize([left], [Chunk(0.0, 3.0, 0, "operator")])
    assert [u.text for _, u in out] == ([text] if text else [])   # the loop cut off, not the piece dropped
    kw = model.kwargs[0]
    assert kw["language"] == "kk" and kw["condition_on_previous_text"] is False
    if kk_decode:
        assert max(kw["temperature"]) <= 0.4 and "hotwords" not in kw


def test_kazakh_decoding_settings():
    kw = {"language": "kk", "initial_prompt": "Алматинские тепловые сети.", "hotwords": "ИПУ",
          "temperature": [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], "condition_on_previous_text": True}
    out = kazakh_decoding(kw)
    assert "initial_prompt" not in out and "hotwords" not in out      # the Russian terms are no Kazakh prompt
    assert kazakh_decoding(kw, KK_NEUTRAL_PROMPT)["initial_prompt"] == KK_NEUTRAL_PROMPT
    assert out["temperature"] == [0.0, 0.2, 0.4] and out["condition_on_previous_text"] is False
    assert kazakh_decoding({**kw, "initial_prompt": None, "temperature": 0.0})["temperature"] == 0.0


class _Frames:
    """Features at Whisper's 100 frames a second: each frame the loudness of its 10 ms."""

    nb_max_frames = 3000

    def __call__(self, audio):
        audio = np.asarray(audio, np.float32)
        return np.abs(audio[: len(audio) // 160 * 160]).reshape(-1, 160).max(axis=1)[None, :]


class _Widths(_Model):
    """Remembers how many frames each window sent to the encoder had."""

    def __init__(self):
        super().__init__()
        self.feature_extractor = _Frames()
        self.widths: list[int] = []

    def encode(self, features):
        self.widths.append(features.shape[-1])
        return features


@pytest.mark.parametrize("shared, widths", [
    (False, [1600, 3000]),   # the speaker: 15 s of their speech and a second, unpadded; the piece: padded
    (True, [3000]),          # packed by speaker, the speaker's window is their piece, the decoder's: once
])
def test_a_speaker_is_judged_on_15_s_of_speech_unpadded(shared, widths):
    left = _signal(41, [(0, 40, RU_LEVEL)])
    model = _Widths()
    chunks = [Chunk(0.0, 40.0, 0, "operator")]
    assert chunk_languages(model, [left], chunks, [(0, 0)], [left[:28 * SAMPLE_RATE]], shared=shared) == ["ru"]
    assert model.widths == widths


class _Windows(_Model):
    """Remembers each window sent to the encoder (its samples' loudness per 10 ms)."""

    def __init__(self, p_kk=lambda loud: 0.9 if loud > 0.3 else 0.05):
        super().__init__(p_kk)
        self.feature_extractor = _Frames()
        self.windows: list[bytes] = []

    def encode(self, features):
        self.windows.append(np.asarray(features, np.float32).tobytes())
        return features


# (voice, start, end, level) of a mono call's speech packed by voice; each voice's pieces (first, last chunk)
ONE_VOICE_TWO_PIECES = [("a", 0, 20, RU_LEVEL), ("a", 21, 41, RU_LEVEL * 1.5), ("b", 42, 50, KK_LEVEL)]


@pytest.mark.parametrize("speech, pieces, expected", [
    # voice a says 40 s: two pieces; its language from its first piece, no third window of its first 30 s
    (ONE_VOICE_TWO_PIECES, [(0, 0), (1, 1), (2, 2)], ["ru", "ru", "kk"]),
    ([("a", 0, 10, KK_LEVEL), ("b", 11, 21, RU_LEVEL)], [(0, 0), (1, 1)], ["kk", "ru"]),
    ([("a", 0, 10, RU_LEVEL), ("a", 11, 16, RU_LEVEL * 2), ("b", 17, 27, KK_LEVEL)], [(0, 1), (2, 2)],
     ["ru", "ru", "kk"]),
])
def test_packed_by_speaker_only_the_pieces_are_encoded(speech, pieces, expected):
    """Packed by speaker, each speaker is judged on their first piece: the encoder hears each piece once,
    the decoder's own windows, and no window made for the language alone."""
    end = max(e for _, _, e, _ in speech) + 1
    audio = _signal(end, [(s, e, level) for _, s, e, level in speech])
    chunks = [Chunk(float(s), float(e), 0, tag) for tag, s, e, _ in speech]
    sound = [np.concatenate([audio[s * SAMPLE_RATE:e * SAMPLE_RATE] for _, s, e, _ in speech[a:b + 1]])
             for a, b in pieces]
    model = _Windows()
    assert chunk_languages(model, [audio], chunks, pieces, sound, shared=True) == expected
    heard_alone = _Windows()
    for x in sound:
        kk_probability(heard_alone, x)
    piece_windows = set(heard_alone.windows)
    assert len(model.windows) == len(pieces)
    assert set(model.windows) <= piece_windows
