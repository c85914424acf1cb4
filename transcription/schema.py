"""The data passed between stages, defined once.

A transcript (docs/CONTRACT.md section 1) goes from ``transcription`` to ``rules``;
a check result (section 3) goes from ``rules`` to ``analytics``.  The DuckDB
tables in ``analytics/storage/store.py`` mirror these dataclasses column for column.

This module imports nothing heavy: ``rules`` and ``analytics`` depend on it
without pulling in faster-whisper.
"""
from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.errors import OkaError

SPEAKERS = ("operator", "customer", "unknown")
LAYOUTS = ("stereo-operator-left", "stereo-operator-right", "mono")
TOPICS = ("request.individual", "request.legal", "readings", "billing", "out_of_scope", "other")
LANGUAGES = ("ru", "kk", "mixed", "unknown")            # a call's language (docs/CONTRACT.md section 1, revised)
UTTERANCE_LANGUAGES = ("ru", "kk")
REQUIRED = ("duration_s", "utterances")    # besides call_id (docs/CONTRACT.md section 1)
NOT_ASSESSED_REASONS = ("language", "no_speech", "low_confidence")   # docs/CONTRACT.md section 3
# a call_id names a file: letters, digits, "_", "-", "."; no separators, no "..", not starting with "."
# docs/CONTRACT.md section 1: letters, digits, «_», «-», «.», no «..»; «.» alone names the folder itself
CALL_ID = re.compile(r"^(?!\.$)(?!.*\.\.)[\w.-]{1,200}$")


class SchemaError(OkaError, ValueError):
    """A transcript or findings object does not follow docs/CONTRACT.md."""


@dataclass(frozen=True)
class Word:
    """One recognised word with its time span (seconds) and probability."""

    w: str
    start: float
    end: float
    p: float | None = None


@dataclass
class Utterance:
    """One stretch of speech by one speaker (docs/CONTRACT.md section 1)."""

    speaker: str
    start: float
    end: float
    text: str
    words: list[Word] | None = None
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    language: str | None = None          # "ru" or "kk" where known (docs/CONTRACT.md section 1, revised)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "speaker": self.speaker,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "text": self.text,
        }
        if self.words is not None:
            d["words"] = [
                {"w": w.w, "start": round(w.start, 3), "end": round(w.end, 3),
                 "p": None if w.p is None else round(w.p, 4)}
                for w in self.words
            ]
        if self.avg_logprob is not None:
            d["avg_logprob"] = round(self.avg_logprob, 4)
        if self.no_speech_prob is not None:
            d["no_speech_prob"] = round(self.no_speech_prob, 4)
        if self.language is not None:
            d["language"] = self.language
        return d


@dataclass
class Transcript:
    """One call's transcript (docs/CONTRACT.md section 1)."""

    call_id: str
    duration_s: float
    language: str | None = None          # ru | kk | mixed | unknown; None: not given (rules detect it from the text)
    layout: str = "mono"
    utterances: list[Utterance] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"call_id": self.call_id, "duration_s": round(self.duration_s, 3)}
        if self.language is not None:
            d["language"] = self.language
        d["layout"] = self.layout
        d["utterances"] = [u.to_dict() for u in self.utterances]
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def write(self, directory: Path) -> Path:
        check_call_id(self.call_id, str(directory))
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{self.call_id}.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(self.to_json(), encoding="utf-8")
        tmp.replace(path)
        return path

    @classmethod
    def from_dict(cls, data: Any, source: str = "transcript") -> Transcript:
        """Build a transcript from parsed JSON, checking it against the contract.

        Utterances are sorted by ``start``; any error names ``source`` and the
        utterance at fault.
        """
        if not isinstance(data, dict):
            raise SchemaError(f"{source}: expected a JSON object, got {type(data).__name__}")
        call_id = data.get("call_id")
        if not isinstance(call_id, str) or not call_id.strip():
            raise SchemaError(f"{source}: 'call_id' must be a non-empty string")
        check_call_id(call_id, source)
        layout = data.get("layout", "mono")
        if layout not in LAYOUTS:
            raise SchemaError(f"{source}: 'layout' must be one of {', '.join(LAYOUTS)}, got {_shown(layout)}")
        missing = [k for k in REQUIRED if k not in data]
        if missing:   # docs/CONTRACT.md section 1: rejected, not guessed («"utterances": []» for no speech)
            raise SchemaError(f"{source}: {' and '.join(repr(k) for k in missing)} required "
                              "(\"utterances\": [] for a call with no speech)")
        raw_utts = data["utterances"]
        if not isinstance(raw_utts, list):
            raise SchemaError(f"{source}: 'utterances' must be a list")
        utts = [_plain_utterance(u) or _utterance(u, f"{source}: utterance {i}") for i, u in enumerate(raw_utts)]
        utts.sort(key=lambda u: (u.start, u.end))
        duration = _number(data["duration_s"], f"{source}: 'duration_s'")
        if duration < 0:
            raise SchemaError(f"{source}: 'duration_s' must not be negative, got {duration:g}")
        language = data.get("language")
        if language is not None and language not in LANGUAGES:
            raise SchemaError(f"{source}: 'language' must be one of {', '.join(LANGUAGES)}, got {_shown(language)}")
        return cls(call_id=call_id, duration_s=duration, language=language, layout=layout, utterances=utts)

    @classmethod
    def load(cls, path: Path) -> Transcript:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as e:
            raise SchemaError(f"{path}: file not found") from e
        except IsADirectoryError as e:
            raise SchemaError(f"{path}: a folder, not a transcript file (name the JSON files in it)") from e
        except OSError as e:   # unreadable: permissions, a device, an I/O error
            raise SchemaError(f"{path}: cannot be read ({e.strerror or e})") from e
        except UnicodeDecodeError as e:
            raise SchemaError(f"{path}: not UTF-8 text") from e
        except json.JSONDecodeError as e:
            raise SchemaError(f"{path}: not valid JSON ({e.msg} at line {e.lineno})") from e
        except ValueError as e:  # a number too long to read (Python's limit on an integer's digits)
            raise SchemaError(f"{path}: not valid JSON ({str(e).split(':')[0]})") from e
        except RecursionError as e:  # arrays or objects nested thousands deep
            raise SchemaError(f"{path}: not a transcript (its JSON is nested too deeply to read)") from e
        return cls.from_dict(data, source=str(path))


