"""Text as the rules see it: normalised tokens with lemmas and a few grammatical flags.

ASR output and typed transcripts differ in case, punctuation and «ё»; every rule
works on the same normal form: lowercase, «ё» → «е», words split on anything
that is not a letter, digit or an inner hyphen.  Each token remembers the
punctuation that followed it (vocatives need the comma) and its character span
in the original text (evidence is quoted from the original, not the normal form).

pymorphy3 lives here and only here (one analyser, ``morph()``).  A token's analysis
is cached per surface form, so a call costs one dictionary lookup per distinct word.
This is the one tokenizer of the rules: the checker, the lemma search and the
personal-data masker (which asks for the punctuation marks too, ``marks=True``) share it.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import itemgetter

from rules import kazakh
from rules.phonetics import Heard

# letters: Cyrillic with the Kazakh ones, Latin with its accented forms (an explicit class is twice as
# fast as [^\W\d_]); words keep inner hyphens («кое-что»), numbers their decimal comma («123,5»)
_L = "a-zA-Z\u00c0-\u024fа-яА-ЯёЁәіңғүұқөһӘІҢҒҮҰҚӨҺ"
# (ASR writes thousands apart: «3 782,9», «3.782,9» is one number; digits with commas or dots
# between them are one token too, «12.03.2025», «875,440,423,2»: ``rules.numbers.chain_digits`` reads them)
_GROUPED = r"\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?(?!\d)"
_DOTTED_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?|\d{1,3}\.\d{3},\d+")
_TOKEN = re.compile(rf"[{_L}]+(?:-[{_L}]+)*|{_GROUPED}|\d+(?:[.,]\d+)*")
_TOKEN_OR_MARK = re.compile(rf"{_TOKEN.pattern}|[^\w\s]")
TOKEN = _TOKEN  # a word or a number, as the rules split text
_SEPARATORS = str.maketrans("", "", " \u00a0.")
# a token and the punctuation right after it (spaces between allowed)
TOKEN_PUNCT = re.compile(r"(" + _TOKEN.pattern + r")[ \t]*([,.!?;:…—–-])?", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?…]+")
SENTENCE_MARKS = frozenset(".!?…")   # a token's ``punct`` that ends its sentence


def ends_sentence(punct: str) -> bool:
    """Whether a token's ``punct`` (one mark or none) ends its sentence."""
    return punct[:1] in SENTENCE_MARKS

# flags packed into one int per analysis
IMPR_SG = 1       # imperative, singular: «подожди», «скажи»
SECOND_SG = 2     # 2nd person singular present/future: «знаешь», «понимаешь»
NAME = 4          # given name
PATR = 8          # patronymic
SURN = 16         # surname
VERB_IMPR = 32    # any imperative (polite plural too): «подождите»
ADJ = 64          # adjective or participle (full form)
NOUN = 128
PREP = 256
NUMBER = 512
ORDINAL = 2048   # «пятого»: with a number before it, a date or an ordinal, not a quantity
UNKNOWN = 1024   # not in the dictionary: a misheard or foreign word, the only kind matched fuzzily
MARK = 4096      # a punctuation mark (only with ``tokenize(text, marks=True)``)
KAZAKH = 8192    # analysed as Kazakh: the lemma is the stem of rules.kazakh's suffix model
PAST = 16384     # a verb in the past tense or a short past participle: «подавала», «оставил», «оформлена»
FIRST = 32768    # a verb in the 1st person: «позвоню», «хабарласамын», «сөйлесейін» (what the speaker will do)
SECOND = 65536   # a verb in the 2nd person, either number: «позвоните», «знаешь» (what the listener does, or is
                 # asked to: pymorphy3 reads «позвоните» as the future before the imperative)
_UNKNOWN_IN = UNKNOWN.__and__  # flags → its UNKNOWN bit (a C call: the words not known are found in one map)


@lru_cache(maxsize=1)
def morph():
    """The shared pymorphy3 analyser (built once; it loads its dictionaries)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=300_000)
def is_known(form: str) -> bool:
    """Whether pymorphy3's dictionary knows the normalised word (cached per word)."""
    return morph().word_is_known(form)


