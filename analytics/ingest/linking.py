"""Linking requests and readings to the call they came from (docs/CONTRACT.md section 4).

Recomputed in full, in SQL, after every import that changed a call or a
record (``mark_stale`` in the same transaction as the change), so it is
idempotent, a crash between a change and the relinking is caught up by the
next run, and a record whose call arrives later gets linked then.  Each link records its method:

``given``
    the record's ``call_id`` names a stored call.
``time_window``
    ``call_id`` is empty and exactly one call qualifies: same operator, started
    before the record was created, ended no more than 60 minutes before it
    (a call still going on when the record was created qualifies).
``account_match``
    several calls qualify and exactly one of them names the record's account
    (readings, requests) or contract number (requests) — the numbers said in a
    call are in ``call_numbers``, digits only, compared with the record's
    number stripped of non-digits.
``account_near``
    several qualify, none names the number exactly, and exactly one names it
    but for one digit (edit distance 1; numbers of 6 digits or more) — speech
    recognition drops or mishears a digit now and then.  With transcripts that
    name no near number either (all hand-made ones) this never fires.
``latest``
    several qualify and none or several name the number: the latest started.

A record whose ``call_id`` names no stored call is linked by time as if the
id were empty (the id may be a typo, or its call may not be ingested yet: the
next ingest links it as ``given`` once the call is stored); ``link`` reports
how many such records there were so the pipeline can warn about them.
Records with no candidate stay unlinked (no row in ``links``).
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)

WINDOW_MINUTES = 60

_RECORDS = """
CREATE OR REPLACE TEMP TABLE link_records AS
SELECT 'request' AS record_type, request_id AS record_id, operator_id, call_id AS given, created_at AS at,
       nullif(regexp_replace(coalesce(account, ''), '[^0-9]', '', 'g'), '') AS number1,
       nullif(regexp_replace(coalesce(contract_no, ''), '[^0-9]', '', 'g'), '') AS number2
FROM requests
UNION ALL
SELECT 'reading', reading_id, operator_id, call_id, entered_at,
       nullif(regexp_replace(coalesce(account, ''), '[^0-9]', '', 'g'), ''), NULL
FROM readings
"""

# Calls bucketed by the hours in which a record could fall in their window, so the
# operator-and-time join is an equi-join on (operator, hour) and then an exact filter.
_CANDIDATES = """
CREATE OR REPLACE TEMP TABLE link_candidates AS
WITH windows AS (
    SELECT call_id, operator_id, started_at, ended_at,
           unnest(generate_series(date_trunc('hour', started_at),
                                  date_trunc('hour', ended_at + to_minutes(CAST(? AS BIGINT))),
                                  INTERVAL 1 HOUR)) AS hour
    FROM calls WHERE started_at IS NOT NULL AND ended_at IS NOT NULL AND operator_id IS NOT NULL
),
unlinked AS (
    SELECT r.* FROM link_records r
    WHERE r.given IS NULL OR r.given NOT IN (SELECT call_id FROM calls)
)
SELECT r.record_type, r.record_id, w.call_id, w.started_at,
       EXISTS (SELECT 1 FROM call_numbers n
               WHERE n.call_id = w.call_id AND (n.number = r.number1 OR n.number = r.number2)) AS names_number,
       false AS nearly_names, r.number1, r.number2
FROM unlinked r
JOIN windows w ON w.operator_id = r.operator_id AND w.hour = date_trunc('hour', r.at)
WHERE w.started_at < r.at AND w.ended_at >= r.at - to_minutes(CAST(? AS BIGINT))
"""

# Speech recognition drops or mishears a digit now and then («один один ноль два…» heard as
# 1 1 2 …): when several calls qualify and none names the number exactly, a call that names
# it but for one digit (edit distance 1, numbers of 6+ digits) breaks the tie (``account_near``).
_NEAR = """
UPDATE link_candidates c SET nearly_names = EXISTS (
    SELECT 1 FROM call_numbers n
    WHERE n.call_id = c.call_id AND length(n.number) >= 5
      AND ((length(c.number1) >= 6 AND levenshtein(n.number, c.number1) <= 1)
        OR (length(c.number2) >= 6 AND levenshtein(n.number, c.number2) <= 1)))
