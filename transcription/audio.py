"""Audio in: any container PyAV reads (WAV, MP3, OGG/Opus, FLAC...), any sample rate.

Decoding goes through faster-whisper's own decoder (PyAV, no system ffmpeg)
and yields 16 kHz float32 channels.  A file that cannot be decoded raises
:class:`AudioError` with the reason, for the batch to record and go on.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import OkaError

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
# decoded audio shorter than this share of what the header promises is "truncated"
TRUNCATED_SHARE = 0.9
TRUNCATED_SLACK_S = 0.5


class AudioError(OkaError):
    """A recording cannot be decoded; the message says why."""


@dataclass
class Audio:
    """A decoded recording: one or two 16 kHz float32 channels of equal length."""

    channels: list[np.ndarray]
    source_channels: int
    source_rate: int

    @property
    def duration_s(self) -> float:
        return len(self.channels[0]) / SAMPLE_RATE

    @property
    def stereo(self) -> bool:
        return len(self.channels) == 2

    def mono(self) -> np.ndarray:
        """The channels mixed down to one (the average)."""
        if not self.stereo:
            return self.channels[0]
        return ((self.channels[0] + self.channels[1]) * 0.5).astype(np.float32)


def probe(path: Path) -> tuple[int, int, float | None]:
    """(channels, sample rate, duration the container declares or None)."""
    import av

    with av.open(str(path), mode="r", metadata_errors="ignore") as container:
        if not container.streams.audio:
            raise AudioError("no audio stream in the file")
        stream = container.streams.audio[0]
        declared = None
        if stream.duration is not None and stream.time_base is not None:
            declared = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            declared = container.duration / 1_000_000
        return stream.channels or 1, stream.rate or 0, _wav_declared(path) or declared


def _wav_declared(path: Path) -> float | None:
    """The duration a PCM WAV header declares (FFmpeg estimates it from the file size instead)."""
    import wave

    try:
        with open(path, "rb") as f:
            if f.read(4) != b"RIFF":
                return None
        with wave.open(str(path), "rb") as w:
            return w.getnframes() / w.getframerate() if w.getframerate() else None
    except (wave.Error, EOFError, OSError):
        return None


def decode(path: Path) -> Audio:
    """Decode ``path`` into 16 kHz channels (two if the file has two or more, else one)."""
    from faster_whisper import decode_audio

    path = Path(path)
    if not path.is_file():
        raise AudioError("file not found")
    if path.stat().st_size == 0:
        raise AudioError("empty file (0 bytes)")
    try:
        n_channels, rate, declared = probe(path)
        stereo = n_channels >= 2
        decoded = decode_audio(str(path), sampling_rate=SAMPLE_RATE, split_stereo=stereo)
    except AudioError:
        raise
    except Exception as e:  # PyAV raises its own FFmpegError family (InvalidDataError...), and OSError
        reason = getattr(e, "strerror", None) or str(e).split(": '")[0] or type(e).__name__
        raise AudioError(f"not a readable audio file ({reason})") from e
    channels = list(decoded) if stereo else [decoded]
    length = len(channels[0])
    if length == 0:
        raise AudioError("no audio samples (zero-length recording)")
    got = length / SAMPLE_RATE
    if declared and got < declared * TRUNCATED_SHARE - TRUNCATED_SLACK_S:
        raise AudioError(f"truncated: the header promises {declared:.1f} s, only {got:.1f} s could be decoded")
    for i, ch in enumerate(channels):
        if stereo and not np.any(ch):
            log.warning("%s: channel %d is digital silence", path, i)
    return Audio(channels=channels, source_channels=n_channels, source_rate=rate)