def check_call_id(call_id: str, source: str) -> str:
    """A call_id names the transcript file: refuse one that could leave its folder (docs/CONTRACT.md section 1)."""
    if not isinstance(call_id, str) or not CALL_ID.match(call_id):
        raise SchemaError(f"{source}: call_id {call_id!r} is not a file-name-safe identifier "
                          "(letters, digits, '_', '-', '.'; no path separators, no '..', not '.' alone)")
    return call_id


def _digits(n: int) -> int:
    """How many decimal digits ``n`` (not 0) has, without ``str``, which refuses integers of more than 4,300
    digits (a ValueError)."""
    n = abs(n)
    d = int(n.bit_length() * math.log10(2))   # the digits less one, or the digits
    return d + 1 if n >= 10 ** d else d


def _shown(value: Any, longest: int = 60) -> str:
    """``value`` as an error message quotes it: its repr, cut to ``longest`` characters; an integer too long for
    ``repr`` (over 4,300 digits) by its number of digits."""
    if isinstance(value, int) and not isinstance(value, bool) and not -_LARGEST <= value <= _LARGEST:
        return f"an integer of {_digits(value)} digits"
    try:
        shown = repr(value)
    except (ValueError, RecursionError):   # an integer of more than 4,300 digits inside a list or an object
        return f"a {type(value).__name__}"
    return shown if len(shown) <= longest else shown[:longest - 1] + "…"


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SchemaError(f"{where} must be a number, got {_shown(value)}")
    if isinstance(value, int) and not -_LARGEST <= value <= _LARGEST:  # float() of it would overflow
        raise SchemaError(f"{where} must be finite, got {_shown(value)}")
    value = float(value)
    if not math.isfinite(value):
        raise SchemaError(f"{where} must be finite, got {value!r}")
    return value


def _opt_number(value: Any, where: str) -> float | None:
    return None if value is None else _number(value, where)


_LARGEST = int(sys.float_info.max)   # a JSON integer beyond it has no float


def _finite(value: Any) -> bool:
    """A number the contract takes as it is: a finite float or a plain int (not a bool) that a float can hold."""
    t = type(value)
    return (t is float and value - value == 0.0) or (t is int and -_LARGEST <= value <= _LARGEST)


def _plain_words(raw: list, start: float) -> list[Word] | None:
    """The words of an utterance when every one is well-formed (the common case), checked without building the
    messages ``_utterance`` would give; None when one is not (``_utterance`` then names the word at fault)."""
    out = []
    append = out.append
    for w in raw:
        if type(w) is not dict:
            return None
        text, ws, p = w.get("w"), w.get("start", start), w.get("p")
        we = w.get("end", ws)
        if type(text) is not str or not _finite(ws) or not _finite(we) or (p is not None and not _finite(p)):
            return None
        append(Word(text, float(ws), float(we), None if p is None else float(p)))
    return out


