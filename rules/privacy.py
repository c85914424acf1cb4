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

import functools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from rules.pd_numbers import JOINERS, NUMBER_WORDS, Token, is_number_token, number_runs, tokenize
from transcription.schema import Finding, OkaError, Transcript

HERE = Path(__file__).parent
LEXICON_FILE = HERE / "privacy.yaml"
NAMES_FILE = HERE / "lexicons" / "pd_names_kz.txt"

KINDS = ("iin", "phone", "account", "contract", "email", "address", "name", "number")
ID_KINDS = ("phone", "account", "contract", "iin")
_PRIORITY = {k: i for i, k in enumerate(KINDS)}
_STOP_POS = {"VERB", "INFN", "PREP", "CONJ", "PRCL", "NPRO", "ADVB", "PRED", "INTJ", "GRND", "NUMR", "COMP",
             "PRTS", "ADJS"}
_NAME_TAGS = {"Name", "Surn", "Patr"}
_SURNAME_ENDINGS = ("ова", "ева", "ов", "ев", "ина", "ин", "овой", "евой", "ову", "еву", "овым", "евым",
                    "ұлы", "улы", "қызы", "кызы")
_SENTENCE_END = {".", "?", "!", "…"}
_ADDRESS_SKIP = {"по", "на", "в", "адресу", "адрес", ":", "-", "у", "меня", "нас", "мой", "наш"}
_CUE_SKIP = {"у", "меня", "моя", "мое", "мой", "его", "ее", "вот", "это", "значит", "ну", "так", "-", ":", ",",
             "полностью", "мою", "моё"}
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SPOKEN_EMAIL_RE = re.compile(
    r"(?i)(?<![\w@])[\w.\-]+\s+(?:собака|собачка|эт|at)\s+[\w\-]+(?:\s*(?:точка|dot|\.)\s*[\w\-]+)+")
# an identifier with letters or slashes: «ТЭ-1234», «12/345-ТЭ», «A123»
_CODE_RE = re.compile(r"(?:№\s*)?(?<![\w/-])[\w/-]*\d[\w/-]*(?![\w/-])")


class PrivacyError(OkaError):
    """The personal-data lexicon is missing or malformed."""


@dataclass(frozen=True)
class PdSpan:
    """Characters ``start:end`` of the text are personal data of ``kind``."""

    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class MaskOptions:
    """kinds: the kinds of personal data to mask (all by default);
    keep_names: names left as they are, such as the operator's own, compared without case."""

    kinds: tuple[str, ...] = KINDS
    keep_names: tuple[str, ...] = ()


@dataclass
class Lexicon:
    placeholders: dict[str, str]
    cue_window: int
    cues: dict[str, set[str]]
    units: set[str]
    always_mask_digits: int
    mask_digits_without_value_cue: int
    mask_digits_with_cue: int
    name_cues_strong: list[tuple[str, ...]]
    name_cues_weak: list[tuple[str, ...]]
    not_names: set[str]
    street_words: set[str]
    house_words: set[str]
    address_cues: set[str]
    names: set[str] = field(default_factory=set)


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    try:
        data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
        names = {ln.strip().lower() for ln in NAMES_FILE.read_text(encoding="utf-8").splitlines()
                 if ln.strip() and not ln.startswith("#")}
        return Lexicon(
            placeholders=dict(data["placeholders"]),
            cue_window=int(data["cue_window"]),
            cues={k: {_e(w) for w in v} for k, v in data["cues"].items()},
            units={_e(w) for w in data["units"]},
            always_mask_digits=int(data["always_mask_digits"]),
            mask_digits_without_value_cue=int(data["mask_digits_without_value_cue"]),
            mask_digits_with_cue=int(data["mask_digits_with_cue"]),
            name_cues_strong=[tuple(_e(w) for w in c) for c in data["name_cues_strong"]],
            name_cues_weak=[tuple(_e(w) for w in c) for c in data["name_cues_weak"]],
            not_names={_e(w) for w in data["not_names"]},
            street_words={_e(w) for w in data["street_words"]},
            house_words={_e(w) for w in data["house_words"]},
            address_cues={_e(w) for w in data["address_cues"]},
            names={_e(n) for n in names},
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as e:
        raise PrivacyError(f"{LEXICON_FILE}: cannot load the personal-data lexicon ({e})") from e


def _e(word: str) -> str:
    return str(word).lower().replace("ё", "е")


@functools.lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=50_000)
def _analyse(low: str) -> tuple[str, str, float, bool]:
    """(lemma, part of speech, share of parses that are a name, known to the dictionary)."""
    m = _morph()
    parses = m.parse(low)
    best = parses[0]
    name = sum(p.score for p in parses if _NAME_TAGS & set(p.tag.grammemes))
    return _e(best.normal_form), str(best.tag.POS or "UNKN"), name, m.word_is_known(low)


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
    utts, prev = [], ""
    for u in transcript.utterances:
        masked, _ = mask_text(u.text, prev, options)
        utts.append(replace(u, text=masked, words=None))
        prev = u.text
    return replace(transcript, utterances=utts)


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
            mask = not (unit and n < 9)
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


