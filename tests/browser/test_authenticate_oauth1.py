"""In a real Chromium, through the sandbox's consent page: Twitter's OAuth1 round trip, and
Zendesk, whose OAuth URL needs the account's subdomain (sources in
`tests/test_authenticate_oauth1.py` and `cloud_elements/oauth_parameters.py`)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sandbox.models import Instance, OAuthRequestToken

pytestmark = pytest.mark.browser

NAME = re.compile(r"^Name")


def test_twitter_oauth1_round_trip(admin_page, sandbox, client_api, screenshot_path):
    page = admin_page
    page.goto(f"{sandbox.server_url}/elements/twitter/authenticate/")
    expect(page.locator(".authenticate-help")).to_contain_text("request token")
    page.get_by_label(NAME).fill("Brand account")
    page.get_by_label("API Key").fill("browser-consumer")
    page.get_by_label("API Secret").fill("browser-consumer-secret")
    page.get_by_role("button", name="Continue to Twitter").click()

    page.wait_for_url(re.compile(r"/sandbox/oauth/authorize/\?.*oauth_token="))
    expect(page.locator("body")).to_contain_text("OAuth 1.0a")
    expect(page.locator("body")).to_contain_text("browser-consumer")
    assert "browser-consumer-secret" not in page.content()
    page.screenshot(path=str(screenshot_path("consent-oauth1")), full_page=True)
    page.get_by_role("button", name="Allow").click()

    page.wait_for_url(re.compile(r"/instances/\d+/$"))
    [created] = client_api.instance_list()
    expect(page.locator("#messages")).to_contain_text(
        f"Authenticated Twitter: instance “Brand account”, ID {created['id']}.")
    stored = Instance.objects.get(pk=created["id"]).configuration
    assert stored["oauth.api.secret"] == "browser-consumer-secret"
    assert stored["oauth.user.token"]
    [token] = OAuthRequestToken.objects.all()
    assert token.used and token.verifier
    html = page.content()
    assert token.secret not in html and token.verifier not in html


def test_twitter_denied_comes_back_to_the_form(admin_page, sandbox, client_api):
    page = admin_page
    page.goto(f"{sandbox.server_url}/elements/twitter/authenticate/")
    page.get_by_label(NAME).fill("Not allowed")
    page.get_by_label("API Key").fill("browser-consumer")
    page.get_by_label("API Secret").fill("browser-consumer-secret")
    page.get_by_role("button", name="Continue to Twitter").click()
    page.get_by_role("button", name="Deny").click()
    page.wait_for_url(re.compile(r"/elements/twitter/authenticate/$"))
    expect(page.locator("#messages")).to_contain_text("The provider refused: access_denied")
    expect(page.get_by_label(NAME)).to_have_value("Not allowed")
    expect(page.get_by_label("API Secret")).to_have_value("")
    assert client_api.instance_list() == []


def test_zendesk_needs_its_subdomain(admin_page, sandbox, client_api, screenshot_path):
    page = admin_page
    page.goto(f"{sandbox.server_url}/elements/zendesk/authenticate/")
    page.get_by_label(NAME).fill("Support desk")
    page.get_by_label("API Key").fill("zd-browser-app")
    page.get_by_label("API Secret").fill("zd-browser-secret")
    subdomain = page.get_by_label("Zendesk Subdomain")
    expect(subdomain).to_have_attribute("aria-required", "true")
    page.get_by_role("button", name="Continue to Zendesk").click()
    expect(page.locator("#authenticate-form")).to_contain_text("Nothing was sent")
    expect(page.locator(".has-error")).to_contain_text("Zendesk Subdomain")
    assert "/sandbox/oauth/" not in page.url

    # Secrets (the app's key counts as one) were cleared with the refusal; the name was kept.
    expect(page.get_by_label(NAME)).to_have_value("Support desk")
    page.get_by_label("API Key").fill("zd-browser-app")
    page.get_by_label("API Secret").fill("zd-browser-secret")
    page.get_by_label("Zendesk Subdomain").fill("acme")
    page.screenshot(path=str(screenshot_path("authenticate-zendesk")), full_page=True)
    page.get_by_role("button", name="Continue to Zendesk").click()
    page.wait_for_url(re.compile(r"/sandbox/oauth/authorize/\?.*siteAddress=acme"))
    expect(page.locator(".site")).to_contain_text("Zendesk subdomain")
    expect(page.locator(".site")).to_contain_text("acme")
    page.screenshot(path=str(screenshot_path("consent-zendesk")), full_page=True)
    page.get_by_role("button", name="Allow").click()

    page.wait_for_url(re.compile(r"/instances/\d+/$"))
    [created] = client_api.instance_list()
    expect(page.get_by_role("heading", level=1)).to_have_text("Support desk")
    assert Instance.objects.get(pk=created["id"]).configuration["zendesk.subdomain"] == "acme"
