"""What every view that answers htmx shares: the request type that carries `request.htmx`, and
error answers that are a partial for htmx to swap in, or a whole page otherwise."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def error_response(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    # getattr: the error handlers may get a request that failed before HtmxMiddleware saw it.
    template = "error_partial.html" if getattr(request, "htmx", False) else "error.html"
    return render(request, template, {"title": title, "text": text, "status": status}, status=status)


def instance_not_found(request: HttpRequest, instance_id: int) -> HttpResponse:
    return error_response(request, 404, "Not found",
                          f"There is no instance with ID {instance_id}. It may have been deleted.")


def element_not_found(request: HttpRequest, key: str) -> HttpResponse:
    return error_response(request, 404, "Not found", f"There is no element “{key}” in the catalog.")
