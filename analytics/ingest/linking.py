"""Linking requests and readings to the call they came from (docs/CONTRACT.md section 4, revised).

Recomputed in full, in SQL, after every import that changed a call or a
record (``mark_stale`` in the same transaction as the change), so it is
idempotent, a crash between a change and the relinking is caught up by the
next run, and a record whose call arrives later gets linked then.

A record whose ``call_id`` names a stored call is linked to it (method
``given``).  Any other record — ``call_id`` empty, or naming a call not stored
(a typo, or its call not ingested yet: the next ingest links it as ``given``
once the call is stored) — is linked to a call of the same operator that
started before the record was created and ended no more than two working
days before it, chosen in this order (the method kept with the link):

``account_match``
    the latest such call in which the record's account number (readings,
    requests) or contract number (requests) was said — the numbers said in a
    call are in ``call_numbers``, digits only, compared with the record's
    number stripped of non-digits (numbers of ``MIN_DIGITS`` digits or more:
    a «5» said in passing is no evidence);
``account_near``
    else the latest that names it but for one digit (edit distance 1, the
    record's number of ``NEAR_DIGITS`` digits or more) — speech recognition
    drops or mishears a digit now and then;
``time_window``
    else the latest that ended no more than ``WINDOW_MINUTES`` minutes before
    the record (a call still going on when the record was created qualifies).

None: the record stays unlinked (no row in ``links``).  So a record entered
hours after its call, with the account said in the call, is still found — and
counted late rather than lost.

The store keeps the fingerprint of this module (``CODE``) that made its links: a release that links otherwise
relinks every record at the next ingest (:func:`is_stale`), with nothing new to store — as
``analytics/ingest/overlap.py`` does for its findings.

"Two working days before" follows Kazakhstan's calendar (table ``calendar``,
``core/workdays.py``): a call qualifies if it ended at or after the same clock
time on the second working day before the record's day (a record of Wednesday
10:00 reaches back to Monday 10:00; one of Monday 10:00 to Thursday 10:00).
"""
from __future__ import annotations

import logging

from analytics.storage import releases

log = logging.getLogger(__name__)

CODE = releases.fingerprint(__file__)   # this module's release of the linking
_CODE_KEY = "links_code"

WINDOW_MINUTES = 60      # step (3): the call ended no more than this before the record
EVIDENCE_WORKING_DAYS = 2  # steps (1)-(2): how far back the number said in a call is looked for
MIN_DIGITS = 4           # a number shorter than this is no evidence for step (1)
NEAR_DIGITS = 6          # step (2) only for numbers this long (one digit wrong in «12345» is another account)

METHODS = ("given", "account_match", "account_near", "time_window")

_DIGITS = "nullif(regexp_replace(coalesce({col}, ''), '[^0-9]', '', 'g'), '')"

_RECORDS = f"""
CREATE OR REPLACE TEMP TABLE link_records AS
SELECT 'request' AS record_type, request_id AS record_id, operator_id, call_id AS given, created_at AS rec_at,
       {_DIGITS.format(col='account')} AS number1, {_DIGITS.format(col='contract_no')} AS number2
FROM requests
UNION ALL
SELECT 'reading', reading_id, operator_id, call_id, entered_at, {_DIGITS.format(col='account')}, NULL
FROM readings
"""

# The second working day before each day of the calendar: the running count of working days
# strictly before a day, minus one, is the rank of the working day two back.
_OPEN = """
CREATE OR REPLACE TEMP TABLE link_open AS
WITH counted AS (
    SELECT day, count(*) FILTER (WHERE is_working) OVER (ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING
                                                          AND 1 PRECEDING) AS before
    FROM calendar),
ranked AS (SELECT day, row_number() OVER (ORDER BY day) AS rk FROM calendar WHERE is_working),
back AS (SELECT c.day, r.day AS back_day FROM counted c JOIN ranked r ON r.rk = c.before - (CAST(? AS BIGINT) - 1))
SELECT r.record_type, r.record_id, r.operator_id, r.rec_at, r.number1, r.number2,
       coalesce(b.back_day + (r.rec_at - date_trunc('day', r.rec_at)),
                r.rec_at - to_days(CAST(? AS INTEGER) + 2)) AS earliest_end
FROM link_records r LEFT JOIN back b ON b.day = CAST(r.rec_at AS DATE)
WHERE (r.given IS NULL OR r.given NOT IN (SELECT call_id FROM calls))
  AND r.operator_id IS NOT NULL AND r.rec_at IS NOT NULL
"""