@lru_cache(maxsize=300_000)
def analyse(form: str) -> tuple[str, int, tuple[str, ...]]:
    """(lemma, flags, other lemmas) for a normalised surface form.

    The most probable parse gives the lemma and flags; the other parses' lemmas
    are kept so that «частного» (first parsed as the noun «частное») still
    matches the adjective «частный» in a phrase.
    """
    if form.isdigit() or not form[0].isalpha():
        return form, NUMBER, ()
    m = morph()
    parses = m.parse(form)
    p = parses[0]
    if "impr" in p.tag and len(parses) > 1 and parses[1].score >= p.score and "impr" not in parses[1].tag:
        # as likely another form: «пришли» is «прислать»'s imperative or «прийти»'s past («показания пришли»);
        # an imperative to «ты» is a finding against the operator, so a tie is not one
        p = parses[1]
    tag = p.tag
    flags = 0 if m.word_is_known(form) else UNKNOWN
    pos = tag.POS
    if pos == "VERB":
        if "impr" in tag:
            flags |= VERB_IMPR
            if "sing" in tag:
                flags |= IMPR_SG
        elif "2per" in tag:
            flags |= SECOND | (SECOND_SG if "sing" in tag else 0)
        elif "past" in tag:
            flags |= PAST
        elif "1per" in tag:
            flags |= FIRST
    elif pos == "PRTS" and "past" in tag:
        flags |= PAST
    elif pos == "NOUN":
        flags |= NOUN
        if "Name" in tag:
            flags |= NAME
        elif "Patr" in tag:
            flags |= PATR
        elif "Surn" in tag:
            flags |= SURN
    elif pos in ("ADJF", "PRTF"):
        flags |= ADJ
        if "Anum" in tag:
            flags |= ORDINAL
    elif pos == "PREP":
        flags |= PREP
    elif pos == "NUMR":
        flags |= NUMBER
    lemma = p.normal_form.replace("ё", "е")
    alts = tuple({q.normal_form.replace("ё", "е") for q in parses if q is not p} - {lemma})
    return lemma, flags, alts


@lru_cache(maxsize=300_000)
def analyse_kk(form: str) -> tuple[str, int, tuple[str, ...]]:
    """(stem, flags, other lemmas) of a word in Kazakh speech.

    The stem comes from the suffix model (``rules.kazakh``), the stems between
    the form and it are the alternatives (a lexicon word matches any); a word the Russian
    dictionary knows (a loan: «пломба», «заявка») keeps its Russian lemma as an
    alternative, so a Russian cue still finds it.  Kazakh words are never
    matched fuzzily against Russian ones.
    """
    if form.isdigit() or not form[0].isalpha():
        return form, NUMBER, ()
    peeled = kazakh.stems(form)
    alts = peeled[1:-1]
    russian = 0
    if not kazakh.has_kazakh_letter(form) and morph().word_is_known(form):
        lemma, flags, others = analyse(form)
        alts = (*alts, *sorted({lemma, *others} - set(peeled)))
        if flags & _RU_VERB and len(form) >= _RU_VERB_MIN:
            # a Russian verb in Kazakh speech («мен заявка подавала», «мастер приходил ғой»): its tense, person
            # and mood, as a Russian cue asks of it — not a short Kazakh word the Russian dictionary reads as a
            # verb («тек», only, is «течь»; «беру», to give, is «брать»)
            russian = flags & _RU_VERB
    past = PAST if len(peeled) > 1 and _KK_PAST_PERSONAL.search(form) else 0
    first = FIRST if len(peeled) > 1 and _KK_FIRST_PERSON.search(form) else 0
    return peeled[-1], KAZAKH | past | first | russian, alts


_RU_VERB = PAST | FIRST | SECOND | SECOND_SG | VERB_IMPR | IMPR_SG
_RU_VERB_MIN = 5   # letters: every Russian verb form in the Kazakh corpora's speech is this long, the Kazakh words
#                    without a Kazakh letter that the Russian dictionary parses as verbs are shorter


# a Kazakh verb in the past tense with a 1st or 2nd person ending («бердім», «қалдырдық», «бергенмін»,
# «тапсырғансыз»): what a caller says of what they did; the 3rd person («тіркелді») is left out, an accusative
# noun («өтінімді») ends the same way
_KK_PAST_PERSONAL = re.compile(r"..(?:[дт][ыі](?:м|ңыз|ңіз|қ|к)|(?:ған|ген|қан|кен)(?:мын|мін|быз|біз|сыз|сіз))$")
# a Kazakh verb in the 1st person: the present-future («хабарласамын», «береміз»), the optative («сөйлесейін»,
# «ойланайын»); a noun with a 1st person possessive has «ы», «і» before «-мыз» («шотымыз»), the verb «а», «е», «й»
_KK_FIRST_PERSON = re.compile(r"..(?:[ае]м[ыі][нз]|й(?:мын|мін|мыз|міз)|[ая]йын|[еә]йін|[аы]йық|[еі]йік)$")


