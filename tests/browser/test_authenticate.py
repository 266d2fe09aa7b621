"""Authenticate, OAuth2 and Edit in a real Chromium, against the sandbox."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sandbox.faults import fault_add
from sandbox.models import Instance

pytestmark = pytest.mark.browser

NAME = re.compile(r"^Name")  # not "username", whose key the API Secret's label shows
TAGS = re.compile(r"^Tags")


def oauth_element_key(client_api) -> str:
    for summary in client_api.element_list():
        element = client_api.element_get(summary["key"])
        keys = {c["key"] for c in element["configuration"]}
        if element["authentication"]["type"] == "oauth2" and "oauth.scope" in keys:
            return element["key"]
    pytest.fail("no OAuth2 element with a scope in the sandbox catalog")


def test_authenticate_mixpanel(admin_page, sandbox, client_api, screenshot_path):
    page = admin_page
    page.goto(f"{sandbox.server_url}/elements/mixpanel/authenticate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Authenticate Mixpanel")
    page.get_by_label(NAME).fill("Product analytics EU")
    page.get_by_label(TAGS).fill("prod, eu")
    secret = page.get_by_label("API Secret")
    expect(secret).to_have_attribute("type", "password")
    secret.fill("mp-browser-secret")
    page.get_by_role("button", name="Show").click()
    expect(secret).to_have_attribute("type", "text")
    page.get_by_role("button", name="Hide").click()
    expect(secret).to_have_attribute("type", "password")
    page.screenshot(path=str(screenshot_path("authenticate")), full_page=True)

    fault_add(path_prefix="/instances", method="POST", delay=0.6, times=1)  # slow enough to see it working
    submit = page.locator("#authenticate-submit")
    submit.click()
    expect(submit).to_contain_text("Authenticating…")
    page.wait_for_url(re.compile(r"/instances/\d+/$"))
    [created] = client_api.instance_list()
    assert page.url.endswith(f"/instances/{created['id']}/")
    expect(page.locator("#messages")).to_contain_text(
        f"Authenticated Mixpanel: instance “Product analytics EU”, ID {created['id']}.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Product analytics EU")
    assert "mp-browser-secret" not in page.content()

    page.goto(f"{sandbox.server_url}/?q=mixpanel")
    expect(page.locator("#element-mixpanel .element-banner")).to_contain_text("1 instance")


def test_the_same_form_submitted_from_a_second_tab_makes_one_instance(admin_page, sandbox, client_api):
    """A duplicated tab holds the same form, with the same single-use token: its submit (by htmx
    here) sends nothing and links to the instance the first one made."""
    first = admin_page
    url = f"{sandbox.server_url}/elements/mixpanel/authenticate/"
    first.goto(url)
    token = first.locator("input[name=submit_token]").input_value()
    second = first.context.new_page()
    second.goto(url)
    second.locator("input[name=submit_token]").evaluate("(field, token) => field.value = token", token)
    for tab in (first, second):
        tab.get_by_label(NAME).fill("One of two tabs")
        tab.get_by_label("API Secret").fill("mp-tab-secret")

    first.locator("#authenticate-submit").click()
    first.wait_for_url(re.compile(r"/instances/\d+/$"))
    second.locator("#authenticate-submit").click()
    notice = second.locator(".already-submitted")
    expect(notice).to_contain_text("Already submitted: nothing was sent again")
    [made] = client_api.instance_list()
    notice.get_by_role("link", name=f"“One of two tabs”, ID {made['id']}").click()
    second.wait_for_url(re.compile(rf"/instances/{made['id']}/$"))
    assert len(client_api.instance_list()) == 1


def test_a_rejected_authentication_keeps_the_form(admin_page, sandbox, client_api, screenshot_path):
    page = admin_page
    page.goto(f"{sandbox.server_url}/elements/mixpanel/authenticate/")
    page.get_by_label(NAME).fill("Will be refused")
    page.get_by_label(TAGS).fill("legacy, us")
    page.get_by_label("API Secret").fill("invalid")
    page.locator("#authenticate-submit").click()
    alert = page.locator(".upstream-error")
    expect(alert).to_contain_text("Mixpanel rejected the credentials")
    expect(alert).to_contain_text("401 Unauthorized: the API Secret you provided is not valid.")
    expect(page.locator(".secrets-cleared")).to_contain_text("secret fields were cleared")
    expect(page.get_by_label(NAME)).to_have_value("Will be refused")
    expect(page.get_by_label(TAGS)).to_have_value("legacy, us")
    expect(page.get_by_label("API Secret")).to_have_value("")
    assert page.url.endswith("/elements/mixpanel/authenticate/")
    page.screenshot(path=str(screenshot_path("authenticate-rejected")), full_page=True)
    assert client_api.instance_list() == []

    # Typing the right secret now goes through.
    page.get_by_label("API Secret").fill("the-right-one")
    page.locator("#authenticate-submit").click()
    page.wait_for_url(re.compile(r"/instances/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Will be refused")


def test_oauth2_round_trip_through_the_consent_page(admin_page, sandbox, client_api, screenshot_path):
    key = oauth_element_key(client_api)
    page = admin_page
    page.goto(f"{sandbox.server_url}/elements/{key}/authenticate/")
    callback = page.get_by_label("Callback URL", exact=False).first
    expect(callback).to_have_value(f"{sandbox.server_url}/oauth/callback/")
    expect(callback).to_be_disabled()
    page.get_by_label(NAME).fill("Signing team")
    page.get_by_label(TAGS).fill("oauth")
    page.get_by_label("API Key").fill("browser-app")
    page.get_by_label("API Secret").fill("browser-app-secret")
    page.get_by_label("Scope", exact=False).first.fill("read write")
    page.screenshot(path=str(screenshot_path("authenticate-oauth")), full_page=True)
    page.get_by_role("button", name=re.compile(r"^Continue to ")).click()

    page.wait_for_url(re.compile(r"/sandbox/oauth/authorize/"))
    expect(page.locator("body")).to_contain_text("browser-app")
    page.get_by_role("button", name="Allow").click()

    page.wait_for_url(re.compile(r"/instances/\d+/$"))
    [created] = client_api.instance_list()
    expect(page.locator("#messages")).to_contain_text(f"instance “Signing team”, ID {created['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Signing team")
    stored = Instance.objects.get(pk=created["id"]).configuration
    assert stored["oauth.api.key"] == "browser-app"
    assert stored["oauth.callback.url"] == f"{sandbox.server_url}/oauth/callback/"


def test_oauth2_denied_comes_back_to_the_form(admin_page, sandbox, client_api):
    key = oauth_element_key(client_api)
    page = admin_page
    page.goto(f"{sandbox.server_url}/elements/{key}/authenticate/")
    page.get_by_label(NAME).fill("Not allowed")
    page.get_by_label("API Key").fill("browser-app")
    page.get_by_label("API Secret").fill("browser-app-secret")
    page.get_by_label("Scope", exact=False).first.fill("read")
    page.get_by_role("button", name=re.compile(r"^Continue to ")).click()
    page.get_by_role("button", name="Deny").click()
    page.wait_for_url(re.compile(rf"/elements/{key}/authenticate/$"))
    expect(page.locator("#messages")).to_contain_text("The provider refused: access_denied")
    expect(page.get_by_label(NAME)).to_have_value("Not allowed")
    expect(page.get_by_label("API Secret")).to_have_value("")
    assert client_api.instance_list() == []


def test_edit_name_and_tags_then_reauthenticate(admin_page, sandbox, mixpanel, screenshot_path):
    instance = mixpanel("Reporting", tags=["prod"], secret="stored-secret")
    page = admin_page
    page.goto(f"{sandbox.server_url}/instances/{instance['id']}/")
    page.get_by_role("link", name="Edit").click()
    page.wait_for_url(f"**/instances/{instance['id']}/edit/")
    update = page.locator("#edit-update")
    reauth = page.locator("#edit-reauthenticate")
    expect(update.get_by_label(NAME)).to_have_value("Reporting")
    expect(reauth.get_by_label("API Secret")).to_have_value("")
    expect(reauth).to_contain_text("type each secret again")
    page.screenshot(path=str(screenshot_path("edit")), full_page=True)

    update.get_by_label(NAME).fill("Reporting (EU)")
    update.get_by_label(TAGS).fill("prod, eu")
    update.get_by_role("button", name="Update").click()
    page.wait_for_url(f"**/instances/{instance['id']}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reporting (EU)")
    expect(page.locator("#messages")).to_contain_text("Updated the name and tags")
    assert Instance.objects.get(pk=instance["id"]).configuration["username"] == "stored-secret"

    page.goto(f"{sandbox.server_url}/instances/{instance['id']}/edit/")
    reauth = page.locator("#edit-reauthenticate")
    reauth.get_by_role("button", name="Re-Authenticate").click()  # the secret left blank
    expect(page.locator("#edit-reauthenticate")).to_contain_text("This field is required.")
    reauth = page.locator("#edit-reauthenticate")
    reauth.get_by_label("API Secret").fill("invalid")
    reauth.get_by_role("button", name="Re-Authenticate").click()
    expect(page.locator("#edit-reauthenticate .upstream-error")).to_contain_text("not valid")
    expect(page.locator("#edit-update").get_by_label(NAME)).to_have_value("Reporting (EU)")

    page.locator("#edit-reauthenticate").get_by_label("API Secret").fill("rotated-secret")
    page.locator("#edit-reauthenticate").get_by_role("button", name="Re-Authenticate").click()
    page.wait_for_url(f"**/instances/{instance['id']}/")
    expect(page.locator("#messages")).to_contain_text("Mixpanel accepted the configuration")
    stored = Instance.objects.get(pk=instance["id"])
    assert stored.configuration["username"] == "rotated-secret"
    assert stored.tags == ["prod", "eu"]