# (1) a call of the operator, in the two working days, that names the number: an equi-join on
# the number (call_numbers is indexed by nothing, but a hash join on it is one pass).
_NAMED = """
CREATE OR REPLACE TEMP TABLE link_found AS
SELECT o.record_type, o.record_id, c.call_id, c.started_at, 1 AS step
FROM (SELECT record_type, record_id, operator_id, rec_at, earliest_end, number1 AS number FROM link_open
      WHERE length(number1) >= $min_digits
      UNION SELECT record_type, record_id, operator_id, rec_at, earliest_end, number2 FROM link_open
      WHERE length(number2) >= $min_digits) o
JOIN call_numbers n ON n.number = o.number
JOIN calls c ON c.call_id = n.call_id AND c.operator_id = o.operator_id
WHERE c.started_at < o.rec_at AND c.ended_at >= o.earliest_end
"""

# (2) one digit wrong.  Two strings within edit distance 1 share a key of the form "the string
# with at most one character deleted", so the candidates come from an equi-join on those keys
# and levenshtein() confirms them.
_NEAR = """
INSERT INTO link_found
WITH todo AS (
    SELECT o.* FROM link_open o ANTI JOIN link_found f ON f.record_type = o.record_type AND f.record_id = o.record_id),
rec AS (
    SELECT record_type, record_id, operator_id, rec_at, earliest_end, number1 AS number FROM todo
    WHERE length(number1) >= $near_digits
    UNION SELECT record_type, record_id, operator_id, rec_at, earliest_end, number2 FROM todo
    WHERE length(number2) >= $near_digits),
rec_keys AS (
    SELECT *, number AS k FROM rec
    UNION ALL SELECT rec.*, number[:i - 1] || number[i + 1:] FROM rec, range(1, 12) t(i) WHERE i <= length(number)),
said AS (
    SELECT DISTINCT n.call_id, n.number, c.operator_id, c.started_at, c.ended_at
    FROM call_numbers n JOIN calls c USING (call_id)
    WHERE length(n.number) >= $near_digits - 1 AND c.operator_id IN (SELECT operator_id FROM rec)),
said_keys AS (
    SELECT *, number AS k FROM said
    UNION ALL SELECT said.*, number[:i - 1] || number[i + 1:] FROM said, range(1, 13) t(i) WHERE i <= length(number))
SELECT DISTINCT r.record_type, r.record_id, s.call_id, s.started_at, 2 AS step
FROM rec_keys r JOIN said_keys s ON s.k = r.k AND s.operator_id = r.operator_id
WHERE s.started_at < r.rec_at AND s.ended_at >= r.earliest_end AND levenshtein(s.number, r.number) = 1
"""

# (3) time: calls bucketed by the hours in which a record could fall in their window, so the
# operator-and-time join is an equi-join on (operator, hour) and then an exact filter.
_TIME = """
INSERT INTO link_found
WITH todo AS (
    SELECT o.* FROM link_open o ANTI JOIN link_found f ON f.record_type = o.record_type AND f.record_id = o.record_id),
windows AS (
    SELECT call_id, operator_id, started_at, ended_at,
           unnest(generate_series(date_trunc('hour', started_at),
                                  date_trunc('hour', ended_at + to_minutes(CAST($win_minutes AS BIGINT))),
                                  INTERVAL 1 HOUR)) AS hour
    FROM calls WHERE started_at IS NOT NULL AND ended_at IS NOT NULL
      AND operator_id IN (SELECT operator_id FROM todo))
SELECT r.record_type, r.record_id, w.call_id, w.started_at, 3 AS step
FROM todo r JOIN windows w ON w.operator_id = r.operator_id AND w.hour = date_trunc('hour', r.rec_at)
WHERE w.started_at < r.rec_at AND w.ended_at >= r.rec_at - to_minutes(CAST($win_minutes AS BIGINT))
"""

