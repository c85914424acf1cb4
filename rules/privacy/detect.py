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

from rules.numbers import NUMBER_WORDS
from rules.privacy.address_questions import asked_for_an_address as _asked_for_an_address
from rules.privacy.address_questions import street_answer as _street_answer
from rules.privacy.addresses import addresses as _addresses
from rules.privacy.lexicon import ID_KINDS, KINDS, PdSpan, PrivacyError, analyse, lexicon
from rules.privacy.lexicon import norm as _e
from rules.privacy.number_runs import pd_tokens
from rules.privacy.numbers import identifiers as _identifiers
from rules.privacy.numbers import read_numbers
from rules.privacy.people import asked_for_a_name as _asked_for_a_name
from rules.privacy.people import names as _names
from rules.privacy.phone_openings import phone_opening
from rules.privacy.said_marks import SAID_MARKS
from rules.privacy.serials import serial_stretches as _serial_stretches
from rules.privacy.spelled import initials, letters_answer
from rules.privacy.spelled import spelled as _spelled
from transcription.schema import Finding, Transcript

__all__ = ["KINDS", "MaskOptions", "PdSpan", "PrivacyError", "context_before", "find_pd", "mask_finding",
           "mask_text", "mask_transcript"]

_PRIORITY = {k: i for i, k in enumerate(KINDS)}
CONTEXT_UTTERANCES = 3
MEMO_LIMIT = 200_000
# written, or with spaces around «@» after a Latin name («askar @ mail.ru»)
# (the dots of its domain may be written with spaces around them, the ending Latin: «samal_2 @ yandex . kz»)
_EMAIL_RE = re.compile(r"(?<![\w.+-])(?:[\w.+-]+|[a-zA-Z0-9._+-]+ )@ ?[\w-]+(?:\.[\w-]+| ?\. ?[a-zA-Z]{2,10}\b)+")
# a spoken address: the name before «собака» may be said in pieces («erlan точка sadykov», «aset тире 77») or
# letter by letter, Latin or by the letters' Russian names («a, s, e, l», «эн, у, эр, эс»: pieces of one to three
# letters, spaces and commas between); the domain likewise, its dots said or written, or only a known ending
# after it («мэйл ру»).  The pattern runs only on a bounded window around each «собака» (``_emails``).
# (the underscore said as «нижнее подчёркивание», «нижнее тире», «нижний дефис», «андерскор»)
_SEPS = (r"(?:точка|нүкте|dot|дот|(?:нижн(?:ее|ий|яя)\s+)?(?:тире|дефис|подч[её]ркивание)|андерскор|андерскорр"
         r"|underscore)")
_SPOKEN_SEP = rf"(?:\s*[.-]\s*|[\s,]+{_SEPS}[\s,]+)"
# («at» is the at-sign said in English, never two letters of the name)
# («двойное вэ»: the letter w said as a double v; «же», «це»: the names of ж and ц, a particle and a word too)
_LETTER = (r"\b(?:двойн(?:ое|ая|ой)\s+(?:вэ|ве|в)|(?!at\b)[a-z0-9]{1,3}|[а-яёәіңғүұқөһ]"
           r"|бэ|вэ|гэ|дэ|жэ|зэ|ка|эл|эм|эн|пэ|эр|эс|тэ|эф|ха|цэ|че|ша|ща|кс|же|це|зэд"
           r"|бе|ве|ге|де|пе|те|зе|эль|эмм|энн|эфф|ку|зэт|дубль|кэ|йот|аш"
           r"|икс|зет|игрек|дабл|ю|эй|би|си|ди|джи|эйч|ай|джей|кей|оу|пи|кью|ар|ти|ви|экс|уай|вай|зед|зи)\b")
