"""Writes the labelled corpus of calls to ОКА (``tests/corpus/*.json``).

Each file is a transcript (docs/CONTRACT.md section 1) plus ``"expected"``: the set
of rules an auditor would mark, the topic and the readings dictated.  Calls are
assembled from hand-written turns of the four kinds of calls (readings,
household and legal requests, billing and reference questions) plus
out-of-scope and other calls; violations and hard negatives (the same words in
an innocent context, or from the customer) are put in on purpose, so the label
follows from how the call was written, never from the checker.  About 40 % are
written the way the embedded ASR writes: lowercase, no punctuation, numbers in
digits, a few misheard words.

    python tests/corpus/make_corpus.py        # rewrites tests/corpus/*.json (seeded, reproducible)
"""
from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

from num2words import num2words

sys.path.insert(0, str(Path(__file__).resolve().parent))
from turns import (
    CLOSE,
    CUST_BYE,
    ESC_BAD,
    ESC_CU,
    ESC_GOOD,
    GREET,
    INTERRUPT_OP,
    KAZ_F,
    KAZ_M,
    LONG_CU,
    NEG_CU,
    NEG_OP,
    NO_CLOSE,
    NO_GREET,
    OBJECTS,
    OOS_ANSWER,
    OPEN,
    OPERATORS,
    ORGS,
    POS,
    RUS_F,
    RUS_M,
    STREETS,
    TP_BAD,
    TP_CU,
    TP_GOOD,
)

HERE = Path(__file__).parent

RULES = ["address.forbidden", "address.ty", "speech.filler", "speech.jargon", "speech.rude", "enterprise.negative",
         "greeting.missing", "closing.missing", "name.not_used", "escalation.not_offered", "third_party.disclosed",
         "term.unexplained", "interruption", "tempo.fast", "request.data_missing", "aht.over_norm"]
NORM_S = {"request.individual": 420, "request.legal": 420, "readings": 300, "billing": 1800}

MISHEARD = {"здравствуйте": ["здраствуйте", "здрасте"], "пожалуйста": ["пожалуста", "пожалуйста"],
            "показания": ["показание", "показания"], "опломбировать": ["апломбировать"],
            "опломбировку": ["апломбировку"], "лицевой": ["лицевой", "лицевого"], "квитанция": ["квитанцию"],
            "тепловые": ["тепловая", "тепловые"], "алматинские": ["алматинский", "алматинская"],
            "свидания": ["свидания"], "подскажите": ["подскажите", "подскажете"],
            "счётчик": ["счетчик", "щетчик"], "заявку": ["заявка"], "отопление": ["отапление"]}
MERGE = [("до свидания", "досвидания"), ("в общем", "вообщем"), ("тепловые сети", "тепловые сети")]


def words_ru(n: int) -> str:
    return num2words(n, lang="ru")


def say_value(r: random.Random, value: float) -> str:
    """A meter value as a caller says it, in one of the usual ways."""
    whole = int(value)
    frac = round(value - whole, 3)
    if frac == 0:
        return r.choice([words_ru(whole), str(whole)])
    tenths = round(frac * 10)
    style = r.randrange(5)
    if style == 0:
        return f"{words_ru(whole)} и {words_ru(tenths).replace('один', 'одна').replace('два', 'две')} " + \
            ("десятая" if tenths == 1 else "десятых")
    if style == 1:
        return f"{words_ru(whole)} целых {words_ru(tenths)}"
    if style == 2:
        return f"{whole},{tenths}"
    if style == 3:
        return f"{words_ru(whole)} и {words_ru(tenths)}"
    return f"{words_ru(whole)} запятая {words_ru(tenths)}"


def say_digits(r: random.Random, digits: str) -> str:
    """A long number dictated: digit by digit, in pairs/triples, or as digits."""
    style = r.randrange(3)
    if style == 0:
        return " ".join(words_ru(int(d)) for d in digits)
    if style == 1:
        return digits
    parts, i = [], 0
    while i < len(digits):
        k = 3 if len(digits) - i > 4 else 2
        chunk = digits[i:i + k]
        parts.append(chunk if chunk.startswith("0") else words_ru(int(chunk)))
        i += k
    return " ".join(parts)


