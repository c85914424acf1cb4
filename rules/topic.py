"""The topic of a call (docs/CONTRACT.md section 3; clauses 20–23, Appendix 1).

Each topic has cue phrases in the rulebook.  A cue counts ``first_weight`` in
the customer's first utterance that has any cue (where callers say why they
call), 1 in the customer's other ones and ``operator_weight`` in the operator's.  The
request cues decide ``request.*`` (legal when its cues outweigh the household
ones); otherwise the best of readings, billing and out-of-scope, with
readings at ``readings_without_value`` of its weight when no value was
dictated; otherwise ``other``.  A topic the customer never spoke of (only the
operator's words carry its cues) is not the call's topic.

ASR text garbles endings and prefixes («показаний о», «опламбировать», «на
числение»), so the rulebook also lists ``stems``: a word that begins with one
and matched no cue phrase counts for the stem's topic (once per topic and
utterance), ``weak_stems`` at a lower weight.  A customer's utterance with neither
a cue nor a stem, but with a word the dictionary does not know, is searched
by sound (``rules.phonetics``) for the long cue phrases (``sound_min_key``
sounds or more, within ``sound_distance``): «опландироваться» is
«опломбировать» bent past its stem.

A request the customer speaks of as one made before — its status, a master who
never came (the ``follow_up`` cues: «моя заявка», «подавала заявку» with the verb
in the past tense, «никто не пришёл») — is not a request to register (the request
and readings words of an utterance with a follow-up cue describe the old request: «у меня была
заявка на снятие пломбы, никто не пришёл», «оставлял заявку и продиктовал не тот телефон»): when the
customer's follow-up cues weigh as much as their request cues (in all their words
or in why they call), or the customer declines one (``declined``: «заявка не
нужна», «өтінім керек емес»; or ``refusal`` — «Нет, спасибо» — answering the operator's
``offer`` to register one), the call is not ``request.*`` (nor is it by the
operator's handling below, which looking a request up shares with registering
one), so no request is due from it and ``request.data_missing`` has nothing to
judge.  Nor is one due from a customer who will call back («сантехника найду и перезвоню»,
``deferred``; unless the operator says a request was registered), and the request words
of a customer's utterance about another utility's meter (``other_utility``: «счётчик холодной
воды опломбировать») ask that utility, not us.

A call can cover more than one topic (a customer asks for a sealing and
dictates a reading on the way): ``classify`` returns every topic the call
covers, the main one first.  Besides the main topic, a topic is covered when
the customer's own words carry its cues and it reaches ``min_score`` — and
``readings`` only when a value was dictated too (a call that needs a reading
entered has one to enter); ``out_of_scope`` and ``other`` are never added
beside another topic.

When the customer's words carry no topic — on a bad line the recogniser
loses the caller's words first — the operator's *handling* of the call
may still tell it: the steps Appendix 1 prescribes for each topic (a request:
the reason and the master's visit, a contact number, the request registered;
a legal entity's: the contract number, the object, the meter's data; readings:
the value asked for and accepted; billing: how the charge was made; out of
scope: where else to turn).  The rulebook's ``handling`` phrases are matched
by lemma and, bent by the recogniser, by sound (``rules.phonetics``), in the
utterances the transcript does not give to the customer.  A topic is decided
this way only when ``handling_min`` of those utterances speak for it and
it has ``handling_margin`` times the handling of any other; otherwise the
call stays ``other`` (the product abstains rather than guesses).  A request so
found is a legal entity's when the legal steps and cues outweigh the
household's (the account number, the flat).
"""
from __future__ import annotations

from itertools import pairwise

from rules import text as T
from rules.lexicon import RulebookError, tagmask
from rules.phonetics import Heard, phrase_keys
from rules.phonetics import key as sound_key

