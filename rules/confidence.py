"""How sure the words behind a finding are, and whether a rule may judge a call at all.

A finding's ``confidence`` (docs/CONTRACT.md section 3) comes from the recogniser's
own numbers for the words it rests on:

* word probabilities (``words[].p``) of the words inside the finding's time
  span: their geometric mean (one unsure word in a short trigger pulls it down);
* without words, the utterance's ``avg_logprob`` (``exp`` of it is the
  geometric mean of the token probabilities);
* never more than ``1 - no_speech_prob`` of the utterance (a "sentence" the
  model thinks was silence is not evidence);
* 0 for an utterance that reads like a decoder loop (:func:`loops`: its text
  compresses like a repetition, or one word or short phrase comes four times
  in a row — «тихо-тихо-тихо-тихо…», «моб, моб, моб, моб»): Whisper writes
  that where it hears noise, and a «можешь» in front of it is no evidence;
* 1.0 for a transcript that carries none of these (typed, or another ASR).

Rules that judge an *absence* (no greeting, no farewell, a name never used…)
are only as good as the hearing of the stretch where the missing words would
be, and as the reading of it: a stretch whose words are mostly words neither language's dictionary knows
(:func:`unreadable`) leaves the rule not assessed, reason ``language``.  The rulebook names that stretch per
rule (``heard_in``): the ``opening`` or ``ending`` operator utterances, the operator's utterances ``after`` the
finding, all the ``operator``'s, or the whole ``call``; its confidence is the lower quartile of the
word probabilities there (so a garbled greeting among clear words still
counts as unsure).  Below the rule's ``min_confidence`` the rule is
*not assessed* (reason ``low_confidence``) rather than fired.

Abstentions: before a rule runs, every function in ``ABSTAIN`` may say why the
call cannot be judged by it (a reason of ``NOT_ASSESSED_REASONS``); the first
reason given wins.  ``no_speech`` and ``unreadable_language`` (a rule of absence on a call whose
language no lexicon reads) are built in; another reason is one more function registered with :func:`abstain`.
"""
from __future__ import annotations

import math
import re
import zlib
from collections.abc import Callable, Iterable

from rules.language import MIN_WORDS, form_vote
from rules.text import TOKEN, normal
from transcription.schema import Finding, Utterance

HEARD_IN = ("opening", "ending", "after", "operator", "call")

# (call, rule) -> a reason from NOT_ASSESSED_REASONS, or None when the rule may judge the call
ABSTAIN: list[Callable] = []


def abstain(fn: Callable) -> Callable:
    """Register an abstention check: ``fn(call, rule) -> reason | None`` (runs in registration order)."""
    if fn not in ABSTAIN:
        ABSTAIN.append(fn)
    return fn


def abstention(call, rule) -> str | None:
    """The reason the rule cannot judge this call, or None."""
    for fn in ABSTAIN:
        reason = fn(call, rule)
        if reason:
            return reason
    return None


@abstain
def no_speech(call, rule) -> str | None:
    """No operator speech: nothing the operator did or failed to do can be judged."""
    said = call.memo.get("operator_speech")
    if said is None:
        said = call.memo["operator_speech"] = any(u.forms for u in call.operator)
    return None if said else "no_speech"


@abstain
def unreadable_language(call, rule) -> str | None:
    """A rule of absence (``heard_in``) on a call whose language none of the lexicons reads (speech written in Latin
    letters, another language): the missing words may well have been said in words no lexicon has, so the rule is
    not assessed (reason ``language``) rather than judged by the Russian lexicons and fired.  A call with too few
    operator words to tell a language keeps the other abstentions' judgement."""
    if rule.heard_in is None or call.language != "unknown":
        return None
    said = call.memo.get("operator_words")
    if said is None:
        said = call.memo["operator_words"] = sum(len(u.forms) for u in call.operator)
    return "language" if said >= MIN_WORDS else None


# --- the numbers ------------------------------------------------------------------

# an utterance of at least LOOP_MIN_BYTES whose text compresses by more than LOOP_RATIO (zlib, as Whisper
# measures its segments) reads like a loop.  Whisper drops a segment above 2.4; between 1.8 and 2.4 it is
# kept, and on the held-out dev half such text was noise heard as a repeated word (ordinary sentences:
# about 1.0-1.3)
LOOP_RATIO = 1.8
LOOP_MIN_BYTES = 40
LOOP_REPEATS = 4     # one word or a phrase of up to three words this many times in a row


