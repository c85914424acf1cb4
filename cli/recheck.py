"""``oka-qa recheck``: after an auditor edits the rulebook, re-judge the stored calls by the rules that changed.

``oka-qa ingest`` does the same at its start; this command brings the store in line
at once (before the dashboard is looked at), e.g. ``oka-qa recheck --db var/oka.duckdb``.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from core.errors import OkaError

EXIT_OK, EXIT_PARTIAL, EXIT_FAILED = 0, 1, 2


@click.command("recheck")
@click.option("--db", type=click.Path(path_type=Path), default=None, help="DuckDB file (default var/oka.duckdb).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes that judge calls at once (default: one per core).")
@click.option("--all", "everything", is_flag=True,
              help="Judge every stored call whole again, whatever changed (a new release is re-judged without it).")
@click.option("--json", "as_json", is_flag=True, help="What was done as one JSON object on stdout.")
@click.pass_obj
def recheck_cmd(cfg, db, workers, everything, as_json) -> None:
    """Re-judge the stored calls after a rulebook edit: only the changed rules, over the stored transcripts."""
    from analytics.ingest.recheck import recheck

    errors: list[str] = []

    def on_error(message: str) -> None:
        errors.append(message)
        click.echo(f"error: {message}", err=True)

    try:
        report = recheck(Path(db or cfg.store.db), workers=workers, everything=everything, on_error=on_error)
    except OkaError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(EXIT_FAILED)
    for o in report.orphans:
        verdict = {"confirmed": "подтверждено", "rejected": "отклонено"}.get(o["verdict"] or "", "без вердикта")
        click.echo(f"{o['call_id']}: нарушение {o['rule']} «{o['evidence']}» ({verdict}) больше не находится; "
                   "решение аудитора осталось в истории", err=True)
    if as_json:
        click.echo(json.dumps({
            "rules_changed": report.rules_changed, "rules_removed": report.rules_removed,
            "calls_by_rules": report.calls_by_rules, "calls_whole": report.calls_whole,
            "calls_rescored": report.calls_rescored, "calls_unjudgeable": report.calls_unjudgeable,
            "verdicts_replaced": report.verdicts_replaced, "orphaned_reviews": report.orphans,
            "failed": len(report.failed_calls), "seconds": round(report.seconds, 2)}, ensure_ascii=False))
    click.echo(report.summary(), err=True)
    if errors:
        sys.exit(EXIT_PARTIAL if report.calls_judged or report.calls_rescored else EXIT_FAILED)
    sys.exit(EXIT_OK)
