"""Elements as every page names them (key, name, logo, hub, auth type), read from the platform,
and the OAuth calls an element answers for its consent page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cloud_elements import CloudElementsError, element_auth_type, get_client

from .selectors import catalog_get, element_initials


@dataclass(frozen=True)
class ElementSummary:
    key: str
    name: str
    image: str = ""
    hub: str = ""
    auth_type: str = ""

    @property
    def initials(self) -> str:
        return element_initials(self.name, self.key)


def element_summary_of(element: Mapping, fallback_key: str = "") -> ElementSummary:
    """The summary of a platform element object (or of the stub an instance carries)."""
    return ElementSummary(
        key=str(element.get("key") or fallback_key),
        name=str(element.get("name") or element.get("key") or fallback_key),
        image=get_client().image_url(element.get("image")),
        hub=str(element.get("hub") or ""),
        auth_type=element_auth_type(element),
    )


_summaries_memo: tuple[str, dict[str, ElementSummary]] | None = None


def element_summaries() -> dict[str, ElementSummary]:
    """Every catalog element by key (names, logos): the catalog's own cached read, indexed once
    per catalog version in each process, so a list of instances costs no unpickling of 10,000."""
    global _summaries_memo
    catalog = catalog_get()
    memo = _summaries_memo
    if memo is not None and memo[0] == catalog.stamp:
        return memo[1]
    summaries = {
        e.key: ElementSummary(key=e.key, name=e.name, image=e.image, hub=e.hub,
                              auth_type=e.auth_type)
        for e in catalog.elements
    }
    _summaries_memo = (catalog.stamp, summaries)
    return summaries


def element_summaries_or_none() -> dict[str, ElementSummary] | None:
    """Catalog names are a nicety on the lists: without them the instance's own summary serves."""
    try:
        return element_summaries()
    except CloudElementsError:
        return None


def element_get(*, key: str) -> tuple[ElementSummary, dict]:
    """One element: its summary and the raw object (for its configuration metadata)."""
    element = get_client().element_get(key)
    return element_summary_of(element, key), element


def element_summary(*, key: str) -> ElementSummary:
    """One element's name, logo, hub and auth type: from the cached catalog, which holds them;
    from the platform only when the catalog has not got it (a newer element, or no catalog).
    NotFound when the platform has no such element either."""
    summary = (element_summaries_or_none() or {}).get(key)
    if summary is not None:
        return summary
    return element_get(key=key)[0]


def element_oauth_url(
    *, key: str, api_key: str, api_secret: str, callback_url: str, state: str,
    scope: str | None = None, request_token: str | None = None,
    parameters: Mapping[str, str] | None = None,
) -> str:
    """Where to send the browser for the provider's consent (OAuth2, and OAuth1 with its token)."""
    return get_client().element_oauth_url(
        key, api_key=api_key, api_secret=api_secret, callback_url=callback_url, state=state,
        scope=scope, request_token=request_token, parameters=parameters,
    )


def element_oauth_request_token(
    *, key: str, api_key: str, api_secret: str, callback_url: str, state: str,
    parameters: Mapping[str, str] | None = None,
) -> tuple[str, str]:
    """OAuth1: a request token and its secret, for the consent URL and then the instance."""
    return get_client().element_oauth_token(
        key, api_key=api_key, api_secret=api_secret, callback_url=callback_url, state=state,
        parameters=parameters,
    )
