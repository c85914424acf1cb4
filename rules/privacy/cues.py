"""Cue words for the identifiers said as numbers (``rules.privacy.numbers``): which kind of identifier, if any, the
words said before a number announce («лицевой счёт», «номер счётчика», «договор»; «показания», «тенге» announce a
value), found for every token of a text in one pass (``CueIndex``), so that the cost stays linear in the text."""
from __future__ import annotations

from rules.numbers import NUMBER_WORDS
from rules.privacy.lexicon import ID_KINDS, Lexicon
from rules.privacy.lexicon import analyse as _analyse
from rules.text import Token, morph


class CueIndex:
    """The kind of the nearest cue word among the last ``cue_window`` words before each token
    (number words and marks do not count as words), computed once for the whole text."""

    def __init__(self, tokens: list[Token], lex: Lexicon, is_num: list[bool], here: int = 0) -> None:
        """``here``: the index where the utterance itself starts (the tokens before are what was said before it)."""
        self._at: list[str | None] = []
        words = 0                       # words seen so far
        last_kind, last_at = None, -1   # the latest cue word and its word count
        last_i = -1                     # ...and its index
        last_verb = False               # ...and whether it is a verb («звонила»)
        used = False                    # a number has come after the latest cue
        suspended = None                # an identifier cue a word naming the service interrupted
        window = lex.cue_window
        quals = lex.meter_qualifiers
        service = False                 # inside «по отоплению», «за горячую воду» after an identifier's cue
        clause = False                  # inside «, по которому долг,» after an identifier's cue
        listed = False                  # a meter's qualifier said before its first serial («горячей 318 744 0 …»)
        last_qual = False               # the latest cue is such a qualifier only («на отоплении»)
        for i, (t, num) in enumerate(zip(tokens, is_num, strict=True)):
            self._at.append(last_kind if words - last_at < window else None)
            # a number counted by a unit after it («в 2019 году», «за 3 месяца») is no identifier: the cue waits on
            # (judged at a number's last word: «две тысячи пятнадцатого года»)
            used = used or (num and not (i + 1 < len(tokens) and is_num[i + 1]) and not _unit_after(tokens, i + 1, lex)
                            and not (_ordinal(tokens, i + 1) and _unit_after(tokens, i + 2, lex)))
            if t.form in _CLAUSE_MARKS:
                clause = False
            if num or not (t.form[:1].isalpha() or t.form == "№"):   # «№» may make a meter's cue
                continue
            words += 1
            # a list of meters: «номера счётчиков: горячей воды 451209, холодной 451210» — after a serial, the next
            # meter's qualifier, said after a comma or «и»/«а», keeps the meter's cue for the next number
            # (or right after the serial, with no mark, when the first meter was named the same way: «номер
            # счётчика горячей 318 744 0 холодной 318 744 1»)
            if used and last_kind == "meter" and i > 0 and (tokens[i - 1].form in _LIST_MARKS
                                                            or (listed and is_num[i - 1])) \
                    and (t.form in quals or _analyse(t.form)[0] in quals):
                used, last_at = False, words
                continue
            kind = "meter" if _meter_number(tokens, i, lex) else _slashed_cue(tokens, i) or _cue_kind(t, lex)
            # an identifier's cue said in this utterance waits for its number
            # (a word of the same utterance: «По какому договору оплата?» — «АТС 004512»; not «звоните» — «в прошлом
            # месяце передавала 448»)
            waiting = last_kind in (*ID_KINDS, "meter") and not used and (last_i >= here) == (i >= here) \
                and not last_verb   # («звонила, оплатила 7 200»: a verb's cue waits for nothing)
            # a word that says which meter or service is meant, before any number: «номер счётчика горячей воды
            # 5001847» keeps the meter's cue; «договор на отопление номер 4512» the contract's once «номер» comes
            qualifier = kind == "value" and not used and (t.form in quals or _analyse(t.form)[0] in quals)
            # ...and said with a preposition («лицевой счёт по отоплению 445612», «договор на горячую воду 4512»)
            # it names the service the identifier is for: the cue stands at once
            service = qualifier and waiting and (service or (i > 0 and tokens[i - 1].form in lex.service_prepositions))
            # a clause about the identifier said before its number: «лицевой счёт, по которому долг, 661204»
            clause = clause or (waiting and _analyse(t.form)[0] in _RELATIVE)
            if service or (waiting and kind == "value" and (clause or _weak_value(t, lex))):
                # a word of time or payment said while an identifier's cue waits («лицевой счёт, одну минуту, …»,
                # «договор от марта двадцатого года номер 784», «лицевой счёт для оплаты …»): no value of its own
                kind = None
            elif qualifier and last_kind == "meter":
                kind, listed = None, True
            elif qualifier and last_kind in ID_KINDS:
                suspended = last_kind
            elif kind is None and suspended and last_kind == "value" and _number_word(t):
                kind = suspended
            elif kind is None and last_kind == "value" and last_qual and not used and _number_word(t):
                # «номер» after words saying which meter or service, no identifier's cue before them: what follows
                # is no value of theirs («Пульсар на отоплении, номер 1 5 0 9 2 2»): judged by its length alone
                last_kind, last_at, last_qual = None, words, False
            if kind is not None:
                suspended = suspended if qualifier else None
                # (only when no other value's cue came before them: «заявка на отопление номер 609312»)
                last_qual = qualifier and (last_kind != "value" or last_qual or used)
                last_kind, last_at, last_i, used, listed = kind, words, i, False, False
                last_verb = _analyse(t.form)[1] in ("VERB", "INFN")
        self._after = last_kind if words - last_at < window else None

    def before(self, i: int) -> str | None:
        return self._at[i] if i < len(self._at) else self._after


