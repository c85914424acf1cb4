"""Personal data (СТП-04-2019 п. 11, п. 14.7): one detector for transcripts, search queries and,
through its character spans, audio.

``find_pd(text)`` gives the spans (kind, start, end) of every phone, account and contract
number, ИИН, e-mail, person's name and address; ``mask_text`` replaces them with placeholders.
``pd_terms(query)`` gives the words of a search query that are personal data.
The modules: ``detect`` (the masker, e-mails), ``number_runs`` (a number said, as the recogniser writes it),
``numbers`` (identifiers said as numbers), ``series_letters`` (a series' letters said with them), ``serials`` (a
meter's serial or a contract's number as one stretch), ``cues`` (the words that announce them), ``people`` (names
by their place), ``name_words`` (what a word is as a name), ``addresses`` (streets and what joins them), ``houses``
(the house and flat part), ``address_questions`` (a question for an address), ``query`` (search queries),
``lexicon`` (the data in ``lexicon.yaml`` and the word analysis).
"""
from rules.privacy.detect import (
    CONTEXT_UTTERANCES,
    MaskOptions,
    context_before,
    find_pd,
    mask_finding,
    mask_text,
    mask_transcript,
)
from rules.privacy.lexicon import ID_KINDS, KINDS, PdSpan, PrivacyError
from rules.privacy.query import pd_terms

__all__ = ["CONTEXT_UTTERANCES", "ID_KINDS", "KINDS", "MaskOptions", "PdSpan", "PrivacyError", "context_before",
           "find_pd", "mask_finding", "mask_text", "mask_transcript", "pd_terms"]
