"""Packing the speech of a call into one stream, and mapping times back (no model needed)."""
from __future__ import annotations

import numpy as np
import pytest

from transcription.audio import SAMPLE_RATE
from transcription.recognize import GAP_S, PIECE_S, Chunk, pack

LEFT = np.arange(10 * SAMPLE_RATE, dtype=np.float32)          # sample values say where they came from
RIGHT = -np.arange(10 * SAMPLE_RATE, dtype=np.float32)
CHUNKS = [Chunk(4.0, 5.0, 1, "customer"), Chunk(0.5, 2.0, 0, "operator"), Chunk(6.0, 8.0, 0, "operator")]


def test_pack_orders_chunks_and_puts_gaps_between():
    packed = pack([LEFT, RIGHT], CHUNKS)
    assert [c.tag for c in packed.chunks] == ["operator", "customer", "operator"]
    assert packed.starts == pytest.approx([0.0, 1.5 + GAP_S, 2.5 + 2 * GAP_S])
    assert len(packed.audio) == int((1.5 + 1.0 + 2.0 + 3 * GAP_S) * SAMPLE_RATE)
    # the customer's chunk comes from the right channel, at its own time
    at = int(packed.starts[1] * SAMPLE_RATE)
    assert packed.audio[at] == RIGHT[int(4.0 * SAMPLE_RATE)]


@pytest.mark.parametrize("packed_t, chunk, recording_t", [
    (0.0, 0, 0.5),
    (1.0, 0, 1.5),
    (1.5 + GAP_S + 0.25, 1, 4.25),
    (2.5 + 2 * GAP_S + 1.9, 2, 7.9),
    (1.5 + 0.05, 0, 2.0),      # in the gap after a chunk: the chunk before, clamped to its end
])
def test_times_map_back_to_the_recording(packed_t, chunk, recording_t):
    packed = pack([LEFT, RIGHT], CHUNKS)
    i = packed.locate(packed_t)
    assert i == chunk
    assert packed.to_recording(i, packed_t) == pytest.approx(recording_t)


def test_pieces_for_the_batched_decoder_stay_short():
    chunks = [Chunk(10.0 * k, 10.0 * k + 9.0, 0, None) for k in range(8)]
    audio = np.zeros(90 * SAMPLE_RATE, np.float32)
    pieces = pack([audio], chunks).pieces()
    assert all(p["end"] - p["start"] <= PIECE_S for p in pieces)
    assert len(pieces) == 3   # three 9 s chunks and their gaps fit in one piece
    assert pieces[0]["start"] == 0.0


def test_nothing_to_pack():
    assert len(pack([LEFT], []).audio) == 0
