"""Issue 16 in a real browser (Chromium via Playwright), served by `oka-qa dashboard`: a trainer plays a
redacted call and a collection of redacted clips; the head's player URL (the original) is refused to
the trainer.  Screenshots go to test-output/screenshots/coaching_*.png."""
from __future__ import annotations

import io
import wave

import numpy as np
import pytest
from browser_kit import SHOTS, fetch, need_chromium, served_dashboard, settle

from analytics.access.policy import ROLES, Viewer
from analytics.access.users import UsersFile
from analytics.coaching import examples
from analytics.storage.store import connect
from tests import coaching_db
from tests.test_coaching_dashboard import PHONE, RATE, _recording

pytestmark = pytest.mark.slow

HEAD, TRAINER, PASSWORD = "aigerim", "saule", "проверка-обучения-2025"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need_chromium()
    work = tmp_path_factory.mktemp("browser_coaching")
    db = coaching_db.build(work / "t.duckdb")
    rec = work / "recordings"
    rec.mkdir()
    _recording(rec / "b2.wav", 12.0)
    words = [{"w": " " + w, "start": 3.0 + 0.5 * i, "end": 3.4 + 0.5 * i, "p": 0.9}
             for i, w in enumerate(PHONE.split())]
    with connect(db) as con:
        con.execute("UPDATE calls SET audio_path = 'b2.wav', duration_s = 12 WHERE call_id = 'b2'")
        con.execute('INSERT INTO utterances (call_id, idx, speaker, start, "end", text, words) '
                    "VALUES ('b2', 1, 'customer', 3.0, 9.5, ?, ?)", [PHONE, words])
    examples.add(db, Viewer(TRAINER, ROLES["trainer"]), "Как уточнить телефон", "b2", 2.0, 9.0, "15.1", "good",
                 "спокойно, по шагам")
    users = UsersFile(work / "users.json")
    users.add(HEAD, "head", PASSWORD)
    users.add(TRAINER, "trainer", PASSWORD)
    with served_dashboard(db, work / "users.json", OKA_QA_RECORDINGS=str(rec)) as url:
        yield url, db


def signed_in(browser, url: str, path: str, name: str):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ru-RU")
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    pg.goto(f"{url}{path}")
    pg.get_by_role("heading", name="Вход").wait_for()
    pg.get_by_label("Пользователь").fill(name)
    pg.get_by_label("Пароль").fill(PASSWORD)
    pg.get_by_role("button", name="Войти").click()
    return ctx, pg


def samples(body: bytes) -> np.ndarray:
    with wave.open(io.BytesIO(body)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), "<i2").reshape(-1, w.getnchannels()) / 32767.0


def test_trainer_plays_a_redacted_call_and_a_collection(server, browser):
    url, _db = server
    hctx, hp = signed_in(browser, url, "/calls?call=b2", HEAD)
    hp.get_by_role("heading", name="Звонок b2").wait_for()
    settle(hp)
    head_src = hp.locator("audio.oka-player").get_attribute("src").split("#")[0]
    original = fetch(hctx.request, f"{url}{head_src}")
    assert original.status == 200
    assert np.allclose(samples(original.body())[int(4.5 * RATE):int(8 * RATE)], 0.5, atol=1e-3)   # the number said

    tctx, tp = signed_in(browser, url, "/calls?call=b2", TRAINER)
    tp.get_by_role("heading", name="Звонок b2").wait_for()
    settle(tp)
    src = tp.locator("audio.oka-player").get_attribute("src").split("#")[0]
    assert src.startswith("/oka/file/") and src != head_src
    heard = fetch(tctx.request, f"{url}{src}")
    assert heard.status == 200
    data = samples(heard.body())
    assert np.max(np.abs(data[int(4.5 * RATE):int(8 * RATE)])) < 0.2          # the number: a tone
    assert np.allclose(data[: int(2.5 * RATE)], 0.5, atol=1e-3)               # the rest: as said
    assert fetch(tctx.request, f"{url}{head_src}").status == 403                 # the original, by its URL: refused
    tp.screenshot(path=str(SHOTS / "coaching_01_trainer_call_redacted.png"), full_page=True)

    tp.goto(f"{url}/coaching")
    tp.get_by_role("heading", name="Обучение").wait_for()
    settle(tp)
    tp.get_by_text("спокойно, по шагам").wait_for()
    clip_src = tp.locator("audio.oka-player").first.get_attribute("src").split("#")[0]
    clip = fetch(tctx.request, f"{url}{clip_src}")
    assert clip.status == 200
    part = samples(clip.body())
    assert len(part) == 7 * RATE and np.max(np.abs(part[int(2.5 * RATE):int(6 * RATE)])) < 0.2
    tp.screenshot(path=str(SHOTS / "coaching_02_collection.png"), full_page=True)
    hctx.close()
    tctx.close()
