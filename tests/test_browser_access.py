"""Sign-in, recordings and downloads in a real browser (Chromium via Playwright), served by `oka-qa dashboard`.

Issue 18, first bullet: a refresh and a new tab stay signed in, a shared link (?call=…&t=…) survives the
sign-in, sign-out ends the session in every tab.  Issue 17 items 2 and 3: the player and the downloads go
through the app's own route, answer only this browser's session, and each fetch is in the audit log under
the user who prepared it; Streamlit's /media/ store and the table toolbar's export are closed.
Screenshots go to test-output/screenshots/access_*.png.
"""
from __future__ import annotations

import hashlib
import hmac
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote

import dashboard_db
import pytest
from browser_kit import SHOTS, fetch, need_chromium, served_dashboard, settle
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from analytics.access import audit
from analytics.access.users import UsersFile

pytestmark = pytest.mark.slow

HEAD, TRAINER, PASSWORD = "aigerim", "saule", "проверка-доступа-2025"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need_chromium()
    work = tmp_path_factory.mktemp("browser_access")
    db = dashboard_db.build(work / "t.duckdb")
    dashboard_db.add_recording(db, "c13")
    users = UsersFile(work / "users.json")
    users.add(HEAD, "head", PASSWORD)
    users.add(TRAINER, "trainer", PASSWORD)
    with served_dashboard(db, work / "users.json") as url:
        yield url, db


def new_page(context):
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    return pg


def sign_in(pg, name: str) -> None:
    pg.get_by_role("heading", name="Вход").wait_for()
    pg.get_by_label("Пользователь").fill(name)
    pg.get_by_label("Пароль").fill(PASSWORD)
    pg.get_by_role("button", name="Войти").click()


def shot(pg, name: str) -> None:
    pg.screenshot(path=str(SHOTS / f"access_{name}.png"), full_page=True)


def player_src(pg) -> str:
    pg.locator("audio.oka-player").wait_for(state="attached")
    return pg.locator("audio.oka-player").get_attribute("src")


def test_a_shared_link_survives_sign_in_refresh_and_new_tabs(server, browser):
    url, _db = server
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ru-RU")
    pg = new_page(ctx)
    pg.goto(f"{url}/calls?call=c13&t=3")                  # a link a colleague sent
    settle(pg)
    assert pg.get_by_text("Page not found").count() == 0
    shot(pg, "01_link_asks_to_sign_in")
    sign_in(pg, HEAD)
    pg.get_by_role("heading", name="Звонок c13").wait_for()   # the call asked for, not «Обзор»
    settle(pg)
    assert "#t=3" in player_src(pg)
    shot(pg, "02_link_after_sign_in")
    cookies = {c["name"]: c for c in ctx.cookies()}
    assert cookies["oka_session"]["httpOnly"] and cookies["oka_session"]["sameSite"] == "Strict"
    assert pg.evaluate("document.cookie").find("oka_session") < 0      # scripts cannot read it
    # the browser cookie the sign-in throttle knows her by is signed with the key kept beside the database,
    # so it outlives a restart of the server
    body, _, sig = unquote(cookies["oka_device"]["value"]).rpartition(".")
    key = bytes.fromhex((Path(_db).parent / ".oka-device-key").read_text())
    assert sig == hmac.new(key, ("device:" + body).encode("ascii"), hashlib.sha256).hexdigest()

    pg.reload()                                                    # F5
    pg.get_by_role("heading", name="Звонок c13").wait_for()
    settle(pg)
    assert pg.get_by_role("heading", name="Вход").count() == 0
    shot(pg, "03_after_refresh")

    # Streamlit's own dialog, in Russian.  Under load Streamlit 1.67 now and then opens the main page without the
    # dialog at all (1 of 25 tries of this step with the cores busy): neither language shows then, so the address
    # is tried again; a dialog left in English fails every try.
    for attempt in range(3):
        pg.goto(f"{url}/no-such-page")
        try:
            pg.get_by_text("Страница не найдена").wait_for(timeout=20_000)
            break
        except PlaywrightTimeout:
            assert pg.get_by_text("Page not found").count() == 0, "Streamlit's dialog was left in English"
            if attempt == 2:
                raise
    assert pg.get_by_text("Page not found").count() == 0
    shot(pg, "03b_unknown_page")

    tab = new_page(ctx)                                            # a new tab of the same browser
    tab.goto(f"{url}/calls?call=c02")
    tab.get_by_role("heading", name="Звонок c02").wait_for()
    settle(tab)

    stranger = new_page(browser.new_context(locale="ru-RU"))       # the link in another browser: sign in first
    stranger.goto(f"{url}/calls?call=c13")
    stranger.get_by_role("heading", name="Вход").wait_for()
    assert stranger.get_by_text("Звонок c13").count() == 0

    tab.locator('[data-testid="stSidebar"]').get_by_role("button", name="Выйти").click()
    tab.get_by_role("heading", name="Вход").wait_for()
    pg.reload()                                                    # signed out in one tab: out in all
    pg.get_by_role("heading", name="Вход").wait_for()
    assert pg.get_by_text("Звонок c13").count() == 0
    shot(pg, "04_signed_out_everywhere")
    ctx.close()


