"""What the operator says, utterance by utterance: forms of address, «ты», fillers, jargon, rudeness."""
from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from rules import kazakh
from rules import text as T
from rules.call import Call, finding
from rules.clauses import kazakh_spans
from rules.names import kazakh_names
from rules.phonetics import phrase_keys
from rules.registry import register

_CLOSING_PUNCT = ",.!?…;:—–-"


@register("phrases")
def phrases(call: Call, rule) -> list:
    """Each phrase of the rule's lexicon said by the operator (context exceptions apply), and in Kazakh speech
    each clause that matches the rule's constructions (``kk_clauses``, rules.clauses)."""
    lex = rule.lexicon()
    if lex.absent(call):  # told once per call: none of its words said
        lex = None
    out = []
    for u in call.operator:
        said = set()
        spans = [(m.first, m.last) for m in lex.find(u)] if lex is not None else []
        if u.language == "kk":
            # a phrase the next word negates says the opposite: «маған бәрібір емес» is «мне не всё равно»
            spans = [(a, b) for a, b in spans if not _negated_after(u, b)] + kazakh_spans(rule, "kk_clauses", u)
        if not spans and u.unknown_at:
            spans = _sound_spans(rule, u)
        for first, last in sorted(spans):
            f = finding(rule, u, first, last)
            if f.evidence not in said:  # two phrases of one sentence are one occurrence
                said.add(f.evidence)
                out.append(f)
    return out


def _negated_after(u, last: int) -> bool:
    """The word after token ``last`` of a Kazakh utterance, in the same clause, negates it («емес», «жоқ», a
    negative auxiliary): ``rules.kazakh.negates_previous``."""
    return last + 1 < len(u.forms) and not u.puncts[last] and kazakh.negates_previous(u.forms[last + 1])


def _sound_spans(rule, u) -> list[tuple[int, int]]:
    """The long phrases of the rule's lexicon (``sound_min_key`` sounds or more, without context exceptions)
    heard by sound in an utterance with a word the dictionary does not know: «колька можно повторять» is
    «сколько можно повторять» bent (``rules.phonetics``).  A run of whole words must be within
    ``sound_distance`` of the phrase's sounds (a finding, unlike an absence, is never searched inside
    longer words).  Each as the span of words closest to it.
    The finding's confidence is its words' (``rules.confidence``): bent words heard unsurely go to «Требует
    проверки», not to the record."""
    limit = float(rule.params.get("sound_distance", 0))
    if limit <= 0 or u.language == "kk" or not u.forms:
        return []
    keys = rule.cache.get("phrase_sound_keys")
    if keys is None:
        n = int(rule.params.get("sound_min_key", 12))
        plain = [e for e in rule.params.get("lexicon", []) if isinstance(e, str)]
        keys = rule.cache["phrase_sound_keys"] = tuple(k for k in phrase_keys(plain) if len(k) >= n)
    heard = u.heard()
    if not keys or not heard.like(keys, limit, min_key=1):
        return []
    out = []
    for pk in keys:
        if heard.like((pk,), limit, min_key=1):
            edits, span = _closest(heard.keys, pk)
            if edits <= limit * len(pk):  # the whole run, not a stretch in it
                out.append(span)
    return out


def _closest(keys: list[str], pk: str) -> tuple[int, tuple[int, int]]:
    """The run of words whose joined sound key is nearest ``pk``: (its edit distance, (first, last word))."""
    best, span = len(pk), (0, len(keys) - 1)
    reach = len(pk) + len(pk) // 2
    for i in range(len(keys)):
        run = ""
        for j in range(i, len(keys)):
            run += keys[j]
            if len(run) > reach:
                break
            d = Levenshtein.distance(pk, run)
            if d < best:
                best, span = d, (i, j)
    return best, span


@register("vocative_address")
def vocative_address(call: Call, rule) -> list:
    """A form of address used as a vocative, not a mention.

    Vocative: it opens a sentence and is closed by punctuation or followed by a
    request («Девушка, подождите», «мужчина вы меня слышите»); or it closes a
    clause after a comma, an imperative or a particle («подождите, девушка»,
    «ну девушка»).  «мастер, молодой человек из ПЭУ» is a mention: the phrase
    runs on into the sentence.
    """
    lex = rule.lexicon()
    if lex.absent(call):
        return []
    followers = rule.words("followers")
    leaders = rule.words("leaders")
    not_before = rule.words("not_before")
    names = kazakh_names(rule)
    adjectives = rule.words("adjectives")
    you = tuple(rule.words("kk_you_endings"))
    out = []
    for u in call.operator:
        found = lex.find(u)
        if not found:
            continue
        toks = u.tokens
        n = len(toks)
        for m in found:
            i, j = m.first, m.last
            prev = toks[i - 1] if i > 0 else None
            nxt = toks[j + 1] if j + 1 < n else None
            if nxt is not None and (nxt.form in not_before or nxt.form in names
                                    or nxt.flags & (T.NAME | T.PATR | T.SURN)):
                continue
            closed = nxt is None or toks[j].punct != ""
            if not closed and i == j and toks[i].form in adjectives and nxt.flags & T.NOUN:
                continue  # «дорогой тариф»: an adjective before its noun
            opens = prev is None or T.ends_sentence(prev.punct)
            called = prev is not None and (prev.form in leaders or bool(prev.flags & T.VERB_IMPR))
            if opens:
                # …or the clause it opens asks «you» to do something: «молодой человек номер договора скажите»,
                # «әпке бір минут күтіңіз» (no mark after it in the recogniser's text)
                ok = closed or nxt.form in followers or bool(nxt.flags & T.VERB_IMPR) or \
                    (not nxt.flags & T.PREP and _addressed(toks, j + 1, you))
            elif called and not prev.punct:
                # «подождите девушка система грузится»: after a request, unless a mention runs on («из ПЭУ»)
                ok = closed or not nxt.flags & T.PREP
            else:
                ok = closed and (prev.punct == "," or called)
            if ok:
                out.append(finding(rule, u, i, j))
    return out


