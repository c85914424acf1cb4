"""``request.data_missing``: the fields a request needs (clauses 20–21, Appendix 1)."""
from __future__ import annotations

from rules.call import Call
from rules.numbers import no_number, pieces
from rules.phonetics import key as sound_key
from rules.phonetics import phrase_keys
from rules.registry import register
from rules.text import ends_sentence
from rules.topic import registered_here
from transcription.schema import Finding


def _has_number(u, digits: int, runs: list) -> bool:
    """A number of ``digits`` digits said in u (``runs``: ``pieces(u.forms)``)."""
    if any(sum(len(p.digits) for p in run) >= digits for run in runs):
        return True
    if sum(len(p.digits) for run in runs for p in run) >= digits \
            and sum(len(run) for run in runs) * 2 >= len(u.forms):
        return True  # «6, ненависти ему 8, 9…»: a dictation the ASR broke with misheard words
    for f in u.forms:  # the ASR hyphenates a dictation: «девять-ноль-два-три-четыре-пять»
        if "-" in f and sum(len(p.digits) for run in pieces(f.split("-")) for p in run) >= digits:
            return True
    return False


def _by_parts(forms: list[str], stems: tuple[str, ...], inside: tuple[str, ...]) -> bool:
    """One of the words begins with one of stems (compared by sound, ``rules.phonetics.key``: «асмотрощевчика»
    begins like «осмотр») or has one of inside in it."""
    if not stems and not inside:
        return False
    return any((stems and sound_key(f).startswith(stems)) or any(p in f for p in inside) for f in forms)


def _sounds(rule, name: str, cues: list, u) -> bool:
    """One of the cues (of six sounds or more) heard by sound in u: a cue the recogniser bent."""
    limit = float(rule.params.get("sound_distance", 0))
    if limit <= 0 or not u.forms:
        return False
    keys = rule.cache.get(("sound", name))
    if keys is None:
        keys = rule.cache[("sound", name)] = phrase_keys(
            [next(iter(c)) if isinstance(c, dict) else str(c) for c in cues])
    return u.heard().like(keys, limit, min_key=6)


def _read_back(call: Call, rule, name: str, spec: dict, cues, stems: tuple[str, ...], inside: tuple[str, ...]) -> bool:
    """The operator states the field as recorded: one of its ``readback`` labels and then, in the same sentence,
    one of its cues («Причина: замена расходомера», «Причину укажу так: сомневается в показаниях прибора»).  The
    customer said it in words the cue list misses («будем менять расходомер»); the operator's statement is what
    the request holds.  A question is no statement: «По какой причине: замена или ремонт?»."""
    labels = rule.lexicon_of(f"{name}.readback", spec["readback"], by_lemma=True)
    if labels.absent(call):
        return False
    for u in call.operator:
        for m in labels.find(u):
            end = m.last
            while end + 1 < len(u.forms) and not ends_sentence(u.puncts[end]):
                end += 1
            if u.puncts[end] == "?" or (end + 1 == len(u.forms) and u.text.rstrip().endswith("?")):
                continue
            if any(m.last < c.first and c.last <= end for c in cues.find(u)) \
                    or _by_parts(u.forms[m.last + 1:end + 1], stems, inside):
                return True
            # «Причина обследования: прибор выдаёт ошибку» — the label, a colon, a statement of two words or more:
            # the field as recorded, in words the cue list misses
            colon = next((k for k in (m.last, m.last + 1) if k <= end and u.puncts[k] == ":"), None)
            if colon is not None and end - colon >= 2:
                return True
    return False


@register("request_fields")
def request_fields(call: Call, rule) -> list:
    """In a ``request.*`` call, every field of its kind was said by someone in the call.

    A field is collected when one of its cues (or a word beginning with one of its
    ``stems`` or holding one of its ``inside`` parts, or — for a field with digits, whose number must
    follow anyway — a cue heard by sound) is said and, for fields with
    ``digits``, a number of that many digits is said in the same or the next
    utterance (either speaker) — or one of ``or_cues`` is said («этот номер»).

    A registration is judged only when it was seen: at least ``min_collected`` of its fields were taken —
    fields the operator takes, not those only the customer gives (``by: customer``: the reason, which
    callers say in telling why they call) — or the operator says it is registered (``registered``: «заявка
    зарегистрирована», «оформила заявку»; not «позвоните — оформим», nor «заявки оформляем по звонку»).
    A finding names the fields a registration lacked; a call with neither shows no registration to judge
    (a customer asking how sealing works, told to call when the meter is in; a call whose operator side
    the recogniser lost).
    """
    kind = {"request.individual": "individual", "request.legal": "legal"}.get(call.topic)
    if kind is None or not call.utts:
        return []
    missing = []
    numbers: dict[tuple[int, int], bool] = {}  # (utterance, digits) → has such a number: asked once per call
    runs: dict[int, list] = {}  # utterance → its numbers (``pieces``), found once per call

    def has_number(v, digits: int) -> bool:
        got = numbers.get((v.index, digits))
        if got is None:
            if no_number(v.keys, v.text) and "-" not in v.text:  # no number word, digit or hyphenated dictation
                got = numbers[(v.index, digits)] = False
                return got
            said = runs.get(v.index)
            if said is None:
                said = runs[v.index] = pieces(v.forms)
            got = numbers[(v.index, digits)] = _has_number(v, digits, said)
        return got

    for field, spec in rule.params.get(kind, {}).items():
        cues = rule.lexicon_of(f"{kind}.{field}.cues", spec.get("cues", []), by_lemma=True)
        digits = int(spec.get("digits", 0))
        or_cues = rule.lexicon_of(f"{kind}.{field}.or", spec.get("or_cues", []), by_lemma=True)
        found = False
        utts = call.utts
        any_cue = not cues.absent(call)
        any_or = bool(or_cues.entries) and not or_cues.absent(call)
        by = spec.get("by")
        stems = tuple(sound_key(str(st)) for st in spec.get("stems", ()))
        inside = tuple(str(st).lower().replace("ё", "е") for st in spec.get("inside", ()))
        bent = []  # utterances where all but the cue holds: the cue heard by sound (the costly test) decides
        for k, u in enumerate(utts):
            if by and call.role(u) != by:
                continue
            heard = (any_cue and cues.contains(u)) or _by_parts(u.forms, stems, inside)
            if not heard and not digits:
                continue
            if not digits or (any_or and or_cues.contains(u)):
                rest = True
            else:
                rest = any(has_number(v, digits) for v in utts[k:k + 1 + int(spec.get("window", 2))])
            if rest and heard:
                found = True
                break
            if rest:
                bent.append(u)
        # the field is collected if any utterance collects it: the costly test only when no plain one did
        if not found:
            found = any(_sounds(rule, f"{kind}.{field}", spec.get("cues", []), u) for u in bent)
        if not found and spec.get("readback"):
            found = _read_back(call, rule, f"{kind}.{field}", spec, cues, stems, inside)
        if not found:
            missing.append(field)
    if not missing:
        return []
    taken = [f for f, spec in rule.params.get(kind, {}).items() if f not in missing and not spec.get("by")]
    if len(taken) < int(rule.params.get("min_collected", 0)):
        if not registered_here(call, rule):
            return []
    end = call.duration
    return [Finding(rule.id, rule.clause, "operator", 0.0, end, "не собраны: " + ", ".join(missing))]
