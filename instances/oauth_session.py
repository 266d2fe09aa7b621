"""OAuth2 round trips under way, kept in the user's session until the provider sends them back.

`state` is the key: the callback finds the request it was made for once, and only in the session
that started it. A failed round trip leaves a draft (what was typed, no secret, and the error) for
the form the user is sent back to.
"""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest

from cloud_elements import CloudElementsError

PENDING_SESSION_KEY = "oauth_pending"
DRAFT_SESSION_KEY = "authenticate_draft"
PENDING_MAX_AGE_SECONDS = 15 * 60
PENDING_MAX = 5  # OAuth round trips under way at once, per session (several tabs)


def error_from(data: dict | None) -> CloudElementsError | None:
    """An upstream error kept in the session (OAuth callback) back as the error it was."""
    if not data:
        return None
    return CloudElementsError(
        data.get("message") or "The Cloud Elements API answered with an error.",
        status=data.get("status"), provider_message=data.get("provider_message"),
        request_id=data.get("request_id"),
    )


def _live(request: HttpRequest) -> dict[str, dict[str, Any]]:
    """The round trips under way, expired ones dropped (they hold app secrets: none linger)."""
    now = time.time()
    return {
        state: entry for state, entry in (request.session.get(PENDING_SESSION_KEY) or {}).items()
        if now - entry.get("created", 0) < PENDING_MAX_AGE_SECONDS
    }


def pending_add(request: HttpRequest, pending: dict[str, Any]) -> None:
    """Keep the request for the callback; the session is server-side, so the app secret may stay."""
    entries = _live(request)
    entries[pending["state"]] = pending
    newest = sorted(entries.items(), key=lambda item: item[1]["created"], reverse=True)[:PENDING_MAX]
    request.session[PENDING_SESSION_KEY] = dict(newest)


def pending_pop(request: HttpRequest, state: str) -> dict[str, Any] | None:
    """The request this state was made for, once: a second answer with it finds nothing."""
    entries = _live(request)
    pending = entries.pop(state, None) if state else None
    if entries:
        request.session[PENDING_SESSION_KEY] = entries
    else:
        request.session.pop(PENDING_SESSION_KEY, None)
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
