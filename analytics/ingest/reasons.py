"""Clause 20 at ingest: the reason of every request's text, classified once per distinct text.

``rules.reasons.classify_reason`` reads a reason («поменяли счётчик», «прорвало
трубу») as plumbing works, an emergency, the meter replaced by the customer, or
other; the answers go to ``reason_classes`` keyed by the text, so a million
requests with a few thousand distinct reasons cost a few thousand calls.  When
the lexicon (``rules/reasons.yaml``) changes, every text is classified again.
"""
from __future__ import annotations

import logging

import polars as pl

from analytics.storage import releases

log = logging.getLogger(__name__)


def refresh(con) -> int:
    """Classify the request reasons not classified yet (all of them after a lexicon change); returns how many."""
    from rules.reasons import classify_reason, lexicon_version

    version = lexicon_version()
    if not releases.made_by(con, "reasons_lexicon", version):
        con.execute("DELETE FROM reason_classes")
        releases.mark(con, "reasons_lexicon", version)
    todo = [r for (r,) in con.execute(
        "SELECT DISTINCT reason FROM requests WHERE reason IS NOT NULL "
        "AND reason NOT IN (SELECT reason FROM reason_classes)").fetchall()]
    if not todo:
        return 0
    frame = pl.DataFrame({"reason": todo, "reason_class": [classify_reason(r) for r in todo]})
    con.register("reasons_in", frame)
    con.execute("INSERT INTO reason_classes SELECT reason, reason_class FROM reasons_in")
    con.unregister("reasons_in")
    log.info("request reasons classified: %s", len(todo))
    return len(todo)
