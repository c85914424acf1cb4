"""Rules found at ingest, not in one transcript: their detector finds nothing here.

``overlap.parallel_calls`` (clause 15.13) needs every call of the operator and
their times; ``analytics/ingest/overlap.py`` finds it when calls are stored.
The rule is in the rulebook all the same, for its clause, title and weight.
"""
from __future__ import annotations

from rules.registry import register


@register("at_ingest")
def at_ingest(call, rule) -> list:
    return []
