"""The auditors' work on calls, kept as history: every decision is an event, never overwritten.

``review_events`` is append-only: this module only inserts (a test looks at the
table after a change of mind).  Each event says who, when, in which role and
why.  The kinds:

* ``confirm`` / ``reject`` — an auditor's verdict on an automatic finding
  (``call_id`` + ``idx``); ``clear`` takes the verdict back;
* ``add`` — a violation the automatic check missed, at a moment of the call
  (``rule``, ``at_s``); ``retract`` (``ref`` = the add) takes it back;
* ``answer`` — one criterion of the evaluation form (``rules/forms.yaml``):
  ``yes`` | ``no`` | ``na`` with the criterion's ``weight`` at the time;
  ``session_id`` set: an answer inside a calibration session, blind to others;
* ``dispute`` — the operator whose call it is contests a finding (``idx``) or a violation an auditor
  added (``ref`` = the add, no ``idx``), with a comment; ``uphold`` / ``withdraw`` (``ref`` = the dispute) —
  an auditor resolves it, with a reason (a withdrawn added violation stops counting, as a retracted one);
  a dispute still open when what it contests leaves the record (a re-check no longer finds the finding, the
  added violation is retracted) is ``gone`` (``dispute_outcomes``): there is nothing left to answer;
* ``close`` — a calibration session ends (its agreed answers are ``answer`` events).

The current state is derived, never stored: the ``reviews`` view holds each
finding's standing verdict (the last of confirm, reject, clear, uphold,
withdraw; a withdrawn dispute reads as rejected), with the columns of the table
it replaced, so the KPIs ("a rejected finding stops counting"), the «Проверка»
page and the search read it as before.  ``form_scores`` is the score of each
call's evaluation form: 100 × the weight of the criteria met over the weight of
those answered yes or no (n.a. left out).  ``counted_violations`` is what every
count of violations reads: the findings not rejected and the violations auditors
added.

Figures for others: ``analytics.queries.review_quality.auditor_summary`` (how
many findings each auditor reviewed, confirmed, rejected, added) and
``analytics.queries.review_quality.rule_quality`` (each rule's precision and
recall from these events) are the functions the reports use.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
from pathlib import Path

import duckdb
import polars as pl

from analytics.storage.store import connect
from core import clock
from core.errors import OkaError

log = logging.getLogger(__name__)

VERDICTS = ("confirmed", "rejected")
ANSWERS = ("yes", "no", "na")
KINDS = ("confirm", "reject", "clear", "add", "retract", "answer", "dispute", "uphold", "withdraw", "close")
OUTCOMES = ("uphold", "withdraw")
DISPUTE_STATES = ("all", "open", "resolved", "gone")

EVENTS_DDL = """
CREATE TABLE IF NOT EXISTS review_events (
    seq         BIGINT PRIMARY KEY,   -- the order of events
    decided_at  TIMESTAMP,            -- when (Asia/Almaty wall-clock time)
    who         VARCHAR,              -- the account that decided
    role        VARCHAR,              -- its role then
    kind        VARCHAR,              -- see analytics/storage/reviews.py
    call_id     VARCHAR,
    idx         INTEGER,              -- findings.idx (verdicts and disputes)
    rule        VARCHAR,              -- the finding's rule, or the rule of an added violation
    at_s        DOUBLE,               -- the moment of the call an added violation was heard
    criterion   VARCHAR,              -- form criterion (answer)
    answer      VARCHAR,              -- yes | no | na (answer)
    weight      DOUBLE,               -- the criterion's weight when answered
    session_id  VARCHAR,              -- calibration session (answer, close)
    ref         BIGINT,               -- the event this one answers (retract, uphold, withdraw)
    comment     VARCHAR,              -- why
    clause      VARCHAR               -- the rulebook's clause of an added violation's rule (add)
);
"""

# Derived state: the standing verdict per finding, in the columns of the old ``reviews`` table.
VIEWS_DDL = """
CREATE OR REPLACE VIEW reviews AS
SELECT call_id, idx, rule,
       CASE WHEN kind IN ('confirm', 'uphold') THEN 'confirmed' ELSE 'rejected' END AS verdict,
       comment, who AS reviewer, decided_at AS reviewed_at
FROM (SELECT *, row_number() OVER (PARTITION BY call_id, idx ORDER BY seq DESC) AS n
      FROM review_events WHERE kind IN ('confirm', 'reject', 'clear', 'uphold', 'withdraw'))
