"""Identifiers said as numbers: phones, accounts, contracts, ИИН — in digits, words or both.

«восемь семьсот один, двести тридцать, сорок пять, шестьдесят семь» and «8 701 230 45 67» are the same eleven
digits.  ``rules.privacy.number_runs`` finds such runs and spells each as the digit string it stands for, so that a
run is judged here by its length, its first digits and the cue words before it («лицевой счёт», «телефон»;
«показания», «тенге» mean a value); ``rules.privacy.series_letters`` takes in the letters of a series said with it.
Cost is linear: the nearest cue before every token is found in one pass (``rules.privacy.cues.CueIndex``).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from rules.numbers import KZ_SCALES, NUMBER_WORDS, SCALES
from rules.privacy.cues import CueIndex, _cue_kind, _meter_number, _meter_word, _number_word, _unit_after
from rules.privacy.lexicon import ID_KINDS, SENTENCE_END, Lexicon, PdSpan
from rules.privacy.lexicon import analyse as _analyse
from rules.privacy.number_runs import JOINERS, NumberRun, _classify, number_flags, number_runs
from rules.privacy.series_letters import _letters_after, _letters_before, _series_letter, _series_said
from rules.text import Token

# an identifier with letters or slashes: «ТЭ-1234», «12/345-ТЭ», «A123»
# (the lookaheads keep plain numbers out at once: they are the number runs' business)
# (dots inside, between letters and digits, belong to it: «ТВ7-04.1»)
# (and letters first, dots after them: «АТС.12.4471», «ЭЛ.04.77.12.36»)
_CODE_RE = re.compile(r"(?:№\s*)?(?<![\w/.-])(?=[\w/.-]*\d)(?=[\w/.-]*(?:[^\W\d_]|/))[\w/-]+(?:\.[\w/-]+)*(?![\w/-])")
# a number written with a decimal mark right after an identifier's or a meter's cue: «номер прибора учёта 1823.5501»
# (a reading has its own cue: «показания 1823.55»)
_DECIMAL_RE = re.compile(r"(?<![\w.,])\d+[.,]\d+(?![\w.,]*\d)")
# ...and a date's or a time's shape right after the cue, or alone as the answer to a question for an identifier:
# «лицевой счёт 12.05.19», «45:12:19» (a date has its own words: «договор от 12.05.2019»)
_VERBS = frozenset({"VERB", "INFN", "PRTF", "PRTS", "GRND"})
_LIST_AND = frozenset({"и", "или", "мен", "және", "не"})
_CUE_MARKS = frozenset({":", "—", "–", "-"})
_DATE_SHAPE_RE = re.compile(r"(?<![\w.,:])\d{1,4}(?:[.:,]\d{1,4}){1,3}(?![\w.,:]*\d)")


@dataclass(frozen=True)
class Reading:
    """What is read once of an utterance for every pass over its numbers: which tokens are numbers (the context's
    first), the cues before each token (the context lending its own), and the utterance's number runs."""

    n_ctx: int
    is_num_both: list[bool]
    cues: CueIndex
    runs: list[NumberRun]

    @property
    def is_num(self) -> list[bool]:
        return self.is_num_both[self.n_ctx:]


def read_numbers(text: str, tokens: list[Token], ctx: list[Token], lex: Lexicon) -> Reading:
    both = ctx + tokens
    is_num_both = number_flags(both)
    return Reading(len(ctx), is_num_both, CueIndex(both, lex, is_num_both, len(ctx)),
                   number_runs(tokens, text, is_num_both[len(ctx):]))


def identifiers(text: str, tokens: list[Token], ctx: list[Token], lex: Lexicon, ctx_text: str = "",
                reading: Reading | None = None) -> list[PdSpan]:
    """Numbers that identify someone (by their length and the cues before them) and identifiers with
    letters or slashes after an identifier cue; ``ctx`` is what was said just before (it lends cues), tokens of
    ``ctx_text``."""
    r = reading or read_numbers(text, tokens, ctx, lex)
    is_num, cue_with_ctx = r.is_num, r.cues
    cue_here = CueIndex(tokens, lex, is_num)
    going_on = _dictation_going_on(ctx_text, ctx, r.is_num_both[:len(ctx)], cue_with_ctx, lex) if ctx_text else None
    found = _numbers(text, tokens, len(ctx), is_num, r.runs, cue_with_ctx, cue_here, lex, going_on)
    return found + _codes(text, tokens, len(ctx), cue_with_ctx, lex, is_num, going_on) \
        + _series_said(text, tokens, len(ctx), cue_with_ctx, lex)


