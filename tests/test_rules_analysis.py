"""An utterance analysed once for every rule (rules/text.py ``Utt``, rules/phonetics.py ``Heard``): what it keeps
is what the one tokenizer and the one sound matcher give, however the rules ask and in whatever order."""
from __future__ import annotations

import pytest

from rules.phonetics import Heard, phrase_keys
from rules.text import Utt, is_known, tokenize

TEXTS = [
    "",
    "Добрый день, слушаю вас. Да-да, слушаю!",                      # a word twice, a hyphenated one
    "показания 3 782,9 и 12.03.2025 — счёт 875,440,423,2",         # grouped digits, a date, a dictation
    "мен сізге айтайын, заявка қабылданды",                        # Kazakh letters in a Russian-looking text
    "ἀλφα слово ἀλφα слово",                                       # letters the tokenizer skips, then the same word
    "кое-что\u00a0кое-что…  ну,ну",                                 # no-break space, marks glued to words
    "ёлка Ёлка ЁЛКА елка",                                         # «ё» as «е», any case
    "ТОО «Нур Маркет» №5, кв. 7-б",
]


@pytest.mark.parametrize("language", [None, "ru", "kk"])
@pytest.mark.parametrize("text", TEXTS)
def test_utterance_tokens_are_the_tokenizers(text, language):
    u = Utt(0, "operator", 0.0, 1.0, text, language=language)
    want = tokenize(text, language=language)
    assert u.forms == [t.form for t in want]
    assert u.lemmas == [t.lemma for t in want]
    assert u.flags == [t.flags for t in want]
    assert u.puncts == [t.punct for t in want]
    assert u.keys == {k for t in want for k in (t.form, t.lemma, *t.alts)}
    assert {k: u.where(k) for k in u.keys} == {k: [i for i, t in enumerate(want) if k in (t.form, t.lemma, *t.alts)]
                                                for k in u.keys}
    assert {k: u.where(k) for k in u.keys} == u.positions
    assert u.tokens == want  # spans too: evidence is quoted from the original text by them
    assert [text[t.start:t.end] for t in u.tokens] == [text[t.start:t.end] for t in want]


GREETINGS = phrase_keys(["здравствуйте", "добрый день", "сәлеметсіз бе"])
FAREWELLS = phrase_keys(["до свидания", "всего доброго", "спасибо за обращение"])
CUES = phrase_keys(["лицевой счет", "номер телефона", "опломбировать счетчик"])


@pytest.mark.parametrize("said", [
    "из драфствовмете меня зовут",
    "до свиданье всего хорошего",
    "опландировать щетчик номер телефону",
    "спасибо за ожидание информацию уточнила",
    "лимит сисби алматински",
    "показания приняты всего доброго",                         # runs of real words: each reach its own
    "здрасте мне нужно опломбировать счетчик горячей воды",
    "ладненько тогда ждите",                                   # a bent word: the stretch around it per reach
])
def test_one_heard_answers_as_fresh_ones(said):
    """One ``Heard`` asked many questions, in any order, answers each as a fresh one does (its kept keys and
    stretches depend on the question's reach only where they should)."""
    words = said.split()
    questions = [(keys, d, m) for keys in (GREETINGS, FAREWELLS, CUES) for d in (0.25, 0.34, 0.45) for m in (5, 6)]
    fresh = [Heard(words, is_known).like(*q) for q in questions]
    kept = Heard(words, is_known)
    assert [kept.like(*q) for q in questions] == fresh
    kept = Heard(words, is_known)
    assert [kept.like(*q) for q in reversed(questions)] == fresh[::-1]


