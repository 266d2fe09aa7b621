"""`manage.py demo_reset` (and `bin/demo --reset`): the demo back to exactly its starting state."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from catalog.counts import COUNTS_CACHE_KEY, instance_counts
from sandbox.faults import fault_add
from sandbox.models import Fault, Instance, OAuthCode, ResourceRecord, SeededResource
from team.accounts import member_active_set, member_add, member_password_set, member_role_set
from team.models import AuditEntry

DEMO_PASSWORDS = {"admin": "admin-demo", "viewer": "viewer-demo"}


def demo_state() -> dict:
    """Everything a demo visitor can change, as data to compare (tokens and times are new each time)."""
    members = [
        {"id": u.pk, "username": u.username, "active": u.is_active, "staff": u.is_staff,
         "superuser": u.is_superuser, "email": u.email, "groups": sorted(g.name for g in u.groups.all()),
         "demo password": u.check_password(DEMO_PASSWORDS.get(u.username, ""))}
        for u in get_user_model().objects.order_by("pk")
    ]
    instances = list(Instance.objects.order_by("pk").values(
        "pk", "name", "element_key", "tags", "configuration", "valid", "disabled"))
    return {
        "members": members,
        "instances": instances,
        "resource records": ResourceRecord.objects.count(),
        "seeded resources": SeededResource.objects.count(),
        "oauth codes": OAuthCode.objects.count(),
        "faults": Fault.objects.count(),
        "audit entries": AuditEntry.objects.count(),
        "sessions": Session.objects.count(),
        "cached counts": cache.get(COUNTS_CACHE_KEY),
    }


def demo_admin_client() -> Client:
    """The demo's admin, logged in (its password is checked in `demo_state`)."""
    browser = Client()
    browser.force_login(get_user_model().objects.get(username="admin"))
    return browser


def test_reset_returns_the_demo_to_exactly_its_starting_state(sandbox, client_api):
    call_command("demo_reset", verbosity=0)
    fresh = demo_state()
    assert [m["username"] for m in fresh["members"]] == ["admin", "viewer"]
    assert all(m["demo password"] and m["active"] for m in fresh["members"])
    assert [m["groups"] for m in fresh["members"]] == [["Admins"], []]
    assert len(fresh["instances"]) == 6
    assert fresh["faults"] == fresh["audit entries"] == fresh["sessions"] == 0
    assert fresh["cached counts"] is None

    # A demo happens: members come and change, the sandbox's data changes, a fault is switched on.
    User = get_user_model()
    admin, viewer = User.objects.get(username="admin"), User.objects.get(username="viewer")
    member_add(by=admin, username="visitor", password="visitor-password-1", admin=True)
    member_role_set(by=admin, member=viewer, admin=True)
    member_password_set(by=admin, member=viewer, password="changed-in-the-demo")
    member_active_set(by=admin, member=User.objects.get(username="visitor"), active=False)
    browser = demo_admin_client()
    assert instance_counts()["mixpanel"] == 2  # now cached
    client_api.instance_create(element_key="mixpanel", name="Added in the demo",
                               configuration={"username": "demo-added"}, tags=["new"])
    first, second = fresh["instances"][0]["pk"], fresh["instances"][1]["pk"]
    client_api.instance_delete(first)
    client_api.instance_update(second, name="Renamed in the demo", tags=["renamed"])
    token = client_api.instance_get(second)["token"]
    user = {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"}
    created = client_api.resource_call(token, "POST", "/hubs/general/users", body=json.dumps(user).encode(),
                                       headers={"Content-Type": "application/json"})
    assert created.ok
    fault_add(path_prefix="/instances", status=503)
    assert demo_state() != fresh

    call_command("demo_reset", verbosity=0)

    assert demo_state() == fresh
    assert not Session.objects.filter(session_key=browser.session.session_key).exists()
    # The dashboard reads the sandbox afresh at once: no stale banner after the reset.
    assert instance_counts()["mixpanel"] == 2
    assert "2 instances" in demo_admin_client().get("/?q=mixpanel").content.decode()


def test_reset_prints_what_a_newcomer_needs(sandbox, capsys):
    call_command("demo_reset")
    out = capsys.readouterr().out
    assert out.strip().splitlines() == [
        "Demo reset: logins admin / admin-demo and viewer / viewer-demo, sample instances, "
        "no faults, empty audit log."
    ]


def test_reset_refuses_outside_a_demo_and_changes_nothing(sandbox, settings, team_admin):
    settings.SANDBOX_MODE = "off"
    with pytest.raises(CommandError, match="only for a demo"):
        call_command("demo_reset", verbosity=0)
    assert get_user_model().objects.filter(username="alice").exists()
