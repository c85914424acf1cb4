"""Totals of ``rules.reasons.classify_reason`` on a file of this folder: right, and wrong by kind — a valid reason
read as none (the request counted against the operator) or a reason that is none read as valid.

    python tests/reasons_kk/score.py tests/reasons_kk/heldout.tsv
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from rules.reasons import VALID, classify_reason


def rows(path: Path) -> list[tuple[str, str]]:
    return [tuple(line.split("\t")) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(path: str) -> None:
    right = valid_as_other = other_as_valid = valid_as_another = 0
    for text, expected in rows(Path(path)):
        got = classify_reason(text)
        right += got == expected
        valid_as_other += expected in VALID and got not in VALID
        other_as_valid += expected not in VALID and got in VALID
        valid_as_another += expected in VALID and got in VALID and got != expected
    n = len(rows(Path(path)))
    print(f"{path}: {right}/{n} right; valid read as none {valid_as_other}, none read as valid {other_as_valid}, "
          f"one valid reason read as another {valid_as_another}")


if __name__ == "__main__":
    main(sys.argv[1])
