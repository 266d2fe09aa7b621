"""Authenticate: a form built from the element's configuration metadata, the platform's answer,
and the OAuth2 round trip through the sandbox's consent page; admins only."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client

from instances.oauth_session import pending_key
from sandbox.faults import fault_add
from sandbox.models import Instance
from team.models import AuditEntry

CALLBACK = "http://testserver/oauth/callback/"


def _keys(element: dict) -> dict[str, dict]:
    return {c["key"]: c for c in element.get("configuration") or []}


_found: dict[str, str] = {}  # predicate -> element key: the catalog is the same in every test


def element_with(client_api, predicate) -> dict:
    """The first element of the catalog (in full, with its configuration) that fits."""
    if predicate.__name__ in _found:
        return client_api.element_get(_found[predicate.__name__])
    for summary in client_api.element_list():
        element = client_api.element_get(summary["key"])
        if predicate(element):
            _found[predicate.__name__] = element["key"]
            return element
    pytest.fail("no element in the sandbox catalog fits this test")


def rich_element(element: dict) -> bool:
    """A COMBO outside events, a BOOLEAN, and events."""
    types = {c["type"] for c in element["configuration"] if not c["key"].startswith("event.")}
    return {"COMBO", "BOOLEAN"} <= types and "event.notification.enabled" in _keys(element)


def several_entries(element: dict) -> bool:
    return len([c for c in element["configuration"] if not c["key"].startswith("event.")]) >= 3


def oauth_element(element: dict) -> bool:
    return element["authentication"]["type"] == "oauth2" and "oauth.scope" in _keys(element)


def oauth_instance_stored(client_api, *, token: str) -> Instance:
    """An OAuth2 instance authenticated before ("Workspace", app "old-id", scope "read"): made
    straight in the sandbox's store, as no consent round trip is needed to have one."""
    element = element_with(client_api, oauth_element)
    return Instance.objects.create(
        name="Workspace", element_key=element["key"], tags=["a"], token=token,
        configuration={"oauth.api.key": "old-id", "oauth.api.secret": "old-secret", "oauth.scope": "read"})


