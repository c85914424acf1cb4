"""Synthetic Kazakh, Russian and mixed recordings, to test language detection end to end.

Kazakh turns are spoken by espeak-ng's Kazakh voice, Russian turns by festival
(``data.tts``); stereo, operator left, 8 kHz.  Each call has a label: the call's
language and each side's.  Half the calls are ``dev`` (a threshold may be
calibrated on them), half ``test`` (measured only).

    python -m data.kazakh_audio --out /tmp/kk-audio      # WAVs and labels.json
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from data.tts import Turn, synthesize_call

KK_OPERATOR = [
    ["Сәлеметсіз бе, Алматы жылу желілері, Айгүл тыңдап тұрмын.", "Дербес шотыңызды айтыңызшы.",
     "Рахмет, өтінім қабылданды, бақылаушы хабарласады. Сау болыңыз."],
    ["Қайырлы күн, жылу желілері, оператор Дана.", "Көрсеткішті айтыңыз, жазып аламын.",
     "Көрсеткіштер қабылданды, хабарласқаныңызға рахмет."],
    ["Сәлеметсіз бе, жылу желілері, тыңдап тұрмын.", "Түбіртекте өткен айдың қарызы көрсетілген.",
     "Тағы сұрақтарыңыз бар ма? Сау болыңыз."],
    ["Қайырлы таң, Алматы жылу желілері, Мадина.", "Байланыс үшін телефон нөміріңізді айтыңыз.",
     "Өтініміңіз тіркелді, маман он жұмыс күні ішінде келеді."],
]
KK_CUSTOMER = [
    ["Сәлеметсіз бе, ыстық су есептегішін ауыстырдық, пломба салу керек.", "Дербес шот бір екі үш төрт бес алты.",
     "Жақсы, рахмет, күтемін."],
    ["Көрсеткіштерді беруге хабарласып тұрмын.", "Ванна бөлмесінде үш жүз қырық бес текше.",
     "Рахмет сізге, сау болыңыз."],
    ["Неге жылыту үшін төлем осы айда қымбат шықты?", "Түсінікті, мен төлеймін.", "Рахмет."],
    ["Есептегіш бұзылды, жаңасын орнаттық.", "Сегіз жеті нөл бір, бір екі үш, қырық бес.", "Жақсы, күтемін."],
]
RU_OPERATOR = [
    ["Здравствуйте, тепловые сети, слушаю вас.", "Назовите лицевой счет, пожалуйста.",
     "Спасибо, заявка принята, всего доброго."],
    ["Добрый день, тепловые сети, оператор Алия.", "Говорите показания, я записываю.",
     "Показания приняты, до свидания."],
]
RU_CUSTOMER = [
    ["Здравствуйте, мне нужно опломбировать счетчик горячей воды.", "Лицевой счет один два три четыре пять.",
     "Хорошо, спасибо, буду ждать."],
    ["Хочу передать показания счетчика горячей воды.", "Сто двадцать три кубометра.", "Спасибо, до свидания."],
]


def scripts() -> list[dict]:
    """The calls: id, turns (speaker, text, language), the call's language and each side's."""
    out = []
    kinds = [("kk", "kk", KK_OPERATOR, KK_CUSTOMER)] * 4 + [("ru", "ru", RU_OPERATOR, RU_CUSTOMER)] * 2 + \
        [("kk", "ru", KK_OPERATOR, RU_CUSTOMER)] * 2 + [("ru", "kk", RU_OPERATOR, KK_CUSTOMER)] * 2
    for i, (op_lang, cu_lang, ops, cus) in enumerate(kinds):
        op, cu = ops[i % len(ops)], cus[(i + 1) % len(cus)]
        turns = []
        for a, b in zip(op, cu, strict=True):
            turns += [("operator", a, op_lang), ("customer", b, cu_lang)]
        call = "mixed" if op_lang != cu_lang else op_lang
        out.append({"call_id": f"lang_{i:02d}", "half": "dev" if i % 2 == 0 else "test", "turns": turns,
                    "language": call, "sides": {"operator": op_lang, "customer": cu_lang}})
    return out


def render(out: Path, only: set[str] | None = None) -> dict[str, dict]:
    """Writes ``<call_id>.wav`` per call (those in ``only``, if given) and ``labels.json``; returns the labels."""
    out.mkdir(parents=True, exist_ok=True)
    labels = {}
    for s in scripts():
        if only and s["call_id"] not in only:
            continue
        synthesize_call([Turn(who, text, language=lang) for who, text, lang in s["turns"]], out / f"{s['call_id']}.wav",
                        noise_db=-40, seed=int(s["call_id"][-2:]))
        labels[s["call_id"]] = {k: s[k] for k in ("half", "language", "sides")}
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1), encoding="utf-8")
    return labels


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    render(ap.parse_args().out)