WHERE n = 1 AND kind <> 'clear';

CREATE OR REPLACE VIEW form_answers AS
SELECT call_id, criterion, answer, weight, who, decided_at, comment, seq
FROM (SELECT *, row_number() OVER (PARTITION BY call_id, criterion ORDER BY seq DESC) AS n
      FROM review_events WHERE kind = 'answer' AND session_id IS NULL)
WHERE n = 1;

CREATE OR REPLACE VIEW form_scores AS
SELECT call_id,
       round(100.0 * coalesce(sum(weight) FILTER (WHERE answer = 'yes'), 0)
             / nullif(sum(weight) FILTER (WHERE answer IN ('yes', 'no')), 0), 1) AS score,
       count(*) AS answered, max(decided_at) AS answered_at, arg_max(who, decided_at) AS auditor,
       max(seq) AS answered_seq
FROM form_answers GROUP BY call_id;

-- The last event that changed (or may have changed) what counts as a violation in a call: a verdict, a dispute's
-- answer, a violation added or taken back.
CREATE OR REPLACE VIEW violation_changes AS
SELECT call_id, max(seq) AS changed_seq FROM review_events
WHERE kind IN ('confirm', 'reject', 'clear', 'add', 'retract', 'uphold', 'withdraw') GROUP BY call_id;

-- The calls with the score that counts: the evaluation form's where an auditor filled one, else the rulebook's.
-- A form filled before the call's violations last changed is stale (its answers were given on what was found
-- then): the rulebook's score counts again until the form is filled anew.
CREATE OR REPLACE VIEW scored_calls AS
SELECT c.* REPLACE (CASE WHEN f.score IS NOT NULL AND NOT f.stale THEN f.score ELSE c.score END AS score),
       c.score AS auto_score, coalesce(f.score IS NOT NULL AND NOT f.stale, false) AS form_scored,
       coalesce(f.stale, false) AS form_stale
FROM calls c LEFT JOIN (
    SELECT fs.call_id, fs.score, coalesce(fs.answered_seq < vc.changed_seq, false) AS stale
    FROM form_scores fs LEFT JOIN violation_changes vc USING (call_id)) f ON f.call_id = c.call_id;

-- Every dispute with its outcome: uphold | withdraw once an auditor answered it; before that, open — or gone when
-- what it contests has left the record (a re-check of the call no longer finds that finding, or the auditor took
-- the added violation back): nothing is left to answer, and nothing of it counts against the operator.
CREATE OR REPLACE VIEW dispute_outcomes AS
SELECT d.seq, d.call_id, d.idx, d.ref, d.rule, d.comment, d.who, d.decided_at,
       CASE WHEN r.kind IS NOT NULL THEN r.kind
            WHEN d.ref IS NOT NULL AND EXISTS (
                SELECT 1 FROM review_events x WHERE x.kind = 'retract' AND x.ref = d.ref) THEN 'gone'
            WHEN d.ref IS NULL AND NOT EXISTS (
                SELECT 1 FROM findings f WHERE f.call_id = d.call_id AND f.idx = d.idx
                                           AND (d.rule IS NULL OR f.rule = d.rule)) THEN 'gone'
            ELSE 'open' END AS outcome,
       r.seq AS resolved_seq, r.comment AS reason, r.who AS resolved_by, r.decided_at AS resolved_at
FROM review_events d LEFT JOIN review_events r ON r.ref = d.seq AND r.kind IN ('uphold', 'withdraw')
WHERE d.kind = 'dispute';

-- the last dispute of each finding (call_id, idx) and of each added violation (ref = the add): its outcome
-- (open | gone | uphold | withdraw), the operator's comment and the auditor's reason
CREATE OR REPLACE VIEW dispute_state AS
SELECT call_id, idx, ref, outcome, comment, reason FROM (
    SELECT *, row_number() OVER (PARTITION BY call_id, idx, ref ORDER BY seq DESC) AS n FROM dispute_outcomes)
WHERE n = 1;

-- the violations auditors added that stand: not taken back, nor withdrawn on the operator's dispute
CREATE OR REPLACE VIEW added_violations AS
SELECT a.seq, a.call_id, a.rule, a.at_s, a.comment, a.who, a.decided_at, a.clause
FROM review_events a
WHERE a.kind = 'add'
  AND NOT EXISTS (SELECT 1 FROM review_events r WHERE r.kind = 'retract' AND r.ref = a.seq)
  AND NOT EXISTS (SELECT 1 FROM dispute_state d WHERE d.ref = a.seq AND d.outcome = 'withdraw');