MEMO_WORDS = 300_000  # distinct words whose stems are kept (as many as the analyser's cache)
# the cues an utterance that speaks of a request made before spends on that request: «подавала заявку на
# распломбировку», «оставлял заявку и продиктовал не тот телефон» ask for no request and dictate no reading now
OLD_REQUEST_WORDS = frozenset({"request", "readings"})
# the cues an utterance about another utility's service (``other_utility``: «счётчик холодной воды») spends on it
NOT_OURS_WORDS = frozenset({"request"})
GROUPS = ("request", "legal", "individual", "readings", "billing", "out_of_scope", "follow_up", "declined", "deferred")


def _cue_key(phrase: str, if_tag: int) -> tuple[str, int]:
    """A cue as the lexicon tells it apart: its phrase and the tags its words must have («вызвать мастер» asks
    for a master in «request»; with a verb in the past tense, in «follow_up», it speaks of one asked for)."""
    return phrase, if_tag


def _lexicon(rulebook):
    """All topics' cues in one lexicon, and which topics each cue speaks for (by ``_cue_key``)."""
    got = rulebook.cache.get("topics")
    if got is None:
        cfg = rulebook.topics
        cues = cfg.get("cues", {})
        groups: dict[tuple[str, int], set[str]] = {}
        items = []
        for g in GROUPS:
            for item in cues.get(g, []):
                if isinstance(item, dict):
                    (phrase, opts), = item.items()
                    key = _cue_key(str(phrase), tagmask((opts or {}).get("if_tag"), f"{rulebook.path}: topics"))
                else:
                    key = _cue_key(str(item), 0)
                if key not in groups:
                    items.append(item)
                groups.setdefault(key, set()).add(g)
        lex = rulebook.lexicon("topics", items, cfg.get("match", "lemma") == "lemma")
        stems = []
        for key, weight in (("stems", cfg.get("stem_weight", 1.0)), ("weak_stems", cfg.get("weak_stem_weight", 0.5))):
            for g, items in (cfg.get(key) or {}).items():
                if g not in GROUPS:
                    raise RulebookError(f"{rulebook.path}: topics: {key}: unknown topic group {g!r}")
                stems.extend((sound_key(str(st)), g, float(weight)) for st in items or ())
        stems.sort(key=lambda s: -s[2])  # a strong stem before a weak one of the same group
        got = rulebook.cache["topics"] = (lex, {p: tuple(gs) for p, gs in groups.items()}, tuple(stems))
    return got


def _stem_cues(u, stems, taken: set[int], starts: tuple[str, ...] | None = None,
               memo: dict[str, tuple] | None = None) -> dict[str, float]:
    """Topic groups the words outside any cue phrase speak for by their stems, with the stem's weight.

    Stems are compared by sound (``rules.phonetics.key``): «опламбировать» and «заевку», as a recogniser
    writes them, begin like «опломб» and «заявк».  ``memo``: word → the (group, weight) of each stem it begins
    with, in the stems' order, kept with the stems it was made for: each distinct word is compared once."""
    got: dict[str, float] = {}
    if starts is None:
        starts = tuple({stem for stem, _, _ in stems})
    if memo is None:
        memo = {}
    forms, flags = u.forms, u.flags
    said = list(map(memo.get, forms))  # each word's stems, looked up in C; None: a word not seen yet
    if None in said:
        for i, form in enumerate(forms):
            if said[i] is None:
                hits = memo.get(form)
                if hits is None:
                    sk = sound_key(form)
                    # no stem at all: the common case, decided in one call
                    hits = memo[form] = tuple((g, w) for stem, g, w in stems if sk.startswith(stem)) \
                        if sk.startswith(starts) else ()
                said[i] = hits
    if not any(said):  # no word begins with a stem: the common case
        return got
    for i, hits in enumerate(said):
        if not hits or i in taken or flags[i] & T.NUMBER:
            continue
        for g, w in hits:
            if g not in got:
                got[g] = w
    return got