def loops(text: str) -> bool:
    """True for text that reads like a decoder loop rather than speech."""
    data = text.strip().encode("utf-8")
    if len(data) >= LOOP_MIN_BYTES and len(data) / len(zlib.compress(data)) > LOOP_RATIO:
        return True
    words = re.findall(r"\w+", text.lower())
    if len(set(words)) == len(words):
        return False  # no word comes twice: nothing repeats
    for n in (1, 2, 3):
        for i in range(len(words) - n * LOOP_REPEATS + 1):
            if all(words[i + k * n: i + (k + 1) * n] == words[i: i + n] for k in range(1, LOOP_REPEATS)):
                return True
    return False


def _ceiling(u: Utterance, memo: dict | None = None) -> float:
    """The most an utterance's words can be worth; ``memo``: id(utterance) → ceiling, kept for one call (several
    rules ask of the same utterances)."""
    if memo is not None:
        got = memo.get(id(u))
        if got is None:
            got = memo[id(u)] = _ceiling(u)
        return got
    if loops(u.text):
        return 0.0
    return 1.0 if u.no_speech_prob is None else max(0.0, 1.0 - u.no_speech_prob)


def _words_in(u: Utterance, start: float | None, end: float | None) -> list:
    if not u.words:
        return []
    if start is None or end is None:
        return list(u.words)
    eps = 0.02
    inside = [w for w in u.words if w.end > start + eps and w.start < end - eps]
    return inside or [w for w in u.words if w.start <= start + eps <= w.end or w.start <= end - eps <= w.end]


def span_confidence(u: Utterance, start: float | None = None, end: float | None = None,
                    memo: dict | None = None) -> float:
    """Confidence of the words of ``u`` in [start, end] (the whole utterance without a span); ``memo``: see
    ``_ceiling``."""
    ps = [w.p for w in _words_in(u, start, end) if w.p is not None]
    if ps:
        conf = math.exp(sum(math.log(max(p, 1e-6)) for p in ps) / len(ps))
    elif u.avg_logprob is not None:
        conf = math.exp(min(0.0, u.avg_logprob))
    else:
        conf = 1.0
    return min(conf, _ceiling(u, memo))


def stretch_confidence(utts: Iterable[Utterance], quantile: float = 0.25, memo: dict | None = None) -> float:
    """How well a stretch of utterances was heard: the lower quartile of its word probabilities.

    An empty stretch is 1.0 (nothing was said there, as far as anyone can tell).  ``memo``: see ``_ceiling``.
    """
    ps, ceiling, logprobs = [], 1.0, []
    for u in utts:
        ceiling = min(ceiling, _ceiling(u, memo)) if u.text.strip() else ceiling
        got = [w.p for w in u.words or () if w.p is not None]
        if got:
            ps.extend(got)
        elif u.avg_logprob is not None:
            logprobs.append(math.exp(min(0.0, u.avg_logprob)))
    if ps:
        ps.sort()
        conf = ps[min(len(ps) - 1, int(quantile * len(ps)))]
    elif logprobs:
        conf = sum(logprobs) / len(logprobs)
    else:
        conf = 1.0
    return min(conf, ceiling)


def finding_confidence(call, f: Finding) -> float:
    """The confidence of the words behind ``f``: those of the utterances it lies in, within its span."""
    if f.start is None:
        return 1.0
    end = f.start if f.end is None else f.end
    utts = call.transcript.utterances
    spans = [i for i, u in enumerate(utts)
             if u.start - 0.05 <= f.start <= u.end + 0.05 or (u.start < end and u.end > f.start)]
    if f.speaker in ("operator", "customer"):
        spans = [i for i in spans if call.roles[i] == f.speaker] or spans
    spans = [utts[i] for i in spans]
    if not spans:
        return 1.0
    memo = call.memo.setdefault("ceilings", {})
    if f.end is not None and f.end - f.start > 60:
        return stretch_confidence(spans, memo=memo)  # a whole-call finding: how the call was heard
    return min(span_confidence(u, f.start, f.end, memo) for u in spans)


def heard_stretch(call, rule, f: Finding) -> list[Utterance]:
    """The utterances where the words a rule of absence looks for would have been said."""
    where = rule.heard_in
    ops = [call.transcript.utterances[u.index] for u in call.operator]
    if where == "opening":
        n = int(rule.params.get("first_utterances", 2))
        return ops[:n]
    if where == "ending":
        return [call.transcript.utterances[u.index] for u in call.ending(int(rule.params.get("last_utterances", 2)))]
    if where == "after":
        at = f.start if f.start is not None else 0.0
        return [u for u in ops if u.end > at]
    if where == "operator":
        return ops
    return list(call.transcript.utterances)


