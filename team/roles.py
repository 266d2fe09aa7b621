"""Two roles: viewers browse; admins change things and see tokens (a Django group, "Admins")."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

ADMINS_GROUP = "Admins"
MANAGE_PERMISSION = "team.manage_instances"
TOKEN_PERMISSION = "team.view_tokens"


def can_manage(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm(MANAGE_PERMISSION))


def can_view_tokens(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm(TOKEN_PERMISSION))


def admin_required(view):
    """Refuse (403, rendered by team.views.error_403) a user who may not change things."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_manage(request.user):
            raise PermissionDenied("Only admins can do this. Ask an admin of your team.")
        return view(request, *args, **kwargs)

    return wrapper


def token_viewer_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_view_tokens(request.user):
            raise PermissionDenied("Only admins can see instance tokens.")
        return view(request, *args, **kwargs)

    return wrapper
