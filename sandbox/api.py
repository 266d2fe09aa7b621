"""What every sandbox API answer shares: the platform's authorization, error shape and headers."""

from __future__ import annotations

import functools
import json
import logging
import secrets
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from .calls import call_record
from .faults import fault_for

log = logging.getLogger(__name__)

API_ROOT = "/elements/api-v2"
EXPOSED_HEADERS = ("Elements-Returned-Count, Elements-Total-Count, Elements-Request-Id, "
                   "Elements-Next-Page-Token, Elements-Trace-Id, Elements-Error, Content-Disposition")


class ApiError(Exception):
    def __init__(self, status: int, message: str, provider_message: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.provider_message = provider_message


def request_id() -> str:
    return secrets.token_hex(12)


def api_path(request: HttpRequest) -> str:
    """The path after `/elements/api-v2`, as the contract names paths."""
    path = request.path
    index = path.find(API_ROOT)
    rest = path[index + len(API_ROOT):] if index >= 0 else path
    return "/" + rest.strip("/")


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None,
                  raw: bytes | None = None) -> HttpResponse:
    body = raw if raw is not None else json.dumps(data, separators=(",", ":")).encode()
    response = HttpResponse(body, status=status, content_type="application/json")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(status: int, message: str, provider_message: str | None = None) -> HttpResponse:
    body = {"requestId": request_id(), "message": message}
    if provider_message:
        body["providerMessage"] = provider_message
    response = json_response(body, status=status)
    response["Elements-Request-Id"] = body["requestId"]
    response["Elements-Error"] = "true"
    return response


def parse_authorization(value: str) -> dict[str, str]:
    """`User a, Organization b, Element c` in any order, parts read by name."""
    parts: dict[str, str] = {}
    for item in value.split(","):
        name, _, secret = item.strip().partition(" ")
        if name and secret.strip():
            parts[name.strip().lower()] = secret.strip()
    return parts


def check_platform_auth(request: HttpRequest, *, element: bool = False) -> dict[str, str]:
    parts = parse_authorization(request.headers.get("Authorization", ""))
    user_ok = secrets.compare_digest(parts.get("user", ""), settings.CLOUD_ELEMENTS_USER_SECRET)
    organization = parts.get("organization")
    if organization is None:
        # Some clients leave Organization out when they send an Element token.
        org_ok = element and "element" in parts
    else:
        org_ok = secrets.compare_digest(organization, settings.CLOUD_ELEMENTS_ORG_SECRET)
    if not (user_ok and org_ok):
        raise ApiError(401, "Invalid Organization or User secret, or invalid Element token provided.")
    if element and "element" not in parts:
        raise ApiError(401, "No Element token provided: an Authorization header with "
                            "'Element <token>' is required for this call.")
    return parts


def json_body(request: HttpRequest) -> Any:
    if not request.body:
        return {}
    content_type = request.content_type or ""
    if content_type and "json" not in content_type:
        raise ApiError(415, f"Unsupported Media Type: {content_type}. Send application/json.")
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "The request body is not valid JSON.") from None


def api_view(methods: tuple[str, ...], *, element_token: bool = False) -> Callable:
    """Faults, authorization, the platform's error JSON and headers around a sandbox API view."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        @csrf_exempt
        @login_not_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = _answer(view, methods, element_token, request, *args, **kwargs)
            response.setdefault("Elements-Request-Id", request_id())
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
            response["Cache-Control"] = "no-store"
            call_record(request, api_path(request), response.status_code)
            return response

        return wrapper

    return decorate


def _authorized(request: HttpRequest, element_token: bool) -> bool:
    try:
        check_platform_auth(request, element=element_token)
    except ApiError:
        return False
    return True


def _answer(view, methods, element_token, request, *args, **kwargs) -> HttpResponse:
    # Switched-on faults stand for the platform's own trouble and come before its auth check;
    # a fault asked for by header only counts from a caller with the secrets.
    fault = fault_for(request, api_path(request),
                      header_allowed=_authorized(request, element_token))
    if fault and fault.status:
        time.sleep(fault.delay)
        phrase = _phrase(fault.status)
        return error_response(fault.status, fault.message or f"{phrase} (sandbox fault)")
    response = _call(view, methods, element_token, request, *args, **kwargs)
    if fault and fault.delay:
        # A slow platform does the work, then answers late: a write the caller gave up waiting
        # for has still been made, as on the real one.
        time.sleep(fault.delay)
    return response


def _call(view, methods, element_token, request, *args, **kwargs) -> HttpResponse:
    if request.method not in methods:
        return error_response(405, f"Method {request.method} is not allowed on this resource.")
    try:
        auth = check_platform_auth(request, element=element_token)
        if element_token:
            kwargs["auth"] = auth
        return view(request, *args, **kwargs)
    except ApiError as error:
        return error_response(error.status, error.message, error.provider_message)
    except Exception:
        # As the platform does: its own failure is a 500 in its error shape, never an HTML page.
        log.exception("Sandbox error on %s %s", request.method, api_path(request))
        return error_response(500, "An unexpected error occurred in the sandbox.")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Status {status}"
