"""A meter's serial number (and a contract's number) as one stretch, however it is said (issue 17, СТП-04-2019 п. 14.7).

A serial is said right after its cue («номер счётчика», «заводской номер», «есептегіш нөмірі», «№»), as the answer
to a question for it («Заводской номер счётчика?» — «ВСКМ девяносто»), or with the cue after it («ек 0098432 — это
заводской номер»).  From there on, up to the first word that is neither a series' letters nor a number, everything
is the serial: letters in Latin or Cyrillic, capitals or lowercase, before, inside or after the digits («Itelma
1190-447», «MTW-UX 15 004512», «0 5 7 ВСГ 4 1 2», «дт 3 2 0 1 7 б»), digits or number words, with dashes, dots and
«№» between («Z один . пять . ноль . восемь»).  A model said before the cue stays («счётчик ВСКМ 90-15, заводской
номер …»), and so does a reading after it: a word («показания», «кубов»), a comma or the end of a sentence ends the
stretch.  ``rules.privacy.numbers`` finds the digits; this module only gives them their whole extent.
"""
from __future__ import annotations

import re

from rules import kazakh
from rules.privacy.cues import _cue_kind, _meter_word, _number_word, _unit_after
from rules.privacy.lexicon import Lexicon, PdSpan
from rules.privacy.lexicon import analyse as _analyse
from rules.privacy.number_runs import _adjacent
from rules.privacy.numbers import _GOING_ON, _SCALE_WORDS, Reading, _numbered_clause, serial_cue_next
from rules.privacy.said_marks import SAID_MARKS
from rules.privacy.series_letters import _KZ_ONLY, _VOWELS
from rules.text import Token

# between a serial's pieces, written or said; «.» only said apart («один . пять»)
# («стрих»: «штрих» as the recogniser hears it)
_MARKS = SAID_MARKS | frozenset({"-", "–", "/", "№", "штрих", "стрих"})
_LATIN_LETTERS = 10   # a maker's name written in Latin before the digits is part of what is read off the plate
_CYRILLIC_LETTERS = 4   # «ВСКМ», «тэм»; a longer Cyrillic word is a word
_WORD_LETTERS = frozenset("авикосуя")   # one-letter Russian words
_NOT_LETTERS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "VERB", "INFN", "ADVB", "PRED", "ADJF", "ADJS", "PRTF",
                          "GRND"})
_ACCOUNTING = ("учёт", "учет", "есепке")   # «прибор учёта», «есепке алу құралы»
_SPELLED = 4   # letters' names spelled out in a row before the digits
_DOTTED_RE = re.compile(r"\d+(?:[.,]\d+)+")
_BARE_SERIAL_DIGITS = 6   # a serial said after «счётчик» with no «номер»: longer than a model's «90-15»
_DICTATED = 4   # numbers said one after another: a dictation, not a model's «90-15»
_PIECE_DIGITS = 2   # as ``rules.privacy.numbers``: «Заводской номер?» — «ВСКМ девяносто»


