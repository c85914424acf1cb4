"""Detectors by name: the rulebook's ``detector:`` field looks them up here.

Built-in detectors register exactly as a new one would::

    from rules.registry import register

    @register("my_detector")
    def my_detector(call, rule):   # -> list[transcription.schema.Finding]
        ...
"""
from __future__ import annotations

from collections.abc import Callable

DETECTORS: dict[str, Callable] = {}


def register(name: str) -> Callable[[Callable], Callable]:
    def deco(fn: Callable) -> Callable:
        DETECTORS[name] = fn
        return fn
    return deco


def load_builtins() -> None:
    """Import the built-in detector modules (each registers itself)."""
    from rules.detectors import dialogue, ingest, request, speech, timing  # noqa: F401
