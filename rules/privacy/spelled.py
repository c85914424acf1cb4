"""Words and letters spelled out: a surname letter by letter («Т-У-Р-Д-А-Х-У-Н-О-В») and a letter said with a word
that begins with it («Б как Борис, 3, 1, 7»), the way a caller spells what the operator cannot catch."""
from __future__ import annotations

import re

from rules.privacy.lexicon import ID_KINDS, PdSpan
from rules.privacy.said_marks import SAID_MARKS

_UPPER = "A-ZА-ЯЁӘІҢҒҮҰҚӨҺ"
_LOWER = "a-zа-яёәіңғүұқөһ"
# four letters at least, one mark between them throughout, so initials («А.Б.») and models («С-В-К») stay
_SPELLED_RE = re.compile(rf"(?<![\w.-])(?:[{_UPPER}](?:-[{_UPPER}]){{3,}}|[{_UPPER}](?:\.[{_UPPER}]){{3,}}\.?"
                         rf"|[{_LOWER}](?:-[{_LOWER}]){{3,}})(?![\w-])")
# «Б как Борис», «А, как Анна», «буква Т как Тимур»: the word must begin with the letter
# (in lowercase text, «б как борис», only before an identifier: «а как анна поживает» spells nothing)
_AS_IN_RE = re.compile(rf"(?<!\w)([{_UPPER}{_LOWER}])[\s,]+как[\s,]+([{_UPPER}{_LOWER}][{_LOWER}]+)")
_GAP_RE = re.compile(r"[\s,]*")
_DISTINCT = 3
# a question for the letters of what is being dictated: «Какие буквы?», «Буквы какие там?», «Қандай әріптер?»
_LETTERS_ASKED_RE = re.compile(r"(?i)\b(?:букв[аыу]?|әріп\w*)\b[^.?!]*\?\s*$|\bкакие\s+там\s+буквы\b")
# ...or for its series («А серия?», «Серия какая?», «Сериясы қандай?»): answered as a question for the number is
_SERIES_ASKED_RE = re.compile(r"(?i)\bсери[яюи]\w*\b[^.?!]*\?\s*$")
_WORD_RE = re.compile(r"[^\W\d_]+")
_ANSWER_LETTERS = 6   # letters' names opening the answer, at most
_MARK_SAID_RE = re.compile(rf"(?i)[\s,]*(?:{'|'.join(sorted(SAID_MARKS, key=len, reverse=True))})(?!\w)")


def letters_answer(text: str, context: str, letter_names: frozenset[str], number_asked: bool = False) -> list[PdSpan]:
    """The answer to a question for the letters of a number being dictated: the letters opening it, said by their
    names or written («Какие буквы?» — «эм зэ вроде», «ТС»), are the number's (its kind unknown here: «number»);
    ``number_asked``: the question was for the number itself, so an answer of a series' letters alone is its first
    part, the digits to come («Номер счётчика продиктуйте.» — «эс гэ вэ»; two letters at least, or capitals)."""
    letters_asked = bool(context) and _LETTERS_ASKED_RE.search(context) is not None
    number_asked = number_asked or (bool(context) and _SERIES_ASKED_RE.search(context) is not None)
    if not (letters_asked or (context and number_asked)):
        return []
    end, count = 0, 0
    for m in _WORD_RE.finditer(text):
        word = m[0]
        if count >= _ANSWER_LETTERS or text[end:m.start()].strip(" ,-") or not (
                word.lower().replace("ё", "е") in letter_names or (word.isupper() and len(word) <= 3)):
            break
        end, count = m.end(), count + 1
    rest = end
    while count and (m := _MARK_SAID_RE.match(text, rest)):   # a mark said after them, the digits to come: «СГК
        rest = m.end()                                          # сызықша», «эс гэ тире»
    first = _WORD_RE.search(text)
    if not letters_asked and (text[rest:].strip(" ,-.!?…") or not (count >= 2 or (count and first[0].isupper()
                                                                                   and len(first[0]) >= 2))):
        return []   # (nothing but the letters: not «А, сейчас», «вэ кажется нет»)
    return [PdSpan("number", first.start(), end, text[first.start():end])] if count else []


def spelled(text: str, found: list[PdSpan]) -> list[PdSpan]:
    """Spans for what is spelled in ``text``; a letter said «как …» right before an identifier in ``found`` opens it."""
    # (three letters at least, so a hesitation drawn out, «э-э-э-э», «м-м-м-м», is none)
    out = [PdSpan("name", m.start(), m.end(), m[0]) for m in _SPELLED_RE.finditer(text)
           if len(set(m[0].lower()) - {"-", "."}) >= _DISTINCT]
    if " как " not in text:
        return out
    starts = {s.start: s for s in found if s.kind in ID_KINDS or s.kind == "number"}
    run_start = run_end = -1
    for m in _AS_IN_RE.finditer(text):
        if m[1].lower() != m[2][0].lower():
            continue
        lower = m[1].islower()
        run_start = m.start() if run_end < 0 or _GAP_RE.match(text, run_end).end() != m.start() else run_start
        run_end = m.end()
        nxt = starts.get(_GAP_RE.match(text, run_end).end())
        if nxt is not None:   # the letters open the identifier after them
            out.append(PdSpan(nxt.kind, run_start, nxt.end, text[run_start:nxt.end]))
        elif not lower:   # a word spelled this way is a name's («Т как Тимур, У как Ульяна»)
            out.append(PdSpan("name", run_start, run_end, text[run_start:run_end]))
    return out


# initials after their cue or as the answer to a question for them: «инициалы А. Б.», «инициалы: А.Б.», «Инициалы?» —
# «Е. К.», «инициалы а б» (lowercase letters without dots only as two or three alone before the sentence's end)
_INITIALS_CUE_RE = re.compile(r"(?i)(?<!\w)(?:инициал\w*|бас\s+әріп\w*)[ \t]*[:,—–-]?[ \t]*")
_INITIALS_RE = re.compile(rf"(?:[{_UPPER}]\.?|[{_LOWER}]\.)(?:[\s,]*(?:[{_UPPER}]\.?|[{_LOWER}]\.)){{0,2}}(?!\w)"
                          rf"|[{_LOWER}](?:\s+[{_LOWER}]){{1,2}}(?=\s*(?:[.!?,]|$))")
_INITIALS_ASKED_RE = re.compile(r"(?i)\bинициал\w*[^.?!]*\?\s*$")


def initials(text: str, context: str = "") -> list[PdSpan]:
    """Initials said after their cue («Фамилия Мамырова-Оспанова, инициалы А. Б.») or opening the answer to a
    question for them («Ваши инициалы?» — «А. Б.»): a name's letters."""
    out = []
    starts = [m.end() for m in _INITIALS_CUE_RE.finditer(text)]
    if context and _INITIALS_ASKED_RE.search(context):
        starts.append(0)
    for start in starts:
        m = _INITIALS_RE.match(text, start)
        if m and ("." in m[0] or len(_WORD_RE.findall(m[0])) > 1):   # (one capital alone: «А вы кто?»)
            out.append(PdSpan("name", m.start(), m.start() + len(m[0].rstrip(" ,")), m[0].rstrip(" ,")))
    return out

