"""The suite beside other things: it deletes only its own cache entries, and a developer's .env
changes none of its outcomes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from dashboard.caches import cache_clear_own

ROOT = Path(__file__).resolve().parent.parent


def test_each_test_process_caches_under_a_prefix_of_its_own():
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    assert cache.key_prefix.startswith("elements-dashboard-test-")
    assert cache.key_prefix.endswith(f"-{worker}")
    assert cache.make_key("catalog").startswith(cache.key_prefix + ":")


@pytest.mark.skipif(not isinstance(caches["default"], RedisCache), reason="CACHE_URL is not Redis")
def test_clearing_on_redis_deletes_our_keys_and_no_one_elses():
    redis = caches["default"]._cache.get_client(write=True)
    theirs = f"someone-else-{os.getpid()}:1:catalog"
    redis.set(theirs, "theirs")
    try:
        cache.set("catalog", "ours")
        cache.set("counts", "ours")
        assert cache_clear_own() == 2
        assert cache.get("catalog") is None
        assert redis.get(theirs) == b"theirs"
    finally:
        redis.delete(theirs)


def _sandbox_mode(env: dict) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c",
         "from django.conf import settings; print(settings.SANDBOX_MODE)"],
        env=env, capture_output=True, text=True, cwd=ROOT, check=True)
    return out.stdout.strip().splitlines()[-1]


def test_a_developers_env_file_changes_no_test(tmp_path):
    """A developer's .env (here, one that turns the sandbox on) is read by the dashboard, and under
    pytest not at all: only the environment counts."""
    dot_env = tmp_path / ".env"
    dot_env.write_text("SANDBOX_MODE=demo\n")
    env = {k: v for k, v in os.environ.items() if k != "SANDBOX_MODE"}
    env.update(ENV_FILE=str(dot_env), CLOUD_ELEMENTS_URL="https://api.cloud-elements.com/elements/api-v2",
               SECRET_KEY="a-key-of-this-deployment-" + "x" * 30)  # a real API refuses a public key
    assert _sandbox_mode({k: v for k, v in env.items() if k != "PYTEST_VERSION"}) == "demo"
    assert _sandbox_mode({**env, "PYTEST_VERSION": "9"}) == "off"
