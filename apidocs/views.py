"""API Docs of an instance, and Try it out, which runs a call of those docs on the server."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from cloud_elements import CloudElementsError, NotFound
from dashboard.htmx import HtmxHttpRequest, upstream_page
from instances.selectors import Instance
from team.roles import admin_required, can_manage

from . import selectors, services, tryit
from .swagger import ApiDocs, Operation, ResourceGroup
from .tryit import Refused, TryItForm


@dataclass(frozen=True)
class OperationItem:
    op: Operation
    form: TryItForm
    open: bool = False
    shown: bool = True  # what the filter (?q=) leaves; the others are rendered hidden


@dataclass(frozen=True)
class ResourceGroupItems:
    group: ResourceGroup
    items: tuple[OperationItem, ...]

    @property
    def shown_count(self) -> int:
        return sum(1 for item in self.items if item.shown)


def _matches(op: Operation, query: str) -> bool:
    return all(word in op.search_text for word in query.lower().split())


def _groups(docs: ApiDocs, *, query: str = "", active: TryItForm | None = None) -> list[ResourceGroupItems]:
    """The resource groups as the page shows them; ?q= hides what does not match (without JS too)."""
    views = []
    for group in docs.groups:
        items = []
        for op in group.operations:
            if active is not None and op.key == active.operation.key:
                items.append(OperationItem(op, active, open=True))
            else:
                items.append(OperationItem(op, tryit.form_initial(op),
                                           shown=not query or _matches(op, query)))
        views.append(ResourceGroupItems(group, tuple(items)))
    return views


def _page(request: HtmxHttpRequest, instance: Instance, docs: ApiDocs | None, *,
          docs_error: CloudElementsError | None = None, active: TryItForm | None = None,
          refusal: str = "", status: int | None = None) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:200]
    groups = _groups(docs, query=query, active=active) if docs else []
    context = {
        "instance": instance,
        "instance_id": instance.id,
        "docs": docs,
        "docs_error": docs_error,
        "groups": groups,
        "query": query,
        "operation_count": len(docs.operations) if docs else 0,
        "shown_count": sum(g.shown_count for g in groups),
        "refusal": refusal,
    }
    if status is None:
        response = upstream_page(request, "apidocs/docs.html", context, error=docs_error)
    else:
        response = render(request, "apidocs/docs.html", context, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def docs(request: HtmxHttpRequest, instance_id: int) -> HttpResponse:
    instance = selectors.docs_instance(instance_id=instance_id, user=request.user,
                                       may_execute=can_manage(request.user))
    try:
        api = selectors.api_docs(instance_id=instance_id, element_key=instance.element.key, refresh=True)
    except CloudElementsError as exc:  # unreadable docs too (DocsUnreadable)
        return _page(request, instance, None, docs_error=exc)
    return _page(request, instance, api)


def _answer_target(request: HtmxHttpRequest) -> str:
    """Where a refusal that names no operation goes: the answer box of the form that posted."""
    target = re.sub(r"[^A-Za-z0-9_-]", "", request.htmx.target or "")[:200] if request.htmx else ""
    return f"#{target}-answer" if target.endswith("-tryit") else ""


def _notice(request: HtmxHttpRequest, *, refusal: str = "", error: CloudElementsError | None = None,
            instance: Instance | None = None, instance_id: int) -> HttpResponse:
    """A refusal or an upstream error before any operation was found: shown where the answer goes."""
    context = {"refusal": refusal, "error": error, "instance_id": instance_id}
    if request.htmx:
        response = render(request, "apidocs/docs.html#notice", context)
        target = _answer_target(request)
        if target:
            response["HX-Retarget"] = target
            response["HX-Reswap"] = "innerHTML"
        return response
    if instance is not None and error is None:
        try:
            api = selectors.api_docs(instance_id=instance_id, element_key=instance.element.key)
        except CloudElementsError:
            api = None
        return _page(request, instance, api, refusal=refusal, status=400)
    return render(request, "apidocs/docs.html",
                  {"instance": instance, "instance_id": instance_id, "docs_error": error,
                   "refusal": refusal}, status=400 if refusal else 200)


def _tryit_answer(request: HtmxHttpRequest, instance: Instance, docs: ApiDocs,
                  form: TryItForm) -> HttpResponse:
    if request.htmx:
        response = render(request, "apidocs/docs.html#tryit",
                          {"op": form.operation, "form": form, "instance": instance,
                           "instance_id": instance.id})
    else:  # without JavaScript: the whole page, this operation open at its answer
        status = 400 if form.error and form.answer is None else 200
        response = _page(request, instance, docs, active=form, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response


@sensitive_post_parameters()
# Every variable, in this view and in every call beneath it (the client's headers hold the token
# and our secrets; its params and the curl line hold what was typed), is hidden in error reports.
@sensitive_variables()
@admin_required
@require_POST
def execute(request: HtmxHttpRequest, instance_id: int) -> HttpResponse:
    """Send one operation of the instance's docs with its token; viewers are refused (403)."""
    try:
        # The token the docs page read (or one read now) to send the call with; it never leaves
        # the server.
        instance, token = selectors.tryit_instance(instance_id=instance_id, user=request.user)
    except NotFound:
        raise  # the 404 page, from the error boundary (dashboard/errors.py)
    except CloudElementsError as exc:
        return _notice(request, error=exc, instance_id=instance_id)
    try:
        api = selectors.api_docs(instance_id=instance_id, element_key=instance.element.key)
    except CloudElementsError as exc:
        return _notice(request, error=exc, instance=instance, instance_id=instance_id)
    try:
        operation = tryit.operation_for(api, request.POST)
    except Refused as refused:
        if refused.operation is None:
            return _notice(request, refusal=refused.message, instance=instance, instance_id=instance_id)
        form = tryit.form_bound(refused.operation, request.POST)
        form.error = refused.message
        return _tryit_answer(request, instance, api, form)
    form = tryit.form_bound(operation, request.POST)
    if form.valid:
        try:
            call = tryit.prepare_call(form, api, request.POST)
            form.answer = services.api_call_execute(user=request.user, instance=instance, token=token,
                                                    call=call)
        except Refused as refused:
            form.error = refused.message
    return _tryit_answer(request, instance, api, form)