def serial_stretches(text: str, tokens: list[Token], reading: Reading, lex: Lexicon,
                     found: list[PdSpan]) -> list[PdSpan]:
    """Spans covering each meter serial's and each contract number's whole stretch (to be merged with ``found``,
    the digits already masked); ``reading``: the utterance's numbers and cues as ``rules.privacy.numbers`` read
    them."""
    is_num, cues, n_ctx = reading.is_num, reading.cues, reading.n_ctx
    digits_at = {run.first: len(run.digits) for run in reading.runs}
    # digits the runs leave out: a code's groups written with dots («атс 12.4471»)
    for i, t in enumerate(tokens):
        if not is_num[i] and _DOTTED_RE.fullmatch(t.form):
            digits_at[i] = sum(c.isdigit() for c in t.form)
    is_num = [f or i in digits_at for i, f in enumerate(is_num)]
    # per token: its digits (prefix sums) and whether a span found already covers part of it, so that each stretch
    # is judged by what lies in it alone (linear cost)
    masked = _touched(tokens, found)
    out = []
    lead = 0   # the first token of the utterance after its fillers («да, …»)
    while lead < len(tokens) and (tokens[lead].form in _GOING_ON or not tokens[lead].form[:1].isalnum()):
        lead += 1
    if 0 < lead < len(tokens) and tokens[lead - 1].is_word and len(tokens[lead - 1].form) == 1 \
            and _spelled_after(tokens, lead - 1, is_num, lex):
        lead -= 1   # «а» is a filler, but not before letters' names spelled out: «а ка 77 43 10»
    elif 1 < lead < len(tokens) and tokens[lead - 1].form == "," and tokens[lead - 2].is_word \
            and len(tokens[lead - 2].form) == 1 and _comma_spelled_after(tokens, lead - 2, is_num, lex):
        lead -= 2   # ...nor before letters spelled with commas: «А,Т,С,0,4,1,7,2»
    for kind, span_kind in _STRETCH_KINDS:
        # right after the cue: «номер счётчика», «заводской номер», «номер прибора учёта», «есептегіш нөмірі», «№»;
        # a meter's with «номер» in it (not «счётчик ВСКМ 90-15 стоит»: a model), a contract's with any
        starts = []
        if lead < len(tokens) and n_ctx and cues.before(n_ctx) == kind and cues.before(n_ctx + lead) == kind:
            starts.append(lead)   # the answer to a question for it
        elif lead < len(tokens):
            starts.append(-1 - lead)   # a stretch opening the utterance: only if its cue comes after it
        for i, t in enumerate(tokens[:-1]):
            if not _cue_word(t, lex, kind) or _cue_word(tokens[i + 1], lex, kind):
                continue
            cue = cues.before(n_ctx + i + 1)
            if cue == kind and (kind != "meter" or any(_number_word(u) for u in tokens[max(0, i - 3):i + 1])
                                or _cue_kind(t, lex) == "meter"):   # (a serial's own word: «серийник 22 ЭМ 07 41 38»)
                starts.append(i + 1)
            elif kind == "meter" and cue in (kind, "value") and _meter_word(t, lex) \
                    and cues.before(n_ctx + i) != "value":   # (not «показания счётчика 0 0 3 4 1 2 кубов»)
                starts.append(-len(tokens) - 2 - i)   # a meter's word alone: only a serial's length (``_BARE_…``)
        reached = 0   # (a start inside a stretch already read gives the same stretch: each token is read once)
        for p in starts:
            bare = p < -len(tokens)   # after a meter's word alone
            cue_after = -len(tokens) <= p < 0
            p = -len(tokens) - 1 - p if bare else -1 - p if cue_after else p
            if p < reached:
                continue
            q, lettered = _stretch_end(text, tokens, p, is_num, lex)
            reached = reached if cue_after else max(reached, q)   # (the one opening stretch is read apart)
            if q <= p or (cue_after and (_cue_follows(tokens, q, lex) != kind
                                         or serial_cue_next(tokens, q, is_num, lex))) \
                    or (kind == "meter" and p == lead and serial_cue_next(tokens, q, is_num, lex)):
                continue   # (a cue with its own number after it is not this one's: «Sensus 620, заводской 0445 12»;
                # nor is the answer's model: «Заводской номер?» — «СВК-15, а номер 0 4 4 1 8 3»)
            digits = sum(digits_at.get(i, 0) for i in range(p, q))
            if bare and digits < _BARE_SERIAL_DIGITS and not (lettered and sum(is_num[p:q]) >= _DICTATED):
                continue   # (a model: «ВСКМ 90-15»; but digits dictated one by one are a serial's: «Itron 2 8 0 1 7»)
            if not lettered and tokens[q - 1].form in _SCALE_WORDS:
                continue   # a round amount ends in thousands, an identifier never does: «сумма по договору 250 тысяч»
            a, b = tokens[p].start, tokens[q - 1].end
            touches = any(masked[p:q])
            # (a short number with no letters needs «номер», «№» in its cue: not «по договору 45 раз звонила»)
            short = digits < lex.mask_digits_with_cue and not lettered and p > 0 \
                and not any(_number_word(u) for u in tokens[max(0, p - 3):p])
            if (digits >= _PIECE_DIGITS or (lettered and digits)) and (touches or lettered or not cue_after) \
                    and any(is_num[p:q]) and not short:
                if kind == "meter" and not cue_after and not bare:
                    a = tokens[_model_before(text, tokens, p, is_num, lex)].start
                out.append(PdSpan(span_kind, a, b, text[a:b]))
    # «номер» opening a clause, no cue about: a stretch with a series' letters and digits is an identifier's («у меня
    # Пульсар, номер Т,Г,Ш,0,5,5,1,2», «…, номер АКС 33/01»; each stretch starts after its own «номер»: linear)
    for i in range(1, len(tokens) - 1):
        if _number_word(tokens[i]) and cues.before(n_ctx + i + 1) is None and _numbered_clause(tokens, i + 1):
            q, lettered = _stretch_end(text, tokens, i + 1, is_num, lex)
            if lettered and sum(digits_at.get(k, 0) for k in range(i + 1, q)) >= lex.mask_digits_with_cue:
                a, b = tokens[i + 1].start, tokens[q - 1].end
                out.append(PdSpan("number", a, b, text[a:b]))
    # the rest of a number dictated before, its digits already masked («Дальше?» — «1 7 б», «один два . три шесть»):
    # the stretch it opens
    if lead < len(tokens) and n_ctx and masked[lead]:
        q, _ = _stretch_end(text, tokens, lead, is_num, lex)
        first = next((s for s in found if s.start < tokens[lead].end and tokens[lead].start < s.end), None)
        if q > lead and first is not None and first.kind in ("number", "contract"):
            a, b = tokens[lead].start, tokens[q - 1].end
            out.append(PdSpan(first.kind, a, b, text[a:b]))
    return out + _listed_serials(text, tokens, reading, lex, [s for s in out if s.kind == "number"])


