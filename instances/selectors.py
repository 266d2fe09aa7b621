"""Reads of instances from the platform, and the per-element counts the catalog shows.

What leaves this module for a template is an `InstanceView`, which has no token field: the
token is only read by `instance_token`, for the View Token reveal and Try it out (both audited).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.utils.dateparse import parse_datetime

from catalog.selectors import element_initials
from cloud_elements import get_client
from cloud_elements.answers import tag_names
from cloud_elements.configuration import MASK, as_bool, is_shown

from .submit_once import is_marker_tag

COUNTS_CACHE_KEY = "instances:counts:v1"
COUNTS_TTL_SECONDS = 120


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


@dataclass(frozen=True)
class ConfigRow:
    key: str
    label: str
    value: str
    hidden: bool
    # The platform returns a stored PASSWORD value as a mask: there is nothing to reveal.
    masked: bool = False


@dataclass(frozen=True)
class InstanceView:
    id: int
    name: str
    element: ElementSummary
    tags: tuple[str, ...]
    valid: bool
    disabled: bool
    created: datetime | None
    events_enabled: bool
    configuration: tuple[ConfigRow, ...] = field(default=())

    @property
    def label(self) -> str:
        """How the audit log names it: `#123 Name`."""
        return f"#{self.id} {self.name}"


def _element_key(instance: dict) -> str | None:
    element = instance.get("element") or {}
    return element.get("key")


def instance_counts() -> dict[str, int]:
    """How many instances each element key has: one upstream call, cached.

    Our own create, update and delete call `instance_counts_invalidate()` so the banner stays true.
    """
    counts = cache.get(COUNTS_CACHE_KEY)
    if counts is not None:
        return counts
    instances = get_client().instance_list()
    counts = dict(Counter(key for key in map(_element_key, instances) if key))
    cache.set(COUNTS_CACHE_KEY, counts, COUNTS_TTL_SECONDS)
    return counts


def instance_counts_invalidate() -> None:
    cache.delete(COUNTS_CACHE_KEY)


# --- elements, as the instance pages name them -------------------------------------------

def _element_summary(element: dict, fallback_key: str = "") -> ElementSummary:
    auth = element.get("authentication") or {}
    return ElementSummary(
        key=str(element.get("key") or fallback_key),
        name=str(element.get("name") or element.get("key") or fallback_key),
        image=get_client().image_url(element.get("image")),
        hub=str(element.get("hub") or ""),
        auth_type=str(auth.get("type") or element.get("authType") or ""),
    )


_summaries_memo: tuple[str, dict[str, ElementSummary]] | None = None


def element_summaries() -> dict[str, ElementSummary]:
    """Every catalog element by key (names, logos): the catalog's own cached read, indexed once
    per catalog version in each process, so a list of instances costs no unpickling of 10,000."""
    global _summaries_memo
    from catalog.selectors import catalog_get

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


def element_summary(*, key: str) -> ElementSummary:
    """One element's name, logo, hub and auth type: from the cached catalog, which holds them;
    from the platform only when the catalog has not got it (a newer element, or no catalog).
    NotFound when the platform has no such element either."""
    summary = (_summaries_or_none() or {}).get(key)
    if summary is not None:
        return summary
    return element_get(key=key)[0]


def element_get(*, key: str) -> tuple[ElementSummary, dict]:
    """One element: its summary and the raw object (for its configuration metadata)."""
    element = get_client().element_get(key)
    return _element_summary(element, key), element


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


# --- instances ----------------------------------------------------------------------------

def _configuration_rows(configuration: dict, element: dict | None) -> tuple[ConfigRow, ...]:
    entries = {e.get("key"): e for e in (element or {}).get("configuration") or [] if e.get("key")}
    rows = []
    for key in sorted(configuration, key=lambda k: (entries.get(k, {}).get("displayOrder", 999), k)):
        entry = entries.get(key, {})
        if entry.get("hideFromConsole") or entry.get("internal"):
            continue
        value = configuration[key]
        hidden = not is_shown(key, str(entry.get("type", "")), value)
        rows.append(ConfigRow(
            key=key,
            label=str(entry.get("name") or key),
            value="" if hidden or value is None else str(value),
            hidden=hidden,
            masked=value == MASK,
        ))
    return tuple(rows)


def _instance_view(
    instance: dict,
    elements: dict[str, ElementSummary] | None = None,
    element: dict | None = None,
) -> InstanceView:
    raw_element = instance.get("element") or {}
    key = str(raw_element.get("key") or (element or {}).get("key") or "")
    summary = (elements or {}).get(key)
    if summary is None:
        summary = _element_summary(element or raw_element, key)
    created = instance.get("createdDate")
    configuration = instance.get("configuration") or {}
    events = instance.get("eventsEnabled")
    if events is None:
        events = configuration.get("event.notification.enabled", False)
    return InstanceView(
        id=int(instance["id"]),
        name=str(instance.get("name") or f"Instance {instance['id']}"),
        element=summary,
        # The tag that finds an unanswered create again is ours, not the team's: not shown.
        tags=tuple(t for t in tag_names(instance.get("tags")) if not is_marker_tag(t)),
        valid=as_bool(instance.get("valid", True)),
        disabled=as_bool(instance.get("disabled", False)),
        created=parse_datetime(created) if isinstance(created, str) else None,
        events_enabled=as_bool(events),
        configuration=_configuration_rows(configuration, element) if element is not None else (),
    )


def instance_view(instance: dict) -> InstanceView:
    """An instance as the platform answered a write with it, as the pages show it (no token)."""
    return _instance_view(instance)


def _newest_first(instances: Iterable[InstanceView]) -> list[InstanceView]:
    return sorted(instances, key=lambda i: i.id, reverse=True)


def _summaries_or_none() -> dict[str, ElementSummary] | None:
    """Catalog names are a nicety on the lists: without them the instance's own summary serves."""
    from cloud_elements import CloudElementsError

    try:
        return element_summaries()
    except CloudElementsError:
        return None


