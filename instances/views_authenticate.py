"""Authenticate an element (a form built from its configuration metadata), OAuth 1 and 2, and Edit.

Every form posts to its own page and works without JavaScript; with htmx the form alone is
redrawn (errors) or the browser is sent on (success, OAuth consent page).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from catalog.elements import ElementSummary, element_get
from cloud_elements import MASK, CloudElementsError, NotFound
from dashboard.htmx import HtmxHttpRequest, error_response
from team.roles import admin_required

from . import oauth_provider, oauth_session, reconcile, selectors, services, submit_once
from .config_form import (
    OAUTH_API_KEY,
    OAUTH_API_SECRET,
    InstanceConfigForm,
    InstanceIdentityForm,
    is_oauth,
    is_oauth1,
)
from .reconcile import OutcomeUnknown
from .selectors import Instance


def _callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("instances:oauth_callback"))


def _go(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """Send the browser on: a redirect, or htmx's own for a request htmx made."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@sensitive_variables("configuration", "form", "start")
def _oauth_start(
    request: HtmxHttpRequest,
    *,
    element: ElementSummary,
    raw_element: dict,
    form: InstanceConfigForm,
    name: str,
    tags: list[str],
    instance_id: int | None = None,
    submit: str = "",
) -> HttpResponse:
    """Ask the platform for the provider's consent URL, remember the request, send the browser there."""
    configuration = form.configuration()
    state = secrets.token_urlsafe(32)
    start = oauth_provider.consent_start(
        element_key=element.key, oauth1=is_oauth1(raw_element), configuration=configuration,
        callback_url=_callback_url(request), state=state, parameters=form.oauth_url_parameters(),
    )
    oauth_session.pending_add(request, {
        "state": state,
        "created": time.time(),
        "element_key": element.key,
        "element_name": element.name,
        "instance_id": instance_id,
        "submit": submit,
        "name": name,
        "tags": tags,
        "configuration": configuration,
        "draft": form.draft(),
        **start.pending,
    })
    return _go(request, start.url)


# --- Authenticate -----------------------------------------------------------------------------

def _render_authenticate(request: HtmxHttpRequest, context: dict[str, Any]) -> HttpResponse:
    template = "instances/authenticate.html#form" if request.htmx else "instances/authenticate.html"
    return render(request, template, context)


@sensitive_post_parameters()
@sensitive_variables("form", "configuration", "pending")
@admin_required
@require_http_methods(["GET", "POST"])
def authenticate(request: HtmxHttpRequest, key: str) -> HttpResponse:
    element, raw_element = element_get(key=key)
    draft = oauth_session.draft_pop(request, element_key=element.key) if request.method == "GET" else None
    form = InstanceConfigForm(
        request.POST if request.method == "POST" else None,
        element=raw_element, callback_url=_callback_url(request),
        initial=(draft or {}).get("values"),
    )
    oauth = is_oauth(raw_element)
    error = oauth_session.error_from((draft or {}).get("error"))
    # After a failed OAuth round trip the form comes back without the secrets typed before it.
    secrets_cleared = error is not None and form.has_secrets
    submitted = None
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get(submit_once.FIELD, "")
        if submit_once.token_claim(submit, element_key=element.key):
            try:
                return _create(request, element=element, raw_element=raw_element, form=form, oauth=oauth,
                               submit=submit)
            except CloudElementsError as exc:
                error = exc
        else:
            # A second submit of one form: nothing is sent again; say what the first one did.
            submitted = reconcile.earlier_submit(submit)
    return _render_authenticate(request, {
        "key": key, "element": element, "form": form, "oauth": oauth,
        "oauth1": is_oauth1(raw_element), "error": error,
        "secrets_cleared": secrets_cleared or form.secrets_typed, "submitted": submitted,
        # Each form drawn, a failed one too, is a new submit of its own.
        "submit_token": submit_once.token_issue(element_key=element.key),
    })


@sensitive_variables("form")
def _create(request: HtmxHttpRequest, *, element: ElementSummary, raw_element: dict,
            form: InstanceConfigForm, oauth: bool, submit: str) -> HttpResponse:
    """The one submit that claimed its form token: on to the provider, or to the instance made;
    what it did, a failure too, is recorded under the token. Raises CloudElementsError."""
    name, tags = form.cleaned_data["name"], form.cleaned_data["tags"]
    try:
        if oauth:
            return _oauth_start(request, element=element, raw_element=raw_element, form=form, name=name,
                                tags=tags, submit=submit)
        written = services.instance_create(
            user=request.user, element_key=element.key, name=name,
            configuration=form.configuration(), tags=tags, marker=submit_once.marker_tag(submit),
        )
    except CloudElementsError as exc:
        state = submit_once.UNKNOWN if isinstance(exc, OutcomeUnknown) else submit_once.FAILED
        submit_once.submitted_record(submit, state=state)
        raise
    return _created(request, element_name=element.name, written=written, submit=submit)


