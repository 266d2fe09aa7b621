"""Two roles: viewers browse; admins change things and see tokens (a Django group, "Admins")."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction

ADMINS_GROUP = "Admins"
MANAGE_PERMISSION = settings.MANAGE_PERMISSION
TOKEN_PERMISSION = "team.view_tokens"
# A role is read from the permission tables once, then from the shared cache: every page shows
# it, and two permission queries per request cost more than the rest of a warm catalog page.
# Every change of a member's groups or flags forgets it (team/apps.py), on every app server.
ROLES_CACHE_SECONDS = 300


def _roles_key(user_id) -> str:
    return f"team:roles:v1:{user_id}"


def _roles(user: AbstractBaseUser | AnonymousUser) -> tuple[bool, bool]:
    """(may manage, may view tokens): from this request's user, the cache, or the database."""
    if not user.is_authenticated:
        return False, False
    roles = getattr(user, "_team_roles", None)
    if roles is None:
        key = _roles_key(user.pk)
        roles = cache.get(key)
        if roles is None:
            roles = (user.has_perm(MANAGE_PERMISSION), user.has_perm(TOKEN_PERMISSION))
            cache.set(key, roles, ROLES_CACHE_SECONDS)
        user._team_roles = roles
    return roles


def roles_forget(user_ids) -> None:
    """After a change of these members' roles: now, and again once the change is committed (a
    request in between could otherwise cache the role it still read)."""
    keys = [_roles_key(pk) for pk in user_ids]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def can_manage(user: AbstractBaseUser | AnonymousUser) -> bool:
    return _roles(user)[0]


def can_view_tokens(user: AbstractBaseUser | AnonymousUser) -> bool:
    return _roles(user)[1]


def admin_required(view):
    """Refuse (403, rendered by dashboard.errors.error_403) a user who may not change things."""

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