# words after a number read back that ask for the rest of it
_ASK_MORE = frozenset({"дальше", "далее", "продолжайте", "продолжай", "еще", "тағы", "қарай", "жалғастырыңыз",
                       "следующие", "следующая", "следующую", "остальные", "оставшиеся", "келесі", "қалғаны"})
# words said between two pieces of a dictated number («… двести тридцать» — «да, сорок пять»)
_GOING_ON = frozenset({"да", "так", "и", "а", "еще", "дальше", "значит", "ну", "вот", "иә", "тағы", "әрі", "қарай",
                       "ал", "потом", "затем", "далее", "сосын", "содан"})


def _dictation_going_on(ctx_text: str, ctx: list[Token], is_num: list[bool], cues: CueIndex,
                        lex: Lexicon) -> str | None:
    """The kind of identifier that what was said just before ends in dictating («… восемь семьсот один двести
    тридцать»), or None: the next utterance's first number goes on with it, however short («сорок пять»)."""
    runs = number_runs(ctx, ctx_text, is_num)
    if not runs or _asks_for_the_rest(ctx, runs[-1].last + 1):
        # the operator asks for the rest and says no number («Так, дальше?», «Иә, әрі қарай?», «Дробь сколько?»):
        # whatever was dictated before that, the next number goes on with it
        if not _asks_for_the_rest(ctx, runs[-1].last + 1 if runs else 0):
            return None
        cue = cues.before(len(ctx))
        return None if cue == "value" else cue if cue in ID_KINDS else "number"
    last = runs[-1]
    tail = [t for t in ctx[last.last + 1:] if t.form[:1].isalpha()]
    if any(t.form not in _GOING_ON and t.form not in _ASK_MORE and t.form not in _READ_BACK
           and t.form not in JOINERS for t in tail):
        return None
    cue = cues.before(last.first)
    n = len(last.digits)
    if cue in ID_KINDS and n >= _PIECE_DIGITS:
        return cue
    if cue == "meter" and n >= _PIECE_DIGITS:
        return "number"
    if n >= lex.always_mask_digits and cue not in ("value", "meter"):
        return _classify(last.digits, last.plus, cue)
    # the operator reads a piece back and asks for the rest («Так, четыре ноль один два, дальше?», «Восемь семьсот
    # два, да, слушаю.»), or reads it back and says nothing else («Четыре ноль один два.»): a dictation goes on
    asked = any(t.form in _ASK_MORE or t.form in _READ_BACK for t in tail)
    if n >= _PIECE_DIGITS and cue != "value" and (asked or _bare_read_back(ctx_text, ctx, last, lex)):
        return _classify(last.digits, last.plus, cue)
    return None


def _asks_for_the_rest(ctx: list[Token], after: int) -> bool:
    """The last sentence said before, from ``after`` on, is fillers and a word asking for more of a number only:
    «Так, дальше?», «Продолжайте.», «Иә, әрі қарай?», or a mark said as a word and a question: «Дробь сколько?»."""
    start = len(ctx)
    while start > after and (ctx[start - 1].form not in SENTENCE_END or start == len(ctx)):
        start -= 1
    words = [t.form for t in ctx[start:] if t.form[:1].isalpha()]
    ask = any(w in _ASK_MORE or w in _READ_BACK or w in _REPEAT for w in words) or (
        any(w in JOINERS for w in words) and any(w in _HOW_MUCH for w in words))
    return ask and all(w in _GOING_ON or w in _ASK_MORE or w in _READ_BACK or w in JOINERS or w in _HOW_MUCH
                       or w in _REPEAT or w in _REPEAT_HOW or w in _PART_WORDS for w in words)   # («… цифры?»)


# ...or to say it all again: «Повторите полностью.», «Ещё раз, пожалуйста», «Қайталаңызшы» (the answer is the number
# dictated again, however short its pieces)
_REPEAT = frozenset({"повторите", "повтори", "повторить", "повторите-ка", "продиктуйте", "продиктуй", "раз",
                     "расслышала", "расслышал", "расслышать", "қайталаңыз", "қайталаңызшы", "қайталап", "қайталашы",
                     "естімедім", "естілмеді"})