def asr(r: random.Random, text: str) -> str:
    """Text as the embedded ASR writes it: lowercase, no punctuation, a few words misheard or merged."""
    t = text.lower().replace("ё", "е")
    t = re.sub(r"[«»\"“”]", "", t)
    t = re.sub(r"(?<=\d),(?=\d)", "@", t)
    t = re.sub(r"[.,!?;:—–…()]", " ", t)
    t = t.replace("@", ",")
    for a, b in MERGE:
        if r.random() < 0.5:
            t = t.replace(a, b)
    out = []
    for w in t.split():
        if w in MISHEARD and r.random() < 0.35:
            w = r.choice(MISHEARD[w])
        out.append(w)
    return " ".join(out)


class Call:
    """Turns with times; a label set that grows as violations are written in."""

    def __init__(self, r: random.Random, call_id: str, topic: str, raw: bool):
        self.r, self.call_id, self.topic, self.raw = r, call_id, topic, raw
        self.turns: list[dict] = []
        self.rules: set[str] = set()
        self.readings: list[float] = []
        self.t = 0.0
        self.op_sec_per_word = r.uniform(0.36, 0.44)
        self.last_customer = None
        self.customer_name: tuple | None = None
        self.hard_negatives: set[str] = set()
        self.note: list[str] = []

    def _add(self, speaker: str, text: str, sec_per_word: float, start: float | None = None) -> dict:
        n = max(1, len(text.split()))
        start = self.t + self.r.uniform(0.3, 0.9) if start is None else start
        end = start + n * sec_per_word + self.r.uniform(0.1, 0.4)
        u = {"speaker": speaker, "start": round(start, 2), "end": round(end, 2),
             "text": asr(self.r, text) if self.raw else text}
        self.turns.append(u)
        self.t = max(self.t, end)
        return u

    def op(self, text: str, interrupt: float | None = None) -> dict:
        start = None
        if interrupt is not None and self.last_customer is not None:
            start = self.last_customer["end"] - interrupt
        return self._add("operator", text, self.op_sec_per_word, start)

    def cu(self, text: str) -> dict:
        u = self._add("customer", text, self.r.uniform(0.38, 0.5))
        self.last_customer = u
        return u

    def hold(self, seconds: float) -> None:
        self.t += seconds

    def to_json(self) -> dict:
        dur = round(self.t + self.r.uniform(0.5, 2.0), 2)
        return {"call_id": self.call_id, "duration_s": dur, "language": "ru",
                "layout": self.r.choice(["stereo-operator-left", "stereo-operator-left", "stereo-operator-right"]),
                "utterances": self.turns,
                "expected": {"rules": sorted(self.rules), "topic": self.topic, "readings": self.readings,
                             "hard_negatives": sorted(self.hard_negatives),
                             "style": "asr" if self.raw else "written", "notes": self.note}}


def person(r: random.Random):
    return r.choice(r.choice([RUS_F, RUS_M, KAZ_F, KAZ_M]))


def account(r: random.Random) -> str:
    return str(r.randrange(1000000, 99999999))


def phone(r: random.Random) -> str:
    return ("87" + str(r.choice([0, 0, 0, 7, 7, 4])) + str(r.randrange(1, 9))
            + "".join(str(r.randrange(10)) for _ in range(7)))


def reading_value(r: random.Random) -> float:
    whole = r.choice([r.randrange(10, 999), r.randrange(100, 3000), r.randrange(1000, 9999)])
    return float(whole) if r.random() < 0.35 else whole + r.randrange(1, 10) / 10


def fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else str(v).replace(".", ",")


