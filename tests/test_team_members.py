"""Team members: the list, add, role, deactivate/reactivate, password; guard rails; the command."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.test import Client

from team import accounts
from team.accounts import COMMAND_LINE, MemberError, user_create
from team.models import AuditEntry
from team.roles import can_manage
from tests.conftest import PASSWORD

User = get_user_model()
NEW_PASSWORD = "brand-new-secret-42"
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The default hasher takes a good part of a second per password, by design; these tests set
    # and check dozens. Validators still run as configured.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def member(username):
    return accounts.member_find(username=username)


def add(client, username="dora", role="viewer", password=NEW_PASSWORD, confirm=None, **kwargs):
    data = {"username": username, "role": role, "password1": password,
            "password2": password if confirm is None else confirm}
    return client.post("/team/add/", data, **kwargs)


def assert_no_secret_in_audit(*secrets):
    for entry in AuditEntry.objects.all():
        for secret in secrets:
            assert secret not in f"{entry.target} {entry.detail} {entry.username}"


def logged_in(client) -> bool:
    response = client.get("/team/")
    return not (response.status_code == 302 and response["Location"].startswith("/login/"))


# --- the page ----------------------------------------------------------------------------------

def test_admins_see_every_member_with_role_and_state(admin_http, team_admin, team_viewer):
    page = admin_http.get("/team/")
    assert page.status_code == 200
    text = page.content.decode()
    alice = text[text.index(f'id="member-{team_admin.pk}"'):]
    alice = alice[:alice.index("</tr>")]
    assert "alice" in alice and ">you</span>" in alice and ">Admin</span>" in alice
    # No self-demotion offered.
    assert "Make viewer</button>" in alice and ' disabled title="You cannot demote yourself' in alice
    victor = text[text.index(f'id="member-{team_viewer.pk}"'):]
    victor = victor[:victor.index("</tr>")]
    assert ">Viewer</span>" in victor and ">Active</span>" in victor
    assert ">never</span>" in victor  # victor has never logged in
    assert "Make admin</button>" in victor and " disabled " not in victor
    assert "Viewers browse the catalog, instances and API docs" in text
    assert "2 members: 1 admin, 1 viewer" in text
    assert 'href="/team/" aria-current="page">Team</a>' in text
    assert 'id="id_username"' in text and 'id="id_password2"' in text


def test_viewers_have_no_team_link(viewer_http):
    assert b'href="/team/"' not in viewer_http.get("/audit/").content  # the 403 page has the nav


def test_a_role_that_does_not_exist_is_refused(admin_http, team_viewer):
    response = admin_http.post(f"/team/{team_viewer.pk}/role/", {"role": "owner"})
    assert response.status_code == 400
    assert "Choose a role: admin or viewer." in response.content.decode()
    assert not AuditEntry.objects.exists()


# --- add ---------------------------------------------------------------------------------------

def test_add_a_viewer_without_javascript(admin_http, team_admin, caplog):
    caplog.set_level(logging.DEBUG)
    response = add(admin_http, "dora", "viewer")
    assert response.status_code == 302 and response["Location"] == "/team/"
    dora = member("dora")
    assert dora.is_active and not dora.is_admin and dora.check_password(NEW_PASSWORD)
    page = admin_http.get("/team/").content.decode()
    assert "Added dora as a viewer. They can log in now." in page
    assert f'id="member-{dora.pk}"' in page
    entry = AuditEntry.objects.get(action="member.add")
    assert (entry.user, entry.target, entry.detail) == (team_admin, "dora", "role viewer")
    assert_no_secret_in_audit(NEW_PASSWORD)
    assert NEW_PASSWORD not in caplog.text
    # The new member logs in with that password.
    assert Client().post("/login/", {"username": "dora", "password": NEW_PASSWORD}).status_code == 302


def test_add_an_admin_with_htmx_redraws_the_form_and_the_table(admin_http):
    response = add(admin_http, "erin", "admin", headers=HTMX)
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith('<section class="card member-add" id="member-add"')
    assert 'id="member-table" hx-swap-oob="true"' in text
    erin = member("erin")
    assert f'id="member-{erin.pk}" class="member-row member-added"' in text
    assert 'id="messages" class="messages" role="status" aria-live="polite" hx-swap-oob="true"' in text
    assert "Added erin as an admin." in text
    assert 'id="member-summary" hx-swap-oob="true"' in text
    assert 'value="erin"' not in text  # a fresh form for the next one
    assert can_manage(User.objects.get(username="erin"))


@pytest.mark.parametrize("data, field, error", [
    ({"username": "ALICE"}, "username", "There is already a member called"),
    ({"username": "dora smith"}, "username", "Enter a valid username"),
    ({"username": ""}, "username", "This field is required."),
    ({"confirm": "something-else-entirely"}, "password2", "The two passwords differ"),
    ({"password": "short", "confirm": "short"}, "password1", "This password is too short"),
])
def test_add_refusals_keep_what_was_typed_except_passwords(admin_http, team_admin, data, field, error):
    typed = {"username": "dora", "role": "admin", **data}
    for headers in ({}, HTMX):
        response = add(admin_http, **typed, headers=headers)
        assert response.status_code == 200
        text = response.content.decode()
        assert "Nobody was added" in text
        assert error in text
        assert f'id="id_{field}_error"' in text
        assert 'aria-invalid="true"' in text
        assert "autofocus" in text[text.index(f'id="id_{field}"') - 200:text.index(f'id="id_{field}"')]
        if typed["username"]:
            assert f'value="{typed["username"]}"' in text
        assert '<option value="admin" selected>' in text
        assert NEW_PASSWORD not in text and 'value="short"' not in text
        assert ("<html" in text) == (not headers)
    assert User.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_get_on_the_add_address_goes_to_the_page(admin_http):
    response = admin_http.get("/team/add/")
    assert response.status_code == 302 and response["Location"] == "/team/#member-add"


# --- role --------------------------------------------------------------------------------------

def test_change_a_role_both_ways(admin_http, team_admin, team_viewer):
    response = admin_http.post(f"/team/{team_viewer.pk}/role/", {"role": "admin"}, headers=HTMX)
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith(f'<tr id="member-{team_viewer.pk}"')
    assert ">Admin</span>" in text and "Make viewer</button>" in text
    assert "victor is now an admin." in text
    assert "2 members: 2 admins, 0 viewers" in text
    assert can_manage(User.objects.get(pk=team_viewer.pk))

    response = admin_http.post(f"/team/{team_viewer.pk}/role/", {"role": "viewer"})
    assert response.status_code == 302
    assert not can_manage(User.objects.get(pk=team_viewer.pk))
    assert "victor is now a viewer." in admin_http.get("/team/").content.decode()

    details = list(AuditEntry.objects.filter(action="member.role").order_by("id")
                   .values_list("username", "target", "detail"))
    assert details == [("alice", "victor", "viewer → admin"), ("alice", "victor", "admin → viewer")]


def test_a_role_already_held_changes_nothing(admin_http, team_viewer):
    admin_http.post(f"/team/{team_viewer.pk}/role/", {"role": "viewer"})
    assert "victor was already a viewer." in admin_http.get("/team/").content.decode()
    assert not AuditEntry.objects.exists()


def test_nobody_demotes_themselves(admin_http, team_admin, team_viewer):
    accounts.member_role_set(by=team_admin, member=team_viewer, admin=True)  # not the last admin
    response = admin_http.post(f"/team/{team_admin.pk}/role/", {"role": "viewer"}, headers=HTMX)
    assert response.status_code == 200
    assert "You cannot demote yourself" in response.content.decode()
    assert can_manage(User.objects.get(pk=team_admin.pk))
    assert not AuditEntry.objects.filter(target="alice").exists()


@pytest.fixture
def operator(db, team_admin):
    """May manage instances by a permission of their own, yet is no admin of the team's."""
    ops = User.objects.create_user("ops", password=PASSWORD)
    ops.user_permissions.add(Permission.objects.get(codename="manage_instances"))
    client = Client()
    client.force_login(ops)
    return client