WHERE (c.record_type, c.record_id) IN (
    SELECT (record_type, record_id) FROM link_candidates GROUP BY ALL
    HAVING count(*) > 1 AND NOT bool_or(names_number))
"""

_LINKS = """
CREATE OR REPLACE TEMP TABLE new_links AS
SELECT r.record_type, r.record_id, r.given AS call_id, 'given' AS method
FROM link_records r JOIN calls c ON c.call_id = r.given
UNION ALL
SELECT record_type, record_id, call_id,
       CASE WHEN n = 1 THEN 'time_window' WHEN n_named = 1 THEN 'account_match'
            WHEN n_named = 0 AND n_near = 1 THEN 'account_near' ELSE 'latest' END
FROM (SELECT *, row_number() OVER (
             PARTITION BY record_type, record_id
             ORDER BY CASE WHEN n_named = 1 AND names_number THEN 0
                           WHEN n_named = 0 AND n_near = 1 AND nearly_names THEN 0 ELSE 1 END,
                      started_at DESC, call_id DESC) AS rk
      FROM (SELECT record_type, record_id, call_id, started_at, names_number, nearly_names,
                   count(*) OVER w AS n, count(*) FILTER (WHERE names_number) OVER w AS n_named,
                   count(*) FILTER (WHERE nearly_names) OVER w AS n_near
            FROM link_candidates WINDOW w AS (PARTITION BY record_type, record_id)))
WHERE rk = 1
"""


def link(con, window_minutes: int = WINDOW_MINUTES) -> dict[str, int]:
    """Relink every record; returns counts per method plus ``unknown_call`` and ``unlinked``.

    Run it inside the caller's transaction: the old links are replaced at once.
    """
    con.execute(_RECORDS)
    con.execute(_CANDIDATES, [window_minutes, window_minutes])
    con.execute(_NEAR)
    con.execute(_LINKS)
    # Change only the links that changed: rewriting every row of an indexed table
    # makes the commit slow (seconds for 100,000 links), and most links never change.
    con.execute("DELETE FROM links l WHERE NOT EXISTS (SELECT 1 FROM new_links n WHERE n.record_type = l.record_type "
                "AND n.record_id = l.record_id AND n.call_id = l.call_id AND n.method = l.method)")
    con.execute("INSERT INTO links SELECT n.* FROM new_links n ANTI JOIN links l "
                "ON l.record_type = n.record_type AND l.record_id = n.record_id")
    con.execute("DROP TABLE new_links")
    con.execute("DROP TABLE link_candidates")
    con.execute("DROP TABLE link_records")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('links_stale', '0')")
    counts = summary(con)
    log.info("links: %s", counts)
    return counts


def mark_stale(con) -> None:
    """Note, in the writer's transaction, that calls or records changed and the links must be redone."""
    con.execute("INSERT OR REPLACE INTO meta VALUES ('links_stale', '1')")


def is_stale(con) -> bool:
    """True unless the links were made after the last change (a database without the mark is stale)."""
    row = con.execute("SELECT value FROM meta WHERE key = 'links_stale'").fetchall()
    return not row or row[0][0] != "0"


def summary(con) -> dict[str, int]:
    """Links per method, plus ``unknown_call`` (records naming a call not stored) and ``unlinked``."""
    counts = dict(con.execute("SELECT method, count(*) FROM links GROUP BY method").fetchall())
    counts["unknown_call"] = con.execute(
        "SELECT (SELECT count(*) FROM requests WHERE call_id IS NOT NULL AND call_id NOT IN (SELECT call_id FROM calls))"
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
