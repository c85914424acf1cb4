"""Each rule as a table: utterances → does the rule fire?  Hard negatives and ASR-style text included.

A row is (rule id, fires?, turns).  A turn is "o: text" / "c: text" (operator /
customer, four seconds each, one after another) or a tuple (speaker, start,
end, text) where the times matter.  Only the row's own rule is asserted.
``test_rules_rulebook.py`` checks that every rule of the rulebook has a
positive and a negative row here.
"""
from __future__ import annotations

import pytest

from rules.engine import Checker
from rules.rulebook import DEFAULT_PATH, Rulebook
from transcription.schema import Transcript

HI = "o: Добрый день, Алматинские тепловые сети, Айгуль, слушаю вас."
BYE = "o: Спасибо за обращение, всего доброго!"


def transcript(turns, duration=None, layout="stereo-operator-left", call_id="row") -> Transcript:
    utts, t = [], 0.0
    for turn in turns:
        if isinstance(turn, tuple):
            sp, start, end, text = turn
        else:
            sp, text = turn.split(": ", 1)
            start, end = t, t + 4.0
        speaker = {"o": "operator", "c": "customer", "u": "unknown"}.get(sp, sp)
        utts.append({"speaker": speaker, "start": start, "end": end, "text": text})
        t = max(t, end) + 0.5
    return Transcript.from_dict({"call_id": call_id, "duration_s": duration or t, "layout": layout,
                                 "utterances": utts})


def wrap(*turns):
    return [HI, *turns, "c: Спасибо.", BYE]


READINGS_CALL = ["c: Здравствуйте, хочу передать показания.", "o: Диктуйте, пожалуйста.",
    "c: Горячая вода сто двадцать."]
LEGAL_OK = ["c: ТОО «Береке», нам опломбировать теплосчётчик после ремонта.", "o: Номер договора?", "c: 1234/5.",
            "o: Объект?", "c: Магазин на Абая 15.", "o: Прибор какой, номер?", "c: Карат, номер 556677.",
            "o: Контактное лицо?", "c: Ержан, 87012223344.", "o: Заявку направим."]
REQUEST_OK = ["c: Здравствуйте, нужно опломбировать счётчик, мы его поменяли после аварии.",
              "o: Назовите лицевой счёт.", "c: Лицевой счёт 12345678.",
              "o: Контактный телефон?", "c: 87011234567.", "o: Заявка зарегистрирована."]

