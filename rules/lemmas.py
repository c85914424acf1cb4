"""Word forms for searching transcripts by lemma: «девушка» finds «девушки», «девушку», ...

The dashboard's call search cannot lemmatise every stored utterance on the fly,
so it goes the other way: each search word is expanded into every form of its
lemma(s) (pymorphy3 lexemes), and the store is searched for any of those forms.
Forms are in the rules' normal form (lowercase, «ё» as «е»).
"""
from __future__ import annotations

from functools import lru_cache

from rules.text import morph, normal, tokenize


@lru_cache(maxsize=4096)
def word_forms(word: str) -> tuple[str, ...]:
    """All forms of every lemma ``word`` may be a form of, the word itself included, sorted."""
    form = normal(word.strip())
    if not form:
        return ()
    forms = {form}
    if form.isalpha():
        for parse in morph().parse(form):
            forms.update(normal(lex.word) for lex in parse.lexeme)
    return tuple(sorted(forms))


def query_forms(query: str) -> tuple[tuple[str, ...], ...]:
    """One tuple of forms per word of a search query, in query order, duplicates dropped."""
    seen: list[str] = []
    for token in tokenize(query):
        if token.form not in seen:
            seen.append(token.form)
    return tuple(word_forms(w) for w in seen)
