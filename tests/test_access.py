"""Who may use which URL: one matrix of every URL a viewer may not use.

For each of them, built with `reverse` from its name: a viewer is refused (403, with the words the
page says) and nothing changes, on the platform, in the team or in the audit log; an anonymous
visitor is sent to the login, an htmx request too; an admin who names an instance, member or
element that does not exist gets a 404 that says so. Every URL of the URL conf is in ADMIN_URLS,
VIEWER_URLS or PUBLIC_URLS, so a new URL fails `test_every_url_is_in_the_matrix` until it is said
who may use it. The pages viewers read that name an instance or element get the same 404 check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pytest_django.asserts import assertContains

from sandbox.models import Fault
from team.models import AuditEntry
from team.roles import can_manage
from tests.conftest import PASSWORD

HX = {"HX-Request": "true"}
UNKNOWN_ID = 987654
UNKNOWN_KEY = "no-such-element"
NEW_PASSWORD = "brand-new-secret-42"
ONLY_ADMINS = "Only admins can do this. Ask an admin of your team."
ONLY_ADMINS_TOKENS = "Only admins can see instance tokens."


@dataclass(frozen=True)
class Url:
    """One URL of the matrix. `target` says what its one argument names: the instance, a member
    ("admin" or "viewer"), the element, or nothing."""

    name: str
    methods: tuple[str, ...]
    data: dict = field(default_factory=dict)  # what a POST sends
    target: str = ""
    refusal: str = ONLY_ADMINS
    missing_methods: tuple[str, ...] = ()  # those that answer 404 to an unknown ID, if not all

    def __str__(self) -> str:
        return self.name

    def send(self, client: Client, method: str, url: str, headers: dict):
        """GET without data (it would go into the query string), POST with it."""
        return getattr(client, method)(url, self.data if method == "post" else {}, headers=headers)

    def url(self, *, instance_id=None, admin=None, viewer=None, key="mixpanel") -> str:
        kwargs = {"instance": {"instance_id": instance_id},
                  "admin": {"member_id": admin}, "viewer": {"member_id": viewer},
                  "element": {"key": key}, "": {}}[self.target]
        return reverse(self.name, kwargs=kwargs)

    def missing_url(self) -> tuple[str, str] | None:
        """The URL with an ID that names nothing, and the words of its 404; None without an ID."""
        if self.target == "instance":
            return (self.url(instance_id=UNKNOWN_ID), f"There is no instance with ID {UNKNOWN_ID}.")
        if self.target in ("admin", "viewer"):
            # The site's 404 page says its own words, not the view's "There is no member with ID …".
            return (self.url(admin=UNKNOWN_ID, viewer=UNKNOWN_ID), "There is nothing at this address.")
        if self.target == "element":
            return (self.url(key=UNKNOWN_KEY), f"There is no element “{UNKNOWN_KEY}” in the catalog.")
        return None


PASSWORDS = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}

ADMIN_URLS = [
    # The team and its audit log.
    Url("team:audit", ("get",)),
    Url("team:members", ("get",)),
    Url("team:member_add", ("get", "post"), {"username": "mallory", "role": "admin", **PASSWORDS}),
    Url("team:member_role", ("post",), {"role": "admin"}, target="viewer"),  # promoting oneself
    Url("team:member_active", ("post",), {"active": "false"}, target="admin"),
    Url("team:member_password", ("get", "post"), PASSWORDS, target="admin"),
    # Writes to instances, and the reveals of what may be secret.
    # Their GET hides again without asking the platform, and a POST that deletes an instance already
    # gone has done what was asked: neither is a 404.
    Url("instances:token", ("get", "post"), target="instance", refusal=ONLY_ADMINS_TOKENS,
             missing_methods=("post",)),
    Url("instances:config_reveal", ("get", "post"), {"key": "username"}, target="instance",
             refusal=ONLY_ADMINS_TOKENS, missing_methods=("post",)),
    Url("instances:delete", ("get", "post"), target="instance", missing_methods=("get",)),
    Url("instances:enabled", ("post",), {"enabled": "false"}, target="instance"),
    Url("instances:authenticate", ("get", "post"), {"name": "Nope", "username": "s3cret"},
             target="element"),
    Url("instances:edit", ("get",), target="instance"),
    Url("instances:update", ("post",), {"name": "Hijacked", "tags": ""}, target="instance"),
    Url("instances:reauthenticate", ("post",), {"username": "s3cret"}, target="instance"),
    Url("instances:oauth_callback", ("get",)),
    # Try it out calls the provider with the instance's token.
    Url("apidocs:execute", ("post",), {"operation": "getUsers"}, target="instance"),
    # The sandbox's fault switches.
    Url("sandbox:faults", ("post",), {"path_prefix": "/x", "status": "500"}),
]

# The pages viewers may read that name an instance or an element: a 404 when it does not exist.
VIEWER_PAGES_WITH_AN_ID = [
    Url("instances:detail", ("get",), target="instance"),
    Url("instances:element_list", ("get",), target="element"),
    Url("apidocs:docs", ("get",), target="instance"),
]

# Viewers browse: the catalog (and its Refresh), instances, API docs; they log out.
VIEWER_URLS = {
    "catalog:index", "catalog:refresh", "instances:list", "instances:element_list", "instances:detail",
    "apidocs:docs", "team:logout", "sandbox:home",
}
# No login: the login page, the load balancer's health checks, and the sandbox's consent page and
# logos, which stand in for a provider's and the platform's.
PUBLIC_URLS = {"team:login", "alive_alive", "alive_health", "sandbox:oauth_authorize", "sandbox:logo",
               "sandbox_element_logo"}
# The sandbox's platform API answers to the platform's secrets, not to logins (test_sandbox_api).
PLATFORM_API_ROUTE = "sandbox/elements/api-v2"


def url_names(patterns=None, namespace: str = "", route: str = ""):
    """(namespace:name, route) of every named URL of the URL conf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                pattern.namespace or namespace)
            yield from url_names(pattern.url_patterns, inner, route + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name,
                   (route + str(pattern.pattern)).replace("^", ""))