def normal(text: str) -> str:
    """Lowercase with «ё» as «е»: the form every lexicon entry is compared in."""
    return text.lower().replace("ё", "е")


@dataclass(slots=True)
class Token:
    form: str        # normalised surface form
    lemma: str
    flags: int
    alts: tuple      # lemmas of the less probable parses
    start: int       # character span in the original text
    end: int
    punct: str       # punctuation right after the token ('' if none), e.g. ',' '?' '.'

    @property
    def is_word(self) -> bool:
        return self.form[:1].isalpha()

    @property
    def is_digits(self) -> bool:
        return self.form.isdigit()


# Russian particles of the subjunctive mood, whose verb takes the past tense's form: «хотим, чтобы мастер пришёл»
# asks for a visit, «пришёл бы мастер» wishes for one — neither tells of a visit made
_SUBJUNCTIVE = frozenset({"чтобы", "чтоб", "бы", "б"})


def _unpast_subjunctive(forms: list[str], flags: list[int], puncts: list[str]) -> None:
    """Take ``PAST`` off the verbs of a subjunctive: after «чтобы» up to the next punctuation mark (past a comma
    that a verb in the past form follows: «чтобы мастер пришёл, осмотрел счётчик»), and within two words of «бы» in
    its stretch of speech."""
    n = len(forms)
    for i, form in enumerate(forms):
        if form not in _SUBJUNCTIVE:
            continue
        if form in ("чтобы", "чтоб"):
            lo, hi = i + 1, n
        else:
            lo, hi = max(0, i - 2), min(n, i + 3)
        for k in range(i, lo, -1):   # not across a mark before «бы»
            if puncts[k - 1]:
                lo = k
                break
        for k in range(lo, hi):
            flags[k] &= ~PAST
            if puncts[k] and k >= i and not (hi == n and puncts[k] == "," and k + 1 < n and flags[k + 1] & PAST):
                break


# the Russian imperative of the 3rd person: «пусть позвонит», «пускай сама звонит» ask someone to do it
_LET = frozenset({"пусть", "пускай"})


def _imperative_let(forms: list[str], flags: list[int], puncts: list[str]) -> None:
    """Mark as an imperative (``VERB_IMPR``) the verb within two words after «пусть», «пускай» in its stretch."""
    n = len(forms)
    for i, form in enumerate(forms):
        if form not in _LET:
            continue
        for k in range(i + 1, min(n, i + 4)):
            if puncts[k - 1]:
                break
            if morph().parse(forms[k])[0].tag.POS == "VERB":
                flags[k] |= VERB_IMPR
                break


