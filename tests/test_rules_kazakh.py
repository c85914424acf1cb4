"""Kazakh and mixed calls: the language found from the words, the Kazakh rulebook, judged fairly."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rules import kazakh
from rules.clauses import Construction, clauses
from rules.engine import Checker
from rules.eval import evaluate
from rules.kazakh import has_kazakh_letter, model, negative_of, stems
from rules.language import call_language, utterance_language
from rules.lexicon import RulebookError
from rules.text import Utt
from transcription.schema import Transcript

CORPUS = Path(__file__).parent / "corpus_kk"
# rules with no Kazakh lexicon: never judged on a Kazakh call
NO_KAZAKH = {"speech.filler", "speech.jargon", "third_party.disclosed", "term.unexplained", "tempo.fast"}


@pytest.fixture(scope="module")
def checker():
    return Checker.default()


def call(turns: list[str], language: str | None = None) -> Transcript:
    utts, t = [], 0.0
    for turn in turns:
        who, text = turn.split(": ", 1)
        utts.append({"speaker": {"o": "operator", "c": "customer"}[who], "start": t, "end": t + 2.0, "text": text})
        t += 2.5
    data = {"call_id": "kk", "duration_s": t, "layout": "stereo-operator-left", "utterances": utts}
    if language:
        data["language"] = language
    return Transcript.from_dict(data)


OPEN = "o: Сәлеметсіз бе, жылу желілері, Айгүл, тыңдап тұрмын."
ASK = "c: Сәлеметсіз бе, ыстық судың көрсеткішін бергім келеді."
CLOSE = "o: Хабарласқаныңызға рахмет, сау болыңыз."


@pytest.mark.parametrize("text, lang", [
    ("Сәлеметсіз бе, жылу желілері, тыңдап тұрмын.", "kk"),
    ("сау болыңыз", "kk"),
    ("саламатсыз ба мен рахмет", "kk"),                 # without Kazakh letters
    ("Здравствуйте, тепловые сети, слушаю вас.", "ru"),
    ("Меня зовут Айгүл, хочу передать показания.", "ru"),   # a Kazakh name in a Russian sentence
    ("87051234567", None),
    ("Нұрлан Айгүл", "kk"),
])
def test_utterance_language(text, lang):
    assert utterance_language(text) == lang


@pytest.mark.parametrize("texts, lang", [
    (["Сәлеметсіз бе, тыңдап тұрмын.", "Көрсеткішті бергім келеді.", "Жақсы, айтыңыз."], "kk"),
    (["Здравствуйте, слушаю вас.", "Хочу передать показания счетчика.", "Говорите, записываю."], "ru"),
    (["Сәлеметсіз бе, тыңдап тұрмын.", "Здравствуйте, мне нужно опломбировать счетчик.",
      "Жақсы, дербес шотыңызды айтыңыз."], "mixed"),
    # one «рахмет» in a Russian call is no second language (fewer than 3 words)
    (["Здравствуйте, слушаю вас.", "Хочу передать показания счетчика горячей воды.", "Рахмет."], "ru"),
    (["87051234567", "алло"], "unknown"),
    ([], "unknown"),
])
def test_call_language(texts, lang):
    assert call_language(texts)[0] == lang


@pytest.mark.parametrize("word, stem, yes", [
    ("басшыңызбен", "басшы", True),
    ("басшыға", "басшы", True),
    ("шағымданамын", "шағым", True),
    ("наразымын", "наразы", True),
    ("көрсеткіштерді", "көрсеткіш", True),
    ("себебі", "себеп", True),
    ("жазып", "жазбаша", False),     # the lexicon word is never cut
    ("шағын", "шағым", False),
])
def test_suffix_model(word, stem, yes):
    assert (stem in stems(word)) == yes


@pytest.mark.parametrize("text, yes", [
    ("сәлеметсіз бе", True),
    ("СӘЛЕМЕТСІЗ БЕ", True),       # in capitals too: a text is asked before it is lowercased
    ("Қайырлы күн", True),
    ("здравствуйте, слушаю вас", False),
    ("ИИН 850101300123", False),
    ("", False),
    *[(letter, True) for letter in sorted(model()["letters"])],
    *[(letter.upper(), True) for letter in sorted(model()["letters"])],
])
def test_a_kazakh_letter_is_told_in_any_case(text, yes):
    """One way to ask it (the tokeniser, the analysed call and the privacy filter all do): every letter of the
    model's list, either case, and no other."""
    assert has_kazakh_letter(text) is yes


