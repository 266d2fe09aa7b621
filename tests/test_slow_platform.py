"""A slow or failing platform never freezes the console (issue 8) and single-use data is sent once
(issue 7, point 10): each page's time budget, reads only retried, the circuit breaker, the pages
that never wait on the platform, and the status and heading of an upstream failure page.

Counts are what the sandbox received (its fault switches count hits), not wall-clock times.
"""

from __future__ import annotations

import re
import socket
import time

import pytest

from cloud_elements import CloudElementsClient, ServerError, UpstreamTimeout, UpstreamUnavailable, get_client
from sandbox.faults import fault_add, fault_clear
from tests.helpers import text_of
from tests.test_authenticate import local, oauth_instance_stored, provider_answers

HX_RESULTS = {"HX-Request": "true", "HX-Target": "instance-results"}


def waited_seconds(page: str) -> float:
    return float(re.search(r"did not answer within ([\d.]+) seconds", page).group(1))


def let_slow_answers_finish(started: float, delay: float) -> None:
    """The sandbox finishes a slow answer after the dashboard gave up; wait for it before the
    live server (and its database) goes away."""
    time.sleep(max(0.0, delay + 0.5 - (time.monotonic() - started)))


# --- one time budget per page ---------------------------------------------------------------

def instance_list_on_a_slow_platform(admin_http, settings, *, budget: float, read_timeout: float,
                                     delay: float) -> tuple[str, int, int]:
    """/instances/ while the platform takes `delay` s to list instances: (page, status, attempts)."""
    settings.CLOUD_ELEMENTS_TIME_BUDGET = budget
    settings.CLOUD_ELEMENTS_READ_TIMEOUT = read_timeout
    settings.CLOUD_ELEMENTS_RETRIES = 2
    fault = fault_add(path_prefix="/instances", method="GET", delay=delay)
    started = time.monotonic()
    page = admin_http.get("/instances/")
    let_slow_answers_finish(started, delay)  # every attempt sent has reached the sandbox by then
    fault.refresh_from_db()
    return text_of(page), page.status_code, fault.hits


def test_no_retry_starts_past_the_page_budget_and_the_message_says_the_real_wait(
        admin_http, sandbox, settings):
    text, status, attempts = instance_list_on_a_slow_platform(
        admin_http, settings, budget=2.2, read_timeout=1.5, delay=3.0)
    # After one attempt of 1.5 s, less than a second of the 2.2 s budget is left: no retry.
    assert attempts == 1
    assert status == 504
    assert "Could not reach the platform" in text
    assert 0 < waited_seconds(text) < 2 * 1.5  # what was really waited: one attempt, within the budget
    assert "attempts" not in text


def test_reads_are_retried_while_the_budget_lasts_and_the_message_counts_them(
        admin_http, sandbox, settings):
    text, status, attempts = instance_list_on_a_slow_platform(
        admin_http, settings, budget=8, read_timeout=0.8, delay=1.6)
    assert attempts == 3
    assert status == 504
    assert "(3 attempts)" in text
    # Three attempts of 0.8 s and their backoffs: the wait said is the whole of it.
    assert waited_seconds(text) >= 3 * 0.8


def test_the_budget_cuts_an_attempt_shorter_than_the_read_timeout(admin_http, sandbox, settings):
    """Outside a request each call has a budget of its own; inside one, the calls share it."""
    text, status, attempts = instance_list_on_a_slow_platform(
        admin_http, settings, budget=1.5, read_timeout=5, delay=2.5)
    assert status == 504
    assert attempts == 1  # cut at the budget (1.5 s), not the read timeout (5 s), and not retried
    assert waited_seconds(text) < 5  # the budget's wait is said, not the read timeout's


# --- writes are sent once ---------------------------------------------------------------------