_LISTED_DIGITS = 6   # a serial's length: a reading is shorter, or said with its word
_LISTED_CHARS = 40   # between one meter's serial and the next listed


def _listed_serials(text: str, tokens: list[Token], reading: Reading, lex: Lexicon,
                    meters: list[PdSpan]) -> list[PdSpan]:
    """Another meter's serial listed right after one found, as long as its number (six digits at least), in the same
    sentence, no unit after it: «номер счётчика 4471209 горячая, 4471210 холодная», «счётчики 4471209 и 4471210»
    (not «номер счётчика 4471209, показания 00345»: shorter; nor a reading's cue before it, «показания 1234567»).  One
    sweep over the runs and the spans, sorted."""
    out: list[PdSpan] = []
    spans = sorted((s.start, s.end) for s in meters)
    k, last = 0, None   # (the end of the last meter's span passed, its number's digits)
    for run in sorted(reading.runs, key=lambda r: r.first):
        a, b = tokens[run.first].start, tokens[run.last].end
        while k < len(spans) and spans[k][1] <= a:
            k += 1
        if k < len(spans) and spans[k][0] <= a:
            last = (spans[k][1], len(run.digits))   # a run inside a meter's span
            continue
        gap = text[last[0]:a] if last else ""
        # (another cue right before it: «показания 1234567»; a comma between, the word was said of the last one)
        before = tokens[run.first - 1 - (tokens[run.first - 1].form in (":", "—", "-"))]
        if last is None or len(run.digits) < _LISTED_DIGITS or len(run.digits) != last[1] \
                or len(gap) > _LISTED_CHARS or any(c in gap for c in ".?!") or _unit_after(tokens, run.last + 1, lex) \
                or _cue_kind(before, lex) not in (None, "meter"):
            continue
        out.append(PdSpan("number", a, b, text[a:b]))
        last = (b, last[1])
    return out


_MODEL_TOKENS = 5   # a make and model said right before «№»: «Бетар СХВ-15», «ВСГ-15», «КАРАТ 307»
_SERIAL_NUMBER_WORDS = frozenset({"№", "номер", "нөмірі", "нөмір"})


def _model_before(text: str, tokens: list[Token], p: int, is_num: list[bool], lex: Lexicon) -> int:
    """Where the serial starting at ``tokens[p]`` begins with the make and model said right before its «№» or
    «номер»: «счётчик ВСГ-15 № 4471209», «КАРАТ 307 № 45821», «Бетар СХВ-15 номер 19-007415» — a model is no
    personal data, but it identifies nothing either, and writers mark it with the serial (round fourteen); ``p``
    when there is none (a word, a comma, a number alone before the cue: «дом 15 № 4471209», «счётчика, № 4512»).
    A few tokens at most: linear."""
    c = p - 1
    if c < 1 or tokens[c].form not in _SERIAL_NUMBER_WORDS or not _adjacent(text, tokens[c - 1], tokens[c]):
        return p
    k = c
    while k > 0 and c - k < _MODEL_TOKENS and (k == c or _adjacent(text, tokens[k - 1], tokens[k])):
        t = tokens[k - 1]
        raw = text[t.start:t.end]
        if (t.form in _WORD_LETTERS and not raw.isupper()) or not (
                is_num[k - 1] or (t.form in _MARKS and t.form != "№") or _serial_letters(text, t, lex)
                or (raw.isalpha() and raw[0].isupper() and len(raw) <= _MAKE_LETTERS and _cue_kind(t, lex) is None
                    and not _meter_word(t, lex) and _analyse(t.form)[1] not in _NOT_LETTERS)):
            break
        k -= 1
    while k < c and not (tokens[k].is_word and not is_num[k]):
        k += 1   # (it opens with the make's or the model's letters: not «дом 15 № …»)
    # (a make alone right after the meter's word too: «водомер Бетар № 4471209»)
    return k if k < c and (any(is_num[j] or tokens[j].form in _MARKS for j in range(k, c))
                           or (k > 0 and _meter_word(tokens[k - 1], lex))) else p