-- The violations that count, wherever violations are counted (the KPIs, the dashboard, the report): the automatic
-- findings an auditor did not reject (a withdrawn dispute reads as rejected), and the violations auditors added
-- (source 'auditor', no idx; the clause is the one the check gives the rule).
CREATE OR REPLACE VIEW counted_violations AS
SELECT f.*, 'check' AS source, NULL::BIGINT AS added_seq
FROM findings f
ANTI JOIN reviews r ON r.call_id = f.call_id AND r.idx = f.idx AND r.verdict = 'rejected'
                   AND (r.rule IS NULL OR r.rule = f.rule)
UNION ALL BY NAME
SELECT a.call_id, a.rule, coalesce(a.clause, (SELECT min(x.clause) FROM findings x WHERE x.rule = a.rule)) AS clause,
       'operator' AS speaker, a.at_s AS start, a.at_s AS "end", a.comment AS evidence, 1.0 AS confidence,
       'auditor' AS source, a.seq AS added_seq
FROM added_violations a;
"""


class ReviewError(OkaError):
    """A decision that cannot be stored: unknown finding, verdict, answer or dispute."""


def create(con: duckdb.DuckDBPyConnection) -> None:
    """The events table and the derived views; a store made before keeps its verdicts as events."""
    con.execute(EVENTS_DDL)
    con.execute("ALTER TABLE review_events ADD COLUMN IF NOT EXISTS clause VARCHAR")   # a store made before it
    kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = 'reviews'").fetchone()
    if kind and kind[0] == "BASE TABLE":  # the verdict table of earlier versions becomes history
        con.execute("""
            INSERT INTO review_events (seq, decided_at, who, role, kind, call_id, idx, rule, comment)
            SELECT (SELECT coalesce(max(seq), 0) FROM review_events)
                       + row_number() OVER (ORDER BY reviewed_at, call_id, idx),
                   reviewed_at, coalesce(reviewer, ''), '',
                   CASE verdict WHEN 'confirmed' THEN 'confirm' ELSE 'reject' END, call_id, idx, rule, comment
            FROM reviews""")
        con.execute("DROP TABLE reviews")
    con.execute(VIEWS_DDL)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or clock.now()


def append_event(con: duckdb.DuckDBPyConnection, kind: str, who: str, role: str, at: dt.datetime, **cols) -> int:
    """Insert one event (the only write this module makes); returns its seq."""
    seq = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM review_events").fetchone()[0]
    names = ["seq", "decided_at", "who", "role", "kind", *cols]
    con.execute(f"INSERT INTO review_events ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [seq, at, (who or "").strip(), role or "", kind, *cols.values()])
    return int(seq)


def _finding(con: duckdb.DuckDBPyConnection, db: Path, call_id: str, idx: int) -> tuple[str, str | None]:
    """(rule, operator_id) of finding ``idx`` of ``call_id``, or ReviewError."""
    row = con.execute("""SELECT f.rule, c.operator_id FROM findings f LEFT JOIN calls c USING (call_id)
                         WHERE f.call_id = ? AND f.idx = ?""", [call_id, int(idx)]).fetchone()
    if row is None:
        raise ReviewError(f"{db}: no finding {idx} in call {call_id}")
    return row[0], row[1]


# --- verdicts on automatic findings -------------------------------------------------------------

def _dispute_stands(con: duckdb.DuckDBPyConnection, call_id: str, idx: int, verdict: str | None) -> None:
    """Refuse a verdict (None: clearing it) that would undo the resolution of the operator's dispute on the finding:
    the operator was told the outcome and cannot dispute the finding again, so it is not changed behind them."""
    row = con.execute("""SELECT kind, who, decided_at FROM review_events
                         WHERE kind IN ('uphold', 'withdraw') AND call_id = ? AND idx = ? ORDER BY seq DESC LIMIT 1""",
                      [call_id, int(idx)]).fetchone()
    if row is None or verdict == ("confirmed" if row[0] == "uphold" else "rejected"):
        return
    # (said on the «Проверка» page, in its language)
    done = "оставлено в силе" if row[0] == "uphold" else "снято"
    raise ReviewError(f"Звонок {call_id}, находка № {idx}: по спору оператора нарушение {done} ({row[1]}, "
                      f"{row[2]:%d.%m.%Y}), оператору это сообщено; решение по спору остаётся в силе.")


def save_review(db: Path, call_id: str, idx: int, verdict: str, comment: str = "", reviewer: str = "",
                now: dt.datetime | None = None, role: str = "") -> int:
    """Record ``verdict`` (confirmed | rejected) on finding ``idx`` of ``call_id``; a later one supersedes it,
    except where it would undo the answer to the operator's dispute on the finding."""
    if verdict not in VERDICTS:
        raise ReviewError(f"verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}")
    with connect(Path(db)) as con:
        rule, _op = _finding(con, db, call_id, idx)
        _dispute_stands(con, call_id, idx, verdict)
        seq = append_event(con, "confirm" if verdict == "confirmed" else "reject", reviewer, role, _now(now),
                      call_id=call_id, idx=int(idx), rule=rule, comment=(comment or "").strip())
    log.info("review of %s #%s: %s", call_id, idx, verdict)
    return seq


