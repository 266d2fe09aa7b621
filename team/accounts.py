"""Team members: who they are, their role, whether they may log in, their password.

Services change members and record each change in the audit log; they refuse what would lock a
team out (a member demoting or deactivating themselves, or the last active admin going).
Passwords are checked with Django's password validators and never logged or audited.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.views.decorators.debug import sensitive_variables

from .audit import audit_record
from .roles import ADMINS_GROUP

logger = logging.getLogger(__name__)

ADMIN_PERMISSIONS = ("manage_instances", "view_tokens")


class MemberError(Exception):
    """A change that was refused; the message says why, in words for the user.

    `field` names the form field it is about, when it is about one.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class CommandLine:
    """The actor of changes made with `manage.py team_member`, for the audit log."""

    username: str = "manage.py team_member"
    is_authenticated: bool = False
    pk: None = None


COMMAND_LINE = CommandLine()


def admins_group() -> Group:
    group, _ = Group.objects.get_or_create(name=ADMINS_GROUP)
    perms = Permission.objects.filter(content_type__app_label="team", codename__in=ADMIN_PERMISSIONS)
    group.permissions.add(*perms)
    return group


def user_create(*, username: str, password: str, admin: bool, email: str = ""):
    """Create or reset a member without checks or audit: demo logins and test fixtures."""
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


# --- selectors --------------------------------------------------------------------------------

def _admin_q() -> Q:
    """Admins are members of the Admins group; superusers count as admins too (they can do all)."""
    in_group = get_user_model().groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name=ADMINS_GROUP
    )
    return Q(Exists(in_group)) | Q(is_superuser=True)


def member_list() -> QuerySet:
    """Every member, by username, each with `is_admin`."""
    return get_user_model().objects.annotate(is_admin=_admin_q()).order_by("username")


def member_get(*, member_id: int):
    """One member with `is_admin`; raises the user model's DoesNotExist."""
    return member_list().get(pk=member_id)


def member_counts(members) -> dict:
    """How many members, admins, viewers and deactivated members, of a member_list()."""
    members = list(members)
    active = [m for m in members if m.is_active]
    return {
        "total": len(members),
        "admins": sum(1 for m in active if m.is_admin),
        "viewers": sum(1 for m in active if not m.is_admin),
        "inactive": len(members) - len(active),
    }


def member_find(*, username: str):
    """The member with this username (in any case), or None."""
    return member_list().filter(username__iexact=username).first()


def _active_admins_locked() -> list:
    # Locked until the end of the transaction, so two admins demoting each other at once cannot
    # both pass the last-admin check (SQLite: the immediate transaction is already exclusive).
    return list(get_user_model().objects.select_for_update().filter(_admin_q(), is_active=True))


def _is_self(by, member) -> bool:
    return by is not None and by.pk is not None and by.pk == member.pk


def _refuse_losing_an_admin(by, member, *, verb: str) -> None:
    """Before a demotion or deactivation: nobody does it to themselves, and one admin stays."""
    if _is_self(by, member):
        raise MemberError(f"You cannot {verb} yourself: ask another admin to do it.")
    if member.is_active and member.is_admin and len(_active_admins_locked()) <= 1:
        raise MemberError(
            f"{member.username} is the last active admin: make another member an admin "
            "first, so that someone can still manage the team."
        )


# --- services ---------------------------------------------------------------------------------

@sensitive_variables("password")
def member_add(*, by, username: str, password: str, admin: bool):
    """Create a member: an admin (changes things, sees tokens) or a viewer (browses)."""
    User = get_user_model()
    username = username.strip()
    if not username:
        raise MemberError("A member needs a username.", field="username")
    try:
        User._meta.get_field("username").run_validators(username)
    except ValidationError as exc:
        raise MemberError(" ".join(exc.messages), field="username") from None
    if User.objects.filter(username__iexact=username).exists():
        raise MemberError(f"There is already a member called “{username}”.", field="username")
    user = User(username=username)
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        if admin:
            user.groups.add(admins_group())
        audit_record(user=by, action="member.add", target=username,
                     detail=f"role {_role(admin)}")
    logger.info("member added: %s (%s) by %s", username, _role(admin), by.username)
    return member_get(member_id=user.pk)


def member_role_set(*, by, member, admin: bool) -> bool:
    """Make a member an admin or a viewer. Returns False when they already had that role."""
    with transaction.atomic():
        member = member_get(member_id=member.pk)
        if member.is_admin == admin:
            return False
        if not admin:
            _refuse_losing_an_admin(by, member, verb="demote")
        if admin:
            member.groups.add(admins_group())
        else:
            member.groups.remove(*Group.objects.filter(name=ADMINS_GROUP))
            if member.is_superuser:
                # A viewer is a viewer: a superuser would otherwise keep every permission.
                member.is_superuser = False
                member.save(update_fields=["is_superuser"])
        audit_record(user=by, action="member.role", target=member.username,
                     detail=f"{_role(not admin)} → {_role(admin)}")
    logger.info("member role: %s is now %s, by %s", member.username, _role(admin), by.username)
    return True


def member_active_set(*, by, member, active: bool) -> bool:
    """Let a member log in again, or no more (a deactivated member's sessions end at once).

    Returns False when nothing changed.
    """
    with transaction.atomic():
        member = member_get(member_id=member.pk)
        if member.is_active == active:
            return False
        if not active:
            _refuse_losing_an_admin(by, member, verb="deactivate")
        member.is_active = active
        member.save(update_fields=["is_active"])
        action = "member.activate" if active else "member.deactivate"
        audit_record(user=by, action=action, target=member.username,
                     detail="can log in again" if active else "can no longer log in")
    logger.info("%s: %s by %s", action, member.username, by.username)
    return True


@sensitive_variables("password")
def member_password_set(*, by, member, password: str) -> None:
    """Give a member a new password; it logs out their sessions (the caller keeps its own)."""
    validate_password(password, member)
    with transaction.atomic():
        member.set_password(password)
        member.save(update_fields=["password"])
        detail = "set their own password" if _is_self(by, member) else "reset"
        audit_record(user=by, action="member.password", target=member.username, detail=detail)
    logger.info("member password set: %s by %s", member.username, by.username)


def _role(admin: bool) -> str:
    return "admin" if admin else "viewer"
