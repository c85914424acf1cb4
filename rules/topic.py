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
utterance), ``weak_stems`` at a lower weight.

A call can cover more than one topic (a customer asks for a sealing and
dictates a reading on the way): ``classify`` returns every topic the call
covers, the main one first.  Besides the main topic, a topic is covered when
the customer's own words carry its cues and it reaches ``min_score`` — and
``readings`` only when a value was dictated too (a call that needs a reading
entered has one to enter); ``out_of_scope`` and ``other`` are never added
beside another topic.
"""
from __future__ import annotations

from rules import text as T
from rules.lexicon import RulebookError
from rules.phonetics import key as sound_key

MEMO_WORDS = 300_000  # distinct words whose stems are kept (as many as the analyser's cache)
GROUPS = ("request", "legal", "individual", "readings", "billing", "out_of_scope")


def _lexicon(rulebook):
    """All topics' cues in one lexicon, and which topics each cue speaks for."""
    got = rulebook.cache.get("topics")
    if got is None:
        cfg = rulebook.topics
        cues = cfg.get("cues", {})
        groups: dict[str, set[str]] = {}
        items = []
        for g in GROUPS:
            for item in cues.get(g, []):
                phrase = next(iter(item)) if isinstance(item, dict) else str(item)
                if phrase not in groups:
                    items.append(item)
                groups.setdefault(phrase, set()).add(g)
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
    flags = u.flags
    for i, form in enumerate(u.forms):
        hits = memo.get(form)
        if hits is None:
            sk = sound_key(form)
            # no stem at all: the common case, decided in one call
            hits = memo[form] = tuple((g, w) for stem, g, w in stems if sk.startswith(stem)) \
                if sk.startswith(starts) else ()
        if not hits or i in taken or flags[i] & T.NUMBER:
            continue
        for g, w in hits:
            if g not in got:
                got[g] = w
    return got


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
    purpose_said = False
    any_cue = not lex.absent(call)
    for u in call.utts:
        matches = lex.find(u) if any_cue else []
        taken = {k for m in matches for k in range(m.first, m.last + 1)}
        by_stem = _stem_cues(u, stems, taken, starts, memo) if stems else {}
        if not matches and not by_stem:
            continue
        role = call.role(u)
        if role == "operator":
            w = op_w
        elif role == "customer" and not purpose_said:
            purpose_said = True
            w = first_w
        else:
            w = 1.0
        for m in matches:
            for g in groups_of[m.entry.phrase]:
                score[g] += w
                if role != "operator":
                    said[g] += 1
        for g, sw in by_stem.items():
            score[g] += w * sw
            if role != "operator":
                said[g] += 1
    if readings:  # values dictated: the caller's own words speak of readings, whatever they called it
        score["readings"] += 1.0
        said["readings"] += 1
    floor = float(cfg.get("min_score", 1.0))
    if not readings:  # «хочу передать показания», but no value was made out
        score["readings"] *= float(cfg.get("readings_without_value", 0.0))
    best = max(("readings", "billing", "out_of_scope"), key=lambda g: score[g])
    request = "request.legal" if score["legal"] > score["individual"] else "request.individual"
    covered = {  # besides the main topic: cues in the customer's own words, enough of them
        request: bool(said["request"]) and score["request"] >= floor,
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
        return ["other"]
    return [main, *(t for t, yes in covered.items() if yes and t != main)]
