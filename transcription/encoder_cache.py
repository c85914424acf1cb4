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


def _key(window: np.ndarray) -> bytes:
    return hashlib.blake2b(np.ascontiguousarray(window, dtype=np.float32).tobytes(), digest_size=16).digest()


def caching(model):
    """A view of ``model`` (a ``faster_whisper.WhisperModel``) that encodes each window once; ``model`` on a GPU."""
    from faster_whisper import WhisperModel

    if not isinstance(model, WhisperModel) or model.model.device != "cpu":
        return model

    class CachingModel(WhisperModel):
        """The model, with ``encode`` remembering its windows until :meth:`forget`; ``counts`` of windows
        encoded and reused."""

        def encode(self, features: np.ndarray):
            import ctranslate2

            batch = features[None] if features.ndim == 2 else features
            keys = [_key(w) for w in batch]
            todo = [i for i, k in enumerate(keys) if k not in self._encoded]
            if todo:
                fresh = np.asarray(WhisperModel.encode(self, np.ascontiguousarray(batch[todo])))
                for j, i in enumerate(todo):
                    self._encoded[keys[i]] = fresh[j]
                self.counts["encoded"] += len(todo)
            self.counts["reused"] += len(keys) - len(todo)
            out = np.ascontiguousarray(np.stack([self._encoded[k] for k in keys]))
            self._alive.append(out)  # a StorageView from an array shares its memory
            return ctranslate2.StorageView.from_array(out)

        def forget(self) -> None:
            self._encoded.clear()
            self._alive.clear()

    view = object.__new__(CachingModel)
    view.__dict__.update(model.__dict__)  # the same CTranslate2 model, tokenizer and feature extractor
    view._encoded, view._alive, view.counts = {}, [], {"encoded": 0, "reused": 0}
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