_REPEAT_HOW = frozenset({"полностью", "целиком", "пожалуйста", "заново", "сначала", "медленно", "медленнее", "еще",
                         "ещё", "по", "цифрам", "толық", "тағы", "бір", "рет", "айтыңызшы", "айтыңыз", "жіберіңізші",
                         "можно", "мне", "не", "я", "извините", "простите", "кешіріңіз"})


_HOW_MUCH = frozenset({"сколько", "какая", "какой", "какое", "что", "қанша", "қандай", "не"})
_PIECE_DIGITS = 2   # the digits a piece of a number dictated in parts has at least («сорок пять» — «шестьдесят семь»)
# words of an operator who reads a piece back and waits for the rest
_READ_BACK = frozenset({"слушаю", "записываю", "пишу", "продолжайте", "так", "угу", "ага", "жазып", "тыңдап"})


def _bare_read_back(ctx_text: str, ctx: list[Token], last: NumberRun, lex: Lexicon) -> bool:
    """The last sentence said before is a number and nothing else but fillers and its series' letters: «Четыре ноль
    один два.», «ЕХ 1 2.»"""
    k = last.first - 1
    while k >= 0 and ctx[k].form not in SENTENCE_END:
        t = ctx[k]
        if t.form[:1].isalpha() and t.form not in _GOING_ON and t.form not in _READ_BACK \
                and not _series_letter(ctx_text, t, lex):
            return False
        k -= 1
    return True


