"""The instance lists (all, per element), the detail page, and what never reaches their HTML."""

from __future__ import annotations

import re
import socket

import pytest

from sandbox.faults import fault_add
from tests.helpers import text_of

SECRET = "secret-mixpanel-value-1"


def html(response) -> str:
    return response.content.decode()


def card_names(text: str) -> list[str]:
    """The names on the instance cards (the tag filter also lists names: each instance is tagged
    with its own name by the platform)."""
    return re.findall(r'class="instance-name"[^>]*>(?:<a [^>]*>)?([^<]+)<', text)


# --- /instances/ ------------------------------------------------------------------------

def test_list_shows_every_instance_with_its_id_and_actions(admin_http, mixpanel):
    first = mixpanel(name="Reporting EU", secret=SECRET)
    second = mixpanel(name="Reporting US", tags=["b"], secret=SECRET)
    page = admin_http.get("/instances/")
    assert page.status_code == 200
    text = text_of(page)
    for instance in (first, second):
        assert f'id="instance-{instance["id"]}"' in text
        assert f'id="instance-id-{instance["id"]}">{instance["id"]}<' in text
        assert f'/instances/{instance["id"]}/docs/' in text
        assert f'/instances/{instance["id"]}/edit/' in text
        assert f'/instances/{instance["id"]}/delete/' in text
        assert instance["token"] not in text
    assert "Reporting EU" in text and "Reporting US" in text
    assert "<strong>2</strong> instances" in text
    assert SECRET not in text
    # The filters offer the elements and tags that instances have.
    assert '<option value="mixpanel"' in text
    assert '<option value="b"' in text


def test_search_by_name_goes_upstream_and_keeps_the_state(admin_http, mixpanel):
    mixpanel(name="Marketing funnel")
    mixpanel(name="Sales board")
    page = admin_http.get("/instances/", {"q": "funnel"})
    text = html(page)
    assert card_names(text) == ["Marketing funnel"]
    assert 'value="funnel"' in text
    assert "<strong>1</strong> instance matches your filters" in text


def test_search_as_you_type_answers_the_results_partial(admin_http, mixpanel):
    mixpanel(name="Marketing funnel")
    mixpanel(name="Sales board")
    page = admin_http.get(
        "/instances/?q=Sales&element=&tag=",
        headers={"HX-Request": "true", "HX-Target": "instance-results"},
    )
    text = text_of(page)
    assert text.lstrip().startswith('<section id="instance-results"')
    assert "<html" not in text
    assert "Sales board" in text and "Marketing funnel" not in text
    assert page["HX-Push-Url"] == "/instances/?q=Sales"


def test_filter_by_tag_and_by_element(admin_http, mixpanel):
    mixpanel(name="Tagged red", tags=["red"])
    mixpanel(name="Tagged blue", tags=["blue"])
    text = html(admin_http.get("/instances/", {"tag": "red"}))
    assert card_names(text) == ["Tagged red"]
    assert '<option value="red" selected>' in text
    by_element = text_of(admin_http.get("/instances/", {"element": "mixpanel"}))
    assert "Tagged red" in by_element and "Tagged blue" in by_element
    other = html(admin_http.get("/instances/", {"element": "abbyy"}))
    assert card_names(other) == []
    assert "No instances match" in other


def test_no_match_offers_to_clear_the_filters(admin_http, mixpanel):
    mixpanel(name="Something")
    text = text_of(admin_http.get("/instances/", {"q": "zzz-nothing"}))
    assert "No instances match" in text
    assert "Clear filters" in text
    assert card_names(text) == []


def test_empty_list(admin_http, sandbox):
    text = text_of(admin_http.get("/instances/"))
    assert "No instances yet — authenticate one from the catalog" in text


def test_upstream_error_is_shown_in_the_page(admin_http, client_api):
    fault_add(path_prefix="/instances", method="GET", status=500, message="Database on fire")
    page = admin_http.get("/instances/")
    assert page.status_code == 502
    assert "The platform answered with an error" in html(page)
    assert "upstream-error" in html(page)
    assert "Database on fire" in html(page)


def test_unreachable_platform_is_shown_in_the_page(admin_http, settings, sandbox):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CLOUD_ELEMENTS_URL = f"http://127.0.0.1:{port}/elements/api-v2"
    settings.CLOUD_ELEMENTS_RETRIES = 0
    page = admin_http.get("/instances/")
    assert page.status_code == 503
    assert "Could not reach the platform" in text_of(page)
    assert "The platform answered with an error" not in text_of(page)
    assert "could not be reached" in text_of(page)


# --- /elements/<key>/instances/ ----------------------------------------------------------

def test_element_page_lists_its_instances_with_a_count(admin_http, client_api, mixpanel):
    mine = mixpanel(name="Mixpanel one", secret=SECRET)
    mixpanel(name="Mixpanel two", secret=SECRET)
    other = client_api.instance_create(
        element_key="abbyy", name="OCR box",
        configuration={"username": "u", "password": "p-secret"}, tags=[],
    )
    page = admin_http.get("/elements/mixpanel/instances/")
    assert page.status_code == 200
    text = text_of(page)
    assert "<h1>Mixpanel</h1>" in text
    assert "2 instances" in text
    assert f'id="instance-{mine["id"]}"' in text
    assert f'id="instance-{other["id"]}"' not in text
    assert "/elements/mixpanel/authenticate/" in text  # admins get the Authenticate button
    assert SECRET not in text and mine["token"] not in text