class Utt:
    """One utterance, analysed once and shared by all detectors.

    The analysis is kept as parallel lists, one entry per token: ``forms``, ``lemmas``, ``flags``, ``alts`` (the
    other parses' lemmas) and ``puncts`` (the mark right after the token); ``keys`` is the set of every form,
    lemma and alternative said.  ``Token`` objects (``tokens``, with their character spans) are made only when a
    rule asks for them.  ``analysed``: ``analyse_text(text, language)`` when the caller has it (``rules.call``
    analyses each utterance once, for its language and its tokens)."""

    __slots__ = ("_ends", "_heard", "_positions", "_raw", "_tokens", "_unknown", "_where", "alts", "end", "flags",
                 "forms", "index", "keys", "language", "lemmas", "puncts", "speaker", "start", "text", "unknown_at",
                 "unknown_max", "words")

    def __init__(self, index: int, speaker: str, start: float, end: float, text: str, words=None,
                 language: str | None = None, analysed: tuple | None = None):
        self.index = index
        self.language = language
        self.speaker = speaker
        self.start = start
        self.end = end
        self.text = text
        self.words = words
        raw, puncts, infos = analyse_text(text, language) if analysed is None else analysed
        self._raw = raw
        self.puncts = puncts
        if infos:
            forms, lemmas, flags, alts = map(list, zip(*infos, strict=False))  # every info has four parts
        else:
            forms, lemmas, flags, alts = [], [], [], []
        self.forms, self.lemmas, self.flags, self.alts = forms, lemmas, flags, alts
        # every form, lemma and alternative lemma said: a lexicon with none of them cannot match exactly
        keys = self.keys = set(forms)
        keys.update(lemmas)
        keys.update(*alts)
        if not _SUBJUNCTIVE.isdisjoint(keys):
            _unpast_subjunctive(forms, flags, puncts)
        if not _LET.isdisjoint(keys):
            _imperative_let(forms, flags, puncts)
        self._ends = None
        self._heard = None
        self._positions = None
        self._tokens = None
        self._unknown = None
        self._where: dict[str, list[int]] | None = None
        # the words the dictionary does not know (only such words are matched fuzzily), the longest one's length
        unknown = self.unknown_at = list(compress(range(len(flags)), map(_UNKNOWN_IN, flags)))
        self.unknown_max = max(len(forms[i]) for i in unknown) if unknown else 0

    @property
    def tokens(self) -> list[Token]:
        """The tokens (``tokenize(text, language=language)``), made when first asked."""
        toks = self._tokens
        if toks is None:
            toks = self._tokens = []
            find, pos = self.text.find, 0
            for w, p, form, lemma, flags, alts in zip(self._raw, self.puncts, self.forms, self.lemmas, self.flags,
                                                      self.alts, strict=False):
                # the word's own place: the text between two tokens holds no letter or digit (the tokenizer would
                # have begun a token there), so the next occurrence of the word is where the tokenizer found it
                s = find(w, pos)
                pos = s + len(w)
                toks.append(Token(form, lemma, flags, alts, s, pos, p))
        return toks

    @property
    def unknown(self) -> list[tuple[int, Token]]:
        """(index, token) of each word the dictionary does not know."""
        if self._unknown is None:
            self._unknown = [(i, self.tokens[i]) for i in self.unknown_at]
        return self._unknown

    @property
    def positions(self) -> dict[str, list[int]]:
        """Form, lemma or alternative lemma → the indexes of the tokens that have it (built when first asked)."""
        pos = self._positions
        if pos is None:
            pos = self._positions = {}
            for i, (form, lemma, alts) in enumerate(zip(self.forms, self.lemmas, self.alts, strict=False)):
                pos.setdefault(form, []).append(i)
                if lemma != form:
                    pos.setdefault(lemma, []).append(i)
                for a in alts:
                    if a != form:
                        pos.setdefault(a, []).append(i)
        return pos

    def where(self, key: str) -> list[int]:
        """``positions[key]`` for a key said (one of ``keys``), looked for when first asked: a lexicon asks
        for one or two words of an utterance, not for all of them."""
        cache = self._where
        if cache is None:
            cache = self._where = {}
        got = cache.get(key)
        if got is None:
            forms, lemmas, alts = self.forms, self.lemmas, self.alts
            got = cache[key] = [i for i in range(len(forms)) if forms[i] == key or lemmas[i] == key or key in alts[i]]
        return got

    def heard(self) -> Heard:
        """This utterance's words made ready for ``rules.phonetics`` questions (dictionary words told by
        ``is_known``), once per utterance."""
        if self._heard is None:
            self._heard = Heard(self.forms, is_known)
        return self._heard

    def span_time(self, first: int, last: int) -> tuple[float, float]:
        """Seconds covered by tokens first..last: word timestamps if they line up, else the utterance."""
        words = self.words
        if words and len(words) >= 1:
            idx = _word_index(self)
            if idx is not None and last < len(idx):
                a, b = words[idx[first]], words[idx[last]]
                return a.start, b.end
        return self.start, self.end

    def evidence(self, first: int, last: int, limit: int = 120) -> str:
        """The sentence (or clause) of the original text around tokens first..last."""
        text = self.text
        a, b = self.tokens[first].start, self.tokens[last].end
        if self._ends is None:  # sentence ends, found once per utterance
            self._ends = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)]
        ends = self._ends
        k = bisect_right(ends, (a, a)) if ends else 0
        left = 0
        while k > 0 and ends[k - 1][1] > a:
            k -= 1
        if k > 0:
            left = ends[k - 1][1]
        right = len(text)
        j = bisect_left(ends, (b, 0))
        if j < len(ends):
            right = ends[j][0]
        snippet = text[left:right].strip()
        if len(snippet) > limit:
            lo = max(left, a - limit // 3)
            hi = min(right, max(b, lo + limit))
            snippet = text[lo:hi].strip()
            snippet = ("…" if lo > left else "") + snippet + ("…" if hi < right else "")
        return snippet


def _word_index(u: Utt) -> list[int] | None:
    """Token index → word index, when the words' text tokenises the same way."""
    out: list[int] = []
    for i, w in enumerate(u.words):
        n = len(_TOKEN.findall(w.w))
        out.extend([i] * n)
    return out if len(out) == len(u.tokens) else None


@lru_cache(maxsize=300_000)
def word_info(word: str) -> tuple[str, str, int, tuple[str, ...]]:
    """(form, lemma, flags, other lemmas) of a word as written, cached."""
    form = word.lower().replace("ё", "е")
    if form[0].isdigit() and (" " in form or "\u00a0" in form or _DOTTED_THOUSANDS.fullmatch(form)):
        form = form.translate(_SEPARATORS)  # «3 782,9» → «3782,9»
    return (form, *analyse(form))


@lru_cache(maxsize=300_000)
def word_info_kk(word: str) -> tuple[str, str, int, tuple[str, ...]]:
    form = word_info(word)[0]
    return (form, *analyse_kk(form))


@lru_cache(maxsize=300_000)
def word_info_mixed(word: str) -> tuple[str, str, int, tuple[str, ...]]:
    """A word of a text with Kazakh letters in it, read without a language: ``word_info_kk`` for a word with one of
    them, ``word_info`` otherwise (cached, so a text is read by one map)."""
    return word_info_kk(word) if kazakh.has_kazakh_letter(word) else word_info(word)


def tokenize(text: str, marks: bool = False, language: str | None = None) -> list[Token]:
    """The words and numbers of ``text``; with ``marks``, every punctuation mark as a token of its own
    (flag ``MARK``, its ``form`` the mark) instead of the ``punct`` of the token before it.
    In Kazakh speech (``language="kk"``), and for any word with a Kazakh letter, the lemma is the
    Kazakh stem (``analyse_kk``)."""
    if marks:
        return _with_marks(text)
    kk = language == "kk"
    # a Kazakh letter in a word (``kazakh.has_kazakh_letter``), asked of the whole text first: a text without one
    # (most Russian speech) has no word with one
    mixed = not kk and kazakh.has_kazakh_letter(text)
    info = word_info_kk if kk else word_info_mixed if mixed else word_info
    toks: list[Token] = []
    append = toks.append
    for m in TOKEN_PUNCT.finditer(text):
        word, punct = m.group(1, 2)
        form, lemma, flags, alts = info(word)
        s = m.start()
        append(Token(form, lemma, flags, alts, s, s + len(word), punct or ""))
    return toks


def analyse_text(text: str, language: str | None = None) -> tuple[list[str], list[str], list[tuple]]:
    """(words as written, the mark after each or '', each word's (form, lemma, flags, other lemmas)): what
    ``tokenize(text, language=language)`` knows, without a ``Token`` per word."""
    pairs = TOKEN_PUNCT.findall(text)
    raw = list(map(_first, pairs))
    puncts = list(map(_second, pairs))
    if language == "kk":
        return raw, puncts, list(map(word_info_kk, raw))
    # a Kazakh letter in a word (``kazakh.has_kazakh_letter``), asked of the whole text first: a text without one
    # (most Russian speech) has no word with one
    if not kazakh.has_kazakh_letter(text):
        return raw, puncts, list(map(word_info, raw))
    return raw, puncts, list(map(word_info_mixed, raw))


_first, _second = itemgetter(0), itemgetter(1)


def as_kazakh(analysed: tuple) -> tuple:
    """``analyse_text(text)`` of a text analysed without a language, as ``analyse_text(text, "kk")`` gives it
    (the same words and marks, each word's ``word_info_kk``: its form and the stem and flags of ``analyse_kk``)."""
    raw, puncts, _ = analysed
    return raw, puncts, list(map(word_info_kk, raw))


def _with_marks(text: str) -> list[Token]:
    toks: list[Token] = []
    for m in _TOKEN_OR_MARK.finditer(text):
        word, s = m.group(), m.start()
        if word[0].isalnum():
            form, lemma, flags, alts = word_info(word)
            toks.append(Token(form, lemma, flags, alts, s, m.end(), ""))
        else:
            toks.append(Token(word, word, MARK, (), s, m.end(), ""))
    return toks
