"""Instance lists, the detail page, View Token and Delete."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from catalog.elements import element_get, element_summary
from cloud_elements import CloudElementsError, NotFound
from dashboard.htmx import HtmxHttpRequest, filtered_answer, upstream_page
from team.roles import admin_required, token_viewer_required

from . import selectors, services
from .reconcile import OutcomeUnknown


@dataclass(frozen=True)
class Filters:
    """The list's state, all of it in the URL: ?q=…&element=…&tag=…"""

    q: str = ""
    element: str = ""
    tags: tuple[str, ...] = field(default=())

    @classmethod
    def from_query(cls, query: QueryDict) -> Filters:
        return cls(
            q=(query.get("q") or "").strip()[:200],
            element=(query.get("element") or "").strip()[:200],
            tags=tuple(t.strip() for t in query.getlist("tag") if t.strip())[:10],
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.element or self.tags)

    @property
    def tag(self) -> str:
        return self.tags[0] if self.tags else ""

    @property
    def querystring(self) -> str:
        data = {"q": self.q, "element": self.element, "tag": list(self.tags)}
        return urlencode({k: v for k, v in data.items() if v}, doseq=True)


# --- lists ----------------------------------------------------------------------------------

@require_GET
def instance_list(request: HtmxHttpRequest) -> HttpResponse:
    filters = Filters.from_query(request.GET)
    instances = selectors.instance_list(search_text=filters.q, tags=filters.tags, element_key=filters.element)
    context = {"filters": filters, "instances": instances}
    if request.htmx and request.htmx.target == "instance-results":
        url = reverse("instances:list") + (f"?{filters.querystring}" if filters.querystring else "")
        return filtered_answer(render(request, "instances/list.html#results", context), url=url)
    try:
        facets = selectors.instance_facets(None if filters.active else instances)
    except CloudElementsError:
        facets = selectors.instance_facets(instances)  # the filters then offer what this page shows
    context["facets"] = facets
    # A filter typed into the address bar still shows as chosen, even if nothing has it.
    context["extra_element"] = (
        filters.element if filters.element not in {e.key for e in facets.elements} else ""
    )
    context["extra_tag"] = filters.tag if filters.tag and filters.tag not in facets.tags else ""
    return filtered_answer(render(request, "instances/list.html", context), url=None)


@require_GET
def element_instance_list(request: HtmxHttpRequest, key: str) -> HttpResponse:
    element = element_summary(key=key)
    instances: list = []
    error = None
    try:
        instances = selectors.element_instance_list(key=key)
    except CloudElementsError as exc:
        error = exc  # the element's header still shows
    return upstream_page(request, "instances/element_list.html",
                         {"key": key, "element": element, "instances": instances, "error": error},
                         error=error)


# --- one instance ---------------------------------------------------------------------------

def _detail(request: HtmxHttpRequest, instance_id: int, *, token: str | None = None,
            revealed: tuple[str, str] | None = None) -> HttpResponse:
    instance = selectors.instance_get(instance_id=instance_id, with_configuration=True)
    return render(request, "instances/detail.html",
                  {"instance": instance, "instance_id": instance_id, "token": token,
                   "revealed_key": revealed[0] if revealed else None,
                   "revealed_value": revealed[1] if revealed else None, "large": True})


@require_GET
def instance_detail(request: HtmxHttpRequest, instance_id: int) -> HttpResponse:
    return _detail(request, instance_id)


# --- reveals: the token, a hidden configuration value -----------------------------------------
# A POST reveals (audited, never cached); a GET only ever hides again. With htmx the answer is the
# part that was hidden; without, the instance's page.

def _hidden(request: HtmxHttpRequest, instance_id: int, template: str, context: dict) -> HttpResponse:
    if not request.htmx:
        return redirect("instances:detail", instance_id=instance_id)
    return render(request, template, {"instance_id": instance_id, **context})


def _reveal_failed(request: HtmxHttpRequest, instance_id: int, template: str, context: dict,
                   message: str) -> HttpResponse:
    messages.error(request, message)
    return _hidden(request, instance_id, template, {**context, "oob_messages": True})


