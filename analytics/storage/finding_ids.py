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


def numbering(ids: str) -> str:
    """SQL: for each call of the query ``ids`` (a ``call_id`` column) the store numbered anything of, the first
    finding and uncertain finding numbers it never used (``next_finding``, ``next_uncertain``: in the findings or in
    any review event) and the uncertain findings an auditor confirmed, as two lists (``confirmed_from`` → the
    findings idx ``confirmed_to`` it was copied to).  One definition for the batches of an ingest and for the
    re-check of a million calls (``analytics/ingest/recheck.py``), which reads it set-wise."""
    def top(table: str, where: str = "") -> str:
        return f"SELECT call_id, max(idx) + 1 AS n FROM {table} SEMI JOIN _ids USING (call_id) {where} GROUP BY call_id"

    below = f"WHERE idx < {STORE_FROM}"
    return f"""
WITH _ids AS ({ids})
SELECT call_id, greatest(coalesce(nf.n, 0), coalesce(nr.n, 0)) AS next_finding,
       greatest(coalesce(nu.n, 0), coalesce(nur.n, 0)) AS next_uncertain, cf.confirmed_from, cf.confirmed_to
FROM (SELECT DISTINCT call_id FROM _ids) i
LEFT JOIN ({top("findings", below)}) nf USING (call_id)
LEFT JOIN ({top("review_events", below)}) nr USING (call_id)
LEFT JOIN ({top("uncertain_findings")}) nu USING (call_id)
LEFT JOIN ({top("uncertain_reviews")}) nur USING (call_id)
LEFT JOIN (SELECT call_id, list(idx ORDER BY idx) AS confirmed_from, list(finding_idx ORDER BY idx) AS confirmed_to
           FROM uncertain_reviews SEMI JOIN _ids USING (call_id)
           WHERE verdict = 'confirmed' AND finding_idx IS NOT NULL GROUP BY call_id) cf USING (call_id)
WHERE coalesce(nf.n, nr.n, nu.n, nur.n) IS NOT NULL"""


_NUMBERING = numbering("SELECT unnest(?::VARCHAR[]) AS call_id")


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
    numbers = {r["call_id"]: r for r in _dicts(con, _NUMBERING, [ids])}
    rows: dict[str, list[dict]] = defaultdict(list)
    for r in found:
        rows[r["call_id"]].append(r)
    unsure_of: dict[str, list[dict]] = defaultdict(list)
    for r in unsure:
        unsure_of[r["call_id"]].append(r)
    by_call: dict[str, Prior] = {}
    for cid in {*rows, *unsure_of, *numbers}:
        n = numbers.get(cid, {})
        confirmed = dict(zip(n.get("confirmed_from") or [], n.get("confirmed_to") or [], strict=True))
        by_call[cid] = Prior([r for r in rows[cid] if r["idx"] < STORE_FROM], unsure_of[cid], n.get("next_finding", 0),
                             n.get("next_uncertain", 0), confirmed, [r for r in rows[cid] if r["idx"] >= STORE_FROM])
    return by_call


def next_found(con, call_id: str) -> int:
    """The first finding number below ``STORE_FROM`` call ``call_id`` never used."""
    row = _dicts(con, _NUMBERING, [[call_id]])
    return row[0]["next_finding"] if row else 0


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
