"""Writes whose answer never came: the platform is slower than the client's read timeout.
Authenticate, Update, Re-Authenticate and Delete, and Disable/Enable too.

A slow platform (a sandbox delay fault) makes the write, then answers too late; the dashboard
reads the platform again, shows what it holds, and audits the write as it really went. Where the
platform refused (a status fault held past the timeout), nothing was made and nothing shows it:
the outcome is said to be unknown, and audited so.
"""

from __future__ import annotations

import re
import time

import pytest

from sandbox.faults import fault_add
from sandbox.models import Instance
from team.models import AuditEntry
from tests.test_authenticate import submit_form
from tests.test_edit import instance_with_events_off, section

READ_TIMEOUT = 1
SLOW = 2  # seconds the sandbox holds its answer: past the client's read timeout


_held_until: list[float] = []


@pytest.fixture
def slow_platform(sandbox, settings):
    settings.CLOUD_ELEMENTS_READ_TIMEOUT = READ_TIMEOUT
    # A write is never sent twice; the re-read is then one call too.
    settings.CLOUD_ELEMENTS_RETRIES = 0
    _held_until.clear()
    yield
    # The sandbox still holds the answer nobody waits for: let it go before the database closes.
    time.sleep(max([0.0, *(t - time.monotonic() for t in _held_until)]))


def slow(path: str, method: str, *, refused: bool = False) -> None:
    """The platform at `path` answers after the read timeout; `refused`: it makes nothing."""
    fault_add(path_prefix=path, method=method, delay=SLOW, status=503 if refused else None)
    _held_until.append(time.monotonic() + SLOW + 1)


def flash(http, response) -> str:
    return http.get(response["Location"]).content.decode()


# --- Authenticate (POST /instances) -------------------------------------------------------------

def test_authenticate_finds_the_instance_it_made(admin_http, slow_platform, team_admin):
    slow("/instances", "POST")
    response = submit_form(admin_http, "/elements/mixpanel/authenticate/",
                           {"name": "Slow one", "tags": "prod", "username": "mp-secret-slow"})
    [made] = Instance.objects.all()
    assert made.name == "Slow one" and made.token  # made, with a live token
    assert response.status_code == 302
    assert response["Location"] == f"/instances/{made.id}/"
    page = flash(admin_http, response)
    assert f"Authenticated Mixpanel: instance “Slow one”, ID {made.id}." in page
    assert "The platform did not answer in time; reading it again showed this." in page
    entry = AuditEntry.objects.get(action="instance.create")
    assert entry.user == team_admin and entry.target == f"#{made.id} Slow one"
    assert "no answer came; when read again, the platform shows it created" in entry.detail
    assert "outcome unknown" not in entry.detail


