"""Sessions end after an idle time (SESSION_COOKIE_AGE): each use moves the expiry on.

Django's SESSION_SAVE_EVERY_REQUEST would write the session on every request, a catalog page's
120 logo requests included; this writes it at most once a minute, which moves an 8-hour expiry on
just as well.
"""

from __future__ import annotations

import time

from django.contrib.auth import SESSION_KEY

TOUCHED = "_touched"
TOUCH_EVERY_SECONDS = 60


class SessionIdleTimeoutMiddleware:
    """After SessionMiddleware: marks a session in use as changed, at most once a minute, so that
    SessionMiddleware saves it with a fresh expiry and sends its cookie again."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a logged-in session: a stale cookie must not make a new, empty one.
        if session is None or session.is_empty() or session.modified or SESSION_KEY not in session:
            return response
        now = int(time.time())
        if now - int(session.get(TOUCHED, 0)) >= TOUCH_EVERY_SECONDS:
            session[TOUCHED] = now
        return response
