"""Recording who did what. Details name things; they never hold a secret or a token."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEntry


def audit_record(*, user, action: str, target: str = "", detail: str = "",
                 username: str | None = None) -> AuditEntry:
    """`username` names who it was when there is no user: a failed login's attempted name."""
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=(username if username is not None else getattr(user, "username", ""))[:150]
        or "anonymous",
        action=action,
        target=target[:255],
        detail=detail[:500],
    )


def audit_list(*, action: str | None = None, username: str | None = None) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if action:
        entries = entries.filter(action=action)
    if username:
        entries = entries.filter(username=username)
    return entries


def audit_actions() -> list[str]:
    return sorted(set(AuditEntry.objects.values_list("action", flat=True)))
