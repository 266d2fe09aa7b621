"""OAuth as the platform serves it: the consent URL (OAuth1 and OAuth2, with each element's own
parameters), OAuth1 request tokens, and what `POST /instances` redeems.

Sources (Cloud Elements' documentation, repository `cloud-elements/devportal`):
- `docs/platform-api/elements/index.md`: `GET /elements/{key}/oauth/url` answers
  `{"oauthUrl", "element"}`; `GET /elements/{key}/oauth/token` answers `{"token", "secret"}` and
  refuses an element that is not OAuth1.
- `docs/elements/twitter/twitter-create-instance.md`: the OAuth1 round trip; the provider calls back
  with `oauth_token` and `oauth_verifier`, and `POST /instances` carries
  `providerData: {"oauth_token", "oauth_verifier", "secret"}` (the request token's secret).
- churros `src/test/platform/elements/elements.js` (`testOAuthUrlPost`): `POST
  /elements/{key}/oauth/url` with a JSON body of the same names answers as the GET does.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import transaction

from cloud_elements.oauth_parameters import missing_parameters, oauth_url_parameters

from .api import ApiError
from .models import OAuthRequestToken

INVALID_SECRET = "invalid"
# Where the exchanged OAuth1 access token is kept in the instance's configuration, as the
# platform's own answer shows it (twitter-create-instance.md).
ACCESS_TOKEN_KEY = "oauth.user.token"
ACCESS_SECRET_KEY = "oauth.user.token.secret"
ACCESS_KEYS = frozenset({ACCESS_TOKEN_KEY, ACCESS_SECRET_KEY})
# What QuickBooks sends back with the verifier, and where the instance keeps it
# (docs/elements/quickbooksonline/authenticate.md: providerData `realmId`, `dataSource`).
CALLBACK_EXTRAS = {"quickbooks": {"realmId": "quickbooks.realm.id", "dataSource": "quickbooks.dataSource"}}


def exchanged_keys(element: dict) -> frozenset[str]:
    """Configuration keys the OAuth1 exchange fills in, not the caller."""
    if auth_type(element) != "oauth1":
        return frozenset()
    return ACCESS_KEYS | frozenset(CALLBACK_EXTRAS.get(element["key"], {}).values())


def auth_type(element: dict) -> str:
    return element["authentication"]["type"]


def with_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def call_parameters(query: Any, body: Any) -> dict[str, str]:
    """The call's parameters: the query string, and for a POST its JSON object on top."""
    params = {k: str(v) for k, v in query.items()}
    if body:
        if not isinstance(body, dict):
            raise ApiError(400, "The request body must be a JSON object of OAuth parameters.")
        params.update({str(k): "" if v is None else str(v) for k, v in body.items()})
    return params


def _app(params: dict[str, str], element: dict) -> None:
    for name in ("apiKey", "apiSecret", "callbackUrl"):
        if not params.get(name, "").strip():
            raise ApiError(400, f"Missing required parameter '{name}'.")
    if not params["callbackUrl"].startswith(("http://", "https://")):
        raise ApiError(400, "Invalid 'callbackUrl': it must be an http or https URL.")
    missing = missing_parameters(element["key"], params)
    if missing:
        names = ", ".join(f"'{p.query}' ({p.label})" for p in missing)
        raise ApiError(400, f"Missing required parameter {names} for element '{element['key']}': "
                            f"its provider's consent URL is built from it.")


def _site_parameters(element: dict, params: dict[str, str]) -> dict[str, str]:
    """The element's own parameters, as given: the consent URL carries them, as the provider's
    address does (https://<subdomain>.zendesk.com/…)."""
    return {p.query: params[p.query].strip() for p in oauth_url_parameters(element["key"])
            if params.get(p.query, "").strip()}


def request_token_issue(element: dict, params: dict[str, str]) -> OAuthRequestToken:
    """`GET /elements/{key}/oauth/token`: a request token and its secret, for OAuth1 only."""
    if auth_type(element) != "oauth1":
        raise ApiError(400, f"Element '{element['key']}' does not authenticate with OAuth 1: "
                            f"use GET /elements/{element['key']}/oauth/url.")
    _app(params, element)
    if params["apiSecret"].strip().lower() == INVALID_SECRET:
        raise ApiError(400, f"Failed to get an OAuth request token from {element['name']}.",
                       provider_message="401 Unauthorized: the consumer key or secret is not valid.")
    return OAuthRequestToken.objects.create(
        token=secrets.token_urlsafe(24), secret=secrets.token_urlsafe(24),
        element_key=element["key"], api_key=params["apiKey"], callback_url=params["callbackUrl"],
        state=params.get("state", ""),
    )


