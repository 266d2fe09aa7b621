"""The dashboard's own calls to the platform, as the sandbox records them (`sandbox/calls.py`):
method, path, which parts the Authorization header had (never their values), and the body's keys,
in each flow a person goes through."""

from __future__ import annotations

import pytest

from sandbox.calls import MASK, SECRET, calls_recorded

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_recorder_keeps_what_a_call_received_without_its_secrets(client_api, sandbox):
    client_api.instance_create(element_key="mixpanel", name="Recorded",
                               configuration={"username": "a-real-secret"}, tags=["x"])
    (call,) = calls_recorded(method="POST", path_prefix="/instances")
    assert call.path == "/instances"
    assert call.status == 200
    assert call.auth_parts == ("user", "organization")
    assert call.headers["authorization"] == "(user, organization)"
    assert call.body_keys == ["configuration", "element", "name", "tags"]
    assert call.configuration == {"username": "a-real-secret"}  # not a secret by its key's name
    assert sandbox.user_secret not in repr(calls_recorded())


def test_the_recorder_hides_credentials_and_keeps_the_mask_as_itself(client_api, sandbox):
    client_api.instance_create(element_key="mixpanel", name="Masked", tags=[],
                               configuration={"username": "x", "api.key": "k-123",
                                              "password": MASK})
    (call,) = calls_recorded(method="POST")
    assert call.configuration["api.key"] == SECRET
    assert "k-123" not in repr(call)
    assert call.sent_mask() == ["password"]
