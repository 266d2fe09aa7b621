"""Dropping this dashboard's cache entries, and only them.

A Redis database may be shared: with another dashboard (staging and production), with other apps,
with a second test run. Django's `cache.clear()` empties the whole database there, so on Redis we
delete only the keys under this dashboard's KEY_PREFIX. A local-memory or file cache belongs to
this dashboard alone, and `clear()` is right for it.
"""

from __future__ import annotations

import re

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

_GLOB_SPECIAL = re.compile(r"([\\*?\[\]])")


def cache_clear_own(alias: str = "default") -> int | None:
    """Delete every entry under the cache's KEY_PREFIX; the number deleted, on Redis."""
    cache = caches[alias]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return None
    # Django writes every key as "<KEY_PREFIX>:<version>:<key>"; the first server is the primary.
    client = cache._cache.get_client(write=True)
    pattern = _GLOB_SPECIAL.sub(r"\\\1", cache.key_prefix) + ":*"
    deleted = 0
    batch: list[bytes] = []
    for key in client.scan_iter(match=pattern, count=1000):
        batch.append(key)
        if len(batch) == 1000:
            deleted += client.unlink(*batch)
            batch.clear()
    if batch:
        deleted += client.unlink(*batch)
    return deleted
