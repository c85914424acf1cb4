"""Decoding: the formats and rates of real recorders, and the reasons a file is refused."""
from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from data.tts import write_wav
from transcription.audio import SAMPLE_RATE, AudioError, decode

DATA = Path(__file__).parent / "data"


def encode(path: Path, samples: np.ndarray, rate: int, codec: str, fmt: str | None = None) -> Path:
    """Write float samples (n, channels) with PyAV's encoder ``codec``."""
    layout = "stereo" if samples.shape[1] == 2 else "mono"
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        frame = av.AudioFrame.from_ndarray(
            (np.clip(samples, -1, 1) * 32767).astype(np.int16).reshape(1, -1), format="s16", layout=layout)
        frame.rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def tone(seconds: float, rate: int, channels: int) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    cols = [0.3 * np.sin(2 * np.pi * f * t) for f in (440, 660)[:channels]]
    return np.stack(cols, axis=1).astype(np.float32)


@pytest.mark.parametrize("name, codec, fmt, rate, channels", [
    ("a.wav", "pcm_s16le", None, 8000, 2),
    ("b.wav", "pcm_s16le", None, 44100, 1),
    ("c.flac", "flac", None, 22050, 2),
    ("d.mp3", "libmp3lame", None, 8000, 1),
    ("e.mp3", "libmp3lame", None, 44100, 2),
    ("f.ogg", "libopus", "ogg", 48000, 2),
    ("g.opus", "libopus", "ogg", 16000, 1),
])
def test_formats_and_rates(tmp_path, name, codec, fmt, rate, channels):
    path = encode(tmp_path / name, tone(2.0, rate, channels), rate, codec, fmt)
    audio = decode(path)
    assert len(audio.channels) == channels
    assert audio.source_channels == channels
    assert audio.duration_s == pytest.approx(2.0, abs=0.1)
    assert all(ch.dtype == np.float32 and len(ch) == len(audio.channels[0]) for ch in audio.channels)
    assert 0.1 < float(np.abs(audio.channels[0]).max()) < 0.5


def test_committed_clip_is_stereo():
    audio = decode(DATA / "stereo_call.flac")
    assert audio.stereo and audio.source_rate == 8000
    assert audio.duration_s == pytest.approx(7.36, abs=0.05)
    assert len(audio.channels[0]) == round(audio.duration_s * SAMPLE_RATE)


def _truncated(tmp_path: Path) -> Path:
    full = tmp_path / "full.wav"
    write_wav(full, tone(3.0, 8000, 2), 8000)
    cut = tmp_path / "truncated.wav"
    cut.write_bytes(full.read_bytes()[:20000])
    return cut


@pytest.mark.parametrize("make, reason", [
    (lambda d: _write(d / "empty.wav", b""), "empty file"),
    (lambda d: _write(d / "notes.mp3", b"not audio at all\n" * 20), "not a readable audio file"),
    (lambda d: _write(d / "header_only.wav", _wav_header()), "no audio samples|not a readable"),
    (_truncated, "truncated: the header promises 3.0 s, only 0.6 s could be decoded"),
    (lambda d: write_wav(d / "zero.wav", np.zeros((0, 2), np.float32), 8000) or d / "zero.wav",
     "no audio samples"),
    (lambda d: d / "missing.wav", "file not found"),
])
def test_bad_files_give_the_reason(tmp_path, make, reason):
    path = make(tmp_path)
    with pytest.raises(AudioError, match=reason):
        decode(path)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _wav_header() -> bytes:
    import struct

    return (b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 2, 8000, 32000, 4, 16)
            + b"data" + struct.pack("<I", 0))


def test_mixdown_is_the_average():
    audio = decode(DATA / "stereo_call.flac")
    np.testing.assert_allclose(audio.mono(), (audio.channels[0] + audio.channels[1]) / 2, atol=1e-6)
