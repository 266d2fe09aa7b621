"""Delete: a confirmation that names the instance, then the platform deletes it; admins only."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client

from cloud_elements import NotFound
from sandbox.faults import fault_add
from sandbox.models import Instance
from team.accounts import user_create
from team.models import AuditEntry


def test_confirmation_names_the_instance(admin_http, client_api, mixpanel):
    instance = mixpanel(name="Old reporting")
    modal = admin_http.get(
        f"/instances/{instance['id']}/delete/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/elements/mixpanel/instances/"},
    )
    text = modal.content.decode()
    assert text.lstrip().startswith('<dialog class="modal')
    assert "Delete “Old reporting”?" in text
    assert f"ID {instance['id']}" in text
    assert 'name="next" value="/elements/mixpanel/instances/"' in text
    page = admin_http.get(f"/instances/{instance['id']}/delete/")
    assert "<html" in page.content.decode()
    assert "Delete “Old reporting”?" in page.content.decode()
    # Asking is not deleting.
    assert client_api.instance_get(instance["id"])["id"] == instance["id"]


def test_admin_deletes_with_htmx_from_the_element_page(admin_http, client_api, team_admin, mixpanel):
    gone = mixpanel(name="Gone soon")
    mixpanel(name="Stays")
    response = admin_http.post(
        f"/instances/{gone['id']}/delete/",
        {"next": "/elements/mixpanel/instances/"},
        headers={"HX-Request": "true", "HX-Target": f"instance-{gone['id']}"},
    )
    assert response.status_code == 200
    assert response["HX-Reswap"] == "delete"
    text = response.content.decode()
    assert 'id="messages" class="messages" role="status" aria-live="polite" hx-swap-oob="true"' in text
    assert f"Deleted instance #{gone['id']} Gone soon" in text
    assert '<div id="modal-root" hx-swap-oob="true"></div>' in text
    assert 'id="element-instance-count" hx-swap-oob="true">1 instance<' in text
    with pytest.raises(NotFound):
        client_api.instance_get(gone["id"])
    entry = AuditEntry.objects.get(action="instance.delete")
    assert entry.target == f"#{gone['id']} Gone soon"
    assert entry.user == team_admin


def test_deleting_the_last_one_shows_the_empty_state(admin_http, mixpanel):
    only = mixpanel(name="Only one")
    response = admin_http.post(
        f"/instances/{only['id']}/delete/", {"next": "/instances/?tag=a"},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert 'id="instance-results" class="instance-results" aria-live="polite" hx-swap-oob="true"' in text
    assert "No instances match" in text


def test_deleting_from_the_list_updates_its_count(admin_http, mixpanel):
    gone = mixpanel(name="One")
    mixpanel(name="Two")
    mixpanel(name="Three")
    response = admin_http.post(
        f"/instances/{gone['id']}/delete/", {"next": "/instances/"}, headers={"HX-Request": "true"}
    )
    assert 'id="result-count" hx-swap-oob="true"><strong>2</strong> instances' in response.content.decode()


def test_deleting_from_the_detail_page_goes_to_the_element(admin_http, mixpanel):
    instance = mixpanel()
    response = admin_http.post(
        f"/instances/{instance['id']}/delete/", {"next": f"/instances/{instance['id']}/"},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Redirect"] == "/elements/mixpanel/instances/"


def test_without_javascript_it_redirects_back_with_a_message(admin_http, client_api, mixpanel):
    instance = mixpanel(name="No JS")
    response = admin_http.post(f"/instances/{instance['id']}/delete/", {"next": "/instances/"})
    assert response.status_code == 302
    assert response["Location"] == "/instances/"
    page = admin_http.get("/instances/")
    assert f"Deleted instance #{instance['id']} No JS" in page.content.decode()
    with pytest.raises(NotFound):
        client_api.instance_get(instance["id"])


def test_upstream_503_shows_the_platform_message_and_keeps_the_instance(admin_http, client_api, mixpanel):
    instance = mixpanel(name="Survivor")
    fault_add(path_prefix=f"/instances/{instance['id']}", method="DELETE", status=503,
              message="Maintenance window")
    response = admin_http.post(
        f"/instances/{instance['id']}/delete/", {"next": "/elements/mixpanel/instances/"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    text = response.content.decode()
    assert "Could not delete" in text and "Maintenance window" in text
    assert client_api.instance_get(instance["id"])["name"] == "Survivor"
    assert not AuditEntry.objects.filter(action="instance.delete").exists()
    # Without JavaScript: back to the page, with the same message.
    plain = admin_http.post(f"/instances/{instance['id']}/delete/", {"next": "/elements/mixpanel/instances/"})
    assert plain.status_code == 302
    assert "Maintenance window" in admin_http.get(plain["Location"]).content.decode()


def test_next_must_be_on_this_site(admin_http, mixpanel):
    instance = mixpanel()
    response = admin_http.post(f"/instances/{instance['id']}/delete/", {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/elements/mixpanel/instances/"


def test_an_instance_deleted_elsewhere_just_goes(admin_http, client_api, mixpanel):
    instance = mixpanel(name="Deleted elsewhere")
    client_api.instance_delete(instance["id"])
    response = admin_http.post(
        f"/instances/{instance['id']}/delete/", {"next": "/elements/mixpanel/instances/"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Reswap"] == "delete"
    assert f"Instance {instance['id']} was already deleted" in response.content.decode()
    assert not AuditEntry.objects.filter(action="instance.delete").exists()  # not this admin's doing


def test_two_admins_deleting_at_once_are_both_told_it_is_gone_with_one_audit_entry(mixpanel, team_admin):
    """Two admins' deletes race against the live server: the platform deletes once (200) and
    answers the other 404; both are told the instance is gone, and only the delete that did it is
    in the audit log."""
    admins = [Client(), Client()]
    admins[0].force_login(team_admin)
    admins[1].force_login(user_create(username="bianca", password="x-password-1", admin=True))

    for attempt in range(5):
        instance = mixpanel(name=f"Raced {attempt}")
        ready = threading.Barrier(2)

        def delete(admin: Client, iid=instance["id"], ready=ready) -> str:
            ready.wait()
            answer = admin.post(f"/instances/{iid}/delete/", {"next": "/elements/mixpanel/instances/"},
                                headers={"HX-Request": "true"})
            assert answer["HX-Reswap"] == "delete"  # the card goes, for both
            return answer.content.decode()

        with ThreadPoolExecutor(2) as pool:
            pages = list(pool.map(delete, admins))
        said = sorted("already deleted" in page for page in pages)
        assert said == [False, True], f"attempt {attempt}"
        assert any(f"Deleted instance #{instance['id']} Raced {attempt}" in page for page in pages)
        assert not Instance.objects.filter(pk=instance["id"]).exists()
        assert AuditEntry.objects.filter(action="instance.delete",
                                         target=f"#{instance['id']} Raced {attempt}").count() == 1


def test_a_second_delete_after_the_first_is_a_success_not_audited_again(admin_http, mixpanel, team_admin):
    instance = mixpanel(name="Twice")
    url, back = f"/instances/{instance['id']}/delete/", {"next": "/elements/mixpanel/instances/"}
    first = admin_http.post(url, back)
    assert f"Deleted instance #{instance['id']} Twice" in admin_http.get(first["Location"]).content.decode()
    second = admin_http.post(url, back)  # the other tab, still showing it
    page = admin_http.get(second["Location"]).content.decode()
    assert f"Instance {instance['id']} was already deleted" in page
    assert "message-success" in page and "Could not delete" not in page
    assert AuditEntry.objects.filter(action="instance.delete").count() == 1
