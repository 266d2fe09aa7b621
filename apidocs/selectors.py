"""Reads for the API Docs page: the instance, its Swagger docs (parsed), and, to execute, its token."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from cloud_elements import NotFound, get_client
from instances import selectors as instance_selectors
from instances.selectors import InstanceView

from .swagger import ApiDocs, parse_swagger

DOCS_CACHE_SECONDS = 300


def _docs_cache_key(instance_id: int) -> str:
    # One cache entry per API base too: a dashboard pointed elsewhere must not reuse them.
    base = hashlib.sha256(get_client().base_url.encode()).hexdigest()[:12]
    return f"apidocs:docs:v1:{base}:{instance_id}"


def instance_get(*, instance_id: int) -> InstanceView:
    return instance_selectors.instance_get(instance_id=instance_id)


def instance_with_token(*, instance_id: int) -> tuple[InstanceView, str]:
    """The instance and its token, to execute a call as the instance; the token never leaves the server."""
    return instance_selectors.instance_token(instance_id=instance_id)


def api_docs(*, instance_id: int, element_key: str, refresh: bool = False) -> ApiDocs:
    """The instance's docs; the element's when the platform has none for the instance (404).

    The page reads them afresh; Try it out reuses what the page read, to look up its operation.
    """
    key = _docs_cache_key(instance_id)
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
    docs = parse_swagger(raw or {})
    cache.set(key, docs, DOCS_CACHE_SECONDS)
    return docs