ROWS = [
    # address.forbidden (15.1): a vocative, from the operator only
    ("address.forbidden", True, wrap("c: Хочу передать показания.", "o: Девушка, подождите.")),
    ("address.forbidden", True, wrap("c: хочу передать показания", "o: мужчина вы меня слышите")),
    ("address.forbidden", True, wrap("c: Алло.", "o: Подождите, женщина, я проверю.")),
    ("address.forbidden", True, wrap("c: алло", "o: подождите девушка")),
    ("address.forbidden", True, wrap("c: Алло.", "o: Молодой человек, назовите адрес.")),
    # no mark after it (the recogniser's text): the clause it opens asks «you» to do something
    ("address.forbidden", True, wrap("c: алло", "o: молодой человек номер договора скажите")),
    ("address.forbidden", True, wrap("c: алло", "o: молодой человек номер договора айтыңыз")),
    ("address.forbidden", False, wrap("c: алло", "o: мужчина который приходил оставил акт")),
    ("address.forbidden", False, wrap("c: алло", "o: девушка из соседней квартиры скажите ей")),
    ("address.forbidden", False, wrap("c: Девушка, подождите.", "o: Хорошо, жду.")),
    ("address.forbidden", False, wrap("c: Когда придут?", "o: К вам придёт мастер, молодой человек из ПЭУ.")),
    ("address.forbidden", False, wrap("c: когда придут", "o: к вам придет мастер молодой человек из пэу")),
    ("address.forbidden", False, wrap("c: Алло.", "o: Женщина, которая звонила до вас, спрашивала то же.")),
    ("address.forbidden", False, wrap("c: Кому отдать?", "o: Передайте девушке, она примет.")),
    ("address.forbidden", False, wrap("c: Почему так?", "o: Тариф не дорогой, по сравнению с другими городами.")),
    ("address.forbidden", False, wrap("c: Алло.", "o: Уважаемая Айгуль Сериковна, ваша заявка принята.")),
    ("address.forbidden", False, wrap("c: Алло.", "o: уважаемая бибигуль ваша заявка принята")),
    # address.ty (15.1)
    ("address.ty", True, wrap("c: Алло.", "o: Подожди, сейчас посмотрю.")),
    ("address.ty", True, wrap("c: Алло.", "o: скажи номер счета")),
    ("address.ty", True, wrap("c: Алло.", "o: Ты меня слышишь?")),
    # a form as likely another verb's («пришли»: «прийти»'s past or «прислать»'s imperative) is no «ты»
    ("address.ty", False, wrap("c: Алло.", "o: В феврале пришли показания сразу за два месяца.")),
    ("address.ty", True, wrap("c: Алло.", "o: Я же тебе объясняю.")),
    ("address.ty", True, wrap("c: Алло.", "o: знаешь что перезвони позже")),
    ("address.ty", False, wrap("c: Алло.", "o: Подождите, пожалуйста.")),
    # ASR-style: «насчёт счётчика» misheard; «Чипи» is no verb the dictionary knows
    ("address.ty", False, wrap("c: Хочу передать показаний о счет Чипа.", "o: Спасибо. Какие показания насчет Чипи?")),
    ("address.ty", True, wrap("c: Алло.", "o: Подожди, у нас и вечный барда, к этими заявками,")),
    # ASR-style opening: a misheard name before «слушаю вас» is not «ты»; after the introduction it is
    ("address.ty", True, ["o: Тепловые сети, слушаю вас. Ты чего звонишь?", "c: Алло.", BYE]),
    ("address.ty", False, wrap("c: Ты мне скажи, когда дадут отопление?", "o: Скажите, пожалуйста, адрес.")),
    ("address.ty", False, wrap("c: Алло.", "o: Пожалуй, я уточню у мастера.")),
    ("address.ty", False, wrap("c: Алло.", "o: Мой коллега вам перезвонит.")),
    # speech.filler (13)
    ("speech.filler", True, wrap("c: Алло.", "o: Короче, я всё записала.")),
    ("speech.filler", True, wrap("c: Алло.", "o: ну типа так положено")),
    ("speech.filler", True, wrap("c: Алло.", "o: Я, как бы, не могу сказать.")),
    ("speech.filler", True, wrap("c: Алло.", "o: Блин, система зависла.")),
    ("speech.filler", True, wrap("c: Алло.", "o: вообщем все правильно")),
    ("speech.filler", False, wrap("c: Алло.", "o: Как бы вы хотели получить ответ?")),
    ("speech.filler", False, wrap("c: Алло.", "o: Какого типа у вас счётчик?")),
    ("speech.filler", False, wrap("c: Алло.", "o: Это самое главное.")),
    ("speech.filler", False, wrap("c: Короче, девушка, я не знаю.", "o: Давайте разберёмся.")),
    ("speech.filler", False, wrap("c: Алло.", "o: Так будет короче и быстрее.")),
    # speech.jargon (13)
    ("speech.jargon", True, wrap("c: Алло.", "o: Щас посмотрю.")),
    ("speech.jargon", True, wrap("c: Алло.", "o: окей записала")),
    ("speech.jargon", True, wrap("c: Алло.", "o: Секундочку.")),
    ("speech.jargon", True, wrap("c: Алло.", "o: Давайте вашу заявочку оформим.")),
    ("speech.jargon", True, wrap("c: Алло.", "o: Чё-то система тормозит.")),
    ("speech.jargon", False, wrap("c: Алло.", "o: Сейчас посмотрю.")),
    ("speech.jargon", False, wrap("c: Окей, щас найду.", "o: Хорошо, жду.")),
    ("speech.jargon", False, wrap("c: Алло.", "o: Одну секунду, пожалуйста.")),
    ("speech.jargon", False, wrap("c: Алло.", "o: Давайте вашу заявку оформим.")),
    # speech.rude (15.2–15.4, 15.10–15.12)
    ("speech.rude", True, wrap("c: Почему?", "o: Это не мои проблемы.")),
    # a long phrase bent by the recogniser is heard by sound (a word the dictionary does not know is in the
    # utterance), as whole words — never inside a longer word
    ("speech.rude", True, wrap("c: Я не понимаю.", "o: Колька можно повторять, оставтье телефон.")),
    ("enterprise.negative", True, wrap("c: Почему так много?", "o: У нас вечный бардок с начислениями.")),
    ("speech.rude", False, wrap("c: Я не понимаю.", "o: Несколькоможноповторятьсяли оставтье телефон.")),
    ("speech.rude", True, wrap("c: Почему?", "o: вы что не понимаете я же вам русским языком сказала")),
    ("speech.rude", True, wrap("c: Почему?", "o: Сколько можно повторять!")),
    ("speech.rude", True, wrap("c: Почему?", "o: Не ваше дело.")),
    ("speech.rude", False, wrap("c: Это не мои проблемы!", "o: Я понимаю ваше беспокойство.")),
    ("speech.rude", False, wrap("c: Почему?", "o: Не переживайте, это не ваша вина.")),
    ("speech.rude", False, wrap("c: вы что не понимаете", "o: понимаю давайте разберемся")),
    # enterprise.negative (15.15)
    ("enterprise.negative", True, wrap("c: Почему?", "o: Ой, у нас вечно бардак.")),
    ("enterprise.negative", True, wrap("c: Почему?", "o: наши опять ничего не сделали")),
    ("enterprise.negative", True, wrap("c: Почему?", "o: У нас как всегда.")),
    ("enterprise.negative", False, wrap("c: У вас вечно бардак!", "o: Я вас поняла.")),
    ("enterprise.negative", False, wrap("c: Когда?", "o: Наши мастера придут в среду.")),
    ("enterprise.negative", False, wrap("c: Когда?", "o: У нас заявки выполняются за десять рабочих дней.")),
    # greeting.missing (14, 15.16)
    ("greeting.missing", True, ["o: Тепловые сети, слушаю.", "c: Алло.", BYE]),
    ("greeting.missing", True, ["o: алло говорите", "c: алло", BYE]),
    ("greeting.missing", False, [HI, "c: Алло.", BYE]),
    ("greeting.missing", False, ["o: здраствуйте тепловые сети", "c: алло", BYE]),
    ("greeting.missing", False, ["o: Сәлеметсіз бе, тепловые сети.", "c: Алло.", BYE]),
    ("greeting.missing", False, ["o: Алло.", "c: Алло?", "o: Добрый день, тепловые сети.", BYE]),
    ("greeting.missing", False, ["c: Алло?"]),
    ("greeting.missing", False, ["o: Сдравстом идите, тепловые сети.", "c: Алло.", BYE]),  # as the ASR bends it
    ("greeting.missing", False, ["o: Три меттизбе АЛМАТИНские тепловые сети, слушаю вас.", "c: Алло.", BYE]),
    ("greeting.missing", False, ["o: ЛИМИТ СИСБИ, АЛМАТИНСКИ, тепловые сети.", "c: Алло.", BYE]),
    ("greeting.missing", False, ["o: СДРАПСТУМИТЕ, ПАЛТИ СОБАНИНСКИ ЕД.", "c: Алло.", BYE]),
    ("greeting.missing", True, ["o: Чтобы избежать ошибок, назовите счёт.", "c: Алло.", BYE]),  # not a bent greeting
    # closing.missing (15.16)
    ("closing.missing", True, [HI, "c: Спасибо.", "o: Всё, ждите."]),
    ("closing.missing", True, [HI, "c: Куда звонить?", "o: Обращайтесь в отдел кадров."]),
    ("closing.missing", True, [HI, "c: спасибо", "o: угу"]),
    ("closing.missing", False, [HI, "c: Спасибо.", "o: До свидания."]),
    ("closing.missing", False, [HI, "c: спасибо", "o: досвидания"]),
    ("closing.missing", False, [HI, "c: Спасибо.", "o: Всего доброго.", "c: Спасибо.", "o: Да."]),
    ("closing.missing", False, [HI, "c: Спасибо.", "o: Сау болыңыз!"]),
    # name.not_used (14.1)
    ("name.not_used", False, wrap("c: Меня зовут Бауыржан.", "o: Бауржан, назовите лицевой счёт.", "c: 1234567.")),
    # ASR-style: a misheard greeting pymorphy guesses a name is not the caller's name; the name after «зовут» is
    ("name.not_used", False, wrap("c: Из драфствовмете меня зовут Морад. Хочу передать показаний.",
                                  "o: Морад, назовите, пожалуйста, номер лицевого счёта.")),
    ("name.not_used", True, wrap("c: Из драфствовмете меня зовут Марат. Хочу передать показаний.",
                                 "o: Назовите, пожалуйста, номер лицевого счёта.")),
    ("name.not_used", True, wrap("c: Здравствуйте, меня зовут Нурлан.", "o: Слушаю вас.")),
    # a name the recogniser bent into a word the dictionary does not know, right after «зовут»; used back bent
    ("name.not_used", True, wrap("c: Здравствуйте, меня зовут Валырган.", "o: Слушаю вас.")),
    ("name.not_used", False, wrap("c: Здравствуйте, меня зовут Валырган.", "o: Валерган, слушаю вас.")),
    ("name.not_used", True, wrap("c: это айгуль сериковна беспокоит", "o: слушаю вас")),
    ("name.not_used", True, ["o: Добрый день, как к вам обращаться?", "c: Мария.", "o: Что у вас случилось?", BYE]),
    ("name.not_used", True, wrap("c: Жумабаева Сауле Ерлановна. Хочу передать показания.", "o: Диктуйте.")),
    ("name.not_used", False, wrap("c: Здравствуйте, меня зовут Нурлан.", "o: Нурлан, слушаю вас.")),
    ("name.not_used", False, wrap("c: Это Анна Петровна.", "o: Анна Петровна, диктуйте.")),
    ("name.not_used", False, wrap("c: Я из ТОО «Нур Маркет».", "o: Слушаю вас.")),
    # the company word in any case form: «от компании. Это Айгерим Строй» names a company, not the caller
    ("name.not_used", False, wrap("c: Звоню от компании. Это Айгерим Строй, нужна опломбировка.", "o: Слушаю вас.")),
    ("name.not_used", False, wrap("c: Я из организации, это Марина Трейд.", "o: Слушаю вас.")),
    ("name.not_used", True, wrap("c: Я из организации, меня зовут Марина.", "o: Слушаю вас.")),
    # a Kazakh name in its Kazakh spelling is a name too («Нұрлан», the list's «Нурлан»), beside a surname the
    # dictionary reads as a name: the operator who uses it uses the caller's name
    ("name.not_used", False, wrap("c: Мен, Нұрлан Сериков, телефон 8 702 118 40 40.",
                                  "o: Нұрлан мырза, заявка тіркелді.")),
    # a name in quotation marks is a firm's or a brand's, whatever word stands before it
    ("name.not_used", False, wrap("c: Алло, это такси «Жолдас»? Мне машину на Абая.", "o: Нет, это тепловые сети.")),
    ("name.not_used", False, wrap('c: Это магазинчик "Айгерим", хотим опломбировать.', "o: Слушаю вас.")),
    ("name.not_used", True, wrap("c: Алло, это Айгерим, хотим опломбировать.", "o: Слушаю вас.")),
    ("name.not_used", False, wrap("c: Подожди, Серёжа, я разговариваю.", "o: Слушаю вас.")),
    ("name.not_used", False, ["o: Добрый день, как к вам обращаться?", "c: Мария.",
                              "o: Мария, что у вас случилось? Это дом на Маркова?", BYE]),
    # escalation.not_offered (18)
    ("escalation.not_offered", True, wrap("c: Меня это не устраивает! Дайте руководителя.", "o: Руководителя нет.")),
    ("escalation.not_offered", True, wrap("c: я буду жаловаться это безобразие", "o: жалуйтесь")),
    ("escalation.not_offered", True, wrap("c: Я недовольна!", "o: Ну что я могу сделать.")),
    ("escalation.not_offered", False, wrap("c: Меня это не устраивает!",
                                           "o: Могу соединить вас с начальником отдела или примите письменное "
                                           "обращение через канцелярию.")),
    ("escalation.not_offered", False, wrap("c: Дайте руководителя!",
                                           "o: Вы можете написать официальный запрос через канцелярию.")),
    ("escalation.not_offered", False, wrap("c: Меня это не устраивает!", "o: Давайте проверю.",
                                           "c: А, теперь понятно, спасибо.")),
    ("escalation.not_offered", False, wrap("c: Хочу передать показания.", "o: Диктуйте.")),
    # an offer the recogniser bent is heard by sound; a bent word next to a refusal is no offer
    ("escalation.not_offered", False, wrap("c: Меня это не устраивает!",
                                           "o: Можете подать пистеменное заявление через конселярии.")),
    ("escalation.not_offered", False, wrap("c: Дайте руководителя!", "o: Обратитесь к наченику отдела.")),
    ("escalation.not_offered", True, wrap("c: Дайте руководителя!", "o: Не могу соединить вас с наченику.")),
    ("escalation.not_offered", True, wrap("c: Я недовольна!", "o: Ну что я могу сделать, заявление принято.")),
    # the offer came first and the complaint takes it up: offered
    ("escalation.not_offered", False, wrap("c: Ваш мастер нагрубил мне.",
        "o: Приношу извинения. Можете подать жалобу через канцелярию, или я соединю вас с начальником отдела.",
        "c: Соедините с начальником.", "o: Соединяю, оставайтесь на линии.")),
    # …by its words: a word that only sounds like an offer before the complaint is none
    ("escalation.not_offered", True, wrap("c: а почему так дорого", "o: оплата поступила 37079 тенге в следующей "
                                          "квитанции долг уйдет", "c: я буду жаловаться это безобразие",
                                          "o: начальника нет звоните завтра")),
    # out of scope: «куда жаловаться?» in the caller's opening turn (however many utterances) asks where to go;
    # dissatisfaction after the operator's answer counts
    ("escalation.not_offered", False, [HI, "c: Добрый день, это Арман.",
                                       "c: У нас во дворе не вывозят мусор, куда жаловаться?",
                                       "o: Вывоз мусора не относится к тепловым сетям, обратитесь в акимат.",
                                       "c: Хорошо, спасибо.", BYE]),
    ("escalation.not_offered", True, [HI, "c: Добрый день, это Арман.",
                                      "c: У нас во дворе не вывозят мусор, куда жаловаться?",
                                      "o: Вывоз мусора не относится к тепловым сетям.",
                                      "c: Меня это не устраивает, дайте руководителя.", "o: Я всё объяснила.", BYE]),
    # third_party.disclosed (14.7)
    ("third_party.disclosed", True, wrap("c: Скажите, у моего соседа какая задолженность?",
        "o: У него долг десять тысяч тенге.")),
    ("third_party.disclosed", True, wrap("c: на кого оформлен лицевой счет в квартире 12",
                                         "o: счет оформлен на петрова игоря")),
    ("third_party.disclosed", True, wrap("c: Дайте телефон соседки.", "o: Записывайте: восемь семь ноль один.")),
    # the answer after the caller answers the operator's own question («номер дома повторите»)
    ("third_party.disclosed", True, wrap("c: Сколько должен сосед из сорок третьей? Он не платит.",
                                         "o: Номер дома ещё раз повторите.", "c: Толе би, 273, квартира 43.",
                                         "o: По сорок третьей квартире задолженность восемнадцать тысяч тенге.")),
    # …not after the caller moved on to something of their own
    ("third_party.disclosed", False, wrap("c: Сколько должен сосед из сорок третьей? Он не платит.",
                                          "o: Минуточку.",
                                          "c: Ладно, тогда мои показания примите, сто двадцать.",
                                          "o: Сто двадцать, приняла. У вас задолженности нет, ноль тенге.")),
    ("third_party.disclosed", False, wrap("c: Скажите, у моего соседа какая задолженность?",
                                          "o: Не могу предоставить информацию по третьим лицам, это персональные "
                                          "данные.")),
    ("third_party.disclosed", False, wrap("c: Я за маму звоню, можно передать показания?", "o: Да, диктуйте.",
                                          "c: Сто двадцать.", "o: Записала 120.")),
    ("third_party.disclosed", False, wrap("c: сколько должна моя мама", "o: пусть владелец сам позвонит")),
    # the operator called «дочка», «сынок»: no third person is asked about
    ("third_party.disclosed", False, wrap("c: Алло, дочка, здравствуй. Я показания хочу сказать, ты запишешь?",
                                          "o: Да, назовите номер лицевого счёта.", "c: Четыре ноль ноль два семь.")),
    ("third_party.disclosed", False, wrap("c: Спасибо, сынок! А сколько я должна?", "o: Долг 4500 тенге.")),
    # …but a person a sentence opens with and goes on about is one
    ("third_party.disclosed", True, wrap("c: Соседка, сколько она должна?", "o: Она должна 4500 тенге.")),
    # how debts pass with a flat is the rule, not the previous owner's data; the amount is
    ("third_party.disclosed", False, wrap("c: Я купил квартиру. А если у прежнего хозяина долг остался?",
                                          "o: Задолженность числится за лицевым счётом, это решают при сделке.")),
    ("third_party.disclosed", True, wrap("c: Я купил квартиру. А если у прежнего хозяина долг остался?",
                                         "o: Да, за ним числится 45000 тенге.")),
    # the caller asks of their own account: their name, given when asked, and their account read back tell them
    # nothing new, nor does «оформлен на вас»
    ("third_party.disclosed", False, wrap("c: Хочу узнать, на кого оформлен мой лицевой счёт 42770105.",
                                          "o: Подскажите ваши фамилию, имя и отчество.",
                                          "c: Жумабаева Раушан Тулегеновна.",
                                          "o: Раушан Тулегеновна, счёт 42770105 оформлен на вас.")),
    ("third_party.disclosed", True, wrap("c: Хочу узнать, на кого оформлен лицевой счёт в квартире 12.",
                                         "o: Счёт 42770105 оформлен на Петрова.")),
    # the operator asking for the caller's own account tells nothing, whoever the caller mentioned
    ("third_party.disclosed", False, wrap("c: Мы три месяца жили у дочери, а нам начислили, хочу узнать про перерасчёт",
                                          "o: Подскажите номер лицевого счёта, я посмотрю начисления.")),
    ("third_party.disclosed", True, wrap("c: Скажите, дочка моя, сколько должна?", "o: Долг 4500 тенге.")),
    # term.unexplained (13)
    ("term.unexplained", True, wrap("c: Что делать?", "o: Нужно опломбировать ИПУ.")),
    ("term.unexplained", True, wrap("c: что делать", "o: для чжд порядок другой")),
    ("term.unexplained", True, wrap("c: У меня горячей воды счётчик.", "o: Показания ГВС до двадцать пятого.")),
    ("term.unexplained", False, wrap("c: Что делать?",
        "o: ИПУ, то есть индивидуальный прибор учёта, нужно опломбировать.")),
    ("term.unexplained", False, wrap("c: Что делать?", "o: Нужно опломбировать ИПУ.",
                                     "o: Это индивидуальный прибор учёта, счётчик.")),
    ("term.unexplained", False, wrap("c: ИПУ у меня новый.", "o: Хорошо, оформим заявку.")),
    ("term.unexplained", False, wrap("c: что делать", "o: для частного жилого дома чжд порядок другой")),
    # interruption (15.12)
    ("interruption", True, [("o", 0, 3, "Добрый день, тепловые сети."), ("c", 3.5, 10,
        "Я вам уже третий раз объясняю, никто не приходит."),
                            ("o", 8.5, 11, "Назовите адрес."), ("o", 12, 14, "До свидания.")]),
    ("interruption", True, [("o", 0, 3, "добрый день"), ("c", 3.5, 9, "у нас батареи холодные неделю"),
                            ("o", 7.0, 9.5, "подождите подождите"), ("o", 10, 12, "до свидания")]),
    ("interruption", False, [("o", 0, 3, "Добрый день."), ("c", 3.5, 10, "У нас батареи холодные неделю."),
                             ("o", 9.5, 12, "Назовите адрес."), ("o", 12.5, 14, "До свидания.")]),
    ("interruption", False, [("o", 0, 3, "Добрый день."), ("c", 3.5, 10, "У нас батареи холодные неделю."),
                             ("o", 6, 8, "Угу, да-да, понятно."), ("o", 10.5, 12, "До свидания.")]),
    ("interruption", False, [("o", 0, 6, "Добрый день, тепловые сети, слушаю вас."), ("c", 3, 8,
        "Алло, алло, у меня вопрос."),
                             ("o", 9, 12, "До свидания.")]),
    # tempo.fast (13): words a minute over the operator's speech
    ("tempo.fast", True, [("o", 0, 4,
        "Добрый день Алматинские тепловые сети оператор Айгуль слушаю вас внимательно говорите пожалуйста"),
                          ("c", 4.5, 7, "Хочу передать показания."),
                          ("o", 7.5, 12,
                              "Назовите пожалуйста номер лицевого счёта и адрес квартиры и ваш контактный телефон для "
                              "связи и показания")]),
    ("tempo.fast", False, [("o", 0, 6,
        "Добрый день Алматинские тепловые сети оператор Айгуль слушаю вас внимательно говорите пожалуйста"),
                           ("c", 6.5, 9, "Хочу передать показания."),
                           ("o", 9.5, 17,
                               "Назовите пожалуйста номер лицевого счёта и адрес квартиры и ваш контактный телефон "
                               "для связи и показания")]),
    ("tempo.fast", False, [("o", 0, 1, "Добрый день, тепловые сети, слушаю."), ("c", 1.5, 3, "Алло.")]),
    # request.data_missing (20–21, Appendix 1)
    ("request.data_missing", True, wrap("c: Здравствуйте, нужно опломбировать счётчик, мы его поменяли.",
                                        "o: Назовите лицевой счёт.", "c: 12345678.", "o: Заявка принята.")),
    ("request.data_missing", True,
        wrap("c: Добрый день, ТОО «Береке», нужно опломбировать теплосчётчик по договору номер 512.",
                                        "o: Телефон?", "c: 87011234567.", "o: Заявка принята.")),
    ("request.data_missing", False, wrap(*REQUEST_OK)),
    ("request.data_missing", False, wrap("c: нужно опломбировать счетчик после ремонта", "o: лицевой счет",
                                         "c: один два три четыре пять шесть семь", "o: телефон",
                                         "c: звоните на этот номер", "o: заявка принята")),
    ("request.data_missing", False, wrap(*READINGS_CALL)),
    # ASR-style: a misheard «счёт» and «аварии», the dictation hyphenated
    ("request.data_missing", False, wrap("c: После авариев порвали и нужно заново опламбировать",
                                         "c: щетчегоря чливоды.", "o: Подожди, какой цветовый щет.",
                                         "c: Девять-неледин-два-три-четыре-пять-счет.", "o: Телефон для связи.",
                                         "c: В восемьсядесят пять-четыре-счетыре-три-три-двадцать-два.",
                                         "o: Заявку на плым беретку после авариев формила.")),
    # ASR-style: a dictation broken by misheard words, a misheard «осмотр счётчика» as the reason
    ("request.data_missing", False, wrap("c: Хочу вызбудь мастер на асмотрощевчика.",
        "o: Ирлан, назовите ли цивоя счет?",
                                         "c: 6, ненависти ему 8, 9, ненависти ему 1, 2.", "o: И контакт на телефон.",
                                         "c: 87772134560.", "o: Герланд, заявка на технический отмотр, оформленная")),
    # ASR-style: «лицевого счёта» heard inside other words
    ("request.data_missing", False, wrap("c: Мне нужно опландировать тещетчик горячей воды?",
                                         "o: Подскажите номер лица, ого-во-асчета.", "c: 38 миллионов, чипы, 17541.",
                                         "o: По какой причине?", "c: После ремонта в ванной снимал планбу.",
                                         "o: Контактный номер телефон на для связи.", "c: 7772-347-144.",
                                         "o: Заявка зарегистрирована.")),
    ("request.data_missing", True, wrap("c: Мне нужно распломбировать щетчик.", "c: У нас ремонт ваной.",
                                        "o: Лицевой счёт?", "c: 4 0 0 5 6 7 8 9 0.", "o: Заявку оформил.")),
    # not one field taken: no registration to judge (min_collected) — a customer asking how sealing works,
    # told to call when the meter is in; a call whose operator's questions the recogniser lost
    ("request.data_missing", False, wrap("c: Можно ли поставить счётчик на горячую воду и как его опломбировать?",
                                         "o: Сначала установите прибор учёта, затем подаётся заявка на опломбирование.",
                                         "c: А это платно?", "o: Бесплатно. Когда поставите, позвоните, оформим.")),
    ("request.data_missing", False, wrap("c: нужно опломбировать счетчик мы поменяли", "o: мм да",
                                         "c: хорошо спасибо")),
    # «телефончик для связи» asks for the phone (a word that begins with a field's stem)
    ("request.data_missing", False, wrap("c: нам пломбу надо поставить мы щетчик поменяли",
                                         "o: лицевой счет скажите пожалуйста", "c: 8 8 2 0 3 1 6 4",
                                         "o: телефончик для связи", "c: 8 700 123 98 76",
                                         "o: все заявочка зарегистрирована")),
    # …but a registration the operator states as made is judged, with no field taken
    ("request.data_missing", True, wrap("c: Как вызвать контролёра опломбировать новый счётчик?",
                                        "o: Что случилось, почему нужна пломба?", "c: После ремонта сняли пломбу.",
                                        "o: Заявка зарегистрирована, контролёр свяжется с вами.")),
    ("request.data_missing", False, wrap("c: Как вызвать контролёра опломбировать новый счётчик?",
                                         "o: Заявки на опломбирование оформляем по звонку, когда счётчик стоит.")),
    # aht.over_norm (Appendix 1)
    ("aht.over_norm", True, [HI, *READINGS_CALL, ("o", 300, 305, "Спасибо, до свидания.")]),
    ("aht.over_norm", True, [HI, *REQUEST_OK, ("o", 430, 435, "Спасибо, до свидания.")]),
    ("aht.over_norm", False, [HI, *READINGS_CALL, ("o", 280, 290, "Спасибо, до свидания.")]),
    ("aht.over_norm", False, [HI, "c: Почему такая большая квитанция за отопление?", ("o", 1700, 1750,
        "До свидания.")]),
    ("aht.over_norm", False, [HI, "c: Это поликлиника?", ("o", 900, 905, "Нет, до свидания.")]),
]