def _sound_cues(u, rulebook) -> dict[str, float]:
    """Topic groups whose long cue phrases (``sound_min_key`` sounds or more) are heard by sound around a word
    the dictionary does not know, of ``sound_min_bent`` letters or more («опландироваться» for «опломбировать»),
    with ``sound_weight``."""
    cfg = rulebook.topics
    limit = float(cfg.get("sound_distance", 0))
    if limit <= 0 or u.language == "kk" or u.unknown_max < int(cfg.get("sound_min_bent", 0)):
        return {}   # a short bent word («щетчик») leaves the known words around it to make the phrase
    by_group = rulebook.cache.get("topic_sound_keys")
    if by_group is None:
        n = int(cfg.get("sound_min_key", 10))
        cues = cfg.get("cues", {})
        by_group = {g: tuple(k for k in phrase_keys(_untagged(cues.get(g, ()))) if len(k) >= n) for g in GROUPS}
        by_group = rulebook.cache["topic_sound_keys"] = {g: ks for g, ks in by_group.items() if ks}
    w = float(cfg.get("sound_weight", 1.0))
    heard = _heard_by_lemma(u)
    return {g: w for g, ks in by_group.items() if heard.like(ks, limit, min_key=1)}


def _untagged(cues) -> list[str]:
    """The phrases of a cue list («phrase» or {phrase: options}) that ask for no tag: a cue that needs one
    («опломбировать» in the past tense) cannot be told on a bent word, so it gives no sound key."""
    out = []
    for c in cues:
        phrase, opts = next(iter(c.items())) if isinstance(c, dict) else (c, None)
        if not (opts or {}).get("if_tag"):
            out.append(phrase)
    return out


def _heard_by_lemma(u) -> Heard:
    """The words of u made ready to compare by sound with phrases written in dictionary form: a word the
    dictionary knows by its lemma («телефоне» is «телефон»), a word it does not know (a bent one) as written."""
    return Heard([f if fl & T.UNKNOWN else lemma for f, lemma, fl in zip(u.forms, u.lemmas, u.flags, strict=False)],
                 T.is_known)


def _customer_dictated(call, readings) -> bool:
    """Whether one of the values was said in an utterance not given to the operator (a value without a time,
    from a transcript without timings, counts as dictated)."""
    for r in readings:
        if r.start is None:
            return True
        for u in call.utts:
            if u.start - 0.05 <= r.start <= u.end + 0.05 and call.role(u) != "operator":
                return True
    return False


