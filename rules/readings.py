"""Meter readings dictated in a call: «две тысячи сорок пять и три десятых» → 2045.3.

Only a call that speaks of readings («показания») is searched.  A number is a
reading when its utterance is about readings (``context``) or answers a
request to dictate them (``prompt`` in the operator's previous utterance),
or is a customer's utterance made mostly of numbers — an operator's number
only when its own utterance speaks of readings (``triggers``: a read-back,
not «две составляющие тарифа» in an explanation) — and it is not an
account, phone, date, sum or last month's value (the words
just before and after it, from the rulebook).  A value repeated (the operator
reading it back) is listed once, at the first time it was said; when the
customer dictated any value, values only the operator said are left out.
"""
from __future__ import annotations

import re

from rules import text as T
from rules.confidence import span_confidence
from rules.numbers import (
    FRACTIONS,
    KZ_DENOMINATORS,
    SCALE,
    Piece,
    kazakh_inflected,
    kinds,
    no_number,
    pieces,
    run_digits,
    word_kind,
)
from transcription.schema import Reading

_THOUSANDS = re.compile(r"\d{1,3}\.\d{3}")
_WHOLE = frozenset({"целых", "целая", "целые", "целое", "целой"})
_DECIMAL_JOINERS = _WHOLE | {"и", "запятая", "запятой", "точка", "бүтін", "бутин", "бүтин", "үтір", "утир"}
# a meter's red drums count the fraction of a cubic metre: «чёрные — восемьдесят шесть, а красные — пятьсот» is 86.5,
# «287 и красные цифры 3 5» 287.35 («қызыл» in Kazakh)
_RED = frozenset({"красные", "красных", "красный", "красная", "красное", "қызыл", "қызылы"})
_RED_AROUND = frozenset({"и", "а", "ал", "цифры", "цифр", "цифрах", "сандар", "сандары"})


def _red_digits(forms: list[str], j: int) -> int | None:
    """Where the fraction begins when the words from token j name the red drums («а красные», «и красные цифры»),
    else None."""
    n = len(forms)
    k = j + 1 if j + 1 < n and forms[j] in _RED_AROUND and forms[j + 1] in _RED else j
    if k >= n or forms[k] not in _RED:
        return None
    k += 1
    return k + 1 if k < n and forms[k] in _RED_AROUND and forms[k] not in ("и", "а", "ал") else k


def _joins(forms: list[str], hi: int) -> bool:
    """Whether token hi goes on a number: a decimal word, or a word of «(а) красные (цифры)» before the fraction."""
    f = forms[hi]
    if f == "после":   # «и после запятой ноль пять»
        return hi + 1 < len(forms) and forms[hi + 1] in _POINT
    if f in _KZ_POINT:   # «үтірден кейін бес»
        return hi + 1 < len(forms) and forms[hi + 1] == "кейін"
    if f == "кейін":
        return hi > 0 and forms[hi - 1] in _KZ_POINT
    if f == "а" and hi + 2 < len(forms) and forms[hi + 1] == "после" and forms[hi + 2] in _POINT:
        return True   # «…, а после запятой двести пятьдесят»
    return f in _DECIMAL_JOINERS or f in _RED or (f in _RED_AROUND and (
        (hi + 1 < len(forms) and forms[hi + 1] in _RED) or (hi > 0 and forms[hi - 1] in _RED)))


_POINT = frozenset({"запятой", "точки"})
_KZ_POINT = frozenset({"үтірден", "утирден"})


def _after_point(forms: list[str], j: int) -> int | None:
    """Where the decimal part begins after «после запятой» («шестьсот сорок, и после запятой ноль пять», «а после
    запятой двести пятьдесят»; Kazakh «үтірден кейін бес») from token j, else None."""
    if j < len(forms) and forms[j] in ("и", "а"):
        j += 1
    if j + 2 < len(forms) and ((forms[j] == "после" and forms[j + 1] in _POINT)
                               or (forms[j] in _KZ_POINT and forms[j + 1] == "кейін")):
        return j + 2
    return None