def clear_review(db: Path, call_id: str, idx: int, reviewer: str = "", now: dt.datetime | None = None,
                 role: str = "") -> bool:
    """Take back the standing verdict on a finding (an event too); True if there was one.  The answer to the
    operator's dispute on it is not taken back."""
    with connect(Path(db)) as con:
        row = con.execute("SELECT rule FROM reviews WHERE call_id = ? AND idx = ?", [call_id, int(idx)]).fetchone()
        if row is None:
            return False
        _dispute_stands(con, call_id, idx, None)
        append_event(con, "clear", reviewer, role, _now(now), call_id=call_id, idx=int(idx), rule=row[0])
    return True


# --- violations the check missed ----------------------------------------------------------------

def add_missed(db: Path, call_id: str, rule: str, at_s: float | None, comment: str, who: str, role: str = "",
               now: dt.datetime | None = None) -> int:
    """An auditor heard a violation of ``rule`` at ``at_s`` seconds that no finding reports; returns its seq."""
    if not (rule or "").strip():
        raise ReviewError("a missed violation needs its rule")
    with connect(Path(db)) as con:
        row = con.execute("SELECT duration_s FROM calls WHERE call_id = ?", [call_id]).fetchone()
        if row is None:
            raise ReviewError(f"{db}: no call {call_id}")
        if at_s is not None and (at_s < 0 or (row[0] is not None and at_s > row[0] + 1)):
            raise ReviewError(f"{call_id}: the moment {at_s:.0f} s is outside the call (0–{row[0]:.0f} s)")
        return append_event(con, "add", who, role, _now(now), call_id=call_id, rule=rule.strip(),
                            at_s=None if at_s is None else float(at_s), comment=(comment or "").strip(),
                            clause=rule_clause(rule.strip()))


def rule_clause(rule: str) -> str | None:
    """The clause the rulebook in use gives ``rule`` (None for a rule it does not have): an added violation keeps
    it, so that it is counted under its clause even where the check never found that rule."""
    return _rule_clauses().get(rule)


@functools.lru_cache(maxsize=1)
def _rule_clauses() -> dict[str, str]:
    from rules.rulebook import Rulebook

    try:
        return {r.id: str(r.clause) for r in Rulebook.load().rules}
    except OkaError as e:   # an unreadable rulebook: the clause is then the check's, as before
        log.warning("the rulebook's clauses are unavailable: %s", e)
        return {}


def retract_added(db: Path, seq: int, who: str, comment: str = "", role: str = "",
                  now: dt.datetime | None = None) -> int:
    """Take back added violation ``seq`` (the add stays in the history)."""
    with connect(Path(db)) as con:
        row = con.execute("SELECT call_id, rule FROM added_violations WHERE seq = ?", [int(seq)]).fetchone()
        if row is None:
            raise ReviewError(f"{db}: no standing added violation {seq}")
        return append_event(con, "retract", who, role, _now(now), call_id=row[0], rule=row[1], ref=int(seq),
                       comment=(comment or "").strip())


# --- evaluation forms ---------------------------------------------------------------------------

def answer_form(db: Path, call_id: str, answers: dict[str, tuple[str, float]], who: str, role: str = "",
                comment: str = "", session_id: str | None = None, now: dt.datetime | None = None) -> list[int]:
    """Record the form's answers ``{criterion: (yes|no|na, weight)}`` for ``call_id``, one event each."""
    bad = {c: a for c, (a, _w) in answers.items() if a not in ANSWERS}
    if bad:
        raise ReviewError(f"answers must be one of {', '.join(ANSWERS)}, got {bad}")
    at = _now(now)
    with connect(Path(db)) as con:
        if con.execute("SELECT 1 FROM calls WHERE call_id = ?", [call_id]).fetchone() is None:
            raise ReviewError(f"{db}: no call {call_id}")
        con.begin()
        seqs = [append_event(con, "answer", who, role, at, call_id=call_id, criterion=c, answer=a, weight=float(w),
                        session_id=session_id, comment=(comment or "").strip())
                for c, (a, w) in answers.items()]
        con.commit()
    return seqs