def _touched(tokens: list[Token], found: list[PdSpan]) -> list[bool]:
    """For each token, whether one of the spans ``found`` overlaps it (one sweep over both, sorted)."""
    out = [False] * len(tokens)
    spans = sorted((s.start, s.end) for s in found)
    k, reach = 0, -1
    for i, t in enumerate(tokens):
        while k < len(spans) and spans[k][0] < t.end:
            reach = max(reach, spans[k][1])
            k += 1
        out[i] = reach > t.start
    return out


_STRETCH_KINDS = (("meter", "number"), ("contract", "contract"))   # the cue's kind, the span's


def _cue_word(t: Token, lex: Lexicon, kind: str = "meter") -> bool:
    """A word of the cue, or of what it says about the meter: «номер прибора учёта», «номер счётчика горячей
    воды», «есептегіш нөмірі»; «номер договора», «шарт нөмірі», «договор №»."""
    if t.form == "№":
        return True
    if not t.is_word:
        return False
    if _number_word(t) or _cue_kind(t, lex) == kind:
        return True
    return kind == "meter" and (_meter_word(t, lex) or t.form.startswith(_ACCOUNTING)
                                or t.form in lex.meter_qualifiers or _analyse(t.form)[0] in lex.meter_qualifiers)


def _stretch_end(text: str, tokens: list[Token], p: int, is_num: list[bool], lex: Lexicon) -> int:
    """The index after the last token of the serial starting at ``tokens[p]``, and whether it has letters."""
    end, i, lettered = p, p, False
    while i < len(tokens):
        t = tokens[i]
        if i > p and not _adjacent(text, tokens[i - 1], t):
            break
        if t.form == "№" and end > p:
            break   # «счётчик КАРАТ 307 № 45821»: what came before «№» is the make and model, the serial follows it
        if t.form in _MARKS or (t.form == "." and (_said_dot(text, t) or _inner_dot(text, t, i > p)
                                                   or _letter_dot(text, tokens, i, is_num)
                               or (_a_letter(tokens[i], lex) and _letter_dot(text, tokens, i + 1, is_num)))) \
                or _letter_comma(tokens, i, is_num, lex) or _closing_letters(text, tokens, i, is_num, lex) \
                or (t.form in _DOT_WORDS and end > p and i + 1 < len(tokens) and is_num[i + 1]
                    and _adjacent(text, t, tokens[i + 1])):   # a dot said as a word inside: «ОКА-115 точка 12»
            i += 1
            continue
        if t.form in _LETTER_WORDS and end > p and i + 1 < len(tokens) and _a_letter(tokens[i + 1], lex) \
                and _adjacent(text, t, tokens[i + 1]) and (i + 2 == len(tokens) or not tokens[i + 2].is_word
                                                           or is_num[i + 2] or text[tokens[i + 1].start].isupper()):
            end = i = i + 2   # the letter said with its word after the digits: «2211/3 литер А», «4512 буква б»
            lettered = True
            continue
        if is_num[i]:
            if _unit_after(tokens, i + 1, lex):
                break   # «245 кубов»: a quantity
            end = i = i + 1
            continue
        if not (_serial_letters(text, t, lex) or (i == p and (_opening_letters(text, t) or _make(
                text, tokens, i, is_num, lex)))):
            break
        if len(t.form) == 1 and not _one_letter(text, tokens, i, p, end, is_num, lex):
            break
        end = i = i + 1
        lettered = True
    return end, lettered


