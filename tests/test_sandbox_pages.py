"""The sandbox's own pages: home with fault switches, logos, the consent page's refusals."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.utils import timezone

from cloud_elements import CloudElementsError
from sandbox.models import Fault, OAuthCode


def test_home_lists_and_sets_fault_switches(admin_http, sandbox):
    page = admin_http.get("/sandbox/")
    assert page.status_code == 200
    assert b"No fault switch is on" in page.content
    answer = admin_http.post("/sandbox/faults/", {"method": "GET", "path_prefix": "/instances",
                                                   "status": "503", "delay": "", "message": "Busy"})
    assert answer.status_code == 302
    fault = Fault.objects.get()
    assert (fault.method, fault.path_prefix, fault.status, fault.message) == (
        "GET", "/instances", 503, "Busy")
    assert b"Busy" in admin_http.get("/sandbox/").content
    admin_http.post("/sandbox/faults/", {"action": "clear"})
    assert not Fault.objects.exists()


def test_bad_fault_input_is_refused_with_a_message(admin_http, sandbox):
    admin_http.post("/sandbox/faults/", {"path_prefix": "instances", "status": "abc"})
    assert not Fault.objects.exists()
    page = admin_http.get("/sandbox/")
    assert b"Status must be a number" in page.content


def test_logos_are_svg_and_need_no_login(sandbox):
    answer = requests.get(f"{sandbox.server_url}/sandbox/logos/mixpanel.svg")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "image/svg+xml"
    assert ">M<" in answer.text
    assert requests.get(f"{sandbox.server_url}/sandbox/logos/nope.svg").status_code == 404


def test_consent_page_refuses_an_incomplete_request(sandbox):
    answer = requests.get(f"{sandbox.server_url}/sandbox/oauth/authorize/",
                          params={"element": "sfdc", "client_id": "a"})
    assert answer.status_code == 400
    assert "Invalid authorization request" in answer.text


def _consent(client, client_id: str = "app") -> str:
    answer = client.post("/sandbox/oauth/authorize/", {
        "element": "sfdc", "client_id": client_id, "state": "s", "decision": "allow",
        "redirect_uri": "http://testserver/oauth/callback"})
    assert answer.status_code == 302
    return parse_qs(urlsplit(answer["Location"]).query)["code"][0]


def _redeem(client_api, code: str, client_id: str = "app"):
    return client_api.instance_create(
        element_key="sfdc", name="From a code", tags=[], provider_data={"code": code},
        configuration={"oauth.api.key": client_id, "oauth.api.secret": "app-secret",
                       "oauth.callback.url": "http://testserver/oauth/callback"})


def test_consent_codes_expire_after_ten_minutes(client, client_api):
    """RFC 6749 section 4.1.2: an authorization code lives 10 minutes at most."""
    stale = _consent(client)
    OAuthCode.objects.filter(code=stale).update(created=timezone.now() - timedelta(minutes=11))
    with pytest.raises(CloudElementsError) as refused:
        _redeem(client_api, stale)
    assert "invalid_grant" in str(refused.value.provider_message)
    assert _redeem(client_api, _consent(client))["id"]


def test_the_number_of_consent_codes_is_bounded(client, client_api, settings):
    settings.SANDBOX_OAUTH_CODES_MAX = 5
    codes = [_consent(client) for _ in range(12)]
    assert OAuthCode.objects.count() == 5
    assert set(OAuthCode.objects.values_list("code", flat=True)) == set(codes[-5:])
    with pytest.raises(CloudElementsError):
        _redeem(client_api, codes[0])  # the oldest gave way
    assert _redeem(client_api, codes[-1])["id"]


def test_pages_without_a_post_answer_405_to_one(admin_http, sandbox):
    assert admin_http.post("/sandbox/").status_code == 405
    assert admin_http.post("/audit/").status_code == 405
    assert admin_http.get("/audit/").status_code == 200
    # The fault switches' own endpoint still takes its POST.
    assert admin_http.post("/sandbox/faults/", {"path_prefix": "/x", "status": "500"}).status_code == 302
    assert Fault.objects.filter(path_prefix="/x").exists()
