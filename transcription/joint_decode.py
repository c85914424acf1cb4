"""Several calls' windows through Whisper's decoder in one batch: the same transcripts for less CPU.

On CPU the decoder's beam search costs most of a call (about 45 % on ``bench/asr.py``), and most of
that is reading the weights once per step whatever the batch: the more windows decode together, the
less each costs (one thread, beam 5, the bench's windows: 1.09 CPU-s a window alone, 0.92 two at a
time, as one call's pieces go, 0.78 four, 0.69 eight).  A worker therefore transcribes a few calls
at once (``decode_together``), each in a thread of its own with its own :class:`Transcriber`, all
over one loaded model whose ``generate`` goes through a :class:`Batcher`: a thread that asks for a
decode waits until every thread of the group is waiting for one (or done), and then all their windows
are decoded in one call to CTranslate2.  Requests whose settings differ (beam, prompt, temperature, a
window trimmed to another length) are decoded in separate calls.

CTranslate2 decodes each window of a batch alone (its beams, its encoder output; nothing is padded
when the windows are the same length), so the transcripts are the very ones a call decoded by itself
gets (``tests/test_transcription_joint.py``).  Everything else (VAD, the encoder, the guards and
second passes, and the word timestamps: ``align``) runs per call as before.  The word timestamps were
batched too once, but on an AVX2 machine a batched alignment moved a word's end by 40 ms (attention over
a batch is not bit for bit the attention alone), so a call's transcript depended on the calls it was
decoded with, and a cluster's store differed from a plain ingest's; aligned alone they are the same.
CPU only: on a GPU the encoder output stays on the device and a worker takes one call at a time.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Request:
    features: np.ndarray            # (windows, frames, width): encoder output
    prompts: list                   # per window: generate's prompt
    options: dict
    result: list | None = None
    error: BaseException | None = None
    done: bool = False
    key: tuple = field(default=())


class Batcher:
    """Decode requests of ``members`` threads, gathered until each member waits (or has left)."""

    def __init__(self, model, members: int = 1) -> None:
        self.model = model          # the CTranslate2 Whisper model
        self._cond = threading.Condition()
        self._pending: list[_Request] = []
        self._active = members
        self._waiting = 0
        self._running = False
        self.calls = 0              # CTranslate2 generate calls made, and windows decoded in them
        self.windows = 0

    def reset(self, members: int) -> None:
        """A new group of ``members`` threads (none may be waiting)."""
        with self._cond:
            if self._waiting:
                raise RuntimeError("a decode batch is still waiting")
            self._active = members

    def leave(self) -> None:
        """A member is done: the others no longer wait for it."""
        with self._cond:
            self._active -= 1
            self._cond.notify_all()

    def generate(self, features, prompts: Sequence[Sequence[int]], **options) -> list:
        """CTranslate2's ``Whisper.generate``, with the windows of the other members' requests."""
        array = _array(features)
        req = _Request(array, [list(p) for p in prompts], options)
        req.key = (array.shape[1:], str(array.dtype), tuple(len(p) for p in req.prompts[:1]),
                   repr(sorted(options.items())))
        return self._wait(req)

    def _wait(self, req: _Request) -> list:
        with self._cond:
            self._pending.append(req)
            self._waiting += 1
            while not req.done:
                if self._waiting >= self._active and not self._running:
                    batch, self._pending = self._pending, []
                    self._running = True
                    self._cond.release()
                    try:
                        self._run(batch)
                    finally:
                        self._cond.acquire()
                        self._running = False
                        self._waiting -= len(batch)
                        for r in batch:
                            r.done = True
                        self._cond.notify_all()
                else:
                    self._cond.wait()
        if req.error is not None:
            raise req.error
        return req.result

    def _run(self, batch: list[_Request]) -> None:
        """Each group of requests with the same settings in one CTranslate2 call; results split back."""
        import ctranslate2

        groups: dict[tuple, list[_Request]] = {}
        for r in batch:
            groups.setdefault(r.key, []).append(r)
        for group in groups.values():
            try:
                features = group[0].features if len(group) == 1 else np.concatenate([r.features for r in group])
                view = ctranslate2.StorageView.from_array(np.ascontiguousarray(features))
                results = self.model.generate(view, [p for r in group for p in r.prompts], **group[0].options)
            except Exception as e:  # noqa: BLE001 - handed to each waiting caller, raised there
                for r in group:
                    r.error = e
                continue
            self.calls += 1
            self.windows += len(features)
            at = 0
            for r in group:
                r.result = list(results[at:at + len(r.features)])
                at += len(r.features)
            if len(group) > 1:
                log.debug("%d windows of %d calls decoded together", len(features), len(group))


class _BatchingWhisper:
    """The CTranslate2 Whisper model with ``generate`` going through a :class:`Batcher` (all else, ``align`` too,
    is the model's own, per call)."""

    def __init__(self, model, batcher: Batcher) -> None:
        self._model = model
        self._batcher = batcher

    def generate(self, features, prompts, **options):
        return self._batcher.generate(features, prompts, **options)

    def __getattr__(self, name: str):
        return getattr(self._model, name)


def _array(features) -> np.ndarray:
    """An encoder output (a CPU ``StorageView`` or an array) as a float32 array (sharing its memory)."""
    array = np.asarray(features)
    return array if array.dtype == np.float32 else array.astype(np.float32)


def batching(model, batcher: Batcher):
    """A view of ``model`` (a ``faster_whisper.WhisperModel``) whose decoder runs through ``batcher``."""
    view = object.__new__(type(model))
    view.__dict__.update(model.__dict__)
    view.model = _BatchingWhisper(model.model, batcher)
    return view


class Together:
    """``size`` transcribers over one loaded model, for calls transcribed at the same time in threads.

    size 1 (or a model not on CPU): one transcriber, the calls one after another, no threads.
    """

    def __init__(self, opts, size: int, make: Callable[[Any, Any], Any]) -> None:
        """make(opts, model or None) -> a transcriber (``transcription.pipeline.Transcriber`` and its recognizer)."""
        first = make(opts, None)
        model = first.recognizer.model
        self.batcher: Batcher | None = None
        if size <= 1 or getattr(getattr(model, "model", None), "device", "cpu") != "cpu":
            self.transcribers = [first]
            return
        self.batcher = Batcher(model.model)
        shared = batching(model, self.batcher)
        self.transcribers = [make(opts, shared) for _ in range(size)]

    @property
    def size(self) -> int:
        return len(self.transcribers)

    def map(self, work: Callable[[Any, Any], Any], items: Sequence) -> list[tuple[Any, BaseException | None]]:
        """(work(transcriber, item), None) or (None, the exception) for each item, in order; up to ``size`` at
        a time, each in its own thread while more than one.  An exception that is no ``Exception`` (an
        interrupt) in a thread comes back as that call's and every later call's (none of them started);
        the caller raises it after keeping the calls before it."""
        out: list[tuple[Any, BaseException | None]] = []
        for at in range(0, len(items), self.size):
            part = list(items[at:at + self.size])
            if len(part) == 1 or self.batcher is None:  # an interrupt goes up at once
                out += [_attempt(work, self.transcribers[0], item) for item in part]
                continue
            got = self._threads(work, part)
            out += got
            stop = next((e for _, e in got if e is not None and not isinstance(e, Exception)), None)
            if stop is not None:  # the calls after this group are not started
                return out + [(None, stop)] * (len(items) - len(out))
        return out

    def _threads(self, work, part: list) -> list[tuple[Any, BaseException | None]]:
        got: list[tuple[Any, BaseException | None]] = [(None, None)] * len(part)
        self.batcher.reset(len(part))

        def one(k: int) -> None:
            try:
                got[k] = _attempt(work, self.transcribers[k], part[k])
            except BaseException as e:  # noqa: BLE001 - an interrupt: handed to the caller, who raises it
                got[k] = (None, e)
            finally:
                self.batcher.leave()

        threads = [threading.Thread(target=one, args=(k,), name=f"call-{k}") for k in range(len(part))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return got


def _attempt(work, transcriber, item) -> tuple[Any, BaseException | None]:
    try:
        return work(transcriber, item), None
    except Exception as e:  # noqa: BLE001 - the caller reports it for that call alone
        return None, e