def test_the_last_active_admin_is_never_demoted_or_deactivated(operator, team_admin):
    operator.post(f"/team/{team_admin.pk}/role/", {"role": "viewer"})
    operator.post(f"/team/{team_admin.pk}/active/", {"active": "false"})
    page = operator.get("/team/").content.decode()
    assert page.count("alice is the last active admin: make another member an admin first") == 2
    alice = User.objects.get(pk=team_admin.pk)
    assert alice.is_active and can_manage(alice)
    assert not AuditEntry.objects.exists()


def test_an_admin_who_is_not_the_last_one_can_be_demoted(operator, team_admin, team_viewer):
    accounts.member_role_set(by=COMMAND_LINE, member=team_viewer, admin=True)
    operator.post(f"/team/{team_admin.pk}/role/", {"role": "viewer"})
    assert not can_manage(User.objects.get(pk=team_admin.pk))
    # Now victor is the last one.
    operator.post(f"/team/{team_viewer.pk}/active/", {"active": "false"})
    assert User.objects.get(pk=team_viewer.pk).is_active


def test_a_demoted_superuser_is_a_viewer(admin_http, team_admin):
    root = User.objects.create_superuser("root", password=PASSWORD)
    assert member("root").is_admin
    admin_http.post(f"/team/{root.pk}/role/", {"role": "viewer"})
    root.refresh_from_db()
    assert not root.is_superuser and not can_manage(root)


