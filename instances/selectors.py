"""Reads of instances from the platform, and the per-element counts the catalog shows."""

from __future__ import annotations

from collections import Counter

from django.core.cache import cache

from cloud_elements import get_client

COUNTS_CACHE_KEY = "instances:counts:v1"
COUNTS_TTL_SECONDS = 120


def _element_key(instance: dict) -> str | None:
    element = instance.get("element") or {}
    return element.get("key")


def instance_counts(*, refresh: bool = False) -> dict[str, int]:
    """How many instances each element key has: one upstream call, cached.

    Our own create, update and delete call `instance_counts_invalidate()` so the banner stays true.
    """
    if not refresh:
        counts = cache.get(COUNTS_CACHE_KEY)
        if counts is not None:
            return counts
    instances = get_client().instance_list()
    counts = dict(Counter(key for key in map(_element_key, instances) if key))
    cache.set(COUNTS_CACHE_KEY, counts, COUNTS_TTL_SECONDS)
    return counts


def instance_counts_invalidate() -> None:
    cache.delete(COUNTS_CACHE_KEY)
