"""A member's cached role is forgotten whenever their groups or flags change, however they change."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .roles import roles_forget

User = get_user_model()


@receiver(post_save, sender=User, dispatch_uid="team-roles-user-saved")
@receiver(post_delete, sender=User, dispatch_uid="team-roles-user-deleted")
def user_changed(sender, instance, **kwargs) -> None:  # superuser or active flags, a new login
    roles_forget([instance.pk])


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="team-roles-groups")
def groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not reverse:  # a member's groups
        if action.startswith("post_"):
            roles_forget([instance.pk])
    elif action == "pre_clear":  # a group emptied: its members, while they are still in it
        roles_forget(instance.user_set.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):  # a group's members
        roles_forget(pk_set)
