"""The platform client against the sandbox over real HTTP: every function, errors, paging, retries."""

from __future__ import annotations

import json
import logging
import re
import socket

import pytest

from cloud_elements import (
    BadRequest,
    CloudElementsClient,
    CloudElementsError,
    NotFound,
    ServerError,
    Unauthorized,
    UpstreamTimeout,
    UpstreamUnavailable,
    element_auth_type,
)
from sandbox.faults import fault_add
from tests.conftest import hits_once_settled

# --- elements ------------------------------------------------------------------

def test_element_list_is_the_whole_catalog(client_api):
    elements = client_api.element_list()
    keys = {e["key"] for e in elements}
    assert len(elements) >= 195
    assert {"mixpanel", "abbyy"} <= keys


def test_element_keys(client_api):
    keys = client_api.element_keys()
    assert "mixpanel" in keys
    assert all(isinstance(k, str) for k in keys)


def test_element_get_by_key_and_by_id(client_api):
    element = client_api.element_get("mixpanel")
    config = {c["key"]: c for c in element["configuration"]}
    assert config["username"]["name"] == "API Secret"
    assert client_api.element_get(element["id"])["key"] == "mixpanel"


def test_unknown_element_is_not_found_with_the_platform_message(client_api):
    with pytest.raises(NotFound) as caught:
        client_api.element_get("no-such-element")
    assert caught.value.status == 404
    assert caught.value.message
    assert caught.value.request_id and len(caught.value.request_id) == 24


def test_element_docs_are_swagger(client_api):
    docs = client_api.element_docs("mixpanel")
    assert docs["swagger"] == "2.0"
    assert docs["paths"]


def test_element_oauth_url(client_api):
    oauth_element = next(
        e for e in client_api.element_list() if e["authentication"]["type"] == "oauth2"
    )
    url = client_api.element_oauth_url(
        oauth_element["key"], api_key="app-key", api_secret="app-secret",
        callback_url="http://127.0.0.1/cb", state="state-123",
    )
    assert url.startswith("http")
    assert "state-123" in url


# --- instances -------------------------------------------------------------------

def test_instance_lifecycle(client_api, mixpanel):
    created = mixpanel(name="Lifecycle", tags=["one"])
    assert created["token"]
    instance_id = created["id"]

    fetched = client_api.instance_get(instance_id)
    assert fetched["name"] == "Lifecycle"
    assert fetched["configuration"]["username"] == "********"

    updated = client_api.instance_update(instance_id, name="Renamed", tags=["two", "three"])
    assert updated["name"] == "Renamed"
    assert updated["tags"] == ["two", "three"]

    reauth = client_api.instance_reauthenticate(
        instance_id, element_key="mixpanel", name="Renamed", configuration={"username": "new"},
        tags=["two"],
    )
    assert reauth["id"] == instance_id

    rows = client_api.instance_configuration(instance_id)
    assert {"username"} <= {row["key"] for row in rows}

    client_api.instance_disable(created["token"])
    assert client_api.instance_get(instance_id)["disabled"] is True
    client_api.instance_enable(created["token"])
    assert client_api.instance_get(instance_id)["disabled"] is False

    assert instance_id in [i["id"] for i in client_api.element_instances("mixpanel")]
    assert client_api.instance_docs(instance_id)["swagger"] == "2.0"

    client_api.instance_delete(instance_id)
    with pytest.raises(NotFound):
        client_api.instance_get(instance_id)


def test_instance_list_follows_every_page(client_api, mixpanel):
    for n in range(5):
        mixpanel(name=f"Paged {n}", tags=["paged"])
    counter = fault_add(path_prefix="/instances", method="GET")  # no status, no delay: counts calls
    listed = client_api.instance_list(tags=["paged"], page_size=2)
    counter.refresh_from_db()
    assert sorted(i["name"] for i in listed) == [f"Paged {n}" for n in range(5)]
    assert counter.hits == 3


def test_search_and_tag_filter(client_api, mixpanel):
    mixpanel(name="Alpha reporting", tags=["blue"])
    mixpanel(name="Beta reporting", tags=["green"])
    assert [i["name"] for i in client_api.instance_list(search_text="alpha")] == ["Alpha reporting"]
    assert [i["name"] for i in client_api.instance_list(tags=["green"])] == ["Beta reporting"]


def test_an_empty_search_is_an_empty_list(client_api):
    assert client_api.instance_list(search_text="nothing matches this") == []


# --- errors ---------------------------------------------------------------------------

def test_missing_required_configuration_is_a_bad_request_naming_it(client_api):
    with pytest.raises(BadRequest) as caught:
        client_api.instance_create(element_key="mixpanel", name="No secret", configuration={})
    assert "username" in caught.value.message or "API Secret" in caught.value.message


def test_provider_rejection_carries_the_provider_message(mixpanel):
    with pytest.raises(BadRequest) as caught:
        mixpanel(secret="invalid")
    assert caught.value.provider_message
    assert caught.value.provider_message in caught.value.user_message


def test_wrong_secrets_are_unauthorized(sandbox):
    client = CloudElementsClient(sandbox.api_url, "wrong-user", "wrong-org")
    with pytest.raises(Unauthorized) as caught:
        client.element_list()
    assert caught.value.status == 401
    assert "wrong-user" not in str(caught.value) and "wrong-user" not in repr(caught.value)


