"""The dashboard in a real browser: served by `oka-qa dashboard`, driven by Debian's chromium via Playwright.

Opens each page, clicks through period, operator and call, checks the visible KPI
tiles equal `oka-qa kpi --json` for the same period, and saves a screenshot of
every step under test-output/screenshots/.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import dashboard_db
import pytest
from browser_kit import OKA_QA, SHOTS, need_chromium, served_dashboard, settle

from analytics.access.users import UsersFile
from analytics.catalogue.kpis import tiles as catalogue_tiles

pytestmark = pytest.mark.slow

USER, PASSWORD = "head.test", "проверка-панели-2025"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need_chromium()
    work = tmp_path_factory.mktemp("browser")
    db = dashboard_db.build(work / "t.duckdb")
    dashboard_db.add_recording(db, "c13")
    UsersFile(work / "users.json").add(USER, "head", PASSWORD)     # the sign-in gate's account (dashboards/auth.py)
    with served_dashboard(db, work / "users.json") as url:
        yield url, db


@pytest.fixture(scope="module")
def page(server, browser):
    pg = browser.new_page(viewport={"width": 1500, "height": 2000}, locale="ru-RU")
    pg.set_default_timeout(60_000)   # CI machines are shared and slow
    return pg


def kpi_json(db: Path, start: str, end: str) -> dict:
    out = subprocess.run([*OKA_QA, "kpi", "--db", str(db), "--from", start, "--to", end, "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def shot(pg, name: str) -> None:
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def visible_tiles(pg) -> dict[str, str]:
    tiles = {}
    for m in pg.locator('[data-testid="stMetric"]').all():
        label = m.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        tiles[label] = m.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return tiles


def assert_tiles_match(pg, db: Path, start: str, end: str) -> None:
    pg.locator('[data-testid="stMetric"]').first.wait_for()
    settle(pg)
    k = kpi_json(db, start, end)
    expected = {t.tile_label: t.fmt(k[t.key]) for t in catalogue_tiles(k)}
    shown = visible_tiles(pg)
    assert {label: shown.get(label) for label in expected} == expected


def go(pg, title: str) -> None:
    pg.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    pg.get_by_role("heading", name=title, exact=True).wait_for()
    settle(pg)


def test_click_through_the_dashboard(server, page):
    url, db = server
    pg = page
    pg.goto(url)
    pg.get_by_role("heading", name="Вход").wait_for()
    shot(pg, "00_sign_in")
    pg.get_by_label("Пользователь").fill(USER)
    pg.get_by_label("Пароль").fill(PASSWORD)
    pg.get_by_role("button", name="Войти").click()
    pg.get_by_role("heading", name="Обзор", exact=True).wait_for()
    settle(pg)
    pg.get_by_text("II полугодие 2025: 01.07.2025 – 31.12.2025").wait_for()
    assert_tiles_match(pg, db, "2025-07-01", "2025-12-31")
    shot(pg, "01_overview_II_half")

    # period: the first half-year
    pg.locator('[data-testid="stSidebar"]').get_by_text("I", exact=True).click()
    pg.get_by_text("I полугодие 2025: 01.01.2025 – 30.06.2025").wait_for()
    settle(pg)
    assert_tiles_match(pg, db, "2025-01-01", "2025-06-30")
    assert visible_tiles(pg)["Звонков за период"] == "12"
    shot(pg, "02_overview_I_half")

    # operators: the period stays; pick an operator, open their worst moment
    go(pg, "Операторы")
    pg.get_by_text("I полугодие 2025: 01.01.2025 – 30.06.2025").wait_for()
    pg.get_by_text("Профиль оператора").wait_for()
    pg.locator('[data-testid="stSelectbox"]').filter(has_text="Профиль оператора").click()
    pg.get_by_role("option", name="Ерлан Ахметов").click()
    pg.get_by_role("heading", name="Ерлан Ахметов").wait_for()
    settle(pg)
    assert visible_tiles(pg)["Звонков"] == "4"
    shot(pg, "03_operator_profile")
    pg.get_by_role("button", name="«типа»").first.click()
    pg.get_by_role("heading", name="Звонок c08").wait_for()
    settle(pg)
    assert pg.locator("mark.oka-violation").count() >= 1
    shot(pg, "04_call_from_worst_moment")

    # calls: search by a word form
    pg.get_by_role("button", name="Назад").click()                 # back where the call was opened from
    pg.get_by_role("heading", name="Ерлан Ахметов").wait_for()          # the operator's profile, as it was
    settle(pg)
    go(pg, "Звонки")
    box = pg.get_by_label("Поиск по расшифровкам")
    box.fill("девушка")
    box.press("Enter")
    pg.get_by_text("Найдено звонков: 3").wait_for()
    settle(pg)
    shot(pg, "05_calls_search")

    # a call with a mismatched reading, opened from the search
    box.fill("четыреста")
    box.press("Enter")
    settle(pg)
    pg.get_by_text("Найдено звонков: 0").wait_for()          # c13 is in the second half-year
    pg.locator('[data-testid="stSidebar"]').get_by_text("II", exact=True).click()
    pg.get_by_text("Найдено звонков: 1").wait_for()
    settle(pg)
    pg.locator(".stDataFrameGlideDataEditor").first.click(position={"x": 15, "y": 54})   # the row's checkbox
    pg.get_by_role("heading", name="Звонок c13").wait_for()
    settle(pg)
    pg.get_by_text("продиктовано иное").wait_for()
    assert pg.locator("audio").count() == 1
    pg.get_by_role("button", name="00:05").click()              # the player moves to the utterance
    settle(pg)
    pg.get_by_text("Воспроизведение с 00:05").wait_for()
    shot(pg, "06_call_c13")

    for title, name in (("Пункты стандарта", "07_clauses"), ("Своевременность", "08_timeliness"),
                        ("Проверка", "09_review")):
        go(pg, title)
        assert not pg.locator('[data-testid="stException"]').count(), f"{title}: an exception is shown"
        shot(pg, name)