def _plain_utterance(data: Any) -> Utterance | None:
    """``_utterance`` of a well-formed utterance (the common case, checked without building its messages); None
    when anything is off, and ``_utterance`` says what."""
    if type(data) is not dict:
        return None
    get = data.get
    speaker, start, text, words = get("speaker", "unknown"), get("start"), get("text", ""), get("words")
    end, avg, nsp, language = get("end", start), get("avg_logprob"), get("no_speech_prob"), get("language")
    if speaker not in SPEAKERS or not _finite(start) or not _finite(end) or type(text) is not str \
            or (avg is not None and not _finite(avg)) or (nsp is not None and not _finite(nsp)) \
            or (language is not None and language not in UTTERANCE_LANGUAGES):
        return None
    start, end = float(start), float(end)
    if end < start:
        start, end = end, start
    if words is not None:
        if type(words) is not list:
            return None
        words = _plain_words(words, start)
        if words is None:
            return None
    return Utterance(speaker=speaker, start=start, end=end, text=text, words=words,
                     avg_logprob=None if avg is None else float(avg),
                     no_speech_prob=None if nsp is None else float(nsp), language=language)


def _utterance(data: Any, where: str) -> Utterance:
    if not isinstance(data, dict):
        raise SchemaError(f"{where}: expected an object")
    speaker = data.get("speaker", "unknown")
    if speaker not in SPEAKERS:
        raise SchemaError(f"{where}: 'speaker' must be one of {', '.join(SPEAKERS)}, got {_shown(speaker)}")
    start = _number(data.get("start"), f"{where}: 'start'")
    end = _number(data.get("end", start), f"{where}: 'end'")
    if end < start:
        start, end = end, start
    text = data.get("text", "")
    if not isinstance(text, str):
        raise SchemaError(f"{where}: 'text' must be a string")
    words = None
    if data.get("words") is not None:
        if not isinstance(data["words"], list):
            raise SchemaError(f"{where}: 'words' must be a list")
        words = []
        for j, w in enumerate(data["words"]):
            if not isinstance(w, dict) or not isinstance(w.get("w"), str):
                raise SchemaError(f"{where}: word {j} must be an object with a string 'w'")
            ws = _number(w.get("start", start), f"{where}: word {j} 'start'")
            words.append(Word(w["w"], ws, _number(w.get("end", ws), f"{where}: word {j} 'end'"),
                              _opt_number(w.get("p"), f"{where}: word {j} 'p'")))
    language = data.get("language")
    if language is not None and language not in UTTERANCE_LANGUAGES:
        raise SchemaError(f"{where}: 'language' must be one of {', '.join(UTTERANCE_LANGUAGES)}, "
                          f"got {_shown(language)}")
    return Utterance(
        speaker=speaker, start=start, end=end, text=text, words=words,
        avg_logprob=_opt_number(data.get("avg_logprob"), f"{where}: 'avg_logprob'"),
        no_speech_prob=_opt_number(data.get("no_speech_prob"), f"{where}: 'no_speech_prob'"),
        language=language,
    )


@dataclass(frozen=True)
class Finding:
    """One violation of one rule, traced to the words said (docs/CONTRACT.md section 3)."""

    rule: str
    clause: str
    speaker: str
    start: float | None
    end: float | None
    evidence: str
    confidence: float = 1.0      # how sure the words behind it are, 0..1 (1.0: a transcript without word probabilities)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("start", "end"):
            if d[k] is not None:
                d[k] = round(d[k], 2)
        d["confidence"] = round(self.confidence, 3)
        return d


@dataclass(frozen=True)
class NotAssessed:
    """A rule that could not be judged on a call, and why (one of ``NOT_ASSESSED_REASONS``)."""

    rule: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "reason": self.reason}


@dataclass(frozen=True)
class Reading:
    """A meter value dictated in a call, with the second it was said and how surely its digits were heard
    (the words' probabilities, as a finding's ``confidence``; 1.0 for a transcript without them)."""

    value: float
    start: float | None
    evidence: str
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "start": None if self.start is None else round(self.start, 2),
                "evidence": self.evidence, "confidence": round(self.confidence, 3)}


@dataclass
class CheckResult:
    """The rulebook's verdict on one call: one line of ``oka-qa check --json``."""

    call_id: str
    rulebook: str
    topic: str
    score: float | None                  # None: no rule could be assessed (left out of score averages)
    findings: list[Finding] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)       # every topic the call covers, ``topic`` first
    language: str = "unknown"
    uncertain: list[Finding] = field(default_factory=list)  # violations on words too unsure to count
    not_assessed: list[NotAssessed] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.topics:
            self.topics = [self.topic]
        elif self.topics[0] != self.topic:
            self.topics = [self.topic, *(t for t in self.topics if t != self.topic)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "call_id": self.call_id,
            "rulebook": self.rulebook,
            "topic": self.topic,
            "topics": list(self.topics),
            "language": self.language,
            "score": None if self.score is None else round(self.score, 1),
            "findings": [f.to_dict() for f in self.findings],
            "uncertain": [f.to_dict() for f in self.uncertain],
            "not_assessed": [n.to_dict() for n in self.not_assessed],
            "readings": [r.to_dict() for r in self.readings],
        }
