"""The platform API client: `get_client()` gives the one configured from settings."""

from __future__ import annotations

import threading

from django.conf import settings

from .answers import host_root, image_url, tag_names
from .auth import masked_authorization_header
from .budget import time_budget
from .client import CloudElementsClient, ResourceResponse, is_forbidden_header, is_header_name
from .configuration import MASK, as_bool, is_secret, is_shown
from .elements import element_auth_type, instance_element_key
from .errors import (
    BadRequest,
    BudgetSpent,
    CircuitOpen,
    CloudElementsError,
    Conflict,
    Forbidden,
    NotFound,
    ProviderError,
    ServerError,
    Unauthorized,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from .oauth_parameters import OAuthParameter, oauth_url_parameters

__all__ = [
    "host_root",
    "image_url",
    "tag_names",
    "MASK",
    "BadRequest",
    "BudgetSpent",
    "CircuitOpen",
    "CloudElementsClient",
    "CloudElementsError",
    "Conflict",
    "Forbidden",
    "NotFound",
    "OAuthParameter",
    "ProviderError",
    "ResourceResponse",
    "ServerError",
    "Unauthorized",
    "UpstreamTimeout",
    "UpstreamUnavailable",
    "as_bool",
    "clients_close",
    "element_auth_type",
    "get_client",
    "instance_element_key",
    "is_forbidden_header",
    "is_header_name",
    "is_secret",
    "is_shown",
    "masked_authorization_header",
    "oauth_url_parameters",
    "time_budget",
]

_clients: dict[tuple, CloudElementsClient] = {}
_lock = threading.Lock()


def get_client() -> CloudElementsClient:
    """The client for the current settings; one per configuration, so its connections pool."""
    config = (
        settings.CLOUD_ELEMENTS_URL,
        settings.CLOUD_ELEMENTS_USER_SECRET,
        settings.CLOUD_ELEMENTS_ORG_SECRET,
        settings.CLOUD_ELEMENTS_CONNECT_TIMEOUT,
        settings.CLOUD_ELEMENTS_READ_TIMEOUT,
        settings.CLOUD_ELEMENTS_RETRIES,
        settings.CLOUD_ELEMENTS_TIME_BUDGET,
        settings.CLOUD_ELEMENTS_BREAKER_FAILURES,
        settings.CLOUD_ELEMENTS_BREAKER_COOLDOWN,
    )
    with _lock:
        client = _clients.get(config)
        if client is None:
            url, user, org, connect, read, retries, budget, failures, cooldown = config
            client = CloudElementsClient(
                url, user, org, connect_timeout=connect, read_timeout=read, retries=retries,
                time_budget=budget, breaker_failures=failures, breaker_cooldown=cooldown,
            )
            _clients[config] = client
        return client


def clients_close() -> None:
    """Close and forget every client: the next `get_client()` opens fresh connections."""
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()