def field_html(page: str, name: str) -> str:
    match = re.search(rf'<(input|select|textarea)[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert match, f"no input named {name}"
    return match.group(0)


def form_token(http, url: str) -> str:
    """The single-use submit token of the form drawn at `url`."""
    match = re.search(r'name="submit_token" value="([^"]+)"', http.get(url).content.decode())
    assert match, "no submit token in the form"
    return match.group(1)


def submit_form(http, url: str, data: dict, **kwargs):
    """Open the form, as a person does, then submit it with its token."""
    return http.post(url, {**data, "submit_token": form_token(http, url)}, **kwargs)


# --- the form ----------------------------------------------------------------------------

def test_mixpanel_asks_for_its_api_secret(admin_http, sandbox):
    page = admin_http.get("/elements/mixpanel/authenticate/").content.decode()
    assert "<h1>Authenticate Mixpanel</h1>" in page
    secret = field_html(page, "username")
    assert 'type="password"' in secret
    assert 'aria-required="true"' in secret
    assert re.search(r'<label for="id_username">API Secret<span class="required-mark"', page)
    assert 'data-toggle-secret="id_username"' in page  # the show/hide button of app.js
    assert 'type="text"' in field_html(page, "name")
    assert field_html(page, "tags")
    assert "Comma-separated" in page
    assert "<legend>Events</legend>" not in page  # Mixpanel has no events
    assert ">Authenticate</span>" in page


def test_combo_boolean_and_events_come_from_the_metadata(admin_http, client_api):
    element = element_with(client_api, rich_element)
    page = admin_http.get(f"/elements/{element['key']}/authenticate/").content.decode()
    for entry in element["configuration"]:
        if entry["key"].startswith("event.") or entry["hideFromConsole"]:
            continue
        html = field_html(page, entry["key"])
        assert entry["name"] in page
        if entry["type"] == "COMBO":
            assert html.startswith("<select")
            select = page[page.index(html):page.index("</select>", page.index(html))]
            for option in entry["options"]:
                assert f'value="{option["value"]}"' in select
                assert option["description"] in select
        elif entry["type"] == "BOOLEAN":
            assert 'type="checkbox"' in html
            assert ("checked" in html) == (entry["defaultValue"] == "true")
        elif entry["type"] == "PASSWORD":
            assert 'type="password"' in html
        if entry["description"]:
            assert entry["description"] in page
    events = page[page.index("<legend>Events</legend>"):]
    assert 'type="checkbox"' in field_html(events, "event.notification.enabled")
    assert 'value="polling"' in events and 'value="webhook"' in events
    assert field_html(events, "event.notification.callback.url")
    assert field_html(events, "event.poller.refresh_interval")
    assert field_html(events, "event.poller.configuration").startswith("<textarea")
    assert 'type="password"' in field_html(events, "event.notification.signature.key")


def test_hidden_configuration_is_left_out_and_display_order_kept(admin_http, client_api):
    element = element_with(client_api, several_entries)
    page = admin_http.get(f"/elements/{element['key']}/authenticate/").content.decode()
    keys = [c["key"] for c in sorted(element["configuration"], key=lambda c: c["displayOrder"])
            if not c["key"].startswith("event.")]
    positions = [page.index(f'name="{key}"') for key in keys]
    assert positions == sorted(positions)


# --- basic authentication ----------------------------------------------------------------

def test_authenticate_mixpanel(admin_http, client_api, team_admin):
    response = submit_form(admin_http, "/elements/mixpanel/authenticate/",
                           {"name": "Analytics EU", "tags": "prod, eu, prod", "username": "mp-secret-1"})
    [created] = client_api.instance_list()
    assert response.status_code == 302
    assert response["Location"] == f"/instances/{created['id']}/"
    assert created["name"] == "Analytics EU"
    # The platform tags a new instance with its name; a last tag, ours, finds the instance again
    # if the platform's answer never comes (not shown).
    assert created["tags"][:3] == ["Analytics EU", "prod", "eu"] and len(created["tags"]) == 4
    assert created["tags"][3].startswith("dashboard-submit:")
    assert created["element"]["key"] == "mixpanel"
    assert Instance.objects.get(pk=created["id"]).configuration["username"] == "mp-secret-1"

    detail = admin_http.get(response["Location"]).content.decode()
    assert f"Authenticated Mixpanel: instance “Analytics EU”, ID {created['id']}." in detail
    assert "mp-secret-1" not in detail
    assert "dashboard-submit:" not in detail
    entry = AuditEntry.objects.get(action="instance.create")
    assert entry.user == team_admin
    assert entry.target == f"#{created['id']} Analytics EU"
    assert "mp-secret-1" not in entry.detail


def test_authenticate_with_htmx_redirects_the_browser(admin_http, client_api):
    response = submit_form(admin_http, "/elements/mixpanel/authenticate/",
                           {"name": "Via htmx", "username": "mp-secret-2"},
                           headers={"HX-Request": "true"})
    [created] = client_api.instance_list()
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/instances/{created['id']}/"


def test_the_catalog_counts_the_new_instance(admin_http, client_api):
    from catalog.counts import instance_counts

    assert instance_counts() == {}  # cached now
    submit_form(admin_http, "/elements/mixpanel/authenticate/", {"name": "Counted", "username": "x-1"})
    assert instance_counts() == {"mixpanel": 1}


def test_missing_required_fields_are_marked_and_nothing_is_sent(admin_http, client_api):
    hits = fault_add(path_prefix="/instances", method="POST")  # counts the calls, changes nothing
    response = submit_form(admin_http, "/elements/mixpanel/authenticate/", {"name": "", "tags": "a, b"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was sent: check the fields marked below." in page
    assert page.count('class="field-error"') == 2  # name and the API Secret
    assert re.search(r'has-error"[^>]*>\s*<label for="id_username">API Secret', page)
    assert 'value="a, b"' in page
    assert client_api.instance_list() == []
    hits.refresh_from_db()
    assert hits.hits == 0


def test_provider_rejection_keeps_the_form_but_not_the_secret(admin_http, client_api):
    response = submit_form(admin_http, "/elements/mixpanel/authenticate/",
                           {"name": "Refused one", "tags": "prod, eu", "username": "invalid"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Authentication failed: no instance was created" in page
    assert "Mixpanel rejected the credentials" in page
    assert ("<strong>The provider said:</strong> 401 Unauthorized: the API Secret you provided "
            "is not valid.") in page
    assert 'value="Refused one"' in page
    assert 'value="prod, eu"' in page
    assert 'value="invalid"' not in page
    assert re.search(r'<input type="password" name="username"(?![^>]*value=)', page)
    assert "For your safety, secret fields were cleared; enter them again" in page
    assert client_api.instance_list() == []
    assert not AuditEntry.objects.filter(action="instance.create").exists()


def test_an_upstream_502_is_shown_in_words(admin_http, client_api):
    fault_add(path_prefix="/instances", method="POST", status=502, message="Mixpanel is down for maintenance")
    response = submit_form(admin_http, "/elements/mixpanel/authenticate/",
                           {"name": "During the outage", "username": "mp-secret-3"},
                           headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<form method="post"')  # only the form is redrawn
    assert "Mixpanel is down for maintenance" in page
    assert "Status 502" in page
    assert 'value="During the outage"' in page
    assert "mp-secret-3" not in page


def test_events_are_sent_as_the_platform_keys(admin_http, client_api):
    element = element_with(client_api, rich_element)
    data = _filled(element)
    data.update({
        "name": "With events",
        "event.notification.enabled": "on",
        "event.vendor.type": "polling",
        "event.notification.callback.url": "https://hooks.example.com/events",
        "event.poller.refresh_interval": "5",
        "event.poller.configuration": '{"contacts": {"url": "/hubs/crm/contacts"}}',
    })
    response = submit_form(admin_http, f"/elements/{element['key']}/authenticate/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    [created] = client_api.instance_list()
    stored = Instance.objects.get(pk=created["id"]).configuration
    assert stored["event.notification.enabled"] == "true"
    assert stored["event.vendor.type"] == "polling"
    assert stored["event.notification.callback.url"] == "https://hooks.example.com/events"
    assert stored["event.poller.refresh_interval"] == "5"
    assert stored["event.poller.configuration"] == '{"contacts": {"url": "/hubs/crm/contacts"}}'
    assert created["eventsEnabled"] is True


def test_events_need_a_callback_url_and_json(admin_http, client_api):
    element = element_with(client_api, rich_element)
    data = _filled(element)
    data.update({"name": "Bad events", "event.notification.enabled": "on", "event.vendor.type": "polling",
                 "event.poller.configuration": "{contacts: nope"})
    page = submit_form(admin_http, f"/elements/{element['key']}/authenticate/", data).content.decode()
    assert "Events need a callback URL to be sent to." in page
    assert "This is not valid JSON" in page
    assert client_api.instance_list() == []
    # Events off: their settings are not checked, nor sent.
    data["event.notification.enabled"] = ""
    response = submit_form(admin_http, f"/elements/{element['key']}/authenticate/", data)
    assert response.status_code == 302
    stored = Instance.objects.get().configuration
    assert stored["event.notification.enabled"] == "false"
    assert "event.poller.configuration" not in stored


def _filled(element: dict) -> dict:
    """Every required field of an element filled with a plausible value."""
    data = {}
    for entry in element["configuration"]:
        if entry["key"].startswith("event.") or not entry["required"]:
            continue
        if entry["type"] == "COMBO":
            data[entry["key"]] = entry["options"][0]["value"]
        elif entry["type"] == "BOOLEAN":
            data[entry["key"]] = "on"
        else:
            data[entry["key"]] = f"value-{len(data)}"
    return data


# --- OAuth2 -----------------------------------------------------------------------------------

def start_oauth(admin_http, element, *, name="Team workspace", tags="oauth, prod", submit_token=""):
    others = {k: v for k, v in _filled(element).items() if not k.startswith("oauth.")}
    url = f"/elements/{element['key']}/authenticate/"
    response = admin_http.post(url, {
        "name": name, "tags": tags, "oauth.api.key": "app-client-id",
        "oauth.api.secret": "app-client-secret", "oauth.scope": "read write", **others,
        "submit_token": submit_token or form_token(admin_http, url),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    return response["Location"]


def provider_answers(consent_url: str, decision: str) -> str:
    """The sandbox's consent page, as a person at the provider would use it: the redirect back."""
    provider = Client()  # not logged in to the dashboard: the provider is somewhere else
    parts = urlsplit(consent_url)
    page = provider.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200
    assert b">Allow</button>" in page.content
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    answer = provider.post(parts.path, {
        "element": query["element"], "client_id": query["client_id"], "redirect_uri": query["redirect_uri"],
        "state": query["state"], "scope": query.get("scope", ""), "decision": decision,
    })
    assert answer.status_code == 302
    return answer["Location"]


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_oauth_round_trip_creates_the_instance(admin_http, client_api, sandbox, team_admin):
    element = element_with(client_api, oauth_element)
    page = admin_http.get(f"/elements/{element['key']}/authenticate/").content.decode()
    callback = field_html(page, "oauth.callback.url")
    assert f'value="{CALLBACK}"' in callback and "disabled" in callback
    assert f"Continue to {element['name']}" in page

    consent_url = start_oauth(admin_http, element)
    assert consent_url.startswith(f"{sandbox.server_url}/sandbox/oauth/authorize/?")
    query = parse_qs(urlsplit(consent_url).query)
    assert query["redirect_uri"] == [CALLBACK]
    assert query["client_id"] == ["app-client-id"]
    assert query["scope"] == ["read write"]
    state = query["state"][0]
    assert len(state) >= 32
    pending = pending_key(admin_http.session.session_key, state)
    assert cache.get(pending)["element_key"] == element["key"]
    assert client_api.instance_list() == []  # nothing yet: the provider has not answered

    back = provider_answers(consent_url, "allow")
    assert back.startswith(CALLBACK) and f"state={state}" in back and "code=" in back
    response = admin_http.get(local(back))
    [created] = client_api.instance_list()
    assert response.status_code == 302
    assert response["Location"] == f"/instances/{created['id']}/"
    assert created["name"] == "Team workspace"
    assert created["tags"][:3] == ["Team workspace", "oauth", "prod"]
    stored = Instance.objects.get(pk=created["id"]).configuration
    assert stored["oauth.api.key"] == "app-client-id"
    assert stored["oauth.api.secret"] == "app-client-secret"
    assert stored["oauth.callback.url"] == CALLBACK
    detail = admin_http.get(response["Location"]).content.decode()
    assert f"Authenticated {element['name']}: instance “Team workspace”, ID {created['id']}." in detail
    assert cache.get(pending) is None
    assert AuditEntry.objects.get(action="instance.create").detail == f"element {element['key']} (OAuth)"


def test_oauth_with_htmx_sends_the_browser_to_the_provider(admin_http, client_api, sandbox):
    element = element_with(client_api, oauth_element)
    data = {**_filled(element), "name": "x", "oauth.api.key": "k", "oauth.api.secret": "s"}
    response = submit_form(admin_http, f"/elements/{element['key']}/authenticate/", data,
                           headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(f"{sandbox.server_url}/sandbox/oauth/authorize/?")


def test_a_wrong_state_is_refused(admin_http, client_api):
    element = element_with(client_api, oauth_element)
    back = provider_answers(start_oauth(admin_http, element), "allow")
    forged = re.sub(r"state=[^&]+", "state=forged-state", back)
    response = admin_http.get(local(forged))
    assert response.status_code == 400
    assert "This sign-in answer was refused" in response.content.decode()
    assert admin_http.get(local(back.replace("state=", "x="))).status_code == 400  # no state at all
    assert client_api.instance_list() == []


def test_a_replayed_state_is_refused(admin_http, client_api):
    element = element_with(client_api, oauth_element)
    back = provider_answers(start_oauth(admin_http, element), "allow")
    assert admin_http.get(local(back)).status_code == 302
    again = admin_http.get(local(back))
    assert again.status_code == 400
    assert "already used" in again.content.decode()
    assert len(client_api.instance_list()) == 1


def test_another_users_state_is_refused(admin_http, client_api, team_admin):
    element = element_with(client_api, oauth_element)
    back = provider_answers(start_oauth(admin_http, element), "allow")
    other = Client()
    other.force_login(team_admin)  # same person, another browser: not the session that asked
    response = other.get(local(back))
    assert response.status_code == 400
    assert "This sign-in answer was refused" in response.content.decode()
    assert client_api.instance_list() == []


def test_access_denied_goes_back_to_the_form(admin_http, client_api):
    element = element_with(client_api, oauth_element)
    back = provider_answers(start_oauth(admin_http, element, name="Denied one"), "deny")
    assert "error=access_denied" in back
    response = admin_http.get(local(back))
    assert response.status_code == 302
    assert response["Location"] == f"/elements/{element['key']}/authenticate/"
    page = admin_http.get(response["Location"]).content.decode()
    assert "The provider refused: access_denied" in page
    assert 'value="Denied one"' in page  # what was typed is back, the secret is not
    assert "app-client-secret" not in page
    assert client_api.instance_list() == []
    assert admin_http.get(local(back)).status_code == 400  # the state is spent


def test_a_refused_code_shows_the_provider_message(admin_http, client_api):
    element = element_with(client_api, oauth_element)
    consent_url = start_oauth(admin_http, element, name="Code refused")
    back = provider_answers(consent_url, "allow")
    # The provider's code was already used (say, by a double submit elsewhere).
    code = parse_qs(urlsplit(back).query)["code"][0]
    from sandbox.models import OAuthCode

    OAuthCode.objects.filter(code=code).update(used=True)
    response = admin_http.get(local(back))
    assert response["Location"] == f"/elements/{element['key']}/authenticate/"
    page = admin_http.get(response["Location"]).content.decode()
    assert "invalid_grant" in page
    assert 'value="Code refused"' in page
    assert "For your safety, secret fields were cleared; enter them again" in page
    assert client_api.instance_list() == []
