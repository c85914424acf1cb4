"""The scheduled digest (``oka-qa digest --period week``): a short Russian summary for the head of ОКА.

Three parts, each traceable to a figure elsewhere:

- indicators below their target: the KPIs of ``oka-qa kpi`` for the period that have a target in
  ``[report]`` of ``oka-qa.toml`` (the KPI catalogue, ``analytics.catalogue.kpis``) and miss it;
- operators whose rate for a clause jumped: the share of their judged calls breaking a clause
  (``analytics.queries.clause_rates``) rose by at least ``jump_pp`` points against the period before
  of the same length, over at least ``jump_min_calls`` judged calls in each of the two periods;
- overdue requests: open and past their due day (10 working days) at the end of the period, whenever
  they were created.

No personal data goes into it (request ids, operators, dates), so it may travel by e-mail.  The text
is written to a file and, when ``[digest] smtp_host`` is set, sent to ``recipients``.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from analytics.catalogue.formats import fmt_count, fmt_number
from core import clock
from core.errors import OkaError

log = logging.getLogger(__name__)

PERIODS = {"week": 7, "month": 30}
PERIOD_WORDS = {"week": "неделю", "month": "месяц"}
KIND_RU = {"sealing": "опломбировка", "unsealing": "распломбировка", "inspection": "осмотр"}


class DigestError(OkaError):
    """The digest cannot be written or sent; the message says what to fix."""


@dataclass
class DigestOptions:
    """``[digest]`` in ``oka-qa.toml``.

    smtp_host: the mail server (empty: the digest is only written to a file); smtp_port; smtp_user and
    smtp_password: sign-in, if the server wants one; smtp_starttls: switch to TLS after connecting;
    sender: the From address; recipients: the To addresses; out_dir: where ``oka-qa digest`` writes
    ``digest-<period>-<last day>.txt`` when no ``--out`` is given; jump_pp: how many percentage points
    a clause's rate must rise to be reported; jump_min_calls: the fewest judged calls of the operator
    in the period and in the one before for a rise to count (one call in two is not a trend).
    """

    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    sender: str = "oka-qa@localhost"
    recipients: list[str] = field(default_factory=list)
    out_dir: str = "var/digests"
    jump_pp: float = 20.0
    jump_min_calls: int = 3


@dataclass(frozen=True)
class Digest:
    period: str
    date_from: dt.date
    date_to: dt.date
    below_target: list[str]
    jumps: list[str]
    overdue: list[str]

    @property
    def subject(self) -> str:
        return f"ОКА: сводка за {PERIOD_WORDS[self.period]} {self.date_from:%d.%m.%Y} – {self.date_to:%d.%m.%Y}"

    def text(self) -> str:
        lines = [self.subject, ""]
        lines.append("Показатели ниже цели:")
        lines += [f"• {s}" for s in self.below_target] or ["• нет — все показатели с целью в норме."]
        lines += ["", "Резкий рост нарушений (доля звонков с нарушением пункта, к предыдущему периоду):"]
        lines += [f"• {s}" for s in self.jumps] or ["• нет."]
        lines += ["", f"Просроченные заявки ({len(self.overdue)}):"]
        lines += [f"• {s}" for s in self.overdue] or ["• нет."]
        lines += ["", "Подробности — в панели ОКА (страницы «Обзор», «Операторы», «Своевременность»)."]
        return "\n".join(lines) + "\n"


def bounds(period: str, last_day: dt.date) -> tuple[dt.date, dt.date]:
    if period not in PERIODS:
        raise DigestError(f"unknown period {period!r}; use one of: {', '.join(PERIODS)}")
    return last_day - dt.timedelta(days=PERIODS[period] - 1), last_day


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{fmt_number(v, 0)} %"


def build(db: Path, period: str = "week", last_day: dt.date | None = None, report_opts=None,
          options: DigestOptions | None = None, rules_of: dict[str, str] | None = None) -> Digest:
    """The digest for the ``period`` ending on ``last_day`` (default: yesterday)."""
    from analytics.catalogue.kpis import KPIS
    from analytics.queries.clause_rates import clause_rates, clause_titles
    from analytics.queries.kpi import compute_kpis
    from analytics.queries.kpi_lists import LISTS
    from analytics.queries.views import operators
    from analytics.reports.options import ReportOptions

    options = options or DigestOptions()
    report_opts = report_opts or ReportOptions()
    last_day = last_day or clock.today() - dt.timedelta(days=1)
    first, last = bounds(period, last_day)

    kpis = compute_kpis(db, first, last)
    below = []
    for k in KPIS:
        target = k.target(report_opts)
        if k.met(kpis.get(k.key), target) is False:
            clause = f" (п. {k.clause})" if k.clause else ""
            below.append(f"{k.label}{clause}: {k.fmt(kpis[k.key])} — {k.fmt_target(target)}")

    days = (last - first).days + 1
    now = clause_rates(db, first, last, rules_of=rules_of)
    before = clause_rates(db, first - dt.timedelta(days=days), first - dt.timedelta(days=1), rules_of=rules_of)
    names = dict(operators(db).select("operator_id", "operator_name").iter_rows())
    titles = clause_titles() if rules_of is None else {}
    prev = {(r["operator_id"], r["clause"]): r for r in before.iter_rows(named=True)}
    jumps = []
    for r in now.sort("operator_id", "clause").iter_rows(named=True):
        p = prev.get((r["operator_id"], r["clause"]))
        if p is None or p["calls"] < options.jump_min_calls or r["calls"] < options.jump_min_calls:
            continue   # no baseline (a new operator, a quiet week) is no jump
        was = p["rate_pct"]
        if r["rate_pct"] - was >= options.jump_pp:
            title = f" «{titles[r['clause']]}»" if r["clause"] in titles else ""
            who = names.get(r["operator_id"]) or r["operator_id"]
            jumps.append(f"{who} ({r['operator_id']}), п. {r['clause']}{title}: {_pct(was)} → "
                         f"{_pct(r['rate_pct'])} ({r['violating']} из {fmt_count(r['calls'], 'звонок', 'gent')})")

    overdue_df = LISTS["requests_overdue"](db, dt.date(1900, 1, 1), last)
    overdue = [f"{r['request_id']}, {KIND_RU.get(r.get('kind'), r.get('kind') or '')}, оператор "
               f"{r.get('operator_id') or '—'}, срок {_day(r.get('due_day'))}"
               for r in overdue_df.iter_rows(named=True)]
    return Digest(period, first, last, below, jumps, overdue)


def _day(v) -> str:
    return v.strftime("%d.%m.%Y") if v is not None else "—"


def write(digest: Digest, out: Path) -> Path:
    """The text into ``out`` (0600, replaced atomically)."""
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(digest.text())
        os.replace(tmp, out)
    except OSError as e:
        raise DigestError(f"{out}: cannot write the digest ({e.strerror or e})") from e
    return out


def send(digest: Digest, options: DigestOptions, timeout_s: float = 30.0) -> list[str]:
    """E-mail the digest to ``options.recipients``; the addresses it went to."""
    if not options.smtp_host:
        return []
    if not options.recipients:
        raise DigestError("[digest] smtp_host is set but recipients is empty; add recipients = [\"...\"]")
    msg = EmailMessage()
    msg["Subject"] = digest.subject
    msg["From"] = options.sender
    msg["To"] = ", ".join(options.recipients)
    msg.set_content(digest.text())
    try:
        with smtplib.SMTP(options.smtp_host, options.smtp_port, timeout=timeout_s) as smtp:
            if options.smtp_starttls:
                smtp.starttls()
            if options.smtp_user:
                smtp.login(options.smtp_user, options.smtp_password)
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as e:
        raise DigestError(f"cannot send the digest through {options.smtp_host}:{options.smtp_port} ({e}); "
                          "check [digest] smtp_* in oka-qa.toml") from e
    return list(options.recipients)
