"""Edit: Update name and tags (PATCH, nothing sent to the provider) and Re-Authenticate (PUT, the
configuration checked again; a secret left blank keeps its stored value); admins only."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from django.test import Client

from sandbox.faults import fault_add
from sandbox.models import Instance
from team.accounts import user_create
from team.models import AuditEntry
from tests.test_authenticate import element_with, local, oauth_instance_stored, provider_answers, rich_element


def field(page: str, name: str) -> str:
    return re.search(rf'<(input|select|textarea)[^>]*name="{re.escape(name)}"[^>]*>', page).group(0)


def section(page: str, section_id: str) -> str:
    start = page.index(f'id="{section_id}"')
    return page[start:page.index("</section>", start)]


def test_the_edit_page_has_two_separate_sections(admin_http, mixpanel):
    instance = mixpanel(name="Reporting EU", tags=["prod", "eu"], secret="mp-stored-secret")
    response = admin_http.get(f"/instances/{instance['id']}/edit/")
    page = response.content.decode()
    assert response.status_code == 200
    update = section(page, "edit-update")
    assert "Update name and tags" in update
    # The platform tags a new instance with its own name as well.
    assert 'value="Reporting EU"' in update and 'value="Reporting EU, prod, eu"' in update
    assert ">Update</span>" in update
    assert 'name="username"' not in update
    reauth = section(page, "edit-reauthenticate")
    assert "sends the configuration to the provider again" in reauth
    assert ">Re-Authenticate</span>" in reauth
    assert re.search(r'<input type="password" name="username"(?![^>]*value=)', reauth)
    assert "type each secret again" in reauth
    assert "Leave blank to keep the stored value." not in reauth
    assert 'name="name"' not in reauth
    assert "********" not in page
    assert "mp-stored-secret" not in page


def test_update_changes_name_and_tags_only(admin_http, mixpanel, team_admin):
    instance = mixpanel()
    before = Instance.objects.get(pk=instance["id"])
    response = admin_http.post(f"/instances/{instance['id']}/update/",
                               {"name": "Reporting (renamed)", "tags": "prod, us"})
    assert response.status_code == 302
    assert response["Location"] == f"/instances/{instance['id']}/"
    after = Instance.objects.get(pk=instance["id"])
    assert (after.name, after.tags) == ("Reporting (renamed)", ["prod", "us"])
    assert after.configuration == before.configuration
    assert after.token == before.token
    detail = admin_http.get(response["Location"]).content.decode()
    assert f"Updated the name and tags of instance ID {instance['id']}" in detail
    entry = AuditEntry.objects.get(action="instance.update")
    assert entry.user == team_admin and entry.target == f"#{instance['id']} Reporting (renamed)"


def test_update_with_htmx_and_a_blank_name(admin_http, mixpanel):
    instance = mixpanel()
    response = admin_http.post(f"/instances/{instance['id']}/update/",
                               {"name": " ", "tags": "x"},
                               headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="card edit-section" id="edit-update"')
    assert "This field is required." in page
    assert Instance.objects.get(pk=instance["id"]).name == "Reporting"
    ok = admin_http.post(f"/instances/{instance['id']}/update/",
                         {"name": "New", "tags": ""}, headers={"HX-Request": "true"})
    assert ok["HX-Redirect"] == f"/instances/{instance['id']}/"
    assert Instance.objects.get(pk=instance["id"]).tags == []


def test_a_failed_update_keeps_what_was_typed(admin_http, mixpanel):
    instance = mixpanel()
    fault_add(path_prefix=f"/instances/{instance['id']}", method="PATCH", status=409,
              message="The instance is being changed by someone else")
    response = admin_http.post(f"/instances/{instance['id']}/update/",
                               {"name": "Typed name", "tags": "a, b"})
    update = section(response.content.decode(), "edit-update")
    assert "The update failed: nothing was changed" in update
    assert "The instance is being changed by someone else" in update
    assert 'value="Typed name"' in update and 'value="a, b"' in update
    assert Instance.objects.get(pk=instance["id"]).name == "Reporting"
    assert not AuditEntry.objects.filter(action="instance.update").exists()


def test_reauthenticate_asks_for_a_stored_secret_again(admin_http, mixpanel):
    """Whether a PUT keeps a configuration key it leaves out is not in the platform's documentation
    (devportal docs/platform-api/instances/index.md shows a PUT of name and tags only; churros,
    src/test/platform/elements/instances.js, PUTs the whole configuration), so the dashboard does
    not rely on it: the secret is typed again, and a blank one is refused with the words why."""
    instance = mixpanel(tags=["prod"], secret="mp-stored-secret")
    response = admin_http.post(f"/instances/{instance['id']}/reauthenticate/",
                               {"username": ""})
    assert response.status_code == 200
    assert "This field is required." in section(response.content.decode(), "edit-reauthenticate")
    assert Instance.objects.get(pk=instance["id"]).configuration["username"] == "mp-stored-secret"


def test_reauthenticate_refuses_the_mask_as_a_secret(admin_http, mixpanel):
    """The mask is how the platform hides a secret; sent back, the platform would store it."""
    instance = mixpanel(secret="mp-stored-secret")
    response = admin_http.post(f"/instances/{instance['id']}/reauthenticate/",
                               {"username": "********"})
    assert response.status_code == 200
    assert "Type the secret itself" in response.content.decode()
    assert Instance.objects.get(pk=instance["id"]).configuration["username"] == "mp-stored-secret"


def test_reauthenticate_sends_the_secret_again(admin_http, client_api, team_admin, mixpanel):
    instance = mixpanel(tags=["prod"], secret="mp-stored-secret")
    response = admin_http.post(f"/instances/{instance['id']}/reauthenticate/",
                               {"username": "mp-stored-secret"})
    assert response.status_code == 302
    stored = Instance.objects.get(pk=instance["id"])
    assert stored.configuration["username"] == "mp-stored-secret"
    assert stored.name == "Reporting" and stored.tags == ["Reporting", "prod"]
    # The instance still works with its token.
    answer = client_api.resource_call(instance["token"], "GET", "/hubs/general/users")
    assert answer.status == 200
    detail = admin_http.get(response["Location"]).content.decode()
    assert (f"Re-authenticated “Reporting” (ID {instance['id']}): "
            "Mixpanel accepted the configuration.") in detail
    entry = AuditEntry.objects.get(action="instance.reauthenticate")
    assert entry.user == team_admin
    assert "mp-stored-secret" not in entry.detail


def test_reauthenticate_with_a_new_secret(admin_http, mixpanel):
    instance = mixpanel()
    admin_http.post(f"/instances/{instance['id']}/reauthenticate/",
                    {"username": "rotated"})
    assert Instance.objects.get(pk=instance["id"]).configuration["username"] == "rotated"


def test_reauthenticate_refused_by_the_provider(admin_http, mixpanel):
    instance = mixpanel(secret="mp-stored-secret")
    response = admin_http.post(f"/instances/{instance['id']}/reauthenticate/",
                               {"username": "invalid"})
    page = response.content.decode()
    assert response.status_code == 200
    reauth = section(page, "edit-reauthenticate")
    assert "Re-authentication failed: the stored configuration is unchanged" in reauth
    assert "401 Unauthorized: the API Secret you provided is not valid." in reauth
    assert 'value="invalid"' not in page
    assert "For your safety, secret fields were cleared; enter them again" in reauth
    assert 'value="Reporting"' in section(page, "edit-update")  # the other form is untouched
    assert Instance.objects.get(pk=instance["id"]).configuration["username"] == "mp-stored-secret"
    assert not AuditEntry.objects.filter(action="instance.reauthenticate").exists()


def test_reauthenticate_during_an_outage(admin_http, mixpanel):
    instance = mixpanel()
    fault_add(path_prefix=f"/instances/{instance['id']}", method="PUT", status=502,
              message="Mixpanel is not answering")
    response = admin_http.post(f"/instances/{instance['id']}/reauthenticate/",
                               {"username": "new-one"},
                               headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="card edit-section" id="edit-reauthenticate"')
    assert "Mixpanel is not answering" in page and "Status 502" in page
    assert "new-one" not in page


def instance_with_events_off(admin_http, client_api) -> tuple[dict, str, dict]:
    """An instance of an element with events, events off: its JSON, its edit page, and what the
    browser sends back of the Re-Authenticate form (the prefilled values, secrets typed again)."""
    element = element_with(client_api, rich_element)
    configuration = {c["key"]: (c["options"][0]["value"] if c["type"] == "COMBO" else "value")
                     for c in element["configuration"] if c["required"] and not c["key"].startswith("event.")}
    instance = client_api.instance_create(element_key=element["key"], name="Events later",
                                          configuration=configuration)
    page = admin_http.get(f"/instances/{instance['id']}/edit/").content.decode()
    assert any('type="password"' in field(page, k) for k in configuration)  # a secret to type again
    return instance, page, configuration


def test_events_are_prefilled_and_can_be_switched_on(admin_http, client_api):
    instance, page, prefilled = instance_with_events_off(admin_http, client_api)
    assert "<legend>Events</legend>" in page
    assert not re.search(r'name="event.notification.enabled"[^>]*checked', page)
    response = admin_http.post(f"/instances/{instance['id']}/reauthenticate/", {
        **prefilled,
        "event.notification.enabled": "on", "event.vendor.type": "webhook",
        "event.notification.callback.url": "https://hooks.example.com/in",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Instance.objects.get(pk=instance["id"]).configuration
    assert stored["event.notification.enabled"] == "true"
    assert stored["event.vendor.type"] == "webhook"
    assert stored["event.notification.callback.url"] == "https://hooks.example.com/in"
    page = admin_http.get(f"/instances/{instance['id']}/edit/").content.decode()
    assert re.search(r'name="event.notification.enabled"[^>]*checked', page)
    assert 'value="https://hooks.example.com/in"' in page


def test_reauthenticate_an_oauth2_instance_through_the_provider(admin_http, client_api):
    instance = oauth_instance_stored(client_api, token="t-oauth-edit")
    page = admin_http.get(f"/instances/{instance.id}/edit/").content.decode()
    assert "You go through" in page
    response = admin_http.post(f"/instances/{instance.id}/reauthenticate/", {
        "oauth.api.key": "new-id", "oauth.api.secret": "new-secret",
        "oauth.scope": "read write"})
    assert response.status_code == 302, re.findall(r'field-error[^>]*>([^<]*)', response.content.decode())
    consent = response["Location"]
    assert parse_qs(urlsplit(consent).query)["client_id"] == ["new-id"]
    back = provider_answers(consent, "allow")
    done = admin_http.get(local(back))
    assert done["Location"] == f"/instances/{instance.id}/"
    instance.refresh_from_db()
    assert instance.configuration["oauth.api.key"] == "new-id"
    assert instance.configuration["oauth.api.secret"] == "new-secret"
    assert AuditEntry.objects.get(action="instance.reauthenticate").detail.endswith("; OAuth")


def test_an_oauth_reauthentication_keeps_a_rename_made_meanwhile(admin_http, client_api):
    """Admin A starts an OAuth Re-Authenticate, admin B renames the instance, then A allows at the
    provider: A's callback changes the configuration only, and B's name and tags stay."""
    instance = oauth_instance_stored(client_api, token="t-oauth-race")
    consent = admin_http.post(f"/instances/{instance.id}/reauthenticate/", {
        "oauth.api.key": "new-id", "oauth.api.secret": "new-secret",
        "oauth.scope": "read write"})["Location"]
    admin_b = Client()
    admin_b.force_login(user_create(username="bianca", password="x-password-1", admin=True))
    renamed = admin_b.post(f"/instances/{instance.id}/update/",
                           {"name": "Renamed by B", "tags": "b-tag"})
    assert renamed.status_code == 302

    done = admin_http.get(local(provider_answers(consent, "allow")))
    assert done["Location"] == f"/instances/{instance.id}/"
    instance.refresh_from_db()
    assert (instance.name, instance.tags) == ("Renamed by B", ["b-tag"])
    assert instance.configuration["oauth.api.key"] == "new-id"
    detail = admin_http.get(done["Location"]).content.decode()
    assert f"Re-authenticated “Renamed by B” (ID {instance.id})" in detail
def test_the_edit_page_reads_the_instance_and_its_element_once_each(admin_http, mixpanel):
    instance = mixpanel(name="Read once")
    instance_reads = fault_add(path_prefix=f"/instances/{instance['id']}", method="GET")
    element_reads = fault_add(path_prefix="/elements/mixpanel", method="GET")
    assert admin_http.get(f"/instances/{instance['id']}/edit/").status_code == 200
    instance_reads.refresh_from_db()
    element_reads.refresh_from_db()
    assert (instance_reads.hits, element_reads.hits) == (1, 1)


def test_an_element_that_cannot_be_read_is_an_error_in_the_page(admin_http, mixpanel):
    instance = mixpanel(name="Orphan")
    fault_add(path_prefix="/elements/mixpanel", method="GET", status=404, message="No element here")
    page = admin_http.get(f"/instances/{instance['id']}/edit/")
    assert page.status_code == 502
    assert "No element here" in page.content.decode()


def test_update_and_reauthenticate_each_post_to_their_own_url(admin_http, mixpanel):
    """No JavaScript needed: each form of the Edit page posts to its own action."""
    instance = mixpanel()
    page = admin_http.get(f"/instances/{instance['id']}/edit/").content.decode()
    assert f'action="/instances/{instance["id"]}/update/"' in section(page, "edit-update")
    assert f'action="/instances/{instance["id"]}/reauthenticate/"' in section(page, "edit-reauthenticate")
    assert admin_http.get(f"/instances/{instance['id']}/update/").status_code == 405