def _value_at(forms: list[str], i: int, hi: int):
    """(value, last_token) of the number starting at token i, with its decimal part."""
    runs = pieces(forms, i, hi)
    if not runs:
        return None
    run = runs[0]
    while len(run) > 1 and run[0].digits == "0":
        run = run[1:]  # «ноль ноль пятьсот шестьдесят семь»: the meter's leading zeros
    if len(run) == 2 and run[0].digits == run[1].digits and len(run[0].digits) >= 2 and "." not in run[0].digits:
        # «девятьсот семьдесят семь… девятьсот семьдесят семь»: one value said twice, not an account in pieces
        return float(run[0].digits), run[1].last
    if len(run) >= 2 and sum(len(p.digits) for p in run) >= 5:
        return None  # a long number dictated in pieces (account, phone), not a reading
    if len(run) >= 2 and all(len(p.digits) == 1 and p.digits.isdigit() for p in run):
        # the meter's digits read one by one: «ноль ноль пять ноль восемь» is 508
        run = [Piece(run_digits(run), run[0].first, run[-1].last, sum(p.words for p in run))]
    p0 = run[0]
    try:
        value = float(p0.digits)
    except ValueError:
        return None
    j = p0.last + 1
    n = len(forms)
    digits = p0.digits
    if _THOUSANDS.fullmatch(digits) and j + 1 < n and forms[j] in _DECIMAL_JOINERS \
            and word_kind(forms[j + 1]) is not None:
        digits = digits.replace(".", "")  # «3,782 и 9»: the ASR's thousands comma, then the decimal part
        value = float(digits)
    kz_denominator = j + 1 < n and forms[j + 1] in KZ_DENOMINATORS   # after «бүтін оннан»: the digits
    # «двести сорок шесть целых и пятьдесят две сотых»: «и» after the whole part's word
    and_after_whole = j + 2 < n and forms[j] in _WHOLE and forms[j + 1] == "и"
    red = _red_digits(forms, j) if j < n else None
    point = _after_point(forms, j)
    first = point if point is not None else red if red is not None else j + 1 + (kz_denominator or and_after_whole)
    after = pieces(forms, first, hi) if "." not in digits and len(run) == 1 and first < n \
        and (forms[j] in _DECIMAL_JOINERS or red is not None or point is not None) else None
    if after and after[0][0].first == first:   # (a Kazakh «бес», «он» is a number here: ``kinds``)
        frun = after[0]
        fr = frun[0]
        if "." not in fr.digits:
            if kz_denominator:
                return value + int(fr.digits) / KZ_DENOMINATORS[forms[j + 1]], fr.last
            k = fr.last + 1
            denom = FRACTIONS.get(forms[k]) if k < n else None
            if denom:
                value += int(fr.digits) / denom
                return value, k
            if len(frun) > 1 and (frun[0].digits == "0" or ((forms[j] != "и" or red is not None)
                                                             and all(len(p.digits) == 1 for p in frun))):
                said = run_digits(frun)   # «запятая ноль семь», «и ноль девяносто»: .07, .090
                return value + int(said) / 10 ** len(said), frun[-1].last
            if forms[j] != "и" or len(fr.digits) <= 3:
                value += int(fr.digits) / 10 ** len(fr.digits)
                return value, fr.last
    if j + 1 < n and forms[j] == "с" and forms[j + 1] in ("половиной", "половинкой"):
        return value + 0.5, j + 1
    if j < n and forms[j] == "жарым":   # «алпыс төрт жарым»: sixty-four and a half
        return value + 0.5, j
    return value, p0.last


# marks that part a word from the number after it as items of a list: «два счётчика, один на кухне»
_LIST_MARKS = frozenset({",", ";"})


_NOT_TAKEN = "operator, not taken"   # a value in an operator's utterance with no ``taken`` word