# more phrasings, from probing the rules with lines an auditor might write
ROWS += [
    ("address.forbidden", True, wrap("c: Алло.", "o: Дорогой мой, я вам всё объяснила.")),
    ("address.forbidden", True, wrap("c: Алло.", "o: Да, девушка, слушаю.")),
    ("address.forbidden", True, wrap("c: алло", "o: подождите девушка система грузится")),
    ("address.forbidden", False, wrap("c: Почему так много?", "o: Проверьте дорогой тариф в квитанции.")),
    ("address.forbidden", True, wrap("c: Алло.", "o: Извините, мужчина, но это не к нам.")),
    ("address.forbidden", False, wrap("c: Алло.", "o: Мастер — мужчина пожилой, он вас предупредит.")),
    ("address.forbidden", False, wrap("c: Алло.", "o: Уважаемый абонент, ваша заявка принята.")),
    ("address.ty", True, wrap("c: Алло.", "o: Чего тебе надо?")),
    ("address.ty", True, wrap("c: Алло.", "o: Ну, перезвони завтра.")),
    ("address.ty", False, wrap("c: Алло.", "o: Руководство у нас такое, ничего не поделаешь.")),
    ("address.ty", False, wrap("c: Алло.", "o: Будьте добры, продиктуйте.")),
    ("speech.filler", True, wrap("c: Алло.", "o: Как бы вам сказать, это не к нам.")),
    ("speech.filler", True, wrap("c: Алло.", "o: Вот, в общем, такая ситуация.")),
    ("speech.filler", True, wrap("c: Алло.", "o: Ждите, короче.")),
    ("speech.filler", False, wrap("c: Алло.", "o: Путь через приложение короче.")),
    ("speech.filler", False, wrap("c: Алло.", "o: Так сказать нельзя, это неправильно.")),
    ("speech.filler", False, wrap("c: Алло.", "o: В общем доступе этой информации нет.")),
    ("speech.jargon", True, wrap("c: Алло.", "o: ща посмотрю")),
    ("speech.jargon", True, wrap("c: Алло.", "o: Документики принесите в офис.")),
    ("speech.jargon", False, wrap("c: Алло.", "o: Информация такая: мастер будет завтра.")),
    ("speech.rude", True, wrap("c: Алло.", "o: Я вам сто раз уже объяснила.")),
    ("speech.rude", True, wrap("c: Алло.", "o: Не мешайте мне работать.")),
    ("speech.rude", True, wrap("c: Алло.", "o: Какой же вы непонятливый.")),
    ("speech.rude", False, wrap("c: Алло.", "o: Не волнуйтесь, всё решим.")),
    ("enterprise.negative", True, wrap("c: Алло.", "o: Сама не знаю, что у нас творится.")),
    ("enterprise.negative", True, wrap("c: Алло.", "o: Наши ничего не умеют.")),
    ("enterprise.negative", False, wrap("c: Алло.", "o: У нас такой порядок, извините.")),
    ("closing.missing", False, [HI, "c: Спасибо.", "o: Хорошего вам дня!"]),
    ("closing.missing", True, [HI, "c: Спасибо, до свидания.", "o: Ага."]),
    ("name.not_used", False, wrap("c: Звоню насчёт мамы, её зовут Роза Ахметовна.", "o: Слушаю.")),
    ("name.not_used", True, wrap("c: Я Асель, звоню насчёт пломбы.", "o: Слушаю.")),
    ("name.not_used", False, ["o: Здравствуйте, Динара, слушаю.", "c: Это Динара Маратовна беспокоит.",
                              "o: Динара, продиктуйте лицевой счёт.", BYE]),
    ("name.not_used", False, ["o: Здравствуйте, Динара, слушаю.", "c: Динара, здравствуйте, у меня вопрос.",
                              "o: Слушаю вас.", BYE]),
    ("escalation.not_offered", True, wrap("c: Я хочу написать жалобу на вашего мастера.", "o: Ну пишите.")),
    ("escalation.not_offered", False, wrap("c: Позовите старшего!",
                                           "o: Я могу переключить вас на руководителя абонентской службы.")),
    ("third_party.disclosed", True, wrap("c: Скажите, какой долг у соседки из двенадцатой?",
        "o: Там около пяти тысяч.")),
    ("third_party.disclosed", False, wrap("c: Скажите, какой долг у соседки?", "o: Это конфиденциальная информация.")),
    ("third_party.disclosed", True, wrap("c: Подскажите, кто проживает в квартире 24?", "o: Там Петров Игорь.")),
    ("third_party.disclosed", False, wrap("c: Это Анна Петровна. Подскажите, кто проживает в квартире 24?",
                                          "o: Анна Петровна, такие сведения даём только собственнику.")),
    ("term.unexplained", True, wrap("c: Что нужно?", "o: Нужна поверка ИПУ ГВС.")),
    ("term.unexplained", False, wrap("c: Что нужно?",
        "o: Нужна поверка ИПУ ГВС, то есть вашего счётчика горячей воды.")),
    # a legal entity's request: contract, object, meter (with its number), contact, reason
    ("request.data_missing", False, wrap(*LEGAL_OK)),
    # the reason in words the cue list misses («менять»), stated by the operator as recorded: collected
    ("request.data_missing", False, wrap("c: Нужно распломбировать счётчик, будем менять.", "o: Лицевой счёт?",
                                         "c: 4455667.", "o: Причина: замена счётчика. Контактный телефон?",
                                         "c: 87011234567.", "o: Заявка принята.")),
    # …or stated after a colon in words no cue names («прибор выдаёт ошибку»)
    ("request.data_missing", False, wrap("c: Нужно вызвать мастера к счётчику.", "o: Лицевой счёт?",
                                         "c: 4455667.", "o: Причина обращения: прибор выдаёт ошибку.",
                                         "o: Контактный телефон?", "c: 87011234567.", "o: Заявка принята.")),
    # …a question is no statement of it
    ("request.data_missing", True, wrap("c: Нужно распломбировать счётчик, будем менять.", "o: Лицевой счёт?",
                                        "c: 4455667.", "o: По какой причине: замена или ремонт?", "c: Ну да.",
                                        "o: Контактный телефон?", "c: 87011234567.", "o: Заявка принята.")),
    ("request.data_missing", True, wrap(*[t for t in LEGAL_OK if "Карат" not in t and "Прибор" not in t])),
    ("request.data_missing", True, wrap(*[t for t in LEGAL_OK if "1234" not in t and "договора" not in t])),
    ("request.data_missing", True, wrap("c: Мне надо опломбировать счётчик.", "o: Ваш лицевой счёт?", "c: 4455667.",
                                        "o: Телефон для связи?", "c: 8 701 222 33 44.",
                                        "o: Заявка принята, мастер установит пломбу.")),
]