# --- addresses ------------------------------------------------------------------------------

def _is_street(t: Token, lex: Lexicon) -> bool:
    return t.is_word and (t.low in lex.street_words or _analyse(t.low)[0] in lex.street_words)


def _is_house(t: Token, lex: Lexicon) -> bool:
    return t.is_word and (t.low in lex.house_words or _analyse(t.low)[0] in lex.house_words)


def _name_ish(t: Token, lex: Lexicon) -> bool:
    """Could be (part of) a street name: a word that is not a function word or a verb."""
    if not t.is_word or t.low in NUMBER_WORDS or _is_house(t, lex):
        return False
    return _analyse(t.low)[1] not in _STOP_POS or not _analyse(t.low)[3]


def _house_part(tokens: list[Token], i: int, lex: Lexicon) -> int:
    """Index after the house/flat part starting at ``i`` (``i`` if there is none)."""
    j, end = i, i
    while j < len(tokens):
        t = tokens[j]
        if is_number_token(t):
            j += 1
            end = j
            if j < len(tokens) and len(tokens[j].text) == 1 and tokens[j].is_word \
                    and tokens[j].low not in {"и", "в", "с", "у", "к", "о"}:  # «15 а»
                j += 1
                end = j
        elif _is_house(t, lex) or t.low in {"№", "номер"} or t.text in JOINERS or t.text == ".":
            j += 1
        else:
            break
    return end


def _street_part(tokens: list[Token], i: int, lex: Lexicon, max_words: int = 3) -> int:
    j, words = i, 0
    while j < len(tokens) and words < max_words:
        t = tokens[j]
        if t.text == "." and j == i:  # «ул.»
            j += 1
        elif _name_ish(t, lex):
            j += 1
            words += 1
        elif t.text == "-" and j + 1 < len(tokens) and tokens[j + 1].is_digits:  # «Самал-2»
            j += 2
        elif _is_street(t, lex):
            j += 1
        else:
            break
    return j


def _addresses(text: str, tokens: list[Token], lex: Lexicon) -> list[PdSpan]:
    found: list[PdSpan] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        end = i
        if _is_street(t, lex):
            j = _street_part(tokens, i + 1, lex)
            k = _house_part(tokens, j, lex)
            if k > i + 1 and (j > i + 1 or k > j):
                end = max(j, k)
        elif _is_house(t, lex):
            k = _house_part(tokens, i + 1, lex)
            if k > i + 1 and any(is_number_token(x) for x in tokens[i + 1:k]):
                end = k
        elif t.is_word and _analyse(t.low)[0] in lex.address_cues:
            j = i + 1
            while j < len(tokens) and tokens[j].low in _ADDRESS_SKIP:
                j += 1
            s = j
            j = _street_part(tokens, s, lex)
            k = _house_part(tokens, j, lex)
            if k > j:  # a street name alone is too weak a sign; with a house number it is an address
                found.append(_span("address", text, tokens[s].start, tokens[k - 1].end))
                i = k
                continue
        if end > i:
            while end - 1 > i and tokens[end - 1].text in JOINERS | {"."}:
                end -= 1
            found.append(_span("address", text, t.start, tokens[end - 1].end))
            i = end
        else:
            i += 1
    return found


# --- names ----------------------------------------------------------------------------------