@pytest.mark.parametrize("entry, kazakh_entry", [
    ({"басшы": {"case": "genitive"}}, True),   # unknown
    ({"руководитель": {"case": "oblique"}}, False),   # Russian words have their forms written out
])
def test_a_bad_case_option_is_named(entry, kazakh_entry):
    from rules.lexicon import KkPhrase, Lexicon

    (word, opts), = entry.items()
    with pytest.raises(RulebookError, match="only «case: oblique» of a Kazakh entry"):
        Lexicon.build([{KkPhrase(word) if kazakh_entry else word: opts}], "rulebook_kk.yaml: rule x")


@pytest.mark.parametrize("form, converb", [
    ("хабарласпай", True), ("келмей", True), ("кешікпей", True), ("тексермей", True),
    ("келмейді", False), ("хабарласпайды", False), ("келіп", False), ("жоқ", False), ("үй", False),
])
def test_a_negative_converb(form, converb):
    assert kazakh.without_doing(form) is converb


@pytest.mark.parametrize("form, word, adds", [
    ("проблемаңызды", "проблемаңыз", True),    # accusative
    ("проблемаңызға", "проблемаңыз", True),    # dative
    ("басшыңызбен", "басшы", True),            # instrumental, after a possessive
    ("басшысына", "басшы", True),              # dative after the third person's possessive
    ("себебін", "себеп", True),                # accusative, the stem's final consonant voiced
    ("проблемаңыз", "проблемаңыз", False),
    ("проблемаңыз", "проблема", False),        # a possessive is no case
    ("наразымын", "наразы", False),            # a person ending is no case
    ("кәсіпорнымыз", "кәсіпорын", False),      # the narrow vowel dropped before a possessive
    ("шешеміз", "проблема", False),            # another word
])
def test_a_case_added_to_a_word(form, word, adds):
    assert kazakh.adds_case(form, word) is adds


@pytest.mark.parametrize("form, stem, negative", [
    ("істемейді", "істе", True),
    ("келмеді", "кел", True),
    ("шешпейді", "шеш", True),            # -пе after a voiceless consonant
    ("қанағаттанбаймын", "қанағаттан", True),   # -ба after н
    ("келмеген", "кел", True),
    ("алаңдамаңыз", "алаңда", True),
    ("келеді", "кел", False),
    ("кешігеді", "кешік", False),
    ("пломбасы", "пломба", False),          # a noun's possessive is no verb ending
    ("келбет", "кел", False),
    ("ойбай", "ой", False),               # -ба never follows й: an interjection, not «ой» negated
])
def test_negative_verb_forms(form, stem, negative):
    assert negative_of(form, stem) == negative


@pytest.mark.parametrize("text, spans", [
    ("Басшы жоқ, кеңсеге барыңыз.", [(0, 1), (2, 3)]),
    ("басшы жоқ бірақ кеңсеге барыңыз", [(0, 1), (2, 4)]),     # no punctuation: the conjunction parts them
    ("директордың атына хат жазыңыз ол қаралады", [(0, 3), (4, 5)]),
])
def test_clauses(text, spans):
    assert clauses(Utt(0, "operator", 0, 1, text, language="kk").tokens) == spans


@pytest.mark.parametrize("spec, says", [
    ({"words": {"a": ["біз"]}}, "'words'"),
    ({"words": {"a": ["біз"]}, "patterns": [["b"]]}, "names 'b'"),
    ({"words": {"a": []}, "patterns": [["a"]]}, "words.a"),
    ({"words": {"a": ["біз"]}, "patterns": [["a"]], "predicates": ["c"]}, "predicates"),
])
def test_a_malformed_construction_is_named(spec, says):
    with pytest.raises(RulebookError, match=says) as e:
        Construction.build(spec, "rulebook_kk.yaml: rule enterprise.negative: kk_clauses")
    assert "enterprise.negative" in str(e.value)


