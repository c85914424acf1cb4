"""Personal data in text, found and masked (СТП-04-2019 п. 11, п. 14.7).

``mask_text(text)`` returns the text with every phone number, account and
contract number, ИИН, e-mail, person's name and address replaced by a
placeholder such as «[телефон]», and the spans it replaced (``find_pd``: the
spans alone, character offsets and kind, which audio redaction maps onto word
timestamps).  Numbers count whether said in digits or in words, Russian or Kazakh,
or written the recogniser's ways («7,8,9,1,2,3», «877.1.2.4.5.6»; ``rules.privacy.numbers``);
a number is judged by its length and by the cue words before it («лицевой счёт»,
«телефон», «ИИН», «шот»; «показания», «тенге» mean a value, not an identifier).
Names come from pymorphy3's Name/Surn/Patr tags, the Kazakh name list in
``rules/lexicons/pd_names_kz.txt``, cue phrases («меня зовут», «фамилия») and
address position («Ирлан, назовите лицевой счёт»).  Cost is linear in the text.

What counts and what it is replaced with is data: ``rules/privacy/lexicon.yaml``.
The masker errs on the side of masking: a false «[номер]» costs a trainer a
detail, a missed phone number is a leak.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rules.privacy.lexicon import KINDS, PdSpan, PrivacyError, lexicon
from rules.privacy.lexicon import norm as _e
from rules.privacy.numbers import identifiers as _identifiers
from rules.privacy.people import addresses as _addresses
from rules.privacy.people import names as _names
from rules.text import tokenize
from transcription.schema import Finding, Transcript

__all__ = ["KINDS", "MaskOptions", "PdSpan", "PrivacyError", "context_before", "find_pd", "mask_finding",
           "mask_text", "mask_transcript"]

_PRIORITY = {k: i for i, k in enumerate(KINDS)}
CONTEXT_UTTERANCES = 3
MEMO_LIMIT = 200_000
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# a spoken address: the name before «собака» may be said in pieces («erlan точка sadykov», «aset тире 77»);
# pieces are plain word characters and the separators never are, so the pattern cannot backtrack far
_SPOKEN_SEP = r"(?:\s*[.-]\s*|\s+(?:точка|dot|тире|дефис|нижнее\s+подч[её]ркивание|подч[её]ркивание)\s+)"
_SPOKEN_EMAIL_RE = re.compile(
    rf"(?i)(?<![\w@.\-])\w+(?:{_SPOKEN_SEP}\w+){{0,5}}\s+(?:собака|собачка|эт|at)\s+[\w\-]+"
    r"(?:\s*(?:точка|dot|\.)\s*[\w\-]+)+")


@dataclass(frozen=True)
class MaskOptions:
    """kinds: the kinds of personal data to mask (all by default);
    keep_names: names left as they are, such as the operator's own, compared without case."""

    kinds: tuple[str, ...] = KINDS
    keep_names: tuple[str, ...] = ()


# --- the masker -----------------------------------------------------------------------------

def find_pd(text: str, context: str = "", options: MaskOptions | None = None) -> list[PdSpan]:
    """The personal data in ``text``; ``context`` (what was said just before) only lends cues."""
    options = options or MaskOptions()
    lex = lexicon()
    if len(lex.memo) > MEMO_LIMIT:  # answers per word form: bounded, whatever text comes in
        lex.memo.clear()
    ctx_tokens = tokenize(context, marks=True) if context else []
    tokens = tokenize(text, marks=True)
    spans: list[PdSpan] = []
    spans += _emails(text)
    spans += _identifiers(text, tokens, ctx_tokens, lex)
    spans += _addresses(text, tokens, lex)
    keep = {_e(n) for name in options.keep_names for n in name.split()}
    spans += _names(text, tokens, lex, keep)
    return _merge([s for s in spans if s.kind in options.kinds], text)


def mask_text(text: str, context: str = "", options: MaskOptions | None = None) -> tuple[str, list[PdSpan]]:
    """``text`` with its personal data replaced by placeholders, and the spans replaced."""
    if not text:
        return text, []
    spans = find_pd(text, context, options)
    if not spans:
        return text, []
    lex = lexicon()
    out, pos = [], 0
    for s in spans:
        out.append(text[pos:s.start])
        out.append(lex.placeholders.get(s.kind, "[скрыто]"))
        pos = s.end
    out.append(text[pos:])
    return "".join(out), spans


def mask_transcript(transcript: Transcript, options: MaskOptions | None = None) -> Transcript:
    """A copy with every utterance masked and the word timings dropped (they spell the same data)."""
    texts = [u.text for u in transcript.utterances]
    utts = [replace(u, text=mask_text(u.text, context_before(texts, i), options)[0], words=None)
            for i, u in enumerate(transcript.utterances)]
    return replace(transcript, utterances=utts)


def context_before(texts: list[str | None], i: int, n: int = CONTEXT_UTTERANCES) -> str:
    """What was said in the ``n`` utterances before utterance ``i``: a number dictated in pieces
    («восемь семьсот один» — «да» — «сорок пять шестьдесят семь») keeps the cue said before it."""
    return " ".join(t for t in texts[max(0, i - n):i] if t)


def mask_finding(finding: Finding, options: MaskOptions | None = None) -> Finding:
    return replace(finding, evidence=mask_text(finding.evidence, "", options)[0])


def _merge(spans: list[PdSpan], text: str) -> list[PdSpan]:
    spans = sorted(spans, key=lambda s: (s.start, -s.end))
    merged: list[PdSpan] = []
    for s in spans:
        if merged and s.start < merged[-1].end:
            m = merged[-1]
            kind = m.kind if _PRIORITY[m.kind] <= _PRIORITY[s.kind] else s.kind
            end = max(m.end, s.end)
            merged[-1] = PdSpan(kind, m.start, end, text[m.start:end])
        else:
            merged.append(s)
    return merged


def _span(kind: str, text: str, start: int, end: int) -> PdSpan:
    return PdSpan(kind, start, end, text[start:end])


# --- e-mail ---------------------------------------------------------------------------------

def _emails(text: str) -> list[PdSpan]:
    found = [_span("email", text, m.start(), m.end()) for m in _EMAIL_RE.finditer(text)]
    found += [_span("email", text, m.start(), m.end()) for m in _SPOKEN_EMAIL_RE.finditer(text)]
    return found