def body(r: random.Random, c: Call, drop: set[str], who, org: str) -> list:
    """The topic's turns as (speaker, text) steps; ``drop`` leaves request fields out."""
    st = r.choice(STREETS)
    acc = account(r)
    steps: list = []
    ask_acc = r.choice(["Назовите, пожалуйста, номер лицевого счёта.", "Продиктуйте лицевой счёт, пожалуйста.",
                        "Ваш лицевой счёт?", "Подскажите номер лицевого счёта."])
    give_acc = r.choice(["{a}.", "Лицевой счёт {a}.", "Сейчас, {a}.",
                         "Вот, по квитанции {a}."]).format(a=say_digits(r, acc))
    if c.topic == "readings":
        steps += [("op", ask_acc), ("cu", give_acc),
                  ("op", r.choice([f"Адрес: улица {st}, дом {r.randrange(1, 200)}?", "Проверяю. Это частный дом?",
                                   f"Квартира на {st}, верно?"])),
                  ("cu", r.choice(["Да, всё верно.", "Да.", "Верно, да."]))]
        if r.random() < 0.3:
            prev = reading_value(r)
            steps.append(("op", f"В прошлом месяце у вас было {fmt(prev)}."))
            steps.append(("cu", "Да, помню."))
        steps.append(("op", r.choice(["Диктуйте показания.", "Слушаю вас, говорите показания.",
                                      "Какие показания на счётчике?",
                                      "Продиктуйте, пожалуйста, показания."])))
        vals = [reading_value(r) for _ in range(r.choice([1, 1, 1, 2]))]
        if len(vals) == 1:
            steps.append(("cu", r.choice(["{v}.", "Горячая вода {v}.", "На счётчике {v}.",
                                          "Сейчас посмотрю. Вот, {v}."]).format(
                v=say_value(r, vals[0]))))
        else:
            steps.append(("cu", f"На кухне {say_value(r, vals[0])}, в ванной {say_value(r, vals[1])}."))
        c.readings = vals
        if r.random() < 0.5:
            steps.append(("op", "Записала: " + ", ".join(fmt(v) for v in vals) + ". Показания приняты."))
        else:
            steps.append(("op", "Показания приняты."))
    elif c.topic == "request.individual":
        if "лицевой счёт" not in drop:
            steps += [("op", ask_acc), ("cu", give_acc)]
        steps += [("op", "Адрес подтвердите, пожалуйста."),
                  ("cu", f"{st}, дом {r.randrange(1, 150)}, квартира {r.randrange(1, 120)}.")]
        if "причина" not in drop:
            steps += [("op", r.choice(["По какой причине нужна опломбировка?", "Что случилось, почему нужна пломба?",
                                       "Причину подскажите, пожалуйста."])),
                      ("cu", r.choice(["Мы поменяли счётчик, старый сломался.",
                                       "После ремонта в ванной, сантехник снимал пломбу.",
                                       "Была авария, прорвало трубу, пломбу сорвали.",
                                       "Срок поверки истёк, поставили новый счётчик."]))]
        if "контактный телефон" not in drop:
            steps.append(("op", r.choice(["Контактный номер телефона для связи?",
                                          "Оставьте, пожалуйста, телефон для связи."])))
            steps.append(("cu", r.choice([f"{say_digits(r, phone(r))}.", "Звоните на этот номер, с которого звоню."])))
        steps.append(("op", "Заявка зарегистрирована, контролёр свяжется с вами в течение пяти-десяти рабочих дней."))
        steps.append(("cu", "Хорошо, буду ждать."))
    elif c.topic == "request.legal":
        if "номер договора" not in drop:
            steps += [("op", "Назовите, пожалуйста, номер договора."),
                      ("cu", f"Договор номер {say_digits(r, str(r.randrange(100, 99999)))}.")]
        if "объект" not in drop:
            steps += [("op", "Какой объект и по какому адресу?"),
                      ("cu", f"{r.choice(OBJECTS).capitalize()} на {st}, {r.randrange(1, 200)}.")]
        if "прибор учета" not in drop:
            steps += [("op", "Данные прибора: марка и заводской номер?"),
                      ("cu", f"Теплосчётчик {r.choice(['Карат', 'Взлёт', 'Логика', 'Пульсар'])}, заводской номер "
                             f"{say_digits(r, str(r.randrange(10000, 9999999)))}.")]
        if "причина" not in drop:
            steps += [("op", "Причина обращения?"),
                      ("cu", r.choice(["Заменили прибор после поверки.", "Была реконструкция узла, сняли пломбу.",
                                       "Прибор сломался, поставили новый.",
                                       "Перед отопительным сезоном нужна проверка."]))]
        if "контакт" not in drop:
            steps += [("op", "Контактное лицо и телефон?"),
                      ("cu", f"{who[0]} {who[2]}, {say_digits(r, phone(r))}.")]
        steps.append(("op", "Заявку направим в службу контроля, срок исполнения пять-десять рабочих дней."))
        steps.append(("cu", "Понятно, ждём."))
    elif c.topic == "billing":
        s = r.randrange(3000, 60000)
        steps += [("op", ask_acc), ("cu", give_acc)]
        steps.append(("op", r.choice([
            f"По вашему счёту начислено {s} тенге за отопление, это по площади квартиры по утверждённому тарифу.",
            f"Задолженность на первое число составляет {s} тенге.",
            "Отопительный сезон начинается с пятнадцатого октября, точную дату объявит акимат.",
            "Перерасчёт делается по заявлению, нужна справка о временном отсутствии.",
            f"Оплата поступила, {s} тенге, в следующей квитанции долг уйдёт."])))
        steps.append(("cu", r.choice(["Понятно.", "А почему так дорого?", "Ясно, а где эту справку взять?",
                                      "Хорошо."])))
        steps.append(("op", r.choice(["Тариф утверждён уполномоченным органом, мы его не меняем.",
                                      "Справку можно взять в ЦОНе или через портал.",
                                      "Если будут вопросы, звоните, всё объясним."])))
        if r.random() < 0.3:
            steps.append(("cu", f"Я в прошлом месяце передавала {fmt(reading_value(r))}, а начислили по нормативу."))
            steps.append(("op", "Проверила, показания дошли, перерасчёт будет в следующем месяце."))
    elif c.topic == "out_of_scope":
        key = next(k for k in OOS_ANSWER if k in c.note[0].lower())
        steps.append(("op", OOS_ANSWER[key]))
        steps.append(("cu", r.choice(["А телефон их не подскажете?", "А куда тогда звонить?", "Понятно."])))
        steps.append(("op", "Номер есть на их сайте, к сожалению, точного номера у меня нет."))
    else:  # other
        first = c.note[0]
        if "поликлиника" in first:
            steps += [("op", "Нет, вы ошиблись номером, это тепловые сети."), ("cu", "Ой, извините.")]
        elif "слышите" in first:
            steps += [("op", "Вас не слышно, перезвоните, пожалуйста.")]
        elif "вакансии" in first:
            steps += [("op", "По вакансиям обращайтесь в отдел кадров."), ("cu", "Хорошо, спасибо.")]
        elif "поблагодарить" in first:
            steps += [("op", "Спасибо большое за добрые слова, обязательно передадим."), ("cu", "Вам спасибо.")]
        else:
            steps += [("op", "Это абонентский отдел, бухгалтерия работает по другому номеру."), ("cu", "А, понятно.")]
    return steps


