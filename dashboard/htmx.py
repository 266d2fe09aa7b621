"""What every view that answers htmx shares: the request type that carries `request.htmx`, and
error answers that are a partial for htmx to swap in, or a whole page otherwise."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.http import push_url
from django_htmx.middleware import HtmxDetails

from cloud_elements import BudgetSpent, CloudElementsError, UpstreamTimeout, UpstreamUnavailable

# Set on a page the platform failed; static/js/app.js has htmx swap such an answer in although its
# status is not 2xx (htmx leaves error answers out by default), so the message is seen.
UPSTREAM_ERROR_HEADER = "X-Upstream-Error"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def error_response(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    # getattr: the error handlers may get a request that failed before HtmxMiddleware saw it.
    template = "error_partial.html" if getattr(request, "htmx", False) else "error.html"
    return render(request, template, {"title": title, "text": text, "status": status}, status=status)


def upstream_status(error: CloudElementsError | None) -> int:
    """The status of a page whose platform read failed: 504 when the platform did not answer in
    time, 503 when it could not be reached (or is not being tried for a while), 502 when it
    answered with an error; 200 when nothing failed."""
    if error is None:
        return 200
    if isinstance(error, UpstreamTimeout | BudgetSpent):
        return 504
    if isinstance(error, UpstreamUnavailable):
        return 503
    return 502


def upstream_page(request: HttpRequest, template: str, context: dict[str, Any], *,
                  error: CloudElementsError | None) -> HttpResponse:
    """Render a page, or the partial htmx asked for, with the status its platform error calls for."""
    response = render(request, template, context, status=upstream_status(error))
    if error is not None:
        response[UPSTREAM_ERROR_HEADER] = str(response.status_code)
    return response


def filtered_answer(response: HttpResponse, *, url: str | None) -> HttpResponse:
    """A list page filtered by its URL: htmx puts `url` in the address bar (only the filters in
    use, not every empty field of the form), and as one URL answers a page or a partial, caches
    are told to keep them apart."""
    if url:
        push_url(response, url)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response