@pytest.fixture(scope="module")
def checker():
    return Checker.default()


@pytest.mark.parametrize("rule, fires, turns", ROWS, ids=[f"{r[0]}-{'pos' if r[1] else 'neg'}-{i}" for i,
    r in enumerate(ROWS)])
def test_rule_table(checker, rule, fires, turns):
    result = checker.check(transcript(turns))
    fired = [f for f in result.findings if f.rule == rule]
    assert bool(fired) == fires, [(f.rule, f.evidence) for f in result.findings]
    for f in fired:
        assert f.clause and f.evidence and f.speaker == "operator"


def test_findings_carry_clause_evidence_and_time(checker):
    t = transcript([HI, "c: Хочу передать показания.", ("o", 12.4, 13.0, "Девушка, подождите."), BYE])
    (f,) = [f for f in checker.check(t).findings if f.rule == "address.forbidden"]
    assert (f.clause, f.start, f.end, f.evidence) == ("15.1", 12.4, 13.0, "Девушка, подождите")


def test_word_timestamps_narrow_the_time(checker):
    data = {"call_id": "w", "duration_s": 20, "layout": "stereo-operator-left", "utterances": [
        {"speaker": "operator", "start": 0, "end": 4, "text": "Добрый день. Щас посмотрю.",
         "words": [{"w": "Добрый", "start": 0.0, "end": 0.4}, {"w": "день.", "start": 0.4, "end": 0.9},
                   {"w": "Щас", "start": 2.0, "end": 2.3}, {"w": "посмотрю.", "start": 2.3, "end": 3.0}]}]}
    (f,) = [f for f in checker.check(Transcript.from_dict(data)).findings if f.rule == "speech.jargon"]
    assert (f.start, f.end) == (2.0, 2.3)


