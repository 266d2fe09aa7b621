"""The platform's paging: `page`/`pageSize`, or the `nextPage` cursor from `Elements-Next-Page-Token`."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass

from .api import ApiError

DEFAULT_PAGE_SIZE = 200
MAX_PAGE_SIZE = 5000


@dataclass(frozen=True)
class Page:
    items: Sequence
    next_token: str | None
    total: int

    def headers(self) -> dict[str, str]:
        headers = {"Elements-Returned-Count": str(len(self.items)),
                   "Elements-Total-Count": str(self.total)}
        if self.next_token:
            headers["Elements-Next-Page-Token"] = self.next_token
        return headers


def _int(value: str | None, name: str, default: int, lowest: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise ApiError(400, f"Invalid value for '{name}': {value!r} is not a whole number.") from None
    if number < lowest:
        raise ApiError(400, f"Invalid value for '{name}': it must be at least {lowest}.")
    return number


def _encode(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode().rstrip("=")


def _decode(token: str) -> int:
    try:
        padded = token + "=" * (-len(token) % 4)
        offset = int(json.loads(base64.urlsafe_b64decode(padded))["offset"])
    except (ValueError, KeyError, TypeError):
        raise ApiError(400, "Invalid value for 'nextPage': not a token this API gave.") from None
    if offset < 0:
        raise ApiError(400, "Invalid value for 'nextPage': not a token this API gave.")
    return offset


def paginate(items: Sequence, query) -> Page:
    size = min(_int(query.get("pageSize"), "pageSize", DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE)
    token = query.get("nextPage")
    if token:
        offset = _decode(token)
    else:
        offset = (_int(query.get("page"), "page", 1, 1) - 1) * size
    chunk = items[offset:offset + size]
    end = offset + len(chunk)
    # As the platform may: a full page carries a next-page token even when nothing follows, so
    # a client must stop on an empty next page rather than on a missing token.
    next_token = _encode(end) if chunk and len(chunk) == size else None
    return Page(items=list(chunk), next_token=next_token, total=len(items))
