"""Finished transcripts, kept by the audio's content hash, the model and the settings.

Re-running a batch skips what is done.  Each entry is written atomically as
soon as its call is transcribed, so a crash loses at most the calls in hand
(``decode_together`` per worker).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from pathlib import Path

from transcription.model import sha256_file
from transcription.options import TranscribeOptions
from transcription.schema import SchemaError, Transcript

log = logging.getLogger(__name__)

# Bump when the pipeline changes what it outputs for the same audio and settings.
PIPELINE_VERSION = 14
# Settings that do not change the transcript, left out of the key.
NOT_IN_KEY = {"device", "workers", "cpu_threads", "cache_dir", "batch_size", "decode_together", "compute_type", "model",
              "extra"}


def settings_key(opts: TranscribeOptions, model: str) -> str:
    """The part of the cache key that describes the model and the settings."""
    settings = {k: v for k, v in dataclasses.asdict(opts).items() if k not in NOT_IN_KEY}
    settings["model"] = model
    settings["pipeline"] = PIPELINE_VERSION
    return json.dumps(settings, sort_keys=True, ensure_ascii=False)


class TranscriptCache:
    """A folder of ``<key>.json`` entries (the transcript and the model that made it)."""

    def __init__(self, folder: Path, opts: TranscribeOptions, model: str) -> None:
        self.folder = Path(folder)
        self.model = model
        self._settings = settings_key(opts, model)

    def key(self, audio: Path) -> str:
        """SHA-256 of the audio content and the settings."""
        return hashlib.sha256(f"{sha256_file(audio)}|{self._settings}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, call_id: str) -> Transcript | None:
        path = self._path(key)
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            transcript = Transcript.from_dict(data["transcript"], source=str(path))
        except (OSError, ValueError, KeyError, TypeError, SchemaError) as e:
            log.warning("%s: unreadable cache entry, transcribing again (%s)", path, e)
            return None
        transcript.call_id = call_id
        return transcript

    def put(self, key: str, transcript: Transcript) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"model": self.model, "transcript": transcript.to_dict()}, ensure_ascii=False),
                       encoding="utf-8")
        tmp.replace(path)