# --- deactivate / reactivate ------------------------------------------------------------------

def test_deactivate_and_reactivate(admin_http, viewer_http, team_admin, team_viewer):
    assert logged_in(viewer_http)
    response = admin_http.post(f"/team/{team_viewer.pk}/active/", {"active": "false"}, headers=HTMX)
    text = response.content.decode()
    assert text.lstrip().startswith(f'<tr id="member-{team_viewer.pk}" class="member-row member-inactive"')
    assert ">Deactivated</span>" in text and "Reactivate</button>" in text
    assert "Deactivated victor: they can no longer log in" in text
    assert not User.objects.get(pk=team_viewer.pk).is_active
    assert not logged_in(viewer_http)  # their session ended at once
    assert Client().post("/login/", {"username": "victor", "password": PASSWORD}).status_code == 200

    admin_http.post(f"/team/{team_viewer.pk}/active/", {"active": "true"})
    assert User.objects.get(pk=team_viewer.pk).is_active
    assert "Reactivated victor: they can log in again." in admin_http.get("/team/").content.decode()
    assert Client().post("/login/", {"username": "victor", "password": PASSWORD}).status_code == 302
    member_entries = AuditEntry.objects.filter(action__startswith="member.")  # logins are there too
    assert list(member_entries.order_by("id").values_list("action", "target")) == [
        ("member.deactivate", "victor"), ("member.activate", "victor")]


def test_nobody_deactivates_themselves(admin_http, team_admin, team_viewer):
    accounts.member_role_set(by=team_admin, member=team_viewer, admin=True)
    admin_http.post(f"/team/{team_admin.pk}/active/", {"active": "false"})
    assert "You cannot deactivate yourself" in admin_http.get("/team/").content.decode()
    assert User.objects.get(pk=team_admin.pk).is_active
    assert logged_in(admin_http)


# --- password ----------------------------------------------------------------------------------

