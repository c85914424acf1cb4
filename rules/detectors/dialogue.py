"""Rules about the course of the conversation: opening, closing, the customer's name,
escalation, third parties and unexplained terms.  Each gives at most one finding
per call, except ``terms`` (one per abbreviation left unexplained)."""
from __future__ import annotations

from rules import text as T
from rules.call import Call, finding
from rules.clauses import kazakh_spans
from rules.kazakh import RUSSIAN_SPELLING
from rules.names import kazakh_names
from rules.numbers import pieces, run_digits
from rules.phonetics import distance, phrase_keys
from rules.phonetics import key as sound_key
from rules.registry import register


@register("greeting")
def greeting(call: Call, rule) -> list:
    """The operator's first utterances (within ``within_s`` of the first) carry a greeting."""
    ops = call.operator
    if not ops:
        return []
    lex = rule.lexicon()
    n = int(rule.params.get("first_utterances", 2))
    within = float(rule.params.get("within_s", 30))
    opening = [u for u in ops[:n] if u.start - ops[0].start <= within]
    # any utterance will do: the greeting by its words in all of them first, by stem or sound (costly) after
    if any(lex.contains(u) for u in opening) or any(_has_stem(u, rule) for u in opening):
        return []
    return [finding(rule, ops[0])]


def _has_stem(u, rule) -> bool:
    """A word holding one of the rule's ``stems`` (a form the lexicon does not list: «сәлеметсіздер»), or a
    greeting or farewell the recogniser has bent: one of the rule's key phrases (``sounds_like``) heard by sound
    (``rules.phonetics``; ``sound_distance`` is the share of the phrase's sounds that may differ, 0 = off)."""
    stems = rule.words("stems")
    if stems and any(st in f for f in u.forms for st in stems):
        return True
    limit = float(rule.params.get("sound_distance", 0))
    if limit <= 0 or not u.forms or u.language == "kk":
        return False  # Kazakh speech is matched by its words (the Kazakh lexicon, any ending), not by sound
    keys = rule.cache.get("sound_keys")
    if keys is None:
        keys = rule.cache["sound_keys"] = phrase_keys(_phrases(rule.params.get("sounds_like", [])))
    return u.heard().like(keys, limit)


def _phrases(entries) -> list[str]:
    """The phrase texts of a lexicon (entries are strings or mappings with a ``phrase``)."""
    out = []
    for e in entries:
        if isinstance(e, dict):
            e = e.get("phrase") or next(iter(e), "")
        out.append(str(e))
    return out


@register("closing")
def closing(call: Call, rule) -> list:
    """The operator's last utterances carry a farewell or thanks for calling — in a mono call without
    diarisation, whose roles are guessed (``Call.undiarised``), the call's last utterances, whoever said them:
    a farewell does not tell the operator from the caller, who takes leave too."""
    ops = call.operator
    if not ops:
        return []
    lex = rule.lexicon()
    last = call.ending(int(rule.params.get("last_utterances", 2)))
    # any utterance will do: the farewell by its words in all of them first, by stem or sound (costly) after
    if any(lex.contains(u) for u in last) or any(_has_stem(u, rule) for u in last):
        return []
    return [finding(rule, ops[-1])]


def _same_name(said: T.Token, name: T.Token) -> bool:
    """«Марии» is «Мария» (same lemma); «Нурлану» is «Нурлан» (a name pymorphy does not decline: same stem);
    «Нұрлан» is «Нурлан», «Әсел» is «Асель» (the Kazakh and the Russian spelling of one name: compared in the
    Russian one, ``kazakh.RUSSIAN_SPELLING``); «Бауржан» is «Бауыржан» (the same by sound, ``rules.phonetics``)."""
    if said.form == name.form or (said.lemma == name.lemma and said.flags & (T.NAME | T.PATR | T.SURN)):
        return True
    a, b = said.form.translate(RUSSIAN_SPELLING), name.form.translate(RUSSIAN_SPELLING)
    k = max(4, len(b) - 1)
    if a == b or (len(a) >= k and a[:k] == b[:k] and len(a) - len(b) <= 3):
        return True
    # the name as a recogniser bends it («Бауржан» for «Бауыржан», «Ольгу» for «Ольга»): the same by sound —
    # not in Kazakh speech, whose words are read as written («маман», a specialist, sounds like «Арман»)
    if said.flags & T.KAZAKH:
        return False
    # a dictionary word the recogniser wrote is what it heard: within half the distance only, as for phrases
    a, b = sound_key(said.form), sound_key(name.form)
    limit = 0.34 if said.flags & T.UNKNOWN else 0.17
    return len(b) >= 4 and abs(len(a) - len(b)) <= 2 and distance(b, a) <= limit


