"""The Ray actor of ``oka-qa ingest --cluster``: one Whisper model and one rulebook, many calls.

An actor receives a recording as bytes (nothing of the driver's file system is needed on its node),
writes them to a private temporary file for the decoder, transcribes the call with the model it loaded
on its first recording, checks the transcript with the rulebook it loaded when it started, and returns
an :class:`Outcome`.  A recording that cannot be decoded is an answer too (its error line without the
file name, which only the driver knows), so Ray never retries it and it is reported once.
"""
from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import ray

from transcription.audio import AudioError
from transcription.model import ModelError, describe, pick_runtime
from transcription.options import TranscribeOptions
from transcription.schema import CheckResult, Transcript

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What an actor answers for one call."""

    call_id: str
    transcript: dict | None = None        # made here, as its JSON (rounded as a worker process of a plain
                                          # ingest sends it); None when the call came with its transcript
    model: str | None = None              # the model description of a transcript made here
    result: CheckResult | None = None     # None: not checked here
    error: str | None = None              # the recording cannot be transcribed: the line, less the file name
    check_error: str | None = None        # the rulebook tripped on the transcript
    fatal: str | None = None              # nothing can be transcribed on this actor (the model does not load)


@ray.remote(max_restarts=0, max_task_retries=0)  # the driver re-sends the calls of a dead actor itself
class CallWorker:
    """Transcribes and checks calls; the model and the rulebook are loaded once per actor."""

    def __init__(self, opts: TranscribeOptions, check: bool) -> None:
        self.opts = opts
        self.model = describe(opts, pick_runtime(opts))
        self._recognizer = None  # the Whisper model: loaded with the first recording (cached calls need none)
        self._checker = None
        if check:
            from rules.engine import Checker

            self._checker = Checker.default()

    def ready(self) -> dict:
        """Where the actor runs and what it checks with (the driver compares the rulebook edition)."""
        rule_set = None
        if self._checker is not None:
            from rules import versions

            rule_set = versions.manifest(self._checker.rulebook).key
        return {"node": ray.get_runtime_context().get_node_id(), "pid": os.getpid(), "model": self.model,
                "rulebook": self._checker.version if self._checker is not None else None, "rule_set": rule_set}

    def process(self, call_id: str, layout: str, suffix: str, audio: bytes | None,
                transcript: Transcript | None) -> Outcome:
        """Transcribe ``audio`` (or take ``transcript``) and check it."""
        out = Outcome(call_id)
        if audio is not None:
            try:
                transcript = self._transcribe(call_id, layout, suffix, audio)
            except AudioError as e:
                out.error = f"cannot decode audio: {e}"
                return out
            except ModelError as e:
                out.fatal = str(e)
                return out
            except Exception as e:
                log.debug("transcription of %s failed", call_id, exc_info=True)
                out.error = f"transcription failed: {e}"
                return out
            out.transcript, out.model = transcript.to_dict(), self.model
            transcript = Transcript.from_dict(out.transcript)  # checked as the driver stores it
        if self._checker is not None:
            transcript.call_id = call_id
            try:
                out.result = self._checker.check(transcript)
            except Exception as e:  # one transcript the rulebook trips on must not stop the rest
                log.debug("checking %s failed", call_id, exc_info=True)
                out.check_error = f"checking call {call_id} failed: {e}"
        return out

    def _transcribe(self, call_id: str, layout: str, suffix: str, audio: bytes) -> Transcript:
        from transcription.pipeline import Transcriber
        from transcription.recognize import Recognizer

        if self._recognizer is None:
            self._recognizer = Recognizer(self.opts)
        opts = replace(self.opts, layout=layout) if layout else self.opts
        with tempfile.TemporaryDirectory(prefix="oka-qa-call-") as tmp:  # private (0700), gone afterwards
            path = Path(tmp) / f"{call_id}{suffix}"  # the name its log lines give
            path.write_bytes(audio)
            return Transcriber(opts, self._recognizer).transcribe(path, call_id)
