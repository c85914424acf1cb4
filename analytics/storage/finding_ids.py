"""A finding's number in its call (``idx``): the key an auditor's verdict, an operator's dispute and the
confirmation of an uncertain finding hold on to (``review_events``, ``uncertain_reviews``).

However a call is judged again — a re-delivered transcript, a re-check at ingest, a rulebook edit — a finding found
again (same rule, speaker, time span and evidence) keeps its number, and a new one gets a number the call never
used, neither in ``findings`` nor in any review event: a verdict or a dispute stays on the finding it was about and
never lands on another.  The check's findings are numbered below ``STORE_FROM``; the findings the store makes
(clause 15.13, ``analytics/ingest/overlap.py``) from it up, and a re-judged check leaves them to their module.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from transcription.schema import CheckResult, Finding

STORE_FROM = 10_000


@dataclass
class Prior:
    """What a call had before it is judged again."""

    found: list[dict]        # its rows of ``findings`` made by the check (idx below STORE_FROM)
    unsure: list[dict]       # its rows of ``uncertain_findings``
    next_found: int          # the first finding number the call never used
    next_unsure: int         # ...and uncertain finding number
    confirmed: dict[int, int]  # uncertain idx → the findings idx an auditor's confirmation copied it to
    store_made: list[dict]   # its rows of ``findings`` made by the store (kept as they are)


_ROWS = """SELECT * FROM {table} WHERE call_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY call_id, idx"""
_NEXT = f"""
SELECT call_id, max(idx) + 1 FROM (
    SELECT call_id, idx FROM findings WHERE call_id IN (SELECT unnest(?::VARCHAR[]))
    UNION ALL SELECT call_id, idx FROM review_events WHERE call_id IN (SELECT unnest(?::VARCHAR[])))
WHERE idx < {STORE_FROM} GROUP BY call_id"""
_NEXT_UNSURE = """
SELECT call_id, max(idx) + 1 FROM (
    SELECT call_id, idx FROM uncertain_findings WHERE call_id IN (SELECT unnest(?::VARCHAR[]))
    UNION ALL SELECT call_id, idx FROM uncertain_reviews WHERE call_id IN (SELECT unnest(?::VARCHAR[])))
GROUP BY call_id"""
_CONFIRMED = """SELECT call_id, idx, finding_idx FROM uncertain_reviews WHERE call_id IN (SELECT unnest(?::VARCHAR[]))
                AND verdict = 'confirmed' AND finding_idx IS NOT NULL"""


def _dicts(con, sql: str, params: list) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def prior(con, call_ids: list[str]) -> dict[str, Prior]:
    """The calls of ``call_ids`` the store holds, as they were judged (read before they are replaced)."""
    ids = list(call_ids)
    found = _dicts(con, _ROWS.format(table="findings"), [ids])
    if not found and not con.execute("SELECT 1 FROM calls WHERE call_id IN (SELECT unnest(?::VARCHAR[])) LIMIT 1",
                                     [ids]).fetchone():
        return {}
    unsure = _dicts(con, _ROWS.format(table="uncertain_findings"), [ids])
    nxt = dict(con.execute(_NEXT, [ids, ids]).fetchall())
    nxt_unsure = dict(con.execute(_NEXT_UNSURE, [ids, ids]).fetchall())
    confirmed: dict[str, dict[int, int]] = defaultdict(dict)
    for cid, idx, to in con.execute(_CONFIRMED, [ids]).fetchall():
        confirmed[cid][idx] = to
    rows: dict[str, list[dict]] = defaultdict(list)
    for r in found:
        rows[r["call_id"]].append(r)
    unsure_of: dict[str, list[dict]] = defaultdict(list)
    for r in unsure:
        unsure_of[r["call_id"]].append(r)
    by_call: dict[str, Prior] = {}
    for cid in {*rows, *unsure_of, *nxt, *nxt_unsure}:
        by_call[cid] = Prior([r for r in rows[cid] if r["idx"] < STORE_FROM], unsure_of[cid], nxt.get(cid, 0),
                             nxt_unsure.get(cid, 0), confirmed.get(cid, {}),
                             [r for r in rows[cid] if r["idx"] >= STORE_FROM])
    return by_call


def next_found(con, call_id: str) -> int:
    """The first finding number below ``STORE_FROM`` call ``call_id`` never used."""
    row = con.execute(_NEXT, [[call_id], [call_id]]).fetchone()
    return row[1] if row else 0


def numbered(call_id: str, result: CheckResult, before: Prior | None) -> tuple[list[dict], list[dict]]:
    """The rows of ``findings`` (the store's own kept) and ``uncertain_findings`` for a call checked whole."""
    if before is None:
        return ([_row(call_id, i, f, result.rulebook) for i, f in enumerate(result.findings)],
                [_row(call_id, i, f, result.rulebook) for i, f in enumerate(result.uncertain)])
    judged = {r["rule"] for r in [*before.found, *before.unsure]} | {f.rule for f in
                                                                     [*result.findings, *result.uncertain]}
    found, unsure = renumber(call_id, result.findings, result.uncertain, before.found, before.unsure, judged,
                             before.next_found, before.next_unsure, before.confirmed, result.rulebook)
    return found + before.store_made, unsure


def _key(f) -> tuple:
    if isinstance(f, dict):
        return f["rule"], f["speaker"], f["start"], f["end"], f["evidence"]
    return f.rule, f.speaker, f.start, f.end, f.evidence


def _row(call_id: str, idx: int, f: Finding, edition: str) -> dict:
    return {"call_id": call_id, "idx": idx, "rule": f.rule, "clause": f.clause, "speaker": f.speaker,
            "start": f.start, "end": f.end, "evidence": f.evidence, "rulebook": edition, "confidence": f.confidence}


def renumber(call_id: str, new_found: list[Finding], new_unsure: list[Finding], old_found: list[dict],
             old_unsure: list[dict], judged: set[str], next_found: int, next_unsure: int,
             confirmed: dict[int, int], edition: str) -> tuple[list[dict], list[dict]]:
    """The rows of ``findings`` and ``uncertain_findings`` for the rules ``judged`` of one call.

    old_*: the stored rows of the call; next_*: the first idx the call never used; confirmed: uncertain idx →
    the findings idx an auditor's confirmation copied it to.
    """
    def pool(rows: list[dict]) -> dict[tuple, list[dict]]:
        out: dict[tuple, list[dict]] = defaultdict(list)
        for r in sorted(rows, key=lambda r: r["idx"]):
            if r["rule"] in judged:
                out[_key(r)].append(r)
        return out

    found_pool, unsure_pool = pool(old_found), pool(old_unsure)
    found_rows, unsure_rows, kept = [], [], set()
    for f in new_found:
        same = found_pool.get(_key(f))
        if same:
            idx = same.pop(0)["idx"]
        else:
            idx, next_found = next_found, next_found + 1
        kept.add(idx)
        found_rows.append(_row(call_id, idx, f, edition))
    by_idx = {r["idx"]: r for r in old_found if r["rule"] in judged}
    for f in new_unsure:
        same = unsure_pool.get(_key(f))
        if same:
            idx = same.pop(0)["idx"]
            copy = by_idx.get(confirmed.get(idx, -1))
            if copy is not None and copy["idx"] not in kept:   # the auditor's confirmation stands: words still found
                kept.add(copy["idx"])
                found_rows.append(copy | {"rulebook": edition})
        else:
            idx, next_unsure = next_unsure, next_unsure + 1
        unsure_rows.append(_row(call_id, idx, f, edition))
    return found_rows, unsure_rows
