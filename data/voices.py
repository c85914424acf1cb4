"""Several synthetic voices for test audio: festival's Russian voice and espeak-ng's.

A ``Voice`` names an engine (``festival`` or ``espeak``), an espeak-ng variant
(``+f2``, ``+m3``: other timbres), a pitch shift in cents and a speaking rate.
``speak`` renders one phrase as float32 samples at the wanted rate, cached by
content like ``data/tts.py``.  Used by the held-out corpus (``bench/heldout_corpus.py``),
whose calls must not sound like the single pitch-shifted voice the rules were
developed on.
"""
from __future__ import annotations

import hashlib
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from data.tts import CACHE, VOICE, SynthesisError, _need, read_wav


@dataclass(frozen=True)
class Voice:
    """engine: ``festival`` or ``espeak``; variant: espeak-ng's voice variant (``f2``, ``m3``; "" for the default);
    pitch_cents: sox pitch shift; rate: tempo factor (1.0 natural)."""

    engine: str
    variant: str = ""
    pitch_cents: int = 0
    rate: float = 1.0

    @property
    def label(self) -> str:
        v = f"+{self.variant}" if self.variant else ""
        return f"{self.engine}{v}/{self.pitch_cents:+d}c/x{self.rate:g}"


def _raw(text: str, voice: Voice, tmp: Path) -> Path:
    raw = tmp / "raw.wav"
    if voice.engine == "festival":
        _need("text2wave", "festival festvox-ru")
        txt = tmp / "t.txt"
        txt.write_text(text, encoding="utf-8")
        subprocess.run(["text2wave", "-eval", f"({VOICE})", str(txt), "-o", str(raw)],
                       check=True, capture_output=True, timeout=120)
    elif voice.engine == "espeak":
        _need("espeak-ng", "espeak-ng")
        name = "ru" + (f"+{voice.variant}" if voice.variant else "")
        subprocess.run(["espeak-ng", "-v", name, "-s", "150", "-w", str(raw), text], check=True, capture_output=True,
                       timeout=120)
    else:
        raise SynthesisError(f"unknown speech engine {voice.engine!r}; use festival or espeak")
    return raw


def speak(text: str, voice: Voice, sample_rate: int = 8000) -> np.ndarray:
    """One phrase in ``voice`` as float32 samples at ``sample_rate`` (mono)."""
    _need("sox", "sox")
    key = hashlib.sha256(f"v3|{voice}|{sample_rate}|{text}".encode()).hexdigest()[:24]
    CACHE.mkdir(parents=True, exist_ok=True)
    out = CACHE / f"voice-{key}.wav"
    if not out.exists():
        with tempfile.TemporaryDirectory() as tmp:
            raw = _raw(text, voice, Path(tmp))
            effects = []
            if voice.pitch_cents:
                effects += ["pitch", str(voice.pitch_cents)]
            if voice.rate != 1.0:
                effects += ["tempo", "-s", str(voice.rate)]
            effects += ["norm", "-3"]
            part = Path(tmp) / "part.wav"
            subprocess.run(["sox", str(raw), "-r", str(sample_rate), "-c", "1", "-b", "16", str(part), *effects],
                           check=True, capture_output=True, timeout=120)
            part.replace(out)
    audio = read_wav(out)[0][:, 0]
    voiced = np.flatnonzero(np.abs(audio) > 0.01)  # engines pad with silence; trim it so the times are honest
    if voiced.size:
        audio = audio[max(voiced[0] - 80, 0): voiced[-1] + 80]
    return audio


def mu_law(samples: np.ndarray, mu: int = 255) -> np.ndarray:
    """G.711 μ-law coding and decoding (8-bit codes), as a telephone line does it."""
    x = np.clip(samples, -1.0, 1.0)
    y = np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)
    codes = np.round((y + 1) / 2 * 255)
    y = codes / 255 * 2 - 1
    return (np.sign(y) * ((1 + mu) ** np.abs(y) - 1) / mu).astype(np.float32)

