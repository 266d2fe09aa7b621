"""Middleware of our own: the time budget each request has for its platform calls."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from cloud_elements import time_budget


class UpstreamBudgetMiddleware:
    """Every platform call a request makes shares one budget (CLOUD_ELEMENTS_TIME_BUDGET), so no
    page keeps a person, or a server thread, waiting longer than that on the platform."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with time_budget(settings.CLOUD_ELEMENTS_TIME_BUDGET):
            return self.get_response(request)
