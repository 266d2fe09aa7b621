"""The sandbox's OAuth calls answer as the platform's do: OAuth1's request token and round trip,
each element's own OAuth URL parameters, and `POST /elements/{key}/oauth/url`.

Plain `requests`, as any Cloud Elements client would call them.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from cloud_elements.oauth_parameters import OAUTH_URL_PARAMETERS
from sandbox.models import Instance

from .test_sandbox_api import assert_platform_error, url

CALLBACK = "http://127.0.0.1:9/cb"
APP = {"apiKey": "my-consumer-key", "apiSecret": "my-consumer-secret", "callbackUrl": CALLBACK}


def consent(page_url: str, decision: str) -> str:
    """The consent page, as a person at the provider uses it: where it sends the browser."""
    page = requests.get(page_url)
    assert page.status_code == 200, page.text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    answer = requests.post(page_url.split("?")[0], data={**form, "decision": decision,
                                                         "csrfmiddlewaretoken": csrf},
                           cookies=page.cookies, headers={"Referer": page_url}, allow_redirects=False)
    assert answer.status_code == 302
    return answer.headers["Location"]


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def twitter_body(provider_data: dict) -> dict:
    return {"element": {"key": "twitter"}, "name": "Tweets", "providerData": provider_data,
            "configuration": {"oauth.api.key": APP["apiKey"], "oauth.api.secret": APP["apiSecret"],
                              "oauth.callback.url": CALLBACK}}


# --- OAuth1 ------------------------------------------------------------------------------

def test_oauth1_round_trip(api):
    """The three steps of `docs/elements/twitter/twitter-create-instance.md` (devportal): GET
    /oauth/token answers {token, secret}; GET /oauth/url takes `requestToken`; the provider calls
    back with `oauth_token` and `oauth_verifier`; POST /instances carries them in `providerData`
    with `secret`, the request token's secret. Churros sends the same names
    (`src/core/provisioner.js`, `oauth1` and `oauth`)."""
    token = api.get(url(api, "/elements/twitter/oauth/token"), params={**APP, "state": "st-1"})
    assert token.status_code == 200, token.text
    assert set(token.json()) == {"token", "secret"}
    request_token, request_secret = token.json()["token"], token.json()["secret"]

    answer = api.get(url(api, "/elements/twitter/oauth/url"),
                     params={**APP, "requestToken": request_token, "state": "st-1"}).json()
    assert answer["element"] == "twitter"
    assert query_of(answer["oauthUrl"])["oauth_token"] == request_token
    assert APP["apiSecret"] not in answer["oauthUrl"] and request_secret not in answer["oauthUrl"]

    back = consent(answer["oauthUrl"], "allow")
    assert back.startswith(CALLBACK + "?")
    given = query_of(back)
    assert given["state"] == "st-1" and given["oauth_token"] == request_token
    verifier = given["oauth_verifier"]

    full = {"oauth_token": request_token, "oauth_verifier": verifier, "secret": request_secret}
    for lacking in ("oauth_token", "oauth_verifier", "secret"):
        refused = assert_platform_error(api.post(url(api, "/instances"), json=twitter_body(
            {k: v for k, v in full.items() if k != lacking})), 400)
        assert "providerData" in refused["message"]
    wrong = assert_platform_error(api.post(url(api, "/instances"), json=twitter_body(
        {**full, "secret": "not-the-secret"})), 400)
    assert wrong["providerMessage"]

    created = api.post(url(api, "/instances"), json=twitter_body(full))
    assert created.status_code == 200, created.text
    stored = Instance.objects.get(pk=created.json()["id"]).configuration
    assert stored["oauth.user.token"] and stored["oauth.user.token.secret"]
    assert created.json()["configuration"]["oauth.user.token.secret"] == "********"
    replay = assert_platform_error(api.post(url(api, "/instances"), json=twitter_body(full)), 400)
    assert "already used" in replay["providerMessage"]


def test_an_oauth1_instance_needs_provider_data(api):
    """Configuration alone does not make an OAuth1 instance: the provider never saw the user."""
    refused = assert_platform_error(api.post(url(api, "/instances"), json=twitter_body({})), 400)
    assert "providerData.oauth_token" in refused["message"]
    assert Instance.objects.count() == 0


def test_oauth1_denied_goes_back_with_denied(api):
    token = api.get(url(api, "/elements/twitter/oauth/token"), params=APP).json()["token"]
    consent_url = api.get(url(api, "/elements/twitter/oauth/url"),
                          params={**APP, "requestToken": token, "state": "st-2"}).json()["oauthUrl"]
    back = query_of(consent(consent_url, "deny"))
    assert back == {"state": "st-2", "denied": token}


def test_oauth_token_is_for_oauth1_elements_only(api):
    """`docs/platform-api/elements/index.md`: "Specifying an element key associated with a
    non-OAuth 1 element will also result in an error"."""
    assert_platform_error(api.get(url(api, "/elements/sfdc/oauth/token"), params=APP), 400)
    assert_platform_error(api.get(url(api, "/elements/nope/oauth/token"), params=APP), 404)
    missing = assert_platform_error(api.get(url(api, "/elements/twitter/oauth/token"),
                                            params={"apiKey": "k", "callbackUrl": CALLBACK}), 400)
    assert "apiSecret" in missing["message"]
    refused = assert_platform_error(api.get(url(api, "/elements/twitter/oauth/token"),
                                            params={**APP, "apiSecret": "invalid"}), 400)
    assert refused["providerMessage"]


