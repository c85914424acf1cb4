"""The personal-data lexicon (``rules/privacy/lexicon.yaml``, ``rules/lexicons/pd_names_kz.txt``)
and the word analysis the masker's detectors share (through the rules' one analyser, ``rules.text.morph``)."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from core.errors import OkaError
from rules.kazakh import RUSSIAN_SPELLING
from rules.text import Token, morph

HERE = Path(__file__).parent
LEXICON_FILE = HERE / "lexicon.yaml"
# the rulebook's Kazakh names and the masker's additions
NAMES_FILES = (HERE.parent / "lexicons" / "kazakh_names.txt", HERE.parent / "lexicons" / "pd_names_kz.txt")
# the words the department's calls are made of: what the rules listen for, the forms, the reasons, the coverage
VOCABULARY_FILES = (*(HERE.parent / f for f in ("rulebook.yaml", "forms.yaml", "reasons.yaml", "coverage.yaml")),
                    LEXICON_FILE)

KINDS = ("iin", "phone", "account", "contract", "email", "address", "name", "number")
ID_KINDS = ("phone", "account", "contract", "iin")
STOP_POS = {"VERB", "INFN", "PREP", "CONJ", "PRCL", "NPRO", "ADVB", "PRED", "INTJ", "GRND", "NUMR", "COMP",
            "PRTS", "ADJS"}
_NAME_TAGS = {"Name", "Surn", "Patr"}
# (``name_words._kz_spelled_name`` compares a word with a Kazakh letter in its Russian spelling)
KZ_TO_RU = RUSSIAN_SPELLING


class PrivacyError(OkaError):
    """The personal-data lexicon is missing or malformed."""


@dataclass(frozen=True)
class PdSpan:
    """Characters ``start:end`` of the text are personal data of ``kind``."""

    kind: str
    start: int
    end: int
    text: str


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
    name_keys: frozenset[str] = frozenset()   # the names spelled without Kazakh letters and soft signs
    cue_stems: dict[str, tuple[str, ...]] = field(default_factory=dict)
    not_name_stems: tuple[str, ...] = ()
    vocative_before: set[str] = field(default_factory=set)
    vocative_after: set[str] = field(default_factory=set)
    vocative_after_endings: tuple[str, ...] = ()
    honorifics: frozenset[str] = frozenset()
    kin_words: frozenset[str] = frozenset()
    street_words_after: frozenset[str] = frozenset()
    email_cues: frozenset[str] = frozenset()
    email_questions: frozenset[str] = frozenset()
    name_questions: frozenset[str] = frozenset()
    dwelling_words: frozenset[str] = frozenset()
    address_cue_stems: tuple[str, ...] = ()
    meter_words: set[str] = field(default_factory=set)
    meter_stems: tuple[str, ...] = ()
    meter_qualifiers: frozenset[str] = frozenset()
    letter_names: frozenset[str] = frozenset()
    weak_value_cues: frozenset[str] = frozenset()
    service_prepositions: frozenset[str] = frozenset()
    place_nouns: frozenset[str] = frozenset()
    place_noun_stems: tuple[str, ...] = ()
    make_nouns: frozenset[str] = frozenset()
    short_surnames: frozenset[str] = frozenset()
    street_titles: frozenset[str] = frozenset()
    person_words_after: frozenset[str] = frozenset()
    possessed_words: frozenset[str] = frozenset()
    name_question_forms: frozenset[str] = frozenset()
    memo: dict = field(default_factory=dict, repr=False)  # answers per word form, kept by the detectors


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    try:
        data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
        names = {ln.strip().lower() for f in NAMES_FILES for ln in f.read_text(encoding="utf-8").splitlines()
                 if ln.strip() and not ln.startswith("#")}
        return Lexicon(
            placeholders=dict(data["placeholders"]),
            cue_window=int(data["cue_window"]),
            cues={k: {norm(w) for w in v} for k, v in data["cues"].items()},
            units={norm(w) for w in data["units"]},
            always_mask_digits=int(data["always_mask_digits"]),
            mask_digits_without_value_cue=int(data["mask_digits_without_value_cue"]),
            mask_digits_with_cue=int(data["mask_digits_with_cue"]),
            name_cues_strong=[tuple(norm(w) for w in c) for c in data["name_cues_strong"]],
            name_cues_weak=[tuple(norm(w) for w in c) for c in data["name_cues_weak"]],
            not_names={norm(w) for w in data["not_names"]},
            street_words={norm(w) for w in data["street_words"]},
            house_words={norm(w) for w in data["house_words"]},
            address_cues={norm(w) for w in data["address_cues"]},
            names={norm(n) for n in names},
            name_keys=frozenset(norm(n).translate(KZ_TO_RU) for n in names),
            cue_stems={k: tuple(norm(w) for w in v) for k, v in (data.get("cue_stems") or {}).items()},
            not_name_stems=tuple(norm(w) for w in data.get("not_name_stems") or ()),
            vocative_before={norm(w) for w in data["vocative_before"]},
            vocative_after={norm(w) for w in data["vocative_after"]},
            vocative_after_endings=tuple(norm(w) for w in data.get("vocative_after_endings") or ()),
            honorifics=frozenset(norm(w) for w in data.get("honorifics") or ()),
            kin_words=frozenset(norm(w) for w in data.get("kin_words") or ()),
            street_words_after=frozenset(norm(w) for w in data.get("street_words_after") or ()),
            email_cues=frozenset(norm(w) for w in data.get("email_cues") or ()),
            email_questions=frozenset(norm(w) for w in data.get("email_questions") or ()),
            name_questions=frozenset(norm(w) for w in data.get("name_questions") or ()),
            dwelling_words=frozenset(norm(w) for w in data.get("dwelling_words") or ()),
            address_cue_stems=tuple(norm(w) for w in data.get("address_cue_stems") or ()),
            meter_words={norm(w) for w in data.get("meter_words") or ()},
            meter_stems=tuple(norm(w) for w in data.get("meter_stems") or ()),
            meter_qualifiers=frozenset(norm(w) for w in data.get("meter_qualifiers") or ()),
            letter_names=frozenset(norm(w) for w in data.get("letter_names") or ()),
            weak_value_cues=frozenset(norm(w) for w in data.get("weak_value_cues") or ()),
            service_prepositions=frozenset(norm(w) for w in data.get("service_prepositions") or ()),
            place_nouns=frozenset(norm(w) for w in data.get("place_nouns") or ()),
            place_noun_stems=tuple(norm(w) for w in data.get("place_noun_stems") or ()),
            make_nouns=frozenset(norm(w) for w in data.get("make_nouns") or ()),
            short_surnames=frozenset(norm(w) for w in data.get("short_surnames") or ()),
            street_titles=frozenset(norm(w) for w in data.get("street_titles") or ()),
            person_words_after=frozenset(norm(w) for w in data.get("person_words_after") or ()),
            possessed_words=frozenset(norm(w) for w in data.get("possessed_words") or ()),
            name_question_forms=frozenset(norm(w) for w in data.get("name_question_forms") or ()),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as e:
        raise PrivacyError(f"{LEXICON_FILE}: cannot load the personal-data lexicon ({e})") from e


@functools.lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Russian words of the department's calls (``VOCABULARY_FILES``), five letters or more, that the dictionary
    knows and that are not names: what a misheard word in a transcript most likely was."""
    import re

    names = lexicon().names
    words: set[str] = set()
    for f in VOCABULARY_FILES:
        try:
            words |= {norm(w) for w in re.findall(r"[А-Яа-яЁё]{5,}", f.read_text(encoding="utf-8"))}
        except OSError as e:
            raise PrivacyError(f"{f}: cannot read the words of the calls ({e})") from e
    return frozenset(w for w in words if w not in names and analyse(w)[3] and analyse(w)[2] < 0.3)