@register("name_usage")
def name_usage(call: Call, rule) -> list:
    """The customer introduced themselves and the operator never used their name afterwards."""
    if not call.operator or not call.customer:
        return []
    kaz = kazakh_names(rule)
    not_names = rule.words("not_names")
    intro = rule.words("intro")
    intro_after = rule.words("intro_after")
    org_words = rule.words("org_words")
    not_self = rule.words("not_self")
    ask = rule.lexicon("ask_name")
    named_by = rule.words("kk_name_after")
    named_after = rule.words("name_after")
    own: set[str] = set()  # the operator's own name from the opening
    first_op = call.operator[0]
    if not call.customer or first_op.index < call.customer[0].index:
        own = {f for f, fl in zip(first_op.forms, first_op.flags, strict=True) if _is_name_of(f, fl, kaz, not_names)}

    for u in call.customer:
        if not _may_name(u, kaz, not_names, named_by, named_after):
            continue  # no word of it is a name: the common case, told without its tokens
        toks = u.tokens
        names = []
        prev_ops = [v for v in call.utts[max(0, u.index - 2):u.index] if call.role(v) == "operator"]
        asked = any(ask.contains(v) for v in prev_ops)
        someone_else = False
        for i, t in enumerate(toks):
            if not _is_name(t, kaz, not_names) and not _named_kk(toks, i, named_by) \
                    and not _named_after(toks, i, named_after):
                someone_else = False
                continue
            if someone_else:
                continue  # the rest of another person's full name
            if t.form in own and not {x.form for x in toks[max(0, i - 2):i]} & intro:
                continue  # the operator's own name («Айгуль, здравствуйте»), unless the caller has it too
            called = {x.form for x in toks[max(0, i - 2):i]} & named_after   # «…, меня зовут Марина»
            company = not called and (any(x.form in org_words or x.lemma in org_words for x in toks[max(0, i - 3):i])
                                      or _quoted(u.text, t.form))
            if company or any(x.form in not_self for x in toks[max(0, i - 2):i]):
                # «ТОО Нур Маркет», «из организации, это Айгерим Строй» is a company (its word in any case form),
                # «её зовут Роза Ахметовна» someone else
                someone_else = True
                continue
            before = {x.form for x in toks[max(0, i - 2):i]}
            after = {x.form for x in toks[i + 1:i + 4]}
            full = sum(1 for x in toks[max(0, i - 2):i + 3] if _is_name(x, kaz, not_names)) >= 2
            if t.flags & T.UNKNOWN and t.form not in kaz:
                # a word only guessed a name (the ASR's «Из драфствовмете меня зовут…») names the caller
                # only right after «меня зовут», «я», «это»
                if before & intro:
                    names.append(t)
            elif asked or before & intro or after & intro_after or (full and u is call.customer[0]):
                names.append(t)
        if not names:
            continue
        given = [t for t in names if not t.flags & T.SURN] or names
        later = call.after(u, "operator")
        if not later:
            return []
        for v in later:
            if any(_same_name(t, g) for t in v.tokens for g in given):
                return []
        i = toks.index(names[0])
        return [finding(rule, u, i, i, evidence=u.evidence(i, i))]
    return []


_OPEN_QUOTE = "«\"“„'"


