"""Single-use tokens for the Authenticate form: one submit makes one instance.

Each form drawn carries a token in a hidden field, known to the cache as issued. A submit claims
it by deleting that entry, which only one of two racing submits can do (a delete is atomic in
every cache backend we use, the file cache included, as with the OAuth round trips); the winner
records what its submit made under the token, and any later submit with the same token (a second
tab, a double click without JavaScript, the Back button) is answered from that record.

Each instance made this way also carries a tag derived from its token, so that a create whose
answer never came can be found again without doubt (`reconcile.created_instance`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core.cache import cache

FIELD = "submit_token"
TTL_SECONDS = 8 * 60 * 60  # a form left open for a working day still submits
MARKER_PREFIX = "dashboard-submit:"

PENDING = "pending"
CREATED = "created"
FAILED = "failed"
UNKNOWN = "unknown"
EXPIRED = "expired"  # never issued here, or too old: nothing is known of it


@dataclass(frozen=True)
class Submitted:
    """What the first submit with a token did, as far as it knows."""

    state: str  # PENDING, CREATED, FAILED, UNKNOWN or EXPIRED
    instance_id: int | None = None
    name: str = ""


def _issued_key(token: str) -> str:
    return f"instances:submit-issued:v1:{token}"


def _result_key(token: str) -> str:
    return f"instances:submit-result:v1:{token}"


def token_issue(*, element_key: str) -> str:
    token = secrets.token_urlsafe(24)
    cache.set(_issued_key(token), element_key, TTL_SECONDS)
    return token


def token_claim(token: str, *, element_key: str) -> bool:
    """True for the one submit that may go ahead with this token; it is then under way."""
    if not token or len(token) > 100:
        return False
    key = _issued_key(token)
    if cache.get(key) != element_key or not cache.delete(key):
        return False
    submitted_record(token, state=PENDING)
    return True


def submitted_record(token: str, *, state: str, instance_id: int | None = None, name: str = "") -> None:
    cache.set(_result_key(token), Submitted(state, instance_id, name), TTL_SECONDS)


def submitted_get(token: str) -> Submitted | None:
    """What the submit that claimed this token did; None for a token never issued or expired."""
    if not token or len(token) > 100:
        return None
    return cache.get(_result_key(token))


def marker_tag(token: str) -> str:
    """The tag an instance made with this token carries: derived from it, not the token itself."""
    return MARKER_PREFIX + hashlib.sha256(token.encode()).hexdigest()[:20]


def is_marker_tag(tag: str) -> bool:
    return tag.startswith(MARKER_PREFIX)
