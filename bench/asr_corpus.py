"""The ASR bench corpus: synthetic telephone calls with their reference texts.

Scripted dialogues of the department's kinds of calls (readings, seal
requests, billing questions) are drawn from phrase pools with a fixed seed and
spoken by festival (``data/tts.py``): 8 kHz, line noise at varying levels,
some stereo files with channel bleed, some mono.  The corpus is built once
into ``var/bench/asr/`` and reused while its version and size are unchanged.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

CORPUS_VERSION = 1
DEFAULT_DIR = Path("var/bench/asr")

NAMES_OP = ["айгуль", "динара", "марат", "асель", "ерлан", "сауле"]
NAMES_CU = ["иван петрович", "гульнара", "сергей", "алия", "виктор николаевич", "жанна"]
STREETS = ["абая", "толе би", "сейфуллина", "жандосова", "розыбакиева", "гагарина", "навои"]
DIGITS = ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]


def _number(n: int) -> str:
    from num2words import num2words

    return num2words(n, lang="ru")


def _digits(rng: random.Random, k: int) -> str:
    return " ".join(DIGITS[rng.randrange(10)] for _ in range(k))


def _opening(rng: random.Random) -> list[tuple[str, str]]:
    op = rng.choice(NAMES_OP)
    return [("operator", f"добрый день алматинские тепловые сети меня зовут {op} слушаю вас")]


def _closing(rng: random.Random) -> list[tuple[str, str]]:
    return [("customer", rng.choice(["спасибо большое", "хорошо спасибо", "понятно спасибо вам"])),
            ("operator", rng.choice(["спасибо за обращение всего доброго до свидания",
                                     "всего доброго хорошего дня до свидания"]))]


def _readings(rng: random.Random) -> list[tuple[str, str]]:
    value = rng.randrange(100, 990)
    return [
        ("customer", "здравствуйте я хочу передать показания счетчика горячей воды"),
        ("operator", "хорошо назовите пожалуйста номер вашего лицевого счета"),
        ("customer", f"лицевой счет {_digits(rng, 6)}"),
        ("operator", f"спасибо вижу ваш адрес улица {rng.choice(STREETS)} дом {_number(rng.randrange(2, 120))}"),
        ("customer", "да все верно"),
        ("operator", "назовите пожалуйста текущие показания прибора учета"),
        ("customer", f"показания {_number(value)} кубометров"),
        ("operator", f"записала {_number(value)} кубометров показания приняты и будут переданы в алсеко"),
    ]


def _request(rng: random.Random) -> list[tuple[str, str]]:
    kind = rng.choice(["опломбировку", "распломбировку"])
    return [
        ("customer", f"здравствуйте мне нужно вызвать мастера на {kind} счетчика"),
        ("operator", "подскажите пожалуйста как к вам можно обращаться"),
        ("customer", f"меня зовут {rng.choice(NAMES_CU)}"),
        ("operator", "назовите пожалуйста номер лицевого счета и контактный телефон"),
        ("customer", f"лицевой счет {_digits(rng, 6)} телефон восемь семь ноль один {_digits(rng, 7)}"),
        ("operator", "по какой причине требуется выезд мастера"),
        ("customer", rng.choice(["заменили старый счетчик на новый", "прибор учета вышел из строя",
                                 "истек срок поверки прибора"])),
        ("operator", "заявка зарегистрирована мастер свяжется с вами в течение десяти рабочих дней"),
    ]


def _billing(rng: random.Random) -> list[tuple[str, str]]:
    amount = rng.randrange(3000, 30000)
    return [
        ("customer", "здравствуйте у меня вопрос по начислению за отопление"),
        ("operator", "назовите пожалуйста ваш лицевой счет"),
        ("customer", f"мой лицевой счет {_digits(rng, 6)}"),
        ("operator", f"за прошлый месяц вам начислено {_number(amount)} тенге за отопление и горячую воду"),
        ("customer", "почему так много в прошлом году было меньше"),
        ("operator", "начисление выполнено по нормативу так как показания прибора учета не передавались"),
        ("customer", "а как передать показания чтобы сделали перерасчет"),
        ("operator", "показания можно передать по телефону или через личный кабинет на сайте"),
    ]


TOPICS = [_readings, _request, _billing]


@dataclass
class Call:
    """One recording of the corpus and its reference utterances."""

    file: str
    layout: str
    bleed_db: float | None
    noise_db: float
    refs: list[dict]


def _plan(n_calls: int) -> list[tuple[str, float | None]]:
    """(layout, bleed) per call: two thirds stereo (a third of those with bleed), a third mono."""
    plan = []
    for i in range(n_calls):
        if i % 3 == 2:
            plan.append(("mono", None))
        else:
            plan.append(("stereo-operator-left", -20.0 if i % 3 == 1 else None))
    return plan


def build_corpus(folder: Path = DEFAULT_DIR, n_calls: int = 24, seed: int = 7) -> list[Call]:
    """Build (or reuse) the corpus in ``folder``; returns its calls."""
    from data.tts import synthesize_call

    folder = Path(folder)
    manifest = folder / "manifest.json"
    if manifest.is_file():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("version") == CORPUS_VERSION and len(data["calls"]) == n_calls and data.get("seed") == seed:
            return [Call(**c) for c in data["calls"]]
    rng = random.Random(seed)
    calls = []
    for i, (layout, bleed) in enumerate(_plan(n_calls)):
        turns = _opening(rng) + TOPICS[i % len(TOPICS)](rng) + _closing(rng)
        noise = rng.choice([-45.0, -40.0, -35.0, -30.0])
        name = f"call_{i:02d}_{'mono' if layout == 'mono' else 'bleed' if bleed else 'stereo'}.wav"
        refs = synthesize_call(turns, folder / name, layout=layout, noise_db=noise, bleed_db=bleed,
                               gap_s=rng.choice([0.4, 0.6, 0.8]), seed=i)
        calls.append(Call(name, layout, bleed, noise, refs))
    manifest.write_text(json.dumps({"version": CORPUS_VERSION, "seed": seed,
                                    "calls": [c.__dict__ for c in calls]}, ensure_ascii=False, indent=1),
                        encoding="utf-8")
    return calls
