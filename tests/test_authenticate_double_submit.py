"""Authenticate submitted twice (two tabs, the Back button, a double click without JavaScript):
each form drawn carries a single-use token, so one submit makes one instance and the second is
told what the first made."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

from django.test import Client

from sandbox.models import Instance
from team.models import AuditEntry
from tests.test_authenticate import _filled, element_with, form_token, oauth_element, start_oauth

URL = "/elements/mixpanel/authenticate/"
FORM = {"name": "Once only", "tags": "prod", "username": "mp-secret-once"}


def test_the_same_form_submitted_twice_makes_one_instance(admin_http, sandbox):
    token = form_token(admin_http, URL)
    first = admin_http.post(URL, {**FORM, "submit_token": token})
    [made] = Instance.objects.all()
    assert first["Location"] == f"/instances/{made.id}/"

    second = admin_http.post(URL, {**FORM, "submit_token": token})
    page = second.content.decode()
    assert second.status_code == 200
    assert "Already submitted: nothing was sent again" in page
    assert (f'it created instance <a href="/instances/{made.id}/">“Once only”, ID {made.id}</a>'
            in page)
    assert Instance.objects.count() == 1
    assert AuditEntry.objects.filter(action="instance.create").count() == 1
    # The form is drawn again with a new token of its own, what was typed kept (not the secret).
    assert re.search(r'name="submit_token" value="([^"]+)"', page).group(1) != token
    assert 'value="Once only"' in page and "mp-secret-once" not in page


def test_two_submits_at_once_make_one_instance(team_admin, sandbox):
    """Two requests racing with one token: only one claims it (the cache entry's delete)."""
    tabs = [Client(), Client()]
    for tab in tabs:
        tab.force_login(team_admin)
    token = form_token(tabs[0], URL)
    ready = threading.Barrier(2)

    def submit(tab: Client):
        ready.wait()
        return tab.post(URL, {**FORM, "submit_token": token})

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(submit, tabs))
    assert Instance.objects.count() == 1
    assert sorted(a.status_code for a in answers) == [200, 302]
    [second] = [a for a in answers if a.status_code == 200]
    assert "Already submitted: nothing was sent again" in second.content.decode()


def test_a_token_never_issued_sends_nothing(admin_http, sandbox):
    response = admin_http.post(URL, {**FORM, "submit_token": "made-up"})
    page = response.content.decode()
    assert "Already submitted, or expired: nothing was sent again" in page
    assert 'value="Once only"' in page
    assert not Instance.objects.exists()
    assert admin_http.post(URL, FORM).status_code == 200  # no token at all: the same
    assert not Instance.objects.exists()


def test_a_refused_submit_says_so_and_the_new_form_goes_through(admin_http, sandbox):
    token = form_token(admin_http, URL)
    refused = admin_http.post(URL, {**FORM, "username": "invalid", "submit_token": token})
    assert "Authentication failed: no instance was created" in refused.content.decode()
    again = admin_http.post(URL, {**FORM, "submit_token": token})  # the old tab
    assert "no instance was created then" in again.content.decode()
    assert not Instance.objects.exists()
    fresh = re.search(r'name="submit_token" value="([^"]+)"', refused.content.decode()).group(1)
    assert admin_http.post(URL, {**FORM, "submit_token": fresh}).status_code == 302
    assert Instance.objects.count() == 1


def test_an_oauth_form_submitted_twice_starts_one_round_trip(admin_http, client_api, sandbox):
    element = element_with(client_api, oauth_element)
    url = f"/elements/{element['key']}/authenticate/"
    token = form_token(admin_http, url)
    first = start_oauth(admin_http, element, submit_token=token)
    assert "/sandbox/oauth/authorize/" in first
    others = {k: v for k, v in _filled(element).items() if not k.startswith("oauth.")}
    second = admin_http.post(url, {"name": "Team workspace", "oauth.api.key": "app-client-id",
                                   "oauth.api.secret": "app-client-secret", "oauth.scope": "read", **others,
                                   "submit_token": token})
    assert second.status_code == 200
    assert "still under way" in second.content.decode()
