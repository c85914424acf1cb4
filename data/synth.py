"""Generate a realistic data folder (docs/CONTRACT.md section 4) of any size.

    python -m data.synth --calls 2000 --out /tmp/oka-data            # transcripts, checked by the rulebook
    python -m data.synth --calls 1000000 --out /tmp/big --prechecked  # pre-checked, for the scale benchmark
    python -m data.synth --calls 1000000 --out /tmp/big --prechecked --transcripts  # + the transcripts (re-check)

What it makes, with distributions of a city utility's contact centre:

* ~20 operators, each call answered by one who is free (all busy: the one free
  soonest, so clause 15.13's parallel calls are rare); calls on working days
  (Kazakhstan's calendar) 08:00-19:00,
  a few on Saturdays; durations log-normal around 3 minutes; topics mixed
  (readings 40 %, household requests 20 %, legal requests 5 %, billing 25 %,
  out of scope 5 %, other 5 %);
* requests for most request calls: created a few minutes after the call
  (some late, 3 % hours late with no call id: found by the account said in
  the call), 60 % with the call id given, the rest to be linked; reasons as
  operators type them, 5 % none of the three clause 20 allows;
* records from other channels (3 %): no call id, an account no call names,
  so they stay unlinked;
  most completed within 10 working days, some late, some open and overdue,
  some missing a required field;
* readings for most readings calls: entered within minutes (some late),
  the value dictated in the call, with an occasional typo (a mismatch);
* without ``--prechecked``: one transcript JSON per call (greeting, account
  dictated in words, a meter value, closing; sometimes a forbidden address
  or no closing), to be checked by the rulebook at ingest;
* with ``--prechecked``: no transcripts; ``prechecked/*.parquet`` carries each
  call's duration, topic, score, findings, dictated values and the numbers
  said; calls.csv names ``prechecked/calls.parquet`` as every call's
  transcript, and ``oka-qa ingest`` stores the results as they are
  (analytics/ingest/prechecked.py);
* with ``--prechecked --transcripts``: also ``prechecked/utterances.parquet``, every
  call's transcript (the same words as the JSON transcripts, one row an utterance
  with the fields of docs/CONTRACT.md section 1), so the stored calls can be
  judged again after a rulebook edit (``oka-qa recheck``, bench/recheck_scale.py).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import numpy as np
import polars as pl

OPERATORS = ["Айгуль", "Нурлан", "Асель", "Ерлан", "Динара", "Марат", "Жанар", "Серик", "Гульнара", "Даурен",
             "Алия", "Бауыржан", "Сауле", "Тимур", "Камила", "Руслан", "Мадина", "Арман", "Зарина", "Олжас"]
TOPICS = ["readings", "request.individual", "request.legal", "billing", "out_of_scope", "other"]
TOPIC_P = [0.40, 0.20, 0.05, 0.25, 0.05, 0.05]
KINDS = ["sealing", "unsealing", "inspection"]
RULES = ["address.forbidden", "speech.filler", "speech.jargon", "greeting.missing", "closing.missing",
         "name.not_used", "term.unexplained", "interruption", "aht.over_norm", "request.data_missing"]
RULE_P = [0.04, 0.10, 0.08, 0.03, 0.08, 0.12, 0.06, 0.05, 0.04, 0.03]  # per call
RULEBOOK = "SYNTH/01"
# a household sealing request's reason as operators type it (clause 20: the last one is none of the three)
REASONS = ["замена ИПУ ГВС", "поменяли счётчик", "после ремонта сантехники", "прорвало трубу", "истёк срок поверки"]
REASON_P = [0.45, 0.2, 0.15, 0.15, 0.05]
OTHER_CHANNEL = 0.03   # records that came by another channel, as a share of those from calls


def _work_days(start: dt.date, months: int) -> list[dt.date]:
    from core.workdays import is_working_day

    end = (dt.date(start.year + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12 + 1, 1))
    days = [start + dt.timedelta(i) for i in range((end - start).days)]
    return [d for d in days if is_working_day(d) or (d.weekday() == 5 and d.day % 3 == 0)]


def generate(n_calls: int, start: dt.date, months: int, seed: int) -> dict[str, pl.DataFrame]:
    """The calls (with their check results), requests and readings, as frames."""
    rng = np.random.default_rng(seed)
    days = np.array(_work_days(start, months), dtype="datetime64[D]")
    day = rng.choice(days, n_calls)
    secs = rng.integers(8 * 3600, 19 * 3600, n_calls)
    started = day.astype("datetime64[s]") + secs.astype("timedelta64[s]")
    order = np.argsort(started, kind="stable")
    started = started[order]
    free_first = rng.integers(0, len(OPERATORS), n_calls)   # who of the free operators answers
    duration = np.clip(rng.lognormal(np.log(180), 0.5, n_calls), 20, 3600).round(1)
    op = _answered_by(started.astype("int64"), duration, free_first)
    topic = rng.choice(len(TOPICS), n_calls, p=TOPIC_P)
    ended = started + (duration * 1000).astype("timedelta64[ms]")
    hits = rng.random((n_calls, len(RULES))) < np.array(RULE_P)
    score = np.clip(100 - hits.sum(axis=1) * 8 - rng.integers(0, 5, n_calls), 0, 100).astype(float)
    ids = np.char.add("C", np.char.zfill(np.arange(n_calls).astype(str), 7))
    account = rng.integers(100_000_000, 999_999_999, n_calls).astype(str)
    value = rng.integers(100, 9999, n_calls) + rng.integers(0, 10, n_calls) / 10
    dictated = (topic == 0) & (rng.random(n_calls) < 0.9)

    calls = pl.DataFrame({
        "call_id": ids, "started_at": started.astype("datetime64[us]"), "ended_at": ended.astype("datetime64[us]"),
        "duration_s": duration, "operator_id": [f"op{i + 1:02d}" for i in op],
        "operator_name": [OPERATORS[i] for i in op], "topic": [TOPICS[t] for t in topic], "score": score,
        "account": account, "value": value, "dictated": dictated,
    })

    f_call, f_rule = np.nonzero(hits)
    findings = pl.DataFrame({"call_id": ids[f_call], "rule": [RULES[r] for r in f_rule]})

    # requests: 90 % of request calls, created 0.5-6 min after (8 % late: 8-60 min; 3 % hours late,
    # up to a working day, with no call_id: only the account said in the call ties them to it)
    is_req = np.isin(topic, [1, 2]) & (rng.random(n_calls) < 0.9)
    r_idx = np.nonzero(is_req)[0]
    nr = len(r_idx)
    late = rng.random(nr) < 0.08
    hours_late = rng.random(nr) < 0.03
    delay_s = np.where(late, rng.integers(8 * 60, 60 * 60, nr), rng.integers(-60, 6 * 60, nr))
    delay_s = np.where(hours_late, rng.integers(90 * 60, 20 * 3600, nr), delay_s)
    created = ended[r_idx].astype("datetime64[s]") + delay_s.astype("timedelta64[s]")
    legal = topic[r_idx] == 2
    work_days = rng.choice(np.arange(1, 10), nr)
    work_days = np.where(rng.random(nr) < 0.1, rng.integers(11, 20, nr), work_days)   # 10 % late
    done_at = np.busday_offset(created.astype("datetime64[D]"), work_days, roll="forward").astype("datetime64[s]")
    done_at = done_at + rng.integers(9 * 3600, 18 * 3600, nr).astype("timedelta64[s]")
    open_ = rng.random(nr) < 0.12
    missing = rng.random(nr) < 0.05
    requests = pl.DataFrame({
        "request_id": np.char.add("Q", np.char.zfill(np.arange(nr).astype(str), 7)),
        "customer_type": np.where(legal, "legal", "individual"),
        "kind": rng.choice(KINDS, nr),
        "account": np.where(legal, "", account[r_idx]),
        "contract_no": np.where(legal, np.char.add("Д-", account[r_idx]), ""),
        "object_name": np.where(legal, "ТОО Объект", ""), "meter": np.where(legal, "ПУТЭ-1", ""),
        "contact": np.where(missing, "", "87011234567"), "reason": rng.choice(REASONS, nr, p=REASON_P),
        "note": "", "operator_id": calls["operator_id"].to_numpy()[r_idx],
        "call_id": np.where((rng.random(nr) < 0.6) & ~hours_late, ids[r_idx], ""),
        "created_at": _iso(created), "completed_at": np.where(open_, "", _iso(done_at)),
    })
    if int(nr * OTHER_CHANNEL):
        requests = pl.concat([requests, _other_channel_requests(rng, days, nr, int(nr * OTHER_CHANNEL))])

    # readings: 95 % of readings calls, entered 0.3-4 min after (5 % late; 2 % hours late with no call_id),
    # 2 % typos
    is_rd = (topic == 0) & (rng.random(n_calls) < 0.95)
    d_idx = np.nonzero(is_rd)[0]
    nd = len(d_idx)
    late = rng.random(nd) < 0.05
    hours_late = rng.random(nd) < 0.02
    delay_s = np.where(late, rng.integers(6 * 60, 50 * 60, nd), rng.integers(20, 4 * 60, nd))
    delay_s = np.where(hours_late, rng.integers(90 * 60, 20 * 3600, nd), delay_s)
    entered = ended[d_idx].astype("datetime64[s]") + delay_s.astype("timedelta64[s]")
    typo = rng.random(nd) < 0.02
    readings = pl.DataFrame({
        "reading_id": np.char.add("P", np.char.zfill(np.arange(nd).astype(str), 7)),
        "account": account[d_idx], "meter": "ГВС-1",
        "value": np.where(typo, value[d_idx] + 10, value[d_idx]).round(1),
        "operator_id": calls["operator_id"].to_numpy()[d_idx],
        "call_id": np.where((rng.random(nd) < 0.5) & ~hours_late, ids[d_idx], ""), "entered_at": _iso(entered),
    })
    if int(nd * OTHER_CHANNEL):
        readings = pl.concat([readings, _other_channel_readings(rng, days, nd, int(nd * OTHER_CHANNEL))])
    return {"calls": calls, "findings": findings, "requests": requests, "readings": readings}


def _other_moments(rng, days: np.ndarray, n: int) -> tuple[np.ndarray, list[str], np.ndarray]:
    """``n`` moments in working hours, operators and accounts that no call of the folder names."""
    at = rng.choice(days, n).astype("datetime64[s]") + rng.integers(8 * 3600, 19 * 3600, n).astype("timedelta64[s]")
    ops = [f"op{i + 1:02d}" for i in rng.integers(0, len(OPERATORS), n)]
    return at, ops, rng.integers(10_000_000, 99_999_999, n).astype(str)   # 8 digits: no call says one


def _other_channel_requests(rng, days: np.ndarray, first: int, n: int) -> pl.DataFrame:
    """Requests that came by another channel (the office, the website): no call_id, an account no call names."""
    at, ops, account = _other_moments(rng, days, n)
    done = at + (rng.integers(1, 12, n) * 86400).astype("timedelta64[s]")
    return pl.DataFrame({
        "request_id": np.char.add("Q", np.char.zfill(np.arange(first, first + n).astype(str), 7)),
        "customer_type": np.full(n, "individual"), "kind": rng.choice(KINDS, n), "account": account,
        "contract_no": np.full(n, ""), "object_name": np.full(n, ""), "meter": np.full(n, ""),
        "contact": np.full(n, "87011234567"), "reason": rng.choice(REASONS, n, p=REASON_P), "note": np.full(n, ""),
        "operator_id": ops, "call_id": np.full(n, ""), "created_at": _iso(at),
        "completed_at": np.where(rng.random(n) < 0.2, "", _iso(done)),
    })


def _other_channel_readings(rng, days: np.ndarray, first: int, n: int) -> pl.DataFrame:
    at, ops, account = _other_moments(rng, days, n)
    return pl.DataFrame({
        "reading_id": np.char.add("P", np.char.zfill(np.arange(first, first + n).astype(str), 7)),
        "account": account, "meter": np.full(n, "ГВС-1"),
        "value": (rng.integers(100, 9999, n) + rng.integers(0, 10, n) / 10).round(1),
        "operator_id": ops, "call_id": np.full(n, ""), "entered_at": _iso(at),
    })


def _answered_by(start_s: np.ndarray, duration: np.ndarray, pick: np.ndarray) -> np.ndarray:
    """The operator of each call (calls sorted by start): a free one (the one free the longest, the
    ``pick`` choosing among those free since before the previous call), so an operator takes a call
    while on another only when all of them are busy — clause 15.13's violation stays rare."""
    import heapq

    n_ops = len(OPERATORS)
    free = [(0, k, k) for k in range(n_ops)]   # (free at, tie-break, operator)
    heapq.heapify(free)
    out = np.empty(len(start_s), dtype=np.int64)
    end_s = start_s + np.ceil(duration).astype("int64")
    for i in range(len(start_s)):
        at, _, k = heapq.heappop(free)
        out[i] = k
        heapq.heappush(free, (max(int(end_s[i]), at) if at > start_s[i] else int(end_s[i]),
                              int(pick[i]), k))
    return out


