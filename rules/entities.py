"""Entities named in a call's text: the numbers said, for matching account and contract numbers.

``numbers_in_text`` is what ``analytics`` uses to tell which of several
candidate calls named a record's account (docs/CONTRACT.md section 4, tie-break).
"""
from __future__ import annotations

from rules.numbers import pieces
from rules.text import tokenize


def numbers_in_text(text: str) -> list[str]:
    """Digit strings of the numbers said in ``text``, in digits or Russian words.

    Adjacent numbers form one run and are also given joined, because people
    dictate long numbers in pieces: «один два три четыре пять шесть» → "123456",
    «12-34-56» → "123456" (and "12", "34", "56"), «сто двадцать три четыреста
    пятьдесят шесть» → "123456" (and "123", "456").  A decimal is kept as
    "123.5".  Order of first appearance, no repeats.
    """
    forms = [t.form for t in tokenize(text)]
    out: dict[str, None] = {}
    for run in pieces(forms):
        if len(run) > 1:
            joined = "".join(p.digits for p in run if "." not in p.digits)
            if joined:
                out[joined] = None
            if not all(len(p.digits) == 1 for p in run):
                for p in run:
                    out[p.digits] = None
        else:
            out[run[0].digits] = None
    return list(out)