def test_a_put_carrying_an_authorization_code_is_sent_once(admin_http, client_api):
    """A gateway timeout on the OAuth callback's PUT: a retry would spend the code twice.

    The platform's OAuth round trip ends in one call carrying `providerData.code` (devportal,
    "Authenticate an Element Instance with OAuth"); the code is single-use at the provider."""
    instance = oauth_instance_stored(client_api, token="t-oauth-once")
    response = admin_http.post(f"/instances/{instance.id}/reauthenticate/", {
        "oauth.api.key": "new-id", "oauth.api.secret": "new-secret",
        "oauth.scope": "read"})
    assert response.status_code == 302
    back = provider_answers(response["Location"], "allow")
    fault = fault_add(path_prefix=f"/instances/{instance.id}", method="PUT", status=504, times=1)
    admin_http.get(local(back))
    fault.refresh_from_db()
    assert fault.hits == 1


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "POST"])
def test_no_write_is_retried_after_a_gateway_answer(client_api, mixpanel, method):
    instance = mixpanel(name="Once")
    path = "/instances" if method == "POST" else f"/instances/{instance['id']}"
    fault = fault_add(path_prefix=path, method=method, status=503, times=1)
    with pytest.raises(ServerError):
        if method == "PUT":
            client_api.instance_reauthenticate(
                instance["id"], element_key="mixpanel", name="Once", configuration={"username": "s"},
                provider_data={"code": "single-use"})
        elif method == "DELETE":
            client_api.instance_delete(instance["id"])
        elif method == "PATCH":
            client_api.instance_update(instance["id"], name="Renamed")
        else:
            mixpanel(name="Twice?")
    fault.refresh_from_db()
    assert fault.hits == 1


def test_a_write_whose_answer_never_came_is_a_timeout_sent_once(client_api, mixpanel, settings):
    """`writes` reconciles on UpstreamTimeout: the write was sent, its outcome is unknown."""
    settings.CLOUD_ELEMENTS_READ_TIMEOUT = 0.8
    instance = mixpanel(name="Slow rename")
    fault = fault_add(path_prefix=f"/instances/{instance['id']}", method="PATCH", delay=1.6)
    started = time.monotonic()
    with pytest.raises(UpstreamTimeout):
        get_client().instance_update(instance["id"], name="Renamed slowly")
    let_slow_answers_finish(started, 1.6)
    fault.refresh_from_db()
    assert fault.hits == 1


def test_a_write_that_never_connected_is_unreachable_not_of_unknown_outcome():
    """A connect timeout sent nothing, so it is UpstreamUnavailable (503), never UpstreamTimeout."""
    with socket.socket() as server:  # listening, never accepting, its queue full: connects hang
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = server.getsockname()[1]
        queued = [socket.socket() for _ in range(3)]
        for waiting in queued:
            waiting.setblocking(False)
            waiting.connect_ex(("127.0.0.1", port))
        client = CloudElementsClient(f"http://127.0.0.1:{port}/elements/api-v2", "u-secret", "o-secret",
                                     connect_timeout=0.3)
        try:
            with pytest.raises(UpstreamUnavailable) as caught:
                client.instance_update(1, name="Never sent")
        finally:
            for waiting in queued:
                waiting.close()
    assert not isinstance(caught.value, UpstreamTimeout)
    assert "could not be reached" in caught.value.message


# --- the circuit breaker ------------------------------------------------------------------------

def test_the_breaker_opens_after_repeated_timeouts_fails_fast_then_recovers(admin_http, mixpanel, settings):
    mixpanel(name="Still here")
    settings.CLOUD_ELEMENTS_TIME_BUDGET = 3
    settings.CLOUD_ELEMENTS_READ_TIMEOUT = 1.0
    settings.CLOUD_ELEMENTS_RETRIES = 0
    settings.CLOUD_ELEMENTS_BREAKER_FAILURES = 2
    settings.CLOUD_ELEMENTS_BREAKER_COOLDOWN = 2.0
    fault = fault_add(path_prefix="/instances", method="GET", delay=2.0)
    started = time.monotonic()
    assert [admin_http.get("/instances/").status_code for _ in range(2)] == [504, 504]

    page = admin_http.get("/instances/")
    assert page.status_code == 503
    text = text_of(page)
    assert "Could not reach the platform" in text
    assert re.search(r"tries it again at \d\d:\d\d:\d\d UTC", text)
    # The partial htmx asked for says the same, with the same status.
    partial = admin_http.get("/instances/?q=x", headers=HX_RESULTS)
    assert partial.status_code == 503
    assert "tries it again at" in text_of(partial)
    let_slow_answers_finish(started, 2 * 1.0 + 2.0)
    fault.refresh_from_db()
    assert fault.hits == 2  # the pages after the second timeout sent nothing

    fault_clear()
    time.sleep(settings.CLOUD_ELEMENTS_BREAKER_COOLDOWN)  # the cool-down is over: calls are tried again
    page = admin_http.get("/instances/")
    assert page.status_code == 200
    assert "Still here" in text_of(page)