def _quoted(text: str, form: str) -> bool:
    """Whether the word ``form`` (lowercased, «ё» as «е») opens a quotation in ``text``: «такси «Жолдас»», «ТОО
    "Нур Маркет"» — the name of a firm, a shop or a brand, not of the person speaking."""
    low = T.normal(text)
    at = low.find(form)
    while at >= 0:
        before = low[:at].rstrip()
        if before and before[-1] in _OPEN_QUOTE:
            return True
        at = low.find(form, at + 1)
    return False


def _named_kk(toks: list[T.Token], i: int, named_by: frozenset[str]) -> bool:
    """A Kazakh word right after «атым», «есімім» (my name is), or before «деген атым» («Асқар деген атым»,
    Asqar is my name — then the word after «атым» begins the next clause): a name, whether the list of names has
    it or not."""
    t = toks[i]
    if not named_by or not t.flags & T.KAZAKH or len(t.form) < 3:
        return False
    if i + 2 < len(toks) and toks[i + 1].form == "деген" and toks[i + 2].form in named_by and not t.punct:
        return True
    return i > 0 and toks[i - 1].form in named_by and not toks[i - 1].punct \
        and not (i > 1 and toks[i - 2].form == "деген")


def _named_after(toks: list[T.Token], i: int, named_after: frozenset[str]) -> bool:
    """A word the dictionary does not know right after «зовут» («меня зовут Валырган»): the name as the
    recogniser bent it, whatever part of speech the dictionary would guess for it."""
    t = toks[i]
    return bool(named_after) and i > 0 and bool(t.flags & T.UNKNOWN) and not t.flags & T.NUMBER \
        and len(t.form) >= 3 and toks[i - 1].form in named_after and not toks[i - 1].punct


_NAMED = T.NAME | T.PATR | T.SURN


def _is_name(t: T.Token, kaz: frozenset[str], not_names: frozenset[str]) -> bool:
    return _is_name_of(t.form, t.flags, kaz, not_names)


def _is_name_of(form: str, flags: int, kaz: frozenset[str], not_names: frozenset[str]) -> bool:
    """A name by the dictionary's tag or the list of Kazakh names, in either spelling («Нұрлан» is the list's
    «Нурлан»)."""
    if form in not_names or len(form) < 3:
        return False
    return bool(flags & (T.NAME | T.PATR | T.SURN)) or form in kaz or (
        bool(flags & T.KAZAKH) and form.translate(RUSSIAN_SPELLING) in kaz)


def _may_name(u: T.Utt, kaz: frozenset[str], not_names: frozenset[str], named_by: frozenset[str],
              named_after: frozenset[str]) -> bool:
    """Whether a word of ``u`` is a name (``_is_name``) or named as one (``_named_kk``, ``_named_after``)."""
    forms, flags, puncts, keys = u.forms, u.flags, u.puncts, u.keys
    # each test needs a word it names (a name's flag, a Kazakh name, «атым», «зовут»): asked of the whole
    # utterance in C first, word by word only where one is said
    if (not kaz.isdisjoint(keys) or any(map(_NAMED.__and__, flags))) \
            and any(_is_name_of(f, fl, kaz, not_names) for f, fl in zip(forms, flags, strict=False)):
        return True
    if named_by and not named_by.isdisjoint(keys) \
            and any(flags[i] & T.KAZAKH and len(forms[i]) >= 3 and forms[i - 1] in named_by and not puncts[i - 1]
                    for i in range(1, len(forms))):
        return True
    return bool(named_after) and not named_after.isdisjoint(keys) \
        and any(flags[i] & T.UNKNOWN and not flags[i] & T.NUMBER and len(forms[i]) >= 3
                and forms[i - 1] in named_after and not puncts[i - 1] for i in range(1, len(forms)))


