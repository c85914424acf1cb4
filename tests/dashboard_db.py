"""A small, fully known database for the dashboard tests, built row by row.

Three operators, twelve calls in the first half of 2025 and two in July, with
utterances, findings, dictated readings, requests, readings and links.  The
numbers the tests expect are written next to the rows that make them.
"""
from __future__ import annotations

import datetime as dt
import wave
from pathlib import Path

from analytics.storage.store import connect, init

OPERATORS = {"op1": "Айгуль Сапарова", "op2": "Ерлан Ахметов", "op3": "Дана Ким"}

# call_id, started_at, operator, topic, score, duration_s
CALLS = [
    ("c01", "2025-01-10 09:00:00", "op1", "readings", 100.0, 120.0),
    ("c02", "2025-01-20 10:00:00", "op1", "request.individual", 80.0, 300.0),
    ("c03", "2025-02-03 11:00:00", "op2", "billing", 60.0, 240.0),
    ("c04", "2025-02-14 12:00:00", "op2", "readings", 90.0, 100.0),
    ("c05", "2025-03-05 13:00:00", "op3", "request.legal", 70.0, 420.0),
    ("c06", "2025-03-20 14:00:00", "op3", "other", 100.0, 60.0),
    ("c07", "2025-04-02 09:30:00", "op1", "readings", 95.0, 90.0),
    ("c08", "2025-04-15 10:30:00", "op2", "request.individual", 50.0, 500.0),
    ("c09", "2025-05-06 11:30:00", "op3", "billing", 85.0, 200.0),
    ("c10", "2025-05-21 12:30:00", "op1", "out_of_scope", 100.0, 45.0),
    ("c11", "2025-06-09 13:30:00", "op2", "readings", 75.0, 150.0),
    ("c12", "2025-06-30 14:30:00", "op3", "request.individual", 88.0, 330.0),
    ("c13", "2025-07-07 09:00:00", "op1", "readings", 40.0, 130.0),
    ("c14", "2025-07-08 10:00:00", "op2", "billing", 100.0, 80.0),
]

# call_id -> utterances (speaker, start, end, text)
UTTERANCES = {
    "c02": [("operator", 0.0, 3.0, "Добрый день, Алматинские тепловые сети, Айгуль, слушаю вас."),
            ("customer", 3.5, 7.0, "Здравствуйте, мне нужно опломбировать счётчик."),
            ("operator", 7.5, 10.0, "Девушка, подождите, щас посмотрю."),
            ("customer", 10.5, 12.0, "Хорошо."),
            ("operator", 280.0, 290.0, "Заявка принята, всего доброго.")],
    "c03": [("operator", 0.0, 2.0, "Алло."),
            ("customer", 2.5, 6.0, "Почему начисление такое большое?"),
            ("operator", 6.5, 9.0, "Это не мои проблемы, короче."),
            ("customer", 9.5, 12.0, "Позовите девушку постарше.")],
    "c08": [("operator", 0.0, 3.0, "Здравствуйте, тепловые сети."),
            ("customer", 3.0, 6.0, "Я по поводу осмотра прибора."),
            ("operator", 6.0, 9.0, "Девушки из ПЭУ приедут, типа на неделе.")],
    "c11": [("operator", 0.0, 3.0, "Здравствуйте, слушаю."),
            ("customer", 3.5, 8.0, "Показания сто двадцать три и пять."),
            ("operator", 8.5, 11.0, "Записала, до свидания.")],
    "c13": [("operator", 0.0, 2.0, "Да."),
            ("customer", 2.0, 5.0, "Передаю показания четыреста."),
            ("operator", 5.0, 8.0, "Ты подожди, девушка.")],
}

# call_id, idx, rule, clause, speaker, start, end, evidence
FINDINGS = [
    ("c02", 0, "address.forbidden", "15.1", "operator", 7.5, 8.2, "Девушка, подождите"),
    ("c02", 1, "speech.jargon", "13", "operator", 8.8, 9.2, "щас"),
    ("c03", 0, "greeting.missing", "14", "operator", 0.0, 2.0, "Алло."),
    ("c03", 1, "speech.rude", "15.2", "operator", 6.5, 8.0, "Это не мои проблемы"),
    ("c03", 2, "speech.filler", "13", "operator", 8.0, 9.0, "короче"),
    ("c03", 3, "closing.missing", "15.16", "operator", None, None, ""),
    ("c04", 0, "closing.missing", "15.16", "operator", None, None, ""),
    ("c05", 0, "address.forbidden", "15.1", "operator", 30.0, 31.0, "Женщина, не перебивайте"),
    ("c05", 1, "aht.over_norm", "Приложение 1", "operator", None, None, ""),
    ("c08", 0, "address.forbidden", "15.1", "operator", 6.0, 7.0, "Девушки из ПЭУ"),   # rejected below
    ("c08", 1, "speech.filler", "13", "operator", 7.5, 8.0, "типа"),
    ("c08", 2, "aht.over_norm", "Приложение 1", "operator", None, None, ""),
    ("c09", 0, "speech.jargon", "13", "operator", 50.0, 50.5, "окей"),
    ("c11", 0, "name.not_used", "14.1", "operator", None, None, ""),
    ("c12", 0, "speech.jargon", "13", "operator", 20.0, 20.6, "секундочку"),
    ("c13", 0, "address.ty", "15.1", "operator", 5.0, 5.6, "Ты подожди"),
    ("c13", 1, "address.forbidden", "15.1", "operator", 6.0, 7.0, "девушка"),
    ("c13", 2, "closing.missing", "15.16", "operator", None, None, ""),
]

