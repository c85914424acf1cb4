"""The dashboard keeps working while ``ingest`` writes.

DuckDB allows one writing process, and a read-only connection in another
process blocks it (and the reverse).  The store therefore opens a connection
per unit of work and retries while the file is locked; the ingest writes
``BATCH`` calls per short transaction.  Here a reader process computes the
KPIs in a loop while a writer process ingests a data folder: both must finish
without an error, and every reading must be a state the writer committed
(calls in whole batches, the records all or none, nothing going backwards).
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from folder_builder import Folder

from analytics.ingest.pipeline import BATCH
from analytics.queries import kpi

TESTS = Path(__file__).parent
N_CALLS = 8 * BATCH

WRITER = textwrap.dedent("""
    import sys, pickle
    sys.path.insert(0, {tests!r})
    from analytics.ingest.pipeline import ingest
    checker = pickle.load(open({checker!r}, "rb"))
    report = ingest({data!r}, {db!r}, checker=checker)
    print(report.summary())
""")

READER = textwrap.dedent("""
    import json, os, sys, time
    from pathlib import Path
    from analytics.storage import store
    from analytics.queries.kpi import compute_kpis
    db, stop = Path({db!r}), Path({stop!r})
    Path({ready!r}).touch()  # imports done: the writer may start
    while not db.exists():
        time.sleep(0.01)
    n = 0
    while not stop.exists() or n == 0:
        try:
            k = compute_kpis(db)
        except store.StoreError as e:
            if "no database" in str(e):
                continue
            raise
        print(json.dumps(k), flush=True)
        n += 1
""")


def _folder(root: Path) -> Folder:
    f = Folder(root)
    for i in range(N_CALLS):
        cid = f"C{i:04d}"
        start = f"2025-03-{1 + i % 28:02d}T{8 + i % 9:02d}:{i % 60:02d}:00"
        f.call(cid, start, f"op{i % 5}", 120, topic="readings", score=80 + i % 20, findings=("speech.filler",),
               readings=(float(i),))
        f.reading(f"P{i:04d}", start.replace(":00:00", ":03:00"), float(i), f"op{i % 5}", cid)
        f.request(f"Q{i:04d}", start, operator_id=f"op{i % 5}", call_id=cid)
    f.write()
    return f


@pytest.mark.slow
def test_kpis_read_in_a_loop_while_ingest_writes(tmp_path):
    import pickle

    f = _folder(tmp_path / "data")
    f.checker.delay_s = 0.004
    checker_file = tmp_path / "checker.pkl"
    checker_file.write_bytes(pickle.dumps(f.checker))
    db, stop, ready = tmp_path / "oka.duckdb", tmp_path / "stop", tmp_path / "ready"
    reader = subprocess.Popen([sys.executable, "-c", READER.format(db=str(db), stop=str(stop), ready=str(ready))],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not ready.exists() and reader.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        writer = subprocess.run(
            [sys.executable, "-c", WRITER.format(tests=str(TESTS), checker=str(checker_file), data=str(f.root),
                                                 db=str(db))],
            check=False, capture_output=True, text=True, timeout=300)
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=120)
    assert writer.returncode == 0, writer.stderr
    assert f"calls: {N_CALLS} stored" in writer.stdout
    assert reader.returncode == 0, err
    seen = [json.loads(line) for line in out.splitlines()]
    assert len(seen) >= 2
    assert any(0 < c < N_CALLS for c in [k["calls"] for k in seen]), "the reader never got in during the ingest"
    calls = [k["calls"] for k in seen]
    assert calls == sorted(calls), "a reader saw the number of calls go backwards"
    assert all(c % BATCH == 0 for c in calls), "a reader saw half a batch"
    assert all(k["requests"] in (0, N_CALLS) and k["readings"] in (0, N_CALLS) for k in seen)
    final = kpi.compute_kpis(db)
    assert (final["calls"], final["requests"], final["readings"]) == (N_CALLS, N_CALLS, N_CALLS)
    assert final["violations"] == {"speech.filler": N_CALLS}
    assert final["readings_value_mismatch"] == 0
