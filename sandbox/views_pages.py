"""The sandbox's own pages: the provider's OAuth consent page, element logos, and a home page
that says what the sandbox is and sets its fault switches (demo and test modes only)."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.http.request import validate_host
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cloud_elements.oauth_parameters import oauth_url_parameters

from . import catalog
from .faults import fault_add, fault_clear, faults_enabled
from .models import Fault, Instance
from .oauth import request_token_answer, request_token_for_consent, with_query
from .oauth_codes import oauth_code_issue


def _invalid(reason: str) -> HttpResponse:
    return HttpResponseBadRequest(f"<h1>Invalid authorization request</h1><p>{escape(reason)}</p>")


def _known_host(url: str) -> bool:
    # As a provider only sends users back to an app's registered addresses: here, this server's.
    return validate_host(urlsplit(url).hostname or "", settings.ALLOWED_HOSTS)


def _site(element: dict, source) -> list[dict[str, str]]:
    """The element's own OAuth parameters the consent URL carries (its subdomain…), shown."""
    return [{"query": p.query, "label": p.label, "value": source[p.query]}
            for p in oauth_url_parameters(element["key"]) if source.get(p.query)]


@login_not_required
@require_http_methods(["GET", "POST"])
def oauth_authorize(request: HttpRequest) -> HttpResponse:
    """What the provider shows: 'App X wants access to your account'. Allow or Deny.

    OAuth2 links carry the app and the redirect address; OAuth1 links carry the request token,
    which holds both (`oauth_token`)."""
    source = request.POST if request.method == "POST" else request.GET
    element = catalog.element_find(source.get("element", ""))
    if element is None:
        return _invalid("The link is missing its element. Start again from the dashboard.")
    if source.get("oauth_token"):
        return _oauth1_authorize(request, element, source)
    redirect_uri = source.get("redirect_uri", "")
    client_id = source.get("client_id", "")
    state = source.get("state", "")
    if not redirect_uri.startswith(("http://", "https://")) or not client_id:
        return _invalid("The link is missing its app or redirect address. Start again from the dashboard.")
    if not _known_host(redirect_uri):
        return _invalid("The redirect address is not one this provider knows for the app.")
    if request.method == "POST":
        if request.POST.get("decision") != "allow":
            return HttpResponseRedirect(with_query(redirect_uri, {
                "error": "access_denied", "error_description": "The user denied access",
                "state": state}))
        code = oauth_code_issue(
            code=secrets.token_urlsafe(24), element_key=element["key"], api_key=client_id,
            redirect_uri=redirect_uri,
        )
        return HttpResponseRedirect(with_query(redirect_uri, {"code": code.code, "state": state}))
    return render(request, "sandbox/consent.html", {
        "element": element, "client_id": client_id, "redirect_uri": redirect_uri,
        "redirect_host": urlsplit(redirect_uri).netloc, "state": state,
        "scope": source.get("scope", ""), "color": catalog.hub_color(element["key"]),
        "site": _site(element, source)
    })


def _oauth1_authorize(request: HttpRequest, element: dict, source) -> HttpResponse:
    found = request_token_for_consent(element, source["oauth_token"])
    if found is None or found.verifier:
        return _invalid("This request token is unknown, already authorized or used. "
                        "Start again from the dashboard.")
    if not _known_host(found.callback_url):
        return _invalid("The callback address is not one this provider knows for the app.")
    if request.method == "POST":
        allow = request.POST.get("decision") == "allow"
        return HttpResponseRedirect(request_token_answer(found, allow=allow))
    return render(request, "sandbox/consent.html", {
        "element": element, "client_id": found.api_key, "oauth_token": found.token,
        "redirect_host": urlsplit(found.callback_url).netloc,
        "color": catalog.hub_color(element["key"]),
        "site": _site(element, source)
    })


def _initials(name: str, key: str) -> str:
    # The same letters as the dashboard's own fallback for a logo (it is not imported here: the
    # sandbox stands in for a remote service).
    words = name.replace("-", " ").replace(".", " ").split()
    return ("".join(w[0] for w in words[:2] if w[0].isalnum()) or key[:2]).upper()


@login_not_required
@cache_control(public=True, max_age=86400)
def logo(request: HttpRequest, key: str) -> HttpResponse:
    element = catalog.element_find(key)
    if element is None:
        return HttpResponse(status=404)
    color = catalog.hub_color(key)
    initials = escape(_initials(element["name"], element["key"]))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">'
        f'<rect width="96" height="96" rx="20" fill="{color}"/>'
        '<text x="48" y="60" font-family="Helvetica, Arial, sans-serif" font-size="38" '
        f'font-weight="700" fill="#fff" text-anchor="middle">{initials}'
        "</text></svg>"
    )
    return HttpResponse(svg, content_type="image/svg+xml")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "sandbox/home.html", {
        "api_url": request.build_absolute_uri("/sandbox/elements/api-v2"),
        "element_count": len(catalog.elements()),
        "instance_count": Instance.objects.count(),
        "faults": Fault.objects.all() if faults_enabled() else [],
        "faults_enabled": faults_enabled(),
        "methods": ["", "GET", "POST", "PUT", "PATCH", "DELETE"],
    })


# By the permission's name in settings: the sandbox imports nothing of the dashboard's apps.
@permission_required(settings.MANAGE_PERMISSION, raise_exception=True)
@require_POST
def faults(request: HttpRequest) -> HttpResponse:
    if not faults_enabled():
        messages.error(request, "Fault switches work only in demo and test modes.")
        return redirect("sandbox:home")
    if request.POST.get("action") == "clear":
        fault_clear()
        messages.success(request, "Every fault switch is off.")
        return redirect("sandbox:home")
    path = request.POST.get("path_prefix", "").strip()
    try:
        status = int(request.POST["status"]) if request.POST.get("status") else None
        delay = float(request.POST.get("delay") or 0)
    except ValueError:
        messages.error(request, "Status must be a number such as 503, and delay a number of seconds.")
        return redirect("sandbox:home")
    if not path.startswith("/") or (status is not None and not 400 <= status <= 599):
        messages.error(request, "Give a path starting with / and a status from 400 to 599.")
        return redirect("sandbox:home")
    fault = fault_add(path_prefix=path, method=request.POST.get("method") or None, status=status,
                      delay=delay, message=request.POST.get("message", "").strip()[:500])
    messages.success(request, f"Fault switch on: {fault}.")
    return redirect("sandbox:home")
