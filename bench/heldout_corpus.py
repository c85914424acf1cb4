"""The held-out corpus: calls the rules were never fitted to, in voices the pipeline was never tuned on.

    python bench/heldout_corpus.py [--out var/bench/heldout]     # (re)builds it, deterministically

Scripts are drawn with a fixed seed from phrase pools written for this corpus
alone (not the phrases of ``tests/corpus`` or of the demo), each call of one
topic with 0–3 violations put in on purpose, so that its labels follow from how
it was written.  The two sides speak in different voices: festival's Russian
voice or espeak-ng's (default, ``+f2``, ``+f3``, ``+m3``, ``+f4``), at pitches
of -450..+300 cents and speeds of 0.9-1.15 (see ``voices``).  Recordings go through a telephone
channel: 300-3400 Hz (two-pole filters), G.711 μ-law on two calls of three (the file is a μ-law
WAV), white line noise from −50 to −26 dBFS, crosstalk (a colleague in the
background) on a third, stereo or mono.

Split: even calls are ``dev`` (look at them freely), odd calls are ``test``
(``bench/heldout.py --half test`` prints only totals and per-rule figures).
The conditions cycle over pairs of calls, so both halves have the same mix.
Audio lives in an ignored folder; the script regenerates it byte for byte.
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS_VERSION = 4
DEFAULT_DIR = ROOT / "var" / "bench" / "heldout"
N_CALLS = 30
SEED = 20261130  # the held-out corpus; another seed makes another corpus (all of it tuning data)
NOISY_DB = -28.0  # this loud a line noise or louder: the "noisiest recordings"

OPERATORS = ["Мадина", "Руслан", "Камила", "Тимур", "Зарина", "Олжас", "Наталья"]
CUSTOMERS = ["Ольга Викторовна", "Бауыржан", "Татьяна", "Нурлан Серикович", "Светлана", "Арман", "Людмила Ивановна"]
STREETS = ["Сатпаева", "Байтурсынова", "Шевченко", "Момышулы", "Макатаева", "Тимирязева"]
ORGS = ["ТОО Жетысу Строй", "кафе Нур", "аптека Здоровье", "ИП Абенов"]
OBJECTS = ["магазин", "офис", "кафе", "склад"]
DIGITS = ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]

GREET = ["Здравствуйте, Алматинские тепловые сети, оператор {op}, чем могу помочь?",
         "Добрый день, тепловые сети, меня зовут {op}.",
         "Доброе утро, Алматинские тепловые сети, {op}, слушаю вас.",
         "Сәлеметсіз бе, тепловые сети, оператор {op}.",
         "Добрый вечер, тепловые сети, {op}, здравствуйте."]
NO_GREET = ["Тепловые сети, оператор {op}.", "Алло, {op}, слушаю.", "Алматинские тепловые сети, говорите."]
CLOSE = ["Спасибо за обращение, всего доброго.", "Хорошего вам дня, до свидания.", "Всего доброго, до свидания."]
CU_BYE = ["Спасибо, до свидания.", "Хорошо, спасибо.", "Поняла, спасибо вам."]
CU_INTRO = ["Здравствуйте, меня зовут {cu}.", "Добрый день, это {cu}."]
CU_HELLO = ["Здравствуйте.", "Добрый день.", "Алло, здравствуйте."]

# violations the operator can commit in any call: (rule, phrase said at the start of an operator turn)
INSERTS = {
    "address.forbidden": ["Женщина, минутку, я проверю.", "Мужчина, продиктуйте ещё раз."],
    "address.ty": ["Подожди, я проверю.", "Скажи ещё раз, пожалуйста."],
    "speech.filler": ["Короче, сейчас проверю.", "Ну, типа, всё уже проверено."],
    "speech.jargon": ["Щас посмотрю.", "Окей, записала."],
    "speech.rude": ["Сколько можно повторять, я уже всё сказала.", "Это не мои проблемы."],
    "enterprise.negative": ["У нас вечно бардак с этими начислениями."],
}
# words the customer may say that would be a violation from the operator (hard negatives)
CU_NEGATIVES = ["Короче, я вас поняла.", "Окей, подожду.", "Щас найду квитанцию."]


def digits(rng: random.Random, k: int) -> tuple[str, str]:
    """(spoken digits, the number) of k digits, the first not zero."""
    ds = [rng.randrange(1, 10)] + [rng.randrange(10) for _ in range(k - 1)]
    return " ".join(DIGITS[d] for d in ds), "".join(map(str, ds))


def words(n: int) -> str:
    from num2words import num2words

    return num2words(n, lang="ru")


@dataclass
class Script:
    topic: str
    turns: list[tuple[str, str]]
    rules: set[str]
    readings: list[float]


def _body(rng: random.Random, topic: str, faults: set[str], cu_name: str | None) -> tuple[list, list[float]]:
    """The turns between the opening and the closing; the customer's name, where given, is used by the operator."""
    addr = f"{cu_name.split()[0]}, " if cu_name and "name.not_used" not in faults else ""
    readings: list[float] = []
    acct_words, _ = digits(rng, rng.choice([7, 8, 9]))
    if topic == "readings":
        value = rng.randrange(110, 980)
        spoken = words(value)
        if rng.random() < 0.4:
            tenth = rng.randrange(1, 10)
            spoken = f"{words(value)} целых {words(tenth)} десятых"
            value = value + tenth / 10
        readings.append(value)
        turns = [("customer", "Хочу передать показания счётчика горячей воды."),
                 ("operator", f"{addr}назовите, пожалуйста, номер лицевого счёта."),
                 ("customer", f"Лицевой счёт {acct_words}."),
                 ("operator", "Спасибо. Какие сейчас показания на приборе?"),
                 ("customer", f"{spoken}."),
                 ("operator", f"Показания {spoken} приняты.")]
    elif topic == "request.individual":
        kind, reason = rng.choice([("опломбировать", "Мы поменяли старый счётчик на новый."),
                                   ("распломбировать", "У нас прорвало трубу, нужен ремонт."),
                                   ("опломбировать", "Прошла поверка счётчика.")])
        phone_words, _ = digits(rng, 7)
        turns = [("customer", f"Нужно {kind} счётчик горячей воды."),
                 ("operator", f"{addr}подскажите номер лицевого счёта."),
                 ("customer", f"Лицевой счёт {acct_words}."),
                 ("operator", "По какой причине нужен выезд мастера?"),
                 ("customer", reason)]
        if "request.data_missing" not in faults:
            turns += [("operator", "Оставьте, пожалуйста, контактный телефон."),
                      ("customer", f"Восемь семь ноль семь {phone_words}.")]
        term = ("Заявка на пломбировку ИПУ оформлена, мастер позвонит в течение десяти рабочих дней."
                if "term.unexplained" in faults else
                "Заявка оформлена, мастер позвонит в течение десяти рабочих дней.")
        turns.append(("operator", term))
    elif topic == "request.legal":
        contract, _ = digits(rng, 4)
        meter, _ = digits(rng, 6)
        phone_words, _ = digits(rng, 7)
        org = rng.choice(ORGS)
        turns = [("customer", f"Звоню из организации {org}, нужна опломбировка теплосчётчика после ремонта."),
                 ("operator", f"{addr}назовите номер договора."),
                 ("customer", f"Договор номер {contract}."),
                 ("operator", "Какой объект и по какому адресу?"),
                 ("customer", f"{rng.choice(OBJECTS)} на улице {rng.choice(STREETS)}, "
                              f"дом {words(rng.randrange(3, 90))}."),
                 ("operator", "Заводской номер прибора учёта?"),
                 ("customer", f"Номер {meter}.")]
        if "request.data_missing" not in faults:
            turns += [("operator", "И контактный телефон, пожалуйста."),
                      ("customer", f"Восемь семь ноль один {phone_words}.")]
        turns.append(("operator", "Заявка зарегистрирована, с вами свяжутся в течение десяти рабочих дней."))
    elif topic == "billing":
        turns = [("customer", "Почему за отопление в этом месяце начислили так много?"),
                 ("operator", f"{addr}назовите номер лицевого счёта, я посмотрю."),
                 ("customer", f"Лицевой счёт {acct_words}."),
                 ("operator", "Начисление сделано по нормативу, потому что показания не передавались три месяца."),
                 ("customer", "А можно сделать перерасчёт?"),
                 ("operator", "Да, передайте показания, и начисление пересчитают.")]
    else:  # out_of_scope
        turns = [("customer", "У нас во дворе третий день не вывозят мусор, куда жаловаться?"),
                 ("operator", f"{addr}вывоз мусора не относится к тепловым сетям, обратитесь в управляющую компанию "
                              "или в акимат района.")]
    return turns, readings