def _kz_name(low: str, lex: Lexicon) -> bool:
    if low in lex.names:
        return True
    for cut in (1, 2, 3):  # «Нурлана», «Нурланом», «Айгуль»
        if len(low) - cut >= 3 and low[:-cut] in lex.names:
            return True
    for ending in _SURNAME_ENDINGS:
        stem = low[: -len(ending)]
        if low.endswith(ending) and len(stem) >= 3 and (stem in lex.names or stem + "а" in lex.names
                                                         or stem[:-1] + "й" in lex.names):
            return True
    return False


def _not_name(t: Token, lex: Lexicon) -> bool:
    lemma = _analyse(t.low)[0]
    return t.low in lex.not_names or lemma in lex.not_names or any(
        t.low in words or lemma in words for words in lex.cues.values())


def _sure_name(t: Token, lex: Lexicon) -> bool:
    if not t.is_word or len(t.text) < 2 or t.low in NUMBER_WORDS or _not_name(t, lex):
        return False
    return _analyse(t.low)[2] >= 0.5 or _kz_name(t.low, lex)


def _maybe_name(t: Token, lex: Lexicon) -> bool:
    if not t.is_word or len(t.text) < 2 or t.low in NUMBER_WORDS:
        return False
    _lemma, pos, name, known = _analyse(t.low)
    return (name >= 0.05 or not known or _kz_name(t.low, lex)) and pos not in _STOP_POS


def _capitalised_mid_sentence(tokens: list[Token], i: int) -> bool:
    """Capital first letter, not at the start of a sentence, not an abbreviation such as «ПУТЭ»."""
    t = tokens[i].text
    if i == 0 or not t[:1].isupper() or (len(t) > 1 and t.isupper()):
        return False
    return tokens[i - 1].text not in _SENTENCE_END


def _match_cue(tokens: list[Token], i: int, cues: list[tuple[str, ...]]) -> int:
    """Index after a cue phrase that starts at ``i``, or -1."""
    for cue in cues:
        if i + len(cue) <= len(tokens) and all(
                tokens[i + k].low == w or _analyse(tokens[i + k].low)[0] == w for k, w in enumerate(cue)):
            return i + len(cue)
    return -1


def _names(text: str, tokens: list[Token], lex: Lexicon, keep: set[str]) -> list[PdSpan]:
    n = len(tokens)
    is_name = [False] * n

    def kept(t: Token) -> bool:
        return t.low in keep or _analyse(t.low)[0] in keep

    for i, t in enumerate(tokens):
        if kept(t):
            continue
        if _sure_name(t, lex) or (_maybe_name(t, lex) and _capitalised_mid_sentence(tokens, i)
                                  and not _not_name(t, lex)):
            is_name[i] = True
    # ambiguous words next to a sure name: «Надежда Петровна»
    for i, t in enumerate(tokens):
        if not is_name[i] and not kept(t) and _maybe_name(t, lex) and (
                (i > 0 and is_name[i - 1]) or (i + 1 < n and is_name[i + 1])):
            is_name[i] = True
    # cue phrases: «меня зовут ...», «фамилия ...» (strong), «это ...» (weak)
    for i in range(n):
        j = _match_cue(tokens, i, lex.name_cues_strong)
        if j >= 0:
            while j < n and tokens[j].low in _CUE_SKIP and not is_name[j]:
                j += 1
            taken = 0
            while j < n and taken < 3 and tokens[j].is_word and not kept(tokens[j]) \
                    and tokens[j].low not in NUMBER_WORDS \
                    and (_analyse(tokens[j].low)[1] not in _STOP_POS or not _analyse(tokens[j].low)[3]):
                is_name[j] = True
                j += 1
                taken += 1
            continue
        j = _match_cue(tokens, i, lex.name_cues_weak)
        if 0 <= j < n and not kept(tokens[j]) and _maybe_name(tokens[j], lex) \
                and not _not_name(tokens[j], lex):
            _, _, name, known = _analyse(tokens[j].low)
            if name > 0 or not known:
                is_name[j] = True
    found: list[PdSpan] = []
    i = 0
    while i < n:
        if is_name[i]:
            j = i
            while j + 1 < n and is_name[j + 1]:
                j += 1
            found.append(_span("name", text, tokens[i].start, tokens[j].end))
            i = j + 1
        else:
            i += 1
    return found
