"""Reads of instances from the platform.

What leaves this module for a template is an `Instance`, which has no token field: the
token is only read by `instance_token`, for the View Token reveal and Try it out (both audited).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.dateparse import parse_datetime

from catalog.elements import ElementSummary, element_summaries_or_none, element_summary_of
from cloud_elements import (
    MASK,
    CloudElementsError,
    NotFound,
    as_bool,
    get_client,
    instance_element_key,
    is_shown,
    tag_names,
)

from .submit_once import is_marker_tag


@dataclass(frozen=True)
class ConfigRow:
    key: str
    label: str
    value: str
    hidden: bool
    # The platform returns a stored PASSWORD value as a mask: there is nothing to reveal.
    masked: bool = False


@dataclass(frozen=True)
class Instance:
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


def instance_from_platform(
    instance: dict,
    elements: dict[str, ElementSummary] | None = None,
    element: dict | None = None,
) -> Instance:
    raw_element = instance.get("element") or {}
    key = str(raw_element.get("key") or (element or {}).get("key") or "")
    summary = (elements or {}).get(key)
    if summary is None:
        summary = element_summary_of(element or raw_element, key)
    created = instance.get("createdDate")
    configuration = instance.get("configuration") or {}
    events = instance.get("eventsEnabled")
    if events is None:
        events = configuration.get("event.notification.enabled", False)
    return Instance(
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


def _newest_first(instances: Iterable[Instance]) -> list[Instance]:
    return sorted(instances, key=lambda i: i.id, reverse=True)


def instance_list(
    *, search_text: str = "", tags: Iterable[str] = (), element_key: str = ""
) -> list[Instance]:
    """Instances across every element; name search and tags upstream, the element here."""
    raw = get_client().instance_list(tags=list(tags), search_text=search_text or None)
    if element_key:
        raw = [i for i in raw if instance_element_key(i) == element_key]
    elements = element_summaries_or_none()
    return _newest_first(instance_from_platform(i, elements) for i in raw)


@dataclass(frozen=True)
class InstanceFacets:
    elements: tuple[ElementSummary, ...]
    tags: tuple[str, ...]


def instance_facets(instances: list[Instance] | None = None) -> InstanceFacets:
    """The elements and tags that instances have, for the list's filters."""
    if instances is None:
        instances = instance_list()
    elements = {i.element.key: i.element for i in instances if i.element.key}
    tags = {t for i in instances for t in i.tags}
    return InstanceFacets(
        elements=tuple(sorted(elements.values(), key=lambda e: e.name.lower())),
        tags=tuple(sorted(tags, key=str.lower)),
    )


def element_instance_list(*, key: str) -> list[Instance]:
    raw = get_client().element_instances(key)
    return _newest_first(instance_from_platform(i, element_summaries_or_none()) for i in raw)


def instance_get(*, instance_id: int, with_configuration: bool = False) -> Instance:
    """One instance; with its configuration rows (secrets hidden) for the detail page."""
    instance = get_client().instance_get(instance_id)
    if not with_configuration:
        return instance_from_platform(instance, element_summaries_or_none())
    element: dict = {}
    key = instance_element_key(instance)
    if key:
        try:
            element = get_client().element_get(key)
        except CloudElementsError:
            element = {}  # every value that looks secret is still hidden, by its key or its mask
    return instance_from_platform(instance, None, element or {"key": key, **(instance.get("element") or {})})


def instance_for_edit(*, instance_id: int) -> tuple[Instance, dict]:
    """The instance with its configuration rows, and its element's metadata the forms are built
    from: one read of each. NotFound means the instance; an element that cannot be read, even a
    missing one, is a plain CloudElementsError."""
    instance = get_client().instance_get(instance_id)
    try:
        element = get_client().element_get(instance_element_key(instance) or "")
    except NotFound as exc:
        raise CloudElementsError(exc.message, status=exc.status, provider_message=exc.provider_message,
                                 request_id=exc.request_id) from None
    return instance_from_platform(instance, None, element), element


def instance_config_value(*, instance_id: int, key: str) -> tuple[Instance, str | None]:
    """The instance and one stored configuration value in clear, for an admin's audited reveal;
    None when the instance has no such key. A value the platform keeps masked stays the mask."""
    instance = get_client().instance_get(instance_id)
    configuration = instance.get("configuration") or {}
    if key not in configuration:
        return instance_from_platform(instance, element_summaries_or_none()), None
    value = configuration[key]
    return instance_from_platform(instance, element_summaries_or_none()), "" if value is None else str(value)


def instance_token(*, instance_id: int) -> tuple[Instance, str]:
    """The instance and its token, for the two uses that audit it: the View Token reveal, and a
    Try it out call, which sends it upstream and never to the browser."""
    instance = get_client().instance_get(instance_id)
    token = str(instance.get("token") or "")
    return instance_from_platform(instance, element_summaries_or_none()), token
