"""The naive ASR baseline of ``bench/asr.py``: the best plain use of faster-whisper on the same cores.

A loop of ``WhisperModel.transcribe`` (its own defaults: beam 5, temperature
fallback, no VAD) over each recording downmixed to mono, in as many processes
as the pipeline has, each with the same threads and the same model, device and
compute type, each loading its model once.  The pipeline's pool is built the
same way (``transcription.batch``): spawned processes, the parent's main script
not run again in them, the recordings handed out one at a time as processes
come free.  Only ``initial_prompt`` and the language differ between runs, and
they are the pipeline's.

Each worker seeds CTranslate2's random generator before it loads its model
(``SEED``): the temperature fallback samples, and unseeded the naive loop's
operator WER swung by ten points between runs of the same corpus.  Seeded, one
process gives the same text every run; with more processes the text still
depends on which worker happens to take which file (the generator runs on in
each), so the swing is smaller but not gone.  CTranslate2 seeds its decoding
threads when they start: a seed set later, before each file, does not reach
them (tried: two runs at temperature 1 after ``set_random_seed(3)`` differed).
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class NaiveSettings:
    """What the naive side is run with (the pipeline's own, copied by the bench)."""

    model: str            # what WhisperModel accepts (a folder)
    device: str
    compute_type: str
    cpu_threads: int
    language: str | None  # None: Whisper finds it (the pipeline's ``auto``)
    prompt: str | None    # ``initial_prompt``; None: none


SEED = 0

_model = None
_settings: NaiveSettings | None = None


def _init(settings: NaiveSettings) -> None:
    global _model, _settings
    import ctranslate2
    from faster_whisper import WhisperModel

    ctranslate2.set_random_seed(SEED)   # before the model: its threads take the seed when they start

    _settings = settings
    _model = WhisperModel(settings.model, device=settings.device, compute_type=settings.compute_type,
                          cpu_threads=settings.cpu_threads, num_workers=1)


def _one(path: str) -> str:
    segments, _ = _model.transcribe(path, language=_settings.language, initial_prompt=_settings.prompt)
    return " ".join(s.text.strip() for s in segments)


def transcribe(paths: list[Path], settings: NaiveSettings, workers: int) -> list[str]:
    """The text of each recording, in order: in this process for one worker, else in a pool of ``workers``."""
    if workers <= 1:
        _init(settings)
        return [_one(str(p)) for p in paths]
    from core.processes import workers_skip_main

    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init,
                             initargs=(settings,)) as pool:
        with workers_skip_main():
            futures = [pool.submit(_one, str(p)) for p in paths]
        return [f.result() for f in futures]
