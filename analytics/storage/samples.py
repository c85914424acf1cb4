"""The half-yearly sample: calls drawn at random for the manual listening check the standard describes.

Per operator, ``per_operator`` calls of the period (``[audit] sample_per_operator``
in ``oka-qa.toml``), stratified by topic: each topic gets its share of the
operator's calls (largest remainders; ties to the bigger topic, then by name),
drawn within it by a generator seeded from the sample's seed, the operator and
the topic.  Candidates are taken in call_id order, so the same calls, period,
size and seed always give the same sample, whatever order the store returns rows
in.  The seed is recorded with the sample (``samples``); a sample is written once.
Progress is the share of sampled calls whose evaluation form is filled.
"""
from __future__ import annotations

import datetime as dt
import random
import secrets
from pathlib import Path

import duckdb
import polars as pl

from analytics.storage.reviews import ReviewError
from analytics.storage.store import connect
from core import clock

DDL = """
CREATE TABLE IF NOT EXISTS samples (
    sample_id     VARCHAR PRIMARY KEY,
    drawn_at      TIMESTAMP,
    drawn_by      VARCHAR,
    date_from     DATE,
    date_to       DATE,
    per_operator  INTEGER,
    seed          BIGINT
);
CREATE TABLE IF NOT EXISTS sample_calls (
    sample_id    VARCHAR,
    call_id      VARCHAR,
    operator_id  VARCHAR,
    topic        VARCHAR,
    PRIMARY KEY (sample_id, call_id)
);
"""


class SampleError(ReviewError):
    """A sample that cannot be drawn as asked."""


def create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def _allocate(sizes: dict[str, int], k: int) -> dict[str, int]:
    """``k`` places shared among strata in proportion to ``sizes`` (largest remainders), none above its size."""
    total = sum(sizes.values())
    if k >= total:
        return dict(sizes)
    exact = {s: k * n / total for s, n in sizes.items()}
    out = {s: int(x) for s, x in exact.items()}
    order = sorted(sizes, key=lambda s: (-(exact[s] - out[s]), -sizes[s], s))
    for s in order[:k - sum(out.values())]:
        out[s] += 1
    return out


def choose(calls: pl.DataFrame, per_operator: int, seed: int) -> pl.DataFrame:
    """From ``calls`` (call_id, operator_id, topic) pick ``per_operator`` per operator, stratified by topic."""
    if per_operator < 1:
        raise SampleError(f"sample size per operator must be at least 1, got {per_operator}")
    picked = []
    rows = calls.select("call_id", "operator_id", pl.col("topic").fill_null("other")).sort("call_id")
    for (op,), mine in rows.group_by(["operator_id"], maintain_order=True):
        strata = {t: part["call_id"].to_list() for (t,), part in mine.group_by(["topic"], maintain_order=True)}
        quota = _allocate({t: len(ids) for t, ids in strata.items()}, per_operator)
        for topic in sorted(strata):
            rng = random.Random(f"{seed}/{op}/{topic}")
            for call_id in sorted(rng.sample(strata[topic], quota[topic])):
                picked.append({"call_id": call_id, "operator_id": op, "topic": topic})
    return pl.DataFrame(picked, schema={"call_id": pl.String, "operator_id": pl.String, "topic": pl.String})


def draw(db: Path, date_from: dt.date, date_to: dt.date, per_operator: int, who: str, seed: int | None = None,
         now: dt.datetime | None = None) -> str:
    """Draw and record a sample of the calls started in [date_from, date_to]; returns its id."""
    seed = secrets.randbelow(10**9) if seed is None else int(seed)
    with connect(Path(db)) as con:
        calls = con.sql("""SELECT call_id, operator_id, topic FROM calls
                               WHERE started_at >= ?::DATE AND started_at < ?::DATE + INTERVAL 1 DAY
                                 AND operator_id IS NOT NULL""", params=[date_from, date_to]).pl()
        if calls.is_empty():
            raise SampleError(f"no calls from {date_from:%d.%m.%Y} to {date_to:%d.%m.%Y} to draw a sample from")
        picked = choose(calls, per_operator, seed)
        sid = f"smp-{secrets.token_hex(4)}"
        con.begin()
        con.execute("INSERT INTO samples VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [sid, now or clock.now(), who, date_from, date_to, per_operator,
                     seed])
        con.executemany("INSERT INTO sample_calls VALUES (?, ?, ?, ?)",
                        [[sid, *r] for r in picked.select("call_id", "operator_id", "topic").iter_rows()])
        con.commit()
    return sid


def samples(db: Path) -> pl.DataFrame:
    """Every sample, newest first, with its size and how many of its calls have a filled form."""
    with connect(Path(db), read_only=True) as con:
        return con.sql("""
            SELECT s.*, count(sc.call_id) AS calls, count(fs.call_id) AS done
            FROM samples s LEFT JOIN sample_calls sc USING (sample_id)
            LEFT JOIN form_scores fs ON fs.call_id = sc.call_id
            GROUP BY ALL ORDER BY s.drawn_at DESC, s.sample_id""").pl()


def sample_calls(db: Path, sample_id: str) -> pl.DataFrame:
    """The sample's calls: call_id, operator_id, operator_name, topic, started_at, form score (None: not yet)."""
    with connect(Path(db), read_only=True) as con:
        return con.sql("""
            SELECT sc.call_id, sc.operator_id, c.operator_name, sc.topic, c.started_at, fs.score AS form_score
            FROM sample_calls sc LEFT JOIN calls c USING (call_id) LEFT JOIN form_scores fs USING (call_id)
            WHERE sc.sample_id = ? ORDER BY c.operator_name, sc.operator_id, c.started_at, sc.call_id""",
                       params=[sample_id]).pl()


def progress(db: Path, sample_id: str) -> pl.DataFrame:
    """Per operator: calls in the sample, forms filled, and the average form score so far."""
    with connect(Path(db), read_only=True) as con:
        return con.sql("""
            SELECT sc.operator_id, any_value(c.operator_name) AS operator_name, count(*) AS calls,
                   count(fs.call_id) AS done, round(avg(fs.score), 1) AS form_score_avg
            FROM sample_calls sc LEFT JOIN calls c USING (call_id) LEFT JOIN form_scores fs USING (call_id)
            WHERE sc.sample_id = ? GROUP BY sc.operator_id ORDER BY operator_name, sc.operator_id""",
                       params=[sample_id]).pl()
