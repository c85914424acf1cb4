"""The ``oka-qa`` command line (docs/CONTRACT.md section 2).

A small function per command.  Heavy libraries (faster-whisper, pymorphy3,
streamlit) are imported inside the command that needs them, so ``--help`` is
instant.  Exit codes: 0 success, 1 some inputs rejected (reasons on stderr,
one line each), 2 usage error or nothing processed.
"""
from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import click

from analytics import config as config_mod
from core.errors import OkaError

log = logging.getLogger("oka_qa")

EXIT_OK, EXIT_PARTIAL, EXIT_FAILED = 0, 1, 2
PRIVATE_UMASK = 0o077


class Problems:
    """Collects one-line errors for stderr and decides the exit code."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.done = 0

    def error(self, message: str) -> None:
        self.errors.append(message)
        click.echo(f"error: {message}", err=True)

    def exit_code(self) -> int:
        if not self.errors:
            return EXIT_OK
        return EXIT_PARTIAL if self.done else EXIT_FAILED


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_FAILED)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Settings file (default: ./oka-qa.toml if present).")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, verbose: int) -> None:
    """oka-qa: checks recorded calls of ОКА against СТП-04-2019 and reports the KPIs of clause 2.6."""
    # Everything written (database, backups, transcripts, reports, users, the dashboard's files) holds
    # personal data: readable by this account only, 0600 files and 0700 folders.
    os.umask(PRIVATE_UMASK)
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        ctx.obj = config_mod.load(config_path)
    except config_mod.ConfigError as e:
        _fail(str(e))


@cli.command()
@click.argument("audio", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Folder for <call_id>.json.")
@click.option("--layout", type=click.Choice(["auto", "stereo-operator-left", "stereo-operator-right", "mono"]),
              default=None, help="Channel layout; auto: stereo is operator-left, mono is mono.")
@click.option("--model", default=None, help="embedded-base (default), a size name, or a CTranslate2 model folder.")
@click.option("--language", type=click.Choice(["auto", "ru", "kk"]), default=None,
              help="Spoken language: auto (default; Russian or Kazakh per speaker and piece), ru or kk.")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default=None)
@click.option("--workers", type=int, default=None, help="Recordings transcribed at once.")
@click.option("--no-cache", is_flag=True, help="Transcribe again even if a cached transcript exists.")
@click.pass_obj
def transcribe(cfg, audio, out_dir, layout, model, language, device, workers, no_cache) -> None:
    """Transcribe recordings into transcript JSON (docs/CONTRACT.md section 1)."""
    from rules.rulebook import operator_greeting
    from transcription.batch import transcribe_files

    opts = cfg.transcription
    opts.operator_greeting = operator_greeting()  # mono role assignment: the rulebook's list
    for name, value in (("layout", layout), ("model", model), ("language", language),
                        ("device", device), ("workers", workers)):
        if value is not None:
            setattr(opts, name, value)
    problems = Problems()
    try:
        results = transcribe_files(list(audio), out_dir, opts, use_cache=not no_cache, on_error=problems.error)
    except OkaError as e:  # a model that cannot load, a folder that cannot be written
        _fail(str(e))
    problems.done = len(results)
    sys.exit(problems.exit_code())


@cli.command()
@click.argument("transcripts", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One findings object per transcript, JSON Lines.")
@click.option("--rulebook", type=click.Path(path_type=Path), default=None, help="Another rulebook YAML.")
def check(transcripts, as_json, rulebook) -> None:
    """Check transcripts against the rulebook of СТП-04-2019."""
    from rules.engine import Checker
    from transcription.schema import SchemaError, Transcript

    try:
        checker = Checker.load(rulebook) if rulebook else Checker.default()
    except OkaError as e:
        _fail(str(e))
    problems = Problems()
    for path in transcripts:
        try:
            result = checker.check(Transcript.load(path))
        except SchemaError as e:
            problems.error(str(e))
            continue
        problems.done += 1
        if as_json:
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            score = "not assessed" if result.score is None else f"{result.score:.1f}"   # no rule could be judged
            click.echo(f"{result.call_id}: topic {result.topic}, score {score}, {len(result.findings)} finding(s)")
            for f in result.findings:
                at = "" if f.start is None else f" at {f.start:.1f}s"
                click.echo(f"  {f.rule} (п. {f.clause}){at}: «{f.evidence}»")
    sys.exit(problems.exit_code())


@cli.command()
@click.argument("data_dir", type=click.Path(path_type=Path))
@click.option("--db", type=click.Path(path_type=Path), default=None, help="DuckDB file (default var/oka.duckdb).")
@click.option("--cluster", "cluster_address", default=None, metavar="ADDRESS",
              help="Transcribe and check on a Ray cluster: auto (Ray on this machine), HOST:6379 (its head node) "
                   "or ray://HOST:10001; default: [cluster] address of oka-qa.toml, else no cluster.")
@click.pass_obj
def ingest(cfg, data_dir, db, cluster_address) -> None:
    """Load a data folder: transcribe, check, import records, link, store (docs/CONTRACT.md section 4)."""
    from analytics.ingest.pipeline import ingest as run_ingest

    if not data_dir.is_dir():
        _fail(f"{data_dir}: not a folder; give the data folder that holds calls.csv")
    if cluster_address is not None:
        cfg.cluster.address = cluster_address.strip()
    problems = Problems()
    try:
        report = run_ingest(data_dir, Path(db or cfg.store.db), cfg, on_error=problems.error)
        from analytics.access.policy import remember_recordings

        remember_recordings(Path(db or cfg.store.db), data_dir)  # the dashboard plays audio from here only
    except OkaError as e:
        _fail(str(e))
    problems.done = report.processed
    click.echo(report.summary(), err=True)
    sys.exit(problems.exit_code())


@cli.command()
@click.option("--db", type=click.Path(path_type=Path), default=None)
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First day (inclusive).")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Last day (inclusive).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def kpi(cfg, db, date_from, date_to, as_json) -> None:
    """The KPIs of docs/CONTRACT.md section 5 for calls started in [from, to]."""
    from analytics.queries.kpi import compute_kpis, format_kpis

    try:
        result = compute_kpis(Path(db or cfg.store.db),
                              date_from.date() if date_from else None,
                              date_to.date() if date_to else None)
    except OkaError as e:
        _fail(str(e))
    click.echo(json.dumps(result, ensure_ascii=False) if as_json else format_kpis(result))


@cli.command()
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), required=True, help="First day (inclusive).")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Last day (inclusive).")
@click.option("--kind", type=click.Choice(["spravka", "audit"]), default="spravka", show_default=True,
              help="spravka: «Справка по результатам проверки» (head of ОКА); audit: «Отчет по аудиту СМ».")
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="FILE: writes FILE.docx and FILE.xlsx (and FILE.pdf); a .docx/.xlsx/.pdf suffix is dropped.")
@click.option("--db", type=click.Path(path_type=Path), default=None)
@click.option("--pdf/--no-pdf", default=None, help="PDF through LibreOffice (default: when soffice is installed).")
@click.option("--mask-personal-data", is_flag=True,
              help="The trainers' edition: quotes masked, account numbers left out.")
@click.pass_obj
def report(cfg, date_from, date_to, kind, out, db, pdf, mask_personal_data) -> None:
    """The half-yearly report of clause 2.6 as DOCX + XLSX (+ PDF); prints the files written."""
    import dataclasses

    from analytics.reports import generate

    opts = cfg.report if pdf is None else dataclasses.replace(cfg.report, pdf=pdf)
    if mask_personal_data:
        opts = dataclasses.replace(opts, mask_personal_data=True)
    try:
        files = generate(Path(db or cfg.store.db), date_from.date(), date_to.date(), kind, out, opts)
    except OkaError as e:
        _fail(str(e))
    problems = Problems()
    for message in files.problems:
        problems.error(message)
    for path in files.paths:
        click.echo(str(path))
    problems.done = len(files.paths)
    sys.exit(problems.exit_code())


@cli.command()
@click.option("--db", type=click.Path(path_type=Path), default=None)
@click.option("--port", type=int, default=None)
@click.option("--address", default=None, help="Interface to bind (default 127.0.0.1).")
@click.pass_obj
def dashboard(cfg, db, port, address) -> None:
    """Start the Streamlit dashboard."""
    from cli.serve import serve_dashboard

    try:
        code = serve_dashboard(Path(db or cfg.store.db), port or cfg.dashboard.port,
                               address or cfg.dashboard.address)
    except OkaError as e:  # no database yet: say how to make one
        _fail(str(e))
    sys.exit(code)


@cli.command()
@click.option("--db", type=click.Path(path_type=Path), default="var/demo.duckdb", show_default=True)
@click.option("--port", type=int, default=None)
@click.option("--no-serve", is_flag=True, help="Build the demo database and stop.")
@click.pass_obj
def demo(cfg, db, port, no_serve) -> None:
    """Build the bundled demo data into a fresh database and start the dashboard."""
    from analytics.ingest.pipeline import ingest as run_ingest
    from cli.serve import serve_dashboard
    from data import DEMO_DIR

    db = Path(db)
    for stale in (db, db.with_suffix(db.suffix + ".wal"), db.with_suffix(db.suffix + ".audit-chain")):
        stale.unlink(missing_ok=True)
    problems = Problems()
    report = run_ingest(DEMO_DIR, db, cfg, on_error=problems.error)
    click.echo(report.summary(), err=True)
    from analytics.coaching.demo import seed
    from analytics.queries.views import first_operator_id

    try:
        seed(db, operator_id=first_operator_id(db))   # examples and an assignment from what the check found
    except OkaError as e:   # the demo still starts; «Обучение» is then empty
        click.echo(f"warning: demo examples not added ({e})", err=True)
    if no_serve:
        problems.done = report.processed
        sys.exit(problems.exit_code())
    from cli.access import demo_access

    demo_access(db, DEMO_DIR)  # demo accounts with fresh passwords, printed; audio from the demo folder only
    sys.exit(serve_dashboard(db, port or cfg.dashboard.port, "127.0.0.1"))  # the demo never leaves localhost



# users, backup, restore, audit: access and safety (cli/access.py)
from cli.access import COMMANDS as _ACCESS_COMMANDS  # noqa: E402 - the group must exist first

for _command in _ACCESS_COMMANDS:
    cli.add_command(_command)

from cli.digest import digest_cmd  # noqa: E402

cli.add_command(digest_cmd)

from cli.recheck import recheck_cmd  # noqa: E402

cli.add_command(recheck_cmd)


@cli.command("eval")
@click.argument("corpus_dir", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="The figures as one JSON object.")
@click.option("--rulebook", type=click.Path(path_type=Path), default=None, help="Another rulebook YAML.")
@click.option("--errors", "show_errors", is_flag=True, help="Also list the calls the rulebook got wrong.")
def eval_cmd(corpus_dir, as_json, rulebook, show_errors) -> None:
    """Per-rule precision/recall/F1, topic and readings accuracy on a labelled corpus."""
    from rules.engine import Checker
    from rules.eval import evaluate

    problems = Problems()
    try:
        checker = Checker.load(rulebook) if rulebook else Checker.default()
        report = evaluate(corpus_dir, checker, on_error=problems.error)
    except OkaError as e:
        _fail(str(e))
    problems.done = report.calls
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        click.echo(report.format())
        if show_errors:
            for e in report.errors:
                click.echo(json.dumps(e, ensure_ascii=False))
    sys.exit(problems.exit_code())


def main() -> None:
    """The console script: click's own handling, but a usage error is one line on stderr, as every other error
    (docs/CONTRACT.md: «Errors go to stderr, in one line each»), with the exit code 2."""
    try:
        code = cli.main(prog_name="oka-qa", standalone_mode=False)
    except click.UsageError as e:
        where = e.ctx.command_path if e.ctx is not None else "oka-qa"
        message = " ".join(e.format_message().split())
        click.echo(f"error: {where}: {message} (see «{where} --help»)", err=True)
        sys.exit(EXIT_FAILED)
    except click.ClickException as e:
        click.echo(f"error: {' '.join(e.format_message().split())}", err=True)
        sys.exit(e.exit_code)
    except click.Abort:
        click.echo("error: aborted", err=True)
        sys.exit(EXIT_PARTIAL)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


if __name__ == "__main__":
    main()