TOPICS = ["readings", "request.individual", "billing", "request.legal", "readings", "out_of_scope",
          "request.individual", "billing", "readings"]


def make_script(rng: random.Random, topic: str) -> Script:
    op = rng.choice(OPERATORS)
    gives_name = rng.random() < 0.6
    cu_name = rng.choice(CUSTOMERS) if gives_name else None
    possible = ["greeting.missing", "closing.missing", *INSERTS, "escalation.not_offered", "escalation.offered"]
    if gives_name:
        possible.append("name.not_used")
    if topic == "request.individual":
        possible += ["term.unexplained", "request.data_missing"]
    if topic == "request.legal":
        possible.append("request.data_missing")
    n = rng.choice([0, 1, 2, 2, 3, 3])
    faults = set(rng.sample(possible, n))
    turns = [("operator", rng.choice(NO_GREET if "greeting.missing" in faults else GREET).format(op=op))]
    turns.append(("customer", rng.choice(CU_INTRO).format(cu=cu_name) if gives_name else rng.choice(CU_HELLO)))
    body, readings = _body(rng, topic, faults, cu_name)
    turns += body
    for rule in sorted(faults & set(INSERTS)):
        at = [i for i, t in enumerate(turns) if t[0] == "operator" and i > 0]
        i = rng.choice(at)
        turns[i] = ("operator", f"{rng.choice(INSERTS[rule])} {turns[i][1]}")
    if rng.random() < 0.25:
        at = [i for i, t in enumerate(turns) if t[0] == "customer" and i > 1]
        i = rng.choice(at)
        turns[i] = ("customer", f"{rng.choice(CU_NEGATIVES)} {turns[i][1]}")
    if "escalation.offered" in faults:
        faults.discard("escalation.not_offered")  # the script offers it: the label follows the script
    if faults & {"escalation.not_offered", "escalation.offered"}:
        turns.append(("customer", "Меня это не устраивает, я хочу поговорить с вашим руководителем."))
        if "escalation.offered" in faults:
            turns.append(("operator", "Вы можете обратиться к начальнику абонентского отдела или подать письменное "
                                      "заявление через канцелярию."))
        else:
            turns.append(("operator", "Я вам уже всё объяснила, решение принято."))
        faults.discard("escalation.offered")
    turns.append(("customer", rng.choice(CU_BYE)))
    if "closing.missing" not in faults:
        turns.append(("operator", rng.choice(CLOSE)))
    return Script(topic, turns, faults, readings)


