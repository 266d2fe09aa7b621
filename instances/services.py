"""Changes to instances on the platform, each audited.

A write whose answer never came (`UpstreamTimeout`) may still have been made: it is reconciled
(`reconcile`), shown and audited as what the platform shows, or as "outcome unknown".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.views.decorators.debug import sensitive_variables

from catalog.counts import instance_counts_invalidate
from cloud_elements import NotFound, UpstreamTimeout, get_client
from team.audit import audit_record

from . import reconcile, submit_once
from .selectors import Instance, instance_from_platform, instance_get, instance_token


@dataclass(frozen=True)
class Written:
    """A write the platform made. `late`: it never answered, and reading it again showed the
    write made; `already`: a delete found the instance gone (someone else's delete came first)."""

    instance: Instance | None = None
    late: bool = False
    already: bool = False

    @property
    def late_note(self) -> str:
        """Said after the success message of a write whose answer never came."""
        return " The platform did not answer in time; reading it again showed this." if self.late else ""


def _unanswered(exc: UpstreamTimeout, reconciled: reconcile.Reconciled, *, user, action: str,
                target: str, detail: str) -> Written:
    """Audit a write that got no answer as what the re-read found; raise if it stays unknown."""
    instance_counts_invalidate()
    if reconciled.done:
        audit_record(user=user, action=action, target=target,
                     detail=f"{detail}; no answer came; when read again, {reconciled.found}")
        return Written(reconciled.instance, late=True)
    audit_record(user=user, action=action, target=target,
                 detail=f"{detail}; outcome unknown: no answer came; when read again, {reconciled.found}")
    raise reconcile.OutcomeUnknown(
        f"{exc.message} When read again, {reconciled.found}.", method=exc.method, path=exc.path,
    )


def instance_delete(*, user, instance: Instance) -> Written:
    """Delete on the platform (its token stops working), then note it; raises CloudElementsError.

    A 404 means someone else's delete came first: what was asked for is done, and theirs is the
    one audit entry."""
    detail = f"element {instance.element.key}"
    try:
        get_client().instance_delete(instance.id)
    except NotFound:
        instance_counts_invalidate()
        return Written(already=True)
    except UpstreamTimeout as exc:
        return _unanswered(exc, reconcile.delete_applied(instance_id=instance.id), user=user,
                           action="instance.delete", target=instance.label, detail=detail)
    instance_counts_invalidate()
    audit_record(user=user, action="instance.delete", target=instance.label, detail=detail)
    return Written()


def instance_token_reveal(*, user, instance: Instance) -> None:
    """A token was shown to someone: that is recorded, the token itself never is."""
    audit_record(user=user, action="token.view", target=instance.label,
                 detail=f"element {instance.element.key}")


def instance_config_reveal(*, user, instance: Instance, key: str) -> None:
    """A hidden configuration value was shown to someone: which key is recorded, never the value."""
    audit_record(user=user, action="configuration.view", target=instance.label,
                 detail=f"key {key}; element {instance.element.key}")


# --- Authenticate, Update and Re-Authenticate ----------------------------------------------

def instance_create(
    *,
    user,
    element_key: str,
    name: str,
    configuration: Mapping[str, str],
    tags: Iterable[str] = (),
    provider_data: Mapping[str, str] | None = None,
    marker: str = "",
) -> Written:
    """Authenticate a new instance (the provider checks the configuration); raises CloudElementsError.

    `marker` is a tag only this submit puts on an instance: without an answer, it finds the
    instance again."""
    detail = f"element {element_key}" + (" (OAuth)" if provider_data else "")
    try:
        created = get_client().instance_create(
            element_key=element_key, name=name, configuration=configuration,
            tags=[*tags, *([marker] if marker else [])], provider_data=provider_data,
        )
    except UpstreamTimeout as exc:
        reconciled = (reconcile.created_instance(marker=marker) if marker else
                      reconcile.Reconciled(False, "nothing marks this submit's instance to find it by"))
        return _unanswered(exc, reconciled, user=user, action="instance.create",
                           target=reconciled.instance.label if reconciled.instance else name,
                           detail=detail)
    instance = instance_from_platform(created)
    instance_counts_invalidate()
    audit_record(user=user, action="instance.create", target=instance.label, detail=detail)
    return Written(instance)


def instance_update(*, user, instance_id: int, name: str, tags: Iterable[str]) -> Written:
    """PATCH the name and tags only: nothing goes to the provider again."""
    tags = list(tags)
    detail = f"name and tags: {', '.join(tags) or 'no tags'}"
    try:
        updated = get_client().instance_update(instance_id, name=name, tags=tags)
    except UpstreamTimeout as exc:
        return _unanswered(exc, reconcile.update_applied(instance_id=instance_id, name=name, tags=tags),
                           user=user, action="instance.update", target=f"#{instance_id} {name}",
                           detail=detail)
    instance = instance_from_platform(updated) if updated and "id" in updated else None
    instance_counts_invalidate()
    audit_record(user=user, action="instance.update",
                 target=instance.label if instance else f"#{instance_id} {name}", detail=detail)
    return Written(instance)


def instance_reauthenticate(
    *,
    user,
    instance: Instance,
    configuration: Mapping[str, str],
    provider_data: Mapping[str, str] | None = None,
) -> Written:
    """PUT the whole configuration again (every stored secret typed anew: README, "Real
    platform"); the provider checks it. Raises CloudElementsError.

    A PUT carries the whole instance: its name and tags are sent as `instance` has them, read
    just before (the OAuth callback reads it again, so a rename made meanwhile is kept)."""
    # Which keys were sent, never their values.
    keys = ", ".join(sorted(configuration)) or "none"
    detail = (f"element {instance.element.key}; configuration keys sent: {keys}"
              + ("; OAuth" if provider_data else ""))
    try:
        updated = get_client().instance_reauthenticate(
            instance.id, element_key=instance.element.key, name=instance.name,
            configuration=configuration, tags=list(instance.tags), provider_data=provider_data,
        )
    except UpstreamTimeout as exc:
        reconciled = reconcile.reauthenticate_applied(instance_id=instance.id, before=instance,
                                                      configuration=configuration)
        return _unanswered(exc, reconciled, user=user, action="instance.reauthenticate",
                           target=instance.label, detail=detail)
    updated_view = instance_from_platform(updated) if updated and "id" in updated else None
    instance_counts_invalidate()
    audit_record(user=user, action="instance.reauthenticate",
                 target=updated_view.label if updated_view else instance.label, detail=detail)
    return Written(updated_view)


def instance_oauth_complete(
    *, user, pending: Mapping, provider_data: Mapping[str, str]
) -> tuple[Written, Instance | None]:
    """Finish an OAuth round trip with what the provider gave (`pending`: oauth_session's entry):
    create the instance it was started for, or re-authenticate the one it was started from, then
    also returned as read now. NotFound: that instance was deleted meanwhile."""
    instance_id = pending.get("instance_id")
    if instance_id:
        # Read now, not when the round trip started: a rename made meanwhile is kept, and only
        # the configuration is this step's to change.
        current = instance_get(instance_id=instance_id, with_configuration=True)
        written = instance_reauthenticate(user=user, instance=current,
                                          configuration=pending["configuration"], provider_data=provider_data)
        return written, current
    submit = pending.get("submit") or ""
    written = instance_create(
        user=user, element_key=pending["element_key"], name=pending["name"],
        configuration=pending["configuration"], tags=pending["tags"], provider_data=provider_data,
        marker=submit_once.marker_tag(submit) if submit else "",
    )
    return written, None


@sensitive_variables("token")
def instance_enabled_set(*, user, instance_id: int, enabled: bool) -> Written:
    """Enable or disable on the platform: a disabled instance's token is refused (403).

    The call is made as the instance, with its Element token (read here, sent upstream only), as
    the platform's material shows: `PUT /instances/enabled` (CloudElementsOpenLabs/formulas,
    MonitorTheHealthOfAnElement/README.md), and churros' "should allow disabling and enabling an
    instance" makes its enabled calls with the instance's token set.
    """
    instance, token = instance_token(instance_id=instance_id)
    client = get_client()
    action = "instance.enable" if enabled else "instance.disable"
    detail = f"element {instance.element.key}"
    try:
        if enabled:
            client.instance_enable(token)
        else:
            client.instance_disable(token)
    except UpstreamTimeout as exc:
        return _unanswered(exc, reconcile.enabled_applied(instance_id=instance.id, enabled=enabled),
                           user=user, action=action, target=instance.label, detail=detail)
    audit_record(user=user, action=action, target=instance.label, detail=detail)
    return Written(instance)