def extract_readings(call, rulebook) -> list[Reading]:
    cfg = rulebook.readings
    triggers = rulebook.cache.get("readings.triggers")
    if triggers is None:  # the words without which no utterance is about readings (Kazakh ones: any ending)
        triggers = rulebook.cache["readings.triggers"] = frozenset(
            T.normal(w) for w in cfg.get("triggers", ("показание", "показывать")))
    if triggers.isdisjoint(call.keys):
        return []
    context = rulebook.lexicon("readings.context", cfg.get("context", []), by_lemma=True)
    prompt = rulebook.lexicon("readings.prompt", cfg.get("prompt", []), by_lemma=True)
    sets = rulebook.cache.get("readings")
    if sets is None:
        sets = rulebook.cache["readings"] = tuple(
            frozenset(T.normal(str(w)) for w in cfg.get(key, ()))
            for key in ("not_after_words", "not_before_words", "skip_near", "stop_back", "units", "past_back",
                        "now_words", "not_ours"))
    not_after, not_before, skip_near, stop_back, units, past_back, now_words, not_ours = sets
    small = float(cfg.get("whole_below_is_count", 0))
    round_sums = bool(cfg.get("round_thousands_are_sums", False))
    retract = rulebook.lexicon("readings.retract", cfg.get("retract", []), by_lemma=True)
    correction = rulebook.lexicon("readings.correct_previous", cfg.get("correct_previous", []), by_lemma=True)
    taken = rulebook.lexicon("readings.taken", cfg.get("taken", []), by_lemma=True)
    consumption = rulebook.lexicon("readings.consumption", cfg.get("consumption", []), by_lemma=True)
    max_digits = int(cfg.get("max_digits", 6))
    out: list[Reading] = []
    said_by: list[str] = []
    seen: set[float] = set()
    prev = None
    prev_numeric = False   # whether ``prev`` has a number in it
    prev_kind = None       # …its words' number kinds
    prev_about_at: set[int] = set()   # …and its tokens in a phrase about readings
    for u in call.utts:
        forms = u.forms
        n = len(forms)
        # each word's number kind, in context: a Kazakh «бес», «он» is a number beside another Kazakh number word
        # («жүз сексен бес» is 185, «екі жүз он алты» 216), a Russian word elsewhere
        kind = None if no_number(u.keys, u.text) else kinds(forms)
        numeric = 0 if kind is None else sum(k is not None for k in kind)
        if not numeric:  # who asked what matters only for an utterance with a number in it
            if forms:
                prev, prev_numeric = u, False
            continue
        has_num = numeric > 0
        other_asked = prev is not None and call.role(prev) != call.role(u)
        # the other side asked for an account or a phone, not for readings («Назовите номер лицевого счёта»)
        # — not when it read one back (the account's digits said): «три ноль шесть… улица Розыбакиева» — «да,
        # восемьдесят восемь и пять» confirms it and goes on
        names_other = other_asked and not (skip_near.isdisjoint(prev.lemmas) and skip_near.isdisjoint(prev.forms))
        # (a word about readings or a unit as said: «куба» is the unit's form, whose first parse is the island)
        asked_number = names_other and stop_back.isdisjoint(prev.lemmas) and units.isdisjoint(prev.forms) \
            and not _long_number(prev)
        role = call.role(u)
        bare = role == "customer" and numeric * 2 >= n and not asked_number  # «Сто двадцать три и пять.»
        # the operator asks to dictate, the customer answers: an operator's number answering the customer («Какие
        # там составляющие?» — «Это две разные составляющие») is no reading, nor is one in an operator's words
        # about cubic metres («норматив на нагрев одного кубометра»); the operator's own utterance must speak of
        # readings (``triggers``) for its number to count (a read-back, «показания 1234 приняла»)
        # …or the customer goes on dictating: a reading of theirs taken already, and the operator's words since then
        # read a number back or speak of the meter («пятьдесят шесть и семь, записала», «Другой счётчик есть?»),
        # asking for no account, phone or address — «и второй, 31 и 2»
        going_on = other_asked and not names_other and role != "operator" and "customer" in said_by and \
            (prev_numeric or context.contains(prev))
        prompted = going_on or (other_asked and role != "operator" and _asks_for_readings(prev, prompt, skip_near))
        lone = prompted and numeric == 1 and n <= 2  # «В 841.»: the ASR's stray preposition before the answer
        said_about = context.find(u)
        # words of a phrase about readings stop the search back for a number's kind: «ас үй» (kitchen) is not «үй»
        # (a house)
        about_at = {k for m in said_about for k in range(m.first, m.last + 1)}
        about = not triggers.isdisjoint(u.keys) if role == "operator" else bool(said_about)
        if has_num and role == "customer" and not (bare or prompted or about):
            about = _taken_back(call, u, kind, taken)
        if has_num and (bare or prompted or about):
            here: list[tuple[float, int, int]] = []   # this utterance's readings: (value, first token, last token)
            # the caller repeating a sum, a date or an account the operator just said («…төлем сомасы — бес мың
            # жеті жүз қырық теңге» — «Бес мың жеті жүз қырық. Жақсы.»): an echo, no reading
            echoes = _said_not_as_readings(prev, prev_kind, prev_about_at,
                                           (not_after, not_before, skip_near, stop_back), max_digits, consumption) \
                if other_asked and prev_numeric and role != "operator" else ()
            for value, i, last in _numbers(forms, kind):
                if round(value, 3) in echoes:
                    continue
                if _consumption_before(u, i, consumption):
                    continue   # «за месяц двадцать кубов набегает», «расход четыре куба»: what was used, no reading
                named = i - 1 in about_at and u.puncts[i - 1] not in _LIST_MARKS
                unit_after = last + 1 < n and (forms[last + 1] in units or u.lemmas[last + 1] in units)
                counted = last + 1 < n and not u.puncts[last] and u.flags[last + 1] & T.NOUN and not unit_after
                if value < small and value == int(value) and (counted or not named) and not unit_after:
                    # «Два. Кухня и ванная», «нет, один», «один синий»: a count, not a reading — unless a unit
                    # follows («пять кубов») or a word about readings comes just before («ванная 7», «кухня: 7»;
                    # not «два счётчика, один на кухне», where a comma parts them; nor «по горячей воде два
                    # счётчика», where the noun counted follows)
                    continue
                if round_sums and value >= 1000 and value % 1000 == 0 and _ends_in_scale(forms[last]):
                    # «в квитанции 18 тысяч», «46 тысяч 200 тенге» aside: a round figure in thousands, said with
                    # the word «тысяч», is a sum; a meter's reading is dictated to its last digit
                    continue
                if _is_reading(u, kind, i, last, value, not_after, frozenset() if lone else not_before, skip_near,
                               stop_back, max_digits, about_at, now_words) and \
                        not _marked_in_clause(u, kind, i, past_back, stop_back, about_at, now_words) and \
                        not _marked_in_clause(u, kind, i, not_ours, stop_back, about_at):
                    here.append((round(value, 3), i, last))
            kept = _not_taken_back(here, retract.find(u) if here[1:] else ())
            if kept and role == "customer" and out:
                _correct_previous(out, said_by, seen, kept[0], correction.find(u))
            for value, i, last in kept:
                if value not in seen:
                    seen.add(value)
                    start, end = u.span_time(i, last)
                    heard = span_confidence(call.transcript.utterances[u.index], start, end,
                                            call.memo.setdefault("ceilings", {}))
                    out.append(Reading(value, start, u.evidence(i, last), round(heard, 4)))
                    said_by.append(_NOT_TAKEN if role == "operator" and not _taken_at(taken, u, i, last) else role)
        if forms:
            prev, prev_numeric, prev_kind, prev_about_at = u, True, kind, about_at
    if "customer" in said_by:  # the caller's values; a read-back that differs is the operator's slip
        out = [r for r, who in zip(out, said_by, strict=True) if who == "customer"]
    else:
        # only the operator's: the caller's side was lost, and a value the operator takes («показания сто двадцать
        # три и пять приняла», «записала: 56,7») stands for it; one the operator reads from the database
        # («последние показания были в январе, сто шестьдесят один»; «бізде соңғы көрсеткіш 230») was never
        # dictated in this call
        out = [r for r, who in zip(out, said_by, strict=True) if who != _NOT_TAKEN]
    return out