def test_every_url_is_in_the_matrix():
    admin = {entry.name for entry in ADMIN_URLS}
    unsorted = {name for name, route in url_names()
                if name not in admin | VIEWER_URLS | PUBLIC_URLS and not route.startswith(PLATFORM_API_ROUTE)}
    assert not unsorted, f"Say who may use these URLs (ADMIN_URLS, VIEWER_URLS or PUBLIC_URLS): {unsorted}"
    assert not admin & VIEWER_URLS and not admin & PUBLIC_URLS
    assert {entry.name for entry in VIEWER_PAGES_WITH_AN_ID} <= VIEWER_URLS
    assert admin | VIEWER_URLS | PUBLIC_URLS <= {name for name, _ in url_names()}  # no stale names


def team_state() -> list[tuple]:
    return sorted((user.username, user.is_active, can_manage(user), user.check_password(PASSWORD))
                  for user in get_user_model().objects.all())


@pytest.mark.parametrize("entry", ADMIN_URLS, ids=str)
def test_viewers_are_refused_and_nothing_changes(viewer_http, team_admin, team_viewer, client_api, mixpanel,
                                                 entry):
    instance = mixpanel()
    url = entry.url(instance_id=instance["id"], admin=team_admin.pk, viewer=team_viewer.pk)
    team_before, platform_before = team_state(), client_api.instance_list()

    for method in entry.methods:
        for headers in ({}, HX):
            response = entry.send(viewer_http, method, url, headers)
            assertContains(response, entry.refusal, status_code=403)
            assert instance["token"] not in response.content.decode()

    assert team_state() == team_before
    assert client_api.instance_list() == platform_before
    assert not Fault.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("entry", ADMIN_URLS, ids=str)
def test_anonymous_visitors_go_to_the_login(db, entry):
    url = entry.url(instance_id=UNKNOWN_ID, admin=UNKNOWN_ID, viewer=UNKNOWN_ID)
    for method in entry.methods:
        for headers in ({}, HX):
            response = entry.send(Client(), method, url, headers)
            assert response.status_code == 302
            assert response["Location"] == f"{reverse('team:login')}?next={url.replace(':', '%3A')}"
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("entry", [entry for entry in ADMIN_URLS + VIEWER_PAGES_WITH_AN_ID
                                   if entry.missing_url()], ids=str)
def test_an_unknown_id_is_a_404_that_says_so(admin_http, sandbox, entry):
    url, words = entry.missing_url()
    for method in entry.missing_methods or entry.methods:
        for headers in ({}, HX):
            assertContains(entry.send(admin_http, method, url, headers), words,
                           status_code=404)
    assert not AuditEntry.objects.exists()
