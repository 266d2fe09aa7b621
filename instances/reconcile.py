"""What a write whose answer never came really did, found out by reading the platform again.

A write that timed out after it was sent may have been made, or may still be under way: it is
never reported as "nothing happened". Each check here re-reads what the write was meant to
change and says what the platform shows. Where the re-read cannot show the write as made, its
outcome stays unknown (`OutcomeUnknown`), and the page and the audit log say so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from cloud_elements import CloudElementsError, NotFound

from . import selectors, submit_once
from .selectors import Instance
from .submit_once import Submitted


class OutcomeUnknown(CloudElementsError):
    """The platform did not answer a write, and reading it again did not show the write made."""

    outcome_unknown = True  # for templates: a different heading from "failed, nothing changed"


@dataclass(frozen=True)
class Reconciled:
    """What the re-read found: `done` only when the platform shows the write made."""

    done: bool
    found: str  # in words, for the page and the audit log
    instance: Instance | None = None


UNREADABLE = "the platform could not be read either"


def created_instance(*, marker: str) -> Reconciled:
    """A create is found by the tag that only its own form's submit put on an instance."""
    try:
        found = selectors.instance_list(tags=[marker])
    except CloudElementsError:
        return Reconciled(False, UNREADABLE)
    if not found:
        return Reconciled(False, "no instance made by this submit was found; it may still be created")
    instance = min(found, key=lambda i: i.id)
    return Reconciled(True, f"the platform shows it created, as ID {instance.id}", instance)


def _reread(instance_id: int, judge: Callable[[Instance], Reconciled], *,
            with_configuration: bool = False) -> Reconciled:
    """Read the instance again and let `judge` say what it shows of the write."""
    try:
        instance = selectors.instance_get(instance_id=instance_id, with_configuration=with_configuration)
    except NotFound:
        return Reconciled(False, "the instance no longer exists")
    except CloudElementsError:
        return Reconciled(False, UNREADABLE)
    return judge(instance)


def update_applied(*, instance_id: int, name: str, tags: Iterable[str]) -> Reconciled:
    def judge(instance: Instance) -> Reconciled:
        if instance.name == name and set(instance.tags) == set(tags):
            return Reconciled(True, "the platform shows the new name and tags", instance)
        return Reconciled(False, f"the platform still shows the name “{instance.name}” and tags "
                                 f"{', '.join(instance.tags) or 'none'}; the change may still be made",
                          instance)

    return _reread(instance_id, judge)


def reauthenticate_applied(
    *, instance_id: int, before: Instance, configuration: Mapping[str, str]
) -> Reconciled:
    """Compared on the values the platform shows back: a secret comes back masked, so a change
    of secrets alone cannot be seen, and stays unknown."""
    def judge(instance: Instance) -> Reconciled:
        old = {row.key: row.value for row in before.configuration}
        new = {row.key: row.value for row in instance.configuration}
        hidden = {row.key for row in (*before.configuration, *instance.configuration) if row.hidden}
        shown = (old.keys() | new.keys()) - hidden
        changes = [key for key, value in configuration.items() if key in shown and old.get(key) != value]
        if not changes:
            return Reconciled(False, "the platform does not show back any value that was changed "
                                     "(secrets are never shown), so it cannot tell", instance)
        if all(new.get(key) == configuration[key] for key in changes):
            return Reconciled(True, "the platform shows the new configuration: "
                                    + ", ".join(sorted(changes)), instance)
        return Reconciled(False, "the platform still shows the old configuration; the change may "
                                 "still be made", instance)

    return _reread(instance_id, judge, with_configuration=True)


def delete_applied(*, instance_id: int) -> Reconciled:
    try:
        selectors.instance_get(instance_id=instance_id)
    except NotFound:
        return Reconciled(True, "the platform shows it deleted")
    except CloudElementsError:
        return Reconciled(False, UNREADABLE)
    return Reconciled(False, "the instance still exists; it may still be deleted")


def enabled_applied(*, instance_id: int, enabled: bool) -> Reconciled:
    def judge(instance: Instance) -> Reconciled:
        if instance.disabled != enabled:
            return Reconciled(True, f"the platform shows it {'enabled' if enabled else 'disabled'}",
                              instance)
        return Reconciled(False, f"the platform still shows it {'disabled' if enabled else 'enabled'}; "
                                 f"the change may still be made", instance)

    return _reread(instance_id, judge)


def earlier_submit(token: str) -> Submitted:
    """What the submit that claimed this form token made; one still under way, or whose answer
    never came, is looked for again on the platform by its tag."""
    submitted = submit_once.submitted_get(token)
    if submitted is None:
        return Submitted(submit_once.EXPIRED)
    if submitted.state not in (submit_once.PENDING, submit_once.UNKNOWN):
        return submitted
    reconciled = created_instance(marker=submit_once.marker_tag(token))
    if not reconciled.done:
        return submitted
    instance = reconciled.instance
    submit_once.submitted_record(token, state=submit_once.CREATED, instance_id=instance.id,
                                 name=instance.name)
    return Submitted(submit_once.CREATED, instance.id, instance.name)
