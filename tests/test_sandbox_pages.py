"""The sandbox's own pages: home with fault switches, logos, the consent page's refusals."""

from __future__ import annotations

import requests

from sandbox.models import Fault


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


def test_viewers_cannot_set_faults(viewer_http, sandbox):
    answer = viewer_http.post("/sandbox/faults/", {"path_prefix": "/x", "status": "500"})
    assert answer.status_code == 403
    assert not Fault.objects.exists()


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