@pytest.mark.parametrize("text, past, first", [
    # a Russian verb in Kazakh speech keeps its tense and person, as a Russian cue asks of it
    ("мен заявка подавала мастер приходил ғой", ["подавала", "приходил"], []),
    ("ертең өзім позвоню", [], ["позвоню"]),
    # …a short Kazakh word the Russian dictionary reads as a verb does not: «тек» (only), «беру» (to give)
    ("тек көрсеткіш беру керек", [], []),
])
def test_a_russian_verb_in_kazakh_speech(text, past, first):
    from rules.text import FIRST, PAST

    u = Utt(0, "customer", 0.0, 1.0, text, language="kk")
    assert [f for f, fl in zip(u.forms, u.flags, strict=True) if fl & PAST] == past
    assert [f for f, fl in zip(u.forms, u.flags, strict=True) if fl & FIRST] == first


@pytest.mark.parametrize("text, past", [
    ("вчера приходил мастер", ["приходил"]),
    ("хотим, чтобы мастер пришёл и осмотрел", []),        # the subjunctive takes the past tense's form
    ("хотим, чтобы мастер пришёл, осмотрел счётчик", []),  # …in every verb of it, past a comma
    ("чтобы мастер пришёл, мы ждали", ["ждали"]),          # …not a clause of its own
    ("пришёл бы мастер", []),
    ("мастер пришёл, чтобы посмотреть", ["пришел"]),        # «чтобы» reaches forward only
    ("вчера приходил мастер, хочу чтобы пришёл снова", ["приходил"]),
    ("я бы. пришёл", ["пришел"]),                           # nor across a mark
    ("заявку оформили бы сразу", []),
])
def test_a_subjunctive_is_no_past_tense(text, past):
    from rules.text import PAST

    u = Utt(0, "customer", 0.0, 1.0, text)
    assert [f for f, fl in zip(u.forms, u.flags, strict=True) if fl & PAST] == past


@pytest.mark.parametrize("entry, text, found", [
    # gap: up to N words between two words of the phrase, none across a punctuation mark
    ({"оставить заявка": {"gap": 2}}, "оставила вчера вечером заявку", "оставила вчера вечером заявку"),
    ({"оставить заявка": {"gap": 2}}, "оставила вчера поздно вечером заявку", None),
    ({"оставить заявка": {"gap": 2}}, "оставила вчера, вечером заявку", None),
    ({"оставить заявка": {"gap": 2}}, "оставила заявку", "оставила заявку"),
    ({"пока не надо": {"gap": 1}}, "пока что не надо", "пока что не надо"),
    ({"пока не надо": {"gap": 1}}, "пока что не очень надо", "пока что не очень надо"),
    ({"пока не надо": {"gap": 1}}, "пока мне что не надо", None),
    # any_order: the two words the other way round too
    ({"оставить заявка": {"any_order": True}}, "заявку оставила", "заявку оставила"),
    ({"оставить заявка": {}}, "заявку оставила", None),
    ({"оставить заявка": {"any_order": True, "gap": 2}}, "заявку я вчера оставляла", None),  # another lemma
    ({"оставлять заявка": {"any_order": True, "gap": 2}}, "заявку я вчера оставляла", "заявку я вчера оставляла"),
    # if_tag with a gap: the tag on a word of the phrase, not on a word between
    ({"подать заявка": {"if_tag": ["PAST"], "gap": 2}}, "подать вчера заявку", None),
    ({"подать заявка": {"if_tag": ["PAST"], "gap": 2}}, "подать просили заявку", None),
    ({"подать заявка": {"if_tag": ["PAST"], "gap": 2}}, "подала вчера заявку", "подала вчера заявку"),
    # question: only where the stretch of speech it ends in is a question
    ({"номер заявка": {"question": True}}, "Номер заявки?", "номер заявки"),
    ({"номер заявка": {"question": True}}, "Какой номер заявки у вас?", "номер заявки"),
    ({"номер заявка": {"question": True}}, "Номер заявки две тысячи сто три. Вопросы есть?", None),
    ({"номер заявка": {"question": True}}, "номер заявки запишите", None),   # no mark: no question told
    ({"номер заявка": {}}, "Номер заявки две тысячи сто три.", "номер заявки"),
])
def test_a_phrase_with_a_gap_or_in_any_order(entry, text, found):
    from rules.lexicon import Lexicon

    lex = Lexicon.build([entry], "test", by_lemma=True)
    u = Utt(0, "customer", 0.0, 1.0, text)
    got = [" ".join(u.forms[m.first: m.last + 1]) for m in lex.find(u)]
    assert got == ([found] if found else [])


