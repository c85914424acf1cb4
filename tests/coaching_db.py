"""A small database for the coaching, digest and operator-page tests, built row by row.

Operator op1 is assigned clause 15.1 on 01.03.2025 with the date 10.03.2025 (``ASSIGNED``); the
rows say which window of the measurement each call falls in and whether it counts.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from analytics.storage.store import connect, init

RULES_OF = {"address.forbidden": "15.1", "address.ty": "15.1", "speech.filler": "13"}
ASSIGNED = dt.datetime(2025, 3, 1, 9, 0)
DUE = dt.date(2025, 3, 10)

# call_id, started_at, operator_id, findings [(rule, clause)], rejected finding idxs, rules not assessed
CALLS = [
    ("b1", "2025-02-14 10:00", "op1", [("address.forbidden", "15.1")], [], []),   # a day before any window
    ("b2", "2025-02-15 10:00", "op1", [("address.forbidden", "15.1")], [], []),   # before: violating
    ("b3", "2025-02-20 10:00", "op1", [("address.ty", "15.1"), ("address.ty", "15.1")], [], []),  # before: one call
    ("b4", "2025-02-25 10:00", "op1", [], [], []),                                 # before: clean
    ("b5", "2025-02-28 10:00", "op1", [("address.forbidden", "15.1")], [0], []),  # before: rejected -> clean
    ("b6", "2025-02-27 10:00", "op1", [], [], ["address.forbidden", "address.ty"]),  # 15.1 not judged: left out
    ("x1", "2025-02-21 10:00", "op2", [("address.forbidden", "15.1")], [], []),   # another operator
    ("m1", "2025-03-05 10:00", "op1", [("address.forbidden", "15.1")], [], []),   # during coaching: neither
    ("a1", "2025-03-11 10:00", "op1", [], [], []),                                 # after: clean
    ("a2", "2025-03-15 10:00", "op1", [("speech.filler", "13")], [], []),          # after: another clause
    ("a3", "2025-03-24 23:30", "op1", [("address.ty", "15.1")], [], []),          # after, last day: violating
    ("a4", "2025-03-25 10:00", "op1", [("address.forbidden", "15.1")], [], []),   # a day after the window
    ("a5", "2025-03-20 10:00", "op1", [], [], ["address.ty"]),                     # after: half judged, clean
]
OPERATORS = {"op1": "Айгуль Сапарова", "op2": "Ерлан Ахметов"}


def build(db: Path) -> Path:
    init(db)
    with connect(db) as con:
        for call_id, started, op, findings, _rejected, skipped in CALLS:
            start = dt.datetime.fromisoformat(started)
            con.execute("INSERT INTO calls (call_id, started_at, ended_at, duration_s, operator_id, operator_name, "
                        "topic, score, layout) VALUES (?, ?, ?, 60, ?, ?, 'billing', ?, 'mono')",
                        [call_id, start, start + dt.timedelta(seconds=60), op, OPERATORS[op],
                         100.0 - 10 * len(findings)])
            con.execute("INSERT INTO utterances (call_id, idx, speaker, start, \"end\", text) VALUES "
                        "(?, 0, 'operator', 0, 3, ?)", [call_id, f"Алматинские тепловые сети, звонок {call_id}."])
            for idx, (rule, clause) in enumerate(findings):
                con.execute("INSERT INTO findings VALUES (?, ?, ?, ?, 'operator', 1, 2, ?, 'test', 1.0)",
                            [call_id, idx, rule, clause, f"слова {call_id}"])
            for rule in skipped:
                con.execute("INSERT INTO not_assessed VALUES (?, ?, 'low_confidence')", [call_id, rule])
    from analytics.storage.reviews import save_review

    for call_id, started, _op, _findings, rejected, _skipped in CALLS:
        for idx in rejected:
            save_review(db, call_id, idx, "rejected", "не обращение", "аудитор", now=dt.datetime.fromisoformat(started))
    return db
