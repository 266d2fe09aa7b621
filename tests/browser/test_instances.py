"""The instance journeys in a real Chromium: view and copy a token, hide it; delete from the element page."""

from __future__ import annotations

import pytest

from sandbox.faults import fault_add

pytestmark = pytest.mark.browser


def test_view_copy_and_hide_a_token(admin_page, sandbox, mixpanel):
    instance = mixpanel("Analytics EU", tags=["prod", "eu"])
    page = admin_page
    page.goto(f"{sandbox.server_url}/instances/")
    card = page.locator(f"#instance-{instance['id']}")
    assert card.locator(".instance-id-value").inner_text() == str(instance["id"])
    assert instance["token"] not in page.content()

    card.get_by_role("button", name="View token").click()
    token_input = page.locator(f"#token-value-{instance['id']}")
    token_input.wait_for()
    assert token_input.input_value() == instance["token"]

    card.get_by_role("button", name="Copy", exact=True).click()
    page.wait_for_function(
        "expected => navigator.clipboard.readText().then(text => text === expected)",
        arg=instance["token"],
    )
    assert page.evaluate("navigator.clipboard.readText()") == instance["token"]

    card.get_by_role("link", name="Hide").click()
    token_input.wait_for(state="detached")
    assert card.locator(".token-mask").is_visible()
    assert instance["token"] not in page.content()


def test_delete_from_the_element_page_without_a_reload(admin_page, sandbox, mixpanel, screenshot_path):
    keep = mixpanel("Product analytics EU", tags=["prod", "eu"])
    mixpanel("Product analytics US", tags=["prod", "us"])
    doomed = mixpanel("Old reporting", tags=["legacy"])
    page = admin_page
    page.goto(f"{sandbox.server_url}/elements/mixpanel/instances/")
    count = page.locator("#element-instance-count")
    assert count.inner_text() == "3 instances"
    page.screenshot(path=str(screenshot_path("instances")), full_page=True)

    page.evaluate("window.__marker = 1")
    page.locator(f"#instance-{doomed['id']}").get_by_role("link", name="Delete").click()
    dialog = page.locator("dialog.modal[open]")
    dialog.wait_for()
    assert "Old reporting" in dialog.inner_text()
    assert f"ID {doomed['id']}" in dialog.inner_text()

    dialog.get_by_role("button", name="Delete instance").click()
    page.locator(f"#instance-{doomed['id']}").wait_for(state="detached")
    assert page.evaluate("window.__marker") == 1  # no reload
    assert count.inner_text() == "2 instances"
    assert page.locator("dialog[open]").count() == 0
    assert f"Deleted instance #{doomed['id']} Old reporting" in page.locator("#messages").inner_text()
    assert page.locator(f"#instance-{keep['id']}").is_visible()


def test_cancel_keeps_the_instance(admin_page, sandbox, client_api, mixpanel):
    instance = mixpanel("Not today")
    page = admin_page
    page.goto(f"{sandbox.server_url}/elements/mixpanel/instances/")
    page.locator(f"#instance-{instance['id']}").get_by_role("link", name="Delete").click()
    page.locator("dialog.modal[open]").get_by_role("button", name="Cancel").click()
    page.locator("dialog").wait_for(state="detached")
    assert page.locator(f"#instance-{instance['id']}").is_visible()
    assert client_api.instance_get(instance["id"])["name"] == "Not today"


def test_search_as_you_type_keeps_the_page(admin_page, sandbox, mixpanel):
    mixpanel("Marketing funnel")
    mixpanel("Sales board")
    page = admin_page
    page.goto(f"{sandbox.server_url}/instances/")
    page.evaluate("window.__marker = 1")
    page.fill("#instance-search", "funnel")
    page.wait_for_url("**/instances/?q=funnel")
    page.locator(".instance-card", has_text="Sales board").wait_for(state="detached")
    assert page.locator(".instance-card").count() == 1
    assert page.evaluate("window.__marker") == 1


def test_a_search_the_platform_fails_shows_its_message_in_place(admin_page, sandbox, mixpanel):
    """The answer is a 502 partial: htmx leaves error answers out unless told (static/js/app.js)."""
    mixpanel("Marketing funnel")
    page = admin_page
    page.goto(f"{sandbox.server_url}/instances/")
    fault_add(path_prefix="/instances", method="GET", status=500, message="Database on fire")
    page.fill("#instance-search", "funnel")
    results = page.locator("#instance-results")
    results.get_by_role("heading", name="The platform answered with an error").wait_for()
    assert "Database on fire" in results.inner_text()
    assert page.locator(".message-error", has_text="The action failed").count() == 0