_MAKE_LETTERS = 12   # a maker's name in Cyrillic: «АЛЬФА», «Взлёт», «Пульсар»
_DOT_WORDS = frozenset({"точка", "нүкте"})


def _make(text: str, tokens: list[Token], i: int, is_num: list[bool], lex: Lexicon) -> bool:
    """A maker's name in Cyrillic opening the serial right after its cue, a number right after it, as a Latin one
    does: «номер счётчика АЛЬФА 0 1 7 7 5», «номер счётчика Взлёт 22 1190», «пульсар 4512093» (a noun; not a
    cue's word, a unit, a function word or an adverb: «номер счётчика вроде 4512»)."""
    t = tokens[i]
    raw = text[t.start:t.end]
    if not (t.is_word and raw.isalpha() and len(raw) <= _MAKE_LETTERS) or i + 1 >= len(tokens) or not is_num[i + 1] \
            or not _adjacent(text, t, tokens[i + 1]) or _cue_kind(t, lex) is not None or _meter_word(t, lex) \
            or _unit_after(tokens, i, lex) or _KZ_ONLY.intersection(t.form):
        return False
    pos = _analyse(t.form)[1]
    return (raw[0].isupper() and pos not in _NOT_LETTERS) or pos == "NOUN"


def _opening_letters(text: str, t: Token) -> bool:
    """Up to three lowercase letters right after the cue, no function word, verb or adjective («был 4512», «там
    4512»), but two letters the dictionary reads as an adverb are letters: «эк 12 0078»."""
    raw = text[t.start:t.end]
    pos = _analyse(t.form)[1]
    return t.is_word and raw.isalpha() and len(raw) <= 3 and not _KZ_ONLY.intersection(t.form) \
        and (pos not in _NOT_LETTERS or (pos == "ADVB" and len(raw) <= 2))


def _one_letter(text: str, tokens: list[Token], i: int, p: int, end: int, is_num: list[bool], lex: Lexicon) -> bool:
    """A one-letter token is a series' letter when a number follows it (marks between allowed) or it ends the
    sentence; «а», «и», «у» in lowercase only inside letters spelled out, a number after them («а ка 77 43 10», «пэ
    у-443018»; not «а 5567123», «451209 и 1234»)."""
    t = tokens[i]
    goes_on = _goes_on(tokens, i + 1, is_num, text, lex)
    spelled_before = end > p and end == i and not is_num[i - 1] and (tokens[i - 1].form in lex.letter_names
                                                                     or len(tokens[i - 1].form) == 1)   # («а т с»)
    # (a letter after a letter and a comma, spelled as digits are: «т,с,4,4,0,1,7»)
    spelled_before = spelled_before or (end > p and end == i - 1 and i >= 2 and tokens[i - 1].form == ","
                                        and _a_letter(tokens[i - 2], lex) and not is_num[i - 2])
    # (the digits right before it, or a mark said or written between: «9 9 0 4 тире А Б», «4512 дробь а б»)
    after_digits = p < end <= i and is_num[end - 1] and all(tokens[k].form in _MARKS for k in range(end, i))
    slashed = (text[t.end:t.end + 1] == "/" and goes_on) or (t.start >= 2 and text[t.start - 1] == "/"
                                                            and text[t.start - 2].isalpha())
    if t.form not in _WORD_LETTERS or text[t.start:t.end].isupper() or slashed:
        # (after the digits or a letter's name even before a word: «дт 3 2 0 1 7 б это …», «12/345-тэ э от …»; an
        # abbreviation written with a slash, a number after it: «с/н 880417»)
        return goes_on or after_digits or spelled_before or _spelled_after(tokens, i, is_num, lex)
    # (a lowercase «а» after a mark is no conjunction: another letter or the sentence's end after it)
    return (spelled_before and goes_on) or _spelled_after(tokens, i, is_num, lex) \
        or (goes_on and (_named_a_letter(tokens, i) or _comma_spelled_after(tokens, i, is_num, lex))) \
        or (after_digits and end < i and (goes_on or (i + 1 < len(tokens) and _a_letter(tokens[i + 1], lex)
                                                      and _adjacent(text, t, tokens[i + 1]))))