# --- voices and the line --------------------------------------------------------

def voices(rng: random.Random, pair: int):
    """(operator, customer) voices: the operator speaks in festival's voice at another pitch and speed in two pairs
    of calls of three and in espeak-ng's in the third (which the embedded model barely understands: such calls
    test abstention); the customer speaks in espeak-ng's voice in two of three calls."""
    from data.voices import Voice

    festival = [Voice("festival", "", p, r) for p in (-450, -250, 150, 300) for r in (0.9, 1.0, 1.15)]
    espeak = [Voice("espeak", v, p, r) for v in ("", "f2", "f3", "m3", "f4") for p in (-200, 0, 200)
              for r in (0.95, 1.1)]
    op = rng.choice(espeak if pair % 3 == 2 else festival)
    cu = rng.choice(festival if pair % 3 == 0 else espeak)
    while (cu.engine, cu.variant) == (op.engine, op.variant) and abs(cu.pitch_cents - op.pitch_cents) < 300:
        cu = rng.choice(festival if cu.engine == "festival" else espeak)
    return op, cu


CROSSTALK = ["Марина, принеси, пожалуйста, папку с заявками.", "Кто взял мой степлер?",
             "Я на обед, вернусь через полчаса.", "У кого есть номер абонентского отдела?"]


@dataclass
class Condition:
    layout: str
    mulaw: bool
    noise_db: float
    crosstalk: bool

    @property
    def noisy(self) -> bool:
        return self.noise_db >= NOISY_DB


def conditions(pair: int) -> Condition:
    """The line for the pair of calls ``pair`` (the dev call and the test call share it)."""
    layout = ["stereo-operator-left", "mono", "stereo-operator-left"][pair % 3]
    noise = [-50.0, -38.0, -32.0, -26.0][pair % 4]
    return Condition(layout, mulaw=pair % 3 != 1 or pair % 2 == 0, noise_db=noise, crosstalk=pair % 3 == 2)


