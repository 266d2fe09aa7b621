"""Roles are read from the permission tables once, then from the cache, and a change of role is
seen on the very next request, however it was made."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from team.accounts import admins_group, member_role_set, user_create


def permission_queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code in (200, 403, 404)
    return [q["sql"] for q in queries.captured_queries if "auth_permission" in q["sql"]]


def test_a_warm_request_reads_no_permission_table(admin_http):
    assert permission_queries(admin_http, "/audit/")  # the first: the role is read
    assert permission_queries(admin_http, "/audit/") == []
    assert permission_queries(admin_http, "/no-such-page/") == []


def test_a_demotion_is_seen_on_the_next_request(admin_http, team_admin):
    other = user_create(username="bob", password="bob-password-1", admin=True)
    bob = Client()
    bob.force_login(other)
    assert bob.get("/audit/").status_code == 200  # the admin role is now cached
    assert member_role_set(by=team_admin, member=other, admin=False)
    assert bob.get("/audit/").status_code == 403
    assert "viewer</span>" in bob.get("/no-such-page/").content.decode()


def test_a_role_changed_outside_the_services_is_seen_too(viewer_http, team_viewer):
    assert viewer_http.get("/audit/").status_code == 403
    admins_group().user_set.add(team_viewer)  # e.g. `manage.py shell`
    assert viewer_http.get("/audit/").status_code == 200
    admins_group().user_set.clear()
    assert viewer_http.get("/audit/").status_code == 403