# A stretch of at least UNREADABLE_MIN_WORDS words of which at least UNREADABLE_SHARE neither language's dictionary
# reads (``rules.language.form_vote``: no Russian word, no Kazakh one) is speech the lexicons cannot judge: Kazakh
# written without its letters («кайырлы тан» for «қайырлы таң», as a recogniser decoding it as Russian or a typist
# writes it), another language.  Utterances read as Kazakh are left out: Kazakh as written has words without a
# Kazakh letter that do not vote («Жарайды.»), and the Kazakh lexicons read them.  On the Kazakh corpus's dev half
# the operator's first two utterances leave at most 0.29 of their words unread in Kazakh as written and 0.33 in the
# Russian corpus, and at least 0.45 in every Kazakh call with its letters taken away.
UNREADABLE_SHARE = 0.45
UNREADABLE_MIN_WORDS = 4


def unreadable(utts: Iterable[Utterance]) -> bool:
    """Whether the words of ``utts`` are mostly words no lexicon language reads (so an absence there is unknown)."""
    votes = [v for u in utts for v in map(form_vote, map(normal, TOKEN.findall(u.text or ""))) if v is not None]
    return len(votes) >= UNREADABLE_MIN_WORDS and votes.count("") >= UNREADABLE_SHARE * len(votes)


def _not_read_as_kazakh(call, utts: list[Utterance]) -> list[Utterance]:
    """The utterances of ``utts`` (a call's transcript's) that the call does not read as Kazakh."""
    kazakh = {id(call.transcript.utterances[u.index]) for u in call.utts if u.language == "kk"}
    return [u for u in utts if id(u) not in kazakh]


def _stretch_reached(call, rule) -> bool:
    """Whether the recognised speech reaches the stretch at all: an operator who answers is heard within
    ``heard_within_s`` of the recording's start (opening), and the last words come within it of its end
    (ending).  A transcript that begins late or stops early lost that stretch: nothing is known about it.

    The ending also needs the operator's own side heard to the end: the operator's last recognised words
    within ``operator_heard_within_s`` of the last words of the call (and the opening, from the start: the
    operator's first words within it of the first words of the call).  When the recogniser lost the operator's
    last turns (it drops what it cannot make out) but heard the customer's «спасибо, до свидания», the «last
    operator utterances» are an earlier stretch and say nothing about the farewell (on the held-out dev half
    the operator's last words came 14-20 s before the customer's there; a customer's goodbye after an
    operator who said none takes 2-3 s)."""
    limit = rule.params.get("heard_within_s")
    ops = call.operator
    if limit is None or not ops or not call.transcript.duration_s:
        return True
    own = float(rule.params.get("operator_heard_within_s", limit))
    if rule.heard_in == "opening":
        return ops[0].start <= float(limit) and ops[0].start - min(u.start for u in call.utts) <= own
    if rule.heard_in == "ending":
        last = max(u.end for u in call.utts)
        if call.undiarised:  # whoever said the last words (their roles are guessed)
            return call.duration - last <= float(limit)
        return call.duration - last <= float(limit) and last - max(u.end for u in ops) <= own
    return True


def judge(call, rule, found: list[Finding]) -> tuple[list[Finding], list[Finding], str | None]:
    """(counted, uncertain, not-assessed reason) for what a rule's detector found on a call."""
    if not found:
        return [], [], None
    threshold = rule.min_confidence
    heard = None
    if rule.heard_in:
        if not _stretch_reached(call, rule):
            return [], [], "low_confidence"
        stretch = heard_stretch(call, rule, found[0])
        heard = stretch_confidence(stretch, memo=call.memo.setdefault("ceilings", {}))
        if heard < threshold:
            return [], [], "low_confidence"
        if unreadable(_not_read_as_kazakh(call, stretch)):   # heard, but in words no lexicon reads
            return [], [], "language"
    counted, unsure = [], []
    for f in found:
        if heard is not None and rule.heard_in in ("opening", "ending", "call"):
            conf = heard  # the finding is the stretch itself: nothing in it was said
        elif heard is not None:
            conf = min(finding_confidence(call, f), heard)  # what was said (a name, a complaint) and what was not
        else:
            conf = finding_confidence(call, f)
        f = Finding(f.rule, f.clause, f.speaker, f.start, f.end, f.evidence, round(conf, 4))
        (counted if conf >= threshold else unsure).append(f)
    return counted, unsure, None