@pytest.mark.parametrize("turns, layout, fires", [
    # mono, no diarisation: the first utterance and those that sound like the operator's are the operator's
    (["u: Алло, тепловые сети, слушаю вас.", "u: Девушка, подождите, я квитанцию найду."], "mono", False),
    (["u: Алло, тепловые сети, слушаю вас.", "u: Алло.", "u: Девушка, слушаю вас, говорите."], "mono", True),
    (["u: Добрый день, тепловые сети, слушаю вас.", "u: Хочу передать показания.", "u: Девушка, подождите.",
      "u: До свидания."], "mono", False),
    # the caller greets too: a greeting is no mark of the operator («Здравствуйте, девушка» is the customer's)
    (["u: Тепловые сети, слушаю вас.", "u: Здравствуйте, девушка, я хочу передать показания."], "mono", False),
    # …and takes leave too: a farewell is no mark either («Спасибо, девушка, до свидания» is the customer's)
    (["u: Тепловые сети, слушаю вас.", "u: Хочу передать показания, сто двадцать.", "u: Записала.",
      "u: Спасибо, девушка, до свидания."], "mono", False),
    # with a diarised operator, unknown utterances are nobody's
    (["o: Добрый день.", "u: Девушка, подождите."], "stereo-operator-left", False),
])
def test_unknown_speakers(checker, turns, layout, fires):
    result = checker.check(transcript(turns, layout=layout))
    assert any(f.rule == "address.forbidden" for f in result.findings) == fires


