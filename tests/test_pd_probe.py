"""The personal-data probe of issue 17, in a real browser over the bundled demo: as a trainer and as an
operator, both half-years, every page, every call they can open, every export link and the report.

No account, contract, meter or phone number, no customer name and no address of the demo may reach them,
in any form the recogniser writes numbers (digits with spaces, commas or dots are joined before looking).
No recording is offered to them, and a recording URL of the head's is refused to them.  Screenshots go to
test-output/screenshots/probe_*.png.  Slow: `oka-qa demo --no-serve` transcribes the demo first.
"""
from __future__ import annotations

import csv
import io
import re
import subprocess
import zipfile

import pytest
from browser_kit import OKA_QA, SHOTS, fetch, need_chromium, served_dashboard, settle

from analytics.access.users import UsersFile
from data import DEMO_DIR

pytestmark = pytest.mark.slow

PASSWORD = "проба-персональных-данных"
# who the demo's customers are and where they live, as data/demo_calls.py has them say it
NAMES = ("Марат", "Светлана", "Петровна", "Гульнара", "Сериковна", "Бауыржан", "Ерлан", "Береке", "Толе би")


def demo_numbers() -> set[str]:
    """Every account, contract, meter and phone number of the demo's records (digits only)."""
    found = set()
    for name in ("requests.csv", "readings.csv"):
        with open(DEMO_DIR / name, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for col in ("account", "contract_no", "meter", "contact"):
                    digits = re.sub(r"\D", "", row.get(col) or "")
                    if len(digits) >= 4:
                        found.add(digits)
    return found


def digit_runs(text: str) -> list[str]:
    """Runs of digits with what the recogniser puts between them (spaces, commas, dots, dashes) removed."""
    return [re.sub(r"\D", "", m) for m in re.findall(r"\d(?:[\s,.\-]{0,2}\d)*", text)]


def leaks(text: str, numbers: set[str]) -> list[str]:
    runs = digit_runs(text)
    found = [n for n in numbers if any(n in r for r in runs)]
    return found + [n for n in NAMES if n.lower() in text.lower()]


def file_text(body: bytes) -> str:
    if body[:4] == b"%PDF":    # the text a reader of the PDF sees (poppler-utils)
        return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True,
                              timeout=60).stdout.decode("utf-8", "ignore")
    if body[:2] == b"PK":      # XLSX, DOCX: the XML inside
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml"))
    return body.decode("utf-8", "ignore")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    need_chromium()
    work = tmp_path_factory.mktemp("probe")
    db = work / "demo.duckdb"
    subprocess.run([*OKA_QA, "demo", "--no-serve", "--db", str(db)], capture_output=True, text=True, timeout=1800)
    assert db.exists()
    users = UsersFile(work / "users.json")
    users.add("head", "head", PASSWORD)
    users.add("trainer", "trainer", PASSWORD)
    users.add("operator", "operator", PASSWORD, operator_id="op01")
    with served_dashboard(db, work / "users.json", OKA_QA_RECORDINGS=str(DEMO_DIR)) as url:
        yield url, db


def call_ids() -> list[str]:
    with open(DEMO_DIR / "calls.csv", encoding="utf-8") as f:
        return [r["call_id"] for r in csv.DictReader(f)]


def _sign_in(pg, url: str, name: str, path: str = "") -> None:
    pg.goto(f"{url}/{path}")
    pg.get_by_label("Пользователь").fill(name)
    pg.get_by_label("Пароль").fill(PASSWORD)
    pg.get_by_role("button", name="Войти").click()
    pg.locator('[data-testid="stSidebar"]').get_by_role("button", name="Выйти").wait_for()
    settle(pg)


def _half(pg, which: str) -> None:
    """The half-year in the sidebar's period picker (a page without the picker keeps its own view)."""
    choice = pg.locator('[data-testid="stSidebar"]').get_by_text(which, exact=True)
    if choice.count():
        choice.click()
        settle(pg)


def _collect(pg, ctx, where: str, seen: dict[str, str]) -> None:
    """The page's text and every download link on it."""
    seen[where] = pg.inner_text("body")
    for href, name in pg.locator("a.oka-download").evaluate_all("els => els.map(e => [e.href, e.download])"):
        r = fetch(ctx.request, href)
        assert r.ok, f"{where}: {name} was not served"
        seen[f"{where} · {name}"] = file_text(r.body())


@pytest.mark.parametrize("role", ["trainer", "operator"])
def test_no_personal_data_reaches_a_masked_role(demo, browser, role):
    url, db = demo
    numbers = demo_numbers()
    assert len(numbers) >= 10
    seen: dict[str, str] = {}
    SHOTS.mkdir(parents=True, exist_ok=True)
    head = browser.new_context(locale="ru-RU")
    hp = head.new_page()
    hp.set_default_timeout(60_000)
    _sign_in(hp, url, "head", f"calls?call={call_ids()[0]}")
    hp.locator("audio.oka-player").wait_for(state="attached")
    head_audio = hp.locator("audio.oka-player").get_attribute("src").split("#")[0]

    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ru-RU", accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    _sign_in(pg, url, role)
    nav = pg.locator('[data-testid="stSidebarNav"] a')
    # every page this role has
    pages = [t.strip().splitlines()[-1] for t in nav.all_inner_texts()] if nav.count() else [""]
    for half in ("I", "II"):
        _half(pg, half)
        for title in pages:
            if title:            # a role with one page has no page list
                pg.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
                settle(pg)
                _half(pg, half)
            if title == "Обзор" and pg.get_by_role("button", name="Сформировать отчёт").count():
                pg.get_by_role("button", name="Сформировать отчёт").click()
                pg.locator("a.oka-download", has_text="DOCX").wait_for(timeout=300_000)
                settle(pg)
            _collect(pg, ctx, f"{role} · {half} · {title}", seen)
            pg.screenshot(path=str(SHOTS / f"probe_{role}_{half}_{title}.png"), full_page=True)
    for call_id in call_ids():
        pg.goto(f"{url}/calls?call={call_id}")
        settle(pg)
        pg.get_by_role("heading").first.wait_for()
        settle(pg)
        for src in pg.locator("audio.oka-player").evaluate_all("es => es.map(e => e.getAttribute('src'))"):
            assert fetch(ctx.request, f"{url}{src.split('#')[0]}").ok     # heard, redacted (issue 16)
        _collect(pg, ctx, f"{role} · call {call_id}", seen)
        if call_id in call_ids()[:2]:
            pg.screenshot(path=str(SHOTS / f"probe_{role}_call_{call_id}.png"), full_page=True)
    refused = fetch(ctx.request, f"{url}{head_audio}").status
    head.close()
    ctx.close()
    found = {where: leaks(text, numbers) for where, text in seen.items() if leaks(text, numbers)}
    assert found == {}
    assert refused == 403                                  # the head's original recording, by its URL
    from analytics.access import audit

    heard = audit.entries(db, user=role, action="play_audio")["detail"].to_list()
    assert all('"kind": "redacted"' in d for d in heard), heard   # every recording they fetched was redacted
    assert any("Звонок" in t for t in seen.values()) and len(seen) > 20
    if role == "trainer":   # the masked Справка was made and read, for both half-years
        assert sum(where.endswith(".docx") for where in seen) >= 2
