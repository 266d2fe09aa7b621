"""View Token: revealed only by a POST from someone who may see tokens, audited, never cached."""

from __future__ import annotations

from sandbox.faults import fault_add
from team.models import AuditEntry

SECRET = "secret-token-test-1"


def test_admin_reveals_the_token_with_htmx(admin_http, mixpanel, team_admin):
    instance = mixpanel("Token test", secret=SECRET)
    response = admin_http.post(f"/instances/{instance['id']}/token/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.content.decode()
    assert f'value="{instance["token"]}"' in text
    assert "readonly" in text
    assert f'data-copy-target="token-value-{instance["id"]}"' in text
    assert "Hide" in text
    assert 'hx-trigger="load delay:60s"' in text
    assert "<html" not in text
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="token.view")
    assert entry.target == f"#{instance['id']} Token test"
    assert entry.user == team_admin
    assert instance["token"] not in entry.detail


def test_without_javascript_the_post_renders_the_detail_page_revealed(admin_http, mixpanel):
    instance = mixpanel(secret=SECRET)
    response = admin_http.post(f"/instances/{instance['id']}/token/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" in text
    assert f'value="{instance["token"]}"' in text
    assert SECRET not in text
    assert "no-store" in response["Cache-Control"]


def test_get_never_reveals(admin_http, mixpanel):
    instance = mixpanel()
    hidden = admin_http.get(f"/instances/{instance['id']}/token/", headers={"HX-Request": "true"})
    assert hidden.status_code == 200
    assert instance["token"] not in hidden.content.decode()
    assert "••••••••" in hidden.content.decode()
    plain = admin_http.get(f"/instances/{instance['id']}/token/")
    assert plain.status_code == 302
    assert plain["Location"] == f"/instances/{instance['id']}/"
    assert not AuditEntry.objects.filter(action="token.view").exists()


def test_reveal_needs_csrf(team_admin, mixpanel):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(team_admin)
    instance = mixpanel()
    response = client.post(f"/instances/{instance['id']}/token/", headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert "sent without a valid security token, so nothing was done" in response.content.decode()
    assert instance["token"] not in response.content.decode()


def test_upstream_failure_says_so_and_reveals_nothing(admin_http, mixpanel):
    instance = mixpanel()
    fault_add(path_prefix=f"/instances/{instance['id']}", method="GET", status=500,
              message="Token store unavailable")
    response = admin_http.post(f"/instances/{instance['id']}/token/", headers={"HX-Request": "true"})
    text = response.content.decode()
    assert "Token store unavailable" in text
    assert instance["token"] not in text
    assert not AuditEntry.objects.filter(action="token.view").exists()


def test_the_token_is_never_logged(admin_http, mixpanel, caplog):
    instance = mixpanel(secret=SECRET)
    with caplog.at_level("DEBUG"):
        admin_http.post(f"/instances/{instance['id']}/token/", headers={"HX-Request": "true"})
        admin_http.get(f"/instances/{instance['id']}/")
    assert instance["token"] not in caplog.text
    assert SECRET not in caplog.text
