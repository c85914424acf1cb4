"""A mobile number's opening said alone as the answer to a bare question for «номер» («Дальше номер?» — «восемь
семьсот сорок семь», the rest in the next utterance): eight or «+7», then the operator's code «7XX», is a
Kazakhstan telephone number's opening, whatever question for which number came before."""

from __future__ import annotations

import re

from rules.privacy.lexicon import Lexicon, PdSpan
from rules.privacy.numbers import Reading, _bare_answer
from rules.text import Token

# a question whose last sentence asks for a number and names none: «Дальше номер?», «Номер?», «Нөміріңіз?»
_NUMBER_ASKED_RE = re.compile(r"(?i)(?<!\w)(?:номер\w*|нөмір\w*)(?!\w)[^.?!]*\?\s*$")
# 8 7XX (or +7 7XX), and at most the rest of an eleven-digit number
_OPENING_RE = re.compile(r"87\d{2,9}")


def phone_opening(text: str, tokens: list[Token], context: str, reading: Reading, lex: Lexicon,
                  found: list[PdSpan]) -> list[PdSpan]:
    """The phone's opening answering a bare question for a number (the cue before it names no kind)."""
    if not context or not _NUMBER_ASKED_RE.search(context) or not reading.n_ctx \
            or reading.cues.before(reading.n_ctx) is not None:
        return []
    out = []
    for run in reading.runs:
        digits = "8" + run.digits[1:] if run.plus and run.digits.startswith("7") else run.digits
        a, b = tokens[run.first].start, tokens[run.last].end
        if _OPENING_RE.fullmatch(digits) and _bare_answer(text, tokens, run, lex) \
                and not any(s.start < b and a < s.end for s in found):
            out.append(PdSpan("phone", a, b, text[a:b]))
    return out