_LINKS = """
CREATE OR REPLACE TEMP TABLE new_links AS
SELECT r.record_type, r.record_id, r.given AS call_id, 'given' AS method
FROM link_records r JOIN calls c ON c.call_id = r.given
UNION ALL
SELECT record_type, record_id, call_id,
       CASE step WHEN 1 THEN 'account_match' WHEN 2 THEN 'account_near' ELSE 'time_window' END
FROM (SELECT *, row_number() OVER (PARTITION BY record_type, record_id
                                   ORDER BY step, started_at DESC, call_id DESC) AS rk FROM link_found)
WHERE rk = 1
"""


def link(con, window_minutes: int = WINDOW_MINUTES) -> dict[str, int]:
    """Relink every record; returns counts per method plus ``unknown_call`` and ``unlinked``.

    Run it inside the caller's transaction: the old links are replaced at once.
    """
    con.execute(_RECORDS)
    con.execute(_OPEN, [EVIDENCE_WORKING_DAYS, EVIDENCE_WORKING_DAYS])
    con.execute(_NAMED, {"min_digits": MIN_DIGITS})
    con.execute(_NEAR, {"near_digits": NEAR_DIGITS})
    con.execute(_TIME, {"win_minutes": window_minutes})
    con.execute(_LINKS)
    # Change only the links that changed: rewriting every row of an indexed table
    # makes the commit slow (seconds for 100,000 links), and most links never change.
    con.execute("DELETE FROM links l WHERE NOT EXISTS (SELECT 1 FROM new_links n WHERE n.record_type = l.record_type "
                "AND n.record_id = l.record_id AND n.call_id = l.call_id AND n.method = l.method)")
    con.execute("INSERT INTO links SELECT n.* FROM new_links n ANTI JOIN links l "
                "ON l.record_type = n.record_type AND l.record_id = n.record_id")
    for table in ("new_links", "link_found", "link_open", "link_records"):
        con.execute(f"DROP TABLE {table}")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('links_stale', '0')")
    releases.mark(con, _CODE_KEY, CODE)
    counts = summary(con)
    log.info("links: %s", counts)
    return counts


def mark_stale(con) -> None:
    """Note, in the writer's transaction, that calls or records changed and the links must be redone."""
    con.execute("INSERT OR REPLACE INTO meta VALUES ('links_stale', '1')")


def is_stale(con) -> bool:
    """True unless the links were made after the last change, by this release of the module (a database without
    the mark or the fingerprint is stale)."""
    row = con.execute("SELECT value FROM meta WHERE key = 'links_stale'").fetchone()
    return row is None or row[0] != "0" or not releases.made_by(con, _CODE_KEY, CODE)


def summary(con) -> dict[str, int]:
    """Links per method, plus ``unknown_call`` (records naming a call not stored) and ``unlinked``."""
    counts = dict(con.execute("SELECT method, count(*) FROM links GROUP BY method").fetchall())
    counts["unknown_call"] = con.execute(
        "SELECT (SELECT count(*) FROM requests WHERE call_id IS NOT NULL "
        "AND call_id NOT IN (SELECT call_id FROM calls))"
        " + (SELECT count(*) FROM readings WHERE call_id IS NOT NULL AND call_id NOT IN (SELECT call_id FROM calls))"
    ).fetchall()[0][0]
    counts["unlinked"] = con.execute(
        "SELECT (SELECT count(*) FROM requests r WHERE NOT EXISTS (SELECT 1 FROM links l "
        "WHERE l.record_type = 'request' AND l.record_id = r.request_id)) + (SELECT count(*) FROM readings r "
        "WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.record_type = 'reading' AND l.record_id = r.reading_id))"
    ).fetchall()[0][0]
    return counts


def unknown_call_ids(con, limit: int = 20) -> list[tuple[str, str, str]]:
    """(record type, record id, call_id) of records whose call_id names no stored call."""
    return con.execute(
        "SELECT 'request', request_id, call_id FROM requests WHERE call_id IS NOT NULL "
        "AND call_id NOT IN (SELECT call_id FROM calls) "
        "UNION ALL SELECT 'reading', reading_id, call_id FROM readings WHERE call_id IS NOT NULL "
        "AND call_id NOT IN (SELECT call_id FROM calls) ORDER BY 1, 2 LIMIT ?", [limit]).fetchall()
