"""The Content Security Policy in a real Chromium: every main page, and the htmx actions on them,
run with no violation reported (no inline script or handler, no eval by htmx)."""

from __future__ import annotations

import pytest

from tests.conftest import browser_login

pytestmark = pytest.mark.browser

# Recorded in the page itself as well as read from the console: a violation in a page that is
# left straight away may miss the console listener.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
document.addEventListener("htmx:evalDisallowedError", function () {
  window.__violations.push("htmx eval");
});
"""


@pytest.fixture
def watched(browser, sandbox):
    """A page under the policy (the shared `page` fixture bypasses it for Playwright's own eval),
    with every CSP violation it reports collected in `page.violations`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text else None)
    page.violations = violations
    yield page
    context.close()


def _assert_clean(page, where: str) -> None:
    page.wait_for_load_state("networkidle")
    found = page.violations + page.evaluate("window.__violations || []")
    assert found == [], f"CSP violations on {where}: {found}"


def test_main_pages_and_their_actions_run_under_the_policy(watched, sandbox, team_admin, client_api,
                                                           mixpanel):
    page = watched
    base = sandbox.server_url
    instance = mixpanel("Analytics EU", tags=["prod"])
    fortnox = client_api.instance_create(
        element_key="fortnox", name="Books", tags=[],
        configuration={"authorization.code": "fortnox-code-1", "client.secret": "fx-secret"})

    response = page.goto(f"{base}/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    _assert_clean(page, "the login page")
    browser_login(page, sandbox, team_admin)

    page.goto(f"{base}/")
    page.locator("#catalog-search").press_sequentially("mixpan", delay=20)
    page.wait_for_url("**q=mixpan**")
    _assert_clean(page, "the catalog")

    page.goto(f"{base}/instances/")
    card = page.locator(f"#instance-{instance['id']}")
    card.get_by_role("button", name="View token").click()
    page.locator(f"#token-value-{instance['id']}").wait_for()
    card.get_by_role("link", name="Delete").click()
    page.locator("dialog.modal[open]").wait_for()
    page.locator("dialog.modal[open]").get_by_role("button", name="Cancel").click()
    _assert_clean(page, "the instances list")

    page.goto(f"{base}/instances/{fortnox['id']}/")
    assert "fortnox-code-1" not in page.content()
    page.get_by_role("button", name="Reveal authorization.code").click()
    page.get_by_text("fortnox-code-1").wait_for()
    page.get_by_role("link", name="Hide").click()
    page.get_by_role("button", name="Reveal authorization.code").wait_for()
    _assert_clean(page, "an instance's page")

    for path in ("/elements/mixpanel/instances/", "/elements/mixpanel/authenticate/",
                 f"/instances/{instance['id']}/edit/", "/team/", "/sandbox/"):
        page.goto(f"{base}{path}")
        _assert_clean(page, path)

    page.goto(f"{base}/instances/{instance['id']}/docs/")
    operation = page.locator("#op-getUsers")
    operation.locator("summary.op-summary").click()
    operation.locator("summary.tryit-toggle").click()
    operation.get_by_role("button", name="Execute").click()
    page.locator("#op-getUsers-status").wait_for()
    _assert_clean(page, "API Docs and Try it out")

    page.goto(f"{base}/audit/")
    page.select_option("#audit-action", "token.view")
    page.wait_for_url("**action=token.view**")
    _assert_clean(page, "the audit log")

    page.goto(f"{base}/sandbox/oauth/authorize/?element=hubspotcrm&client_id=app&state=s"
              f"&redirect_uri={base}/oauth/callback")
    _assert_clean(page, "the sandbox's consent page")
