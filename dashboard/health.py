"""The load balancer's health check: django-alive's `/healthz` runs ALIVE_CHECKS (settings).

Only the database and the cache: an app server that reaches both can serve its share; the
platform is never asked, so a slow or failing platform never takes every app server out of the
pool at once.
"""

import logging
import secrets

from django.core.cache import caches
from django_alive import HealthcheckFailure

log = logging.getLogger(__name__)


def check_cache_roundtrip(cache: str = "default") -> None:
    """Write a value and read it back: a cache that answers reads but cannot store fails too.
    A key of its own each time, so that two app servers checking at once never read each other's."""
    key, value = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        caches[cache].set(key, value, timeout=30)
        stored = caches[cache].get(key)
        caches[cache].delete(key)
    except Exception as exc:
        log.warning("Health check: the %s cache failed: %s", cache, type(exc).__name__)
        raise HealthcheckFailure("cache error") from exc
    if stored != value:
        log.warning("Health check: the %s cache did not keep a value", cache)
        raise HealthcheckFailure("cache error")