def test_element_page_empty_state_calls_to_authenticate(admin_http, viewer_http, sandbox):
    text = text_of(admin_http.get("/elements/mixpanel/instances/"))
    assert "No Mixpanel instances yet" in text
    assert "0 instances" in text
    assert "Authenticate Mixpanel" in text
    viewer = text_of(viewer_http.get("/elements/mixpanel/instances/"))
    assert "/elements/mixpanel/authenticate/" not in viewer
    assert "Ask an admin" in viewer


# --- /instances/<id>/ ---------------------------------------------------------------------

def test_detail_page_shows_the_instance_and_hides_secrets(admin_http, mixpanel):
    instance = mixpanel(name="Detail me", tags=["alpha", "beta"], secret=SECRET)
    page = admin_http.get(f"/instances/{instance['id']}/")
    assert page.status_code == 200
    text = text_of(page)
    assert f'id="detail-instance-id">{instance["id"]}<' in text
    assert "Detail me" in text
    assert '<li class="tag">alpha</li>' in text
    assert "<time datetime=" in text
    assert "API Secret" in text  # the configuration row, labelled from the element's metadata
    assert ">hidden<" in text
    assert SECRET not in text
    assert "********" not in text
    assert instance["token"] not in text
    assert "View token" in text


def test_secrets_the_platform_returns_in_clear_are_hidden_too(admin_http, viewer_http, client_api):
    """Values the element declares as text but that name a credential never reach the page."""
    instance = client_api.instance_create(
        element_key="mixpanel", name="Extra keys", tags=[],
        configuration={"username": SECRET, "jwt.private.key": "pk-in-clear-123",
                       "partner.api_key": "ak-in-clear-456", "region": "eu-west"},
    )
    raw = client_api.instance_get(instance["id"])["configuration"]
    assert raw["jwt.private.key"] == "pk-in-clear-123"  # the sandbox does not mask these
    for http in (admin_http, viewer_http):
        text = text_of(http.get(f"/instances/{instance['id']}/"))
        assert "pk-in-clear-123" not in text and "ak-in-clear-456" not in text
        assert "jwt.private.key" in text
        # A key the element's metadata does not describe is hidden too: unknown means hidden.
        assert "region" in text and "eu-west" not in text


def test_viewer_sees_actions_disabled(viewer_http, mixpanel):
    instance = mixpanel()
    text = text_of(viewer_http.get(f"/instances/{instance['id']}/"))
    assert f'/instances/{instance["id"]}/edit/' not in text
    assert f'hx-get="/instances/{instance["id"]}/delete/"' not in text
    assert "You need an admin" in text
    assert f'hx-post="/instances/{instance["id"]}/token/"' not in text
    assert f'/instances/{instance["id"]}/docs/' in text


def test_detail_upstream_error_is_in_the_page(admin_http, mixpanel):
    instance = mixpanel()
    fault_add(path_prefix=f"/instances/{instance['id']}", method="GET", status=502,
              message="Provider said no")
    page = admin_http.get(f"/instances/{instance['id']}/")
    assert page.status_code == 502
    assert "Provider said no" in text_of(page)


@pytest.mark.parametrize("path", ["/instances/", "/elements/mixpanel/instances/"])
def test_lists_never_carry_tokens_or_secrets(admin_http, mixpanel, path):
    instance = mixpanel(secret=SECRET)
    text = text_of(admin_http.get(path))
    assert instance["token"] not in text
    assert SECRET not in text


def test_element_page_upstream_error_keeps_the_header(admin_http, client_api):
    fault_add(path_prefix="/elements/mixpanel/instances", method="GET", status=500,
              message="Instances store unavailable")
    page = admin_http.get("/elements/mixpanel/instances/")
    assert page.status_code == 502
    text = text_of(page)
    assert "<h1>Mixpanel</h1>" in text
    assert "Instances store unavailable" in text
    assert 'id="element-instance-count"' not in text


def test_the_list_offers_authenticate_to_admins_only(admin_http, viewer_http, sandbox):
    assert "Authenticate from the catalog" in text_of(admin_http.get("/instances/"))
    viewer_page = text_of(viewer_http.get("/instances/"))
    assert "Authenticate from the catalog" not in viewer_page and "Browse the catalog" in viewer_page


def test_the_list_answers_vary_on_htmx_headers(admin_http, sandbox):
    """One URL answers the page or the results partial: caches must keep them apart."""
    page = admin_http.get("/instances/", {"q": "x"})
    partial = admin_http.get("/instances/", {"q": "x"},
                             headers={"HX-Request": "true", "HX-Target": "instance-results"})
    for answer in (page, partial):
        assert {"HX-Request", "HX-Target"} <= {v.strip() for v in answer["Vary"].split(",")}
    assert partial["HX-Push-Url"] == "/instances/?q=x"