# (turns, the rules that fire) — hard negatives included: «апай» as a mention, «сен» inside another word
ROWS = [
    # a phrase the next word negates says the opposite (the audit: «not indifferent» fired speech.rude, −25)
    ([OPEN, ASK, "o: Маған бәрібір емес, өтініміңізді жеткіземін.", CLOSE], set()),
    ([OPEN, ASK, "o: Маған бәрібір, өтініміңізді жеткіземін.", CLOSE], {"speech.rude"}),
    # a «you» of the next clause is not the noun's: it is a subject (the audit: false address.forbidden, −17)
    ([OPEN, ASK, "o: Жігіт ертең келеді, сіз үйде боласыз ба?", CLOSE], set()),
    ([OPEN, ASK, "o: Әже актіге қол қоя алады, сіз келісесіз бе?", CLOSE], set()),
    # one name in its Russian and its Kazakh spelling is one name (the audit: false name.not_used, −7)
    (["o: Здравствуйте, тепловые сети, оператор Дана, слушаю вас.",
      "c: Здравствуйте, меня зовут Нурлан, хочу передать показания.", "o: Нұрлан мырза, дербес шотыңызды айтыңызшы.",
      "c: Один два три четыре пять шесть.", CLOSE], set()),
    (["o: Здравствуйте, тепловые сети, оператор Дана, слушаю вас.", "c: Здравствуйте, меня зовут Асель.",
      "o: Әсел ханым, дербес шотыңызды айтыңызшы.", "c: Один два три четыре пять шесть.", CLOSE], set()),
    # a word of the imperatives' list with a noun after it is a name, a noun (the audit: false address.ty)
    ([OPEN, ASK, "o: Мекенжайыңыз Төле би көшесі, он бес.", CLOSE], set()),
    ([OPEN, ASK, "o: 1906623 төле би 290 пәтер 17 дұрыс па", CLOSE], set()),   # the street, «көшесі» left out
    ([OPEN, ASK, "o: Қарызыңды төле, әйтпесе өшіреміз.", CLOSE], {"address.ty"}),
    ([OPEN, ASK, "o: Құрбан айт күндері кеңсе жұмыс істемейді.", CLOSE], set()),
    ([OPEN, ASK, "o: Қарындас, күте тұрыңыз.", CLOSE], {"address.forbidden"}),
    ([OPEN, ASK, "o: әпке бір минут күтіңіз", CLOSE], {"address.forbidden"}),
    ([OPEN, ASK, "o: Күте тұрыңыз, аға.", CLOSE], {"address.forbidden"}),
    ([OPEN, ASK, "o: Ертең бір апай келіп, есептегішті тексереді.", CLOSE], set()),
    ([OPEN, ASK, "o: Апайыңыз бұрын да хабарласқан екен.", CLOSE], set()),
    ([OPEN, ASK, "o: Аға маман сізге хабарласады.", CLOSE], set()),
    ([OPEN, ASK, "o: Нұрлан аға, көрсеткішті айтыңыз.", CLOSE], set()),
    ([OPEN, ASK, "o: Сен не айтып тұрсың?", CLOSE], {"address.ty"}),
    ([OPEN, ASK, "o: Күт, қазір қараймын.", CLOSE], {"address.ty"}),
    ([OPEN, ASK, "o: Шотыңды айтшы.", CLOSE], {"address.ty"}),
    ([OPEN, ASK, "o: Сенімді болыңыз, бәрі жасалады.", CLOSE], set()),
    ([OPEN, ASK, "o: Сенбі күні маман келеді.", CLOSE], set()),
    ([OPEN, ASK, "c: Сен неге телефонды көтермейсің?", CLOSE], set()),   # the customer's «сен»
    ([OPEN, ASK, "o: Маған бәрібір, бұл менің проблемам емес.", CLOSE], {"speech.rude"}),
    ([OPEN, ASK, "o: Бізде әрқашан бардак.", CLOSE], {"enterprise.negative"}),
    # «how many times must I repeat» in any form of the verb («қайталау керек», «қайталаймын», «айтам»)
    ([OPEN, ASK, "o: Сізге неше рет қайталау керек? Бермегенсіз деймін ғой.", CLOSE], {"speech.rude"}),
    ([OPEN, ASK, "o: Қанша рет қайталаймын сізге, көрсеткіш жоқ.", CLOSE], {"speech.rude"}),
    # a word of a phrase in another case plays another part (the audit: «we will solve your problem» fired
    # speech.rude, the accusative object read as «your problem» said to dismiss)
    ([OPEN, ASK, "o: Сіздің проблемаңызды міндетті түрде шешеміз.", CLOSE], set()),
    ([OPEN, ASK, "o: Сіздің проблемаңызға жауап берейін.", CLOSE], set()),
    ([OPEN, ASK, "o: Бұл сіздің проблемаңыз.", CLOSE], {"speech.rude"}),
    ([OPEN, ASK, "o: Сіздің проблемаңыз, мен ештеңе істей алмаймын.", CLOSE], {"speech.rude"}),
    (["o: Жылу желілері, тыңдап тұрмын.", ASK, CLOSE], {"greeting.missing"}),
    ([OPEN, ASK, "o: Жақсы."], {"closing.missing"}),
    ([OPEN, ASK, "o: Басқа сұрағыңыз бар ма?"], {"closing.missing"}),   # not «сау болыңыз» by sound
    ([OPEN, ASK, "o: көріскенше сау болыңыз"], set()),
    ([OPEN, ASK, "c: Мен наразымын, басшыңызбен сөйлескім келеді.", "o: Қоса алмаймын, пайдасы жоқ.", CLOSE],
     {"escalation.not_offered"}),
    ([OPEN, ASK, "c: Мен наразымын, басшыңызбен сөйлескім келеді.",
      "o: Сізді бөлім басшысына жалғаймын немесе кеңсеге жазбаша өтініш бере аласыз.", CLOSE], set()),
    ([OPEN, "c: Менің атым Сәуле. " + ASK[3:], "o: Жақсы, көрсеткішті айтыңыз.", CLOSE], {"name.not_used"}),
    ([OPEN, "c: Менің атым Сәуле. " + ASK[3:], "o: Жақсы, Сәуле ханым, айтыңыз.", CLOSE], set()),
    ([OPEN, "c: Менің есімім Арман. " + ASK[3:], "o: Маман хабарласады.", CLOSE], {"name.not_used"}),  # not by sound
    # «Асқар деген атым» (Asqar is my name): the name before «деген атым», not the word after it
    ([OPEN, "c: Сәлеметсіз бе, Асқар деген атым өткен аптада өтінім қалдырдым.", "o: Асқар мырза, көріп тұрмын.",
      CLOSE], set()),
    ([OPEN, "c: Асқар деген атым өткен аптада өтінім бердім.", "o: Өткен аптадағы өтінімді көріп тұрмын.", CLOSE],
     {"name.not_used"}),
    ([OPEN, "c: Ыстық су есептегішін ауыстырдық, пломба салу керек.", "o: Дербес шотыңызды айтыңыз.",
      "c: Дербес шот бір екі үш төрт бес алты жеті.", CLOSE], {"request.data_missing"}),    # no phone
    ([OPEN, "c: Ыстық су есептегішіне пломбаны қалай салдырамын?",
      "o: Алдымен есептегішті орнатасыз, содан кейін бізге хабарласасыз.", CLOSE], set()),   # no field taken
    ([OPEN, "c: Ыстық су есептегішін ауыстырдық, пломба салу керек.", "o: Дербес шотыңызды айтыңыз.",
      "c: Дербес шот бір екі үш төрт бес алты жеті.", "o: Байланыс телефоныңыз?",
      "c: сегіз жеті нөл бір бір екі үш төрт бес алты жеті", CLOSE], set()),
    # negative talk about the enterprise as a construction (rules.clauses), sentences of no corpus
    ([OPEN, ASK, "o: Біздің мастерлер ешқашан уақытында жөндемейді.", CLOSE], {"enterprise.negative"}),
    ([OPEN, ASK, "o: бізде диспетчерлер үнемі ұмытады", CLOSE], {"enterprise.negative"}),
    ([OPEN, ASK, "o: Кәсіпорнымызда жауапкершілік жоқ.", CLOSE], {"enterprise.negative"}),
    ([OPEN, ASK, "o: Біздің мамандар ешқашан қателеспейді.", CLOSE], set()),    # «never wrong»: praise
    # «never come without calling ahead»: two negations, a promise (the audit: false enterprise.negative)
    ([OPEN, ASK, "o: Біздің мастерлер ешқашан алдын ала хабарласпай келмейді.", CLOSE], set()),
    ([OPEN, ASK, "o: Біздің мастерлер ешқашан келмейді, хабарласпай кетеді.", CLOSE], {"enterprise.negative"}),
    ([OPEN, ASK, "o: Мекеменің жұмысы нашар емес.", CLOSE], set()),
    ([OPEN, ASK, "o: Шебер ертең келмейді, бүрсігүні келеді.", CLOSE], set()),    # no «never»: a fact
    ([OPEN, ASK, "o: Кешіріңіз, бізде дыбыс нашар естіледі.", CLOSE], set()),     # the line, not us
    ([OPEN, ASK, "o: Бізде ешкім сізден ақы талап етпейді.", CLOSE], set()),
    # dissatisfaction and the offer as constructions
    ([OPEN, ASK, "c: Маған сіздердің қызметтеріңіз мүлдем ұнамайды.",
      "o: Жазбаша шағымыңызды кеңсеге тапсыра аласыз.", CLOSE], set()),
    ([OPEN, ASK, "c: Маған сіздердің қызметтеріңіз мүлдем ұнамайды.",
      "o: Директор ондай шағымдарды қарамайды.", CLOSE], {"escalation.not_offered"}),
    ([OPEN, ASK, "c: мен риза емеспін", "o: басшы қазір жоқ", CLOSE], {"escalation.not_offered"}),
    ([OPEN, ASK, "c: Мен риза емеспін.", "o: Сізді қазір бөлім басшысымен жалғаймын.", CLOSE], set()),
    ([OPEN, ASK, "c: Мен риза емеспін.", "o: Бастығымызға жалғай алмаймын.", CLOSE], {"escalation.not_offered"}),
    ([OPEN, ASK, "c: Жауабыңыз маған ұнады, рахмет.", "o: Басшы жоқ.", CLOSE], set()),   # pleased: no complaint
    # the head asked for is in a case («басшыға», «басшыны»), as the Russian list has «руководителя»; a mention is
    # not (the audit: a customer's «I am the head of the housing co-op» fired escalation.not_offered, −15)
    ([OPEN, "c: Сәлеметсіз бе, мен ПИБ басшысымын, есептегіш бойынша сұрағым бар.", "o: Тыңдап тұрмын.", CLOSE],
     set()),
    ([OPEN, ASK, "c: Учаске басшыңыз ертең келеді деді.", "o: Жақсы, күтіңіз.", CLOSE], set()),
    ([OPEN, ASK, "c: Басшыны шақырыңыз.", "o: Басшы жоқ.", CLOSE], {"escalation.not_offered"}),
    # a mixed call: a Russian form of address still counts, a Kazakh farewell closes it
    ([OPEN, "c: Здравствуйте, хочу передать показания счетчика горячей воды.",
      "o: Девушка, подождите минутку.", "c: Хорошо, я подожду, спасибо большое.", CLOSE], {"address.forbidden"}),
]


