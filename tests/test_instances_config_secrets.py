"""Configuration values on an instance's page: shown only when the element's metadata says they
hold no secret; everything else hidden, and revealed to admins only through an audited POST.

The five keys below are credentials that elements of the catalog declare as plain TEXTFIELD_128
entries (not PASSWORD), which a word list missed."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from cloud_elements.configuration import is_secret, is_shown
from team.models import AuditEntry

BEARER = "Authorization: Bearer live-bearer-9f8e7d"

# element, the key that leaked, its value, and what else the element requires.
CASES = {
    "apim.subscription.key": ("sageone", "apim-sub-key-77aa", {
        "oauth.api.key": "sage-app", "oauth.api.secret": "sage-app-secret",
        "signature.secret": "sig-secret", "country": "GB"}),
    "authorization.code": ("fortnox", "fortnox-auth-code-31", {"client.secret": "fx-secret"}),
    "netsuite.single.session.key": ("netsuiteerpv2", "ns-session-lock-5150", {
        "netsuite.sandbox": "true", "netsuite.accountId": "TSTDRV1", "netsuite.single.session": "true",
        "authentication.type": "TBA", "user.username": "ops@example.com", "user.password": "pw-1",
        "netsuite.appId": "app-1", "consumer_key": "ck-1", "consumer_secret": "cs-1",
        "token_id": "ti-1", "token_secret": "ts-1"}),
    "event.notification.callback.headers": ("bigcommerce", BEARER, {
        "authentication.type": "basic", "oauth.api.key": "bc-key", "oauth.user.token": "bc-token",
        "username": "shop-admin", "password": "bc-password", "store.url": "https://store.example.com"}),
    "filemanagement.provider.access_key": ("amazons3", "AKIAEXAMPLEACCESS1", {
        "filemanagement.provider.secret_key": "s3-secret",
        "filemanagement.provider.bucket_name": "reports-bucket",
        "filemanagement.provider.region_name": "eu-west-1"}),
}


@pytest.fixture
def leaky_instance(client_api, sandbox):
    """Make an instance of the element that holds `key`, through the platform API (an OAuth2
    element through the sandbox's consent page first, as a provider would)."""

    def create(key: str) -> dict:
        element_key, value, required = CASES[key]
        configuration = {**required, key: value}
        provider_data = None
        if element_key == "sageone":
            callback = f"{sandbox.server_url}/oauth/callback"
            consent = Client().post("/sandbox/oauth/authorize/", {
                "element": element_key, "client_id": required["oauth.api.key"],
                "redirect_uri": callback, "state": "s", "decision": "allow"})
            code = parse_qs(urlsplit(consent["Location"]).query)["code"][0]
            configuration["oauth.callback.url"] = callback
            provider_data = {"code": code}
        return client_api.instance_create(element_key=element_key, name=f"Leak {key}",
                                          configuration=configuration, tags=[],
                                          provider_data=provider_data)

    return create


@pytest.mark.parametrize("key", list(CASES))
def test_a_viewer_never_sees_the_credential(viewer_http, leaky_instance, key):
    instance = leaky_instance(key)
    response = viewer_http.get(f"/instances/{instance['id']}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert CASES[key][1] not in text
    assert "live-bearer" not in text
    assert key in text  # the row is there, its value hidden
    assert "Reveal" not in text  # and viewers are offered no reveal
    refused = viewer_http.post(f"/instances/{instance['id']}/configuration/reveal/", {"key": key})
    assert refused.status_code == 403
    assert CASES[key][1] not in refused.content.decode()
    assert not AuditEntry.objects.filter(action="configuration.view").exists()


@pytest.mark.parametrize("key", list(CASES))
def test_an_admin_reveals_it_with_htmx_and_it_is_audited(admin_http, team_admin, leaky_instance, key):
    instance = leaky_instance(key)
    page = admin_http.get(f"/instances/{instance['id']}/").content.decode()
    assert CASES[key][1] not in page
    assert f'aria-label="Reveal {key}"' in page
    response = admin_http.post(f"/instances/{instance['id']}/configuration/reveal/", {"key": key},
                               headers={"HX-Request": "true"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in text
    assert CASES[key][1].split(": ")[-1] in text
    assert 'hx-trigger="load delay:60s"' in text
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="configuration.view")
    assert entry.user == team_admin
    assert entry.target == f"#{instance['id']} Leak {key}"
    assert key in entry.detail
    assert CASES[key][1] not in entry.detail


def test_without_javascript_the_reveal_renders_the_page_with_that_value(admin_http, leaky_instance):
    instance = leaky_instance("filemanagement.provider.access_key")
    response = admin_http.post(f"/instances/{instance['id']}/configuration/reveal/",
                               {"key": "filemanagement.provider.access_key"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" in text
    assert "AKIAEXAMPLEACCESS1" in text
    assert "s3-secret" not in text  # the others stay hidden (PASSWORD: the platform masks it)
    assert "reports-bucket" in text  # a plain setting is shown as before


def test_hide_and_get_never_reveal(admin_http, leaky_instance):
    instance = leaky_instance("authorization.code")
    url = f"/instances/{instance['id']}/configuration/reveal/?key=authorization.code"
    hidden = admin_http.get(url, headers={"HX-Request": "true"})
    assert hidden.status_code == 200
    assert "fortnox-auth-code-31" not in hidden.content.decode()
    assert "Reveal" in hidden.content.decode()
    assert admin_http.get(url).status_code == 302
    assert not AuditEntry.objects.filter(action="configuration.view").exists()


def test_an_unknown_key_reveals_nothing(admin_http, leaky_instance):
    instance = leaky_instance("authorization.code")
    response = admin_http.post(f"/instances/{instance['id']}/configuration/reveal/", {"key": "nope"})
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="configuration.view").exists()


def test_the_rule_is_the_safe_way_round():
    assert not is_shown("store.url", "", "https://x")  # metadata silent: hidden
    assert not is_shown("instance.variables", "CODE_EDITOR", "{}")  # a kind we do not trust
    assert not is_shown("custom.headers", "TEXTFIELD_128", "x")
    assert not is_shown("webhook.target", "TEXTFIELD_1000", "Bearer abc.def")  # the value says so
    assert not is_shown("accessKeyId", "TEXTFIELD_128", "AKIA")
    assert is_shown("store.url", "TEXTFIELD_128", "https://store.example.com")
    assert is_shown("event.notification.enabled", "BOOLEAN", "true")
    assert is_shown("AppID", "TEXTFIELD_128", "app-1")
    for key in CASES:
        assert is_secret(key, "TEXTFIELD_128")