_LETTERS = rf"{_LETTER}(?:[\s,]+{_LETTER}){{1,40}}+"   # possessive: a run of letters is never taken apart again
_PIECE = rf"(?>{_LETTERS}|\w+(?:-\w+)*)"   # a piece may have hyphens inside: «osi-orbita», «g-u-l-z-h-a-n»
_AT_WORDS = r"(?:собака|собачка|эт|at|айқұлақ|айкулак)"   # «айқұлақ»: the at-sign in Kazakh
_DOT = r"(?:\s*\.\s*|[\s,]+(?:точка|нүкте|dot|дот)[\s,]+)"   # («дот»: the dot said in English)
_ENDINGS = r"(?:ru|ру|com|ком|kz|кз|net|нет|org|орг)"
# a mail service named alone after «собака», its ending left unsaid: «гульмира восемьдесят пять собака гмейл»
_SERVICES = (r"(?:(?:гугл|google)[\s,]{0,2}(?:мейл|мэйл|mail)|mail|gmail|[гж]и?мейл|[гж]и?мэйл|джи[\s,]{0,2}мейл"
             r"|джи[\s,]{0,2}мэйл|мейл|мэйл|майл|маил|yandex|яндекс|inbox|инбокс|list|лист|bk|бк|rambler|рамблер|outlook"
             r"|аутлук|icloud|айклауд|hotmail|хотмейл|хотмэйл)")
_SPOKEN_EMAIL_RE = re.compile(
    # (the at-word may stand between dots, each piece said as a sentence: «Almaz. Ibraev. собака. Gmail. com.»)
    rf"(?i)(?<![\w@.\-]){_PIECE}(?:{_SPOKEN_SEP}{_PIECE}){{0,5}}(?:[\s,.]+{_AT_WORDS}[\s,.]+|@[\s,]*)"
    rf"(?:{_PIECE}(?:(?:{_DOT}{_PIECE})+|[\s,]+{_ENDINGS}\b)|{_SERVICES}\b(?:[\s,]+{_ENDINGS}\b)?"
    # (the domain's name said in two or three words, its ending known: «собачка, ин, бокс, точка, ру»)
    rf"|[^\W\d_]+(?:[\s,]+[^\W\d_]+){{1,2}}{_DOT}{_ENDINGS}\b)")
# (and a written «@» with the rest said: «aidana.k@gmail точка com»)
_AT_RE = re.compile(rf"(?i)(?<!\w){_AT_WORDS}(?!\w)|@")
_WRITTEN_LOCAL_RE = re.compile(r"[a-zA-Z0-9]+(?:[._][a-zA-Z0-9]+)+(?![\w.])|[\w.+-]+@")
_LAST_DOT_RE = re.compile(r"(?i)[\s,]+(точка|нүкте|дот)[\s.!]*$")
_EMAIL_WINDOW = (240, 160)   # characters before and after «собака» a spoken address may take


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
    original, text, context = text, _dots_as_commas(text), _dots_as_commas(context)
    ctx_tokens = pd_tokens(context) if context else []
    tokens = pd_tokens(text)
    spans: list[PdSpan] = []
    spans += _emails(text)
    # an address dictated in pieces: after a question for it, opening with «собака», or after a cue in the utterance
    # itself («почта айгерим точка сапарова» — the rest in the next one)
    if (ctx_tokens and _email_asked(context, ctx_tokens, lex)) or _AT_OPENING_RE.match(text):
        spans += _email_answer(text)
        # (or only its name, written as one word, the domain left for later: «Электронная почта?» — «bolat.serik»)
        local = _LOCAL_ANSWER_RE.match(text)
        spans += [_span("email", text, local.start(1), local.end(1))] if local else []
    else:   # (only right after the cue: «почта …, долг 18 450 тенге» keeps its sum)
        k = next((k for k, t in enumerate(tokens) if t.form in lex.email_questions), None)
        # (the cue's last word: «электронная почта: asem.k», «емейл адрес aset собака …»)
        while k is not None and k + 1 < len(tokens) and (tokens[k + 1].form in lex.email_cues
                                                         or tokens[k + 1].form in lex.email_questions):
            k += 1
        cue = tokens[k] if k is not None else None
        if cue is not None:
            spans += [s for s in _email_answer(text) if cue.end <= s.start <= cue.end + _AFTER_CUE_CHARS]
            # (or an address's name written as one word, its domain said next: «почта saule.akhmet»)
            local = _LOCAL_WRITTEN_RE.match(text, cue.end)
            spans += [_span("email", text, local.start(1), local.end(1))] if local else []
    reading = read_numbers(text, tokens, ctx_tokens, lex)   # read once for both passes
    numbers = _identifiers(text, tokens, ctx_tokens, lex, context, reading)
    spans += numbers + _serial_stretches(text, tokens, reading, lex, numbers)
    spans += phone_opening(text, tokens, context, reading, lex, numbers)   # («Дальше номер?» — «восемь семьсот …»)
    spans += _addresses(text, tokens, lex, asked=bool(ctx_tokens) and _asked_for_an_address(ctx_tokens, lex))
    spans += _street_answer(text, tokens, ctx_tokens, lex) if ctx_tokens else []
    keep = {_e(n) for name in options.keep_names for n in name.split()}
    spans += _names(text, tokens, lex, keep, asked=bool(ctx_tokens) and _asked_for_a_name(ctx_tokens, lex))
    asked = reading.cues.before(reading.n_ctx) if reading.n_ctx else None   # (a question for a number before)
    spans += _spelled(text, spans) + letters_answer(text, context, lex.letter_names, asked in (*ID_KINDS, "meter"))
    spans += initials(text, context)
    spans = [s for s in spans if not (s.kind == "phone" and _SERVICE_RE.fullmatch(s.text)
                                      and _CALL_RE.search(text, max(0, s.start - _CALL_CHARS), s.start))]
    spans = _merge([_with_trailing_mark(s, text) for s in spans if s.kind in options.kinds], text)
    return spans if original is text else [_span(s.kind, original, s.start, s.end) for s in spans]