@pytest.mark.parametrize("turns, fires", ROWS, ids=[f"row{i}" for i in range(len(ROWS))])
def test_kazakh_rule_table(checker, turns, fires):
    result = checker.check(call(turns))
    assert {f.rule for f in result.findings} == fires, [(f.rule, f.evidence) for f in result.findings]


def test_a_correct_kazakh_call_has_no_finding_and_lists_the_rules_without_kazakh(checker):
    turns = [OPEN, ASK, "o: Дербес шотыңызды айтыңыз.", "c: Дербес шот 1234567.", "o: Көрсеткішті айтыңыз.",
             "c: Көрсеткіш 345.", "o: Көрсеткіштер қабылданды.", CLOSE]
    result = checker.check(call(turns))
    assert result.language == "kk"
    assert result.findings == []
    assert result.score == 100.0
    assert {n.rule for n in result.not_assessed} == NO_KAZAKH
    assert {n.reason for n in result.not_assessed} == {"language"}
    assert [r.value for r in result.readings] == [345.0]
    assert result.topic == "readings"


@pytest.mark.parametrize("said, to_register", [
    # a request the caller made before (a verb of giving or leaving it in the past, 1st or 2nd person; nobody came;
    # when the master comes) is no request to register
    ("c: Мен үш апта бұрын пломба салуға өтінім бергенмін. Әлі ешкім келген жоқ.", False),
    ("c: Мен өткен аптада пломба алу үшін өтінім қалдырғанмын. Шебер қашан келеді?", False),
    ("c: Менің өтінімім бойынша маман қашан келеді?", False),
    # the converb and «еді» (had done): «өтінім қалдырып едім»; nobody got in touch
    ("c: Асқар деген атым, өткен аптада техникалық тексеруге өтінім қалдырып едім, әлі ешкім хабарласпады.", False),
    ("c: Жылу суық. Өтінім керек емес, бастығыңызбен сөйлескім келеді!", False),
    # …said with the Russian «заявка», «мастер», as Almaty says it too
    ("c: Сәлеметсіз бе, мен заявка қалдырғанмын распломбировкаға, мастер қашан келеді?", False),
    # …nor one the caller puts off: they will call themselves (the verb in the 1st person)
    ("c: Пломбасын қалай аламыз? Түсінікті, әзірге сантехникпен сөйлесейін, кейін хабарласамын.", False),
    ("c: Есептегішті тексеру керек пе? Төлқұжатын іздейін, табылмаса, кейін қайта хабарласамын.", False),
    # …a request wanted now is one, the master calling later too
    ("c: Пломба салуға өтінім бергім келеді. Маман кейін хабарласады ма?", True),
    ("c: Пломба салуға өтінім бергім келеді, есептегішті ауыстырдық.", True),
    ("c: Есептегіштен пломба үзіліп қалды, пломба салу керек.", True),
])
def test_a_kazakh_request_made_before_is_not_one_to_register(checker, said, to_register):
    turns = [OPEN, said, "o: Дербес шотыңызды айтыңыз.", "c: Дербес шот 1234567.", "o: Өтінім тіркелді.", CLOSE]
    assert checker.check(call(turns)).topic.startswith("request.") == to_register


