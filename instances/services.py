"""Changes to instances on the platform, each audited."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

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


def instance_config_reveal(*, user, instance: InstanceView, key: str) -> None:
    """A hidden configuration value was shown to someone: which key is recorded, never the value."""
    audit_record(user=user, action="configuration.view", target=instance.label,
                 detail=f"key {key}; element {instance.element.key}")


# --- Authenticate, Update and Re-Authenticate ----------------------------------------------

def _without_token(instance: dict) -> InstanceView:
    from .selectors import _instance_view

    return _instance_view(instance)


def instance_create(
    *,
    user,
    element_key: str,
    name: str,
    configuration: Mapping[str, str],
    tags: Iterable[str] = (),
    provider_data: Mapping[str, str] | None = None,
) -> InstanceView:
    """Authenticate a new instance (the provider checks the configuration); raises CloudElementsError."""
    created = get_client().instance_create(
        element_key=element_key, name=name, configuration=configuration, tags=list(tags),
        provider_data=provider_data,
    )
    instance = _without_token(created)
    instance_counts_invalidate()
    audit_record(user=user, action="instance.create", target=instance.label,
                 detail=f"element {element_key}" + (" (OAuth)" if provider_data else ""))
    return instance


def instance_update(*, user, instance_id: int, name: str, tags: Iterable[str]) -> InstanceView | None:
    """PATCH the name and tags only: nothing goes to the provider again."""
    tags = list(tags)
    updated = get_client().instance_update(instance_id, name=name, tags=tags)
    instance = _without_token(updated) if updated and "id" in updated else None
    instance_counts_invalidate()
    label = instance.label if instance else f"#{instance_id} {name}"
    audit_record(user=user, action="instance.update", target=label,
                 detail=f"name and tags: {', '.join(tags) or 'no tags'}")
    return instance


def instance_reauthenticate(
    *,
    user,
    instance_id: int,
    element_key: str,
    name: str,
    configuration: Mapping[str, str],
    tags: Iterable[str] = (),
    provider_data: Mapping[str, str] | None = None,
) -> InstanceView | None:
    """PUT the configuration again; keys left out keep their stored values. Raises CloudElementsError."""
    updated = get_client().instance_reauthenticate(
        instance_id, element_key=element_key, name=name, configuration=configuration,
        tags=list(tags), provider_data=provider_data,
    )
    instance = _without_token(updated) if updated and "id" in updated else None
    instance_counts_invalidate()
    # Which keys were sent, never their values.
    keys = ", ".join(sorted(configuration)) or "none"
    audit_record(user=user, action="instance.reauthenticate",
                 target=instance.label if instance else f"#{instance_id} {name}",
                 detail=f"element {element_key}; configuration keys sent: {keys}"
                        + ("; OAuth" if provider_data else ""))
    return instance


def instance_enabled_set(*, user, instance: InstanceView, enabled: bool) -> None:
    """Enable or disable on the platform: a disabled instance's token is refused (403)."""
    client = get_client()
    if enabled:
        client.instance_enable(instance.id)
    else:
        client.instance_disable(instance.id)
    audit_record(user=user, action="instance.enable" if enabled else "instance.disable",
                 target=instance.label, detail=f"element {instance.element.key}")
