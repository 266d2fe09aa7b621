"""Logins, roles and the audit log."""

import pytest
from django.test import Client

from team.audit import audit_record
from team.roles import can_manage, can_view_tokens


@pytest.mark.parametrize("path", ["/", "/instances/", "/elements/mixpanel/instances/", "/audit/"])
def test_every_page_needs_a_login(db, path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_page_and_login(team_admin):
    from tests.conftest import PASSWORD

    client = Client()
    page = client.get("/login/")
    assert page.status_code == 200
    assert b"Log in" in page.content
    bad = client.post("/login/", {"username": "alice", "password": "wrong"})
    assert b"didn&#x27;t match" in bad.content or b"didn't match" in bad.content
    good = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert good.status_code == 302


def test_roles(team_admin, team_viewer):
    assert can_manage(team_admin) and can_view_tokens(team_admin)
    assert not can_manage(team_viewer) and not can_view_tokens(team_viewer)


def test_audit_log_lists_entries_for_admins(admin_http, team_admin):
    audit_record(user=team_admin, action="token.view", target="#7 Mixpanel", detail="revealed")
    page = admin_http.get("/audit/")
    assert page.status_code == 200
    assert b"token.view" in page.content
    assert b"#7 Mixpanel" in page.content
    filtered = admin_http.get("/audit/?action=instance.delete")
    assert b"#7 Mixpanel" not in filtered.content


def test_unknown_page_is_a_finished_404(admin_http):
    page = admin_http.get("/no/such/page/")
    assert page.status_code == 404
    assert b"Not found" in page.content
    assert b"Traceback" not in page.content


def test_logout(admin_http):
    response = admin_http.post("/logout/")
    assert response.status_code == 302
    assert admin_http.get("/").status_code == 302