@pytest.mark.parametrize("turns, topic", [
    # a legal entity's request told by its Kazakh words: the contract («шарт нөмірі»), the object («нысан»), the
    # partnership («серіктестік») — as «договор», «объект», «товарищество» tell a Russian one
    (["c: «Ақ Бидай» серіктестігінің энергетигімін. Ыстық су есептегішін пломбалау керек.",
      "o: Шарт нөмірін айтыңызшы.", "c: Шарт нөмірі жеті мың төрт жүз.", "o: Нысан қандай?",
      "c: Әкімшілік ғимарат."], "request.legal"),
    # a hot-water meter is a legal entity's too: «ыстық су» tells no household
    (["c: «Нұр Құрылыс» ЖШС-нан хабарласып тұрмын. Кеңседе ыстық су есептегішін ауыстырдық, пломба салу керек.",
      "o: Жылумен жабдықтау шартының нөмірін айтыңызшы.", "c: Шарт нөмірі бес мың алпыс екі."], "request.legal"),
    (["c: Ыстық су есептегішін пломбалау керек, ауыстырдық.", "o: Дербес шотыңызды айтыңызшы.",
      "c: Дербес шот бір екі үш төрт бес."], "request.individual"),
    # …and none: the customer will call when the repair is done; another utility's meter («суық судың есептегіші»)
    (["c: Ванна бөлмесінде құбырларды ауыстырамыз, есептегіштің пломбасы не болады?",
      "o: Жұмыс біткен соң пломбалауға өтінім бересіз.", "c: Жақсы, онда жөндеу біткен соң хабарласамын."], "other"),
    (["c: Маған суық судың есептегішіне пломба салу керек еді.",
      "o: Суық су бойынша «Алматы Су» кәсіпорнына хабарласыңыз."], "out_of_scope"),
])
def test_a_kazakh_request_of_either_kind(checker, turns, topic):
    assert checker.check(call([OPEN, *turns, CLOSE])).topic == topic