TAKEN_WORDS = 3   # how near a ``taken`` word stands to the value it takes («сто двадцать три и пять приняла»)


def _taken_at(taken, u, i: int, last: int) -> bool:
    """Whether a ``taken`` word stands within ``TAKEN_WORDS`` words of the value at tokens i..last of the operator's
    ``u`` («Записала: 56,7», «двести семьдесят шесть и четыре приняла»), not elsewhere in it («счётчик принят к
    расчёту с сегодняшнего дня, начальное показание 0,9»)."""
    return any(m.first <= last + TAKEN_WORDS and m.last >= i - TAKEN_WORDS for m in taken.find(u))


def _consumption_before(u, i: int, consumption) -> bool:
    """Whether a phrase of ``readings.consumption`` («за месяц», «в месяц», «расход») ends at most two words before
    the number at token ``i``, no mark between: a volume used over a time, not the meter's reading."""
    return any(i - 3 <= m.last < i and not any(u.puncts[k] for k in range(m.last, i)) for m in consumption.find(u))


def _said_not_as_readings(prev, kind, about_at, words, max_digits, consumption) -> set[float]:
    """The numbers of ``prev`` that are no readings by the words around them (a sum before «теңге», a date, an
    account, a volume used: «расход двадцать один кубометр»): ``_is_reading``'s tests and ``_consumption_before``,
    asked of the utterance they were said in."""
    if kind is None:
        return set()
    not_after, not_before, skip_near, stop_back = words
    return {round(v, 3) for v, i, last in _numbers(prev.forms, kind)
            if _consumption_before(prev, i, consumption)
            or not _is_reading(prev, kind, i, last, v, not_after, not_before, skip_near, stop_back, max_digits,
                               about_at)}


