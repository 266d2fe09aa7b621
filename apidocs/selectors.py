"""Reads for the API Docs page: the instance's Swagger docs, parsed (cached for Try it out)."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.cache import cache

from cloud_elements import CloudElementsError, NotFound, get_client
from instances.selectors import Instance, instance_get, instance_token

from .swagger import ApiDocs, parse_swagger

DOCS_CACHE_SECONDS = 300
# How long the instance and its token stay on the server after the docs page or an Execute
# read them, for the next Execute of the same admin (each use keeps them that long again).
TRYIT_SECONDS = 300

log = logging.getLogger(__name__)


class DocsUnreadable(CloudElementsError):
    """The platform answered, but with docs the dashboard cannot read: shown as an upstream error."""


def _api_base() -> str:
    # One cache entry per API base too: a dashboard pointed elsewhere must not reuse them.
    return hashlib.sha256(get_client().base_url.encode()).hexdigest()[:12]


def docs_cache_key(instance_id: int) -> str:
    """Where the parsed docs of an instance are kept between the page and Try it out."""
    return f"apidocs:docs:v2:{_api_base()}:{instance_id}"


def tryit_cache_key(*, instance_id: int, user_id: int) -> str:
    return f"apidocs:tryit:v1:{_api_base()}:{instance_id}:{user_id}"


def docs_instance(*, instance_id: int, user, may_execute: bool) -> Instance:
    """The instance the docs page shows: one upstream read. For a user who may run Try it out,
    that read's token is kept on the server (cache, never the page) for their next Execute."""
    if not may_execute:
        return instance_get(instance_id=instance_id)
    return tryit_instance(instance_id=instance_id, user=user, refresh=True)[0]


def tryit_instance(*, instance_id: int, user, refresh: bool = False) -> tuple[Instance, str]:
    """The instance and its token for an Execute: what the docs page or the last Execute of this
    user read, or one upstream read when there is none, so that an Execute sends one call."""
    key = tryit_cache_key(instance_id=instance_id, user_id=user.pk)
    found = None if refresh else cache.get(key)
    if found is None:
        found = instance_token(instance_id=instance_id)
    cache.set(key, found, TRYIT_SECONDS)
    return found


def api_docs_parse(*, raw: Any) -> ApiDocs:
    """The docs as the page shows them; docs of any other shape are one clear error, never a crash."""
    try:
        return parse_swagger(raw or {})
    except Exception as exc:  # whatever the docs hold, the page says so in words
        log.warning("API docs could not be parsed (%s)", type(exc).__name__)
        raise DocsUnreadable(
            "The platform answered with API docs the dashboard cannot read: they are not "
            "Swagger 2.0 JSON of the expected shape.",
            status=200,
        ) from None


def api_docs(*, instance_id: int, element_key: str, refresh: bool = False) -> ApiDocs:
    """The instance's docs; the element's when the platform has none for the instance (404).

    The page reads them afresh; Try it out reuses what the page read, to look up its operation.
    """
    key = docs_cache_key(instance_id)
    if not refresh:
        docs = cache.get(key)
        if docs is not None:
            return docs
    client = get_client()
    try:
        raw = client.instance_docs(instance_id)
    except NotFound:
        if not element_key:
            raise
        raw = client.element_docs(element_key)
    docs = api_docs_parse(raw=raw)
    cache.set(key, docs, DOCS_CACHE_SECONDS)
    return docs