@pytest.mark.parametrize("turns, topics", [
    # «тексеру» alone is a check («тексеру мерзімі», the verification period, as «срок поверки»): no request beside
    # the readings; a technical inspection («техникалық тексеру») is one
    (["c: Көрсеткіш берейін деп едім.", "o: Айтыңыз.", "c: Ас үй екі жүз елу бір.",
      "c: Айтпақшы, есептегіштің тексеру мерзімі бітеді деп естідім, сол рас па?",
      "o: Иә, мерзімі келесі айда бітеді, содан кейін тексеруден өткізу керек."], ["readings"]),
    (["c: Есептегішке техникалық тексеру керек.", "o: Дербес шотыңызды айтыңызшы.",
      "c: Дербес шот бір екі үш төрт бес."], ["request.individual"]),
    # the operator asks for an old request's number: a complaint about a master who did not come, no new request
    # (and the question registers none: «өтінім нөмірі» alone tells no registration, as «номер заявки» does not)
    (["c: Кеше шеберді күттім, келмеді. Бұл қалай?", "o: Кешіріңіз. Өтінім нөмірін айтасыз ба?",
      "c: Өтінім екі мың сегіз жүз он бес.", "o: Шебер ертең хабарласады."], ["other"]),
])
def test_a_kazakh_check_is_no_inspection_request(checker, turns, topics):
    assert checker.check(call([OPEN, *turns, CLOSE])).topics == topics


@pytest.mark.parametrize("offer, answer, to_register", [
    # the operator's offer to register refused («жоқ, рахмет»): none to register
    ("o: Қаласаңыз, қазір өтінім рәсімдейін бе?", "c: Жоқ, рахмет, алдымен паспортын қараймын.", False),
    ("o: Қаласаңыз, қазір өтінім рәсімдейін бе?", "c: Иә, рәсімдеңіз.", True),
    # «өтінім тіркелді» is no offer: «жоқ» answers «басқа сұрақ бар ма?»
    ("o: Өтінім тіркелді, басқа сұрағыңыз бар ма?", "c: Жоқ, рахмет.", True),
])
def test_a_kazakh_offer_refused_is_no_request(checker, offer, answer, to_register):
    turns = [OPEN, "c: Есептегішке пломба салу керек, қанша тұрады?", offer, answer, CLOSE]
    assert checker.check(call(turns)).topic.startswith("request.") == to_register


def test_a_russian_call_is_judged_on_every_rule(checker):
    turns = ["o: Здравствуйте, тепловые сети, слушаю вас.", "c: Здравствуйте, хочу передать показания.",
             "o: Спасибо, до свидания."]
    result = checker.check(call(turns))
    assert result.language == "ru" and result.not_assessed == []


LATIN = ["o: Salemetsiz be, Almaty zhylu zhelileri, operator Dana tyndap turmyn.",
         "c: Salemetsiz be, men korsetkishterdi aitkym keledi.", "o: Zharaidy, derbes shot nomirinizdi aitynyz.",
         "c: Bir eki ush tort bes.", "o: Rakhmet, korsetkishter kabyldandy, sau bolynyz."]


@pytest.mark.parametrize("turns, unassessed", [
    (LATIN, {"greeting.missing", "closing.missing", "name.not_used", "escalation.not_offered", "term.unexplained",
             "request.data_missing"}),                                  # every rule of absence: nothing to read
    (["o: Алло?", "c: Ok."], set()),                                   # too few words to tell: as before
])
def test_a_call_no_lexicon_reads_is_not_judged_for_what_it_lacks(checker, turns, unassessed):
    """Speech in Latin letters (or another language) is no evidence that the greeting or the farewell was missing:
    the Russian lexicons simply cannot read it (clause 8: no call is judged in a language it was not spoken in)."""
    result = checker.check(call(turns))
    assert result.language == "unknown"
    assert {n.rule for n in result.not_assessed if n.reason == "language"} == unassessed
    assert not {f.rule for f in result.findings} & unassessed


