"""A noun agreed with the count before it, by pymorphy3: «1 сотруднику», «3 сотрудникам», «5 пунктов».

The pages and reports say counts in sentences; a count's noun takes its case from the sentence and its form from
the count (1 and 21 the singular; 2–4 the genitive singular and 5–20 the genitive plural in the nominative and
accusative; in the other cases only singular or plural).  ``analytics.catalogue.formats.fmt_count`` writes both.
"""
from __future__ import annotations

from functools import lru_cache

from rules.text import morph


@lru_cache(maxsize=256)
def agreed(n: int, noun: str, case: str = "nomn") -> str:
    """``noun`` (its nominative singular) in ``case`` (a pymorphy3 case tag) as it goes after the count ``n``;
    a word the dictionary does not know as a noun is given back as it is, rather than in a wrong form."""
    parses = [p for p in morph().parse(noun) if p.tag.POS == "NOUN" and p.normal_form == noun]
    if not parses:
        return noun
    form = parses[0] if case == "nomn" else parses[0].inflect({case})
    agreed_form = form.make_agree_with_number(abs(int(n))) if form is not None else None
    return agreed_form.word if agreed_form is not None else noun
