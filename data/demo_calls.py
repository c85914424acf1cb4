"""The scripted calls of the bundled demo: one list entry a call.

Each call says who took it, when, how it is recorded, what was said, and
which records the operator entered afterwards (minutes after the call ended;
``None`` for a record that names no call and must be linked by time).  The
scripts cover the four jobs of the department and the violations an auditor
looks for; ``data/make_demo.py`` renders them into audio and CSV files.
"""
from data.tts import Turn

OPERATORS = {
    "op01": "Айгуль Сапарова",
    "op02": "Нурлан Ахметов",
    "op03": "Елена Ким",
}

GREETING = "Добрый день, Алматинские тепловые сети, {name}, слушаю вас."

CALLS = [
    {"call_id": "2026-03-16_0001", "started_at": "2026-03-16T10:05:00", "operator": "op01",
         "layout": "stereo-operator-left",
         "turns": [
             ("operator", GREETING.format(name="Айгуль")),
             ("customer", "Здравствуйте, меня зовут Марат. Хочу передать показания счётчика горячей воды."),
             ("operator", "Марат, назовите, пожалуйста, номер лицевого счёта."),
             ("customer", "Лицевой счёт один ноль ноль два три четыре пять шесть семь."),
             ("operator", "Спасибо. Какие показания на счётчике?"),
             ("customer", "Две тысячи сорок пять и три десятых."),
             ("operator", "Марат, показания две тысячи сорок пять и три десятых приняты. Спасибо за обращение, "
                          "всего доброго."),
         ],
         "readings": [{"reading_id": "R-0001", "account": "100234567", "meter": "ГВС-1", "value": 2045.3,
                       "after_min": 3}]},
    {"call_id": "2026-04-07_0002", "started_at": "2026-04-07T11:20:00", "operator": "op02",
         "layout": "stereo-operator-left",
         "turns": [
             ("operator", GREETING.format(name="Нурлан")),
             ("customer", "Здравствуйте, я Светлана Петровна. Мы заменили счётчик горячей воды, "
                          "нужно его опломбировать."),
             ("operator", "Светлана Петровна, оформим заявку на опломбировку. Продиктуйте номер лицевого счёта."),
             ("customer", "Лицевой счёт два ноль ноль три четыре пять шесть семь восемь."),
             ("operator", "Укажите, пожалуйста, контактный телефон."),
             ("customer", "Восемь семьсот один пятьсот пятьдесят пять двенадцать тридцать четыре."),
             ("operator", "Причина заявки: замена прибора учёта. Мастер свяжется с вами в течение десяти рабочих "
                          "дней."),
             ("operator", "Светлана Петровна, заявка зарегистрирована. Спасибо за обращение, до свидания."),
         ],
         "requests": [{"request_id": "Q-0001", "customer_type": "individual", "kind": "sealing", "account": "200345678",
                        "contact": "87015551234", "reason": "замена ИПУ ГВС", "after_min": 4, "completed_days": 6}]},
    {"call_id": "2026-05-20_0003", "started_at": "2026-05-20T15:40:00", "operator": "op03",
         "layout": "stereo-operator-left",
         "turns": [
             ("operator", GREETING.format(name="Елена")),
             ("customer", "Здравствуйте. Почему в этом месяце такая большая сумма за отопление?"),
             ("operator", "Щас посмотрю. Короче, начисление выросло, потому что изменился тариф."),
             ("customer", "А с какого числа изменился тариф?"),
             ("operator", "С первого мая. Ну, как бы, это по всему городу так."),
             ("customer", "Понятно, спасибо."),
         ]},
    {"call_id": "2026-07-08_0004", "started_at": "2026-07-08T09:12:00", "operator": "op01",
         "layout": "stereo-operator-left",
         "turns": [
             ("operator", GREETING.format(name="Айгуль")),
             ("customer", "Здравствуйте, это Гульнара Сериковна. Передаю показания по горячей воде."),
             ("operator", "Гульнара Сериковна, продиктуйте, пожалуйста, номер лицевого счёта."),
             ("customer", "Три ноль ноль четыре пять шесть семь восемь девять."),
             ("operator", "Какие показания?"),
             ("customer", "Триста двенадцать целых семь десятых."),
             ("operator", "Гульнара Сериковна, показания триста двенадцать и семь приняты. Хорошего дня."),
         ],
         "readings": [{"reading_id": "R-0002", "account": "300456789", "meter": "ГВС-1", "value": 312.7,
                       "after_min": 12}]},
    {"call_id": "2026-07-22_0005", "started_at": "2026-07-22T14:03:00", "operator": "op02",
         "layout": "stereo-operator-left",
         "turns": [
             ("operator", GREETING.format(name="Нурлан")),
             ("customer", "Алло, здравствуйте. Мне нужно распломбировать счётчик, у нас ремонт в ванной."),
             ("operator", "Девушка, подождите. Для распломбировки ИПУ ГВС нужен лицевой счёт."),
             ("customer", "Лицевой счёт четыре ноль ноль пять шесть семь восемь девять ноль."),
             ("operator", "Заявку на распломбировку ИПУ ГВС оформил. Всего доброго."),
         ],
         "requests": [{"request_id": "Q-0002", "customer_type": "individual", "kind": "unsealing",
                       "account": "400567890", "contact": "", "reason": "ремонт", "after_min": 20,
                       "completed_days": 8}]},
    {"call_id": "2026-08-05_0006", "started_at": "2026-08-05T10:30:00", "operator": "op03",
         "layout": "stereo-operator-left",
         "turns": [
             ("operator", GREETING.format(name="Елена")),
             ("customer", "Добрый день, это товарищество Береке, нам нужен технический осмотр прибора учёта тепловой "
                          "энергии."),
             ("operator", "Подскажите номер договора."),
             ("customer", "Договор номер пять пять один два."),
             ("operator", "Назовите объект и номер прибора учёта."),
             ("customer", "Объект склад на улице Толе би, прибор номер семь семь восемь восемь."),
             ("operator", "И контактный телефон, пожалуйста."),
             ("customer", "Восемь семьсот семь сто двадцать три сорок пять шестьдесят семь."),
             ("operator", "Заявка на осмотр оформлена, специалисты свяжутся с вами. Спасибо за обращение, "
                          "до свидания."),
         ],
         "requests": [{"request_id": "Q-0003", "customer_type": "legal", "kind": "inspection", "contract_no": "5512",
                        "object_name": "Склад, ул. Толе би", "meter": "7788", "contact": "87071234567",
                        "reason": "технический осмотр", "after_min": 6, "completed_days": 16, "link_by_time": True}]},
    {"call_id": "2026-08-19_0007", "started_at": "2026-08-19T16:45:00", "operator": "op01",
         "layout": "stereo-operator-left",
         "turns": [
             ("operator", GREETING.format(name="Айгуль")),
             ("customer", "Меня не устраивает ваш ответ по перерасчёту, я хочу поговорить с руководителем."),
             ("operator", "Понимаю вас. Вы можете написать официальный запрос через канцелярию предприятия, "
                          "либо я соединю вас с начальником управления."),
             ("customer", "Хорошо, соедините, пожалуйста."),
             ("operator", "Соединяю. Спасибо за обращение, всего доброго."),
         ]},
    {"call_id": "2026-09-02_0008", "started_at": "2026-09-02T12:10:00", "operator": "op02",
         "layout": "stereo-operator-left",
         "turns": [
             ("operator", GREETING.format(name="Нурлан")),
             ("customer", "Мне опять насчитали долг, которого нет. Меня это не устраивает, я буду жаловаться."),
             ("operator", "Это не мои проблемы, начисления делает другой отдел."),
             ("customer", "То есть вы ничего не сделаете?"),
             ("operator", "Нет."),
         ]},
    {"call_id": "2026-09-16_0009", "started_at": "2026-09-16T09:50:00", "operator": "op03",
         "layout": "stereo-operator-left",
         "turns": [
             ("operator", GREETING.format(name="Елена")),
             ("customer", "Здравствуйте, меня зовут Бауыржан, хочу передать показания."),
             ("operator", "Бауыржан, назовите номер лицевого счёта."),
             ("customer", "Пять ноль ноль шесть семь восемь девять ноль один."),
             ("operator", "Какие показания на счётчике горячей воды?"),
             ("customer", "Сто двадцать три целых пять десятых."),
             ("operator", "Бауыржан, показания приняты. Спасибо за обращение, до свидания."),
         ],
         "readings": [{"reading_id": "R-0003", "account": "500678901", "meter": "ГВС-1", "value": 132.5,
                       "after_min": 2}]},
    {"call_id": "2026-10-07_0010", "started_at": "2026-10-07T11:00:00", "operator": "op01",
         "layout": "stereo-operator-left",
         "turns": [
             ("operator", GREETING.format(name="Айгуль")),
             ("customer", "Здравствуйте, я Ерлан. Хочу вызвать мастера на осмотр счётчика, "
                          "он стал крутиться быстрее обычного и я не понимаю почему."),
             Turn("operator", "Ерлан, назовите лицевой счёт.", overlap_s=1.6),
             ("customer", "Шесть ноль ноль семь восемь девять ноль один два."),
             ("operator", "И контактный телефон."),
             ("customer", "Восемь семьсот семьдесят семь один два три четыре пять шесть семь."),
             ("operator", "Ерлан, заявка на технический осмотр оформлена, причина: неисправность счётчика. "
                          "До свидания."),
         ],
         "requests": [{"request_id": "Q-0004", "customer_type": "individual", "kind": "inspection",
                       "account": "600789012", "contact": "87771234567", "reason": "неисправность ИПУ",
                       "after_min": 5, "completed_days": None}]},
    {"call_id": "2026-10-14_0011", "started_at": "2026-10-14T13:25:00", "operator": "op02",
         "layout": "stereo-operator-left",
         "turns": [
             ("operator", GREETING.format(name="Нурлан")),
             ("customer", "Здравствуйте, передаю показания горячей воды, "
                          "лицевой счёт семь ноль ноль восемь девять ноль один два три."),
             ("operator", "Какие показания?"),
             ("customer", "Восемьсот сорок один."),
             ("operator", "Принято. Спасибо за обращение, до свидания."),
         ]},
    {"call_id": "2026-10-21_0012", "started_at": "2026-10-21T10:40:00", "operator": "op03",
         "layout": "stereo-operator-left",
         "turns": [
             ("operator", GREETING.format(name="Елена")),
             ("customer", "Здравствуйте, скажите, сколько должна моя соседка из сорок пятой квартиры за отопление?"),
             ("operator", "К сожалению, информацию по другим абонентам мы не предоставляем, это персональные данные."),
             ("customer", "Понятно. А сколько должен я, лицевой счёт восемь ноль ноль девять ноль один два три "
                          "четыре?"),
             ("operator", "По вашему лицевому счёту задолженности нет. Спасибо за обращение, всего доброго."),
         ]},
    {"call_id": "2026-11-03_0013", "started_at": "2026-11-03T15:00:00", "operator": "op02",
         "layout": "stereo-operator-left",
         "broken": True, "turns": []},
    {"call_id": "2026-11-10_0014", "started_at": "2026-11-10T09:30:00", "operator": "op01",
         "layout": "stereo-operator-left",
         "turns": [
             ("operator", GREETING.format(name="Айгуль")),
             ("customer", "Здравствуйте, у меня отключили электричество, когда включат свет?"),
             ("operator", "Вопросы электроснабжения не относятся к нашему предприятию. Обратитесь, пожалуйста, "
                          "в компанию, которая поставляет электроэнергию."),
             ("customer", "Ясно, спасибо."),
             ("operator", "Спасибо за обращение, хорошего дня."),
         ]},
    {"call_id": "2026-11-17_0015", "started_at": "2026-11-17T14:15:00", "operator": "op03",
         "layout": "stereo-operator-left",
         "turns": [
             ("operator", GREETING.format(name="Елена")),
             ("customer", "Здравствуйте, после аварии в подвале нужно заново опломбировать счётчик горячей воды."),
             ("operator", "Подожди, у нас вечно бардак с этими заявками. Какой лицевой счёт?"),
             ("customer", "Девять ноль ноль один два три четыре пять шесть."),
             ("operator", "Телефон для связи?"),
             ("customer", "Восемь семьсот пять четыреста сорок четыре тридцать три двадцать два."),
             ("operator", "Заявку на опломбировку после аварии оформила. До свидания."),
         ],
         "requests": [{"request_id": "Q-0005", "customer_type": "individual", "kind": "sealing", "account": "900123456",
                        "contact": "87054443322", "reason": "авария", "after_min": 3, "completed_days": None}]},
    {"call_id": "2026-11-24_0016", "started_at": "2026-11-24T10:00:00", "operator": "op02", "layout": "mono",
         "turns": [
             ("operator", GREETING.format(name="Нурлан")),
             ("customer", "Здравствуйте, передаю показания, лицевой счёт один один ноль два три четыре пять шесть "
                          "семь."),
             ("operator", "Какие показания?"),
             ("customer", "Пятьсот шестьдесят семь."),
             ("operator", "Принято, спасибо за обращение, до свидания."),
         ],
         "readings": [{"reading_id": "R-0004", "account": "110234567", "meter": "ГВС-1", "value": 567.0, "after_min": 9,
                        "link_by_time": True}]},
    {"call_id": "2026-11-24_0017", "started_at": "2026-11-24T10:04:00", "operator": "op02",
         "layout": "stereo-operator-left",
         "turns": [
             ("operator", GREETING.format(name="Нурлан")),
             ("customer", "Добрый день, показания горячей воды, лицевой счёт один два ноль три четыре пять шесть семь "
                          "восемь."),
             ("operator", "Слушаю показания."),
             ("customer", "Девятьсот восемь."),
             ("operator", "Показания приняты, всего доброго."),
         ],
         "readings": [{"reading_id": "R-0005", "account": "120345678", "meter": "ГВС-1", "value": 908.0, "after_min": 1,
                        "link_by_time": True}]},
]