def consent_url(element: dict, params: dict[str, str], authorize_url: str) -> str:
    """`/elements/{key}/oauth/url`: where the browser goes for the provider's consent."""
    if not element["typeOauth"]:
        raise ApiError(400, f"Element '{element['key']}' does not authenticate with OAuth.")
    _app(params, element)
    site = _site_parameters(element, params)
    if auth_type(element) == "oauth1":
        token = params.get("requestToken", "").strip()
        if not token:
            raise ApiError(400, f"Missing required parameter 'requestToken': get one through "
                                f"GET /elements/{element['key']}/oauth/token.")
        found = OAuthRequestToken.objects.filter(token=token, element_key=element["key"],
                                                 used=False).first()
        if found is None or found.api_key != params["apiKey"]:
            raise ApiError(400, f"Invalid 'requestToken' for element '{element['key']}': it is "
                                f"unknown, used, or was issued to another app.")
        if params.get("state") and params["state"] != found.state:
            found.state = params["state"]
            found.save(update_fields=["state"])
        query = {"element": element["key"], "oauth_token": found.token, **site}
    else:
        query = {"element": element["key"], "client_id": params["apiKey"],
                 "redirect_uri": params["callbackUrl"], "response_type": "code",
                 "state": params.get("state", ""), **site}
        if params.get("scope"):
            query["scope"] = params["scope"]
    return authorize_url + "?" + urlencode(query)


def request_token_for_consent(element: dict, token: str) -> OAuthRequestToken | None:
    return OAuthRequestToken.objects.filter(token=token, element_key=element["key"],
                                            used=False).first()


def request_token_answer(found: OAuthRequestToken, *, allow: bool) -> str:
    """Where the consent page sends the browser: the callback with the token and a verifier, or
    `denied`, as Twitter does; the state the platform was given rides along."""
    callback = with_query(found.callback_url, {"state": found.state}) if found.state else found.callback_url
    if not allow:
        return with_query(callback, {"denied": found.token})
    found.verifier = secrets.token_urlsafe(16)
    found.save(update_fields=["verifier"])
    extras = {name: f"sandbox-{name}-{found.pk}" for name in CALLBACK_EXTRAS.get(found.element_key, {})}
    return with_query(callback, {"oauth_token": found.token, "oauth_verifier": found.verifier, **extras})


def request_token_redeem(element: dict, configuration: dict[str, str], provider_data: Any) -> dict[str, str]:
    """`POST /instances` for an OAuth1 element: the authorized request token, its verifier and its
    secret, once; answers the access token for the instance's configuration."""
    data = provider_data if isinstance(provider_data, dict) else {}
    names = ("oauth_token", "oauth_verifier", "secret")
    if not all(str(data.get(name) or "").strip() for name in names):
        raise ApiError(400, f"'providerData.oauth_token', 'providerData.oauth_verifier' and "
                            f"'providerData.secret' are required to authenticate {element['name']}: "
                            f"get them through GET /elements/{element['key']}/oauth/token and "
                            f"/oauth/url, and the provider's callback.")
    with transaction.atomic():
        found = (OAuthRequestToken.objects.select_for_update()
                 .filter(token=str(data["oauth_token"])).first())
        if (found is None or found.used or found.element_key != element["key"]
                or found.api_key != configuration.get("oauth.api.key", "")
                or not found.verifier
                or not secrets.compare_digest(found.verifier, str(data["oauth_verifier"]))
                or not secrets.compare_digest(found.secret, str(data["secret"]))):
            raise ApiError(400, f"Failed to exchange the OAuth request token with {element['name']}.",
                           provider_message="401 Unauthorized: the request token, verifier or secret "
                                            "is invalid, expired, already used, or was issued to "
                                            "another app.")
        found.used = True
        found.save(update_fields=["used"])
    extras = {key: str(data[name]) for name, key in CALLBACK_EXTRAS.get(element["key"], {}).items()
              if data.get(name)}
    return {ACCESS_TOKEN_KEY: secrets.token_urlsafe(24), ACCESS_SECRET_KEY: secrets.token_urlsafe(24),
            **extras}