LETTERLESS = ["o: кайырлы тан жылу желилери оператор дана",
              "c: Салеметсиз бе, менин атым Нурлан, корсеткиштерди бергим келеди.",
              "o: Нурлан, дербес шот номиринизди айтынызшы.", "c: Дербес шот 7873718.",
              "o: Рахмет, корсеткишти айтыныз.", "c: Ваннада жуз жиырма уш.",
              "o: корсеткиштер кабылданды нурлан корискенше"]


def test_kazakh_written_without_its_letters_is_not_judged_for_what_it_seems_to_lack(checker):
    """The audit: Kazakh written without ә, қ, ң, і … (a recogniser decoding it as Russian, a typist) read as
    «no greeting» and «no farewell» (−20) where the same call written with its letters is clean.  A stretch whose
    words no lexicon reads cannot show that a greeting is missing: not assessed, reason language."""
    result = checker.check(call(LETTERLESS))
    assert not {f.rule for f in result.findings} & {"greeting.missing", "closing.missing"}
    assert {"greeting.missing", "closing.missing"} <= {n.rule for n in result.not_assessed if n.reason == "language"}
    russian = checker.check(call(["o: Добрый день, тепловые сети, оператор Дана.", "c: Здравствуйте, хочу передать "
                                  "показания.", "o: Говорите.", "c: Сто двадцать три.", "o: Принято."]))
    assert {f.rule for f in russian.findings} >= {"closing.missing"}   # a Russian stretch is still judged


def test_a_russian_speaking_operator_is_judged_alike_whatever_the_customers_language(checker):
    """The audit: the same Russian operator speech scored 60 with a Russian customer and 100 with a Kazakh one (the
    call was mixed, so every Russian-only rule was left unjudged).  The rules judge the operator's speech."""
    op = ["o: Добрый день, Алматинские тепловые сети, Айгуль, слушаю вас.", None,
          "o: Короче, щас посмотрю. ИПУ у вас стоит с двадцатого года.", None, "o: Всего доброго, до свидания."]
    customers = {"ru": ["c: Здравствуйте, хочу узнать про долг.", "c: Спасибо."],
                 "kk": ["c: Сәлеметсіз бе, қарызды білгім келеді, көмектесіңізші.", "c: Рахмет, түсіндім."]}
    found = {}
    for lang, said in customers.items():
        it = iter(said)
        result = checker.check(call([t or next(it) for t in op]))
        found[lang] = (result.language, {f.rule for f in result.findings}, result.score)
    assert found["kk"][0] == "mixed"
    assert found["kk"][1:] == found["ru"][1:]
    assert {"speech.filler", "speech.jargon"} <= found["kk"][1]


def test_the_transcripts_language_is_kept(checker):
    turns = [OPEN, ASK, CLOSE]
    assert checker.check(call(turns, language="mixed")).language == "mixed"
    assert checker.check(call(turns)).language == "kk"


def test_a_sum_the_caller_repeats_is_no_reading(checker):
    # the operator reads the reading back and tells the sum; the caller repeats the sum («бес мың жеті жүз қырық»)
    turns = [OPEN, ASK, "o: Жақсы, көрсеткішті айтыңыз.", "c: Жеті жүз алпыс үш.",
             "o: Жеті жүз алпыс үш текше метр, қабылдадым. Осы айдағы төлем сомасы — бес мың жеті жүз қырық теңге.",
             "c: Бес мың жеті жүз қырық. Жақсы. Рахмет.", CLOSE]
    assert [r.value for r in checker.check(call(turns)).readings] == [763.0]


