"""``oka-qa digest`` (analytics/reports/digest.py, cli/digest.py): the summary's three parts on
``tests/coaching_db.py`` and the e-mail received by a local SMTP server run in the test."""
from __future__ import annotations

import datetime as dt
import socketserver
import threading
from email import message_from_bytes, policy

import pytest
from click.testing import CliRunner

from analytics.access import audit
from analytics.storage.store import connect
from cli.main import cli
from tests import coaching_db


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to take one message: what ``smtplib`` says, answered in order."""

    def handle(self):
        self.wfile.write(b"220 test ESMTP\r\n")
        while line := self.rfile.readline():
            cmd = line.decode("ascii", "replace").strip().upper()
            if cmd.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 test\r\n")
            elif cmd.startswith("MAIL FROM"):
                self.server.envelope = {"from": line.decode().strip()[10:], "to": []}
                self.wfile.write(b"250 OK\r\n")
            elif cmd.startswith("RCPT TO"):
                self.server.envelope["to"].append(line.decode().strip()[8:])
                self.wfile.write(b"250 OK\r\n")
            elif cmd == "DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self.server.received.append((self.server.envelope, data))
                self.wfile.write(b"250 queued\r\n")
            elif cmd == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def db(tmp_path):
    db = coaching_db.build(tmp_path / "oka.duckdb")
    with connect(db) as con:   # one request open past its due day on 24.03, one open and not yet due
        con.execute("""INSERT INTO requests (request_id, customer_type, kind, account, contact, reason, operator_id,
                        created_at) VALUES ('Q-1', 'individual', 'sealing', '123456789', '87011234567', 'замена',
                        'op1', '2025-03-03 10:00'), ('Q-2', 'individual', 'inspection', '123456780', '87011234560',
                        'осмотр', 'op2', '2025-03-20 10:00')""")
    return db


def run_digest(tmp_path, db, smtp_port=None, extra=""):
    cfg = tmp_path / "oka-qa.toml"
    mail = (f'smtp_host = "127.0.0.1"\nsmtp_port = {smtp_port}\nrecipients = ["head@oka.kz", "trainer@oka.kz"]\n'
            if smtp_port else "")
    cfg.write_text(f"[report]\nscore_target = 99.0\n[digest]\njump_min_calls = 2\n{mail}{extra}", encoding="utf-8")
    out = tmp_path / "digest.txt"
    result = CliRunner().invoke(cli, ["--config", str(cfg), "digest", "--period", "week", "--to", "2025-03-24",
                                      "--db", str(db), "--out", str(out)])
    return result, out


def test_digest_text_and_email(tmp_path, db, smtp_server):
    result, out = run_digest(tmp_path, db, smtp_server.server_address[1])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    # week 18.03–24.03: op1's calls a3 (15.1 broken) and a5 -> 50 %; the week before a1, a2 -> 0 %
    assert "сводка за неделю 18.03.2025 – 24.03.2025" in text
    assert "Айгуль Сапарова (op1), п. 15.1" in text and "0 % → 50 % (1 из 2 звонков)" in text
    assert "п. 13" not in text                                    # clause 13 fell: not a jump
    assert "Средний балл по СТП: 95" in text and "цель ≥ 99" in text   # a3 90, a5 100
    assert "Просроченные заявки (1):" in text and "Q-1, опломбировка, оператор op1" in text
    assert "Q-2" not in text and "123456789" not in text and "87011234567" not in text   # no personal data
    (envelope, data), = smtp_server.received
    assert envelope["to"] == ["<head@oka.kz>", "<trainer@oka.kz>"]
    mail = message_from_bytes(data, policy=policy.default)
    assert mail["Subject"] == "ОКА: сводка за неделю 18.03.2025 – 24.03.2025"
    assert mail.get_content().replace("\r\n", "\n") == text
    assert audit.entries(db)["action"].to_list() == ["digest"]


@pytest.mark.parametrize(("extra", "code", "mailed"), [
    ("", 0, False),                                               # no smtp_host: the file only
    ('smtp_host = "127.0.0.1"\nsmtp_port = 1\nrecipients = ["a@b.kz"]\n', 2, False),  # nobody listens: one line
])
def test_digest_without_mail_or_with_a_dead_server(tmp_path, db, extra, code, mailed):
    result, out = run_digest(tmp_path, db, extra=extra)
    assert result.exit_code == code, result.output
    if code:
        assert result.output.count("\n") == 1 and "error: cannot send the digest through 127.0.0.1:1" in result.output
    else:
        assert out.exists() and result.output.strip() == str(out)


def test_digest_period_bounds():
    from analytics.reports.digest import DigestError, bounds

    assert bounds("week", dt.date(2025, 3, 24)) == (dt.date(2025, 3, 18), dt.date(2025, 3, 24))
    assert bounds("month", dt.date(2025, 3, 30)) == (dt.date(2025, 3, 1), dt.date(2025, 3, 30))
    with pytest.raises(DigestError):
        bounds("year", dt.date(2025, 3, 24))


@pytest.mark.parametrize(("last_day", "min_calls", "jump"), [
    ("2025-03-24", 2, "0 % → 50 % (1 из 2 звонков)"),   # 11.03–17.03: a1, a2 clean; 18.03–24.03: a3 broke 15.1, a5
    ("2025-03-24", 3, None),                             # two calls a week: too few to call it a jump
    ("2025-02-21", 1, None),                             # op2's x1 (15.1 broken) has no week before to compare
])
def test_a_jump_needs_a_baseline(db, last_day, min_calls, jump):
    from analytics.reports import digest as dg

    d = dg.build(db, "week", dt.date.fromisoformat(last_day), options=dg.DigestOptions(jump_min_calls=min_calls),
                 rules_of=coaching_db.RULES_OF)
    assert [j.split(": ", 1)[1] for j in d.jumps] == ([jump] if jump else [])
