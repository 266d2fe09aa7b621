"""Enable and Disable on an instance's page: the platform's switch, audited, admins only."""

from __future__ import annotations

from sandbox.faults import fault_add
from sandbox.models import Instance
from team.models import AuditEntry


def test_disable_then_enable(admin_http, client_api, mixpanel):
    instance = mixpanel()
    page = admin_http.get(f"/instances/{instance['id']}/").content.decode()
    assert f'action="/instances/{instance["id"]}/enabled/"' in page and ">Disable<" in page

    answer = admin_http.post(f"/instances/{instance['id']}/enabled/", {"enabled": "false"}, follow=True)
    assert Instance.objects.get(pk=instance["id"]).disabled is True
    text = answer.content.decode()
    assert "Disabled #" in text and ">Enable<" in text
    token_call = client_api.resource_call(instance["token"], "GET", "/hubs/general/users")
    assert token_call.status == 403

    admin_http.post(f"/instances/{instance['id']}/enabled/", {"enabled": "true"})
    assert Instance.objects.get(pk=instance["id"]).disabled is False
    assert [e.action for e in AuditEntry.objects.order_by("id")] == [
        "instance.disable", "instance.enable"]


def test_upstream_refusal_is_a_message(admin_http, mixpanel):
    instance = mixpanel()
    fault_add(path_prefix="/instances/enabled", status=502, message="Provider busy")
    answer = admin_http.post(f"/instances/{instance['id']}/enabled/", {"enabled": "false"}, follow=True)
    assert answer.status_code == 200
    assert "Provider busy" in answer.content.decode()
    assert Instance.objects.get(pk=instance["id"]).disabled is False
    assert not AuditEntry.objects.exists()


def test_viewers_cannot_switch_and_see_no_button(viewer_http, mixpanel):
    instance = mixpanel()
    assert ">Disable<" not in viewer_http.get(f"/instances/{instance['id']}/").content.decode()
    response = viewer_http.post(f"/instances/{instance['id']}/enabled/", {"enabled": "false"})
    assert response.status_code == 403
    assert "Only admins can do this." in response.content.decode()
    assert Instance.objects.get(pk=instance["id"]).disabled is False