def test_oauth1_url_needs_a_request_token_of_its_own(api):
    missing = assert_platform_error(api.get(url(api, "/elements/twitter/oauth/url"), params=APP), 400)
    assert "requestToken" in missing["message"]
    token = api.get(url(api, "/elements/twitter/oauth/token"), params=APP).json()["token"]
    other_app = assert_platform_error(api.get(url(api, "/elements/twitter/oauth/url"), params={
        **APP, "apiKey": "another-app", "requestToken": token}), 400)
    assert "requestToken" in other_app["message"]
    assert_platform_error(api.get(url(api, "/elements/quickbooks/oauth/url"), params={
        **APP, "requestToken": token}), 400)  # issued for Twitter


# --- each element's own parameters ---------------------------------------------------------------

def test_zendesk_needs_its_subdomain_on_the_oauth_url(api):
    """`docs/elements/zendesk/authenticate.md` (devportal): `GET /elements/zendesk/oauth/url?…
    &siteAddress=<zendesk_subdomain>`. The consent URL is built from it, so the sandbox refuses
    the call without it and carries it into the consent page."""
    missing = assert_platform_error(api.get(url(api, "/elements/zendesk/oauth/url"),
                                            params={**APP, "state": "z"}), 400)
    assert "siteAddress" in missing["message"] and "Zendesk subdomain" in missing["message"]
    answer = api.get(url(api, "/elements/zendesk/oauth/url"),
                     params={**APP, "state": "z", "siteAddress": "acme"}).json()
    assert query_of(answer["oauthUrl"])["siteAddress"] == "acme"
    page = requests.get(answer["oauthUrl"]).text
    assert "Zendesk subdomain" in page and "<code>acme</code>" in page


@pytest.mark.parametrize("key", sorted(k for k, ps in OAUTH_URL_PARAMETERS.items()
                                       if any(p.required for p in ps)))
def test_every_element_of_the_table_requires_its_parameters(api, key):
    """Each row of `cloud_elements/oauth_parameters.py` (sources there) is enforced."""
    element = api.get(url(api, f"/elements/{key}")).json()
    params = {**APP, "state": key}
    if element["authentication"]["type"] == "oauth1":
        params["requestToken"] = api.get(url(api, f"/elements/{key}/oauth/token"), params={
            **APP, **{p.query: "x" for p in OAUTH_URL_PARAMETERS[key]}}).json()["token"]
    assert_platform_error(api.get(url(api, f"/elements/{key}/oauth/url"), params=params), 400)
    given = {p.query: f"site-of-{key}" for p in OAUTH_URL_PARAMETERS[key]}
    answer = api.get(url(api, f"/elements/{key}/oauth/url"), params={**params, **given})
    assert answer.status_code == 200, answer.text
    assert f"site-of-{key}" in answer.json()["oauthUrl"]


def test_an_optional_parameter_is_carried_but_not_required(api):
    """`docs/elements/salesforce/salesforce-create-instance.md`: siteAddress is optional for sfdc."""
    plain = api.get(url(api, "/elements/sfdc/oauth/url"), params=APP)
    assert plain.status_code == 200
    sandbox_org = api.get(url(api, "/elements/sfdc/oauth/url"),
                          params={**APP, "siteAddress": "https://test.salesforce.com"}).json()
    assert query_of(sandbox_org["oauthUrl"])["siteAddress"] == "https://test.salesforce.com"


# --- POST /elements/{key}/oauth/url ------------------------------------------------------------

def test_post_oauth_url_with_a_json_body(api):
    """churros `src/test/platform/elements/elements.js`, `testOAuthUrlPost`: `POST
    elements/{key}/oauth/url` with `{apiKey, apiSecret, callbackUrl}` answers 200 with `element`
    and a non-empty `oauthUrl`, as the GET does (`testOAuthUrl`)."""
    body = {"apiKey": "abcdefg", "apiSecret": "1234567", "callbackUrl": "http://localhost:8080",
            "state": "p-1", "scope": "read"}
    posted = api.post(url(api, "/elements/sfdc/oauth/url"), json=body)
    assert posted.status_code == 200, posted.text
    assert posted.json()["element"] == "sfdc"
    got = api.get(url(api, "/elements/sfdc/oauth/url"), params=body).json()
    assert query_of(posted.json()["oauthUrl"]) == query_of(got["oauthUrl"])
    assert query_of(got["oauthUrl"])["state"] == "p-1"

    missing = assert_platform_error(api.post(url(api, "/elements/zendesk/oauth/url"), json=body), 400)
    assert "siteAddress" in missing["message"]
    zendesk = api.post(url(api, "/elements/zendesk/oauth/url"), json={**body, "siteAddress": "acme"})
    assert query_of(zendesk.json()["oauthUrl"])["siteAddress"] == "acme"
    assert_platform_error(api.post(url(api, "/elements/sfdc/oauth/url"), data="apiKey=x",
                                   headers={"Content-Type": "text/plain"}), 415)
    assert_platform_error(api.post(url(api, "/elements/sfdc/oauth/url"), json=["not", "an", "object"]), 400)
    assert_platform_error(api.put(url(api, "/elements/sfdc/oauth/url"), json=body), 405)