@register("escalation")
def escalation(call: Call, rule) -> list:
    """A customer who stays dissatisfied is offered the head of department or a written request: in an answer
    after the first complaint, or in the operator's words the complaint answers (the offer taken up)."""
    unhappy = rule.lexicon("dissatisfied", by_lemma=False)
    customer = call.customer
    if call.topic in rule.params.get("opening_not_counted_in", ()):
        # «лифт не работает, кому жаловаться?» asks where to go; it is not about our answer. The caller's
        # opening is the turn before the operator first answers («Добрый день, это Арман.» «…кому жаловаться?»)
        start = customer[0].index if customer else 0
        answered = next((v.index for v in call.utts[start:] if call.role(v) == "operator"), len(call.utts))
        customer = [u for u in customer if u.index > answered]
    # in Kazakh speech also the constructions (rules.clauses): «маған бұл жауап ұнамады», «риза емеспін»
    any_said = not unhappy.absent(call)
    said = [(u, ([(m.first, m.last) for m in unhappy.find(u)] if any_said else [])
             + kazakh_spans(rule, "kk_dissatisfied", u)) for u in customer]
    complaints = [(u, min(spans)) for u, spans in said if spans]
    if not complaints:
        return []
    resolved = rule.lexicon("resolved", by_lemma=True)
    last = complaints[-1][0]
    if any(resolved.contains(v) for v in call.after(last, "customer")):
        return []
    offer = rule.lexicon("offer", by_lemma=True)
    refusal = rule.lexicon("refusal", by_lemma=True)
    first, (a, b) = complaints[0]
    answers = call.after(first, "operator")
    # an offer the complaint answers counts too («…или я соединю вас с начальником» — «Соедините с начальником»),
    # by its words only: heard by sound, «в следующей квитанции» would pass for «канцелярия» before any complaint
    before = next((v for v in reversed(call.utts[:first.index]) if call.role(v) == "operator"), None)
    worded = answers if before is None else [before, *answers]
    # any answer will do: an offer by its words or constructions in all of them first, by sound (costly) after
    if any((offer.contains(v) and not refusal.contains(v)) or kazakh_spans(rule, "kk_offer", v) for v in worded) \
            or any(_offer_by_sound(rule, v) and not refusal.contains(v) for v in answers):
        return []
    return [finding(rule, first, a, b)]


def _offer_by_sound(rule, u) -> bool:
    """An offer the recogniser bent («к начальнику Банинского отдела», «через конселярии»): one of the
    ``offer`` phrases (of six sounds or more) heard by sound (``rules.phonetics``, ``sound_distance``)."""
    limit = float(rule.params.get("sound_distance", 0))
    if limit <= 0 or not u.forms or u.language == "kk":
        return False
    keys = rule.cache.get("offer_sound_keys")
    if keys is None:
        keys = rule.cache["offer_sound_keys"] = phrase_keys(_phrases(rule.params.get("offer", [])))
    return u.heard().like(keys, limit, min_key=6)


@register("third_party")
def third_party(call: Call, rule) -> list:
    """The customer asks about someone else's account and the operator's answer gives it."""
    persons = rule.lexicon("persons", by_lemma=True)
    data = rule.lexicon("data", by_lemma=True)
    asks = rule.words("asks")
    refusal = rule.lexicon("refusal", by_lemma=True)
    disclosed = rule.lexicon("disclosed", by_lemma=True)
    own = rule.words("numbers_disclose_unless")
    if persons.absent(call):
        return []
    for u in call.customer:
        if all(_called(u, m.first, m.last) for m in persons.find(u)):  # no person named, or only the operator called
            continue
        asked_for = {m.entry.phrase for m in data.find(u)}
        if not asked_for:
            continue
        numbers_tell = bool(asked_for - own)
        if "?" not in u.text and not any(t.form in asks or t.lemma in asks for t in u.tokens):
            continue
        answer = []
        for v in call.utts[u.index + 1:]:
            if call.role(v) == "operator":
                answer.append(v)
                if len(answer) >= 2:
                    break
            elif call.role(v) == "customer" and len(v.forms) > 3 and not (answer and _asks_back(answer[-1])):
                break   # the caller moved on — not when answering the operator's question («номер дома повторите»)
        if any(refusal.contains(v) for v in answer):
            continue
        for v in answer:
            # the names and numbers the caller said before this answer (their own, given when asked, read back to
            # them, tell them nothing new)
            before = [c for c in call.customer if c.index < v.index]
            heard = {lemma for c in before for lemma in c.lemmas}
            their = {run_digits(run) for c in before for run in pieces(c.forms)}
            # the operator asking for a datum tells nothing: «подскажите номер лицевого счёта, я посмотрю»; nor does
            # one that tells the caller of themselves: «счёт оформлен на вас»
            m = [x for x in disclosed.find(v) if not any(t.form in asks or t.lemma in asks for t in v.tokens[:x.first])
                 and not (x.last + 1 < len(v.tokens) and v.tokens[x.last + 1].form in _SECOND_PERSON)]
            if m:
                return [finding(rule, v, m[0].first, m[0].last)]
            new = [run for run in pieces(v.forms) if run_digits(run) not in their]
            if new and numbers_tell:
                return [finding(rule, v, new[0][0].first, new[0][0].first)]
            # a person's name the caller did not say: «там зарегистрирован Петров»
            named = [i for i, t in enumerate(v.tokens) if t.flags & (T.SURN | T.NAME) and t.lemma not in heard]
            if named:
                return [finding(rule, v, named[0], named[0])]
    return []