def _iso(values: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(values.astype("datetime64[s]"), unit="s")


def _digits_in_words(digits: str) -> str:
    names = ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
    return " ".join(names[int(d)] for d in digits)


CUSTOMER_OPENING = {
    "readings": "Здравствуйте, хочу передать показания счётчика горячей воды.",
    "request.individual": "Здравствуйте, мне нужно опломбировать счётчик горячей воды, поменяли прибор.",
    "request.legal": "Здравствуйте, это ТОО Объект, нам нужно опломбировать прибор учёта тепловой энергии.",
    "billing": "Здравствуйте, почему в этом месяце такое большое начисление за отопление?",
    "out_of_scope": "Здравствуйте, у нас во дворе нет холодной воды, куда звонить?",
    "other": "Здравствуйте, извините, я, кажется, не туда попал.",   # reference questions are billing (CONTRACT §3)
}


def _transcript(row: dict, rules: set[str]) -> dict:
    from num2words import num2words

    name, topic = row["operator_name"], row["topic"]
    op = [] if "greeting.missing" in rules else [f"Добрый день, Алматинские тепловые сети, {name}, слушаю вас."]
    utts = [("operator", t) for t in op] + [("customer", CUSTOMER_OPENING[topic])]
    if topic in ("readings", "request.individual"):
        utts += [("operator", "Девушка, подождите, назовите лицевой счёт." if "address.forbidden" in rules
                  else "Назовите, пожалуйста, номер лицевого счёта."),
                 ("customer", f"Лицевой счёт {_digits_in_words(row['account'])}.")]
    elif topic == "request.legal":
        utts += [("operator", "Назовите номер договора, объект и номер прибора учёта."),
                 ("customer", f"Договор {_digits_in_words(row['account'])}, объект ТОО Объект, прибор ПУТЭ один.")]
    if topic.startswith("request.") and "request.data_missing" not in rules:
        utts += [("operator", "Оставьте контактный телефон и причину опломбировки."),
                 ("customer", "Восемь семьсот один один два три четыре пять шесть семь, замена прибора.")]
    if row["dictated"]:
        whole, frac = str(row["value"]).split(".")
        utts += [("customer", f"Показания {num2words(int(whole), lang='ru')} и {num2words(int(frac), lang='ru')}."),
                 ("operator", "Спасибо, показания приняты.")]
    if "closing.missing" not in rules:
        utts.append(("operator", "Спасибо за обращение, всего доброго, до свидания."))
    step = row["duration_s"] / (len(utts) + 1)
    return {"call_id": row["call_id"], "duration_s": row["duration_s"], "language": "ru",
            "layout": "stereo-operator-left",
            "utterances": [{"speaker": s, "start": round(i * step, 2), "end": round(i * step + step * 0.9, 2),
                            "text": t} for i, (s, t) in enumerate(utts)]}


def utterance_frame(calls: pl.DataFrame, findings: pl.DataFrame, batch: int = 100_000) -> pl.DataFrame:
    """Every call's transcript (``_transcript``) as rows: call_id, idx, speaker, start, end, text."""
    by_call = findings.group_by("call_id").agg("rule")
    rules = dict(zip(by_call["call_id"].to_list(), by_call["rule"].to_list(), strict=True))
    parts = []
    for first in range(0, calls.height, batch):
        cols: dict[str, list] = {"call_id": [], "idx": [], "speaker": [], "start": [], "end": [], "text": []}
        for row in calls.slice(first, batch).iter_rows(named=True):
            for i, u in enumerate(_transcript(row, set(rules.get(row["call_id"], [])))["utterances"]):
                for k, v in (("call_id", row["call_id"]), ("idx", i), ("speaker", u["speaker"]),
                             ("start", u["start"]), ("end", u["end"]), ("text", u["text"])):
                    cols[k].append(v)
        parts.append(pl.DataFrame(cols, schema={"call_id": pl.String, "idx": pl.Int32, "speaker": pl.String,
                                                "start": pl.Float64, "end": pl.Float64, "text": pl.String}))
    return pl.concat(parts) if parts else pl.DataFrame()


def write(frames: dict[str, pl.DataFrame], out: Path, prechecked: bool, transcripts: bool = False) -> None:
    out.mkdir(parents=True, exist_ok=True)
    calls = frames["calls"]
    fmt = "%Y-%m-%dT%H:%M:%S"
    csv_calls = calls.select(
        "call_id", pl.col("started_at").dt.strftime(fmt).alias("started_at"), "operator_id", "operator_name",
        pl.lit("").alias("audio_path"),
        pl.format("transcripts/{}.json", pl.col("call_id")).alias("transcript_path"),
        pl.lit("stereo-operator-left").alias("layout"))
    if prechecked:
        pre = out / "prechecked"
        pre.mkdir(exist_ok=True)
        calls.select("call_id", "duration_s", "topic", "score", pl.lit(RULEBOOK).alias("rulebook")
                     ).write_parquet(pre / "calls.parquet")
        frames["findings"].with_columns(pl.lit(None, pl.Float64).alias("start")).write_parquet(
            pre / "findings.parquet")
        calls.filter("dictated").select("call_id", "value").write_parquet(pre / "call_readings.parquet")
        calls.select("call_id", pl.col("account").alias("number")).write_parquet(pre / "call_numbers.parquet")
        if transcripts:
            utterance_frame(calls, frames["findings"]).write_parquet(pre / "utterances.parquet")
        csv_calls = csv_calls.with_columns(pl.lit("prechecked/calls.parquet").alias("transcript_path"))
    else:
        tdir = out / "transcripts"
        tdir.mkdir(exist_ok=True)
        by_call = frames["findings"].group_by("call_id").agg("rule")
        rules = dict(zip(by_call["call_id"].to_list(), by_call["rule"].to_list(), strict=True))
        for row in calls.iter_rows(named=True):
            tr = _transcript(row, set(rules.get(row["call_id"], [])))
            (tdir / f"{row['call_id']}.json").write_text(json.dumps(tr, ensure_ascii=False), "utf-8")
    csv_calls.write_csv(out / "calls.csv")
    frames["requests"].write_csv(out / "requests.csv")
    frames["readings"].write_csv(out / "readings.csv")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--calls", type=int, required=True, help="number of calls")
    p.add_argument("--out", type=Path, required=True, help="the data folder to write")
    p.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2024, 1, 1), help="first day")
    p.add_argument("--months", type=int, default=24, help="months covered")
    p.add_argument("--seed", type=int, default=2019)
    p.add_argument("--prechecked", action="store_true", help="write prechecked/*.parquet instead of transcripts")
    p.add_argument("--transcripts", action="store_true",
                   help="with --prechecked: the transcripts too, as prechecked/utterances.parquet")
    a = p.parse_args(argv)
    frames = generate(a.calls, a.start, a.months, a.seed)
    write(frames, a.out, a.prechecked, a.transcripts)
    print(f"{a.out}: {a.calls} calls, {frames['requests'].height} requests, {frames['readings'].height} readings")


if __name__ == "__main__":
    main()
