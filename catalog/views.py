"""The catalog page: every element as a card, search and filters in the URL, and Refresh."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cloud_elements import CloudElementsError
from dashboard.htmx import HtmxHttpRequest, filtered_answer, upstream_page
from team.roles import can_manage

from . import selectors
from .cards import cards_html, options_html
from .counts import instance_counts, instance_counts_invalidate
from .selectors import CatalogQuery

RESULTS_TARGET = "catalog-results"
MORE_TARGET = "catalog-more"


def _index_url(query: CatalogQuery, *, page: int = 1) -> str:
    params = query.params(page=page)
    return reverse("catalog:index") + (f"?{urlencode(params)}" if params else "")


def _results_context(request: HtmxHttpRequest, catalog: selectors.Catalog, query: CatalogQuery, *,
                     chunk_only: bool) -> dict:
    """The cards that match, with their instance banners when the counts can be read."""
    context: dict = {"counts_error": None}
    try:
        counts = instance_counts()
    except CloudElementsError as exc:
        counts = None  # the catalog still shows, without banners
        context["counts_error"] = exc
    result = selectors.catalog_search(catalog, query, counts=counts, chunk_only=chunk_only)
    hubs, auth_types = {o.value for o in catalog.hubs}, {o.value for o in catalog.auth_types}
    return {
        **context,
        "catalog": catalog,
        "catalog_fresh": (timezone.now() - catalog.fetched_at).total_seconds() < 60,
        "result": result,
        "cards": cards_html(result.cards, stamp=catalog.stamp, can_manage=can_manage(request.user)),
        "hub_options": options_html(catalog.hubs, stamp=catalog.stamp, name="hub", selected=query.hub),
        "auth_options": options_html(catalog.auth_types, stamp=catalog.stamp, name="auth",
                                     selected=query.auth),
        "more_url": _index_url(query, page=result.page + 1),
        # A filter typed into the address bar still shows as chosen, even if nothing has it.
        "extra_hub": query.hub if query.hub and query.hub not in hubs else "",
        "extra_auth": query.auth if query.auth and query.auth not in auth_types else "",
    }


@require_GET
def index(request: HtmxHttpRequest) -> HttpResponse:
    query = CatalogQuery.from_query(request.GET)
    target = request.htmx.target if request.htmx else None
    context: dict = {"query": query, "error": None, "counts_error": None}
    try:
        catalog = selectors.catalog_get()
    except CloudElementsError as exc:
        catalog = None
        context["error"] = exc  # the page keeps its filters and its Refresh button
    if catalog is not None:
        context.update(_results_context(request, catalog, query, chunk_only=target == MORE_TARGET))
    if target == MORE_TARGET:
        template = "catalog/index.html#chunk"
        url = _index_url(query, page=context["result"].page) if catalog else None
    elif target == RESULTS_TARGET:
        template, url = "catalog/index.html#results", _index_url(query)
    else:
        template, url = "catalog/index.html", None
    return filtered_answer(upstream_page(request, template, context, error=context["error"]), url=url)


def _back_to_catalog(request: HttpRequest) -> str:
    """The catalog with the filters the user was looking at (rebuilt, never a URL taken as is)."""
    for url in (request.headers.get("Referer"), request.POST.get("next")):
        if not url:
            continue
        parts = urlsplit(url)
        if parts.path in ("", reverse("catalog:index")):
            return _index_url(CatalogQuery.from_query(QueryDict(parts.query)))
    return reverse("catalog:index")


@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    """Drop the cached catalog and counts, read them again, and go back (viewers may too)."""
    selectors.catalog_forget()
    instance_counts_invalidate()
    try:
        catalog = selectors.catalog_get()
    except CloudElementsError as exc:
        messages.error(request, f"Could not refresh the catalog: {exc.user_message}")
    else:
        if catalog.unreachable:
            messages.error(request, f"Could not refresh the catalog: {catalog.unreachable}")
            return redirect(_back_to_catalog(request))
        count = len(catalog.elements)
        messages.success(request, f"Catalog refreshed: {count:,} element{'s' if count != 1 else ''} "
                                  "read from the platform.")
    return redirect(_back_to_catalog(request))
