"""Dashboard render times on a large store (issue 6: every page under 2 s at 1,000,000 calls).

    python bench/dashboard_render.py                                   # 1,000,000 calls, in a temporary folder
    python bench/dashboard_render.py --calls 100000 --keep var/bench/dash
    python bench/dashboard_render.py --data /tmp/oka-bench1m/data --keep var/bench/dash1m   # reuse a folder

Builds a pre-checked data folder with ``data/synth.py`` and ingests it (skipped
when ``--keep`` already holds the database), adds synthetic utterances (the
pre-checked data has none) so that the transcript search has text to search,
then runs every page with streamlit's AppTest — the same script run a browser
session triggers — and reports, per page, the first run (empty cache: every
query goes to DuckDB) and a rerun (served from ``st.cache_data``).  The period
is the first half of 2025.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages are imported where they are used

APP = str(ROOT / "dashboards" / "app.py")

# phrases of a call, a few with words the search looks for
PHRASES = [
    "Добрый день, Алматинские тепловые сети, слушаю вас.",
    "Здравствуйте, хочу передать показания счётчика горячей воды.",
    "Назовите, пожалуйста, номер лицевого счёта.",
    "Девушка, подождите минутку, я проверю.",
    "Показания сто двадцать три и пять, записала.",
    "Мне нужно опломбировать прибор учёта после замены.",
    "Заявка зарегистрирована, мастер позвонит вам.",
    "Спасибо за обращение, всего доброго.",
    "Почему начисление за отопление такое большое?",
    "Короче, это не к нам, звоните в другую организацию.",
]


def build(db: Path, data: Path, calls: int, per_call: int) -> dict:
    from analytics.ingest.pipeline import ingest
    from analytics.storage import store

    out: dict = {}
    if not db.exists():
        t = time.perf_counter()
        if not (data / "calls.csv").exists():
            subprocess.run([sys.executable, "-m", "data.synth", "--calls", str(calls), "--out", str(data),
                            "--prechecked", "--start", "2024-01-01", "--months", "24"], check=True, cwd=ROOT)
        store.init(db)
        ingest(data, db, on_error=lambda m: None)
        out["build_s"] = round(time.perf_counter() - t, 1)
    with store.connect(db) as con:
        if con.execute("SELECT count(*) FROM utterances").fetchone()[0] == 0:
            t = time.perf_counter()
            con.execute("""
                INSERT INTO utterances (call_id, idx, speaker, start, "end", text)
                SELECT c.call_id, i::INTEGER, CASE WHEN i % 2 = 0 THEN 'operator' ELSE 'customer' END,
                       i * 10.0, i * 10.0 + 8.0,
                       list_extract(?::VARCHAR[], (abs(hash(c.call_id, i)) % ?)::INTEGER + 1)
                FROM calls c, range(?) r(i)""", [PHRASES, len(PHRASES), per_call])
            out["utterances_s"] = round(time.perf_counter() - t, 1)
        out["calls"] = con.execute("SELECT count(*) FROM calls").fetchone()[0]
        out["utterances"] = con.execute("SELECT count(*) FROM utterances").fetchone()[0]
        out["findings"] = con.execute("SELECT count(*) FROM findings").fetchone()[0]
    return out


def timed_run(at, cold: bool = False) -> float:
    """Seconds for one script run; ``cold`` empties st.cache_data first, so every query goes to DuckDB."""
    import streamlit as st

    if cold:
        st.cache_data.clear()
    t = time.perf_counter()
    at.run()
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return round(time.perf_counter() - t, 3)


def render_times(db: Path) -> dict:
    from streamlit.testing.v1 import AppTest

    os.environ["OKA_QA_DB"] = str(db)
    results: dict = {}
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state["oka_user"] = "bench"      # signed in as the head of ОКА: every page, no masking
    at.session_state["oka_role"] = "head"
    # the very first run also pays the process's one-off costs: imports, the rulebook, the file cache
    results["overview, default period, first run of the process"] = timed_run(at, cold=True)
    at.selectbox(key="period_year").set_value(2025)
    at.radio(key="period_half").set_value("I")
    results["overview, I half 2025 (cold)"] = timed_run(at, cold=True)
    results["overview, I half 2025 (cached)"] = timed_run(at)
    assert at.metric[0].value != "0", "the period has no calls"
    for page in ("operators", "clauses", "calls", "timeliness", "review"):
        at.switch_page(f"screens/{page}.py")
        results[f"{page} (cold)"] = timed_run(at, cold=True)
        results[f"{page} (cached)"] = timed_run(at)
        if page == "operators":
            pick = at.selectbox(key="operators_pick")
            pick.select_index(min(1, len(pick.options) - 1))
            results["operators: another operator's profile"] = timed_run(at)
        if page == "clauses":
            rules = at.selectbox(key="clauses_rule")
            rules.select_index(min(1, len(rules.options) - 1))
            results["clauses: another rule's calls"] = timed_run(at)
        if page == "calls":
            at.text_input(key="calls_query").set_value("девушка")
            results["calls: search «девушка»"] = timed_run(at)
            found = at.dataframe(key="calls_found").value
            results["calls: search hits shown"] = int(found.shape[0])
            at.query_params["call"] = str(found["Звонок"].iloc[0])
            results["call page"] = timed_run(at)
            at.query_params.pop("call", None)
            at.session_state["oka_call"] = None
    return results


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--calls", type=int, default=1_000_000)
    p.add_argument("--utterances-per-call", type=int, default=8)
    p.add_argument("--keep", type=Path, default=None, help="folder to keep (and reuse) the data and database in")
    p.add_argument("--data", type=Path, default=None, help="an existing data.synth --prechecked folder to use")
    a = p.parse_args(argv)
    from bench.workspace import workspace

    with workspace(a.keep, "oka-dash-bench-") as work:
        out = build(work / "bench.duckdb", a.data or work / "data", a.calls, a.utterances_per_call)
        out["render_s"] = render_times(work / "bench.duckdb")
        out["at"] = dt.datetime.now().isoformat(timespec="seconds")
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return out


if __name__ == "__main__":
    main()