def _numbers(text: str, tokens: list[Token], n_ctx: int, is_num: list[bool], runs: list[NumberRun],
             cue_with_ctx: CueIndex, cue_here: CueIndex, lex: Lexicon, going_on: str | None = None) -> list[PdSpan]:
    found = []
    for k, run in enumerate(runs):
        n = len(run.digits)
        # (an utterance opening with a mark said as a word goes on with a number said before, whatever was asked —
        # «Это всё или ещё есть?» — «дробь 2014» —, but a value: «Показания? четыре пять один» — «дробь двенадцать»)
        going = going_on or ("number" if k == 0 and _said_mark_opens(tokens, run)
                             and cue_with_ctx.before(n_ctx) != "value" else None)
        if k == 0 and going and not _unit_after(tokens, run.last + 1, lex) and all(   # (a series' letters too)
                t.form in _GOING_ON or t.form in JOINERS or not t.form[:1].isalpha() or _series_letter(text, t, lex)
                for t in tokens[:run.first]):
            a, b = tokens[run.first].start, tokens[run.last].end   # the rest of a number dictated just before
            j = run.first - 1
            while j >= 0 and tokens[j].form in JOINERS and tokens[j].form[:1].isalpha():
                a, j = tokens[j].start, j - 1   # «… четыре пять один» — «дробь двенадцать»: the mark said goes too
            a = _letters_before(text, tokens, j + 1, lex, a, True)
            b = _letters_after(text, tokens, run.last, lex, b, True)   # «сорок один дробь Б»
            found.append(PdSpan(going, a, b, text[a:b]))
            continue
        # a short number right after «№»/«номер» with an identifier's cue is one too: «договор № 45 от 2019 года»
        numbered = n >= _PIECE_DIGITS and run.first > 0 \
            and cue_with_ctx.before(n_ctx + run.first) in (*ID_KINDS, "meter") \
            and (_number_word(tokens[run.first - 1]) or (   # «номер договора 45», «шарт нөмірі 45»
                run.first > 1 and _number_word(tokens[run.first - 2]) and _cue_kind(tokens[run.first - 1], lex)))
        # ...and so is a bare answer to a question for one: «Номер договора?» — «Сорок пять.»
        numbered = numbered or (n >= _PIECE_DIGITS and n_ctx > 0 and cue_with_ctx.before(n_ctx) in (*ID_KINDS, "meter")
                                and cue_here.before(run.first) is None and (
                                    _bare_answer(text, tokens, run, lex)
                                    or _opening_piece(text, tokens, run.first, run.last, lex)))
        numbered = numbered or (n >= _PIECE_DIGITS and cue_here.before(run.first) in (*ID_KINDS, "meter")   # (trailing
                                and text[tokens[run.last].end:].lstrip(" ").startswith(("...", "…")))   # off: «1 2…»)
        if n == 4 and not numbered and _YEAR_RE.fullmatch(run.digits) and run.first > 0 \
                and (tokens[run.first - 1].form in _YEAR_PREPOSITIONS or tokens[run.first - 1].form in _MONTHS):
            continue   # a year after «в», «до», or a month: «поверка была в 2021», «подписан 30 мая 2017»
        if (n < lex.mask_digits_with_cue and not numbered) or (tokens[run.last].form in _SCALE_WORDS and n < 10):
            continue   # «12 тысяч», «бес мың»: a round amount ends in thousands, an identifier never does
        cue = cue_with_ctx.before(n_ctx + run.first)
        if n < 10 and cue not in ID_KINDS and cue != "meter" \
                and _THOUSANDS_RE.fullmatch(text, tokens[run.first].start, tokens[run.last].end):
            continue   # «пенсия 84 000»: thousands written apart, and no identifier's cue
        if cue is None:   # «4518 — это номер договора», «Z-44 017 A, серийный номер»: the cue said after it
            cue = _cue_after(tokens, run.last + 1, lex, is_num)
        # (or after the last of a list, «и» before it: «12, 14 и 18 числа», «5, 6 или 7 тысяч»)
        # (a list: two to four pieces of one or two digits with commas, the last as short)
        unit = _unit_after(tokens, run.last + 1, lex) or (
            run.last + 3 < len(tokens) and tokens[run.last + 1].form in _LIST_AND and tokens[run.last + 2].is_digits
            and len(tokens[run.last + 2].form) <= 2 and _short_list(tokens, run)
            and _unit_after(tokens, run.last + 3, lex))
        if cue == "meter":       # a meter's serial number: an identifier, unless a unit makes it a quantity
            # (or a model's number, the serial's own cue and number after it: «счётчик КАРАТ 307 № 45821»)
            mask = not unit and (n >= lex.always_mask_digits or not serial_cue_next(tokens, run.last + 1, is_num, lex))
        elif n >= lex.always_mask_digits:
            # a meter's serial number or a reading, said right after its cue in the same utterance, is
            # not personal data; ten digits and more are a phone or an ИИН whatever was said before
            here = cue_here.before(run.first)
            # (nor are readings listed after their cue, whatever their digits together: «показания 00341, 00512»)
            mask = not ((unit or here == "value") and n < 10) and not (here == "value"
                                                                     and _listed_values(text, tokens, run))
        elif cue in ID_KINDS:
            mask = not unit
        else:
            mask = n >= lex.mask_digits_without_value_cue and cue != "value" and not unit
        first = tokens[run.first].start
        if n >= _SERIAL_DIGITS and not unit and cue not in ID_KINDS and _meter_named_before(tokens, run.first, lex):
            mask, cue = True, "meter"   # a meter's name, then six digits or more: its serial («счётчик … 0451209»)
        if not mask and n >= lex.mask_digits_without_value_cue and not unit \
                and _letters_before(text, tokens, run.first, lex, first, False) < first:
            mask = True   # a series written before a serial's digits, whatever cue: «счётчик WM 44 01 77»
        if not mask and n >= _MODEL_DIGITS and not unit and cue not in ID_KINDS and _serial_shape(tokens, run) \
                and _letters_before(text, tokens, run.first, lex, first, False) < first \
                and _meter_named_before(tokens, run.first, lex):
            mask, cue = True, "meter"   # ...and four digits after a meter's name: «счётчик ЭМ-1 0 4 4», «ВК 4410»
        if mask:
            a, b = tokens[run.first].start, tokens[run.last].end
            # a series' letters: «ТЭ 1287 дробь 3», «ВСГ 0184532», «бэ ка 045781» (letters' names after a cue only)
            spoken = cue in ID_KINDS or cue == "meter"
            near = cue_here.before(run.first) in (*ID_KINDS, "meter")   # the cue said in this utterance
            a = _letters_before(text, tokens, run.first, lex, a, spoken, near)
            b = _letters_after(text, tokens, run.last, lex, b, spoken, near)
            found.append(PdSpan(_classify(run.digits, run.plus, cue), a, b, text[a:b]))
    return found


_MODEL_DIGITS = 4   # a meter's model has fewer digits in a row («СГВ-15», «ВСКМ 90-15», «ТЭМ-106»); a serial more
_FOUR_DIGITS_RE = re.compile(rf"\d{{{_MODEL_DIGITS}}}")