def test_reset_a_password_in_the_dialog(admin_http, viewer_http, team_viewer, caplog):
    caplog.set_level(logging.DEBUG)
    dialog = admin_http.get(f"/team/{team_viewer.pk}/password/", headers=HTMX).content.decode()
    assert dialog.lstrip().startswith('<dialog class="modal member-password-modal"')
    assert "Reset the password of victor" in dialog and "data-dialog-close" in dialog

    refused = admin_http.post(f"/team/{team_viewer.pk}/password/",
                              {"password1": NEW_PASSWORD, "password2": "not-the-same-one"}, headers=HTMX)
    text = refused.content.decode()
    assert text.lstrip().startswith('<form method="post" action="/team/')
    assert "The two passwords differ" in text and "data-dialog-close" in text
    assert NEW_PASSWORD not in text
    assert User.objects.get(pk=team_viewer.pk).check_password(PASSWORD)

    done = admin_http.post(f"/team/{team_viewer.pk}/password/",
                           {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, headers=HTMX)
    assert done["HX-Reswap"] == "none"
    text = done.content.decode()
    assert '<div id="modal-root" hx-swap-oob="true"></div>' in text
    assert "New password set for victor" in text
    victor = User.objects.get(pk=team_viewer.pk)
    assert victor.check_password(NEW_PASSWORD) and not victor.check_password(PASSWORD)
    assert not logged_in(viewer_http)  # their sessions ended
    entry = AuditEntry.objects.get(action="member.password")
    assert (entry.username, entry.target, entry.detail) == ("alice", "victor", "reset")
    assert_no_secret_in_audit(NEW_PASSWORD, PASSWORD)
    assert NEW_PASSWORD not in caplog.text


def test_reset_a_password_without_javascript(admin_http, team_viewer):
    page = admin_http.get(f"/team/{team_viewer.pk}/password/").content.decode()
    assert "<html" in page and 'href="/team/">Cancel</a>' in page
    short = admin_http.post(f"/team/{team_viewer.pk}/password/", {"password1": "abc", "password2": "abc"})
    assert short.status_code == 200
    assert "This password is too short" in short.content.decode()
    assert not AuditEntry.objects.exists()
    done = admin_http.post(f"/team/{team_viewer.pk}/password/",
                           {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/team/"
    assert User.objects.get(pk=team_viewer.pk).check_password(NEW_PASSWORD)


def test_changing_your_own_password_keeps_you_logged_in(admin_http, team_admin):
    admin_http.post(f"/team/{team_admin.pk}/password/",
                    {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    page = admin_http.get("/team/")
    assert page.status_code == 200  # still logged in
    assert "Your password is changed" in page.content.decode()
    assert User.objects.get(pk=team_admin.pk).check_password(NEW_PASSWORD)
    assert AuditEntry.objects.get(action="member.password").detail == "set their own password"


# --- services ----------------------------------------------------------------------------------

def test_services_refuse_a_team_without_an_active_admin(team_admin):
    with pytest.raises(MemberError, match="last active admin"):
        accounts.member_role_set(by=COMMAND_LINE, member=team_admin, admin=False)
    with pytest.raises(MemberError, match="last active admin"):
        accounts.member_active_set(by=COMMAND_LINE, member=team_admin, active=False)
    # An inactive admin does not count: with them alone, alice is still the last one.
    other = user_create(username="zoe", password=PASSWORD, admin=True)
    accounts.member_active_set(by=COMMAND_LINE, member=other, active=False)
    with pytest.raises(MemberError, match="last active admin"):
        accounts.member_role_set(by=COMMAND_LINE, member=team_admin, admin=False)


# --- the command -------------------------------------------------------------------------------

class FakeStdin:
    def __init__(self, tty: bool):
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_command_creates_the_first_admin_from_an_environment_variable(db, monkeypatch, capsys):
    monkeypatch.setenv("FIRST_ADMIN_PASSWORD", NEW_PASSWORD)
    call_command("team_member", "root", "--admin", "--password-from-env", "FIRST_ADMIN_PASSWORD")
    root = User.objects.get(username="root")
    assert can_manage(root) and root.check_password(NEW_PASSWORD)
    assert "Added root as an admin" in capsys.readouterr().out
    entry = AuditEntry.objects.get(action="member.add")
    assert (entry.user, entry.username, entry.target) == (None, "manage.py team_member", "root")
    assert_no_secret_in_audit(NEW_PASSWORD)


def test_command_updates_an_existing_member(team_admin, team_viewer, monkeypatch):
    monkeypatch.setattr("sys.stdin", FakeStdin(tty=False))
    accounts.member_active_set(by=COMMAND_LINE, member=team_viewer, active=False)
    # A role alone needs no password, and the member is active again.
    call_command("team_member", "victor", "--admin")
    victor = User.objects.get(pk=team_viewer.pk)
    assert victor.is_active and can_manage(victor) and victor.check_password(PASSWORD)
    monkeypatch.setenv("VICTOR_PASSWORD", NEW_PASSWORD)
    call_command("team_member", "victor", "--password-from-env", "VICTOR_PASSWORD")
    victor.refresh_from_db()
    assert victor.check_password(NEW_PASSWORD) and can_manage(victor)
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "member.deactivate", "member.role", "member.activate", "member.password"]


def test_command_asks_twice_in_a_terminal(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", FakeStdin(tty=True))
    answers = iter([NEW_PASSWORD, NEW_PASSWORD, "one-password-1", "another-one-2"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("team_member", "dora")
    dora = member("dora")
    assert dora.check_password(NEW_PASSWORD) and not dora.is_admin
    with pytest.raises(CommandError, match="The two passwords differ"):
        call_command("team_member", "erin", "--admin")
    assert member("erin") is None

    def interrupted(prompt=""):
        raise KeyboardInterrupt

    monkeypatch.setattr("getpass.getpass", interrupted)
    with pytest.raises(CommandError, match="Cancelled: nothing was changed"):
        call_command("team_member", "erin")
    assert member("erin") is None


@pytest.mark.parametrize("args, env, error", [
    (["dora"], {}, "No password: give one with --password-from-env VAR"),
    (["dora", "--password-from-env", "NOT_SET_ANYWHERE"], {}, "NOT_SET_ANYWHERE is not set"),
    (["dora", "--password-from-env", "P"], {"P": "short"}, "Password refused: This password is too short"),
    (["dora smith", "--password-from-env", "P"], {"P": NEW_PASSWORD}, "Enter a valid username"),
    (["alice", "--viewer"], {}, "alice is the last active admin"),
])
def test_command_refusals(team_admin, monkeypatch, args, env, error):
    monkeypatch.setattr("sys.stdin", FakeStdin(tty=False))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(CommandError, match=error):
        call_command("team_member", *args)
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]
    assert can_manage(User.objects.get(pk=team_admin.pk))
    assert not AuditEntry.objects.exists()