def _created(request: HtmxHttpRequest, *, element_name: str, written: services.Written,
             submit: str) -> HttpResponse:
    instance = written.instance
    submit_once.submitted_record(submit, state=submit_once.CREATED, instance_id=instance.id,
                                 name=instance.name)
    messages.success(request, f"Authenticated {element_name}: instance “{instance.name}”, ID {instance.id}."
                              + written.late_note)
    return _go(request, reverse("instances:detail", kwargs={"instance_id": instance.id}))



def _oauth_not_done(request: HtmxHttpRequest, pending: dict, said: str, *,
                    error: CloudElementsError | None) -> HttpResponse:
    """Back to the form the round trip started from, filled again as it was (secrets aside)."""
    instance_id = pending.get("instance_id")
    nothing_done = "Nothing was changed." if instance_id else "No instance was created."
    messages.error(request, f"{said} {nothing_done}" + (" You can try again." if error is None else ""))
    if pending.get("submit"):
        submit_once.submitted_record(pending["submit"], state=submit_once.FAILED)
    oauth_session.draft_save(request, pending, error=error)
    if instance_id:
        return redirect("instances:edit", instance_id=instance_id)
    return redirect("instances:authenticate", key=pending["element_key"])


def _oauth_unknown(request: HtmxHttpRequest, pending: dict, exc: OutcomeUnknown) -> HttpResponse:
    """No answer came to the write, and reading again could not tell: say so, on the page to check."""
    instance_id = pending.get("instance_id")
    if pending.get("submit"):
        submit_once.submitted_record(pending["submit"], state=submit_once.UNKNOWN)
    what = "it was re-authenticated" if instance_id else "an instance was created"
    messages.warning(request, f"Whether {what} is unknown: {exc.user_message}")
    if instance_id:
        return redirect("instances:detail", instance_id=instance_id)
    return redirect("instances:element_list", key=pending["element_key"])


@sensitive_variables("pending", "answer")
@admin_required
@require_GET
def oauth_callback(request: HtmxHttpRequest) -> HttpResponse:
    """The provider sends the browser back here with `code` and `state` (or `error`); an OAuth1
    provider with `oauth_token` and `oauth_verifier` (or `denied`)."""
    state = request.GET.get("state") or oauth_session.state_for_request_token(
        request, request.GET.get("oauth_token") or request.GET.get("denied") or "")
    pending = oauth_session.pending_pop(request, state)
    if pending is None:
        return error_response(
            request, 400, "This sign-in answer was refused",
            "It does not match an authentication you started here, or it was already used or is too "
            "old. Nothing was created. Start the authentication again from the catalog.")
    answer = oauth_provider.provider_answer(pending, request.GET)
    if answer.provider_data is None:
        detail = f" ({answer.detail})" if answer.detail else ""
        return _oauth_not_done(request, pending, f"The provider refused: {answer.refusal}{detail}.",
                               error=None)
    try:
        written, current = services.instance_oauth_complete(
            user=request.user, pending=pending, provider_data=answer.provider_data)
    except NotFound:
        messages.error(request, f"Instance {pending.get('instance_id')} no longer exists: it was deleted "
                                f"meanwhile. Nothing was changed.")
        return redirect("instances:list")
    except OutcomeUnknown as exc:
        return _oauth_unknown(request, pending, exc)
    except CloudElementsError as exc:
        return _oauth_not_done(request, pending, f"{pending['element_name']} did not accept the "
                                                 f"authorization.", error=exc)
    if current is None:
        return _created(request, element_name=pending["element_name"], written=written,
                        submit=pending.get("submit") or "")
    messages.success(request, f"Re-authenticated “{current.name}” (ID {current.id}) "
                              f"with {pending['element_name']}." + written.late_note)
    return redirect("instances:detail", instance_id=current.id)


# --- Edit: one page, two actions: Update (PATCH) and Re-Authenticate (PUT) ---------------------

def _stored_configuration(instance: Instance) -> dict[str, str]:
    """The instance's values for the form: a secret (or anything hidden) only as the mask."""
    return {row.key: MASK if row.hidden else row.value for row in instance.configuration}