def test_get_is_retried_on_503(client_api):
    fault = fault_add(path_prefix="/elements/mixpanel", method="GET", status=503, times=2)
    assert client_api.element_get("mixpanel")["key"] == "mixpanel"
    fault.refresh_from_db()
    assert fault.hits == 2


def test_get_gives_up_after_its_retries(client_api, settings):
    fault = fault_add(path_prefix="/elements/mixpanel", method="GET", status=503)
    with pytest.raises(ServerError) as caught:
        client_api.element_get("mixpanel")
    fault.refresh_from_db()
    assert caught.value.status == 503
    assert fault.hits == settings.CLOUD_ELEMENTS_RETRIES + 1


def test_post_is_never_retried(client_api, mixpanel):
    fault = fault_add(path_prefix="/instances", method="POST", status=503, times=1)
    with pytest.raises(ServerError):
        mixpanel(name="Not twice")
    fault.refresh_from_db()
    assert fault.hits == 1
    assert client_api.instance_list(search_text="Not twice") == []


def test_a_slow_answer_times_out(sandbox, settings):
    settings.CLOUD_ELEMENTS_READ_TIMEOUT = 0.5
    settings.CLOUD_ELEMENTS_RETRIES = 0
    from cloud_elements import get_client

    slow = fault_add(path_prefix="/elements", delay=1.0)
    with pytest.raises(UpstreamTimeout) as caught:
        get_client().element_list()
    said = float(re.search(r"did not answer within ([\d.]+) seconds", caught.value.message).group(1))
    assert said >= 0.5  # the wait measured, said in words: at least the read timeout
    assert hits_once_settled(slow, delay=1.0) == 1  # the one call; with no retries, none more


def test_a_closed_port_is_unavailable(db):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = CloudElementsClient(f"http://127.0.0.1:{port}/elements/api-v2", "u-secret", "o-secret",
                                 retries=0)
    with pytest.raises(UpstreamUnavailable) as caught:
        client.element_list()
    assert caught.value.status is None


def test_no_secret_in_logs_reprs_or_messages(client_api, sandbox, caplog, mixpanel):
    caplog.set_level(logging.DEBUG)
    created = mixpanel(secret="super-secret-value")
    with pytest.raises(CloudElementsError) as caught:
        client_api.element_oauth_url("no-such-element", api_key="k", api_secret="app-secret-xyz",
                                     callback_url="http://x/cb", state="s")
    secrets = [sandbox.user_secret, sandbox.org_secret, created["token"], "super-secret-value",
               "app-secret-xyz"]
    texts = [repr(client_api), str(caught.value), repr(caught.value), caplog.text]
    for secret in secrets:
        for text in texts:
            assert secret not in text


# --- resources --------------------------------------------------------------------------

def test_resource_call_with_the_instance_token(client_api, mixpanel):
    created = mixpanel()
    answer = client_api.resource_call(created["token"], "GET", "/hubs/general/users",
                                      params={"pageSize": "5"})
    assert answer.status == 200
    assert len(answer.json()) == 5
    assert answer.next_page_token
    assert answer.request_headers["Authorization"].count("********") == 3


def test_resource_call_answers_errors_instead_of_raising(client_api):
    answer = client_api.resource_call("not-a-token", "GET", "/hubs/general/users")
    assert answer.status == 401
    assert "message" in answer.json()


def test_resource_call_refuses_paths_outside_the_api(client_api):
    with pytest.raises(ValueError):
        client_api.resource_call("t", "GET", "/hubs/../instances")
    with pytest.raises(ValueError):
        client_api.resource_call("t", "GET", "http://elsewhere/x")


def test_resource_call_refuses_headers_that_redirect_or_reframe_it(client_api):
    for name in ("Host", "authorization", "Content-Length", "Transfer-Encoding", "Cookie",
                 "Proxy-Authorization", "X-Forwarded-Host", "Bad Name"):
        with pytest.raises(ValueError):
            client_api.resource_call("t", "GET", "/hubs/general/users", headers={name: "x"})
    with pytest.raises(ValueError):
        client_api.resource_call("t", "GET", "/hubs/general/users", headers={"X-Ok": "a\r\nb: c"})


def test_resource_answers_never_echo_our_secrets(client_api, sandbox, mixpanel):
    created = mixpanel()
    body = json.dumps({"firstName": sandbox.user_secret, "lastName": sandbox.org_secret,
                       "email": "x@example.com", "city": created["token"]}).encode()
    answer = client_api.resource_call(created["token"], "POST", "/hubs/general/users", body=body)
    assert answer.status == 200
    for secret in (sandbox.user_secret, sandbox.org_secret, created["token"]):
        assert secret not in answer.text
    assert answer.json()["firstName"] == "********"


@pytest.mark.parametrize("element, expected", [
    ({"authentication": {"type": "oauth2"}}, "oauth2"),
    ({"authentication": {"type": "OAuth"}}, "oauth2"),  # the platform's older name for OAuth 2
    ({"authType": "oauth"}, "oauth2"),
    ({"authType": "OAUTH1"}, "oauth1"),
    ({"authentication": {"type": "basic"}, "authType": "oauth2"}, "basic"),  # authentication wins
    ({"authType": "apiKey"}, "apiKey"),
    ({}, ""),
])
def test_the_auth_type_is_worked_out_one_way(element, expected):
    assert element_auth_type(element) == expected
