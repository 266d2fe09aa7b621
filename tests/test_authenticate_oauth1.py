"""Authenticate and Re-Authenticate an OAuth1 element (Twitter) through the sandbox's consent page:
request token, consent URL, the provider's `oauth_token` and `oauth_verifier`, and the instance.

The steps and names are the platform's: devportal `docs/elements/twitter/twitter-create-instance.md`
(`GET /elements/{key}/oauth/token` → `{token, secret}`; `GET /oauth/url?requestToken=`; callback
`?oauth_token=&oauth_verifier=`; `POST /instances` with `providerData: {oauth_token,
oauth_verifier, secret}`), as churros' `src/core/provisioner.js` (`oauth1`, `oauth`) sends them.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client

from instances.oauth_session import pending_key
from sandbox.models import Instance, OAuthRequestToken
from team.models import AuditEntry
from tests.test_authenticate import submit_form

CALLBACK = "http://testserver/oauth/callback/"
SECRET = "consumer-secret-42"


def provider_answers(consent_url: str, decision: str) -> str:
    """The consent page, as a person at the provider uses it (not logged in to the dashboard)."""
    provider = Client()
    parts = urlsplit(consent_url)
    page = provider.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200, page.content[:500]
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.content.decode()))
    answer = provider.post(parts.path, {**form, "decision": decision})
    assert answer.status_code == 302
    return answer["Location"]


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def start_twitter(admin_http, *, name="Brand account", secret=SECRET) -> str:
    response = submit_form(admin_http, "/elements/twitter/authenticate/", {
        "name": name, "tags": "social", "oauth.api.key": "consumer-key", "oauth.api.secret": secret,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    return response["Location"]


def test_twitter_goes_through_the_oauth1_round_trip(admin_http, client_api, sandbox, team_admin, caplog):
    caplog.set_level(logging.DEBUG)
    page = admin_http.get("/elements/twitter/authenticate/").content.decode()
    assert "Continue to Twitter" in page
    assert "request token" in page  # "What happens" says how OAuth 1 goes

    consent_url = start_twitter(admin_http)
    assert consent_url.startswith(f"{sandbox.server_url}/sandbox/oauth/authorize/?")
    request_token = query_of(consent_url)["oauth_token"]
    issued = OAuthRequestToken.objects.get(token=request_token)
    assert issued.api_key == "consumer-key" and issued.callback_url == CALLBACK
    state = issued.state
    pending = cache.get(pending_key(admin_http.session.session_key, state))
    assert pending["request_token"] == request_token and pending["request_secret"] == issued.secret
    assert client_api.instance_list() == []  # the provider has not answered yet

    back = provider_answers(consent_url, "allow")
    assert back.startswith(CALLBACK)
    verifier = query_of(back)["oauth_verifier"]
    response = admin_http.get(local(back))
    [created] = client_api.instance_list()
    assert response["Location"] == f"/instances/{created['id']}/"
    # The platform's name tag first, then the team's, then our create tag.
    assert created["name"] == "Brand account" and created["tags"][:2] == ["Brand account", "social"]
    stored = Instance.objects.get(pk=created["id"]).configuration
    assert stored["oauth.api.key"] == "consumer-key" and stored["oauth.api.secret"] == SECRET
    assert stored["oauth.callback.url"] == CALLBACK
    assert stored["oauth.user.token"]  # what the exchange gave the platform
    assert OAuthRequestToken.objects.get(token=request_token).used
    assert cache.get(pending_key(admin_http.session.session_key, state)) is None

    detail = admin_http.get(response["Location"]).content.decode()
    assert f"Authenticated Twitter: instance “Brand account”, ID {created['id']}." in detail
    audit = AuditEntry.objects.get(action="instance.create")
    assert audit.detail == "element twitter (OAuth)"
    for secret in (SECRET, issued.secret, verifier):
        assert secret not in detail and secret not in caplog.text
        assert secret not in f"{audit.target} {audit.detail}"


def test_the_callback_finds_its_round_trip_by_the_request_token(admin_http, client_api):
    """A provider that sends only `oauth_token` and `oauth_verifier` back, without our state."""
    back = provider_answers(start_twitter(admin_http), "allow")
    without_state = {k: v for k, v in query_of(back).items() if k != "state"}
    response = admin_http.get("/oauth/callback/?" + "&".join(f"{k}={v}" for k, v in without_state.items()))
    assert response.status_code == 302
    assert len(client_api.instance_list()) == 1
    assert admin_http.get(local(back)).status_code == 400  # spent


def test_a_verifier_for_another_request_token_is_refused(admin_http, client_api):
    back = provider_answers(start_twitter(admin_http), "allow")
    forged = re.sub(r"oauth_token=[^&]+", "oauth_token=someone-elses", back)
    response = admin_http.get(local(forged))
    assert response["Location"] == "/elements/twitter/authenticate/"
    page = admin_http.get(response["Location"]).content.decode()
    assert "The provider refused" in page
    assert client_api.instance_list() == []


def test_denied_goes_back_to_the_form(admin_http, client_api):
    back = provider_answers(start_twitter(admin_http, name="Denied"), "deny")
    assert "denied=" in back
    response = admin_http.get(local(back))
    assert response["Location"] == "/elements/twitter/authenticate/"
    page = admin_http.get(response["Location"]).content.decode()
    assert "The provider refused: access_denied" in page
    assert 'value="Denied"' in page and SECRET not in page
    assert client_api.instance_list() == []


def test_the_platform_refusing_the_exchange_is_shown(admin_http, client_api):
    """The platform checks providerData; a spent request token comes back as its message."""
    consent_url = start_twitter(admin_http, name="Spent")
    back = provider_answers(consent_url, "allow")
    OAuthRequestToken.objects.filter(token=query_of(consent_url)["oauth_token"]).update(used=True)
    response = admin_http.get(local(back))
    page = admin_http.get(response["Location"]).content.decode()
    assert "Twitter did not accept the authorization" in page
    assert "already used" in page  # the provider's message
    assert 'value="Spent"' in page
    assert client_api.instance_list() == []


def test_a_refused_consumer_secret_keeps_the_form(admin_http, client_api):
    response = submit_form(admin_http, "/elements/twitter/authenticate/", {
        "name": "Bad app", "oauth.api.key": "consumer-key", "oauth.api.secret": "invalid"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Failed to get an OAuth request token from Twitter" in page
    assert 'value="Bad app"' in page
    assert client_api.instance_list() == []


@pytest.fixture
def twitter_instance(admin_http):
    back = provider_answers(start_twitter(admin_http, name="Brand account"), "allow")
    return int(admin_http.get(local(back))["Location"].strip("/").split("/")[-1])


def test_reauthenticate_goes_through_the_round_trip_again(admin_http, client_api, twitter_instance):
    before = Instance.objects.get(pk=twitter_instance).configuration["oauth.user.token"]
    page = admin_http.get(f"/instances/{twitter_instance}/edit/").content.decode()
    assert "consent page once more" in page
    response = admin_http.post(f"/instances/{twitter_instance}/reauthenticate/", {
        "oauth.api.key": "consumer-key", "oauth.api.secret": "new-secret"})
    assert response.status_code == 302
    consent_url = response["Location"]
    assert query_of(consent_url)["oauth_token"]
    assert Instance.objects.get(pk=twitter_instance).configuration["oauth.api.secret"] == SECRET  # not yet

    back = provider_answers(consent_url, "allow")
    done = admin_http.get(local(back))
    assert done["Location"] == f"/instances/{twitter_instance}/"
    stored = Instance.objects.get(pk=twitter_instance).configuration
    assert stored["oauth.api.secret"] == "new-secret"
    assert stored["oauth.user.token"] != before  # a new access token from the new exchange
    assert AuditEntry.objects.filter(action="instance.reauthenticate").get().detail.endswith("; OAuth")


def test_quickbooks_company_from_the_callback_reaches_the_platform(admin_http, client_api):
    """QuickBooks' callback adds the company's `realmId` and `dataSource`, which `POST /instances`
    carries in `providerData` (devportal `docs/elements/quickbooksonline/authenticate.md`, OAuth 1.0
    section; churros forwards them too)."""
    element = client_api.element_get("quickbooks")
    typed = {c["key"]: "typed" for c in element["configuration"]
             if c["required"] and not c["key"].startswith(("oauth.api.", "oauth.callback.", "event."))
             and c["key"] not in ("oauth.user.token", "oauth.user.token.secret")}
    response = submit_form(admin_http, "/elements/quickbooks/authenticate/", {
        "name": "Books", "oauth.api.key": "qb-consumer", "oauth.api.secret": "qb-secret", **typed})
    assert response.status_code == 302, response.content.decode()[:3000]
    back = provider_answers(response["Location"], "allow")
    realm = query_of(back)["realmId"]
    admin_http.get(local(back))
    [created] = client_api.instance_list()
    stored = Instance.objects.get(pk=created["id"]).configuration
    assert stored["quickbooks.realm.id"] == realm
    assert stored["quickbooks.dataSource"] == query_of(back)["dataSource"]
