"""/healthz, for load balancers: 200 while the database and the cache answer, 503 otherwise; no
login, a tiny body that names no host or version, and never a call to the platform."""

from __future__ import annotations

import importlib.util

import pytest
import requests
from django.test import Client, override_settings

from sandbox.faults import fault_add
from tests.appservers import AppServer, closed_port, free_port, gunicorn_command, running

HEALTHY = {"healthy": True}


def redis_on_a_closed_port() -> dict:
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}


def test_healthy_without_a_login_and_says_nothing_else(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == HEALTHY
    assert len(response.content) < 40
    assert not response.cookies  # no session, no CSRF cookie: nothing to hand out


def test_a_probe_by_address_is_answered_though_the_host_is_not_allowed(db):
    """Load balancers probe each app server by its own address, which ALLOWED_HOSTS need not list;
    every other page still refuses that host."""
    probe = Client(HTTP_HOST="10.0.0.7:8000")
    assert probe.get("/healthz").status_code == 200
    assert probe.get("/livez").status_code == 200
    assert probe.get("/login/").status_code == 400


def test_a_probe_over_plain_http_is_not_redirected(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    probe = Client()
    assert probe.get("/healthz").status_code == 200
    assert probe.get("/login/").status_code == 301


def test_the_platform_is_never_asked(sandbox, db):
    """Every platform call would fail; the app server is still healthy, and the platform
    counted no call."""
    every_call = fault_add(path_prefix="/", status=503)
    response = Client().get("/healthz")
    assert response.status_code == 200
    every_call.refresh_from_db()
    assert every_call.hits == 0


@pytest.mark.parametrize("cache", [
    pytest.param(lambda tmp_path: {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        # A folder inside a file: nothing can be written there.
        "LOCATION": str((tmp_path / "a-file").touch() or tmp_path / "a-file" / "cache"),
    }, id="a cache that cannot store"),
    pytest.param(lambda tmp_path: redis_on_a_closed_port(), id="redis on a closed port",
                 marks=pytest.mark.skipif(importlib.util.find_spec("redis") is None,
                                          reason="the redis extra is not installed")),
])
def test_a_failing_cache_is_unhealthy(cache, tmp_path, db):
    # Not the settings fixture: the shared cache is cleared after each test, once this is undone.
    with override_settings(CACHES={"default": cache(tmp_path)}):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"healthy": False, "errors": ["cache error"]}


@pytest.mark.parametrize("database_url", [
    pytest.param(lambda tmp_path: f"sqlite:///{tmp_path}/no-such-folder/db.sqlite3",
                 id="a database that cannot be opened"),
    pytest.param(lambda tmp_path: f"sqlite:///{tmp_path}/empty.sqlite3",
                 id="a database without the tables"),
    pytest.param(lambda tmp_path: f"postgres://nobody:x@127.0.0.1:{closed_port()}/nothing",
                 id="postgres on a closed port",
                 marks=pytest.mark.skipif(importlib.util.find_spec("psycopg") is None,
                                          reason="the postgres extra is not installed")),
])
def test_a_failing_database_is_unhealthy(database_url, tmp_path):
    """An app server of its own (gunicorn, as bin/serve runs it) started on a database it cannot
    use: its process is alive, and its health check says it should get no traffic."""
    port = free_port()
    env = {"DATABASE_URL": database_url(tmp_path), "SANDBOX_MODE": "off"}
    with running(AppServer(gunicorn_command(port), port, env)) as [url]:
        response = requests.get(f"{url}/healthz", timeout=10)
    assert response.status_code == 503
    assert response.json() == {"healthy": False, "errors": ["database error"]}