def _revealed(request: HtmxHttpRequest, instance_id: int, template: str, context: dict,
              **detail) -> HttpResponse:
    if request.htmx:
        response = render(request, template, {"instance_id": instance_id, **context})
    else:
        response = _detail(request, instance_id, **detail)
    patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
    return response


TOKEN_PART = "instances/_token.html"
CONFIG_VALUE_PART = "instances/detail.html#config_value"


@token_viewer_required
@require_http_methods(["GET", "POST"])
def instance_token(request: HtmxHttpRequest, instance_id: int) -> HttpResponse:
    if request.method == "GET":
        return _hidden(request, instance_id, TOKEN_PART, {})
    try:
        instance, token = selectors.instance_token(instance_id=instance_id)
    except NotFound:
        raise  # the 404 page, from the error boundary (dashboard/errors.py)
    except CloudElementsError as exc:
        return _reveal_failed(request, instance_id, TOKEN_PART, {},
                              f"Could not fetch the token of instance {instance_id}: {exc.user_message}")
    services.instance_token_reveal(user=request.user, instance=instance)
    return _revealed(request, instance_id, TOKEN_PART, {"token": token}, token=token)


@token_viewer_required
@require_http_methods(["GET", "POST"])
def instance_config_reveal(request: HtmxHttpRequest, instance_id: int) -> HttpResponse:
    """One configuration value the page keeps hidden, shown to an admin like View Token."""
    key = (request.POST.get("key") or request.GET.get("key") or "").strip()
    context = {"row": {"key": key, "hidden": True}}
    if request.method == "GET" or not key:
        return _hidden(request, instance_id, CONFIG_VALUE_PART, context)
    try:
        instance, value = selectors.instance_config_value(instance_id=instance_id, key=key)
    except NotFound:
        raise  # the 404 page, from the error boundary (dashboard/errors.py)
    except CloudElementsError as exc:
        return _reveal_failed(request, instance_id, CONFIG_VALUE_PART, context,
                              f"Could not read {key} of instance {instance_id}: {exc.user_message}")
    if value is None:
        messages.error(request, f"Instance {instance_id} has no configuration value {key}.")
        detail_url = reverse("instances:detail", kwargs={"instance_id": instance_id})
        return HttpResponseClientRedirect(detail_url) if request.htmx else redirect(detail_url)
    services.instance_config_reveal(user=request.user, instance=instance, key=key)
    return _revealed(request, instance_id, CONFIG_VALUE_PART,
                     {**context, "revealed_key": key, "revealed_value": value}, revealed=(key, value))


@admin_required
@require_POST
def instance_enabled(request: HtmxHttpRequest, instance_id: int) -> HttpResponse:
    enabled = request.POST.get("enabled") == "true"
    verb = "enable" if enabled else "disable"
    try:
        written = services.instance_enabled_set(user=request.user, instance_id=instance_id,
                                                enabled=enabled)
        label = written.instance.label if written.instance else f"instance {instance_id}"
    except NotFound:
        raise  # the error boundary answers 404
    except OutcomeUnknown as exc:
        messages.warning(request, f"Whether instance {instance_id} was {verb}d is unknown: "
                                  f"{exc.user_message}")
    except CloudElementsError as exc:
        messages.error(request, f"Could not {verb} instance {instance_id}: {exc.user_message}")
    else:
        if enabled:
            messages.success(request, f"Enabled {label}: its token works again.{written.late_note}")
        else:
            messages.success(request, f"Disabled {label}: calls with its token are refused "
                                      f"until you enable it.{written.late_note}")
    return redirect("instances:detail", instance_id=instance_id)


# --- delete ---------------------------------------------------------------------------------

def _back_url(request: HtmxHttpRequest) -> str:
    """The page the delete came from (path and query on this site), to go back to or recount."""
    candidates = [request.POST.get("next"), request.GET.get("next")]
    if request.htmx:
        candidates.append(request.htmx.current_url)
    candidates.append(request.headers.get("Referer"))
    for url in candidates:
        if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
            parts = urlsplit(url)
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return ""


def _page_of(url: str) -> tuple[str, dict]:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return "", {}
    return match.view_name, match.kwargs


