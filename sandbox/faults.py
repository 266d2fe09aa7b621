"""Fault switches: a delay, or a chosen status, on a chosen path of the sandbox API.

Set in the database (`fault_add`, the sandbox page), or per request with the header
`X-Sandbox-Fault: status=503; delay=1.5` — both only while SANDBOX_MODE is demo or test.
A delay alone is a slow platform: the call is carried out, and its answer comes late (a write
the caller stopped waiting for is still made). With a status, nothing is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F

from .models import Fault

HEADER = "HTTP_X_SANDBOX_FAULT"
MAX_DELAY = 120.0


@dataclass(frozen=True)
class FaultAction:
    status: int | None
    delay: float
    message: str


def faults_enabled() -> bool:
    return settings.SANDBOX_MODE in ("demo", "test")


def fault_add(
    *,
    path_prefix: str,
    method: str | None = None,
    status: int | None = None,
    delay: float = 0,
    message: str = "",
    times: int | None = None,
) -> Fault:
    """A fault with no status and no delay just counts the calls it matches (`hits`)."""
    return Fault.objects.create(
        path_prefix="/" + path_prefix.strip("/"),
        method=(method or "").upper(),
        status=status,
        delay=min(max(delay, 0), MAX_DELAY),
        message=message,
        times=times,
    )


def fault_clear() -> None:
    Fault.objects.all().delete()


def _matches(prefix: str, path: str) -> bool:
    prefix = prefix.rstrip("/") or "/"
    return prefix == "/" or path == prefix or path.startswith(prefix + "/")


def _from_header(value: str) -> FaultAction | None:
    parts = dict(
        item.split("=", 1) for item in (p.strip() for p in value.split(";")) if "=" in item
    )
    try:
        status = int(parts["status"]) if "status" in parts else None
        delay = min(max(float(parts.get("delay", 0)), 0), MAX_DELAY)
    except ValueError:
        return None
    if status is not None and not 100 <= status <= 599:
        return None
    return FaultAction(status=status, delay=delay, message=parts.get("message", ""))


def fault_for(request, api_path: str, *, header_allowed: bool) -> FaultAction | None:
    """The fault this call meets, if any; each one that applies counts a hit.

    The header works only for a caller with the platform's secrets (`header_allowed`): nobody
    else can make the sandbox hold a thread for them.
    """
    if not faults_enabled():
        return None
    header = request.META.get(HEADER) if header_allowed else None
    if header:
        action = _from_header(header)
        if action:
            return action
    method = request.method.upper()
    for fault in Fault.objects.filter(method__in=("", method)):
        if not _matches(fault.path_prefix, api_path):
            continue
        with transaction.atomic():
            updated = Fault.objects.filter(pk=fault.pk)
            if fault.times is not None:
                updated = updated.filter(hits__lt=fault.times)
            if not updated.update(hits=F("hits") + 1):
                continue  # used up
        return FaultAction(status=fault.status, delay=fault.delay, message=fault.message)
    return None
