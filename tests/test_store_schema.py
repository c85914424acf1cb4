"""The store's tables hold every column the writers write: in a new database and in one an older version made."""
from __future__ import annotations

import duckdb
import pytest

from analytics.storage import calls_store, store

# table -> the columns analytics/storage/calls_store.py writes into it
WRITTEN = {table: set(schema) for table, schema in calls_store._FRAME_SCHEMAS.items()} | {
    "calls": set(calls_store._CALL_COLUMNS) | {"topics"}}


def _columns(path, table: str) -> set[str]:
    with duckdb.connect(str(path)) as con:
        return {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()}


@pytest.mark.parametrize("old", [False, True], ids=["new", "made-by-an-older-version"])
@pytest.mark.parametrize("table", sorted(WRITTEN))
def test_every_written_column_exists(tmp_path, table, old):
    path = tmp_path / "oka.duckdb"
    if old:  # the first release's tables had no confidence, topics, ...
        with duckdb.connect(str(path)) as con:
            con.execute(f'CREATE TABLE "{table}" (call_id VARCHAR)')
    store.init(path)
    assert WRITTEN[table] <= _columns(path, table)
