"""Russian speech synthesis of scripted calls, for the demo data and test audio.

Festival's Russian voice (Debian packages ``festival`` and ``festvox-ru``)
speaks each turn; the customer's turns are pitch-shifted with sox so the two
sides sound different.  Turns are laid out on a timeline and mixed into an
8 kHz telephone recording: stereo with one side per channel, or mono.  Line
noise and channel bleed (each side leaking faintly into the other channel, as
some recorders do) can be added.  Kazakh turns (``Turn(..., language="kk")``) are
spoken by espeak-ng's Kazakh voice (Debian package ``espeak-ng``): festival has none.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

VOICE = "voice_msu_ru_nsh_clunits"
CUSTOMER_PITCH_CENTS = -350
CACHE = Path(os.environ.get("OKA_QA_TTS_CACHE", Path(tempfile.gettempdir()) / "oka-qa-tts"))


class SynthesisError(RuntimeError):
    """Festival or sox is missing or failed; the message says which package to install."""


@dataclass(frozen=True)
class Turn:
    """One turn of a scripted call.

    overlap_s: start this many seconds before the previous turn ends (an interruption).
    pause_s: silence before this turn (default: the call's gap).
    rate: speaking-rate factor (1.0 natural; 1.4 is fast).
    language: ``ru`` (festival) or ``kk`` (espeak-ng's Kazakh voice).
    voice: for ``kk``, an espeak-ng variant of the Kazakh voice («f3», «m3», «klatt»; "" the plain one).
    """

    speaker: str
    text: str
    overlap_s: float = 0.0
    pause_s: float | None = None
    rate: float = 1.0
    language: str = "ru"
    voice: str = ""


def _need(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        raise SynthesisError(f"{tool} not found; install the Debian package {package} (apt-get install {package})")


def _speak(text: str, speaker: str, rate: float, sample_rate: int, language: str = "ru",
           variant: str = "") -> np.ndarray:
    """One turn as float32 samples at ``sample_rate``; cached by content."""
    if language == "kk":
        _need("espeak-ng", "espeak-ng")
    else:
        _need("text2wave", "festival festvox-ru")
    _need("sox", "sox")
    espeak_voice = f"kk+{variant}" if variant else "kk"
    voice = f"espeak-ng:{espeak_voice}" if language == "kk" else VOICE
    key = hashlib.sha256(f"{voice}|{speaker}|{rate}|{sample_rate}|{text}".encode()).hexdigest()[:24]
    CACHE.mkdir(parents=True, exist_ok=True)
    out = CACHE / f"{key}.wav"
    if not out.exists():
        with tempfile.TemporaryDirectory() as tmp:
            txt, raw = Path(tmp) / "t.txt", Path(tmp) / "raw.wav"
            txt.write_text(text, encoding="utf-8")
            if language == "kk":
                subprocess.run(["espeak-ng", "-v", espeak_voice, "-s", "150", "-f", str(txt), "-w", str(raw)],
                               check=True, capture_output=True, timeout=120)
            else:
                subprocess.run(["text2wave", "-eval", f"({VOICE})", str(txt), "-o", str(raw)],
                               check=True, capture_output=True, timeout=120)
            effects = []
            if speaker == "customer":
                effects += ["pitch", str(CUSTOMER_PITCH_CENTS)]
            if rate != 1.0:
                effects += ["tempo", "-s", str(rate)]
            part = Path(tmp) / "part.wav"
            subprocess.run(["sox", str(raw), "-r", str(sample_rate), "-c", "1", "-b", "16", str(part), *effects],
                           check=True, capture_output=True, timeout=120)
            part.replace(out)
    return read_wav(out)[0][:, 0]


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """(samples as float32 of shape (n, channels), sample rate) of a 16-bit PCM WAV."""
    with wave.open(str(path), "rb") as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
        return data.reshape(-1, w.getnchannels()), w.getframerate()


def write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> None:
    """Write float samples (n,) or (n, channels) as 16-bit PCM."""
    if samples.ndim == 1:
        samples = samples[:, None]
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(samples.shape[1])
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(pcm.tobytes())


def _db(level_db: float) -> float:
    return float(10 ** (level_db / 20))


def synthesize_call(turns, out: Path, *, layout: str = "stereo-operator-left", sample_rate: int = 8000,
                    noise_db: float | None = -35, bleed_db: float | None = None, gap_s: float = 0.4,
                    lead_s: float = 0.3, seed: int = 0) -> list[dict]:
    """Render a scripted call into ``out`` (WAV) and return its reference utterances.

    turns: ``Turn`` objects or ``(speaker, text)`` pairs, speaker ``operator`` or ``customer``.
    layout: ``stereo-operator-left``, ``stereo-operator-right`` or ``mono``.
    noise_db: level of white line noise in dBFS (None for none).
    bleed_db: level at which each side leaks into the other channel (None for none).
    Returns ``[{"speaker", "start", "end", "text"}]`` in seconds, sorted by start.
    """
    turns = [t if isinstance(t, Turn) else Turn(*t) for t in turns]
    pieces, refs, cursor = [], [], lead_s
    for t in turns:
        if t.speaker not in ("operator", "customer"):
            raise ValueError(f"speaker must be operator or customer, got {t.speaker!r}")
        audio = _speak(t.text, t.speaker, t.rate, sample_rate, t.language, t.voice)
        # festival pads with silence; trim it so the reference times are honest
        voiced = np.flatnonzero(np.abs(audio) > 0.01)
        if voiced.size:
            audio = audio[max(voiced[0] - 80, 0): voiced[-1] + 80]
        start = cursor + (t.pause_s if t.pause_s is not None else gap_s) if refs else cursor
        if t.overlap_s and refs:
            start = refs[-1]["end"] - t.overlap_s
        end = start + len(audio) / sample_rate
        pieces.append((t.speaker, round(start * sample_rate), audio))
        refs.append({"speaker": t.speaker, "start": round(start, 3), "end": round(end, 3), "text": t.text})
        cursor = max(cursor, end)
    total = int((cursor + lead_s) * sample_rate)
    chans = {"operator": np.zeros(total, np.float32), "customer": np.zeros(total, np.float32)}
    for speaker, at, audio in pieces:
        chans[speaker][at: at + len(audio)] += audio[: total - at]
    op, cu = chans["operator"], chans["customer"]
    if bleed_db is not None:
        op, cu = op + _db(bleed_db) * cu, cu + _db(bleed_db) * op
    rng = np.random.default_rng(seed)
    if layout == "mono":
        mix = (op + cu)[:, None]
    elif layout == "stereo-operator-left":
        mix = np.stack([op, cu], axis=1)
    elif layout == "stereo-operator-right":
        mix = np.stack([cu, op], axis=1)
    else:
        raise ValueError(f"unknown layout {layout!r}")
    if noise_db is not None:
        mix = mix + _db(noise_db) * rng.standard_normal(mix.shape).astype(np.float32)
    write_wav(Path(out), mix, sample_rate)
    return sorted(refs, key=lambda r: r["start"])