def build(r: random.Random, idx: int, topic: str, raw: bool, pos: set[str], neg: set[str]) -> Call:
    c = Call(r, f"corpus_{idx:03d}", topic, raw)
    opname = r.choice(OPERATORS)
    who = person(r)
    org = r.choice(ORGS)
    if "tempo.fast" in pos:
        c.op_sec_per_word = r.uniform(0.22, 0.27)
    elif "tempo.fast" in neg:
        c.op_sec_per_word = r.uniform(0.33, 0.35)
    # opening
    if "greeting.missing" in pos:
        c.op(r.choice(NO_GREET).format(op=opname))
    elif "greeting.missing" in neg and r.random() < 0.5:
        c.op("Алло.")
        c.cu("Алло?")
        c.op(r.choice(GREET).format(op=opname))
    else:
        c.op(r.choice(GREET).format(op=opname))
    drop: set[str] = set()
    if "request.data_missing" in pos:
        fields = (["лицевой счёт", "контактный телефон", "причина"] if topic == "request.individual"
                  else ["номер договора", "объект", "прибор учета", "контакт", "причина"])
        drop = set(r.sample(fields, r.choice([1, 1, 2])))
    openings = OPEN[topic]
    if drop:  # an opening that does not already give a dropped field
        openings = [o for o in openings
                    if not ("причина" in drop and re.search(r"менять|осмотр|новый|поменяли", o))
                    and not ("объект" in drop and "объект" in o) and not ("номер договора" in drop and "договор" in o)]
    opening = r.choice(openings).format(org=org)
    c.note.append(opening)
    name_given = "name.not_used" in pos or "name.not_used" in neg or (topic != "other" and r.random() < 0.4)
    intro_style = r.randrange(4) if name_given else -1
    if intro_style == 0:
        rest = opening.split(", ", 1)[-1]
        opening = f"Здравствуйте, меня зовут {who[0]}. " + rest[0].upper() + rest[1:]
    elif intro_style == 1:
        opening = opening.rstrip(".?!") + f". Это {who[0]} {who[1]} беспокоит."
    elif intro_style == 2:
        opening = f"{who[2]} {who[0]} {who[1]}. " + opening
    c.cu(opening)
    if intro_style == 3:
        c.op(r.choice(["Как к вам обращаться?", "Представьтесь, пожалуйста.", "Как вас зовут?"]))
        c.cu(r.choice([f"{who[0]}.", f"{who[0]} {who[1]}.", f"Меня {who[0]} зовут."]))
    use_name = name_given and "name.not_used" not in pos
    steps = body(r, c, drop, who, org)
    if use_name:
        k = next(i for i, s in enumerate(steps) if s[0] == "op")
        addr = r.choice([f"{who[0]}", f"{who[0]} {who[1]}"])
        steps[k] = ("op", f"{addr}, " + steps[k][1][0].lower() + steps[k][1][1:])
    # violations and hard negatives, placed in the middle of the call
    extra: list = []
    for rule in sorted(pos):
        if rule in POS:
            extra.append([("op", r.choice(POS[rule]))])
        elif rule == "escalation.not_offered":
            extra.append([("cu", r.choice(ESC_CU)), ("op", r.choice(ESC_BAD))])
        elif rule == "third_party.disclosed":
            fill = {"k": r.randrange(1, 150), "street": r.choice(STREETS),
                    "sum": words_ru(r.randrange(2, 90)) + " тысяч",
                    "phone": say_digits(r, phone(r)), "surname": person(r)[2], "first": person(r)[0],
                    "patr": person(r)[1]}
            i = r.randrange(len(TP_CU))
            extra.append([("cu", TP_CU[i].format(**fill)), ("op", TP_BAD[i].format(**fill))])
        elif rule == "interruption":
            extra.append([("cu", r.choice(LONG_CU)), ("op!", r.choice(INTERRUPT_OP), r.uniform(1.2, 2.6))])
    for rule in sorted(neg):
        lines = [x for x in NEG_OP.get(rule, []) if use_name or "{first}" not in x]
        if lines and r.random() < 0.7:
            extra.append([("op", r.choice(lines).format(first=who[0], patr=who[1]))])
        elif rule in NEG_CU:
            extra.append([("cu", r.choice(NEG_CU[rule]))])
        elif lines:
            extra.append([("op", r.choice(lines).format(first=who[0], patr=who[1]))])
        elif rule == "escalation.not_offered":
            if r.random() < 0.7:
                extra.append([("cu", r.choice(ESC_CU)), ("op", r.choice(ESC_GOOD))])
            else:
                extra.append([("cu", r.choice(ESC_CU)), ("op", "Давайте я проверю, возможно, это ошибка в начислении."),
                              ("cu", "А, теперь понятно, спасибо, вопрос решён.")])
        elif rule == "third_party.disclosed":
            fill = {"k": r.randrange(1, 150), "street": r.choice(STREETS)}
            extra.append([("cu", r.choice(TP_CU).format(**fill)), ("op", r.choice(TP_GOOD))])
        elif rule == "interruption":
            extra.append([("cu", r.choice(LONG_CU)), ("op!", r.choice(INTERRUPT_OP), r.uniform(0.1, 0.6))])
    # each group goes after a customer's turn of the topic's turns, so that no question is parted from its answer
    slots = [k for k in range(len(steps) + 1) if k == 0 or steps[k - 1][0] == "cu"]
    placed = sorted(((r.choice(slots), j) for j in range(len(extra))), reverse=True)
    for k, j in placed:
        steps[k:k] = extra[j]
    for s in steps:
        if s[0] == "op":
            c.op(s[1])
        elif s[0] == "op!":
            c.op(s[1], interrupt=s[2])
        else:
            c.cu(s[1])
    # handling time
    norm = NORM_S.get(topic)
    if norm and ("aht.over_norm" in pos or "aht.over_norm" in neg):
        c.op("Оставайтесь на линии, я уточню информацию.")
        target = norm + r.uniform(30, 240) if "aht.over_norm" in pos else norm - r.uniform(25, 70)
        c.hold(max(0.0, target - c.t - 12))
        c.op("Спасибо за ожидание, информацию уточнила.")
    # closing
    c.cu(r.choice(CUST_BYE))
    if "closing.missing" in pos:
        c.op(r.choice(NO_CLOSE))
    elif "closing.missing" in neg and r.random() < 0.5:
        c.op(r.choice(CLOSE))
        c.cu("Спасибо.")
        c.op(r.choice(["Угу.", "Да."]))
    else:
        c.op(r.choice(CLOSE))
    c.rules = set(pos)
    c.hard_negatives = set(neg)
    return c