@pytest.mark.parametrize("last, closed", [
    (["u: Записала, до свидания.", "u: До свидания."], True),
    (["u: Записала.", "u: Спасибо, до свидания."], True),     # whoever said it: the roles of a mono call are guessed
    (["u: Записала.", "u: Хорошо."], False),
])
def test_mono_call_closing(checker, last, closed):
    t = transcript(["u: Добрый день, тепловые сети, слушаю вас.", "u: Хочу передать показания.", "u: Сто двадцать.",
                    *last], layout="mono")
    assert any(f.rule == "closing.missing" for f in checker.check(t).findings) != closed


def test_mono_call_ending_with_a_farewell_is_closed(checker):
    t = transcript(["u: Добрый день, тепловые сети, слушаю вас.", "u: Хочу передать показания.", "u: Сто двадцать.",
                    "u: Записала, до свидания.", "u: До свидания."], layout="mono")
    result = checker.check(t)
    assert not [f for f in result.findings if f.rule in ("closing.missing", "greeting.missing")]


def test_whole_call_rules_fire_once(checker):
    t = transcript(["o: Алло.", "c: Меня зовут Нурлан, я недоволен, дайте начальника!", "o: Нет его.",
                    "c: Я буду жаловаться!", "o: Ну и ладно."])
    ids = [f.rule for f in checker.check(t).findings]
    for rule in ("greeting.missing", "closing.missing", "name.not_used", "escalation.not_offered"):
        assert ids.count(rule) == 1