def _short_list(tokens: list[Token], run: NumberRun) -> bool:
    pieces = [t for t in tokens[run.first:run.last + 1] if t.form != ","]
    return 2 <= len(pieces) <= 4 and len(pieces) == (run.last - run.first) // 2 + 1 \
        and all(t.is_digits and len(t.form) <= 2 for t in pieces)


def _serial_shape(tokens: list[Token], run: NumberRun) -> bool:
    """Four digits or more in one group («4410»), or said one by one («1 0 4 4»), not in pairs («90-15»)."""
    parts = [tokens[k] for k in range(run.first, run.last + 1) if tokens[k].is_digits]
    return any(len(t.form) >= _MODEL_DIGITS for t in parts) or (
        len(parts) >= _MODEL_DIGITS and all(len(t.form) == 1 for t in parts))


def _said_mark_opens(tokens: list[Token], run: NumberRun) -> bool:
    """A mark said as a word right before the utterance's first number, only fillers before it: «дробь 2014», «да,
    слэш 17», «бөлшек 12»."""
    j = run.first - 1
    while j >= 0 and tokens[j].form == ",":
        j -= 1
    return j >= 0 and tokens[j].form in JOINERS and tokens[j].form[:1].isalpha() and all(
        t.form in _GOING_ON or not t.form[:1].isalpha() for t in tokens[:j])


def serial_cue_next(tokens: list[Token], j: int, is_num: list[bool], lex: Lexicon) -> bool:
    """At ``tokens[j]`` (after a comma): a serial's own cue («№», «заводской», «серийный номер») and a number after
    it, so that what came before is the meter's make and model: «КАРАТ 307 № 45821», «Sensus 620, заводской 0445»."""
    j += j < len(tokens) and tokens[j].form == ","
    # (or «номер» alone, «а»/«и» before it: «СВК-15, а номер 0 4 4 1 8 3», «ВСГ-20 номер 44 19 73»)
    j += j + 1 < len(tokens) and tokens[j].form in _AND_WORDS and _number_word(tokens[j + 1])
    if j >= len(tokens) or not (tokens[j].form == "№" or _number_word(tokens[j]) or (
            tokens[j].is_word and _cue_kind(tokens[j], lex) == "meter" and not _meter_word(tokens[j], lex))):
        return False
    k = j + 1
    while k < len(tokens) and k <= j + 2 and (_number_word(tokens[k]) or tokens[k].form == "№"):
        k += 1
    return k < len(tokens) and is_num[k]


_AND_WORDS = frozenset({"а", "и", "ал", "және"})
_MONTHS = frozenset({"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
                     "ноября", "декабря", "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
                     "сентябрь", "октябрь", "ноябрь", "декабрь", "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр",
                     "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"})
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_YEAR_ORDINAL_RE = re.compile(r"(?:19|20)\d\d-(?:м|го|й|х|ом|му|ые|ых)", re.IGNORECASE)
_YEAR_PREPOSITIONS = frozenset({"в", "во", "с", "со", "до", "после", "от", "к", "по", "года", "году", "год"})
_BY_METER = frozenset({"по", "на", "с", "со", "от"})   # «показания по счётчику», «с счётчика»
_SERIAL_DIGITS = 5   # a reading said after a meter's name has its own word («показывает», «показания»)
_NAME_TO_SERIAL = 4   # words between a meter's name and its serial: «на счётчике горячей воды написано …»