# a number dictated a digit or a group at a time, the recogniser ending each with a full stop («Лицевой счёт 4. 4. 7.
# 1. 0. 9.», «Номер 33. Дробь. 14.», «М-1. 2. 0. 8.»): read as the comma dictation it is (the same length, so every
# span stands where it stood); three pieces at least, two of them numbers, so «145. 2 дня назад» keeps its stop
# (a piece said in words too: «четыре. четыре. семь. один.»)
_SAID = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_MARKS_SAID = "|".join(sorted(SAID_MARKS, key=len, reverse=True))
_DOTTED_PIECE = rf"(?:\d{{1,4}}|[^\W\d_]{{1,3}}-\d{{1,4}}|{_MARKS_SAID}|{_SAID})"
_DOTTED_RUN_RE = re.compile(rf"(?i)(?<![\w.,-]){_DOTTED_PIECE}(?:\. {_DOTTED_PIECE}){{2,}}(?![\w-])")
_NUMBER_PIECE_RE = re.compile(rf"(?i)(?<!\w)(?:\d+|{_SAID})(?!\w)")


# a public service's short number to call, no one's own: «звоните на номер 109», «позвоните по 1414» (three or four
# digits from 1, a verb of calling right before; a piece of a mobile number, «позвоните на 8 705», stays masked)
_SERVICE_RE = re.compile(r"1\d{2,3}")
_CALL_RE = re.compile(r"(?i)(?:звон|набер|набир|қоңырау)\w*(?:\s+(?:на|по)(?:\s+номер\w*)?)?\s*$")
_CALL_CHARS = 40


def _dots_as_commas(text: str) -> str:
    if ". " not in text:
        return text
    return _DOTTED_RUN_RE.sub(
        lambda m: m[0].replace(". ", ", ") if len(_NUMBER_PIECE_RE.findall(m[0])) >= 2 else m[0], text)


# a mark said at the end of a number whose rest comes in the next utterance belongs to it: «Номер договора?» — «18
# дробь» / «дробь …» («18 тире.», «4512 слэш»); only before the sentence's end, so «45 тире это …» keeps its words
_TRAILING_MARK_RE = re.compile(rf"(?i)[\s,]*(?:{_MARKS_SAID})(?=[\s,]*(?:[.?!…]|$))")
_DICTATED = frozenset({"iin", "phone", "account", "contract", "number"})


