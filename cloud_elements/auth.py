"""The platform's Authorization header: `User <secret>, Organization <secret>[, Element <token>]`."""

from __future__ import annotations

from .configuration import MASK


def authorization_header(user_secret: str, org_secret: str, element_token: str | None = None) -> str:
    parts = [f"User {user_secret}", f"Organization {org_secret}"]
    if element_token:
        parts.append(f"Element {element_token}")
    return ", ".join(parts)


def masked_authorization_header(with_element: bool = False) -> str:
    return authorization_header(MASK, MASK, MASK if with_element else None)


def parse_authorization(value: str | None) -> dict[str, str]:
    """Split the header into its named parts, in any order: {"user": …, "organization": …}.

    Sources write the parts in different orders, so they are read by name.
    """
    parts: dict[str, str] = {}
    for chunk in (value or "").split(","):
        name, _, secret = chunk.strip().partition(" ")
        if name and secret.strip():
            parts[name.strip().lower()] = secret.strip()
    return parts