def test_recordings_and_downloads_only_through_the_session(server, browser):
    url, db = server
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ru-RU", accept_downloads=True)
    pg = new_page(ctx)
    pg.goto(f"{url}/calls?call=c13")
    sign_in(pg, HEAD)
    pg.get_by_role("heading", name="Звонок c13").wait_for()
    settle(pg)
    src = player_src(pg).split("#")[0]
    assert src.startswith("/oka/file/") and pg.locator('audio[src^="/media/"]').count() == 0
    before = audit.entries(db, action="play_audio").height
    ours = fetch(ctx.request, f"{url}{src}")
    assert ours.status == 200 and ours.body()[:4] == b"RIFF"
    assert audit.entries(db, action="play_audio").height == before + 1
    assert audit.entries(db, action="play_audio").row(0, named=True)["user_name"] == HEAD

    with pytest.raises(urllib.error.HTTPError) as refused:       # the same URL without the session cookie
        urllib.request.urlopen(f"{url}{src}", timeout=10)
    assert refused.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as media:          # Streamlit's own store: closed to outsiders
        urllib.request.urlopen(f"{url}/media/0123456789abcdef0123456789abcdef.wav", timeout=10)
    assert media.value.code == 403

    # a table's CSV: downloaded through the route, logged under the head's name (not «-»)
    link = pg.locator("a.oka-download", has_text="CSV").first
    with pg.expect_download() as dl:
        link.click()
    body = Path(dl.value.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    row = audit.entries(db, action="export").row(0, named=True)
    assert row["user_name"] == HEAD and row["role"] == "head" and row["target"].endswith(".csv")

    # the table toolbar offers no export that would bypass the log
    grid = pg.locator('[data-testid="stDataFrame"]').first
    grid.hover()
    pg.wait_for_timeout(500)
    assert pg.locator('[data-testid="stElementToolbarButton"][aria-label*="Download"]').count() == 0
    assert pg.get_by_role("button", name="Download as CSV").count() == 0
    shot(pg, "05_call_with_player_and_downloads")
    ctx.close()


def test_a_trainer_gets_no_original_recording_by_any_url(server, browser):
    """A trainer hears a call redacted (issue 16, through the same route); the original never, whatever URL."""
    url, db = server
    head = browser.new_context(locale="ru-RU")
    hp = new_page(head)
    hp.goto(f"{url}/calls?call=c13")
    sign_in(hp, HEAD)
    hp.get_by_role("heading", name="Звонок c13").wait_for()
    settle(hp)
    src = player_src(hp).split("#")[0]

    trainer = browser.new_context(locale="ru-RU")
    tp = new_page(trainer)
    tp.goto(f"{url}/calls?call=c13")
    sign_in(tp, TRAINER)
    tp.get_by_role("heading", name="Звонок c13").wait_for()
    tp.locator('[data-testid="stSidebar"]').get_by_text(f"{TRAINER} · тренер").wait_for()
    settle(tp)
    assert fetch(trainer.request, f"{url}{src}").status == 403      # the head's player URL, from the trainer
    for theirs in tp.locator("audio.oka-player").evaluate_all("es => es.map(e => e.getAttribute('src'))"):
        assert theirs.split("#")[0] != src
        assert fetch(trainer.request, f"{url}{theirs.split('#')[0]}").status == 200
    heard = audit.entries(db, user=TRAINER, action="play_audio")["detail"].to_list()
    assert all('"kind": "redacted"' in d for d in heard)
    shot(tp, "06_trainer_call")
    head.close()
    trainer.close()
