"""The one error boundary: what a view raises is rendered here, not in each view.

A platform read a page cannot do without is not caught in the view: `PlatformErrorMiddleware`
turns `NotFound` into the 404 page and any other `CloudElementsError` into the platform's own
error page (502, 503 or 504), or, for htmx, the partial htmx swaps in. Django's own 400/403/404/500
answers (`handler…` in `dashboard/urls.py`) use the same templates. A view still catches a
platform error where its page can show something without the failed part (the catalog without
counts), where the error is the answer to a write (a form that keeps what was typed), or where
an htmx answer has a place of its own for it (Try it out's answer box, the delete dialog).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.http import reswap

from cloud_elements import CloudElementsError, NotFound

from .htmx import UPSTREAM_ERROR_HEADER, error_response, upstream_status

# What the page was reading, by URL name, for the heading of its error page.
FAILED_READS = {
    "instances:authenticate": "The element could not be read",
    "instances:element_list": "The element's instances could not be read",
    "instances:list": "The instances could not be read",
    "instances:detail": "The instance could not be read",
    "instances:edit": "The instance could not be read",
    "instances:update": "The instance could not be read",
    "instances:reauthenticate": "The instance could not be read",
    "apidocs:docs": "The instance could not be read",
}


def not_found_text(request: HttpRequest) -> str:
    """What is missing, named from the URL the platform said 404 for."""
    kwargs = request.resolver_match.kwargs if request.resolver_match else {}
    if "instance_id" in kwargs:
        return f"There is no instance with ID {kwargs['instance_id']}. It may have been deleted."
    if "key" in kwargs:
        return f"There is no element “{kwargs['key']}” in the catalog."
    return "The platform has nothing at this address."


def platform_error(request: HttpRequest, error: CloudElementsError) -> HttpResponse:
    if isinstance(error, NotFound):
        return error_response(request, 404, "Not found", not_found_text(request))
    view_name = request.resolver_match.view_name if request.resolver_match else ""
    context = {
        "error": error,
        "heading": FAILED_READS.get(view_name, ""),
        "retry_url": request.get_full_path() if request.method == "GET" else "",
    }
    htmx = getattr(request, "htmx", False)
    template = "_upstream_error.html" if htmx else "upstream_error.html"
    response = render(request, template, context, status=upstream_status(error))
    response[UPSTREAM_ERROR_HEADER] = str(response.status_code)
    if htmx:
        # Into the element htmx meant to replace, not over it: its id stays for the next request.
        reswap(response, "innerHTML")
    return response


class PlatformErrorMiddleware:
    """Zulip's `JsonErrorHandler`, for pages: one `process_exception` for every platform error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, CloudElementsError):
            return platform_error(request, exception)
        return None


# --- Django's own error answers (handler400… in dashboard/urls.py) ------------------------------

@login_not_required
def error_400(request, exception=None):
    return error_response(request, 400, "Bad request", "The request could not be understood.")


ONLY_ADMINS = "Only admins can do this. Ask an admin of your team."


@login_not_required
def error_403(request, exception=None):
    # Roles are the only permission here: a refusal without words of its own is an admin-only action.
    text = str(exception) if exception and str(exception) else ONLY_ADMINS
    return error_response(request, 403, "Not allowed", text)


@login_not_required
def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (a page left open too long, cookies blocked)."""
    return error_response(request, 403, "Not allowed",
                          "This form was sent without a valid security token, so nothing was done. "
                          "Reload the page and try again; this site needs its cookies.")


@login_not_required
def error_404(request, exception=None):
    return error_response(request, 404, "Not found", "There is nothing at this address.")


@login_not_required
def error_500(request):
    return error_response(request, 500, "Something went wrong",
                          "The dashboard hit an error of its own. It has been logged; try again.")
