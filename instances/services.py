"""Changes to instances on the platform, each audited."""

from __future__ import annotations

from cloud_elements import get_client
from team.audit import audit_record

from .selectors import InstanceView, instance_counts_invalidate


def instance_delete(*, user, instance: InstanceView) -> None:
    """Delete on the platform (its token stops working), then note it; raises CloudElementsError."""
    get_client().instance_delete(instance.id)
    instance_counts_invalidate()
    audit_record(user=user, action="instance.delete", target=instance.label,
                 detail=f"element {instance.element.key}")


def instance_token_reveal(*, user, instance: InstanceView) -> None:
    """A token was shown to someone: that is recorded, the token itself never is."""
    audit_record(user=user, action="token.view", target=instance.label,
                 detail=f"element {instance.element.key}")
