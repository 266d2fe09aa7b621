"""What each sandbox API call received: method, path, query, headers and body, secrets left out.

Tests read it to check the dashboard's own calls (which path, which headers, which body keys),
and to catch a dashboard that sends the mask `********` where a secret belongs. Kept in memory,
per process, only while SANDBOX_MODE is demo or test, and bounded, so that it costs nothing
elsewhere and cannot grow without end.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from .faults import faults_enabled

MAX_CALLS = 500
MASK = "********"  # the platform's mask, recorded as itself: it is no secret
SECRET = "(secret)"  # what is recorded instead of a credential
# Configuration keys that name a credential (as the dashboard's own is_secret reads them).
SECRET_WORDS = ("secret", "password", "passphrase", "token", "apikey", "api.key", "api_key",
                "private", "signature")
# Headers that say nothing a test needs and vary from client to client.
SKIPPED_HEADERS = frozenset({"cookie", "content-length", "host", "connection", "accept-encoding"})

_calls: deque[RecordedCall] = deque(maxlen=MAX_CALLS)
_lock = threading.Lock()


@dataclass(frozen=True)
class RecordedCall:
    method: str
    path: str  # after /elements/api-v2
    query: tuple[tuple[str, str], ...]
    headers: dict[str, str]  # lower-case names; Authorization as the names of its parts
    body: Any  # parsed JSON with credentials replaced by SECRET; None when there was none
    status: int = 0
    auth_parts: tuple[str, ...] = field(default=())  # e.g. ("user", "organization", "element")

    @property
    def body_keys(self) -> list[str]:
        return sorted(self.body) if isinstance(self.body, dict) else []

    @property
    def configuration(self) -> dict[str, Any]:
        body = self.body if isinstance(self.body, dict) else {}
        configuration = body.get("configuration")
        return configuration if isinstance(configuration, dict) else {}

    def sent_mask(self) -> list[str]:
        """The configuration keys whose value was the mask itself."""
        return sorted(k for k, v in self.configuration.items() if v == MASK)


def _looks_secret(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in SECRET_WORDS)


def _hidden(value: Any) -> Any:
    return value if value in (None, "", MASK) else SECRET


def _redacted(body: Any) -> Any:
    """The body as received, with each credential replaced unless it is the mask: configuration
    values whose key names one, and everything in `providerData` (OAuth codes and tokens)."""
    if not isinstance(body, dict):
        return body
    redacted = dict(body)
    configuration = body.get("configuration")
    if isinstance(configuration, dict):
        redacted["configuration"] = {k: _hidden(v) if _looks_secret(str(k)) else v
                                     for k, v in configuration.items()}
    provider_data = body.get("providerData")
    if isinstance(provider_data, dict):
        redacted["providerData"] = {k: _hidden(v) for k, v in provider_data.items()}
    return redacted


def _body(request: HttpRequest) -> Any:
    if not request.body:
        return None
    try:
        return _redacted(json.loads(request.body))
    except (ValueError, UnicodeDecodeError):
        return f"({len(request.body)} bytes, not JSON)"


def _auth_parts(value: str) -> tuple[str, ...]:
    parts = []
    for item in value.split(","):
        name, _, secret = item.strip().partition(" ")
        if name and secret.strip():
            parts.append(name.strip().lower())
    return tuple(parts)


def call_record(request: HttpRequest, path: str, status: int) -> None:
    if not faults_enabled():
        return
    headers = {}
    for name, value in request.headers.items():
        lowered = name.lower()
        if lowered in SKIPPED_HEADERS or lowered.startswith("x-sandbox"):
            continue
        if lowered == "authorization":
            value = "(" + ", ".join(_auth_parts(value)) + ")"  # which parts, never their values
        headers[lowered] = value
    call = RecordedCall(
        method=request.method or "",
        path=path,
        query=tuple((k, v) for k in request.GET for v in request.GET.getlist(k)),
        headers=headers,
        body=_body(request),
        status=status,
        auth_parts=_auth_parts(request.headers.get("Authorization", "")),
    )
    with _lock:
        _calls.append(call)


def calls_recorded(*, method: str | None = None, path_prefix: str = "") -> list[RecordedCall]:
    """The calls received since the last `calls_clear()`, oldest first."""
    with _lock:
        calls = list(_calls)
    return [c for c in calls
            if (method is None or c.method == method.upper()) and c.path.startswith(path_prefix)]


def calls_clear() -> None:
    with _lock:
        _calls.clear()