def _comma_spelled_after(tokens: list[Token], i: int, is_num: list[bool], lex: Lexicon) -> bool:
    """More letters spelled with commas after ``tokens[i]``, then the digits: «с, т, э, 1, 9, 0» (the first one
    lowercase «с» is a letter too; not «с, в общем, 5»)."""
    k, letters = i + 1, 0
    while k + 1 < len(tokens) and letters < _SPELLED and tokens[k].form == "," and _a_letter(tokens[k + 1], lex):
        k, letters = k + 2, letters + 1
    return letters > 0 and _letter_comma(tokens, k, is_num, lex)


_LETTER_WORDS = frozenset({"буква", "буквой", "букву", "буквы", "литер", "литера", "литерой", "литеру", "литеры",
                           "әріп", "әрпі", "әрпімен"})
_LETTER_NAMED_WITHIN = 12   # tokens after a one-letter word in which «это буква В» may say what it is


def _named_a_letter(tokens: list[Token], i: int) -> bool:
    """A one-letter word said to be a letter a few words later: «номер договора в 40 17, это буква В», «в 40 17 —
    буква в», «в 40 17 в әрпі» (not «в 40 17 буква А»: another letter; not «…, буква в конце»)."""
    for k in range(i + 1, min(len(tokens) - 1, i + _LETTER_NAMED_WITHIN)):
        if tokens[k].form in _LETTER_WORDS and tokens[k + 1].form == tokens[i].form \
                and (k + 2 == len(tokens) or not tokens[k + 2].is_word):   # (not «буква в конце»)
            return True
        if k > i + 1 and tokens[k].form in _LETTER_WORDS and tokens[k - 1].form == tokens[i].form:
            return True   # (Kazakh: the letter before its word)
    return False


def _spelled_after(tokens: list[Token], i: int, is_num: list[bool], lex: Lexicon) -> bool:
    """Letters' names follow ``tokens[i]``, then a number or a mark: «э ка о-15-210043»."""
    k = i + 1
    while k < len(tokens) and k - i <= _SPELLED and tokens[k].form in lex.letter_names:
        k += 1
    if k == i + 1:   # ...or single letters, three at least with this one: «А Т С тире сорок пять», «а т с тире 45»
        while k < len(tokens) and k - i <= _SPELLED and tokens[k].is_word and len(tokens[k].form) == 1:
            k += 1
        k = k if k - i >= _SINGLE_LETTERS else i + 1
    return k > i + 1 and k < len(tokens) and (is_num[k] or tokens[k].form in _MARKS)


_SINGLE_LETTERS = 3


def _said_dot(text: str, t: Token) -> bool:
    """A dot the recogniser writes between dictated pieces («один . пять»), not a sentence's end («451209. Да»)."""
    return t.start > 0 and text[t.start - 1] == " " and text[t.end:t.end + 1] == " "


def _inner_dot(text: str, t: Token, inside: bool) -> bool:
    """A dot written inside a code after its letters, a letter or a digit right after it: «ВИС.Т 04-3318», «ЭЛ.04.77»
    (not «451209.Показания»: a sentence's end written without its space)."""
    return inside and t.start > 0 and t.end < len(text) and text[t.start - 1].isalpha() and text[t.end].isalnum()


def _letter_dot(text: str, tokens: list[Token], i: int, is_num: list[bool]) -> bool:
    """A dot written after a capital letter, as after an initial, the next letter or a number after it: «заводской
    А.Б. 4,4,1,0,9»."""
    if i == 0 or i + 1 >= len(tokens) or tokens[i].form != "." or len(tokens[i - 1].form) != 1 \
            or tokens[i - 1].end != tokens[i].start or not text[tokens[i - 1].start].isupper():
        return False
    nxt = tokens[i + 1]
    return is_num[i + 1] or (len(nxt.form) == 1 and nxt.start == tokens[i].end and text[nxt.start].isupper())


def _goes_on(tokens: list[Token], i: int, is_num: list[bool], text: str, lex: Lexicon) -> bool:
    """After a one-letter token: a number (marks between allowed) or nothing more of the sentence."""
    while i < len(tokens) and (tokens[i].form in _MARKS or _letter_comma(tokens, i, is_num, lex)
                               or (_a_letter(tokens[i], lex) and tokens[i - 1].form in _MARKS)   # («S/N 8 8 0»)
                               or _letter_dot(text, tokens, i, is_num)
                               or (_a_letter(tokens[i], lex) and _letter_dot(text, tokens, i + 1, is_num))
                               or (_a_letter(tokens[i], lex) and _letter_comma(tokens, i + 1, is_num, lex))):
        i += 1   # (letters spelled with commas between: «Т,С,4,4,0,1,7»)
    return i >= len(tokens) or is_num[i] or not tokens[i].form[:1].isalnum()


