"""Channel bleed: the gate and the removal of bled copies, on signals built in code."""
from __future__ import annotations

import numpy as np
import pytest

from transcription.audio import SAMPLE_RATE
from transcription.bleed import drop_copies, gate, similarity
from transcription.schema import Utterance


def burst(total_s: float, spans: list[tuple[float, float]], level: float, seed: int) -> np.ndarray:
    """Noise bursts (speech stand-ins) at ``level`` in ``spans``, silence elsewhere."""
    rng = np.random.default_rng(seed)
    x = np.zeros(int(total_s * SAMPLE_RATE), np.float32)
    for a, b in spans:
        x[int(a * SAMPLE_RATE): int(b * SAMPLE_RATE)] = level * rng.standard_normal(int((b - a) * SAMPLE_RATE))
    return x


def leaky_pair(bleed_db: float) -> tuple[np.ndarray, np.ndarray]:
    op = burst(6, [(0.5, 2.5)], 0.2, 1)
    cu = burst(6, [(3.0, 5.0)], 0.2, 2)
    k = 10 ** (bleed_db / 20)
    return op + k * cu, cu + k * op


def rms(x: np.ndarray, a: float, b: float) -> float:
    return float(np.sqrt(np.mean(x[int(a * SAMPLE_RATE): int(b * SAMPLE_RATE)] ** 2)))


@pytest.mark.parametrize("bleed_db", [-20.0, -26.0])
def test_gate_silences_the_bled_copy_only(bleed_db):
    left, right = leaky_pair(bleed_db)
    gl, gr, share = gate(left, right, 14.0)
    assert share > 0
    assert rms(gr, 0.8, 2.2) == 0.0       # operator's copy on the customer channel
    assert rms(gl, 3.3, 4.7) == 0.0       # customer's copy on the operator channel
    assert rms(gl, 0.8, 2.2) == pytest.approx(rms(left, 0.8, 2.2))   # the speech itself is untouched
    assert rms(gr, 3.3, 4.7) == pytest.approx(rms(right, 3.3, 4.7))


def test_gate_keeps_real_overlap():
    op = burst(4, [(0.5, 3.0)], 0.2, 1)
    cu = burst(4, [(1.5, 3.5)], 0.15, 2)   # an interruption: both speak, at their own levels
    gl, gr, _ = gate(op, cu, 14.0)
    assert rms(gr, 1.8, 2.8) == pytest.approx(rms(cu, 1.8, 2.8))
    assert rms(gl, 1.8, 2.8) == pytest.approx(rms(op, 1.8, 2.8))


def test_gate_off():
    left, right = leaky_pair(-20)
    gl, gr, share = gate(left, right, 0)
    assert share == 0 and gl is left and gr is right


@pytest.mark.parametrize("a, b, similar", [
    ("Добрый день, тепловые сети.", "добрый день тепловые сети", True),
    ("лицевой счёт один два три", "Лицевой счет 1 2 3", True),  # digits or words, the same words
    ("добрый день тепловые сети", "хочу передать показания", False),
])
def test_similarity(a, b, similar):
    assert (similarity(a, b) >= 0.6) is similar


def U(speaker, start, end, text):
    return Utterance(speaker=speaker, start=start, end=end, text=text)


@pytest.mark.parametrize("op_utts, cu_utts, kept_op, kept_cu", [
    # the operator's words bled onto the customer channel: the customer copy goes
    ([U("operator", 0.5, 2.5, "добрый день слушаю вас")], [U("customer", 0.6, 2.4, "добрый день слушаю вас")], 1, 0),
    # the customer's words bled onto the operator channel: the operator copy goes
    ([U("operator", 3.0, 5.0, "хочу передать показания")], [U("customer", 3.0, 5.0, "хочу передать показания")], 0, 1),
    # overlapping but different words (an interruption): both stay
    ([U("operator", 0.5, 2.5, "добрый день слушаю вас")], [U("customer", 1.0, 2.0, "алло алло")], 1, 1),
    # the same words at different times (the customer repeats): both stay
    ([U("operator", 0.5, 2.5, "лицевой счет")], [U("customer", 3.0, 5.0, "лицевой счет")], 1, 1),
])
def test_drop_copies(op_utts, cu_utts, kept_op, kept_cu):
    left, right = leaky_pair(-20)
    ko, kc, dropped = drop_copies(op_utts, cu_utts, left, right, 0.6)
    assert (len(ko), len(kc)) == (kept_op, kept_cu)
    assert dropped == len(op_utts) + len(cu_utts) - kept_op - kept_cu