def test_answers_that_are_errors_do_not_open_the_breaker(admin_http, sandbox, settings):
    settings.CLOUD_ELEMENTS_BREAKER_FAILURES = 2
    settings.CLOUD_ELEMENTS_RETRIES = 0
    fault = fault_add(path_prefix="/instances", method="GET", status=500, message="Database on fire")
    statuses = [admin_http.get("/instances/").status_code for _ in range(3)]
    fault.refresh_from_db()
    assert statuses == [502, 502, 502]
    assert fault.hits == 3  # the platform answered each time: it was asked each time


# --- pages that need no platform call never wait on it ------------------------------------------

def test_login_static_files_and_team_pages_never_call_the_platform(client, admin_http, sandbox, settings):
    fault = fault_add(path_prefix="/", delay=5)  # every platform call would hang
    assert client.get("/login/").status_code == 200
    assert client.get("/static/css/app.css").status_code == 200
    assert admin_http.get("/team/").status_code == 200
    assert admin_http.get("/audit/").status_code == 200
    fault.refresh_from_db()
    assert fault.hits == 0


def test_the_login_page_is_served_while_the_platform_is_down(client, sandbox, settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        settings.CLOUD_ELEMENTS_URL = f"http://127.0.0.1:{probe.getsockname()[1]}/elements/api-v2"
    page = client.get("/login/")
    assert page.status_code == 200
    assert 'name="password"' in text_of(page)


# --- the status and heading of an upstream failure page -----------------------------------------

@pytest.mark.parametrize(("fault", "status", "heading"), [
    ({"status": 500, "message": "Database on fire"}, 502, "The platform answered with an error"),
    ({"status": 401, "message": "Wrong secrets"}, 502, "The platform answered with an error"),
    ({"delay": 2.0}, 504, "Could not reach the platform"),
])
def test_failure_pages_and_their_htmx_partials_have_the_status_and_heading(
        admin_http, sandbox, settings, fault, status, heading):
    settings.CLOUD_ELEMENTS_READ_TIMEOUT = 1.0
    settings.CLOUD_ELEMENTS_RETRIES = 0
    fault_add(path_prefix="/instances", method="GET", **fault)
    started = time.monotonic()
    page = admin_http.get("/instances/")
    partial = admin_http.get("/instances/?q=x", headers=HX_RESULTS)
    for answer in (page, partial):
        assert answer.status_code == status
        assert heading in text_of(answer)
        assert answer["X-Upstream-Error"] == str(status)  # htmx swaps it in (static/js/app.js)
    other = {"The platform answered with an error", "Could not reach the platform"} - {heading}
    assert other.pop() not in text_of(page)
    assert "<html" in text_of(page) and "<html" not in text_of(partial)
    let_slow_answers_finish(started, 2 * fault.get("delay", 0))


def test_a_closed_port_is_503_could_not_reach(admin_http, sandbox, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.CLOUD_ELEMENTS_URL = f"http://127.0.0.1:{probe.getsockname()[1]}/elements/api-v2"
    page = admin_http.get("/")
    assert page.status_code == 503
    assert "Could not reach the platform" in text_of(page)
    assert "The catalog could not be read" in text_of(page)
