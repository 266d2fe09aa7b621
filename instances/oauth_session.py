"""OAuth round trips under way (OAuth 1 and 2), kept server-side until the provider sends the browser back.

Each one is a cache entry named by the user's session and the `state`: the callback finds the
request it was made for once (the entry's delete is what claims it, so two answers racing with
one state cannot both win), only from the session that started it, and only for 15 minutes.
An OAuth1 provider may send the browser back with its `oauth_token` and no `state`: a second entry
names the state by session and request token, so the callback can still find its round trip.
A failed round trip leaves a draft in the session (what was typed, no secret, and the error) for
the form the user is sent back to.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from cloud_elements import CloudElementsError

DRAFT_SESSION_KEY = "authenticate_draft"
PENDING_MAX_AGE_SECONDS = 15 * 60


def error_from(data: dict | None) -> CloudElementsError | None:
    """An upstream error kept in the session (OAuth callback) back as the error it was."""
    if not data:
        return None
    return CloudElementsError(
        data.get("message") or "The Cloud Elements API answered with an error.",
        status=data.get("status"), provider_message=data.get("provider_message"),
        request_id=data.get("request_id"),
    )


def pending_key(session_key: str, state: str) -> str:
    return f"instances:oauth-pending:v1:{session_key}:{state}"


def _token_key(session_key: str, request_token: str) -> str:
    return f"instances:oauth-pending-token:v1:{session_key}:{request_token}"


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


def pending_add(request: HttpRequest, pending: dict[str, Any]) -> None:
    """Keep the request (app secret included: the cache is server-side) until the callback."""
    session_key = _session_key(request)
    cache.set(pending_key(session_key, pending["state"]), pending, PENDING_MAX_AGE_SECONDS)
    if pending.get("request_token"):
        cache.set(_token_key(session_key, pending["request_token"]), pending["state"],
                  PENDING_MAX_AGE_SECONDS)


def state_for_request_token(request: HttpRequest, request_token: str) -> str:
    """The state of this session's OAuth1 round trip for `request_token`, or ""."""
    if not request_token or not request.session.session_key:
        return ""
    return cache.get(_token_key(request.session.session_key, request_token)) or ""


def pending_pop(request: HttpRequest, state: str) -> dict[str, Any] | None:
    """The request this state was made for, once: a second answer with it finds nothing."""
    if not state or not request.session.session_key:
        return None
    key = pending_key(request.session.session_key, state)
    pending = cache.get(key)
    if pending is None or not cache.delete(key):
        return None
    if pending.get("request_token"):
        cache.delete(_token_key(request.session.session_key, pending["request_token"]))
    return pending


def draft_save(request: HttpRequest, pending: dict[str, Any], error: CloudElementsError | None) -> None:
    """What was typed (no secret), and the error, for the form the callback sends back to."""
    request.session[DRAFT_SESSION_KEY] = {
        "element_key": pending["element_key"],
        "instance_id": pending.get("instance_id"),
        "values": pending.get("draft") or {},
        "error": None if error is None else {
            "message": error.message, "status": error.status,
            "provider_message": error.provider_message, "request_id": error.request_id,
        },
    }


def draft_pop(request: HttpRequest, *, element_key: str, instance_id: int | None = None) -> dict | None:
    draft = request.session.get(DRAFT_SESSION_KEY)
    if not draft or draft.get("element_key") != element_key or draft.get("instance_id") != instance_id:
        return None
    del request.session[DRAFT_SESSION_KEY]
    return draft
