"""Several calls' windows decoded in one batch: the batcher's bookkeeping, and the same transcripts (slow)."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from transcription.joint_decode import Batcher, Together

CLIP = Path(__file__).parent / "data" / "stereo_call.flac"


class FakeWhisper:
    """A CTranslate2 Whisper stand-in: each window's "result" is its first feature value and its prompt."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[int, dict]] = []
        self.fail = fail

    def generate(self, features, prompts, **options):
        windows = np.asarray(features)
        self.calls.append((len(windows), options))
        if self.fail:
            raise RuntimeError("decoder broke")
        return [(float(w[0, 0]), tuple(p)) for w, p in zip(windows, prompts, strict=True)]

    def align(self, features, start_sequence, text_tokens, num_frames, **options):
        windows = np.asarray(features)
        self.calls.append((len(windows), {"align": tuple(start_sequence), **options}))
        return [(float(w[0, 0]), tuple(t), n) for w, t, n in zip(windows, text_tokens, num_frames, strict=True)]


def _asks(batcher: Batcher, requests: list[tuple[list[float], list[int], dict]]) -> list:
    """Each request (window values, prompt, options) from a thread of its own; each thread's answer."""
    got: list = [None] * len(requests)

    def ask(k: int) -> None:
        values, prompt, options = requests[k]
        features = np.stack([np.full((2, 3), v, np.float32) for v in values])
        try:
            got[k] = batcher.generate(features, [prompt] * len(values), **options)
        except RuntimeError as e:
            got[k] = str(e)
        finally:
            batcher.leave()

    _in_threads(ask, len(requests))
    return got


def _in_threads(ask, n: int) -> None:
    """``ask(0)`` … ``ask(n - 1)``, each in a thread of its own, all at once; fails if one still waits."""
    threads = [threading.Thread(target=ask, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert not any(t.is_alive() for t in threads), "a thread still waits for its decode"


@pytest.mark.parametrize("requests, generate_calls", [
    # three calls' windows, one decode
    ([([1.0, 2.0], [7], {"beam_size": 5}), ([3.0], [7], {"beam_size": 5}), ([4.0, 5.0], [7], {"beam_size": 5})],
     [5]),
    # other settings (a second pass without the prompt, another beam): decoded apart
    ([([1.0, 2.0], [7, 8], {"beam_size": 5}), ([3.0], [7], {"beam_size": 5}), ([4.0], [7], {"beam_size": 1})],
     [2, 1, 1]),
    # one call alone
    ([([1.0], [7], {"beam_size": 5})], [1]),
])
def test_windows_of_several_calls_go_through_one_generate_and_come_back_to_their_call(requests, generate_calls):
    model = FakeWhisper()
    got = _asks(Batcher(model, members=len(requests)), requests)
    assert sorted(n for n, _ in model.calls) == sorted(generate_calls)
    for (values, prompt, _), answer in zip(requests, got, strict=True):
        assert answer == [(v, tuple(prompt)) for v in values]


def test_word_timestamps_are_each_calls_own_and_never_wait_for_a_batch():
    """A batched alignment was not the alignment alone on an AVX2 machine (a word's end moved by 40 ms), so a call's
    transcript depended on its neighbours: ``align`` goes straight to the model, with the call's windows only, while
    ``generate`` goes through the batcher."""
    from transcription.joint_decode import _BatchingWhisper

    model = FakeWhisper()
    view = _BatchingWhisper(model, Batcher(model, members=2))   # a second member never asks: no batch could form
    features = np.stack([np.full((2, 3), v, np.float32) for v in (1.0, 2.0)])
    got: list = []
    _in_threads(lambda _: got.extend(view.align(features, [50258], [[10], [20]], [100, 200], median_filter_width=7)),
                1)                                           # (a batched align would wait for the other member)
    assert got == [(1.0, (10,), 100), (2.0, (20,), 200)]
    assert model.calls == [(2, {"align": (50258,), "median_filter_width": 7})]


def test_a_broken_decode_is_each_waiting_calls_error():
    requests = [([1.0], [7], {}), ([2.0], [7], {})]
    assert _asks(Batcher(FakeWhisper(fail=True), members=2), requests) == ["decoder broke", "decoder broke"]


def test_a_call_that_never_decodes_does_not_hold_up_the_others():
    model = FakeWhisper()
    batcher = Batcher(model, members=3)
    batcher.leave()  # a call that failed before its first decode (bad audio)
    got = _asks(batcher, [([1.0], [7], {}), ([2.0], [7], {})])
    assert got == [[(1.0, (7,))], [(2.0, (7,))]] and [n for n, _ in model.calls] == [2]


class FakeTranscriber:
    def __init__(self, recognizer=None) -> None:
        self.recognizer = recognizer


@pytest.mark.parametrize("items, expected", [
    ([1, 2, 3, 4, 5], [(10, None), (20, None), (30, None), (40, None), (50, None)]),
    ([1, 0, 3], [(10, None), ("ZeroDivisionError", None), (30, None)]),
])
def test_together_keeps_the_calls_order_and_each_calls_own_error(items, expected):
    model = type("Model", (), {"model": FakeWhisper()})()
    together = Together(None, 2, lambda opts, m: FakeTranscriber(type("R", (), {"model": m or model})()))
    assert together.size == 2 and together.batcher is not None

    def work(transcriber, item):
        if item == 0:
            raise ZeroDivisionError
        return 10 * item

    got = [(r, None) if e is None else (type(e).__name__, None) for r, e in together.map(work, items)]
    assert got == expected


@pytest.mark.slow
def test_calls_decoded_together_get_the_transcripts_they_get_alone(tmp_path):
    """The clip, its channels swapped, and its first two thirds: three calls decoded alone, then together."""
    from data.tts import write_wav
    from transcription.audio import SAMPLE_RATE, decode
    from transcription.batch import transcribe_files, transcribers
    from transcription.options import TranscribeOptions

    samples = np.stack(decode(CLIP).channels, axis=1)
    paths = [tmp_path / "a.wav", tmp_path / "b.wav", tmp_path / "c.wav"]
    for path, version in zip(paths, (samples, samples[:, ::-1], samples[: len(samples) * 2 // 3]), strict=True):
        write_wav(path, version, SAMPLE_RATE)

    def run(together: int) -> list[str]:
        opts = TranscribeOptions(device="cpu", workers=1, cpu_threads=1, decode_together=together,
                                 cache_dir=str(tmp_path / "cache"))
        return [json.dumps(r.transcript.to_dict(), ensure_ascii=False, sort_keys=True)
                for r in transcribe_files(paths, None, opts, use_cache=False)]

    alone, joint = run(1), run(3)
    assert len(alone) == 3 and all(json.loads(t)["utterances"] for t in alone)
    assert joint == alone
    # and they were decoded together: fewer generate calls than windows
    together = transcribers(TranscribeOptions(device="cpu", cpu_threads=1, decode_together=3))
    together.map(lambda transcriber, path: transcriber.transcribe(path), paths)
    assert together.batcher.windows > together.batcher.calls > 0