def _edit_forms(request: HtmxHttpRequest, instance: Instance, raw_element: dict, *,
                bound: str = "", initial: dict | None = None):
    """The Edit page's two forms; `bound` names the one this request posted."""
    update_form = InstanceIdentityForm(
        request.POST if bound == "update" else None,
        initial={"name": instance.name, "tags": ", ".join(instance.tags)},
    )
    stored = _stored_configuration(instance)
    reauth_form = InstanceConfigForm(
        request.POST if bound == "reauthenticate" else None,
        element=raw_element, callback_url=_callback_url(request),
        stored=stored, with_identity=False,
        # Every stored secret is asked for again: the PUT carries the whole configuration, because
        # the platform's documentation does not say that it keeps a key a PUT leaves out (README,
        # "Real platform"). The consent URL also needs the app's key and secret.
        require_secrets=frozenset(k for k, v in stored.items() if v == MASK)
        | (frozenset({OAUTH_API_KEY, OAUTH_API_SECRET}) if is_oauth(raw_element) else frozenset()),
        initial=initial,
    )
    return update_form, reauth_form


def _edit_page(request: HtmxHttpRequest, instance: Instance, raw_element: dict, forms, *,
               section: str = "", update_error: CloudElementsError | None = None,
               reauth_error: CloudElementsError | None = None, secrets_cleared: bool = False) -> HttpResponse:
    """The Edit page, or with htmx the section that posted (its errors, what was typed)."""
    update_form, reauth_form = forms
    context = {
        "instance": instance, "instance_id": instance.id, "oauth": is_oauth(raw_element),
        "update_form": update_form, "update_error": update_error,
        "form": reauth_form, "error": reauth_error,
        "secrets_cleared": secrets_cleared or reauth_form.secrets_typed,
    }
    if request.htmx and section:
        return render(request, f"instances/edit.html#{section}", context)
    return render(request, "instances/edit.html", context)


@sensitive_variables("forms", "draft")
@admin_required
@require_GET
def instance_edit(request: HtmxHttpRequest, instance_id: int) -> HttpResponse:
    instance, raw_element = selectors.instance_for_edit(instance_id=instance_id)
    # Back from a failed OAuth round trip: the form as it was typed, without its secrets.
    draft = oauth_session.draft_pop(request, element_key=instance.element.key, instance_id=instance.id) or {}
    forms = _edit_forms(request, instance, raw_element, initial=draft.get("values"))
    error = oauth_session.error_from(draft.get("error"))
    return _edit_page(request, instance, raw_element, forms, reauth_error=error,
                      secrets_cleared=error is not None and forms[1].has_secrets)


@sensitive_post_parameters()
@sensitive_variables("forms")
@admin_required
@require_POST
def instance_update(request: HtmxHttpRequest, instance_id: int) -> HttpResponse:
    """Update: the name and tags only (PATCH); nothing goes to the provider."""
    instance, raw_element = selectors.instance_for_edit(instance_id=instance_id)
    forms = _edit_forms(request, instance, raw_element, bound="update")
    if not forms[0].is_valid():
        return _edit_page(request, instance, raw_element, forms, section="update")
    name, tags = forms[0].cleaned_data["name"], forms[0].cleaned_data["tags"]
    try:
        written = services.instance_update(user=request.user, instance_id=instance.id, name=name, tags=tags)
    except CloudElementsError as exc:  # OutcomeUnknown too: the section says which
        return _edit_page(request, instance, raw_element, forms, section="update", update_error=exc)
    messages.success(request, f"Updated the name and tags of instance ID {instance.id}: “{name}”. "
                              f"Nothing was sent to the provider." + written.late_note)
    return _go(request, reverse("instances:detail", kwargs={"instance_id": instance.id}))


@sensitive_post_parameters()
@sensitive_variables("forms", "form")
@admin_required
@require_POST
def instance_reauthenticate(request: HtmxHttpRequest, instance_id: int) -> HttpResponse:
    """Re-Authenticate: the configuration again (PUT), or for OAuth the consent page first."""
    instance, raw_element = selectors.instance_for_edit(instance_id=instance_id)
    forms = _edit_forms(request, instance, raw_element, bound="reauthenticate")
    form = forms[1]
    if not form.is_valid():
        return _edit_page(request, instance, raw_element, forms, section="reauthenticate")
    try:
        if is_oauth(raw_element):
            return _oauth_start(request, element=instance.element, raw_element=raw_element, form=form,
                                name=instance.name, tags=list(instance.tags), instance_id=instance.id)
        written = services.instance_reauthenticate(user=request.user, instance=instance,
                                                   configuration=form.configuration())
    except CloudElementsError as exc:
        return _edit_page(request, instance, raw_element, forms, section="reauthenticate", reauth_error=exc)
    messages.success(request, f"Re-authenticated “{instance.name}” (ID {instance.id}): "
                              f"{instance.element.name} accepted the configuration." + written.late_note)
    return _go(request, reverse("instances:detail", kwargs={"instance_id": instance.id}))
