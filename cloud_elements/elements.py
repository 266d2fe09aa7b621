"""What the platform's element and instance objects say, read one way for every page."""

from __future__ import annotations

from collections.abc import Mapping


def element_auth_type(element: Mapping) -> str:
    """How an element authenticates: `authentication.type`, or the catalog's `authType`. The
    platform's older `oauth` means OAuth 2; `oauth1` and `oauth2` in any case are written lower."""
    auth = element.get("authentication") or {}
    value = str(auth.get("type") or element.get("authType") or "").strip()
    lower = value.lower()
    if lower in ("oauth", "oauth2"):
        return "oauth2"
    return "oauth1" if lower == "oauth1" else value


def instance_element_key(instance: Mapping) -> str | None:
    """The key of the element an instance belongs to."""
    element = instance.get("element") or {}
    return element.get("key")