def _meter_named_before(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """A meter's name said a few words before ``tokens[i]`` with no reading's word («показания», «показывает»), no
    verb and no number between."""
    words = 0
    for k in range(i - 1, max(-1, i - 3 * _NAME_TO_SERIAL), -1):
        t = tokens[k]
        if t.form in SENTENCE_END or t.is_digits:
            return False
        if not t.is_word:
            continue
        if _meter_word(t, lex):   # (not «показания счётчика 451209», «показания по счётчику»: the meter's reading)
            v = k - 2 if k > 1 and tokens[k - 1].form in _BY_METER else k - 1
            return not (v >= 0 and tokens[v].is_word and _cue_kind(tokens[v], lex) == "value"
                        and not _meter_word(tokens[v], lex))
        words += 1
        lemma, pos, _, _ = _analyse(t.form)
        kind = _cue_kind(t, lex)
        if words > _NAME_TO_SERIAL or pos == "VERB" or (kind is not None and not (
                kind == "value" and (t.form in lex.meter_qualifiers or lemma in lex.meter_qualifiers))):
            return False
    return False


_VALUE_DIGITS = 4   # digits each of the values listed after a value's cue has at least


def _listed_values(text: str, tokens: list[Token], run: NumberRun) -> bool:
    """The run is two numbers or more written with a comma and a space between, each of ``_VALUE_DIGITS`` or more:
    «00341, 00512», «1234, 5678, 9012» (a dictation's pieces are shorter or written without the space)."""
    forms = [tokens[k].form for k in range(run.first, run.last + 1)]
    pieces, commas = forms[0::2], forms[1::2]
    return len(pieces) >= 2 and all(c == "," for c in commas) \
        and all(tokens[k].is_digits and len(tokens[k].form) >= _VALUE_DIGITS
                for k in range(run.first, run.last + 1, 2)) \
        and all(text[tokens[k].end:tokens[k].end + 1] == " " for k in range(run.first + 1, run.last, 2))


def _bare_answer(text: str, tokens: list[Token], run: NumberRun, lex: Lexicon) -> bool:
    """The utterance is the number and fillers or marks only: «Сорок пять.», «Да, 45.»; or words saying which part
    of it is dictated, and its series' letters before it: «первые Т 20…», «сначала 45 12», «алдымен 45»."""
    return all(t.form in _GOING_ON or t.form in _READ_BACK or t.form in _PART_WORDS or not t.form[:1].isalpha()
               or (k < run.first and _series_letter(text, t, lex))
               for k, t in enumerate(tokens) if not run.first <= k <= run.last)


def _opening_piece(text: str, tokens: list[Token], first: int, last: int, lex: Lexicon) -> bool:
    """The number opens the utterance (fillers before it) and what follows it is said apart, after a mark or «и», with
    no number and no unit in it: «Один, один, сейчас найду квитанцию.», «42,15... секунду, очки найду», «7,73 и
    всё» (the answer's piece, then words about the call)."""
    after = tokens[last + 1:]
    return all(t.form in _GOING_ON or t.form in _PART_WORDS or not t.form[:1].isalpha()
               or _series_letter(text, t, lex) for t in tokens[:first]) \
        and (not after or ((after[0].form[:1] in _APART or after[0].form in ("и", "ал", "вот"))
                           and not _unit_after(tokens, last + 1, lex)
                           and not any(t.form[:1].isdigit() or t.form in NUMBER_WORDS for t in after)))


_APART = frozenset(",.…—–;:!?")


# words saying which part of a number is dictated («первые цифры», «сначала», «в конце»; Kazakh «алдымен», «басы»)
_PART_WORDS = frozenset({"первые", "первая", "первое", "первый", "сначала", "вначале", "начало", "начинается",
                         "последние", "конец", "цифры", "цифр", "цифра", "потом", "затем", "алдымен", "басы",
                         "бірінші", "соңы", "соңғы", "сандары", "сандар", "часть", "части", "половина", "бөлігі"})


_AFTER_WORDS = 5   # words after a number in which its cue may still come («4518 — это номер договора»)
_AFTER_CHECK = 6   # tokens after such a cue in which a number of its own would come instead
_VALUE_SAID_WITHIN = 2   # words after a number in which «это показания», «бұл көрсеткіш» say it is a reading
_READING_WORDS, _MINE = ("показани", "показател", "көрсеткіш"), frozenset({"мои", "наши", "менің", "біздің"})


def _cue_after(tokens: list[Token], i: int, lex: Lexicon, is_num: list[bool]) -> str | None:
    """The kind of an identifier's or a meter's cue said in the few words from ``tokens[i]`` on, in the same sentence,
    with no number between and none of its own after it («4512, а номер договора 77» is the cue of 77); a verb
    («звонила») is no cue here, and a value's cue («это показания») says it is no identifier."""
    words = possessive = 0
    for j in range(i, min(len(tokens), i + 3 * _AFTER_WORDS)):
        t = tokens[j]
        if t.form in SENTENCE_END or is_num[j]:
            return None
        if not t.form[:1].isalpha() or t.form in JOINERS or len(t.form) == 1:   # marks, a series' letter
            continue
        words, possessive = words + 1, possessive + (t.form in _MINE)   # («12345 это мои показания»)
        if words > _AFTER_WORDS:
            return None
        kind = "meter" if _meter_number(tokens, j, lex) else _cue_kind(t, lex)
        if kind == "value":
            # «бір екі үш төрт бес — бұл көрсеткіш»: a reading said so right after it (not «4518223 показания 345»)
            return "value" if words - possessive <= _VALUE_SAID_WITHIN and t.form.startswith(_READING_WORDS) \
                and not any(is_num[j + 1:j + 1 + _AFTER_CHECK]) else None   # (not «14, 22 отопления нет»)
        if (kind in ID_KINDS or kind == "meter") and _analyse(t.form)[1] not in ("VERB", "INFN"):
            for m in range(j + 1, min(len(tokens), j + 1 + _AFTER_CHECK)):
                if tokens[m].form in SENTENCE_END:
                    break
                if is_num[m]:
                    return None
            return kind
    return None


_SCALE_WORDS = frozenset(SCALES) | frozenset(KZ_SCALES)
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:[ \u00a0]000)+")   # a round amount written as the recogniser groups it


