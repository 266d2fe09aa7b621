"""`manage.py platform_check` against the sandbox: what it prints when everything works, when the
platform fails (a fault switch), refuses the secrets, or cannot be reached (a closed port), and
that it changes nothing (the sandbox's call recorder sees only GETs)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sandbox.calls import calls_clear, calls_recorded
from sandbox.faults import fault_add

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("platform_check", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue() + str(exc), exc.returncode
    return out.getvalue(), 0


def test_everything_works_and_nothing_changes(sandbox, mixpanel):
    for n in range(3):
        mixpanel(f"Check {n}", tags=["ops"])
    calls_clear()
    text, code = run("--page-size", "2", "--element", "mixpanel")
    assert code == 0, text
    assert f"Platform: {sandbox.api_url}" in text
    assert "Secrets: ok" in text and "the user and organization secrets are accepted" in text
    assert "Catalog: ok" in text and "195 elements in" in text
    assert "Mixpanel (key mixpanel" in text and "authentication basic" in text
    assert "username: “API Secret”, PASSWORD, required" in text
    assert f"logo: {sandbox.server_url}/elements/provider_mixpanel.svg" in text
    # Three instances, two a page: the second page is the last (it is not full).
    assert "3 instances in 2 page(s) of up to 2" in text
    assert "Instance docs: ok" in text and "Swagger 2.0" in text
    assert "Everything read here works." in text
    assert sandbox.user_secret not in text and sandbox.org_secret not in text
    assert {c.method for c in calls_recorded()} == {"GET"}


def test_an_account_without_instances(sandbox):
    text, code = run()
    assert code == 0
    assert "0 instances in 0 page(s)" in text
    assert "Instance docs: skipped, the account has no instances" in text


def test_a_failing_platform_prints_status_message_and_request_id(sandbox, mixpanel):
    mixpanel()
    fault_add(path_prefix="/instances", method="GET", status=500, message="Instances are down")
    text, code = run()
    assert code == 1
    assert "Catalog: ok" in text
    assert "Instances: FAILED" in text
    assert "status:    500" in text and "message:   Instances are down" in text
    request_id = next(line.split()[-1] for line in text.splitlines() if "requestId:" in line)
    assert len(request_id) == 24 and int(request_id, 16) >= 0
    assert "1 check(s) failed" in text


def test_refused_secrets(sandbox):
    """Run as a team would, in a process of its own whose secrets the sandbox does not share."""
    env = {**os.environ, "CLOUD_ELEMENTS_URL": sandbox.api_url,
           "CLOUD_ELEMENTS_USER_SECRET": "not-the-secret",
           "CLOUD_ELEMENTS_ORG_SECRET": sandbox.org_secret, "CLOUD_ELEMENTS_RETRIES": "0"}
    done = subprocess.run([sys.executable, "manage.py", "platform_check"], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    text, code = done.stdout + done.stderr, done.returncode
    assert code == 1
    assert "Secrets: FAILED" in text and "status:    401" in text
    assert "Invalid Organization or User secret" in text
    assert "not-the-secret" not in text
    assert "Catalog:" not in text  # nothing else is tried with secrets that do not work


def test_an_unreachable_platform(settings, db):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nothing listens there
    settings.CLOUD_ELEMENTS_URL = f"http://127.0.0.1:{port}/elements/api-v2"
    settings.CLOUD_ELEMENTS_RETRIES = 0
    text, code = run()
    assert code == 1
    assert "Secrets: FAILED" in text and "status:    no answer" in text
    assert "could not be reached" in text
