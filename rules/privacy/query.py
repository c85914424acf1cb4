"""Search queries: which of a query's words are personal data.

A role that sees masked transcripts (a trainer, an operator) must not find a call by a customer's
phone, account or name: the list of calls found would tell which calls hold it.  A query has no
context to judge by, so it is judged more strictly than a transcript: besides what ``find_pd``
finds, every number of three digits or more (written in digits, or said in two words or more, in
any of the recogniser's formats: «двести» alone is a word to search for) and every word that may
be a name — a name to the dictionary or the Kazakh name list, or a word the dictionary does not
know (most customers' names it does not) — counts.  Linear in the query's length, like the detector.
"""
from __future__ import annotations

from rules.kazakh import has_kazakh_letter
from rules.privacy.detect import find_pd
from rules.privacy.lexicon import STOP_POS, lexicon
from rules.privacy.lexicon import analyse as _analyse
from rules.privacy.number_runs import number_runs, pd_tokens
from rules.privacy.people import _kz_name, _kz_spelled_name, _not_name

QUERY_NUMBER_DIGITS = 3


def pd_terms(query: str) -> list[str]:
    """The pieces of ``query`` that are (or may be) personal data, in order; empty when none."""
    if not query or not query.strip():
        return []
    lex = lexicon()
    tokens = pd_tokens(query)
    out = [s.text for s in find_pd(query)]
    out += [query[tokens[r.first].start:tokens[r.last].end] for r in number_runs(tokens, query)
            if len(r.digits) >= QUERY_NUMBER_DIGITS and (r.last > r.first or not r.has_words)]
    for t in tokens:
        if not t.form[:1].isalpha() or len(t.form) < 3 or _not_name(t, lex):
            continue
        _lemma, pos, name, known = _analyse(t.form)
        if _kz_name(t.form, lex) or _kz_spelled_name(t.form, lex):
            out.append(query[t.start:t.end])
        elif has_kazakh_letter(t.form):   # pymorphy3's guesses say nothing of a Kazakh word: it may be a name
            out.append(query[t.start:t.end])
        # an unknown word whose first guess is a verb or an adjective may still be a surname («Кусаинова»)
        elif (known and name >= 0.3) or (not known and (pos not in STOP_POS or name >= 0.3)):
            out.append(query[t.start:t.end])
    return list(dict.fromkeys(out))
