"""Kazakh given names and patronymics, which pymorphy3 mostly does not know.

The list is data (``lexicons/kazakh_names.txt``, one name a line); the
patronymics are derived from it: Серик → Серикович, Сериковна, Серикулы, Серикқызы.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rules.text import normal

DEFAULT_FILE = "lexicons/kazakh_names.txt"
_SUFFIXES = ("ович", "евич", "овна", "евна", "улы", "кызы", "овича", "овне", "овну", "евне", "овной")


@lru_cache(maxsize=8)
def load(path: Path) -> frozenset[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        name = normal(line.strip())
        if not name or name.startswith("#"):
            continue
        names.add(name)
        stem = name[:-1] if name[-1] in "аья" else name
        for suffix in _SUFFIXES:
            names.add(stem + suffix)
    return frozenset(names)


def kazakh_names(rule) -> frozenset[str]:
    """The names file a rule names (``kazakh_names_file``), next to its rulebook or else the packaged one."""
    got = rule.cache.get("kazakh_names")
    if got is None:
        name_file = rule.params.get("kazakh_names_file", DEFAULT_FILE)
        path = Path(rule.source).parent / name_file
        if not path.exists():
            path = Path(__file__).resolve().parent / name_file
        got = rule.cache["kazakh_names"] = load(path)
    return got