def _taken_back(call, u, kind, taken) -> bool:
    """Whether the operator's next utterance takes a number of ``u`` back («Вот сейчас опять говорю: двести
    семьдесят шесть и четыре» — «Двести семьдесят шесть и четыре приняла»): the customer dictated it, whatever
    words came with it."""
    nxt = next((v for v in call.utts[u.index + 1:] if v.forms), None)
    if nxt is None or call.role(nxt) != "operator" or not taken.contains(nxt):
        return False
    mine = {round(v, 3) for v, _, _ in _numbers(u.forms, kind)}
    if not mine or no_number(nxt.keys, nxt.text):
        return False
    return not mine.isdisjoint(round(v, 3) for v, _, _ in _numbers(nxt.forms, kinds(nxt.forms)))


def _numbers(forms: list[str], kind):
    """Each number said in the words (``kind``: each word's ``rules.numbers.kinds``), its decimals joined, as
    (value, first token, last token), left to right."""
    i, n = 0, len(forms)
    while i < n:
        if kind[i] is None:
            i += 1
            continue
        hi = i
        while hi < n and (kind[hi] is not None or _joins(forms, hi) or forms[hi] in FRACTIONS
                          or forms[hi] in KZ_DENOMINATORS):
            hi += 1
        got = _value_at(forms, i, hi)
        if got is None:
            i = hi
            continue
        yield got[0], i, got[1]
        i = got[1] + 1


def _correct_previous(out: list[Reading], said_by: list[str], seen: set[float], first: tuple[float, int, int],
                      corrections) -> None:
    """The customer takes back a value said in an utterance before: a ``correct_previous`` word («перепутал»,
    «ошибся», «точнее») before this utterance's first value (``first``: value, first token, last token) replaces
    the customer's latest value with as many whole digits («четыреста восемьдесят шесть и три» — «Проверьте,
    пожалуйста» — «Ой, перепутал, четыреста шестьдесят восемь и три»).  A value of another size is another
    meter's and stays."""
    value, i, _ = first
    if not any(m.last < i for m in corrections):
        return
    digits = len(str(int(value)))
    for j in range(len(out) - 1, -1, -1):
        if said_by[j] == "customer":
            old = out[j].value
            if old != value and len(str(int(old))) == digits:
                del out[j], said_by[j]
                seen.discard(old)
            return


def _marked_in_clause(u, kind, i, marks, stops, about_at, now: frozenset[str] = frozenset()) -> bool:
    """Whether a word of ``marks`` stands anywhere before the number at token ``i`` in its clause: a word of
    the past («прошлый», «предыдущий», «өткен»: «в прошлом месяце я, кажется, ошибочно дал сто тридцать», «в
    прошлый раз я давал 52 и 4» name last month's value, however many words part them), or another
    organisation's meter («по свету у меня 14 523»: ``not_ours``).  The clause ends (going back) at a sentence's
    mark, another number, a word of ``now`` («а сейчас 135», «қазіргісі»), a word of ``stops`` (about readings,
    ``stop_back``) or a phrase about readings — unless the marker qualifies that word («прошлые показания 145»)."""
    if not marks:
        return False
    toks = u.tokens
    for k in range(i - 1, -1, -1):
        t = toks[k]
        if T.ends_sentence(t.punct) or t.flags & T.NUMBER or kind[k] is not None:
            return False
        if now and (t.lemma in now or t.form in now or not now.isdisjoint(u.alts[k])):
            return False
        if k in about_at or t.lemma in stops or t.form in stops:
            # …but a word about readings that the marker qualifies is marked too: «прошлые показания 145»,
            # «өткен көрсеткіш 145» (not «показания за прошлый месяц 145», said of the month dictated now)
            return k > 0 and not toks[k - 1].punct and _is_mark(toks[k - 1], u.alts[k - 1], marks)
        if _is_mark(t, u.alts[k], marks):
            return True
    return False


