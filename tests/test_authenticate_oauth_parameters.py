"""Elements whose OAuth URL call needs more than the app's key, secret and callback: the form asks
for the value and the dashboard sends it (`cloud_elements/oauth_parameters.py` has each source).

Zendesk: devportal `docs/elements/zendesk/authenticate.md`, `GET /elements/zendesk/oauth/url?…
&siteAddress=<zendesk_subdomain>`; its configuration entry is `zendesk.subdomain`.
Desk.com, an OAuth1 element: `docs/elements/desk/desk-create-instance.md`, `siteAddress` on both
`/oauth/token` and `/oauth/url`, and no configuration entry for it.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sandbox.models import Instance

from .test_authenticate import submit_form
from .test_authenticate_oauth1 import local, provider_answers


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


APP = {"name": "Support", "oauth.api.key": "zd-client", "oauth.api.secret": "zd-secret"}
ZENDESK = "/elements/zendesk/authenticate/"


def test_zendesk_asks_for_its_subdomain_and_sends_it(admin_http, client_api, sandbox):
    page = admin_http.get("/elements/zendesk/authenticate/").content.decode()
    assert "Zendesk Subdomain" in page
    assert "acme for https://acme.zendesk.com" in page  # what to type, from the table

    missing = submit_form(admin_http, "/elements/zendesk/authenticate/", APP)
    assert missing.status_code == 200
    assert "Nothing was sent: check the fields marked below." in missing.content.decode()

    response = submit_form(admin_http, ZENDESK, {**APP, "zendesk.subdomain": "acme"})
    assert response.status_code == 302
    consent_url = response["Location"]
    assert query_of(consent_url)["siteAddress"] == "acme"
    consent = admin_http.get(local(consent_url)).content.decode()
    assert "<code>acme</code>" in consent  # the provider's page is acme's

    back = provider_answers(consent_url, "allow")
    admin_http.get(local(back))
    [created] = client_api.instance_list()
    assert Instance.objects.get(pk=created["id"]).configuration["zendesk.subdomain"] == "acme"


def test_a_parameter_without_a_configuration_entry_gets_a_field_of_its_own(admin_http, client_api):
    page = admin_http.get("/elements/desk/authenticate/").content.decode()
    assert 'name="oauth_url__siteAddress"' in page and "Desk.com site address" in page
    response = submit_form(admin_http, "/elements/desk/authenticate/", {
        **APP, "oauth_url__siteAddress": "targetcompany"})
    assert response.status_code == 302
    consent = query_of(response["Location"])
    assert consent["siteAddress"] == "targetcompany" and consent["oauth_token"]  # OAuth1: a request token
    back = provider_answers(response["Location"], "allow")
    admin_http.get(local(back))
    [created] = client_api.instance_list()
    # Only sent on the OAuth URL call: the platform's configuration has no such key.
    assert "oauth_url__siteAddress" not in Instance.objects.get(pk=created["id"]).configuration
    assert "siteAddress" not in Instance.objects.get(pk=created["id"]).configuration


def test_reauthenticate_asks_for_the_subdomain_again_prefilled(admin_http, client_api):
    response = submit_form(admin_http, ZENDESK, {**APP, "zendesk.subdomain": "acme"})
    admin_http.get(local(provider_answers(response["Location"], "allow")))
    [created] = client_api.instance_list()
    page = admin_http.get(f"/instances/{created['id']}/edit/").content.decode()
    assert 'value="acme"' in page
    again = admin_http.post(f"/instances/{created['id']}/reauthenticate/", {
        "oauth.api.key": "zd-client", "oauth.api.secret": "zd-secret",
        "zendesk.subdomain": "acme-eu"})
    assert query_of(again["Location"])["siteAddress"] == "acme-eu"