def classify(call, rulebook, readings) -> list[str]:
    """Every topic the call covers, the main one first (docs/CONTRACT.md section 3, ``topics``)."""
    cfg = rulebook.topics
    lex, groups_of, stems = _lexicon(rulebook)
    starts = rulebook.cache.get("topic_stem_starts")
    if starts is None:  # every stem, for one ``str.startswith`` per word
        starts = rulebook.cache["topic_stem_starts"] = tuple({stem for stem, _, _ in stems})
    memo = rulebook.cache.setdefault("topic_stem_memo", {})
    if len(memo) > MEMO_WORDS:
        memo.clear()
    first_w = float(cfg.get("first_weight", 3))
    op_w = float(cfg.get("operator_weight", 0.5))
    score = dict.fromkeys(GROUPS, 0.0)
    said = dict.fromkeys(GROUPS, 0)  # cues in the customer's own words
    own = dict.fromkeys(GROUPS, 0.0)  # their weight
    purpose = dict.fromkeys(GROUPS, 0.0)  # …in the customer's first utterance with a cue (why they call)
    purpose_said = False
    any_cue = not lex.absent(call)
    roles = call.roles
    for u in call.utts:
        matches = lex.find(u) if any_cue else []
        taken = {k for m in matches for k in range(m.first, m.last + 1)} if matches else set()
        by_stem = _stem_cues(u, stems, taken, starts, memo) if stems else {}
        role = roles[u.index]
        if not matches and not by_stem and u.unknown_at and role != "operator":
            by_stem = _sound_cues(u, rulebook)  # the customer's words, bent: heard by sound
        if not matches and not by_stem:
            continue
        opening = False
        if role == "operator":
            w = op_w
        elif role == "customer" and not purpose_said:
            purpose_said = opening = True
            w = first_w
        else:
            w = 1.0
        # the request a customer's follow-up speaks of is an old one: «у меня была заявка на снятие пломбы, никто
        # не пришёл» — its request words describe that request, they ask for no new one
        cue_groups = [groups_of[_cue_key(m.entry.phrase, m.entry.if_tag)] for m in matches]
        old_request = role != "operator" and any("follow_up" in gs for gs in cue_groups)
        # …and so does one about another utility's meter: «счётчик холодной воды опломбировать», «газ
        # есептегішіне пломба салу» ask «Алматы Су» or the gas company for a request, not us
        not_ours = role != "operator" and any("out_of_scope" in gs for gs in cue_groups) and \
            _other_utility(rulebook).contains(u)   # not «сантехники из КСК сорвали пломбу»: ours to restore
        spent = OLD_REQUEST_WORDS if old_request else NOT_OURS_WORDS if not_ours else frozenset()
        if role == "operator":  # the operator's «заявка зарегистрирована» names the request registered now
            cue_groups = [{"request" if g == "follow_up" else g for g in gs} for gs in cue_groups]
        for gs in cue_groups:
            for g in gs:
                if g in spent:
                    continue
                score[g] += w
                if role != "operator":
                    said[g] += 1
                    own[g] += w
                    if opening:
                        purpose[g] += w
        for g, sw in by_stem.items():
            if g in spent:
                continue
            score[g] += w * sw
            if role != "operator":
                said[g] += 1
                own[g] += w * sw
                if opening:
                    purpose[g] += w * sw
    if readings:  # values dictated: the caller's own words speak of readings, whatever they called it
        if _customer_dictated(call, readings):
            score["readings"] += 1.0
            said["readings"] += 1
        else:  # a number only the operator said (read back, or a bent word taken for one) is the operator's cue
            score["readings"] += op_w
    floor = float(cfg.get("min_score", 1.0))
    if not readings:  # «хочу передать показания», but no value was made out
        score["readings"] *= float(cfg.get("readings_without_value", 0.0))
    best = max(("readings", "billing", "out_of_scope"), key=lambda g: score[g])
    request = "request.legal" if score["legal"] > score["individual"] else "request.individual"
    # a request the customer speaks of as one made before («когда придёт мастер по моей заявке», «подавала заявку,
    # никто не пришёл»): no request is registered in this call, and the call does not need one.  The customer's
    # words decide (the operator's «я оформила заявку» ends a new request too): all of them, or why they call
    # (later they give the old request's number, «заявка 58045»)
    earlier = bool(said["follow_up"]) and (own["follow_up"] >= own["request"]
                                            or purpose["request"] <= purpose["follow_up"] > 0)
    earlier = earlier or bool(said["declined"])  # «заявка не нужна», «өтінім керек емес»: none to register
    earlier = earlier or offer_declined(call, rulebook)  # «Могу оформить заявку.» — «Нет, спасибо…»
    # «сначала сантехника найду и перезвоню»: the customer will call back; «позвоните, и мы оформим заявку»: the
    # operator puts the registration off to that call; «давайте я найду заявку», «назовите номер заявки»: the
    # operator looks up a request made before — unless the operator registered one in this call
    # …or answers the operator's offer with thanks and no yes («Можно оформить заявку на проверку.» — «Понятно,
    # спасибо»)
    earlier = earlier or ((bool(said["deferred"]) or registration_later(call, rulebook) or looked_up(call, rulebook)
                           or offer_declined(call, rulebook, by_thanks=True))
                          and not registered_here(call, _request_rule(rulebook)))
    covered = {  # besides the main topic: cues in the customer's own words, enough of them
        request: bool(said["request"]) and score["request"] >= floor and not earlier,
        # a value dictated alone adds one cue: «readings» needs the customer to speak of them too
        "readings": bool(readings) and said["readings"] > 1 and score["readings"] >= floor,
        "billing": bool(said["billing"]) and score["billing"] >= floor,
    }
    if covered[request] and score["request"] >= score[best]:
        main = request
    elif said[best] and score[best] >= floor:
        main = best
    elif score["out_of_scope"] > 0 and not any(said[g] for g in ("request", "readings", "billing")):
        return ["out_of_scope"]  # the operator redirected a question that is not about our services
    else:
        return [_by_handling(call, rulebook, score, request_possible=not earlier)]
    return [main, *(t for t, yes in covered.items() if yes and t != main)]


