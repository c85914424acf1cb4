"""``check`` gives, call for call, the verdicts stored in ``tests/data/check_snapshot.json``.

The snapshot holds the whole ``CheckResult`` (findings, unsure findings, rules not assessed, readings, topics,
score) of every call of the check set (``tests/check_calls.py``: the labelled corpus, the Kazakh dev corpus, the
demo's scripts, synthetic long calls).  It guards speed work on the engine: a faster checker must judge every
call exactly as before.  A change of findings that is meant (a rulebook or detector edit) is written anew with
``python -m tests.check_calls --write-snapshot``; the diff of the file then shows what the edit changed.
"""
from __future__ import annotations

import json

import pytest

from tests.check_calls import SNAPSHOT, all_calls


@pytest.fixture(scope="module")
def checked():
    from rules.engine import Checker

    checker = Checker.default()
    return {name: {t.call_id: checker.check(t).to_dict() for t in calls} for name, calls in all_calls().items()}


@pytest.fixture(scope="module")
def stored():
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def _changes(want: dict, got: dict) -> list[str]:
    out = []
    for key in sorted(set(want) | set(got)):
        if want.get(key) != got.get(key):
            out.append(f"{key}: {json.dumps(want.get(key), ensure_ascii=False)[:300]} "
                       f"→ {json.dumps(got.get(key), ensure_ascii=False)[:300]}")
    return out


@pytest.mark.parametrize(("name", "at_least"), [
    ("corpus", 180),   # tests/corpus
    ("kk", 80),        # tests/corpus_kk/dev
    ("demo", 16),      # data/demo_calls.py, the broken recording left out
    ("long", 12),      # synthetic long calls
])
def test_every_call_judged_as_in_the_snapshot(checked, stored, name, at_least):
    got = checked[name]
    assert len(got) >= at_least
    changed = []
    for call_id, result in got.items():
        want = stored.get(f"{name}/{call_id}")
        if want is None:
            changed.append(f"{name}/{call_id}: not in the snapshot")
        elif want != result:
            changed += [f"{name}/{call_id} {line}" for line in _changes(want, result)]
    missing = sorted(k for k in stored if k.startswith(f"{name}/") and k.split("/", 1)[1] not in got)
    assert not changed and not missing, (
        "check judges calls differently from tests/data/check_snapshot.json (if meant: "
        "python -m tests.check_calls --write-snapshot, and review the diff):\n"
        + "\n".join(changed[:40] + [f"{k}: no longer in the check set" for k in missing]))
