"""Scale benchmark: a large utility's two years in the store, and the KPIs over it.

    python bench/kpi_scale.py                      # 1,000,000 calls (targets of issue 5)
    python bench/kpi_scale.py --calls 100000 --keep /tmp/oka-bench

Generates a pre-checked data folder with ``data/synth.py`` (in a subprocess,
so its memory does not count), then measures, in this process:

* the floor: DuckDB's own ``read_csv`` of requests.csv and readings.csv into
  a table (no validation) — the baseline the import is compared with;
* records import: requests.csv + readings.csv read, validated row by row and
  upserted (target >= 200,000 rows/s);
* calls.csv with pre-checked results, and the full relinking (account said in the call over two
  working days, one digit wrong, then time: docs/CONTRACT.md section 4), with the links per method
  (the folder has records hours late with no call_id, and records from other channels);
* every KPI of docs/CONTRACT.md section 5 for a half-year (target < 1 s), the
  per-operator monthly breakdown (target < 1 s), and the lists behind them;
* peak memory of this process (target < 4 GB).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages are imported inside main()

HALF_YEAR = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))


CPU: dict[str, float] = {}  # CPU seconds of this process (all its threads) per measure


def timed(fn, *args, repeat: int = 1, label: str | None = None, **kwargs):
    """(result, first run seconds, best of ``repeat`` seconds); CPU seconds of the best run go to CPU[label].

    On a shared machine the wall time grows with the load; the process's CPU
    time (DuckDB's threads included) does not, so both are reported.
    """
    times, cpu, result = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        result = fn(*args, **kwargs)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    if label:
        CPU[label] = round(min(cpu), 3)
    return result, times[0], min(times)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> dict:
    from analytics.ingest import linking, records
    from analytics.ingest.pipeline import ingest
    from analytics.queries import kpi, kpi_lists
    from analytics.storage import store

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--calls", type=int, default=1_000_000)
    p.add_argument("--keep", type=Path, default=None, help="folder to keep the data and database in")
    p.add_argument("--reuse", action="store_true",
                   help="with --keep: reuse the database built by an earlier run; measure the records import "
                        "(into a scratch database) and the queries only")
    a = p.parse_args(argv)
    from bench.workspace import workspace

    with workspace(a.keep, "oka-bench-") as work:
        data, db = work / "data", work / "bench.duckdb"
        out: dict = {"calls": a.calls, "cpu_cores": os.cpu_count(), "load_avg_1min_start": os.getloadavg()[0]}
        t = time.perf_counter()
        if not (data / "calls.csv").exists():
            subprocess.run([sys.executable, "-m", "data.synth", "--calls", str(a.calls), "--out", str(data),
                            "--prechecked", "--start", "2024-01-01", "--months", "24"], check=True, cwd=ROOT,
                           stdout=sys.stderr)
        out["generate_s"] = round(time.perf_counter() - t, 1)
        reuse = a.reuse and db.exists()
        import_db = work / "import.duckdb" if reuse else db
        for stale in (import_db, import_db.with_suffix(".duckdb.wal")):
            stale.unlink(missing_ok=True)
        store.init(import_db)

        # the floor: DuckDB reading the same CSVs, all text, no validation
        import duckdb
        floor_db = work / "floor.duckdb"
        floor_db.unlink(missing_ok=True)
        con = duckdb.connect(str(floor_db))
        t, c = time.perf_counter(), time.process_time()
        n_floor = 0
        for name in ("requests", "readings"):
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv(?, all_varchar = true)",
                        [str(data / f"{name}.csv")])
            n_floor += con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
        floor_s = time.perf_counter() - t
        CPU["floor_read_csv"] = round(time.process_time() - c, 2)
        con.close()
        floor_db.unlink(missing_ok=True)
        out["floor_read_csv_rows_per_s"] = round(n_floor / floor_s)

        # records import: read, validate every row, upsert
        t, c = time.perf_counter(), time.process_time()
        n_rows = rejected = 0
        for spec in (records.REQUESTS, records.READINGS):
            loaded = records.load_file(data / f"{spec.name}.csv", spec)
            n_rows += loaded.frame.height
            rejected += len(loaded.rejects)
            with store.connect(import_db) as con:
                con.begin()
                records.upsert(con, spec, loaded.frame)
                records.store_rejects(con, loaded.file, loaded.rejects)
                con.commit()
        import_s = time.perf_counter() - t
        CPU["records_import"] = round(time.process_time() - c, 2)
        out |= {"records_import_rows_per_cpu_s": round(n_rows / CPU["records_import"]), "records_rows": n_rows,
                "records_rejected": rejected, "records_import_s": round(import_s, 2),
                "records_import_rows_per_s": round(n_rows / import_s),
                "records_import_vs_floor": round((n_rows / import_s) / out["floor_read_csv_rows_per_s"], 2)}

        if reuse:
            import_db.unlink(missing_ok=True)
        else:  # the whole ingest (calls with pre-checked results; records again, now unchanged; links)
            report, s, _ = timed(ingest, data, db, on_error=lambda m: None, label="ingest_total")
            out |= {"ingest_total_s": round(s, 1), "ingest_summary": report.summary(), "links": report.links,
                    "overlapping_calls": report.overlaps}
            with store.connect(db) as con:
                con.begin()
                _, s, _ = timed(linking.link, con, label="relink")
                con.commit()
            out["relink_s"] = round(s, 2)
            _, s, _ = timed(ingest, data, db, on_error=lambda m: None, label="ingest_again_unchanged")
            out["ingest_again_unchanged_s"] = round(s, 1)

        kpis, first, best = timed(kpi.compute_kpis, db, *HALF_YEAR, repeat=3, label="kpi_half_year")
        out |= {"kpi_half_year_first_s": round(first, 3), "kpi_half_year_best_s": round(best, 3), "kpis": kpis}
        frame, first, best = timed(kpi.breakdown, db, *HALF_YEAR, "operator_month", repeat=3,
                                    label="operator_month")
        out |= {"operator_month_rows": frame.height, "operator_month_first_s": round(first, 3),
                "operator_month_best_s": round(best, 3)}
        for by in ("month", "topic"):
            _, first, _ = timed(kpi.breakdown, db, *HALF_YEAR, by, label=f"breakdown_{by}")
            out[f"breakdown_{by}_s"] = round(first, 3)
        out["lists_s"] = {}
        for name, fn in kpi_lists.LISTS.items():
            frame, first, _ = timed(fn, db, *HALF_YEAR)
            out["lists_s"][name] = [frame.height, round(first, 3)]
        out["cpu_s"] = CPU
        out["load_avg_1min_end"] = os.getloadavg()[0]
        out["peak_rss_mb"] = round(peak_mb())
        out["db_size_mb"] = round(db.stat().st_size / 2**20)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return out


if __name__ == "__main__":
    main()