def _counts_after_delete(back: str) -> dict:
    """What the page the delete came from needs redrawn: its count, or its empty state."""
    view_name, kwargs = _page_of(back)
    if view_name == "instances:element_list":
        instances = selectors.element_instance_list(key=kwargs["key"])
        # Only the empty state, drawn when the last one went, needs the element's name.
        element = None if instances else element_get(key=kwargs["key"])[0]
        return {"page": "element", "instances": instances, "element": element, "key": kwargs["key"]}
    if view_name == "instances:list":
        filters = Filters.from_query(QueryDict(urlsplit(back).query))
        instances = selectors.instance_list(
            search_text=filters.q, tags=filters.tags, element_key=filters.element
        )
        return {"page": "list", "instances": instances, "filters": filters}
    return {}


@admin_required
@require_http_methods(["GET", "POST"])
def instance_delete(request: HtmxHttpRequest, instance_id: int) -> HttpResponse:
    try:
        instance = selectors.instance_get(instance_id=instance_id)
    except NotFound:
        if request.method == "POST":  # deleted meanwhile, elsewhere: what was asked for is done
            messages.success(request, _ALREADY_DELETED.format(f"Instance {instance_id}"))
            return _after_delete(request, instance_id, _back_url(request), element_key="")
        raise  # the 404 page, from the error boundary (dashboard/errors.py)
    except CloudElementsError as exc:
        if request.method == "POST":
            messages.error(request, f"Could not delete instance {instance_id}: {exc.user_message}")
            return _delete_failed(request, instance_id)
        template = "instances/delete.html#modal" if request.htmx else "instances/delete.html"
        return upstream_page(request, template, {"instance": None, "instance_id": instance_id, "error": exc},
                             error=exc)
    back = _back_url(request)
    if request.method == "GET":
        template = "instances/delete.html#modal" if request.htmx else "instances/delete.html"
        return render(request, template, {"instance": instance, "instance_id": instance_id, "next": back})

    try:
        deleted = services.instance_delete(user=request.user, instance=instance)
    except OutcomeUnknown as exc:
        messages.warning(request, f"Whether {instance.label} was deleted is unknown: {exc.user_message}")
        return _delete_failed(request, instance_id)
    except CloudElementsError as exc:
        messages.error(request, f"Could not delete {instance.label}: {exc.user_message}")
        return _delete_failed(request, instance_id)
    if deleted.already:
        messages.success(request, _ALREADY_DELETED.format(instance.label))
    elif deleted.late:
        messages.success(request, f"Deleted instance {instance.label}: the platform did not answer in "
                                  f"time, but reading it again shows the instance gone. Its token no "
                                  f"longer works.")
    else:
        messages.success(request, f"Deleted instance {instance.label}. Its token no longer works.")
    return _after_delete(request, instance_id, back, element_key=instance.element.key)


_ALREADY_DELETED = "{} was already deleted (by someone else, meanwhile): it is gone, as you asked."


def _after_delete(request: HtmxHttpRequest, instance_id: int, back: str, *, element_key: str) -> HttpResponse:
    """Back where the delete came from; with htmx, the card goes and the counts are redrawn."""
    view_name, _ = _page_of(back)
    if not back or view_name not in ("instances:list", "instances:element_list"):
        # From the instance's own page, or nowhere known: its element's list is what is left.
        back = (reverse("instances:element_list", kwargs={"key": element_key}) if element_key
                else reverse("instances:list"))
        if request.htmx:
            return HttpResponseClientRedirect(back)
    if not request.htmx:
        return redirect(back)
    try:
        context = _counts_after_delete(back)
    except CloudElementsError:
        context = {}  # the card still goes; the counts are redrawn on the next visit
    response = render(request, "instances/delete_answer.html",
                      {"instance_id": instance_id, "oob": True, **context})
    # The card is the swap target: remove it, whatever else the answer carries out of band.
    response["HX-Reswap"] = "delete"
    return response


def _delete_failed(request: HtmxHttpRequest, instance_id: int) -> HttpResponse:
    if not request.htmx:
        back = _back_url(request) or reverse("instances:detail", kwargs={"instance_id": instance_id})
        return redirect(back)
    response = render(request, "instances/delete_answer.html", {"instance_id": instance_id, "oob": True})
    response["HX-Reswap"] = "none"  # the card stays
    return response

