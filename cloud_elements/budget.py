"""One time budget for all the platform calls a page makes.

A page that calls the platform three times, each retried at the full read timeout, can keep a person
(and a server thread) waiting for minutes while its message names one timeout. Instead a budget is
opened per request (`dashboard.middleware.UpstreamBudgetMiddleware`): every call takes its timeouts
from what is left, and no retry starts without time left to wait for it. Outside a request (a
management command, a test calling the client itself) each call gets a budget of its own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_deadline: ContextVar[float | None] = ContextVar("cloud_elements_deadline", default=None)


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Every platform call inside the block shares `seconds`, counted from now."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def budget_deadline(default_seconds: float) -> float:
    """The open budget's deadline (time.monotonic()), or one of `default_seconds` from now."""
    deadline = _deadline.get()
    return deadline if deadline is not None else time.monotonic() + default_seconds