def registered_here(call, rule) -> bool:
    """Whether the operator says a request was registered in this call: a phrase of ``rule``'s ``registered``
    parameter (``request.data_missing``'s: «заявка зарегистрирована», «оформила заявку») in an operator's
    utterance.  False without the rule."""
    if rule is None:
        return False
    return _operator_says(call, rule.lexicon_of("registered", rule.params.get("registered", []), by_lemma=True))


def _operator_says(call, *lexicons) -> bool:
    """Whether one of the operator's utterances holds a phrase of every one of ``lexicons``."""
    if any(lex.absent(call) for lex in lexicons):
        return False
    return any(all(lex.contains(u) for lex in lexicons) for u in call.operator)


def registration_later(call, rulebook) -> bool:
    """Whether the operator puts the registration off to a later call: one utterance with a ``later.call_back``
    verb in the imperative and a ``later.register`` verb in the first person («Когда будете готовы, позвоните, и
    мы оформим заявку»)."""
    cfg = rulebook.topics.get("later") or {}
    return _operator_says(call, rulebook.lexicon("topic_later_call_back", cfg.get("call_back") or [], True),
                          rulebook.lexicon("topic_later_register", cfg.get("register") or [], True))


def looked_up(call, rulebook) -> bool:
    """Whether the operator looks up a request made before (``looked_up``: «давайте я найду заявку», «вижу вашу
    заявку», «назовите номер заявки»): the customer has one already."""
    return _operator_says(call, rulebook.lexicon("topic_looked_up", rulebook.topics.get("looked_up") or [], True))


def _request_rule(rulebook):
    """The rule whose ``registered`` phrases tell a registration (``request.data_missing``), or None."""
    return next((r for r in rulebook.rules if r.id == "request.data_missing"), None)


def _other_utility(rulebook):
    """The lexicon of another utility's services and meters (``other_utility``: cold water, gas, electricity)."""
    return rulebook.lexicon("topic_other_utility", rulebook.topics.get("other_utility") or [], True)


def offer_declined(call, rulebook, by_thanks: bool = False) -> bool:
    """Whether the customer answers the operator's offer to register a request with a refusal: the operator's
    utterance ends with an offer (``offer``: «Если хотите, могу сейчас оформить заявку», «Оформим заявку?», its
    words not in the past tense — «заявку оформила, ещё вопросы есть?» offers nothing) and the customer's next
    utterance begins with a ``refusal`` («Нет, спасибо, я сначала паспорт посмотрю»).

    ``by_thanks``: instead, the answer thanks (``thanks``: «Понятно, спасибо», «Ладно, спасибо») and says no yes
    (``accept``: «да», «давайте», «оформляйте»); a word that may be either («ладно», «хорошо») is no yes, so that no
    registration is counted due on a doubt — the caller only asks which, when the operator registered nothing."""
    cfg = rulebook.topics
    offer = rulebook.lexicon("topic_offer", cfg.get("offer") or [], True)
    if by_thanks:
        answer = rulebook.lexicon("topic_thanks", cfg.get("thanks") or [], True)
        accept = rulebook.lexicon("topic_accept", cfg.get("accept") or [], True)
    else:
        answer = rulebook.lexicon("topic_refusal", cfg.get("refusal") or [], False)
    if offer.absent(call) or answer.absent(call):
        return False
    roles, utts = call.roles, [u for u in call.utts if u.forms]
    for prev, u in pairwise(utts):
        if roles[prev.index] != "operator" or roles[u.index] != "customer":
            continue
        if by_thanks:
            if not answer.contains(u) or accept.contains(u):
                continue
        elif not any(m.first == 0 for m in answer.find(u)):   # the answer begins with the refusal
            continue
        last_mark = max((k for k, p in enumerate(prev.puncts[:-1]) if p and p[0] in ".!?"), default=-1)
        for m in offer.find(prev):
            if m.first > last_mark and not any(prev.flags[k] & T.PAST for k in range(m.first, m.last + 1)):
                return True
    return False