# --- disputes -----------------------------------------------------------------------------------

def dispute(db: Path, call_id: str, idx: int, comment: str, who: str, operator_id: str, role: str = "operator",
            now: dt.datetime | None = None) -> int:
    """The operator ``operator_id`` contests finding ``idx`` of their own call; returns the dispute's seq."""
    if not (comment or "").strip():
        raise ReviewError("say why the finding is wrong: a dispute needs a comment")
    with connect(Path(db)) as con:
        rule, owner = _finding(con, db, call_id, idx)
        if not operator_id or owner != operator_id:
            raise ReviewError(f"{call_id}: only the operator of the call may dispute its findings")
        last = con.execute("SELECT outcome FROM dispute_state WHERE call_id = ? AND idx = ? AND ref IS NULL",
                           [call_id, int(idx)]).fetchone()
        if last == ("open",):
            raise ReviewError(f"{call_id} #{idx}: this finding is already disputed and awaits an auditor")
        if last in (("uphold",), ("withdraw",)):
            raise ReviewError(f"{call_id} #{idx}: the dispute of this finding was answered; the answer stands")
        return append_event(con, "dispute", who, role, _now(now), call_id=call_id, idx=int(idx), rule=rule,
                       comment=comment.strip())


def dispute_added(db: Path, add_seq: int, comment: str, who: str, operator_id: str, role: str = "operator",
                  now: dt.datetime | None = None) -> int:
    """The operator ``operator_id`` contests the violation an auditor added to their call (``add_seq``, the add
    event): it counts against them like a finding, so it can be disputed like one.  Returns the dispute's seq."""
    if not (comment or "").strip():
        raise ReviewError("say why the violation is wrong: a dispute needs a comment")
    with connect(Path(db)) as con:
        row = con.execute("SELECT a.call_id, a.rule, c.operator_id FROM added_violations a "
                          "LEFT JOIN calls c USING (call_id) WHERE a.seq = ?", [int(add_seq)]).fetchone()
        if row is None:
            raise ReviewError(f"{db}: no standing added violation {add_seq}")
        call_id, rule, owner = row
        if not operator_id or owner != operator_id:
            raise ReviewError(f"{call_id}: only the operator of the call may dispute its violations")
        last = con.execute("SELECT outcome FROM dispute_state WHERE ref = ?", [int(add_seq)]).fetchone()
        if last == ("open",):
            raise ReviewError(f"{call_id}: this added violation is already disputed and awaits an auditor")
        if last == ("uphold",):
            raise ReviewError(f"{call_id}: the dispute of this added violation was answered; it stands")
        return append_event(con, "dispute", who, role, _now(now), call_id=call_id, rule=rule, ref=int(add_seq),
                            comment=comment.strip())


def resolve_dispute(db: Path, dispute_seq: int, outcome: str, reason: str, who: str, role: str = "",
                    now: dt.datetime | None = None) -> int:
    """An auditor's answer to dispute ``dispute_seq``: ``uphold`` (the finding stands) or ``withdraw`` (it
    leaves the KPIs), with the reason the operator will read."""
    if outcome not in OUTCOMES:
        raise ReviewError(f"outcome must be one of {', '.join(OUTCOMES)}, got {outcome!r}")
    if not (reason or "").strip():
        raise ReviewError("the operator reads the reason: give one")
    with connect(Path(db)) as con:
        row = con.execute("SELECT call_id, idx, rule, outcome FROM dispute_outcomes WHERE seq = ?",
                          [int(dispute_seq)]).fetchone()
        if row is None:
            raise ReviewError(f"{db}: no dispute {dispute_seq}")
        if row[3] in OUTCOMES:
            raise ReviewError(f"dispute {dispute_seq} is already resolved")
        if row[3] == "gone":  # an answer would tell the operator about a violation no longer on their record
            raise ReviewError(f"dispute {dispute_seq}: what it contests is no longer on the call's record "
                              "(a re-check did not find it again, or the added violation was taken back); "
                              "nothing is left to answer")
        return append_event(con, outcome, who, role, _now(now), call_id=row[0], idx=row[1], rule=row[2],
                       ref=int(dispute_seq), comment=reason.strip())


