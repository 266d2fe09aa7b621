"""Reads for the API Docs page: the instance's Swagger docs, parsed (cached for Try it out)."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.cache import cache

from cloud_elements import CloudElementsError, NotFound, get_client

from .swagger import ApiDocs, parse_swagger

DOCS_CACHE_SECONDS = 300

log = logging.getLogger(__name__)


class DocsUnreadable(CloudElementsError):
    """The platform answered, but with docs the dashboard cannot read: shown as an upstream error."""


def docs_cache_key(instance_id: int) -> str:
    """Where the parsed docs of an instance are kept between the page and Try it out."""
    # One cache entry per API base too: a dashboard pointed elsewhere must not reuse them.
    base = hashlib.sha256(get_client().base_url.encode()).hexdigest()[:12]
    return f"apidocs:docs:v2:{base}:{instance_id}"


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