def _is_mark(t, alts, marks) -> bool:
    return t.lemma in marks or t.form in marks or not marks.isdisjoint(alts)


def _asks_for_readings(prev, prompt, skip_near) -> bool:
    """Whether ``prev`` ends asking for readings: a ``prompt`` phrase after its last word of ``skip_near`` («…улица
    Манаса, двадцать, квартира семьдесят восемь. Диктуйте показания.»: the address read back, then the
    question the customer answers), not «Назовите номер счёта» nor «Диктуйте показания, потом телефон»."""
    asked = prompt.find(prev)
    if not asked:
        return False
    last_other = max((k for k, (lemma, form) in enumerate(zip(prev.lemmas, prev.forms, strict=True))
                      if lemma in skip_near or form in skip_near), default=-1)
    return asked[-1].first > last_other


def _not_taken_back(here: list[tuple[float, int, int]], retractions) -> list[tuple[float, int, int]]:
    """The numbers of one utterance less those the speaker took back: a word of ``readings.retract`` between a
    number and the next («Сто сорок пять… ой, нет, это я старые смотрю. Сто пятьдесят четыре и два»: 154.2)."""
    if not retractions:
        return here
    at = [m.first for m in retractions]
    return [h for h, nxt in zip(here, [*here[1:], None], strict=True)
            if nxt is None or not any(h[2] < k < nxt[1] for k in at)]


def _ends_in_scale(form: str) -> bool:
    k = word_kind(form)
    return k is not None and k[0] == SCALE


def _long_number(u) -> bool:
    """Whether u says a number of five digits or more (an account, a phone), whole or in pieces."""
    return any(len(run_digits(run)) >= 5 for run in pieces(u.forms))


def _is_reading(u, kind, i, last, value, not_after, not_before, skip_near, stop_back, max_digits,
                about_at: frozenset[int] | set[int] = frozenset(), now_words: frozenset[str] = frozenset()) -> bool:
    """Whether the number of tokens i..last of u (``kind``: each token's ``rules.numbers.kinds``) is a reading: not
    a year, a date, an account's or a phone's digits, a sum or last month's value (the words around it)."""
    toks = u.tokens
    if value <= 0 or len(str(int(value))) > max_digits:
        return False
    if last + 1 < len(toks) and toks[last + 1].form in not_after:
        return False
    # «двадцать пятого», «жиырма бесіне» (on the 25th): an ordinal that goes on a round number makes it a date or
    # an ordinal, no quantity — not one after a number it cannot go on («56 и 2, второй 71 и 9»: the next meter)
    if last + 1 < len(toks) and value == int(value) and value % 10 == 0 and (
            toks[last + 1].flags & T.ORDINAL or kazakh_inflected(toks[last + 1].form)):
        return False
    if i > 0 and toks[i - 1].form in not_before:
        return False
    words = 0
    for k in range(i - 1, -1, -1):
        t = toks[k]
        if t.lemma in stop_back or k in about_at or T.ends_sentence(t.punct) or t.lemma in now_words \
                or t.form in now_words:
            # (a sentence before it is another's: «…это за прошлый год. Сейчас: девятьсот семьдесят семь»; so is
            # what stood before «сейчас»: «шестьдесят, ой, это прошлый, сейчас шестьдесят семь»)
            break
        if t.flags & T.NUMBER or kind[k] is not None:
            # «Лицевой счёт один, два, на три, четыре…»: digits that go on dictating a number are that number's
            if not toks[k].punct or toks[k].punct == ",":
                continue
            break
        if t.lemma in skip_near or t.form in skip_near:
            return False
        words += 1
        if words >= 3:
            break
    return True