# --- reading the history and the state derived from it ------------------------------------------

def _read(db: Path, sql: str, params: list | None = None) -> pl.DataFrame:
    with connect(Path(db), read_only=True) as con:
        return con.sql(sql, params=params or []).pl()


def events(db: Path, call_id: str | None = None, kinds: tuple[str, ...] = ()) -> pl.DataFrame:
    """The history, oldest first (optionally of one call, of some kinds)."""
    return _read(db, """SELECT * FROM review_events WHERE (?::VARCHAR IS NULL OR call_id = ?::VARCHAR)
                        AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], kind)) ORDER BY seq""",
                 [call_id, call_id, list(kinds), list(kinds)])


def disputes(db: Path, operator_id: str | None = None, state: str = "all") -> pl.DataFrame:
    """Disputes with their finding (or added violation) and outcome: seq, call_id, idx (None for an added
    violation), added_seq (the add disputed, else None), rule, evidence (an added violation's: the auditor's
    comment), start, started_at, operator_id, operator_name, comment, who, decided_at, outcome (None: open;
    ``gone``: what it contests left the record unanswered), reason, resolved_by, resolved_at.  ``state``: all,
    open (awaiting an answer), resolved (answered) or gone."""
    if state not in DISPUTE_STATES:
        raise ValueError(f"state must be one of {', '.join(DISPUTE_STATES)}, got {state!r}")
    return _read(db, """
        SELECT d.seq, d.call_id, d.idx, a.seq AS added_seq, d.rule, coalesce(f.evidence, a.comment) AS evidence,
               coalesce(f.start, a.at_s) AS start, c.started_at, c.operator_id, c.operator_name,
               d.comment, d.who, d.decided_at, nullif(d.outcome, 'open') AS outcome, d.reason, d.resolved_by,
               d.resolved_at
        FROM dispute_outcomes d
        LEFT JOIN findings f ON f.call_id = d.call_id AND f.idx = d.idx AND d.outcome <> 'gone'
        LEFT JOIN review_events a ON a.seq = d.ref AND a.kind = 'add'
        LEFT JOIN calls c ON c.call_id = d.call_id
        WHERE (?::VARCHAR IS NULL OR c.operator_id = ?::VARCHAR)
          AND (? = 'all' OR d.outcome = ? OR (? = 'resolved' AND d.outcome IN ('uphold', 'withdraw')))
        ORDER BY d.seq DESC""", [operator_id, operator_id, state, state, state])


def added(db: Path, call_id: str | None = None) -> pl.DataFrame:
    """Standing added violations: seq, call_id, rule, at_s, comment, who, decided_at."""
    return _read(db, "SELECT * FROM added_violations WHERE (?::VARCHAR IS NULL OR call_id = ?::VARCHAR) "
                     "ORDER BY call_id, at_s NULLS LAST, seq", [call_id, call_id])


def answers(db: Path, call_id: str, session_id: str | None = None, who: str | None = None) -> pl.DataFrame:
    """The standing answers to the form of ``call_id``: the call's own form, or (``session_id``) the
    answers given in a calibration session (``who``: one auditor's only)."""
    if session_id is None:
        return _read(db, "SELECT * FROM form_answers WHERE call_id = ? ORDER BY criterion", [call_id])
    return _read(db, """
        SELECT call_id, criterion, answer, weight, who, decided_at, comment FROM (
            SELECT *, row_number() OVER (PARTITION BY who, criterion ORDER BY seq DESC) AS n
            FROM review_events WHERE kind = 'answer' AND session_id = ? AND call_id = ?
              AND (?::VARCHAR IS NULL OR who = ?::VARCHAR))
        WHERE n = 1 ORDER BY who, criterion""", [session_id, call_id, who, who])


def form_stale(db: Path, call_id: str) -> bool:
    """True when the call's form was filled before its violations last changed (so its score does not count)."""
    df = _read(db, "SELECT form_stale FROM scored_calls WHERE call_id = ?", [call_id])
    return bool(not df.is_empty() and df["form_stale"][0])


def form_score(db: Path, call_id: str) -> float | None:
    """The score of the call's evaluation form, None where it has none (or only n.a. answers)."""
    df = _read(db, "SELECT score FROM form_scores WHERE call_id = ?", [call_id])
    return None if df.is_empty() else df["score"][0]
