"""The two ends of a round trip through the provider's consent page, OAuth 1 and 2: what to ask
the platform for before sending the browser there, and what the provider's answer means.

OAuth2: `GET /elements/{key}/oauth/url`, then the provider sends back `code` (or `error`), and
`POST /instances` carries `providerData.code`.
OAuth1 (devportal `docs/elements/twitter/twitter-create-instance.md`; churros
`src/core/provisioner.js`, `oauth1`): `GET /elements/{key}/oauth/token` gives a request token and
its secret, `GET /elements/{key}/oauth/url` takes the token as `requestToken`, the provider sends
back `oauth_token` and `oauth_verifier` (or `denied`), and `POST /instances` carries
`providerData: {oauth_token, oauth_verifier, secret}`, the secret being the request token's.

Some providers send more back that the platform needs in `providerData`: QuickBooks its company's
`realmId` and `dataSource` (devportal `docs/elements/quickbooksonline/authenticate.md`, both OAuth
1 and 2); churros forwards the same (`src/core/provisioner.js`, `oauth`).

The request token's secret stays in the server-side cache entry of the round trip
(`oauth_session`), never in the session cookie, a page or a log.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.views.decorators.debug import sensitive_variables

from catalog.elements import element_oauth_request_token, element_oauth_url

from .config_form import OAUTH_API_KEY, OAUTH_API_SECRET, OAUTH_SCOPE

# What a provider's callback may carry besides the code or verifier, passed on as it came.
PROVIDER_EXTRAS = ("realmId", "dataSource")


@dataclass(frozen=True)
class ConsentStart:
    """Where to send the browser, and what the callback will need (secrets included)."""

    url: str
    pending: dict[str, Any]


@sensitive_variables("configuration", "request_secret")
def consent_start(
    *, element_key: str, oauth1: bool, configuration: Mapping[str, str], callback_url: str,
    state: str, parameters: Mapping[str, str],
) -> ConsentStart:
    """Ask the platform for the consent URL (OAuth1: a request token first). Raises CloudElementsError."""
    app = {"api_key": configuration.get(OAUTH_API_KEY, ""),
           "api_secret": configuration.get(OAUTH_API_SECRET, ""),
           "callback_url": callback_url, "state": state}
    if not oauth1:
        url = element_oauth_url(key=element_key, scope=configuration.get(OAUTH_SCOPE) or None,
                                          parameters=parameters, **app)
        return ConsentStart(url=url, pending={})
    request_token, request_secret = element_oauth_request_token(
        key=element_key, parameters=parameters, **app)
    url = element_oauth_url(key=element_key, request_token=request_token,
                                      parameters=parameters, **app)
    return ConsentStart(url=url, pending={"request_token": request_token,
                                          "request_secret": request_secret})


@dataclass(frozen=True)
class ProviderAnswer:
    """What the provider's redirect back says: `provider_data` to create with, or a refusal."""

    provider_data: dict[str, str] | None = None
    refusal: str = ""
    detail: str = ""


@sensitive_variables("query", "pending")
def provider_answer(pending: Mapping[str, Any], query: Mapping[str, str]) -> ProviderAnswer:
    """Read the callback's query for the round trip `pending` started."""
    if query.get("error"):
        return ProviderAnswer(refusal=query["error"], detail=query.get("error_description") or "")
    request_token = pending.get("request_token")
    if request_token:
        if "denied" in query:
            return ProviderAnswer(refusal="access_denied")
        token, verifier = query.get("oauth_token") or "", query.get("oauth_verifier") or ""
        if not verifier or not secrets.compare_digest(token, request_token):
            return ProviderAnswer(refusal="no verifier for the request token")
        return ProviderAnswer(provider_data={**_extras(query), "oauth_token": token,
                                             "oauth_verifier": verifier,
                                             "secret": pending["request_secret"]})
    code = query.get("code")
    if not code:
        return ProviderAnswer(refusal="no authorization code")
    return ProviderAnswer(provider_data={**_extras(query), "code": code})


def _extras(query: Mapping[str, str]) -> dict[str, str]:
    return {name: query[name] for name in PROVIDER_EXTRAS if query.get(name)}
