"""The Ray actor of ``oka-qa ingest --cluster``: one Whisper model and one rulebook, many calls.

An actor receives recordings as bytes (nothing of the driver's file system is needed on its node), a
few calls at a time on CPU (``decode_together``, as a worker process of a plain ingest takes them: their
windows decoded in one batch, :mod:`transcription.joint_decode`, the same transcripts for less CPU),
writes them to private temporary files for the decoder, transcribes them with the model it loaded on its
first recording, checks each transcript with the rulebook it loaded when it started, and returns an
:class:`Outcome` per call.  A recording that cannot be decoded is an answer too (its error line without the
file name, which only the driver knows), so Ray never retries it and it is reported once.
"""
from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import ray

from transcription.batch import failure, transcribers
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
        self._transcribers = None  # over the Whisper model: loaded with the first recording (cached calls need none)
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
        return self.process_group([(call_id, layout, suffix, audio, transcript)])[0]

    def process_group(self, items: list[tuple[str, str, str, bytes | None, Transcript | None]]) -> list[Outcome]:
        """Each item (call id, layout, file suffix, recording or None, transcript or None) transcribed, the
        recordings of one layout at the same time, and checked: an :class:`Outcome` per item, in order."""
        outs = [Outcome(call_id) for call_id, *_ in items]
        transcripts: list[Transcript | None] = [t for *_, t in items]
        heard = [k for k, item in enumerate(items) if item[3] is not None]
        if heard:
            with tempfile.TemporaryDirectory(prefix="oka-qa-call-") as tmp:  # private (0700), gone afterwards
                for layout in dict.fromkeys(items[k][1] for k in heard):
                    part = [k for k in heard if items[k][1] == layout]
                    for k, (made, error) in zip(part, self._transcribe(layout, [items[k] for k in part], Path(tmp)),
                                                strict=True):
                        transcripts[k] = self._kept(outs[k], made, error)
        for out, transcript in zip(outs, transcripts, strict=True):
            if transcript is not None and self._checker is not None:
                transcript.call_id = out.call_id
                try:
                    out.result = self._checker.check(transcript)
                except Exception as e:  # one transcript the rulebook trips on must not stop the rest
                    log.debug("checking %s failed", out.call_id, exc_info=True)
                    out.check_error = f"checking call {out.call_id} failed: {e}"
        return outs

    def _kept(self, out: Outcome, made: Transcript | None, error: BaseException | None) -> Transcript | None:
        """The transcript as the driver stores it, or None with the call's error in ``out``."""
        if error is None:
            out.transcript, out.model = made.to_dict(), self.model
            return Transcript.from_dict(out.transcript)  # checked as the driver stores it
        if isinstance(error, ModelError):
            out.fatal = str(error)
        else:  # an interrupt is raised: the actor stops, the driver re-sends its calls
            out.error = failure(error, out.call_id)
        return None

    def _transcribe(self, layout: str, items: list, tmp: Path) -> list[tuple[Transcript | None, BaseException | None]]:
        """(transcript, None) or (None, error) for each item of one layout, decoded together."""
        from transcription.pipeline import Transcriber

        try:
            together = self._together()
        except Exception as e:  # the model does not load (ModelError: fatal) or another fault: every call's
            log.debug("the model does not load", exc_info=True)
            return [(None, e)] * len(items)
        opts = replace(self.opts, layout=layout) if layout else self.opts
        paths = []
        for call_id, _, suffix, audio, _ in items:
            path = tmp / f"{call_id}{suffix}"  # the name its log lines give
            path.write_bytes(audio)
            paths.append((path, call_id))
        return together.map(lambda t, item: Transcriber(opts, t.recognizer).transcribe(*item), paths)

    def _together(self):
        """The model, loaded with the first recording (cached calls need none), ``decode_together`` transcribers
        over it on CPU."""
        if self._transcribers is None:
            self._transcribers = transcribers(self.opts)   # as a worker process of a plain ingest makes them
        return self._transcribers