def instance_list(
    *, search_text: str = "", tags: Iterable[str] = (), element_key: str = ""
) -> list[InstanceView]:
    """Instances across every element; name search and tags upstream, the element here."""
    raw = get_client().instance_list(tags=list(tags), search_text=search_text or None)
    if element_key:
        raw = [i for i in raw if _element_key(i) == element_key]
    elements = _summaries_or_none()
    return _newest_first(_instance_view(i, elements) for i in raw)


@dataclass(frozen=True)
class InstanceFacets:
    elements: tuple[ElementSummary, ...]
    tags: tuple[str, ...]


def instance_facets(instances: list[InstanceView] | None = None) -> InstanceFacets:
    """The elements and tags that instances have, for the list's filters."""
    if instances is None:
        instances = instance_list()
    elements = {i.element.key: i.element for i in instances if i.element.key}
    tags = {t for i in instances for t in i.tags}
    return InstanceFacets(
        elements=tuple(sorted(elements.values(), key=lambda e: e.name.lower())),
        tags=tuple(sorted(tags, key=str.lower)),
    )


def element_instance_list(*, key: str) -> list[InstanceView]:
    raw = get_client().element_instances(key)
    return _newest_first(_instance_view(i, _summaries_or_none()) for i in raw)


def instance_get(*, instance_id: int, with_configuration: bool = False) -> InstanceView:
    """One instance; with its configuration rows (secrets hidden) for the detail page."""
    from cloud_elements import CloudElementsError

    instance = get_client().instance_get(instance_id)
    if not with_configuration:
        return _instance_view(instance, _summaries_or_none())
    element: dict = {}
    key = _element_key(instance)
    if key:
        try:
            element = get_client().element_get(key)
        except CloudElementsError:
            element = {}  # every value that looks secret is still hidden, by its key or its mask
    return _instance_view(instance, None, element or {"key": key, **(instance.get("element") or {})})


def instance_for_edit(*, instance_id: int) -> tuple[InstanceView, dict]:
    """The instance with its configuration rows, and its element's metadata the forms are built
    from: one read of each. NotFound means the instance; an element that cannot be read, even a
    missing one, is a plain CloudElementsError."""
    from cloud_elements import CloudElementsError, NotFound

    instance = get_client().instance_get(instance_id)
    try:
        element = get_client().element_get(_element_key(instance) or "")
    except NotFound as exc:
        raise CloudElementsError(exc.message, status=exc.status, provider_message=exc.provider_message,
                                 request_id=exc.request_id) from None
    return _instance_view(instance, None, element), element


def instance_config_value(*, instance_id: int, key: str) -> tuple[InstanceView, str | None]:
    """The instance and one stored configuration value in clear, for an admin's audited reveal;
    None when the instance has no such key. A value the platform keeps masked stays the mask."""
    instance = get_client().instance_get(instance_id)
    configuration = instance.get("configuration") or {}
    if key not in configuration:
        return _instance_view(instance, _summaries_or_none()), None
    value = configuration[key]
    return _instance_view(instance, _summaries_or_none()), "" if value is None else str(value)


def instance_token(*, instance_id: int) -> tuple[InstanceView, str]:
    """The instance and its token, for the two uses that audit it: the View Token reveal, and a
    Try it out call, which sends it upstream and never to the browser."""
    instance = get_client().instance_get(instance_id)
    return _instance_view(instance, _summaries_or_none()), str(instance.get("token") or "")