def _asks_back(v) -> bool:
    """Whether the operator's utterance asks the caller something: a question mark or a verb to «you» («Номер дома
    ещё раз повторите»)."""
    return "?" in v.text or any(fl & (T.VERB_IMPR | T.SECOND) for fl in v.flags)


_SECOND_PERSON = frozenset({"вы", "вас", "вам", "вами", "ты", "тебя", "тебе", "тобой"})
_THIRD_PERSON = frozenset({"он", "она", "они", "его", "ее", "их", "него", "нее", "них", "ему", "ей", "им", "ним",
                           "ней"})


def _called(u, i: int, j: int) -> bool:
    """Tokens i..j of the customer's u are the operator called by them, not a person spoken of: «Алло, дочка,
    здравствуй», «Спасибо, сынок!» — set off by marks on both sides (the utterance's start counts as one), with
    no «он», «её» after them in the utterance (then the word opens a sentence about that person: «Сосед, сколько
    он должен?»)."""
    toks = u.tokens
    opened = i == 0 or toks[i - 1].punct != ""
    closed = toks[j].punct in (",", "!") or j + 1 == len(toks)
    return opened and closed and _THIRD_PERSON.isdisjoint(t.form for t in toks[j + 1:])


def _term_lexicon(rule):
    """All abbreviations' spoken forms in one lexicon, which abbreviation each stands for, and the glosses."""
    got = rule.cache.get("terms")
    if got is None:
        spoken = rule.params.get("spoken", {})
        gloss = rule.params.get("gloss", {})
        items, of = [], {}
        for abbr in rule.params.get("terms", {}):
            for form in spoken.get(abbr, [abbr.lower()]):
                items.append(form)
                of[str(form)] = abbr
        near = {abbr: frozenset(T.normal(w) for w in gloss.get(abbr, ())) for abbr in rule.params.get("terms", {})}
        got = rule.cache["terms"] = (rule.lexicon_of("spoken", items, by_lemma=False), of, near)
    return got


@register("terms")
def terms(call: Call, rule) -> list:
    """An abbreviation the operator uses is explained by the operator somewhere in the call."""
    used, abbr_of, near = _term_lexicon(rule)
    if used.absent(call):
        return []
    window = int(rule.params.get("gloss_window", 8))
    first_use: dict[str, tuple] = {}
    explained: set[str] = set()
    for u in call.operator:
        for m in used.find(u):
            abbr = abbr_of[m.entry.phrase]
            if any(t.lemma in near[abbr] for t in u.tokens[m.last + 1:m.last + 1 + window]):
                explained.add(abbr)  # «ИПУ, то есть счётчик»
            elif abbr not in first_use:
                first_use[abbr] = (u, m)
    out = []
    for abbr, (u, m) in first_use.items():
        if abbr in explained:
            continue
        expl = rule.lexicon_of(f"terms.{abbr}", rule.params["terms"][abbr], by_lemma=True)
        if any(expl.contains(v) for v in call.operator):
            continue
        out.append(finding(rule, u, m.first, m.last))
    return out
