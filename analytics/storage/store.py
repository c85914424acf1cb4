"""The DuckDB store: its schema and short-lived connections.

Tables mirror ``transcription/schema.py`` (calls/utterances/findings/
call_readings) and docs/CONTRACT.md section 4 (requests, readings).  ``links`` says
how each record was tied to a call.

DuckDB lets one process write, and a read-only connection in another process
blocks a writer (and the reverse).  So nobody holds a connection for long:
``connect`` opens one per unit of work and retries while the file is locked.
"""
from __future__ import annotations

import contextlib
import logging
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from core.errors import OkaError

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
# a column a reader adds beside a text column ``c`` (as ``c`` + SAID_BEFORE): what was said just before it in the
# call, the context its masking needs (analytics.access.policy.mask_frame, which never shows it)
SAID_BEFORE = "_said_before"

DDL = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE IF NOT EXISTS calls (
    call_id          VARCHAR PRIMARY KEY,
    started_at       TIMESTAMP,            -- Asia/Almaty wall-clock time
    ended_at         TIMESTAMP,            -- started_at + duration_s
    duration_s       DOUBLE,
    operator_id      VARCHAR,
    operator_name    VARCHAR,
    audio_path       VARCHAR,
    transcript_path  VARCHAR,
    layout           VARCHAR,
    language         VARCHAR,
    topic            VARCHAR,
    score            DOUBLE,
    rulebook         VARCHAR,              -- rulebook version that produced topic/score/findings
    asr_model        VARCHAR,              -- model that produced the transcript, NULL if given
    content_hash     VARCHAR,              -- hash of the transcript JSON, to re-check on change
    ingested_at      TIMESTAMP,
    source_hash      VARCHAR,              -- hash of the calls.csv row + its audio/transcript file
    topics           VARCHAR[],            -- every topic the call covers, ``topic`` first
    rule_set         VARCHAR               -- rule_sets.rule_set: the rule versions that judged it (NULL: unknown)
);

-- The versions of the rules (rules/versions.py) that judged stored calls: a rulebook edit re-judges a call
-- only by the rules whose version differs from its own (analytics/ingest/recheck.py).
CREATE TABLE IF NOT EXISTS rule_sets (
    rule_set    VARCHAR PRIMARY KEY,   -- the manifest's hash
    manifest    VARCHAR,               -- JSON: edition, shared and roles hashes, score, rule -> [fingerprint, weight]
    first_used  TIMESTAMP
);

-- Reviewed findings that a re-check after a rulebook edit no longer finds: their reviews stay in
-- review_events (history), this says which and when (``oka-qa recheck`` reports them).
CREATE TABLE IF NOT EXISTS recheck_orphans (
    rechecked_at  TIMESTAMP,
    call_id       VARCHAR,
    idx           INTEGER,
    kind          VARCHAR,    -- finding | uncertain
    rule          VARCHAR,
    evidence      VARCHAR,
    verdict       VARCHAR     -- the standing verdict then (confirmed | rejected | NULL: a dispute or a cleared one)
);

-- Numbers said in a call (digits or words), for the account-number tie-break of linking.
CREATE TABLE IF NOT EXISTS call_numbers (
    call_id  VARCHAR,
    number   VARCHAR          -- digits only
);

-- How surely a number said, or a value dictated, was heard (docs/CONTRACT.md section 5, clause 12): the
-- lowest ASR word probability among the number words of the utterance that said it.  Only for
-- transcripts with word probabilities; a number with no row here counts as heard with certainty.
CREATE TABLE IF NOT EXISTS heard_numbers (
    call_id     VARCHAR,
    what        VARCHAR,      -- number (call_numbers.number) | reading (call_readings.idx)
    number      VARCHAR,
    idx         INTEGER,
    confidence  DOUBLE
);

-- The reason of each request's text, classified (clause 20, rules/reasons.py); keyed by the text,
-- classified again when the lexicon changes (meta 'reasons_lexicon').
CREATE TABLE IF NOT EXISTS reason_classes (
    reason        VARCHAR PRIMARY KEY,
    reason_class  VARCHAR       -- plumbing | emergency | meter_replaced | other
);

CREATE TABLE IF NOT EXISTS utterances (
    call_id         VARCHAR,
    idx             INTEGER,
    speaker         VARCHAR,
    start           DOUBLE,
    "end"           DOUBLE,
    text            VARCHAR,
    words           STRUCT(w VARCHAR, start DOUBLE, "end" DOUBLE, p DOUBLE)[],
    avg_logprob     DOUBLE,
    no_speech_prob  DOUBLE,
    language        VARCHAR,      -- ru | kk where the transcript said (docs/CONTRACT.md section 1)
    PRIMARY KEY (call_id, idx)
);

