"""How many instances each element has, for the catalog's banners: one upstream call, cached.

The instance services call `instance_counts_invalidate()` after each create, update and delete,
so the banner stays true.
"""

from __future__ import annotations

from collections import Counter

from django.core.cache import cache

from cloud_elements import get_client, instance_element_key

COUNTS_CACHE_KEY = "instances:counts:v1"
COUNTS_TTL_SECONDS = 120


def instance_counts() -> dict[str, int]:
    counts = cache.get(COUNTS_CACHE_KEY)
    if counts is not None:
        return counts
    instances = get_client().instance_list()
    counts = dict(Counter(key for key in map(instance_element_key, instances) if key))
    cache.set(COUNTS_CACHE_KEY, counts, COUNTS_TTL_SECONDS)
    return counts


def instance_counts_invalidate() -> None:
    cache.delete(COUNTS_CACHE_KEY)