@pytest.mark.parametrize("said, values", [
    # «бес», «он», «торт» are Kazakh numbers beside another Kazakh number word, in the reading as in the parser
    ("c: Жүз сексен бес текше метр.", [185.0]),
    ("c: екі жүз он алты", [216.0]),
    ("c: Көрсеткіш мың екі жүз қырық бес.", [1245.0]),
    ("c: Үш жүз он.", [310.0]),
    # an account dictated digit by digit is no reading, its first «бес» included
    ("c: Дербес шотым бес нөл нөл жеті үш үш бір.", []),
    # a Kazakh decimal names its denominator before its digits: «бүтін оннан үш» is .3, «жүзден он бес» .15
    ("c: Ыстық су: жүз қырық жеті бүтін оннан үш.", [147.3]),
    ("c: екі жүз алпыс бес бүтін оннан бес", [265.5]),
    ("c: Тоқсан бір бүтін жүзден он бес.", [91.15]),
    ("c: жүз жиырма екі үтір төрт", [122.4]),
    # «ас үй» (kitchen) is a word about readings, not «үй» (a house) before a number
    ("c: ас үй төрт жүз жиырма бір бүтін жүзден жеті", [421.07]),
    # a number word with an ending after a number: a date or an ordinal, not a part of a reading cut short
    # («жиырма бесіне» — on the 25th — is no reading of 20)
    ("c: Көрсеткішті жиырма бесіне дейін бердім, жүз отыз.", [130.0]),
    ("c: Көрсеткіш жүз қырық жетінші пәтерде жүз он.", [110.0]),
    ("c: Есептегіш көрсеткіші отыз бірінші қазанда алынды.", []),
    # the noun follows the number in Kazakh: «12 үй, 4 пәтер» is an address, «5000 теңге» a sum
    ("c: Сейфуллин даңғылы, 12 үй, 4 пәтер. Көрсеткіш жүз он.", [110.0]),
    ("c: Көрсеткіш жүз он, ал төлем 5000 теңге.", [110.0]),
    ("c: Қара сандары жүз он, ал қызыл сандары бес жүз.", [110.5]),   # the red drums: the fraction
    # a decimal said with «үтір» (comma): «бес» after it is five
    ("c: Ваннада екі жүз отыз бір үтір бес.", [231.5]),
    ("c: Бірінші — жүз отыз екі, үтірден кейін бес.", [132.5]),   # «after the comma, five»
    # «қазіргісі» (the current one) ends what was said of last month before it
    ("c: үш жүз алпыс жоқ кешірініз бұл өткен айдікі қазіргісі үш жүз жетпіс төрт", [374.0]),
    # a house number after the street («Момышұлы көшесі, он сегіз») is no reading
    ("c: Мекенжайым Момышұлы көшесі, он сегіз. Көрсеткіш жүз он.", [110.0]),
    # a span of months or weeks («екі айда») and last month's value («өткен айда 108») are no readings
    ("c: Соңғы он екі айда көрсеткіш аз өзгерді, қазір жүз он.", [110.0]),
    ("c: Өткен айда 108 болған, қазір көрсеткіш жүз он.", [110.0]),
    ("c: жүз он, ал өткен айда мен қате жүз сегіз бердім деп ойлаймын", [110.0]),   # «өткен» words back
    # «жарым» is a half; «жуынатын бөлме» (the bathroom) speaks of a meter as «ванна» does
    ("c: Жуынатын бөлмедегісі алпыс төрт жарым.", [64.5]),
    ("c: өткен айда жүз сегіз еді қазір жүз он", [110.0]),   # …but not past «қазір»
    # a number taken back («жоқ, кешіріңіз»): only the next is the reading
    ("c: Көрсеткіш жүз қырық бес, жоқ, кешіріңіз, жүз қырық алты.", [146.0]),
    # …but not a word of its own that reads like one: «бірге» (together), «үшін» (for)
    ("c: Көрсеткіш екі жүз он бірге жазып алыңыз.", [210.0]),
    ("c: Көрсеткіш екі жүз он үшін айтып тұрмын.", [210.0]),
])
def test_kazakh_readings(checker, said, values):
    turns = [OPEN, ASK, "o: Жақсы, көрсеткішті айтыңыз.", said, CLOSE]
    assert [r.value for r in checker.check(call(turns)).readings] == values


def test_a_rule_not_assessed_does_not_lower_the_score(checker):
    # a Kazakh call with a Russian filler: speech.filler has no Kazakh lexicon, so it is not judged
    turns = [OPEN, ASK, "o: Жақсы, көрсеткішті айтыңыз.", "c: Көрсеткіш 345.", CLOSE]
    result = checker.check(call(turns))
    assert result.score == 100.0


@pytest.mark.parametrize("half", ["test", "dev"])
def test_the_kazakh_corpus(checker, half):
    """Every rule with a Kazakh lexicon F1 >= 0.9 on both halves — dev (tuned on) and test (held out: written
    before any tuning, never tuned on; `oka-qa eval tests/corpus_kk/test`); the language right on >= 95 % of calls."""
    report = evaluate(CORPUS / half, checker).to_dict()
    assert report["calls"] >= 80
    assert report["language_accuracy"] >= 0.95
    for rule, s in report["rules"].items():
        assert rule not in NO_KAZAKH or s["tp"] + s["fp"] == 0 or s["support"] == 0, (half, rule, s)
        if s["support"] >= 3:
            assert s["f1"] is not None and s["f1"] >= 0.9, (half, rule, s)


def test_the_corpus_labels_carry_a_language():
    files = sorted((CORPUS / "test").glob("*.json"))
    langs = {json.loads(p.read_text(encoding="utf-8"))["expected"]["language"] for p in files}
    assert langs == {"kk", "mixed", "ru"}
