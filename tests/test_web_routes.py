"""The app's own routes (dashboards/routes.py): the session cookie, files only to the session they were
prepared for, each fetch logged with who prepared it, and Streamlit's /media/ store closed to outsiders.

Issue 17 items 2 and 3; issue 18's sign-in that survives a refresh.  Run against a Starlette app with
the same routes and gate the dashboard server mounts (``dashboards/server.py``).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from analytics.access import audit
from analytics.storage import store
from dashboards import routes, sessions


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "oka.duckdb"
    store.init(path)
    monkeypatch.setenv("OKA_QA_DB", str(path))
    sessions.reset()
    return path


def _media(request):   # stands for Streamlit's own /media/<hash> store
    return PlainTextResponse("the bytes of a recording")


@pytest.fixture
def app(db):
    return Starlette(routes=[*routes.ROUTES, Route("/media/{name}", _media)], middleware=[Middleware(routes.Gate)])


def signed_in_client(app, user="anna", role="head") -> tuple[TestClient, sessions.WebSession]:
    """A browser that signed in: the page got a ticket, the browser exchanged it for the cookie."""
    web = sessions.open_session(user, role)
    client = TestClient(app)
    r = client.post("/oka/session", content=sessions.issue_ticket(web.sid))
    assert r.status_code == 204
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    return client, web


def recording_grant(tmp_path: Path, web: sessions.WebSession, kind: str = "recording") -> str:
    wav = tmp_path / "c02.wav"
    wav.write_bytes(b"RIFF....WAVEfmt " + bytes(100))
    return sessions.grant("audio:c02", sessions.Grant(sid=web.sid, kind=kind, file_name="c02.wav", mime="audio/wav",
                                                      user=web.user, role=web.role, target="c02", path=wav))


def test_a_ticket_opens_the_cookie_once(app, db):
    web = sessions.open_session("anna", "head")
    ticket = sessions.issue_ticket(web.sid)
    assert TestClient(app).post("/oka/session", content=ticket).status_code == 204
    assert TestClient(app).post("/oka/session", content=ticket).status_code == 403          # used up
    assert TestClient(app).post("/oka/session", content="forged").status_code == 403
    other_site = TestClient(app).post("/oka/session", content=sessions.issue_ticket(web.sid),
                                      headers={"origin": "http://evil.example"})
    assert other_site.status_code == 403


def test_a_sign_in_marks_the_browser_for_the_throttle_and_the_mark_opens_nothing(app, db):
    """The browser keeps a signed, HttpOnly mark of the accounts signed in from it (the sign-in throttle
    counts its attempts apart from others behind the same address); it is no session."""
    client = TestClient(app)
    for user in ("anna", "head"):
        web = sessions.open_session(user, "head")
        r = client.post("/oka/session", content=sessions.issue_ticket(web.sid))
        assert r.status_code == 204
        mark = next(c for c in r.headers.get_list("set-cookie") if c.startswith(sessions.DEVICE_COOKIE + "="))
        assert "httponly" in mark.lower() and "samesite=strict" in mark.lower() and "max-age=" in mark.lower()
    device = client.cookies.get(sessions.DEVICE_COOKIE)
    browser, accounts = sessions.devices_of(device)
    assert accounts == ("anna", "head")                                    # the earlier account is kept
    assert sessions.throttle_client("192.0.2.1", device, "anna") == f"browser:{browser}"
    assert sessions.from_cookie(device) is None                            # not a session


def test_the_cookie_is_signed_and_ends_with_the_session(db):
    web = sessions.open_session("anna", "head", idle_s=60)
    value = sessions.cookie_value(web.sid)
    assert sessions.from_cookie(value).user == "anna"
    assert sessions.from_cookie(web.sid + ".0000") is None                  # a forged signature
    assert sessions.from_cookie(value.replace(web.sid, "x" * len(web.sid))) is None
    sessions.revoke(web.sid)
    assert sessions.from_cookie(value) is None                              # signed out: dead in every tab


def test_an_idle_session_ends(db, monkeypatch):
    import time

    web = sessions.open_session("anna", "head", idle_s=60)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 61)
    assert sessions.alive(web.sid) is None


# --- item 2: recordings and files only to the session they were prepared for -------------------

@pytest.mark.parametrize("who", ["no cookie", "another signed-in user", "a forged cookie", "after sign-out"])
def test_a_recording_url_opens_nothing_outside_its_session(app, db, tmp_path, who):
    client, web = signed_in_client(app)
    token = recording_grant(tmp_path, web)
    if who == "no cookie":
        outsider = TestClient(app)
    elif who == "another signed-in user":
        outsider, _ = signed_in_client(app, "boris", "auditor")
    elif who == "a forged cookie":
        outsider = TestClient(app, cookies={sessions.COOKIE: web.sid + "." + "0" * 64})
    else:
        client.post("/oka/sign-out")
        outsider = client
    r = outsider.get(f"/oka/file/{token}")
    assert r.status_code == 403 and b"RIFF" not in r.content
    assert "denied" in audit.entries(db)["action"].to_list()


def test_the_session_gets_its_recording_and_each_fetch_is_logged(app, db, tmp_path):
    client, web = signed_in_client(app)
    token = recording_grant(tmp_path, web)
    first = client.get(f"/oka/file/{token}")
    assert first.status_code == 200 and first.content.startswith(b"RIFF")
    assert client.get(f"/oka/file/{token}", headers={"range": "bytes=10-"}).status_code == 206   # seeking works
    log = audit.entries(db, action="play_audio")
    assert log.height == 2 and set(log["user_name"]) == {"anna"} and set(log["target"]) == {"c02"}
    assert first.headers["cache-control"] == "no-store"


def test_a_masked_role_never_gets_an_original_recording(app, db, tmp_path):
    """Even a grant made by mistake for a trainer's session does not serve the original (issue 16 will add
    redacted audio, kind "redacted", through the same route)."""
    client, web = signed_in_client(app, "saule", "trainer")
    r = client.get(f"/oka/file/{recording_grant(tmp_path, web)}")
    assert r.status_code == 403 and b"RIFF" not in r.content
    assert client.get(f"/oka/file/{recording_grant(tmp_path, web, 'redacted')}").status_code == 200


def test_a_file_gone_since_the_page_showed_it_is_a_plain_404(app, db, tmp_path):
    """A redacted copy is deleted when a newer one of the same recording is made (a re-ingest, a better
    detector), and a recording may be moved: a grant made before answers «not found», not a server error."""
    client, web = signed_in_client(app, "saule", "trainer")
    token = recording_grant(tmp_path, web, "redacted")
    (tmp_path / "c02.wav").unlink()
    r = client.get(f"/oka/file/{token}")
    assert r.status_code == 404 and "не найдена" in r.text
    assert audit.entries(db, action="play_audio").is_empty()          # nothing was played
    (gone,) = audit.entries(db, action="file_missing").iter_rows(named=True)   # every refusal is in the log
    assert (gone["user_name"], gone["target"]) == ("saule", "c02")


@pytest.mark.parametrize("signed_in", [False, True])
def test_streamlits_media_store_answers_only_a_signed_in_browser(app, db, signed_in):
    client = signed_in_client(app)[0] if signed_in else TestClient(app)
    r = client.get("/media/0123456789abcdef.wav")
    assert r.status_code == (200 if signed_in else 403)


def test_pages_forbid_remote_images(app, db):
    r = TestClient(app).get("/media/x")
    assert "img-src 'self' data: blob:" in r.headers["content-security-policy"]


# --- item 3: exports attributed to who prepared them ------------------------------------------

def test_an_export_is_logged_as_the_user_who_prepared_it(app, db):
    client, web = signed_in_client(app, "vera", "auditor")
    token = sessions.grant("file:calls_csv", sessions.Grant(
        sid=web.sid, kind="export", file_name="звонки.csv", mime="text/csv", user="vera", role="auditor",
        target="звонки.csv", build=lambda: b"a,b\n1,2\n", detail={"rows": 1}))
    r = client.get(f"/oka/file/{token}")
    assert r.status_code == 200 and r.content == b"a,b\n1,2\n"
    assert "attachment" in r.headers["content-disposition"]
    row = audit.entries(db, action="export").row(0, named=True)
    assert (row["user_name"], row["role"], row["target"]) == ("vera", "auditor", "звонки.csv")
    assert '"rows": 1' in row["detail"]
