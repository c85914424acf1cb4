"""Personal data in transcripts, found and masked (СТП-04-2019 п. 11, п. 14.7).

``mask_text(text)`` returns the text with every phone number, account and
contract number, ИИН, e-mail, person's name and address replaced by a
placeholder such as «[телефон]», and the spans it replaced.  Numbers count
whether said in digits or in words (``rules.pd_numbers``); a number is judged
by its length and by the cue words before it («лицевой счёт», «телефон»,
«ИИН»; «показания», «тенге» mean a value, not an identifier).  Names come
from pymorphy3's Name/Surn/Patr tags, the Kazakh name list in
``rules/lexicons/pd_names_kz.txt`` and cue phrases («меня зовут», «фамилия»).

What counts and what it is replaced with is data: ``rules/privacy.yaml``.
The masker errs on the side of masking: a false «[номер]» costs a trainer a
detail, a missed phone number is a leak.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rules.pd_lexicon import ID_KINDS, KINDS, Lexicon, PdSpan, PrivacyError, lexicon
from rules.pd_lexicon import analyse as _analyse
from rules.pd_lexicon import norm as _e
from rules.pd_numbers import NUMBER_WORDS, Token, number_runs, tokenize
from rules.pd_people import addresses as _addresses
from rules.pd_people import names as _names
from transcription.schema import Finding, Transcript

__all__ = ["KINDS", "MaskOptions", "PdSpan", "PrivacyError", "context_before", "find_pd", "mask_finding",
           "mask_text", "mask_transcript"]

_PRIORITY = {k: i for i, k in enumerate(KINDS)}
CONTEXT_UTTERANCES = 3
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SPOKEN_EMAIL_RE = re.compile(
    r"(?i)(?<![\w@])[\w.\-]+\s+(?:собака|собачка|эт|at)\s+[\w\-]+(?:\s*(?:точка|dot|\.)\s*[\w\-]+)+")
# an identifier with letters or slashes: «ТЭ-1234», «12/345-ТЭ», «A123»
_CODE_RE = re.compile(r"(?:№\s*)?(?<![\w/-])[\w/-]*\d[\w/-]*(?![\w/-])")


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
    ctx_tokens = tokenize(context) if context else []
    tokens = tokenize(text)
    spans: list[PdSpan] = []
    spans += _emails(text)
    spans += _numbers(text, tokens, ctx_tokens, lex)
    spans += _codes(text, tokens, ctx_tokens, lex)
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


# --- numbers --------------------------------------------------------------------------------

def _cue(before: list[Token], lex: Lexicon) -> str | None:
    """The kind of the nearest cue word among the last ``cue_window`` words before a number."""
    words = [t for t in before if t.is_word and t.low not in NUMBER_WORDS][-lex.cue_window:]
    for t in reversed(words):
        lemma = _analyse(t.low)[0]
        for kind in (*ID_KINDS, "value"):
            if t.low in lex.cues[kind] or lemma in lex.cues[kind]:
                return kind
    return None


def _unit_after(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    if i >= len(tokens) or not tokens[i].is_word:
        return False
    t = tokens[i]
    return t.low in lex.units or _analyse(t.low)[0] in lex.units


def _classify(digits: str, plus: bool, cue: str | None) -> str:
    if cue in ID_KINDS:
        return cue
    if len(digits) == 12:
        return "iin"
    if plus or (len(digits) in (10, 11) and digits[0] in "78") or len(digits) == 7:
        return "phone"
    return "number"


def _numbers(text: str, tokens: list[Token], ctx: list[Token], lex: Lexicon) -> list[PdSpan]:
    found = []
    for run in number_runs(tokens, text):
        n = len(run.digits)
        if n < lex.mask_digits_with_cue:
            continue
        cue = _cue(ctx + tokens[:run.first], lex)
        unit = _unit_after(tokens, run.last + 1, lex)
        if n >= lex.always_mask_digits:
            # a meter's serial number or a reading, said right after its cue in the same utterance, is
            # not personal data; ten digits and more are a phone or an ИИН whatever was said before
            here = _cue(tokens[:run.first], lex)
            mask = not ((unit or here == "value") and n < 10)
        elif cue in ID_KINDS:
            mask = not unit
        else:
            mask = n >= lex.mask_digits_without_value_cue and cue != "value" and not unit
        if mask:
            found.append(_span(_classify(run.digits, run.plus, cue), text,
                               tokens[run.first].start, tokens[run.last].end))
    return found


def _codes(text: str, tokens: list[Token], ctx: list[Token], lex: Lexicon) -> list[PdSpan]:
    """Identifiers with letters or slashes: «№ 12/345-ТЭ», «договор ТЭ-1234»."""
    found = []
    for m in _CODE_RE.finditer(text):
        code = m.group().lstrip("№ ").strip("-/")
        if not (re.search(r"[^\W\d_]", code) or "/" in code):
            continue  # plain digits are the number runs' business
        before = ctx + [t for t in tokens if t.end <= m.start()]
        cue = _cue(before, lex)
        if cue in ID_KINDS:
            found.append(_span(cue, text, m.start(), m.end()))
    return found