def _with_trailing_mark(span: PdSpan, text: str) -> PdSpan:
    m = _TRAILING_MARK_RE.match(text, span.end) if span.kind in _DICTATED else None
    return _span(span.kind, text, span.start, m.end()) if m else span


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
            if "name" in (m.kind, s.kind) and m.kind != s.kind:
                # letters inside an identifier («45АБ1207») are its series, not a name: the identifier's kind
                name, other = (m, s) if m.kind == "name" else (s, m)
                if other.start <= name.start and name.end <= other.end:
                    kind = other.kind
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
    done = -1
    for at in _AT_RE.finditer(text):   # a bounded window around each «собака»: linear in the text
        if at.start() < done:
            continue
        a = max(0, at.start() - _EMAIL_WINDOW[0])
        while 0 < a < at.start() and not text[a - 1].isspace():   # start at a word's beginning
            a += 1
        b = min(len(text), at.end() + _EMAIL_WINDOW[1])
        for m in _SPOKEN_EMAIL_RE.finditer(text, a, b):
            if m.start() <= at.start() < m.end():
                end = m.end()
                tail = _LAST_DOT_RE.match(text, end)   # «… мейл точка ру точка»: the sentence's end said as a word
                end = tail.end(1) if tail else end
                # (a name written whole, Latin with a dot or an underscore, or onto «@», takes no words before it:
                # «почтаға жіберіңіз kuanysh.s@mail.kz», «aidana.k собака gmail.com»)
                written = _WRITTEN_LOCAL_RE.match(text, m.start())
                start = m.start() if written else _local_part_start(text, m.start())
                found.append(_span("email", text, start, end))
                done = end
                break
    return found


# an utterance that opens with «собака» and a mail service or a domain, or with a mail service and its ending (the
# at-sign said at the end of the one before: «… собака» — «яндекс точка ру»): the second half of a dictated address
_AT_OPENING_RE = re.compile(rf"(?i)\W*(?:{_AT_WORDS}[\s,]+(?:{_SERVICES}\b|{_ENDINGS}\b|\w+{_DOT}\w)"
                            rf"|{_SERVICES}{_DOT}{_ENDINGS}\b)")
_ANSWER_WORD_RE = re.compile(r"[\w+-]+(?:\.[\w+-]+)*")
_ANSWER_GAP_RE = re.compile(r"[\s,]*")
_DECIMAL_RE = re.compile(r"\d+\.\d+")
_AT_WORD_RE = re.compile(rf"(?i){_AT_WORDS}")
_ENDING_RE = re.compile(rf"(?i){_ENDINGS}")
_SEP_WORD_RE = re.compile(rf"(?i){_SEPS}|{_AT_WORDS}|нижнее|{_SERVICES}|{_ENDINGS}")


def _email_asked(context: str, ctx_tokens: list, lex) -> bool:
    """What was said just before asks for an e-mail («Продиктуйте почту»), or dictates one («айгерим точка
    сапарова», «… собака»): within the last ``cue_window`` words."""
    words = [t for t in ctx_tokens if t.form[:1].isalpha()][-lex.cue_window:]
    return any(t.form in lex.email_questions for t in words) or bool(
        _AT_RE.search(context, max(0, len(context) - 80)))


