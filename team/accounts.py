"""Creating team members with their role."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from .roles import ADMINS_GROUP

ADMIN_PERMISSIONS = ("manage_instances", "view_tokens")


def admins_group() -> Group:
    group, _ = Group.objects.get_or_create(name=ADMINS_GROUP)
    perms = Permission.objects.filter(content_type__app_label="team", codename__in=ADMIN_PERMISSIONS)
    group.permissions.add(*perms)
    return group


def user_create(*, username: str, password: str, admin: bool, email: str = ""):
    """Create or reset a member: an admin (changes things, sees tokens) or a viewer."""
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
    user.set_password(password)
    user.is_active = True
    user.save()
    if admin:
        user.groups.add(admins_group())
    else:
        user.groups.remove(*Group.objects.filter(name=ADMINS_GROUP))
    return user