def _cue_kind(t: Token, lex: Lexicon) -> str | None:
    key = ("cue", t.form)
    if key not in lex.memo:
        lex.memo[key] = _cue_kind_uncached(t, lex)
    return lex.memo[key]


def _ordinal(tokens: list[Token], i: int) -> bool:
    return i < len(tokens) and tokens[i].is_word and "Anum" in morph().parse(tokens[i].form)[0].tag


# abbreviations written with a slash, the tokenizer's three tokens: «л/с» (лицевой счёт), «s/n», «с/н» (serial number)
_SLASHED = {("л", "с"): "account", ("s", "n"): "meter", ("с", "н"): "meter"}


def _slashed_cue(tokens: list[Token], i: int) -> str | None:
    if i < 2 or tokens[i - 1].form != "/":
        return None
    return _SLASHED.get((tokens[i - 2].form, tokens[i].form))


def _weak_value(t: Token, lex: Lexicon) -> bool:
    return t.form in lex.weak_value_cues or _analyse(t.form)[0] in lex.weak_value_cues


def _meter_word(t: Token, lex: Lexicon) -> bool:
    return t.form in lex.meter_words or t.form.startswith(lex.meter_stems) or _analyse(t.form)[0] in lex.meter_words


def _number_word(t: Token) -> bool:
    return t.form in ("номер", "номера", "номеру", "номером", "№") or t.form.startswith(("нөмір", "нөмер"))


_RELATIVE = frozenset({"который", "где", "куда"})
_LIST_MARKS = frozenset({",", ";", "и", "а", "ал", "және"})
_CLAUSE_MARKS = frozenset({",", ".", "?", "!", "—", "–", ";", ":"})
def _other_cue(t: Token, lex: Lexicon) -> bool:
    """A cue word that is not part of how a meter is described («марки», «горячей воды»): «заявка», «лицевой»."""
    if not t.is_word or _meter_word(t, lex) or not _cue_kind(t, lex):
        return False
    lemma = _analyse(t.form)[0]
    return lemma not in lex.make_nouns and t.form not in lex.meter_qualifiers and lemma not in lex.meter_qualifiers


_MODEL_TOKENS = 8   # tokens between a meter's name and «№»: its model with digits and marks («ВСКМ 90-15,»)


def _meter_number(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """«номер счётчика», «счётчик номер», «прибор учёта номер», «есептегіш нөмірі»: the word «номер» and a
    meter's name next to each other (one word between at most, or two that are no cue: «номер на корпусе
    счётчика», not «номер заявки по счётчику») — what follows is the meter's serial number, which identifies a
    household as an account does, not a reading."""
    t = tokens[i]
    if _number_word(t):   # «номер счётчика», «счётчик СВК-15 номер …», «счётчик ВСКМ 90-15, № 04419781»
        # (after it only what comes before a number: «номер 4410 счётчик …» is a request's number, the meter's next)
        near = [tokens[k] for k in (i + 1, i + 2) if k < len(tokens) and not any(
            x.form[:1].isdigit() or x.form in NUMBER_WORDS for x in tokens[i + 1:k + 1])]
        words, k = 0, i - 1
        while k >= 0 and i - k <= _MODEL_TOKENS and words < 4:   # back over the meter's model, its digits and marks
            if _other_cue(tokens[k], lex) and (k < i - 2 or _cue_kind(tokens[k], lex) != "meter"):
                break   # another cue between: «счётчик … 6651, заявка номер 4410» is the request's number
                # (right before «номер» too: «счётчик 37.11.0.52, заявка номер 6093»; not «заводской номер»)
            near.append(tokens[k])
            words += tokens[k].is_word
            k -= 1
        return any(_meter_word(x, lex) for x in near) or (
            _plain_words_between(tokens, i, i + 3, lex) and _meter_word(tokens[i + 3], lex))
    if _meter_word(t, lex):   # «номер счётчика», «счётчик № 0071125», «прибор учёта № 45678»
        return any(_number_word(tokens[k]) for k in (i - 2, i - 1, i + 1, i + 2, i + 3) if 0 <= k < len(tokens)) \
            or (_plain_words_between(tokens, i - 3, i, lex) and _number_word(tokens[i - 3]))
    return False


def _plain_words_between(tokens: list[Token], a: int, b: int, lex: Lexicon) -> bool:
    """tokens[a] and tokens[b] exist and only words that are no cue stand between them."""
    return a >= 0 and b < len(tokens) and all(x.is_word and _cue_kind(x, lex) is None for x in tokens[a + 1:b])


def _cue_kind_uncached(t: Token, lex: Lexicon) -> str | None:
    lemma = _analyse(t.form)[0]
    # a compound written with a hyphen is judged by its last part too, as a word of its own: «келісім-шарт»,
    # «келісім-шартымның», and two words the recogniser glued together («цегово-счета», лицевого счёта)
    last = t.form.rsplit("-", 1)[-1] if "-" in t.form[1:] and t.is_word else ""
    last_lemma = _analyse(last)[0] if len(last) > 2 else ""
    for kind in (*ID_KINDS, "meter", "value"):
        stems = lex.cue_stems.get(kind, ())
        if t.form in lex.cues[kind] or lemma in lex.cues[kind] or t.form.startswith(stems) \
                or (kind != "value" and len(last) > 2 and (last.startswith(stems) or last in lex.cues[kind]
                                                             or last_lemma in lex.cues[kind])):
            return kind
    return None


def _unit_after(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    if i >= len(tokens) or not tokens[i].is_word:
        return False
    t = tokens[i]
    # (the dictionary's lemma only for a word it knows: «жылу», heating, is no «жыл», a year)
    lemma, _, _, known = _analyse(t.form)
    return t.form in lex.units or (known and lemma in lex.units)