@functools.lru_cache(maxsize=8)
def all_lowercase(text: str) -> bool:
    """The text is written all in lowercase (the recogniser's plain style): asked by the detectors for many words
    of one text, computed once per text (a 100,000-character query must stay linear)."""
    return text == text.lower()


SENTENCE_END = frozenset({".", "?", "!", "…"})


def last_sentence_words(ctx: list[Token]) -> list[Token]:
    """The words (tokens that begin with a letter) of the last sentence said in ``ctx``, its closing marks
    skipped: what a question just before an answer asks is read from them."""
    end = len(ctx)
    while end and ctx[end - 1].form in SENTENCE_END:
        end -= 1
    start = end
    while start and ctx[start - 1].form not in SENTENCE_END:
        start -= 1
    return [t for t in ctx[start:end] if t.form[:1].isalpha()]


def norm(word: str) -> str:
    return str(word).lower().replace("ё", "е")


@functools.lru_cache(maxsize=50_000)
def analyse(low: str) -> tuple[str, str, float, bool]:
    """(lemma, part of speech, share of parses that are a name, known to the dictionary)."""
    m = morph()
    parses = m.parse(low)
    best = parses[0]
    name = sum(p.score for p in parses if _NAME_TAGS & set(p.tag.grammemes))
    return norm(best.normal_form), str(best.tag.POS or "UNKN"), name, m.word_is_known(low)
