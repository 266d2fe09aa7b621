"""Logging in: repeated failures lock a username out from that address (django-axes), the right
password included; logins, failures, lockouts and logouts are in the log and the audit log;
sessions end after an idle time."""

from __future__ import annotations

import logging

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from team.models import AuditEntry
from team.sessions import TOUCHED
from tests.conftest import PASSWORD

LIMIT = 3


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def _login(client: Client, username: str, password: str, address: str = "10.0.0.7"):
    return client.post("/login/", {"username": username, "password": password},
                       REMOTE_ADDR=address)


def _logged_in(client: Client) -> bool:
    return client.get("/team/").status_code == 200


def test_repeated_failures_lock_out_even_the_right_password(team_admin):
    client = Client()
    for _ in range(LIMIT - 1):
        response = _login(client, "alice", "wrong")
        assert response.status_code == 200
        assert "didn't match" in response.content.decode()
    locking = _login(client, "alice", "wrong")
    assert locking.status_code == 429
    refused = _login(client, "alice", PASSWORD)
    text = refused.content.decode()
    assert refused.status_code == 429
    assert "locked for 15 minutes" in text
    assert 'value="alice"' in text  # what was typed stays
    assert not _logged_in(client)


def test_the_lockout_is_per_username_and_address(team_admin):
    for _ in range(LIMIT):
        _login(Client(), "alice", "wrong", address="10.0.0.7")
    elsewhere = Client()
    assert _login(elsewhere, "alice", PASSWORD, address="10.0.0.8").status_code == 302
    assert _logged_in(elsewhere)


def test_a_success_before_the_limit_starts_the_count_again(team_admin):
    client = Client()
    for _ in range(LIMIT - 1):
        _login(client, "alice", "wrong")
    assert _login(client, "alice", PASSWORD).status_code == 302
    client.post("/logout/")
    for _ in range(LIMIT - 1):
        _login(client, "alice", "wrong")
    assert _login(client, "alice", PASSWORD).status_code == 302


def test_logins_failures_lockouts_and_logouts_are_audited_and_logged(team_admin, caplog):
    caplog.set_level(logging.INFO, logger="team.logins")
    client = Client()
    assert _login(client, "alice", PASSWORD).status_code == 302
    client.post("/logout/")
    for _ in range(LIMIT):
        _login(client, "alice", "hunter2-wrong")
    _login(client, "alice", PASSWORD)

    actions = list(AuditEntry.objects.order_by("id").values_list("action", "username"))
    assert actions == [("login", "alice"), ("logout", "alice")] + [("login.failed", "alice")] * (
        LIMIT - 1) + [("login.lockout", "alice"), ("login.refused", "alice")]
    lockout = AuditEntry.objects.get(action="login.lockout")
    assert "10.0.0.7" in lockout.detail
    assert "15 minutes" in lockout.detail
    assert "login: alice from 10.0.0.7" in caplog.text
    assert "logout: alice" in caplog.text
    assert "login failed: 'alice' from 10.0.0.7" in caplog.text
    assert "locked out: 'alice'" in caplog.text
    assert "hunter2" not in caplog.text
    assert PASSWORD not in caplog.text
    assert all("hunter2" not in e.detail for e in AuditEntry.objects.all())


def test_an_unknown_username_is_recorded_by_name(db):
    _login(Client(), "mallory", "guess")
    entry = AuditEntry.objects.get(action="login.failed")
    assert entry.username == "mallory"
    assert entry.user is None


def test_the_audit_log_shows_login_entries_to_admins(admin_http, team_viewer):
    _login(Client(), "victor", "wrong")
    response = admin_http.get("/audit/?action=login.failed")
    assert response.status_code == 200
    assert "victor" in response.content.decode()


def test_sessions_end_after_the_idle_time(team_admin, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    client = Client()
    _login(client, "alice", PASSWORD)
    # Use moves the expiry on: the session is saved and its cookie sent with the full idle time.
    response = client.get("/team/")
    assert response.cookies["sessionid"]["max-age"] == 8 * 60 * 60
    assert client.session.get_expiry_age() == 8 * 60 * 60
    # ... at most once a minute, not on every request (a catalog page loads 120 logos).
    assert "sessionid" not in client.get("/team/").cookies
    # An hour ago, as far as the session knows: the next request moves it on again.
    session = client.session
    session[TOUCHED] -= 3600
    session.save()
    assert client.get("/team/").cookies["sessionid"]["max-age"] == 8 * 60 * 60


def test_a_stale_cookie_makes_no_new_session(db):
    client = Client()
    client.cookies["sessionid"] = "no-such-session"
    response = client.get("/login/")
    assert response.cookies["sessionid"].value == ""  # Django drops the stale cookie
    assert not Session.objects.exists()