# (call_id, idx, verdict, comment)
REVIEWS = [
    ("c08", 0, "rejected", "Упоминание сотрудниц, не обращение"),
    ("c02", 0, "confirmed", ""),
]

# call_id, idx, value, start, evidence
DICTATED = [("c11", 0, 123.5, 4.0, "сто двадцать три и пять"), ("c13", 0, 400.0, 3.0, "четыреста")]

REQUESTS = [
    # request_id, type, kind, account, contract, object, meter, contact, reason, note, operator, call_id,
    # created_at, completed_at
    ("r1", "individual", "sealing", "1001", None, None, None, "+77011234567", "замена", None, "op1", "c02",
     "2025-01-20 10:09:00", "2025-01-24 12:00:00"),   # 4 min after the call: on time
    ("r2", "individual", "inspection", "1002", None, None, None, "+77017654321", "осмотр", None, "op2", "c08",
     "2025-04-15 10:50:00", None),                    # 11.7 min after: late
    ("r3", "legal", "sealing", None, "Д-55", "Школа 12", "ПУТЭ-7", "+77273000000", "ремонт", None, "op3", "c05",
     "2025-03-05 13:10:00", "2025-03-12 09:00:00"),   # 3 min after: on time
]

READINGS = [
    # reading_id, account, meter, value, operator, call_id, entered_at
    ("m1", "2001", "ГВС-1", 55.0, "op1", "c01", "2025-01-10 09:03:00"),    # on time, nothing dictated
    ("m2", "2002", "ГВС-2", 123.5, "op2", "c11", "2025-06-09 13:35:00"),   # on time, matches
    ("m3", "2003", "ГВС-3", 410.0, "op1", "c13", "2025-07-07 09:20:00"),   # late and mismatched
]


def add_recording(db: Path, call_id: str = "c13", seconds: int = 10) -> Path:
    """Give ``call_id`` a recording (silence, 8 kHz mono WAV) next to the database, as a relative audio_path."""
    audio = db.parent / f"{call_id}.wav"
    with wave.open(str(audio), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * 8000 * seconds)
    with connect(db) as con:
        con.execute("UPDATE calls SET audio_path = ? WHERE call_id = ?", [audio.name, call_id])
    return audio


# the calls not in Russian (the others are "ru"), and the rules not judged on the Kazakh one
LANGUAGES = {"c03": "kk", "c09": "mixed"}
NOT_ASSESSED = [("c03", "speech.filler", "language"), ("c03", "tempo.fast", "language")]


def build(path: Path) -> Path:
    """Create the database at ``path`` and fill it; returns ``path``."""
    init(path)
    with connect(path) as con:
        for call_id, started, op, topic, score, dur in CALLS:
            start = dt.datetime.fromisoformat(started)
            con.execute("INSERT INTO calls (call_id, started_at, ended_at, duration_s, operator_id, operator_name, "
                        "audio_path, layout, language, topic, score, rulebook) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        [call_id, start, start + dt.timedelta(seconds=dur), dur, op, OPERATORS[op],
                         None, "stereo-operator-left", LANGUAGES.get(call_id, "ru"), topic, score, "STP-04-2019/01"])
        for call_id, utts in UTTERANCES.items():
            for i, (spk, s, e, text) in enumerate(utts):
                con.execute('INSERT INTO utterances (call_id, idx, speaker, start, "end", text) VALUES (?,?,?,?,?,?)',
                            [call_id, i, spk, s, e, text])
        con.executemany("INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,'STP-04-2019/01',1.0)", FINDINGS)
        for call_id, idx, verdict, comment in REVIEWS:
            rule = next(f[2] for f in FINDINGS if f[0] == call_id and f[1] == idx)
            con.execute("INSERT INTO review_events (seq, decided_at, who, role, kind, call_id, idx, rule, comment) "
                        "SELECT coalesce(max(seq), 0) + 1, ?, 'аудитор', 'auditor', ?, ?, ?, ?, ? FROM review_events",
                        [dt.datetime(2025, 7, 1), "confirm" if verdict == "confirmed" else "reject", call_id, idx,
                         rule, comment])
        con.executemany("INSERT INTO call_readings (call_id, idx, value, start, evidence) "
                        "VALUES (?,?,?,?,?)", DICTATED)
        con.executemany("INSERT INTO not_assessed (call_id, rule, reason) VALUES (?,?,?)", NOT_ASSESSED)
        con.executemany("INSERT INTO requests VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", REQUESTS)
        con.executemany("INSERT INTO readings VALUES (?,?,?,?,?,?,?)", READINGS)
        for rid, *_rest in REQUESTS:
            con.execute("INSERT INTO links VALUES ('request', ?, ?, 'given')", [rid, _rest[10]])
        for rid, *_rest in READINGS:
            con.execute("INSERT INTO links VALUES ('reading', ?, ?, 'given')", [rid, _rest[4]])
    return path