def render(script: Script, cond: Condition, op_voice, cu_voice, out: Path, seed: int) -> list[dict]:
    """Speak the script into ``out`` (8 kHz WAV, μ-law if the condition says so); returns the reference turns."""
    import numpy as np

    from data.tts import write_wav
    from data.voices import Voice, mu_law, speak

    sr = 8000
    rng = np.random.default_rng(seed)
    refs, pieces, cursor = [], [], 0.4
    for speaker, text in script.turns:
        audio = speak(spoken_text(text), op_voice if speaker == "operator" else cu_voice, sr)
        start = cursor + float(rng.uniform(0.3, 0.9)) if refs else cursor
        end = start + len(audio) / sr
        pieces.append((speaker, round(start * sr), audio))
        refs.append({"speaker": speaker, "start": round(start, 3), "end": round(end, 3), "text": text})
        cursor = end
    total = int((cursor + 0.4) * sr)
    chans = {"operator": np.zeros(total, np.float32), "customer": np.zeros(total, np.float32)}
    for speaker, at, audio in pieces:
        level = 0.5 if speaker == "operator" else 0.4
        chans[speaker][at: at + len(audio)] += level * audio[: total - at]
    if cond.crosstalk:
        colleague = Voice("espeak", "m3" if op_voice.variant != "m3" else "f2", 0, 1.0)
        t = 1.0
        for k, text in enumerate(itertools.cycle(CROSSTALK)):
            audio = speak(spoken_text(text), colleague, sr) * 0.06
            at = int(t * sr)
            if at + len(audio) >= total or k > 8:
                break
            chans["operator"][at: at + len(audio)] += audio
            t += len(audio) / sr + float(rng.uniform(3, 8))
    op, cu = chans["operator"], chans["customer"]
    if cond.layout == "mono":
        mix = (op + cu)[:, None]
    else:
        mix = np.stack([op, cu], axis=1)
    mix = mix + 10 ** (cond.noise_db / 20) * rng.standard_normal(mix.shape).astype(np.float32)
    # the telephone channel: 300-3400 Hz with a line's gentle roll-off (two-pole filters, as sox makes them;
    # corpus version 2 cut the band with a brick wall, whose ringing the model could not hear through)
    tmp = out.with_suffix(".pcm.wav")
    write_wav(tmp, mu_law(mix) if cond.mulaw else mix, sr)
    coding = ["-e", "u-law", "-b", "8"] if cond.mulaw else []
    # -R: sox's dither seeded the same every time, so one script on one line renders to the same bytes (the
    # bad-audio bench's ratios then compare the code, not two draws of dither)
    subprocess.run(["sox", "-R", str(tmp), *coding, str(out), "highpass", "300", "lowpass", "3400"], check=True,
                   capture_output=True)
    tmp.unlink()
    return refs


def spoken_text(text: str) -> str:
    from bench.rules_asr import speakable

    return speakable(text)


def derived_rules(refs: list[dict]) -> set[str]:
    """Labels that follow from the rendered timeline: interruption and tempo (as ``bench/rules_asr.py``)."""
    rules = set()
    for a, b in itertools.pairwise(refs):
        if b["speaker"] == "operator" and a["speaker"] == "customer" and a["end"] - b["start"] >= 1.0:
            rules.add("interruption")
    n_words = sum(len(spoken_text(r["text"]).split()) for r in refs if r["speaker"] == "operator")
    secs = sum(r["end"] - r["start"] for r in refs if r["speaker"] == "operator")
    if secs >= 8 and n_words / secs * 60 > 190:
        rules.add("tempo.fast")
    return rules


def build(folder: Path = DEFAULT_DIR, n_calls: int = N_CALLS, seed: int = SEED) -> list[dict]:
    """Build (or reuse) the corpus; returns the manifest's calls."""
    folder = Path(folder)
    manifest = folder / "manifest.json"
    if manifest.is_file():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("version") == CORPUS_VERSION and data.get("seed") == seed and len(data["calls"]) == n_calls \
                and all((folder / "audio" / c["file"]).is_file() for c in data["calls"]):
            return data["calls"]
    rng = random.Random(seed)
    (folder / "audio").mkdir(parents=True, exist_ok=True)
    (folder / "written").mkdir(parents=True, exist_ok=True)
    calls = []
    for i in range(n_calls):
        script = make_script(rng, TOPICS[(i // 2) % len(TOPICS)])
        op_voice, cu_voice = voices(rng, i // 2)
        cond = conditions(i // 2)
        call_id = f"heldout_{i:02d}"
        refs = render(script, cond, op_voice, cu_voice, folder / "audio" / f"{call_id}.wav", seed=seed + i)
        rules = sorted(script.rules | derived_rules(refs))
        expected = {"rules": rules, "topic": script.topic, "readings": script.readings}
        written = {"call_id": call_id, "duration_s": round(refs[-1]["end"] + 0.4, 2), "language": "ru",
                   "layout": cond.layout, "utterances": refs, "expected": expected}
        (folder / "written" / f"{call_id}.json").write_text(json.dumps(written, ensure_ascii=False, indent=1),
                                                            encoding="utf-8")
        calls.append({"call_id": call_id, "file": f"{call_id}.wav", "half": "test" if i % 2 else "dev",
                      "condition": {**asdict(cond), "noisy": cond.noisy},
                      "operator_voice": op_voice.label, "customer_voice": cu_voice.label, "expected": expected})
    manifest.write_text(json.dumps({"version": CORPUS_VERSION, "seed": seed, "calls": calls}, ensure_ascii=False,
                                   indent=1), encoding="utf-8")
    return calls


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--calls", type=int, default=N_CALLS)
    ap.add_argument("--seed", type=int, default=SEED, help="another seed: another corpus, to tune on (not the test)")
    args = ap.parse_args()
    calls = build(args.out, args.calls, args.seed)
    halves = {h: sum(c["half"] == h for c in calls) for h in ("dev", "test")}
    print(f"{len(calls)} calls in {args.out} (dev {halves['dev']}, test {halves['test']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