def _addressed(toks, k: int, endings: tuple[str, ...], window: int = 5) -> bool:
    """A polite 2nd-person verb («күтіңіз», «білесіз»; of a Russian word, an imperative or a 2nd person:
    «скажите», «подождёте») in the same clause, within ``window`` words from ``k``.

    In Kazakh a bare noun that opens a sentence whose verb speaks to «you» is the one
    spoken to («әпке бір минут күтіңіз»); as a subject it would take the 3rd person
    («апай ертең келеді»), and a «you» in the next clause is someone else's verb («жігіт ертең келеді, сіз үйде
    боласыз ба?»).  The pronoun «сіз» itself is no verb: a verb has a stem before its ending.
    """
    for t in toks[k:k + window]:
        if t is not toks[k] and kazakh.opens_clause(t.form):
            break
        if t.flags & T.KAZAKH:
            if endings and any(t.form.endswith(e) and len(t.form) >= len(e) + 2 for e in endings):
                return True
        elif t.flags & (T.VERB_IMPR | T.SECOND):   # «скажите», «назовёте»
            return True
        if t.punct:   # a comma ends the clause too
            break
    return False


@register("second_person")
def second_person(call: Call, rule) -> list:
    """«ты» and its forms, and verbs in the 2nd person singular or singular imperative
    (not in impersonal idioms such as «ничего не поделаешь», not words unknown to the dictionary).
    A misheard word that happens to be such a form carries the recogniser's low probability and goes to
    ``uncertain`` (``rules.confidence``), not to the operator's record."""
    pronouns = rule.words("pronouns")
    exceptions = rule.words("exceptions")
    idioms = rule.lexicon("idioms", by_lemma=False)
    imperatives = rule.lexicon("imperatives", by_lemma=False)
    informal = _informal_kk(rule)
    out = []
    mask = T.IMPR_SG | T.SECOND_SG
    any_idiom = not idioms.absent(call)
    any_imperative = bool(imperatives.entries) and not imperatives.absent(call)
    marked = mask | T.KAZAKH
    for u in call.operator:
        hits = {m.first: m.last for m in imperatives.find(u)} if any_imperative else {}
        if not hits and pronouns.isdisjoint(u.keys) and not any(map(marked.__and__, u.flags)):
            continue  # no «ты», no 2nd-person verb, no Kazakh word: nothing to find (the common case, told in C)
        spared = {k for m in idioms.find(u) for k in range(m.first, m.last + 1)} if any_idiom else ()
        for i, (form, flags) in enumerate(zip(u.forms, u.flags, strict=False)):
            if i in spared:
                continue
            if i in hits:  # Kazakh: «күт», «айтшы» — an imperative without the polite -ыңыз/-іңіз
                if not _izafet(u, hits[i]):   # «Төле би көшесі», «Құрбан айт күндері»: a name, not a verb
                    out.append(finding(rule, u, i, hits[i]))
            elif flags & T.KAZAKH:
                if form in pronouns or informal(form):
                    out.append(finding(rule, u, i, i))
            # a word the dictionary does not know («Чипи», the ASR's «счётчик») is only guessed a verb
            elif form in pronouns or (flags & mask and not flags & T.UNKNOWN and form not in exceptions):
                out.append(finding(rule, u, i, i))
    return out


# the 3rd-person possessive of the second noun of a Kazakh compound (izafet: «Төле би көшесі», «айт күндері»),
# bare or with a case that keeps the compound a noun phrase (locative, ablative, dative, genitive)
_IZAFET = tuple(p + c for p in ("ы", "і", "сы", "сі", "лары", "лері", "дары", "дері", "тары", "тері")
                for c in ("", "нда", "нде", "нан", "нен", "на", "не", "ның", "нің"))
_IZAFET_MIN = 5   # letters of the possessed noun: short words ending so are adverbs and pronouns («енді», «әрі»)


def _izafet(u, last: int, reach: int = 2) -> bool:
    """Token ``last`` is part of the first noun of a compound: one of the next ``reach`` words of its clause is a
    noun in the 3rd-person possessive («Құрбан айт күндері», «Төле би көшесі»: a two-word name).  A word of the
    imperatives' list so placed is a name or a noun («төле», «айт»), not a bare imperative spoken to «ты»."""
    for k in range(last, min(last + reach, len(u.forms) - 1)):
        if u.puncts[k]:
            return False
        nxt = u.forms[k + 1]
        if len(nxt) >= _IZAFET_MIN and nxt.endswith(_IZAFET):
            return True
    return False


def _informal_kk(rule):
    """A Kazakh verb in the 2nd person singular («білесің», «түсінесің»): one of ``informal_endings``
    on a word of at least ``informal_min`` letters, not one of ``informal_exceptions``."""
    endings = tuple(rule.words("informal_endings"))
    least = int(rule.params.get("informal_min", 6))
    spared = rule.words("informal_exceptions")
    return lambda form: bool(endings) and len(form) >= least and form.endswith(endings) and form not in spared