@pytest.mark.parametrize("texts, absent, found", [
    (["нам надо опландировать счетчик"], False, True),   # only a bent word, matched fuzzily: not absent
    (["нам надо опломбировать счетчик"], False, True),
    (["добрый день", "до свидания"], True, False),       # neither the word nor a long unknown one
    (["добрый день", "какаятонепонятица"], False, False),  # a long unknown word: asked utterance by utterance
])
def test_a_lexicon_absent_from_a_call_finds_nothing_in_it(texts, absent, found):
    from rules.call import Call
    from rules.lexicon import Lexicon
    from rules.rulebook import Rulebook
    from transcription.schema import Transcript, Utterance

    lex = Lexicon.build(["опломбировать"], "test", by_lemma=True)
    utts = [Utterance("customer", float(i), i + 1.0, t) for i, t in enumerate(texts)]
    call = Call(Transcript("c1", float(len(texts)), None, "stereo", utts), Rulebook.load())
    assert lex.absent(call) is absent
    assert bool([m for u in call.utts for m in lex.find(u)]) is found


@pytest.mark.parametrize("memo_words", [300_000, 0])   # 0: the memo starts again at every new word
@pytest.mark.parametrize("text", [*TEXTS, "сәлеметсіз бе, заявка қабылданды рахмет", "Ok, ok — OK!", "123 456"])
def test_the_word_memo_gives_what_the_analysis_gives(text, memo_words, monkeypatch):
    """``rules.analysis`` keeps each distinct word's analysis and vote: a text read through it (in any order, the
    memo full or starting again) is what ``analyse_text`` and ``votes_of`` make of it."""
    from rules import analysis
    from rules.language import tally, votes_of
    from rules.text import analyse_text

    monkeypatch.setattr(analysis, "MEMO_WORDS", memo_words)
    want = analyse_text(text)
    for _ in range(2):  # the second time from the memo
        got, word_votes = analysis.analyse(text)
        assert got == want
        assert tally(word_votes) == votes_of([info[0] for info in want[2]])
    assert analysis.analyse(text.upper())[0] == analyse_text(text.upper())


@pytest.mark.parametrize("texts, given, language", [
    (["сәлеметсіз бе", "заявка қабылданды", "123"], None, "kk"),   # the number takes the call's Kazakh
    (["добрый день", "сәлеметсіз бе, рахмет", "мен сізге айтайын"], None, "mixed"),
    (["добрый день", "слушаю вас", "да"], None, "ru"),
    (["добрый день", "слушаю вас", "да"], "kk", "kk"),                  # the transcript's own language wins
])
def test_a_calls_languages_and_stems_are_the_tokenizers(texts, given, language):
    """``Call`` reads each utterance once through the word memo: its language and, in Kazakh speech, its stems are
    those of ``rules.language.call_language`` and ``tokenize(text, language="kk")``."""
    from rules.call import Call
    from rules.language import call_language
    from rules.rulebook import Rulebook
    from transcription.schema import Transcript, Utterance

    utts = [Utterance("operator", float(i), i + 1.0, t) for i, t in enumerate(texts)]
    call = Call(Transcript("c1", float(len(texts)), given, "stereo", utts), Rulebook.load())
    lang, langs = call_language(texts)
    assert call.language == (given or lang)
    for u, text, lang_of_words in zip(call.utts, texts, langs, strict=True):
        assert u.language == (lang_of_words or ("kk" if call.language == "kk" else None))
        want = tokenize(text, language=u.language)
        assert (u.forms, u.lemmas, u.flags, u.alts) == ([t.form for t in want], [t.lemma for t in want],
                                                      [t.flags for t in want], [t.alts for t in want])
