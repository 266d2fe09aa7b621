from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .audit import audit_actions, audit_list
from .roles import admin_required


@admin_required
def audit_log(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action") or None
    page = Paginator(audit_list(action=action), 50).get_page(request.GET.get("page"))
    actions = audit_actions()
    return render(
        request, "team/audit_log.html", {"page": page, "action": action or "", "actions": actions}
    )


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    template = "error_partial.html" if getattr(request, "htmx", False) else "error.html"
    return render(request, template, {"title": title, "text": text, "status": status},
                  status=status)


@login_not_required
def error_400(request, exception=None):
    return _error(request, 400, "Bad request", "The request could not be understood.")


@login_not_required
def error_403(request, exception=None):
    text = str(exception) if exception and str(exception) else "You may not do this."
    return _error(request, 403, "Not allowed", text)


@login_not_required
def error_404(request, exception=None):
    return _error(request, 404, "Not found", "There is nothing at this address.")


@login_not_required
def error_500(request):
    return _error(request, 500, "Something went wrong",
                  "The dashboard hit an error of its own. It has been logged; try again.")