SAID = {"address.forbidden": "o: Девушка, подождите.", "speech.filler": "o: Короче, всё."}


# The weights are chosen here, not read back from rulebook.yaml: the score follows whatever the rulebook says.
@pytest.mark.parametrize("weights, said, score", [
    ({"address.forbidden": 11, "speech.filler": 7}, (), 100.0),
    ({"address.forbidden": 11, "speech.filler": 7}, ("address.forbidden",), 89.0),
    ({"address.forbidden": 11, "speech.filler": 7}, ("address.forbidden", "speech.filler"), 82.0),
    ({"address.forbidden": 11, "speech.filler": 7}, ("address.forbidden", "address.forbidden"), 89.0),  # once
    ({"address.forbidden": 2.5, "speech.filler": 0}, ("address.forbidden", "speech.filler"), 97.5),
    ({"address.forbidden": 70, "speech.filler": 60}, ("address.forbidden", "speech.filler"), 0.0),  # not below 0
])
def test_score_is_100_minus_weights_of_rules_fired(weights, said, score):
    rulebook = Rulebook.load(DEFAULT_PATH)
    for rule in rulebook.rules:
        rule.weight = weights.get(rule.id, rule.weight)
    result = Checker(rulebook).check(transcript(wrap("c: Алло.", *(SAID[r] for r in said))))
    assert {f.rule for f in result.findings} == set(said)
    assert result.score == score