CREATE TABLE IF NOT EXISTS findings (
    call_id   VARCHAR,
    idx       INTEGER,
    rule      VARCHAR,
    clause    VARCHAR,
    speaker   VARCHAR,
    start     DOUBLE,
    "end"     DOUBLE,
    evidence  VARCHAR,
    rulebook  VARCHAR,
    confidence DOUBLE,            -- 0..1: how sure the words behind it are
    PRIMARY KEY (call_id, idx)
);

-- Violations found on words too unsure for their rule (docs/CONTRACT.md section 3, ``uncertain``):
-- the same shape as findings; they count nowhere until an auditor confirms one.
CREATE TABLE IF NOT EXISTS uncertain_findings (
    call_id   VARCHAR,
    idx       INTEGER,
    rule      VARCHAR,
    clause    VARCHAR,
    speaker   VARCHAR,
    start     DOUBLE,
    "end"     DOUBLE,
    evidence  VARCHAR,
    rulebook  VARCHAR,
    confidence DOUBLE,
    PRIMARY KEY (call_id, idx)
);

-- The rules that could not be judged on a call, and why (language | no_speech | low_confidence).
CREATE TABLE IF NOT EXISTS not_assessed (
    call_id  VARCHAR,
    rule     VARCHAR,
    reason   VARCHAR,
    PRIMARY KEY (call_id, rule)
);

CREATE TABLE IF NOT EXISTS call_readings (
    call_id   VARCHAR,
    idx       INTEGER,
    value     DOUBLE,
    start     DOUBLE,
    evidence  VARCHAR,
    confidence DOUBLE,            -- how surely the dictated value's digits were heard
    PRIMARY KEY (call_id, idx)
);

CREATE TABLE IF NOT EXISTS requests (
    request_id     VARCHAR PRIMARY KEY,
    customer_type  VARCHAR,   -- individual | legal
    kind           VARCHAR,   -- sealing | unsealing | inspection
    account        VARCHAR,
    contract_no    VARCHAR,
    object_name    VARCHAR,
    meter          VARCHAR,
    contact        VARCHAR,
    reason         VARCHAR,
    note           VARCHAR,
    operator_id    VARCHAR,
    call_id        VARCHAR,   -- as given in the file; see links for the resolved call
    created_at     TIMESTAMP,
    completed_at   TIMESTAMP
);

CREATE TABLE IF NOT EXISTS readings (
    reading_id   VARCHAR PRIMARY KEY,
    account      VARCHAR,
    meter        VARCHAR,
    value        DOUBLE,
    operator_id  VARCHAR,
    call_id      VARCHAR,
    entered_at   TIMESTAMP
);

CREATE TABLE IF NOT EXISTS links (
    record_type  VARCHAR,     -- request | reading
    record_id    VARCHAR,
    call_id      VARCHAR,
    method       VARCHAR,     -- given | time_window | account_match | account_near | latest
    PRIMARY KEY (record_type, record_id)
);

-- An auditor's decision on an uncertain finding (page «Проверка», queue «Требует проверки»): confirmed
-- ones are copied into findings (and count from then on), rejected ones stay out; the queue skips both.
CREATE TABLE IF NOT EXISTS uncertain_reviews (
    call_id     VARCHAR,
    idx         INTEGER,      -- uncertain_findings.idx
    rule        VARCHAR,
    verdict     VARCHAR,      -- confirmed | rejected
    finding_idx INTEGER,      -- the findings.idx it became (confirmed)
    comment     VARCHAR,
    reviewer    VARCHAR,
    reviewed_at TIMESTAMP,
    PRIMARY KEY (call_id, idx)
);

