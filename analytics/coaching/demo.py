"""Example collections and an assignment for ``oka-qa demo``, so «Обучение» and «Моя страница» have
something to show.  Made from what the demo's own check found, never invented: each bad example is the
moment of a finding that counts (padded a little), the good one the greeting of the best-scored call;
the assignment goes to the operator of the first bad example (the demo's operator account where it
can), for its clause.  Only into a database
whose example library is empty.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from analytics.access.policy import ROLES, Viewer
from analytics.coaching import assignments, examples
from analytics.queries.view_sql import COUNTED, run
from core import clock

TRAINER = Viewer("демо-тренер", ROLES["trainer"])
PAD_S = 2.0
BAD = "Как не надо: обращение и речь"
GOOD = "Приветствие по стандарту"


def seed(db: Path, today: dt.date | None = None, max_bad: int = 3, operator_id: str | None = None) -> list[int]:
    """Add the demo examples (and one assignment); the ids of the examples added ([] if there were some).

    operator_id: the operator to coach (the demo's operator account), if the check found something of theirs.
    """
    from analytics.queries.clause_rates import rule_clauses

    assignments.ensure_tables(db)
    if not run(db, "SELECT 1 FROM examples LIMIT 1").is_empty():
        return []
    bad = run(db, f"""
        WITH {COUNTED}
        SELECT f.call_id, f.start, f."end", f.clause, c.operator_id FROM counted f JOIN calls c USING (call_id)
        WHERE f.start IS NOT NULL AND f.speaker = 'operator'
        ORDER BY c.operator_id IS DISTINCT FROM ?::VARCHAR, c.started_at, f.idx""", [operator_id])
    good = run(db, """
        SELECT u.call_id, u.start, u."end" FROM utterances u JOIN calls c USING (call_id)
        WHERE u.speaker = 'operator' AND c.score IS NOT NULL
        ORDER BY c.score DESC, c.started_at, u.idx LIMIT 1""")
    made, seen, first = [], set(), None
    for r in bad.iter_rows(named=True):
        if r["clause"] in seen or len(seen) >= max_bad:
            continue
        seen.add(r["clause"])
        start = max(0.0, r["start"] - PAD_S)
        end = max(r["end"] or r["start"], r["start"]) + PAD_S
        made.append(examples.add(db, TRAINER, BAD, r["call_id"], start, end, r["clause"], "bad",
                                 "Найдено автоматической проверкой: послушайте, как это звучит."))
        first = first or (r["operator_id"], r["clause"], made[-1])
    greeting = rule_clauses().get("greeting.missing")
    if not good.is_empty() and greeting:
        g = good.row(0, named=True)
        made.append(examples.add(db, TRAINER, GOOD, g["call_id"], max(0.0, g["start"] - 0.5), g["end"] + 0.5,
                                 greeting, "good", "Приветствие, название предприятия, имя — как в стандарте."))
    if first is not None:
        now = dt.datetime.combine(today, dt.time(9, 0)) if today else clock.now()
        assignments.assign(db, TRAINER, first[0], first[1], now.date() + dt.timedelta(days=14),
                           "Послушайте примеры и отработайте этот пункт.", [first[2]], now=now)
    return made