def _handling_lexicon(rulebook):
    """The handling phrases in one lexicon, the topics each speaks for, and their sound keys."""
    got = rulebook.cache.get("topic_handling")
    if got is None:
        spec = rulebook.topics.get("handling") or {}
        groups: dict[str, set[str]] = {}
        items = []
        for g, phrases in spec.items():
            if g not in GROUPS:
                raise RulebookError(f"{rulebook.path}: topics: handling: unknown topic group {g!r}")
            for p in phrases or ():
                p = str(p)
                if p not in groups:
                    items.append(p)
                groups.setdefault(p, set()).add(g)
        lex = rulebook.lexicon("topic_handling", items, True)
        keys = {g: tuple(dict.fromkeys(sound_key(p.replace(" ", "")) for p, gs in groups.items() if g in gs))
                for g in GROUPS}
        got = rulebook.cache["topic_handling"] = (lex, groups, {g: ks for g, ks in keys.items() if ks})
    return got


def handling(call, rulebook) -> dict[str, int]:
    """Per topic group, how many utterances not given to the customer carry one of its handling phrases
    (by lemma, or by sound within ``handling_sound_distance`` of the phrase's sounds)."""
    cfg = rulebook.topics
    lex, groups, keys = _handling_lexicon(rulebook)
    limit = float(cfg.get("handling_sound_distance", 0))
    count = dict.fromkeys(GROUPS, 0)
    for u in call.utts:
        if u.speaker == "customer" or not u.forms:
            continue
        hit: set[str] = set()
        for m in lex.find(u):
            hit |= groups[m.entry.phrase]
        if limit > 0 and u.language != "kk":
            heard = _heard_by_lemma(u)
            for g, ks in keys.items():
                if g not in hit and heard.like(ks, limit, min_key=6):
                    hit.add(g)
        for g in hit:
            count[g] += 1
    return count


def _by_handling(call, rulebook, score: dict[str, float], request_possible: bool = True) -> str:
    """The topic the operator's handling tells when the customer's words told none (module docstring).

    ``request_possible``: False when the customer spoke of a request made before (an operator who looks it up
    says what registering one says: the reason, the master's visit, the contact number)."""
    cfg = rulebook.topics
    if not cfg.get("handling"):
        return "other"
    h = handling(call, rulebook)
    # a legal entity's request is a request too: its steps (contract, object, meter) speak for a request
    topics = {"request": h["request"] + h["legal"] if request_possible else 0, "readings": h["readings"],
              "billing": h["billing"], "out_of_scope": h["out_of_scope"]}
    best = max(topics, key=lambda g: topics[g])
    rest = max(n for g, n in topics.items() if g != best)
    if topics[best] < int(cfg.get("handling_min", 2)) or topics[best] < float(cfg.get("handling_margin", 2)) * rest:
        return "other"
    if best == "request":
        # each kind by its own steps and cues: «прибор учёта» is asked of a household too, the account number
        # (a household's) weighs against it as the contract number (a legal entity's) weighs for it
        legal, household = h["legal"] + score["legal"], h["individual"] + score["individual"]
        return "request.legal" if legal > household else "request.individual"
    return best