-- Kazakhstan's working-day calendar (core/workdays.py): for every day,
-- whether it is worked and the 10th working day after it (a request's due day).
CREATE TABLE IF NOT EXISTS calendar (
    day         DATE PRIMARY KEY,
    is_working  BOOLEAN,
    due_day     DATE,
    holiday     VARCHAR
);

-- The append-only audit log (analytics/access/audit.py): who opened, played, exported,
-- reviewed what; each row carries the hash of the one before it.
CREATE TABLE IF NOT EXISTS audit_log (
    seq        BIGINT PRIMARY KEY,
    logged_at  TIMESTAMP,
    user_name  VARCHAR,
    role       VARCHAR,
    action     VARCHAR,
    target     VARCHAR,
    detail     VARCHAR,
    prev_hash  VARCHAR,
    hash       VARCHAR
);

-- Coaching (analytics/coaching/): a trainer's assignment of a clause to an operator, with examples
-- and a date; its effect is measured from the findings (analytics/coaching/assignments.py).
CREATE TABLE IF NOT EXISTS assignments (
    assignment_id    BIGINT PRIMARY KEY,
    operator_id      VARCHAR,
    clause           VARCHAR,
    note             VARCHAR,
    examples         BIGINT[],     -- examples.example_id
    assigned_by      VARCHAR,
    assigned_at      TIMESTAMP,
    due_on           DATE,         -- the operator works on it until then; the effect is measured after
    measure_days     INTEGER,      -- the length of the before and after windows (at most)
    acknowledged_at  TIMESTAMP     -- when the operator confirmed it on their page
);

-- Example libraries: a moment of a call (from-to seconds) marked good or bad for a clause, in a named
-- collection; played as a redacted clip (analytics/access/redaction.py).
CREATE TABLE IF NOT EXISTS examples (
    example_id  BIGINT PRIMARY KEY,
    collection  VARCHAR,
    call_id     VARCHAR,
    start_s     DOUBLE,
    end_s       DOUBLE,
    clause      VARCHAR,
    quality     VARCHAR,       -- good | bad
    note        VARCHAR,
    added_by    VARCHAR,
    added_at    TIMESTAMP
);

CREATE TABLE IF NOT EXISTS rejects (
    file      VARCHAR,
    row       INTEGER,
    reason    VARCHAR,
    seen_at   TIMESTAMP
);
"""


def _add_missing_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Give a database made by an older version every column the current DDL has.

    The DDL is built in memory and its columns compared with the file's, table by table: no hand-kept list
    of ``ALTER TABLE`` statements to forget when a column is added.
    """
    wanted_sql = ("SELECT table_name, column_name, data_type FROM information_schema.columns "
                  "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position")
    with duckdb.connect() as mem:
        mem.execute(DDL)
        wanted = mem.execute(wanted_sql).fetchall()
    have = {(t, c) for t, c, _ in con.execute(wanted_sql).fetchall()}
    for table, column, data_type in wanted:
        if (table, column) not in have:
            con.execute(f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS "{column}" {data_type}')


class StoreError(OkaError):
    """The database cannot be opened or written; the message says what to do."""


def init(path: Path) -> None:
    """Create the database file and its tables if they are missing.

    A new database is built under a temporary name and renamed into place, so
    a process killed half-way never leaves a file without its tables.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_name(path.name + ".init")
        for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
            stale.unlink(missing_ok=True)
        _create(tmp)
        os.replace(tmp, path)
    _create(path)  # IF NOT EXISTS: adds what a newer version added


def _create(path: Path) -> None:
    from analytics.storage import calibration, discrepancies, reviews, samples
    from core import workdays

    with connect(path) as con:
        con.begin()
        con.execute(DDL)
        _add_missing_columns(con)
        reviews.create(con)  # the auditors' history (review_events) and the state derived from it
        calibration.create(con)
        samples.create(con)
        discrepancies.create(con)  # verdicts on records discrepancies (clause 12), history like review_events
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        workdays.materialise(con)
        con.commit()


@contextlib.contextmanager
def connect(path: Path, read_only: bool = False, timeout_s: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a short-lived connection, retrying while another process holds the file.

    Keep the ``with`` block short: the lock is held until it ends.
    """
    path = Path(path)
    if read_only and not path.exists():
        raise StoreError(f"{path}: no database here; run `oka-qa ingest DIR --db {path}` first")
    deadline = time.monotonic() + timeout_s
    delay = 0.02
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except (duckdb.IOException, duckdb.ConnectionException) as e:
            # IOException: another process holds the file; ConnectionException: another thread of
            # this process has it open in the other mode (read-only vs read-write)
            busy = "lock" in str(e).lower() or "different configuration" in str(e).lower()
            if not busy or time.monotonic() > deadline:
                raise StoreError(f"{path}: cannot open the database ({e}); "
                                 "check the folder is writable and no other program holds it") from e
            log.debug("database %s is locked, retrying in %.2fs", path, delay)
            # short, jittered waits: a writer between two short transactions frees the file only
            # briefly, and a reader must not sleep through the gap (nor two readers in step)
            time.sleep(delay * random.uniform(0.5, 1.0))
            delay = min(delay * 2, 0.1)
    try:
        yield con
    except (duckdb.IOException, duckdb.TransactionException, duckdb.FatalException) as e:
        # a read-only folder (no room for the .wal), a full disk: DuckDB rolls the transaction back,
        # the file keeps what was committed, and the user gets one line saying what to fix
        if not any(s in str(e) for s in _IO_TROUBLE):
            raise
        raise StoreError(f"{path}: cannot write the database ({e}); nothing of this transaction was stored — "
                         "check the folder is writable and the disk has free space") from e
    finally:
        con.close()


_IO_TROUBLE = ("Permission denied", "No space left", "File too large", "Read-only file system",
               "Cannot open file", "Could not write", "Disk quota")
