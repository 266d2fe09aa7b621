"""API Docs in a real Chromium: from the instances list to a call and its answer, without a reload."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_list_users_round_trip(admin_page, sandbox, client_api, mixpanel, screenshot_path):
    instance = mixpanel("Product analytics EU", tags=["prod", "eu"])
    page = admin_page
    page.goto(f"{sandbox.server_url}/instances/")
    page.locator(f"#instance-{instance['id']}").get_by_role("link", name="API Docs").click()
    page.wait_for_url(f"**/instances/{instance['id']}/docs/")
    assert page.locator("#docs-instance-id").inner_text() == str(instance["id"])
    assert page.locator("#docs-base-path").inner_text() == "/elements/api-v2/hubs/general"

    # Filter the operations as you type.
    page.locator("#op-filter").fill("users")
    assert page.locator("#op-count").inner_text() == "5 of 10 operations"
    assert page.locator("#op-getActivities").is_hidden()
    assert page.locator("#tag-activities").is_hidden()
    assert page.locator("#op-getUsers").is_visible()
    assert "q=users" in page.url

    page.evaluate("window.__marker = 1")
    operation = page.locator("#op-getUsers")
    operation.locator("summary.op-summary").click()
    operation.locator("summary.tryit-toggle").click()
    page.locator("#op-getusers-query-pagesize").fill("3")
    operation.get_by_role("button", name="Execute").click()

    status = page.locator("#op-getUsers-status")
    status.wait_for()
    assert status.inner_text() == "200 OK"
    expected = client_api.resource_call(instance["token"], "GET", "/hubs/general/users",
                                        params={"pageSize": "3"}).json()
    body = page.locator("#op-getUsers-body").inner_text()
    for user in expected:
        assert user["email"] in body
    assert "ms" in page.locator("#op-getUsers-time").inner_text()
    assert "Element ********" in page.locator("#op-getUsers-curl").inner_text()
    assert page.locator("#op-getUsers-next").is_visible()
    assert page.evaluate("window.__marker") == 1  # htmx swapped the answer in, no reload
    assert instance["token"] not in page.content()

    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshot_path("apidocs")), full_page=True)