def _letter_comma(tokens: list[Token], i: int, is_num: list[bool], lex: Lexicon) -> bool:
    """A comma the recogniser writes after each letter spelled, as after each digit: «Т,С,4,4,0,1,7», «Ц, Т, 0, 0»,
    «эм, эн, 4 5» (a letter or a letter's name before it, another or a number after it)."""
    if i == 0 or i + 1 >= len(tokens) or tokens[i].form != ",":
        return False
    return _a_letter(tokens[i - 1], lex) and (is_num[i + 1] or _a_letter(tokens[i + 1], lex))


_CLOSING_WITHIN = 12
_MARKS_OR_COMMA = _MARKS | {","}
_CLOSING = 3   # a series' letters said last, after a comma: «…, слэш, двадцать четыре, тэ эс», «47/24, ТС»


def _closing_letters(text: str, tokens: list[Token], i: int, is_num: list[bool], lex: Lexicon) -> bool:
    """A comma after the number, then the series' letters (in capitals or by their names) ending the sentence, more
    of the number dictated with commas and marks between (a few tokens at most: linear)."""
    if tokens[i].form != "," or i == 0 or not (is_num[i - 1] or tokens[i - 1].form in _MARKS):
        return False
    k = i + 1   # («ноль сорок семь, слэш, двадцать четыре, тэ эс»: «слэш, двадцать четыре,» before the letters)
    while k < min(len(tokens), i + _CLOSING_WITHIN) and (is_num[k] or tokens[k].form in _MARKS_OR_COMMA):
        k += 1
    if tokens[k - 1].form != ",":
        return False
    i = k - 1
    while k < len(tokens) and k - i <= _CLOSING and tokens[k].is_word and (
            tokens[k].form in lex.letter_names or (text[tokens[k].start:tokens[k].end].isupper()
                                                   and _serial_letters(text, tokens[k], lex))):
        k += 1
    return k > i + 1 and (k == len(tokens) or tokens[k].form in (".", "!", "?", "…"))


def _a_letter(t: Token, lex: Lexicon) -> bool:
    return t.is_word and (len(t.form) == 1 or t.form in lex.letter_names)


def _serial_letters(text: str, t: Token, lex: Lexicon) -> bool:
    """Letters of a serial: Latin («Itelma», «MTW-UX», «s»), capitals («ВСКМ»), letters' names («бэ ка»), or a short
    lowercase run the dictionary does not know or that has no vowel («ек», «тэм», «дт», «б»); never a cue, a unit,
    a word the dictionary knows as a function word, nor Kazakh («үй»)."""
    raw = text[t.start:t.end]
    bare = raw.replace("-", "")
    if not t.is_word or not bare.isalpha() or _cue_kind(t, lex) is not None or _meter_word(t, lex):
        return False
    if bare.isascii():
        return len(bare) <= _LATIN_LETTERS
    if len(bare) > _CYRILLIC_LETTERS or _KZ_ONLY.intersection(t.form):
        return False
    if bare.isupper() or t.form in lex.letter_names or len(bare) == 1:
        return True
    if kazakh.is_kazakh_word(t.form):
        return False   # a Kazakh particle after the number: «шарт нөміріңіз 2019/441-Т ма» (a question)
    return not _VOWELS.intersection(t.form) or not _analyse(t.form)[3]


def _cue_follows(tokens: list[Token], q: int, lex: Lexicon) -> str | None:
    """The kind of a cue in the few words after a stretch: «ек 0098432 это заводской номер», «… номер счётчика»
    (meter), «45-ТЭ это номер договора» (contract)."""
    words = 0
    for j in range(q, min(len(tokens), q + 8)):
        t = tokens[j]
        if t.form in (".", "?", "!"):
            return None
        if not t.form[:1].isalpha():
            continue
        words += 1
        if words > 3:
            return None
        kind = _cue_kind(t, lex)
        if kind == "meter" and not _meter_word(t, lex):
            return kind   # «заводской», «серийный»
        if _number_word(t) and j + 1 < len(tokens):
            after = tokens[j + 1]
            return "meter" if _meter_word(after, lex) or _cue_kind(after, lex) == "meter" else _cue_kind(after, lex)
        if kind in ("contract", "meter"):
            return kind
    return None
