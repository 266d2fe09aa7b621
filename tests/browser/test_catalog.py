"""The catalog in a real Chromium: search as you type, filters in the URL, banners, Show more, logos."""

from __future__ import annotations

import pytest

from catalog.counts import instance_counts_invalidate

pytestmark = pytest.mark.browser


def instance_of(client_api, key: str, name: str, tags=()):
    """An instance of a non-OAuth element, its required configuration filled with made-up values.

    Made with the platform client, as if from another console: the login page already read (and
    cached) the counts, so the tests then invalidate them as our own create does, or refresh.
    """
    element = client_api.element_get(key)
    configuration = {
        entry["key"]: f"browser-{entry['key']}-value"
        for entry in element.get("configuration") or []
        if entry.get("required")
    }
    return client_api.instance_create(
        element_key=key, name=name, configuration=configuration, tags=list(tags)
    )


def test_search_as_you_type_narrows_the_cards_and_updates_the_url(admin_page, sandbox):
    page = admin_page
    page.goto(f"{sandbox.server_url}/")
    cards = page.locator(".element-card")
    assert cards.count() == 120
    page.evaluate("window.__marker = 1")
    page.locator("#catalog-search").press_sequentially("mixpan", delay=30)
    page.wait_for_url("**/?q=mixpan")
    page.wait_for_function("document.querySelectorAll('.element-card').length === 1")
    assert page.locator("#element-mixpanel").is_visible()
    assert "1 of" in page.locator("#catalog-count").inner_text()
    assert page.evaluate("window.__marker") == 1  # no reload: htmx swapped the results

    # A reload keeps the search: it is in the URL.
    page.reload()
    assert page.locator("#catalog-search").input_value() == "mixpan"
    assert page.locator(".element-card").count() == 1


def test_filter_by_hub_and_clear(admin_page, sandbox):
    page = admin_page
    page.goto(f"{sandbox.server_url}/")
    page.select_option("#catalog-hub", "crm")
    page.wait_for_url("**/?hub=crm")
    page.wait_for_function(
        "[...document.querySelectorAll('.element-card .element-hub')].every(b => b.textContent === 'crm')"
    )
    hubs = page.locator(".element-card .element-hub").all_inner_texts()
    assert hubs and set(hubs) == {"crm"}
    assert page.locator(".element-card").count() == len(hubs)

    page.fill("#catalog-search", "zzz-nothing")
    page.locator("#catalog-no-match").wait_for()
    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_url(f"{sandbox.server_url}/")
    assert page.locator(".element-card").count() == 120
    assert page.locator("#catalog-hub").input_value() == ""


def test_click_a_banner_to_open_the_element_instances(admin_page, sandbox, client_api):
    instance = instance_of(client_api, "mixpanel", "Product analytics", tags=["prod"])
    page = admin_page
    page.goto(f"{sandbox.server_url}/")
    assert page.locator(".element-banner").count() == 0  # counts cached before the instance
    page.get_by_role("button", name="Refresh catalog").click()
    page.locator(".element-banner").first.wait_for()
    first = page.locator(".element-card").first
    assert first.get_attribute("id") == "element-mixpanel"
    banner = first.locator(".element-banner")
    assert banner.inner_text().strip().startswith("1 instance")
    banner.click()
    page.wait_for_url("**/elements/mixpanel/instances/")
    assert page.locator(f"#instance-{instance['id']}").is_visible()


def test_only_elements_with_instances_checkbox(admin_page, sandbox, client_api):
    instance_of(client_api, "mixpanel", "Product analytics")
    instance_counts_invalidate()
    page = admin_page
    page.goto(f"{sandbox.server_url}/")
    page.check("#catalog-with-instances")
    page.wait_for_url("**/?with_instances=1")
    page.wait_for_function("document.querySelectorAll('.element-card').length === 1")
    assert page.locator(".element-card").get_attribute("id") == "element-mixpanel"


def test_show_more_appends_the_next_cards(viewer_page, sandbox, client_api):
    page = viewer_page
    total = len(client_api.element_list())
    page.goto(f"{sandbox.server_url}/")
    page.evaluate("window.__marker = 1")
    first_ids = page.locator(".element-card").evaluate_all("cards => cards.map(c => c.id)")
    page.get_by_role("link", name="Show more").click()
    page.wait_for_function(f"document.querySelectorAll('.element-card').length === {min(240, total)}")
    ids = page.locator(".element-card").evaluate_all("cards => cards.map(c => c.id)")
    assert ids[:120] == first_ids and len(set(ids)) == len(ids)
    assert page.evaluate("window.__marker") == 1
    page.wait_for_url("**/?page=2")
    # Every card stays inside the grid.
    assert page.locator("#catalog-grid > .element-card").count() == min(240, total)


def test_a_logo_that_fails_shows_initials(viewer_page, sandbox):
    page = viewer_page
    page.route("**/elements/provider_mixpanel.svg", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(f"{sandbox.server_url}/?q=mixpanel")
    logo = page.locator("#element-mixpanel .element-logo")
    page.wait_for_function("document.querySelector('#element-mixpanel .element-logo.logo-missing') !== null")
    assert logo.locator("img").count() == 0
    assert logo.locator(".initials").inner_text() == "M"
    assert logo.locator(".initials").is_visible()
    # Others keep their image.
    page.goto(f"{sandbox.server_url}/?q=abbyy")
    page.wait_for_function("document.querySelector('#element-abbyy .element-logo img').complete")
    assert page.locator("#element-abbyy .element-logo img").evaluate("img => img.naturalWidth") > 0


def test_refresh_button_says_it_refreshed(viewer_page, sandbox):
    page = viewer_page
    page.goto(f"{sandbox.server_url}/?hub=crm")
    page.get_by_role("button", name="Refresh catalog").click()
    page.wait_for_load_state()
    assert "Catalog refreshed" in page.locator("#messages").inner_text()
    assert page.url.endswith("/?hub=crm")


def test_catalog_screenshot(admin_page, sandbox, client_api, screenshot_path):
    for key, name, tags in (
        ("mixpanel", "Product analytics EU", ["prod", "eu"]),
        ("mixpanel", "Product analytics US", ["prod", "us"]),
        ("mixpanel", "Growth experiments", ["staging"]),
        ("abbyy", "Invoice OCR", ["finance"]),
        ("closeio", "Sales pipeline", ["sales"]),
        ("closeio", "Partner deals", ["sales", "partners"]),
        ("sqlserver", "Warehouse", ["data"]),
    ):
        instance_of(client_api, key, name, tags)
    instance_counts_invalidate()
    page = admin_page
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{sandbox.server_url}/")
    page.wait_for_function(
        "[...document.querySelectorAll('.element-card img')].slice(0, 24).every(i => i.complete)"
    )
    banners = page.locator(".element-banner").all_inner_texts()
    assert len(banners) == 4
    page.screenshot(path=str(screenshot_path("catalog")))
