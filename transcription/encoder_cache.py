"""Each window of speech through Whisper's encoder once per call, whoever asks for it.

With ``--language auto`` the same 30 s window is wanted three times: by the
language of its speaker, by the language of its piece, and by the decoder.  The
encoder is most of a window's cost on CPU (about a third of the whole pipeline
on ``bench/asr.py``), so :func:`caching` gives a view of the loaded model whose
``encode`` keeps each window's output, keyed by its features, until
:meth:`CachingModel.forget` (once per call).  Everything else is the model's own.

The language code computes features as faster-whisper's feature extractor
returns them; the decoder drops the last frame (faster-whisper's ``[..., :-1]``)
before padding to 30 s.  :func:`for_language` gives the language code a view
whose features drop it too, so the same audio gives the same window both ways
(10 ms at the end of a piece: the language probabilities do not move).

The view also stops encoding the padding (``trim``, the ``trim_padding`` option): faster-whisper pads
every window's features with zeros to 30 s, and the encoder's cost grows faster than its length
(self-attention over every pair of frames; on the bench machine, one thread, int8: 0.19 CPU-s for
20 s of frames against 0.55 for 30 s).  A window is encoded only up to its last frame of sound,
rounded up to a whole second, plus one second of padding (:func:`trimmed_length`; a batch of
windows to its longest one's); the decoder, the aligner and the language token read the shorter
output as they read the full one.

CPU only: on a GPU the encoder is cheap, and its output stays on the device.
"""
from __future__ import annotations

import hashlib

import numpy as np


class _DecoderFrames:
    """A feature extractor that returns the frames faster-whisper's decoders use (the last one dropped)."""

    def __init__(self, extractor) -> None:
        self._extractor = extractor

    def __getattr__(self, name):
        return getattr(self._extractor, name)

    def __call__(self, audio, *args, **kwargs):
        return self._extractor(audio, *args, **kwargs)[..., :-1]


# frames per second of Whisper's features; windows are trimmed to whole seconds
FRAMES_PER_S = 100
# seconds of padding kept after a window's last frame of sound: faster-whisper's batched decoder aligns a
# piece's words over its duration rounded up to a whole second, and the aligner must not read past the
# encoder's output (CTranslate2 does not check; reading past it corrupts memory)
KEEP_PADDING_S = 1


def trimmed_length(window: np.ndarray) -> int:
    """The frames of a (mels, frames) window that the encoder gets: up to its last non-zero frame,
    rounded up to a whole second, and ``KEEP_PADDING_S`` more; never more than the window."""
    sound = np.flatnonzero(np.any(window != 0, axis=0))
    used = int(sound[-1]) + 1 if len(sound) else 0
    seconds = -(-used // FRAMES_PER_S) + KEEP_PADDING_S
    return min(window.shape[-1], seconds * FRAMES_PER_S)


def _key(window: np.ndarray) -> bytes:
    return hashlib.blake2b(np.ascontiguousarray(window, dtype=np.float32).tobytes(), digest_size=16).digest()


def caching(model, trim: bool = True):
    """A view of ``model`` (a ``faster_whisper.WhisperModel``) that encodes each window once (and, ``trim``, only
    up to its sound: :func:`trimmed_length`); ``model`` itself on a GPU."""
    from faster_whisper import WhisperModel

    if not isinstance(model, WhisperModel) or model.model.device != "cpu":
        return model

    class CachingModel(WhisperModel):
        """The model, with ``encode`` remembering its windows until :meth:`forget`; ``counts`` of windows
        encoded and reused, and of the frames encoded."""

        def encode(self, features: np.ndarray):
            import ctranslate2

            batch = features[None] if features.ndim == 2 else features
            if self._trim:  # one length for the batch: the decoder reads one array
                batch = batch[..., :max(trimmed_length(w) for w in batch)]
            keys = [_key(w) for w in batch]
            todo = [i for i, k in enumerate(keys) if k not in self._encoded]
            if todo:
                fresh = np.asarray(WhisperModel.encode(self, np.ascontiguousarray(batch[todo])))
                for j, i in enumerate(todo):
                    self._encoded[keys[i]] = fresh[j]
                self.counts["encoded"] += len(todo)
                self.counts["frames"] += len(todo) * batch.shape[-1]
            self.counts["reused"] += len(keys) - len(todo)
            out = np.ascontiguousarray(np.stack([self._encoded[k] for k in keys]))
            self._alive.append(out)  # a StorageView from an array shares its memory
            return ctranslate2.StorageView.from_array(out)

        def forget(self) -> None:
            self._encoded.clear()
            self._alive.clear()

    view = object.__new__(CachingModel)
    view.__dict__.update(model.__dict__)  # the same CTranslate2 model, tokenizer and feature extractor
    view._encoded, view._alive, view.counts = {}, [], {"encoded": 0, "reused": 0, "frames": 0}
    view._trim = trim
    return view


def for_language(model):
    """The view the language code gets: the same encoder, features framed as the decoder frames them."""
    if not hasattr(model, "forget"):
        return model
    view = object.__new__(type(model))
    view.__dict__ = model.__dict__.copy()  # shares the window store and the counts (the same objects)
    view.feature_extractor = _DecoderFrames(model.feature_extractor)
    return view


def forget(model) -> None:
    """Drop the windows a caching view holds (nothing for a plain model)."""
    if hasattr(model, "forget"):
        model.forget()
