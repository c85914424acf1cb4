"""One call as the detectors see it: analysed utterances with the role each plays.

Roles.  Stereo transcripts say who spoke.  ``speaker: unknown`` is judged as
follows (a choice, documented in the rulebook): if the call has operator
utterances, unknown ones are nobody's — no operator rule judges them, but
topic and readings still read them.  If it has none (a mono recording
transcribed without diarisation), an unknown utterance counts as the
operator's when it is the first of the call (the operator answers) or carries
one of the rulebook's ``operator_markers`` («слушаю вас», «тепловые сети»); a
greeting or a farewell is no mark (the caller greets and takes leave too: a
customer's «Здравствуйте, девушка» or «Спасибо, девушка, до свидания» is the
customer's) — such a call is ``undiarised``, and ``closing.missing`` there takes a
farewell from whoever said it;
the other unknown utterances count as the customer's.  So a customer's
«девушка» is never blamed on the operator unless it sits in an utterance that
sounds like the operator's.
"""
from __future__ import annotations

from operator import attrgetter

from rules import analysis
from rules.language import language_of, tally
from rules.text import Utt, as_kazakh
from transcription.schema import Finding, Transcript

_text = attrgetter("text")


def languages(transcript: Transcript, word_votes: list | None = None) -> tuple[str, list[str | None]]:
    """(the call's language, each utterance's language): the transcript's where given, else from the words.

    An utterance whose words do not tell (a number, a name) is read in the call's
    language when that is Kazakh, and as Russian otherwise.  ``word_votes``: each utterance's words' votes
    (``rules.analysis.analyse``), when the caller has them.
    """
    if word_votes is None:
        word_votes = [analysis.analyse(u.text)[1] for u in transcript.utterances]
    given = [u.language for u in transcript.utterances]
    found, langs = language_of(list(map(tally, word_votes)), given)
    lang = transcript.language or found
    default = "kk" if lang == "kk" else None
    return lang, [x or default for x in langs]


class Call:
    __slots__ = ("_keys", "_unknown_max", "customer", "language", "memo", "operator", "roles", "rulebook", "topic",
                 "transcript", "undiarised", "utts")

    def __init__(self, transcript: Transcript, rulebook) -> None:
        self.transcript = transcript
        self.rulebook = rulebook
        # each text tokenised once, for its language and its tokens (Kazakh speech's lemmas are its stems), each
        # distinct word worked out once (``rules.analysis``)
        analysed, word_votes = zip(*map(analysis.analyse, map(_text, transcript.utterances)), strict=True) \
            if transcript.utterances else ((), ())
        self.language, langs = languages(transcript, word_votes)
        self.utts = [Utt(i, u.speaker, u.start, u.end, u.text, u.words, lang, as_kazakh(a) if lang == "kk" else a)
                     for i, (u, lang, a) in enumerate(zip(transcript.utterances, langs, analysed, strict=True))]
        roles = [u.speaker for u in self.utts]
        self.undiarised = "operator" not in roles and "unknown" in roles
        if self.undiarised:
            markers = rulebook.lexicon("operator_markers", rulebook.operator_markers, by_lemma=False)
            first_unknown = roles.index("unknown")
            for i, u in enumerate(self.utts):
                if roles[i] == "unknown":
                    mine = i == first_unknown or markers.contains(u)
                    roles[i] = "operator" if mine else "customer"
        self.roles = roles
        self.operator = [u for u, r in zip(self.utts, roles, strict=True) if r == "operator"]
        self.customer = [u for u, r in zip(self.utts, roles, strict=True) if r == "customer"]
        self.topic = "other"
        self._keys = None
        self._unknown_max = None
        self.memo: dict = {}  # what several rules ask of this call, worked out for the first

    @property
    def keys(self) -> set[str]:
        """Every form, lemma and alternative lemma said in the call (``Utt.keys`` of all utterances)."""
        if self._keys is None:
            self._keys = set().union(*(u.keys for u in self.utts))
        return self._keys

    @property
    def unknown_max(self) -> int:
        """The length of the longest word of the call the dictionary does not know (0: none)."""
        if self._unknown_max is None:
            self._unknown_max = max((u.unknown_max for u in self.utts), default=0)
        return self._unknown_max

    @property
    def duration(self) -> float:
        d = self.transcript.duration_s
        if self.utts:
            d = max(d, max(u.end for u in self.utts))
        return d

    def role(self, u: Utt) -> str:
        return self.roles[u.index]

    def ending(self, n: int) -> list[Utt]:
        """Where the operator's farewell is looked for: their last ``n`` utterances — in an ``undiarised`` call, the
        call's last ``n``, whoever said them (a farewell does not tell the operator from the caller)."""
        return self.utts[-n:] if self.undiarised else self.operator[-n:]

    def after(self, u: Utt, role: str, limit: int | None = None) -> list[Utt]:
        """Utterances of ``role`` that come after ``u`` (the next ``limit`` of them)."""
        out = []
        for v in self.utts[u.index + 1:]:
            if self.roles[v.index] == role:
                out.append(v)
                if limit is not None and len(out) >= limit:
                    break
        return out


def finding(rule, u: Utt | None, first: int | None = None, last: int | None = None,
            evidence: str | None = None, speaker: str = "operator") -> Finding:
    """A finding of ``rule`` traced to tokens first..last of utterance ``u`` (or the whole of it)."""
    if u is None:
        return Finding(rule.id, rule.clause, speaker, None, None, evidence or "")
    if first is not None and u.tokens:
        last = first if last is None else last
        start, end = u.span_time(first, last)
        ev = evidence if evidence is not None else u.evidence(first, last)
    else:
        start, end = u.start, u.end
        ev = evidence if evidence is not None else u.text.strip()[:160]
    return Finding(rule.id, rule.clause, speaker, start, end, ev)
