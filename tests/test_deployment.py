"""Production defaults that refuse to be unsafe: the secret key, the sandbox, HTTPS settings from
the environment, Django's deploy check, and a Content Security Policy on every page.

Settings are read once when a process starts, so what depends on the environment runs
`manage.py` in a process of its own."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

ROOT = Path(__file__).resolve().parents[1]
REAL_API = "https://api.cloud-elements.com/elements/api-v2"
PRINT_SETTINGS = (
    "from django.conf import settings; from django.urls import resolve, Resolver404\n"
    "try:\n    resolve('/sandbox/'); mounted = True\nexcept Resolver404:\n    mounted = False\n"
    "print(settings.SANDBOX_MODE, mounted, settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS,"
    " settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
)


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """manage.py with only the given settings: none from this process's environment or a .env
    (DATABASE_URL points at a file that is never created: `check` and `shell` open none)."""
    clean = {k: v for k, v in os.environ.items()
             if k in ("PATH", "HOME", "LANG", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH")}
    clean.update({"DATABASE_URL": "sqlite:////nonexistent/elements-dashboard.sqlite3", **env})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=120)


def _env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def _random_key() -> str:
    return secrets.token_urlsafe(50)[:50]


@pytest.mark.parametrize("key", [None, "change-me"], ids=["built-in key", ".env.example key"])
def test_a_public_secret_key_is_refused_without_debug(key):
    env = {"DEBUG": "False", "CLOUD_ELEMENTS_URL": REAL_API}
    if key:
        env["SECRET_KEY"] = key
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY is the built-in or example key" in result.stderr


def test_copying_env_example_with_a_real_api_url_leaves_no_sandbox():
    env = {**_env_example(), "CLOUD_ELEMENTS_URL": REAL_API, "SECRET_KEY": _random_key()}
    env.pop("DATABASE_URL")
    result = _manage("shell", "-c", PRINT_SETTINGS, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split()[:2] == ["off", "False"]
    # ... and its own example key is refused there.
    refused = _manage("check", **{**env, "SECRET_KEY": _env_example()["SECRET_KEY"]})
    assert refused.returncode != 0


def test_https_settings_come_from_the_environment():
    result = _manage("shell", "-c", PRINT_SETTINGS, SECRET_KEY=_random_key(),
                     SECURE_SSL_REDIRECT="true", SECURE_HSTS_SECONDS="31536000",
                     SESSION_COOKIE_SECURE="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split()[2:] == ["True", "31536000", "True", "True"]


def test_the_deploy_check_passes_with_the_documented_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="False",
                     SECRET_KEY=_random_key(), SECURE_SSL_REDIRECT="true",
                     SECURE_HSTS_SECONDS="31536000", SESSION_COOKIE_SECURE="true")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_fails_with_a_sandbox_beside_a_real_platform():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="False",
                     SECRET_KEY=_random_key(), SECURE_SSL_REDIRECT="true",
                     SECURE_HSTS_SECONDS="31536000", SESSION_COOKIE_SECURE="true",
                     CLOUD_ELEMENTS_URL=REAL_API, SANDBOX_MODE="demo")
    assert result.returncode != 0
    assert "sandbox.W001" in result.stderr


def test_our_check_flags_a_sandbox_mounted_beside_a_real_platform(settings):
    settings.SANDBOX_MODE = "demo"
    settings.CLOUD_ELEMENTS_URL = REAL_API
    assert [m.id for m in run_checks() if m.id.startswith("sandbox.")] == ["sandbox.W001"]
    settings.SANDBOX_MODE = "off"
    assert not [m for m in run_checks() if m.id.startswith("sandbox.")]


@pytest.mark.parametrize("mode, shown", [("demo", True), ("test", False), ("off", False)])
def test_the_demo_logins_are_offered_only_in_demo_mode(client, settings, db, mode, shown):
    settings.SANDBOX_MODE = mode
    assert ("admin-demo" in client.get("/login/").content.decode()) is shown


def test_every_page_has_a_content_security_policy(admin_http, viewer_http, client, mixpanel):
    instance = mixpanel()
    pages = [(client, "/login/"), (client, "/sandbox/oauth/authorize/"), (viewer_http, "/"),
             (viewer_http, "/instances/"), (viewer_http, f"/instances/{instance['id']}/"),
             (viewer_http, "/team/"), (admin_http, "/audit/"), (admin_http, "/no-such-page/"),
             (admin_http, f"/instances/{instance['id']}/docs/")]
    for http, path in pages:
        policy = http.get(path).get("Content-Security-Policy", "")
        script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
        assert script_src.split() == ["script-src", "'self'"], path
        assert "frame-ancestors 'none'" in policy, path