TOPICS = ["readings"] * 40 + ["request.individual"] * 35 + ["request.legal"] * 25 + ["billing"] * 35 + \
    ["out_of_scope"] * 20 + ["other"] * 25


def fits(rule: str, topic: str) -> bool:
    if rule == "name.not_used":
        return topic != "other"
    if rule == "request.data_missing":
        return topic.startswith("request.")
    if rule == "aht.over_norm":
        return topic in NORM_S
    if rule == "third_party.disclosed":  # a question about a neighbour's debt would make the call a billing one
        return topic not in ("other", "out_of_scope")
    if rule == "term.unexplained":  # a wrong number is not told about meters
        return topic not in ("other", "out_of_scope")
    if rule == "tempo.fast":  # a few seconds of speech are too little to judge the rate
        return topic != "other"
    return True


def main(out: Path = HERE, seed: int = 4) -> int:
    r = random.Random(seed)
    topics = TOPICS[:]
    r.shuffle(topics)
    n = len(topics)
    pos: list[set[str]] = [set() for _ in range(n)]
    neg: list[set[str]] = [set() for _ in range(n)]
    for rule in RULES:
        idx = [i for i in range(n) if fits(rule, topics[i])]
        chosen = r.sample(idx, 16)
        for i in chosen[:8]:
            pos[i].add(rule)
        for i in chosen[8:]:
            neg[i].add(rule)
    for old in out.glob("corpus_*.json"):
        old.unlink()
    for i in range(n):
        raw = i % 5 in (0, 2)
        c = build(r, i, topics[i], raw, pos[i], neg[i])
        (out / f"{c.call_id}.json").write_text(json.dumps(c.to_json(), ensure_ascii=False, indent=1) + "\n",
                                               encoding="utf-8")
    print(f"wrote {n} calls to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
