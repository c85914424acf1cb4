"""Rules read from the timestamps: interruptions, speech rate, handling time."""
from __future__ import annotations

from bisect import bisect_left

from rules.call import Call, finding
from rules.registry import register
from transcription.schema import Finding


@register("interruption")
def interruption(call: Call, rule) -> list:
    """The operator starts while the customer speaks and they overlap by ``min_overlap_s`` or more."""
    min_overlap = float(rule.params.get("min_overlap_s", 1.0))
    backchannels = rule.words("backchannels")
    out = []
    customer = call.customer
    starts = [c.start for c in customer]
    for op in call.operator:
        if backchannels.issuperset(op.forms):
            continue  # «угу, да-да» while the customer speaks is listening, not interrupting
        k = bisect_left(starts, op.start)  # the customer's turns begun before the operator's
        for c in customer[max(0, k - 5):k]:
            if c.start < op.start < c.end and min(c.end, op.end) - op.start >= min_overlap:
                out.append(finding(rule, op))
                break
    return out


@register("tempo")
def tempo(call: Call, rule) -> list:
    """Average operator speech rate over the call, words per minute (word timestamps when present)."""
    words = 0
    seconds = 0.0
    fastest, fastest_rate = None, 0.0
    for u in call.operator:
        n = len(u.forms)
        if not n:
            continue
        if u.words:
            span = u.words[-1].end - u.words[0].start
        else:
            span = u.end - u.start
        if span <= 0:
            continue
        words += n
        seconds += span
        rate = n / span
        if n >= 5 and rate > fastest_rate:
            fastest, fastest_rate = u, rate
    if seconds < float(rule.params.get("min_speech_s", 8)) or words < int(rule.params.get("min_words", 20)):
        return []
    wpm = words / seconds * 60
    if wpm <= float(rule.params.get("max_wpm", 190)):
        return []
    u = fastest or call.operator[0]
    return [finding(rule, u, evidence=f"{wpm:.0f} слов/мин в среднем; «{u.text.strip()[:100]}»")]


@register("handling_time")
def handling_time(call: Call, rule) -> list:
    """The call lasts longer than its topic's norm (minutes, Appendix 1)."""
    norm = rule.params.get("norm_min", {}).get(call.topic)
    if norm is None:
        return []
    dur = call.duration
    if dur <= float(norm) * 60:
        return []
    m, s = divmod(round(dur), 60)
    return [Finding(rule.id, rule.clause, "operator", 0.0, dur,
                    f"длительность {m}:{s:02d} при норме {float(norm):g} мин ({call.topic})")]