def _codes(text: str, tokens: list[Token], n_ctx: int, cues: CueIndex, lex: Lexicon,
           is_num: list[bool], going_on: str | None = None) -> list[PdSpan]:
    """«№ 12/345-ТЭ», «договор ТЭ-1234»: an identifier with letters or slashes after an identifier or a meter's
    serial-number cue."""
    starts = [t.start for t in tokens]
    found = []
    for m in _CODE_RE.finditer(text):
        code = m.group().lstrip("№ ").strip("-/")
        if not (re.search(r"[^\W\d_]", code) or "/" in code) or _YEAR_ORDINAL_RE.fullmatch(code):
            continue  # plain digits are the number runs' business; «в 2016-м» is a year
        cue = cues.before(n_ctx + bisect.bisect_left(starts, m.start()))
        if cue is None and sum(c.isdigit() for c in code) >= lex.mask_digits_with_cue:   # «А-12/0345 — это номер …»
            cue = _cue_after(tokens, bisect.bisect_left(starts, m.end()), lex, is_num)
        # letters and a serial's digits are an identifier whatever was said before («новый счётчик ПУ-443018»): a
        # model has fewer digits («СГВ-15», «ВСКМ 90-15»), and a reading or a sum no letters
        serial = sum(c.isdigit() for c in code) >= lex.mask_digits_without_value_cue and re.search(r"[^\W\d_]", code)
        # ...and so are they after «№» or «номер» opening the utterance, no noun before it to own the number
        # («№ 0931/Б», «номер А-0931, проверьте»; not «заявка № 0931/Б»)
        serial = serial or (sum(c.isdigit() for c in code) >= lex.mask_digits_with_cue
                            and _numbered_opening(tokens, bisect.bisect_left(starts, m.start())))
        # ...or opening a clause, no value's cue before it («у меня Пульсар, номер KM-4410»; not «заявка, номер …»)
        serial = serial or (sum(c.isdigit() for c in code) >= lex.mask_digits_with_cue and cue != "value"
                            and _numbered_clause(tokens, bisect.bisect_left(starts, m.start())))
        # ...or letters and four digits in a row after a meter's name: «есептегіш KM-4410» (not «СГВ-15», «ТЭМ-106»)
        serial = serial or (re.search(r"[^\W\d_]", code) is not None and _FOUR_DIGITS_RE.search(code) is not None
                            and _meter_named_before(tokens, bisect.bisect_left(starts, m.start()), lex))
        first = bisect.bisect_left(starts, m.start())
        if cue == "meter" and not serial and n_ctx and not any(is_num[:first]) \
                and not any(t.is_word and _cue_kind(t, lex) for t in tokens[:first]) \
                and serial_cue_next(tokens, bisect.bisect_left(starts, m.end()), is_num, lex):
            continue   # the answer's model (its make before it), the serial's own cue and number after it: «СВК-15, а
            # номер 0 4 4 1 8 3», «Бетар СГВ-15, номер 0 4 4 1 8 3»
        if cue in ID_KINDS or cue == "meter" or serial:   # a meter's serial: «номер прибора учёта А-5567123»
            found.append(PdSpan(cue if cue in ID_KINDS else "number", m.start(), m.end(), m.group()))
    for m in _DATE_SHAPE_RE.finditer(text):
        i = bisect.bisect_left(starts, m.start())
        if sum(c.isdigit() for c in m.group()) < lex.mask_digits_without_value_cue or i >= len(tokens) \
                or tokens[i].start != m.start() or is_num[i] or _DECIMAL_RE.fullmatch(m.group()) \
                or _month_and_year(m.group(), tokens, i):
            continue
        cue = cues.before(n_ctx + i)
        c = i - 1 if i > 1 and tokens[i - 1].form in _CUE_MARKS else i   # (a colon or a dash after the cue)
        right_after = c > 0 and (_number_word(tokens[c - 1]) or (   # (not a verb: «звонила 12.11.2026» is a date)
            _cue_kind(tokens[c - 1], lex) in (*ID_KINDS, "meter") and _analyse(tokens[c - 1].form)[1] not in _VERBS))
        alone = all(not t.form[:1].isalnum() or t.form in _GOING_ON for k, t in enumerate(tokens) if k != i)
        if (cue in ID_KINDS or cue == "meter") and (right_after or (alone and n_ctx > 0)):
            found.append(PdSpan(cue if cue in ID_KINDS else "number", m.start(), m.end(), m.group()))
    for m in _DECIMAL_RE.finditer(text):
        i = bisect.bisect_left(starts, m.start())
        digits = sum(c.isdigit() for c in m.group())
        if i >= len(tokens) or tokens[i].start != m.start() or is_num[i] or _month_and_year(m.group(), tokens, i):
            continue
        # a piece of a number dictated in parts, opening the answer to a question for it or going on with it:
        # «Продиктуйте лицевой счёт.» — «42,15... секунду»; «… четыре два один пять, дальше.» — «7,73 и всё»
        asked = going_on or (cues.before(n_ctx) if n_ctx and cues.before(n_ctx) in (*ID_KINDS, "meter") else None)
        if asked and digits >= _PIECE_DIGITS and _opening_piece(text, tokens, i, i, lex):
            found.append(PdSpan(asked if asked in ID_KINDS else "number", m.start(), m.end(), m.group()))
            continue
        # (right after an identifier's cue, shorter: «лицевой счёт 42,15» — the rest comes next; not a verb's cue)
        right_after = i > 0 and _cue_kind(tokens[i - 1], lex) in ID_KINDS \
            and _analyse(tokens[i - 1].form)[1] not in _VERBS and not _unit_after(tokens, i + 1, lex) \
            and not (i + 1 < len(tokens) and tokens[i + 1].form in _SCALE_WORDS)
        if digits < (lex.mask_digits_with_cue if right_after else lex.mask_digits_without_value_cue):
            continue
        cue = cues.before(n_ctx + i)
        if cue in ID_KINDS or cue == "meter":
            found.append(PdSpan(cue if cue in ID_KINDS else "number", m.start(), m.end(), m.group()))
    return found