def _email_answer(text: str) -> list[PdSpan]:
    """An answer to a question for an e-mail, dictated in pieces over several utterances: a run of two pieces or
    more — names, words the dictionary does not know, letters, digits, number words, «точка», «собака», a mail
    service — is (part of) the address: «айгерим точка сапарова» / «собака мейл точка ру», «ерлан восемьдесят»."""
    found, run_start, run_end, pieces, pos = [], -1, -1, 0, 0
    at = ended = False
    for m in _ANSWER_WORD_RE.finditer(text):
        low = m.group().lower()
        joined = _ANSWER_GAP_RE.fullmatch(text, pos, m.start()) is not None
        # (a decimal is no piece: «почта 18.5 тысяч долг» is a sum)
        piece = not _DECIMAL_RE.fullmatch(low) and bool(
            _SEP_WORD_RE.fullmatch(low) or _LETTER_RE.fullmatch(low) or "." in low or _local_word(low))
        # (an address whose at-sign was said ends with its domain's ending: «… собака бк точка ру и телефон …»)
        if piece and joined and pieces and not ended:
            run_end, pieces = m.end(), pieces + 1
            at = at or _AT_WORD_RE.fullmatch(low) is not None
            ended = at and _ENDING_RE.fullmatch(low) is not None
        else:
            at = piece and _AT_WORD_RE.fullmatch(low) is not None
            ended = False
            if pieces >= 2:
                found.append(_span("email", text, run_start, run_end))
            run_start, run_end, pieces = (m.start(), m.end(), 1) if piece else (-1, -1, 0)
        pos = m.end()
    if pieces >= 2:
        found.append(_span("email", text, run_start, run_end))
    return found


_LOCAL_WRITTEN_RE = re.compile(r"[\s,:-]{1,4}((?=[\w.]*[a-zA-Z])[a-zA-Z0-9]+(?:[._][a-zA-Z0-9]+)+)(?![\w.])")
# ...or opening the answer to a question for it, after a filler or two: «да, bolat.serik», «saule_88»
_LOCAL_ANSWER_RE = re.compile(r"(?i)\W*(?:(?:да|вот|это|ну|так|иә|мына)[\s,:-]+){0,2}"
                              r"((?=[\w.]*[a-zA-Z])[a-zA-Z0-9]+(?:[._][a-zA-Z0-9]+)+)(?![\w.@])")
_AFTER_CUE_CHARS = 4   # an address dictated after a cue in the same utterance starts right after it («почта айгерим …»)
# (a dot or an underscore inside: «dilnoza_yu 92 эт mail …», «tatyana.lee 1975 собака …»)
_WORD_BEFORE_RE = re.compile(r"([^\W_]+(?:[._][^\W_]+)*)[\s,]+$")
_LOCAL_WORDS = 3        # words said apart that may still be the address's name: «ай дана», «ерлан девяносто два»
_LOCAL_PIECES = 12      # ...and letters, digits and number words said one by one: «у эс е эр один два три»
_LETTER_RE = re.compile(_LETTER)
# a mark said as a word inside the address's name, walked over before «собака» like its letters
_SEP_BEFORE_RE = re.compile(r"точка|нүкте|dot|дот|тире|дефис|подч[её]ркивание|нижнее|нижний|нижняя|андерскорр?"
                            r"|underscore")


def _local_part_start(text: str, start: int) -> int:
    """Where a spoken address starts once the words said apart before its name are taken in: «ай дана собака …»,
    «ерлан девяносто два собака …».  Such a word is a number word, a name, Latin letters, or a word the dictionary
    does not know; a word it knows (a verb, «почта», «мой») or a mark ends the address's name."""
    words = 0
    for _ in range(_LOCAL_PIECES):
        m = _WORD_BEFORE_RE.search(text, max(0, start - 40), start)
        if m is None or m.end() != start:
            break
        low = m.group(1).lower()
        if _SEP_BEFORE_RE.fullmatch(low) and words < _LOCAL_WORDS:   # «асет нижнее тире восемьдесят …»
            start = m.start(1)
            continue
        if not (_LETTER_RE.fullmatch(low) or low.isdigit() or low in NUMBER_WORDS):
            words += 1
            if words > _LOCAL_WORDS or not _local_word(low):
                break
        start = m.start(1)
    return start


def _local_word(low: str) -> bool:
    if low.isdigit() or low.isascii() or low in NUMBER_WORDS:
        return True
    _, pos, name, known = analyse(_e(low))
    return _e(low) not in lexicon().email_cues and not low.startswith(("почт", "пошт")) \
        and (not known or name >= 0.3) and pos not in ("VERB", "INFN")
