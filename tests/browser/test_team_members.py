"""Team members in a real Chromium: add a viewer, change the role, deactivate; reset a password."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from team.models import AuditEntry
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

NEW_PASSWORD = "dora-first-pass-9"


def log_in(page, sandbox, username: str, password: str) -> None:
    page.goto(f"{sandbox.server_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_add_a_viewer_change_the_role_and_deactivate(
    admin_page, sandbox, browser, team_viewer, screenshot_path
):
    page = admin_page
    page.goto(f"{sandbox.server_url}/")
    page.get_by_role("link", name="Team", exact=True).click()
    page.wait_for_url("**/team/")
    page.evaluate("window.__marker = 1")

    # A mistake first: the passwords differ. The username and role stay, the passwords do not.
    page.fill("#id_username", "dora")
    page.select_option("#id_role", "viewer")
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD + "x")
    page.get_by_role("button", name="Add member").click()
    page.locator("#id_password2_error").wait_for()
    assert "The two passwords differ" in page.locator("#id_password2_error").inner_text()
    assert page.locator("#id_username").input_value() == "dora"
    assert page.locator("#id_password1").input_value() == ""
    assert page.evaluate("document.activeElement.id") == "id_password2"

    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.get_by_role("button", name="Add member").click()
    dora = page.locator("tr.member-row", has_text="dora")
    dora.wait_for()
    assert "Viewer" in dora.locator("td").nth(0).inner_text()
    assert "never" in dora.inner_text()
    assert "Added dora as a viewer" in page.locator("#messages").inner_text()
    assert page.locator("#id_username").input_value() == ""  # a fresh form
    assert "3 members: 1 admin, 2 viewers" in page.locator("#member-summary").inner_text()
    assert page.evaluate("window.__marker") == 1  # no reload
    page.screenshot(path=str(screenshot_path("team")), full_page=True)

    # Dora logs in, in a browser of her own: a viewer sees no Authenticate button.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        dora_page = context.new_page()
        dora_page.set_default_timeout(10_000)
        log_in(dora_page, sandbox, "dora", NEW_PASSWORD)
        dora_page.wait_for_url(f"{sandbox.server_url}/")
        assert dora_page.locator(".element-card").count() > 0
        assert dora_page.locator(".element-authenticate").count() == 0
        assert dora_page.get_by_role("link", name="Team", exact=True).count() == 0

        # The admin makes her an admin: the row changes in place.
        dora.get_by_role("button", name="Make admin").click()
        dora.locator(".role-admin").wait_for()
        assert "dora is now an admin" in page.locator("#messages").inner_text()
        dora_page.reload()
        assert dora_page.locator(".element-authenticate").count() > 0

        # Then deactivates her: she is logged out, and cannot log in again.
        dora.get_by_role("button", name="Deactivate").click()
        dora.get_by_role("button", name="Reactivate").wait_for()
        assert "Deactivated" in dora.inner_text()
        assert "Deactivated dora" in page.locator("#messages").inner_text()
        dora_page.reload()
        assert "/login/" in dora_page.url
        log_in(dora_page, sandbox, "dora", NEW_PASSWORD)
        assert dora_page.locator(".form-error").is_visible()
    finally:
        context.close()

    assert page.evaluate("window.__marker") == 1
    actions = list(AuditEntry.objects.filter(target="dora").order_by("id").values_list("action", flat=True))
    assert actions == ["member.add", "member.role", "member.deactivate"]
    page.screenshot(path=str(screenshot_path("team-after")), full_page=True)


def test_reset_a_password_in_a_dialog(admin_page, sandbox, team_viewer, screenshot_path):
    page = admin_page
    page.goto(f"{sandbox.server_url}/team/")
    row = page.locator(f"#member-{team_viewer.pk}")
    row.get_by_role("link", name="Reset password").click()
    dialog = page.locator("dialog.modal[open]")
    dialog.wait_for()
    assert "Reset the password of victor" in dialog.inner_text()
    dialog.locator("#id_password1").fill("short")
    dialog.locator("#id_password2").fill("short")
    dialog.get_by_role("button", name="Set password").click()
    dialog.locator("#id_password1_error").wait_for()
    assert "too short" in dialog.inner_text()
    page.screenshot(path=str(screenshot_path("team-password")))

    dialog.locator("#id_password1").fill(NEW_PASSWORD)
    dialog.locator("#id_password2").fill(NEW_PASSWORD)
    dialog.get_by_role("button", name="Set password").click()
    dialog.wait_for(state="detached")
    assert "New password set for victor" in page.locator("#messages").inner_text()
    victor = get_user_model().objects.get(pk=team_viewer.pk)
    assert victor.check_password(NEW_PASSWORD) and not victor.check_password(PASSWORD)
