"""``oka-qa digest``: the scheduled summary for the head of ОКА (``analytics.reports.digest``).

Runs from cron, e.g. every Monday at 07:00 for the week before:
``0 7 * * 1  cd /srv/oka && oka-qa digest --period week``.
"""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click

from core.errors import OkaError

EXIT_FAILED = 2


@click.command("digest")
@click.option("--period", type=click.Choice(["week", "month"]), default="week", show_default=True,
              help="The days summarised: 7 or 30, ending on --to.")
@click.option("--to", "last_day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The last day summarised (default: yesterday).")
@click.option("--db", type=click.Path(path_type=Path), default=None, help="Database (default from config).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="File to write (default: [digest] out_dir/digest-<period>-<last day>.txt).")
@click.option("--no-mail", is_flag=True, help="Only write the file, even if [digest] smtp_host is set.")
@click.pass_obj
def digest_cmd(cfg, period, last_day, db, out, no_mail) -> None:
    """Write a short Russian summary (indicators below target, jumps in a clause's rate, overdue
    requests) to a file, and e-mail it if [digest] smtp_host is configured; prints the file written."""
    from analytics.access import audit
    from analytics.reports import digest as dg
    from analytics.storage import store
    from analytics.storage.store import StoreError

    db = Path(db or cfg.store.db)
    try:
        if not db.exists():
            raise StoreError(f"{db}: no database here; run `oka-qa ingest DIR --db {db}` first")
        store.init(db)   # a database of an older version gains what the queries read (additive only)
        d = dg.build(db, period, last_day.date() if last_day else None, cfg.report, cfg.digest)
        target = out or Path(cfg.digest.out_dir) / f"digest-{period}-{d.date_to.isoformat()}.txt"
        dg.write(d, target)
        sent = [] if no_mail else dg.send(d, cfg.digest)
        audit.record(db, getpass.getuser(), "cli", "digest", str(target),
                     {"period": period, "to": d.date_to.isoformat(), "mailed_to": sent})
    except OkaError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(str(target))
    if sent:
        click.echo(f"отправлено: {', '.join(sent)}", err=True)