def _numbered_opening(tokens: list[Token], i: int) -> bool:
    """``tokens[i]`` is «№» or follows «№»/«номер», with only fillers and marks before it in the utterance."""
    if i < len(tokens) and tokens[i].form == "№":
        i += 1
    if i == 0 or not (tokens[i - 1].form == "№" or _number_word(tokens[i - 1])):
        return False
    return all(t.form in _GOING_ON or not t.form[:1].isalnum() for t in tokens[:i - 1])


_CLAUSE_MARKS = frozenset({",", "—", "–", ".", ";", ":"})


def _numbered_clause(tokens: list[Token], i: int) -> bool:
    """As ``_numbered_opening``, «номер» opening a clause after a mark: «у меня Пульсар, номер KM-4410»."""
    if i < 2 or not _number_word(tokens[i - 1]):
        return False
    k = i - 2
    while k >= 0 and tokens[k].form not in _CLAUSE_MARKS and tokens[k].form in _GOING_ON:
        k -= 1
    return k < 0 or tokens[k].form in _CLAUSE_MARKS


_MONTH_YEAR_RE = re.compile(r"(?:0?[1-9]|1[0-2])[.,/](?:19|20)\d\d")


def _month_and_year(shape: str, tokens: list[Token], i: int) -> bool:
    """A month and a year after «до», «с», «в», «от»: «поверка до 12.2027», «с 03.2025» — a date, not an identifier."""
    return i > 0 and tokens[i - 1].form in _YEAR_PREPOSITIONS and _MONTH_YEAR_RE.fullmatch(shape) is not None