def test_authenticate_that_made_nothing_is_unknown(admin_http, slow_platform):
    slow("/instances", "POST", refused=True)
    response = submit_form(admin_http, "/elements/mixpanel/authenticate/",
                           {"name": "Lost one", "username": "mp-secret-lost"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "No answer: whether an instance was created is unknown" in page
    assert "no instance made by this submit was found" in page
    assert "Authentication failed: no instance was created" not in page
    assert 'href="/elements/mixpanel/instances/">Mixpanel\'s instances</a>' in page
    assert 'value="Lost one"' in page and "mp-secret-lost" not in page
    assert not Instance.objects.exists()
    entry = AuditEntry.objects.get(action="instance.create")
    assert entry.target == "Lost one"
    assert "outcome unknown" in entry.detail


# --- Update (PATCH) ----------------------------------------------------------------------------

def test_update_shows_the_new_name(admin_http, mixpanel, slow_platform):
    instance = mixpanel(name="Old name", tags=["a"])
    slow(f"/instances/{instance['id']}", "PATCH")
    response = admin_http.post(f"/instances/{instance['id']}/update/",
                               {"name": "New name", "tags": "b, c"})
    stored = Instance.objects.get(pk=instance["id"])
    assert (stored.name, stored.tags) == ("New name", ["b", "c"])
    assert response["Location"] == f"/instances/{instance['id']}/"
    page = flash(admin_http, response)
    assert "Updated the name and tags" in page and "reading it again showed this" in page
    assert "<h1>New name</h1>" in page  # the page shows what the platform holds
    entry = AuditEntry.objects.get(action="instance.update")
    assert "no answer came; when read again, the platform shows the new name and tags" in entry.detail


def test_update_not_seen_is_unknown(admin_http, mixpanel, slow_platform):
    instance = mixpanel(name="Old name", tags=["a"])
    slow(f"/instances/{instance['id']}", "PATCH", refused=True)
    response = admin_http.post(f"/instances/{instance['id']}/update/",
                               {"name": "New name", "tags": "b"})
    update = section(response.content.decode(), "edit-update")
    assert "No answer: whether the name and tags changed is unknown" in update
    assert "still shows the name “Old name”" in update
    assert 'value="New name"' in update  # what was typed stays
    assert Instance.objects.get(pk=instance["id"]).name == "Old name"
    assert "outcome unknown" in AuditEntry.objects.get(action="instance.update").detail


# --- Re-Authenticate (PUT) ----------------------------------------------------------------------

def test_reauthenticate_shows_the_changed_configuration(admin_http, client_api, slow_platform):
    instance, _, prefilled = instance_with_events_off(admin_http, client_api)
    slow(f"/instances/{instance['id']}", "PUT")
    response = admin_http.post(f"/instances/{instance['id']}/reauthenticate/", {
        **prefilled, "event.notification.enabled": "on",
        "event.vendor.type": "webhook", "event.notification.callback.url": "https://hooks.example.com/in",
    })
    stored = Instance.objects.get(pk=instance["id"]).configuration
    assert stored["event.notification.callback.url"] == "https://hooks.example.com/in"
    assert response["Location"] == f"/instances/{instance['id']}/"
    assert "reading it again showed this" in flash(admin_http, response)
    entry = AuditEntry.objects.get(action="instance.reauthenticate")
    assert re.search(r"no answer came; when read again, the platform shows the new configuration: .*"
                     r"event\.notification\.callback\.url", entry.detail)


def test_reauthenticate_of_a_secret_alone_cannot_be_seen(admin_http, mixpanel, slow_platform):
    """The platform never shows a secret back: that the new one was stored cannot be told."""
    instance = mixpanel(secret="mp-old")
    slow(f"/instances/{instance['id']}", "PUT")
    response = admin_http.post(f"/instances/{instance['id']}/reauthenticate/",
                               {"username": "mp-rotated"})
    reauth = section(response.content.decode(), "edit-reauthenticate")
    assert "No answer: whether the configuration changed is unknown" in reauth
    assert "Re-authentication failed: the stored configuration is unchanged" not in reauth
    assert "mp-rotated" not in response.content.decode()
    assert Instance.objects.get(pk=instance["id"]).configuration["username"] == "mp-rotated"
    assert "outcome unknown" in AuditEntry.objects.get(action="instance.reauthenticate").detail


# --- Delete ------------------------------------------------------------------------------------

def test_delete_finds_the_instance_gone(admin_http, client_api, mixpanel, slow_platform, team_admin):
    instance = mixpanel(name="Going slowly")
    slow(f"/instances/{instance['id']}", "DELETE")
    response = admin_http.post(f"/instances/{instance['id']}/delete/",
                               {"next": "/elements/mixpanel/instances/"}, headers={"HX-Request": "true"})
    assert not Instance.objects.filter(pk=instance["id"]).exists()
    assert response["HX-Reswap"] == "delete"  # the card goes
    text = response.content.decode()
    assert f"Deleted instance #{instance['id']} Going slowly: the platform did not answer in time" in text
    entry = AuditEntry.objects.get(action="instance.delete")
    assert entry.user == team_admin and entry.target == f"#{instance['id']} Going slowly"
    assert "no answer came; when read again, the platform shows it deleted" in entry.detail


def test_delete_not_seen_is_unknown(admin_http, mixpanel, slow_platform):
    instance = mixpanel(name="Still here")
    slow(f"/instances/{instance['id']}", "DELETE", refused=True)
    response = admin_http.post(f"/instances/{instance['id']}/delete/",
                               {"next": "/elements/mixpanel/instances/"})
    page = flash(admin_http, response)
    assert f"Whether #{instance['id']} Still here was deleted is unknown" in page
    assert "When read again, the instance still exists" in page
    assert Instance.objects.filter(pk=instance["id"]).exists()
    assert "outcome unknown" in AuditEntry.objects.get(action="instance.delete").detail


# --- Disable and enable ------------------------------------------------------------------------

def test_disable_shows_it_disabled(admin_http, mixpanel, slow_platform):
    instance = mixpanel(name="Paused slowly")
    slow("/instances/enabled", "DELETE")
    response = admin_http.post(f"/instances/{instance['id']}/enabled/", {"enabled": "false"})
    assert Instance.objects.get(pk=instance["id"]).disabled
    page = flash(admin_http, response)
    assert f"Disabled #{instance['id']} Paused slowly" in page and "reading it again showed this" in page
    assert "the platform shows it disabled" in AuditEntry.objects.get(action="instance.disable").detail


def test_enable_not_seen_is_unknown(admin_http, mixpanel, slow_platform):
    instance = mixpanel(name="Still paused")
    Instance.objects.filter(pk=instance["id"]).update(disabled=True)
    slow("/instances/enabled", "PUT", refused=True)
    response = admin_http.post(f"/instances/{instance['id']}/enabled/", {"enabled": "true"})
    page = flash(admin_http, response)
    assert f"Whether instance {instance['id']} was enabled is unknown" in page
    assert "the platform still shows it disabled" in page
    assert Instance.objects.get(pk=instance["id"]).disabled
    assert "outcome unknown" in AuditEntry.objects.get(action="instance.enable").detail
