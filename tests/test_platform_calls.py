"""The dashboard's own calls to the platform, as the sandbox records them (`sandbox/calls.py`):
method, path, query, which parts the Authorization header had (never their values), headers and the
body's keys, in each flow a person goes through. Each call is the one the platform documents
(tests/test_platform_conformance.py checks the sandbox's side; /work/shared/cloud-elements-api.md
lists the contract)."""

from __future__ import annotations

import re

import pytest

from sandbox.calls import MASK, SECRET, calls_clear, calls_recorded
from sandbox.models import Instance

from .test_authenticate import submit_form

pytestmark = pytest.mark.django_db(transaction=True)

HX = {"HX-Request": "true"}
PLATFORM = ("user", "organization")
AS_INSTANCE = ("user", "organization", "element")
CATALOG = ("GET", "/elements", PLATFORM, [])  # read once, then cached


def calls() -> list[tuple[str, str, tuple[str, ...], list[str]]]:
    """(method, path, Authorization parts, body keys) of each call since the last one, then clear;
    with the checks every call must pass: JSON asked for, JSON sent, no mask sent, no secret in
    a header."""
    recorded = calls_recorded()
    calls_clear()
    for call in recorded:
        assert call.headers.get("accept") == "application/json", call
        if call.body is not None:
            assert call.headers.get("content-type", "").startswith("application/json"), call
        assert call.sent_mask() == [], f"{call.method} {call.path} sent the mask"
        assert all(MASK not in value for value in call.headers.values())
    return [(c.method, c.path, c.auth_parts, c.body_keys) for c in recorded]


@pytest.fixture
def instance(mixpanel):
    created = mixpanel("Calls", tags=["ops"], secret="stored-secret")
    calls_clear()
    return created


def test_the_recorder_keeps_what_a_call_received_without_its_secrets(client_api, sandbox):
    client_api.instance_create(element_key="mixpanel", name="Recorded", tags=["x"],
                               configuration={"username": "x", "api.key": "k-123", "password": MASK})
    (call,) = calls_recorded(method="POST", path_prefix="/instances")
    assert call.path == "/instances" and call.status == 200
    assert call.headers["authorization"] == "(user, organization)"
    assert call.configuration["api.key"] == SECRET  # a credential, by its key's name
    assert call.sent_mask() == ["password"]  # the mask is no secret: it is kept as itself
    assert "k-123" not in repr(call) and sandbox.user_secret not in repr(calls_recorded())


def test_catalog(admin_http, sandbox):
    admin_http.get("/")
    assert calls() == [CATALOG, ("GET", "/instances", PLATFORM, [])]
    admin_http.get("/")
    assert calls() == []  # both cached


def test_list_search_and_tag_go_upstream(admin_http, instance):
    admin_http.get("/instances/", {"q": "cal", "tag": "ops"})
    search = calls_recorded()[0]
    assert dict(search.query) == {"searchText": "cal", "tags[]": "ops"}
    # The search, the catalog (element names; cached from then on), every instance for the filters.
    assert calls() == [("GET", "/instances", PLATFORM, []), CATALOG, ("GET", "/instances", PLATFORM, [])]


def test_detail(admin_http, instance):
    admin_http.get(f"/instances/{instance['id']}/")
    assert calls() == [("GET", f"/instances/{instance['id']}", PLATFORM, []),
                       ("GET", "/elements/mixpanel", PLATFORM, [])]


def test_authenticate(admin_http, sandbox):
    submit_form(admin_http, "/elements/mixpanel/authenticate/",
                {"name": "New one", "tags": "a, b", "username": "typed-secret"})
    post = calls_recorded(method="POST")[0]
    assert calls() == [("GET", "/elements/mixpanel", PLATFORM, []),  # the form opened
                       ("GET", "/elements/mixpanel", PLATFORM, []),  # and submitted
                       ("POST", "/instances", PLATFORM, ["configuration", "element", "name", "tags"])]
    assert post.body["element"] == {"key": "mixpanel"} and post.body["name"] == "New one"
    # The team's tags, then ours that finds the instance again if no answer comes.
    assert post.body["tags"][:2] == ["a", "b"] and post.body["tags"][2].startswith("dashboard-submit:")
    assert post.configuration == {"username": "typed-secret"}  # Mixpanel's "API Secret"


def test_update_is_a_patch_of_name_and_tags(admin_http, instance):
    admin_http.post(f"/instances/{instance['id']}/update/", {"name": "Renamed", "tags": "b"})
    assert calls()[-1] == ("PATCH", f"/instances/{instance['id']}", PLATFORM, ["name", "tags"])


def test_reauthenticate_puts_the_whole_configuration_never_the_mask(admin_http, instance):
    """Whether a PUT keeps a key it leaves out is undocumented (README, "Real platform"): the PUT
    carries every key, the secret typed again. Sending the mask instead is refused before any PUT."""
    reauthenticate = f"/instances/{instance['id']}/reauthenticate/"
    admin_http.post(reauthenticate, {"username": MASK})
    admin_http.post(reauthenticate, {"username": ""})
    assert [c for c in calls() if c[0] == "PUT"] == []
    admin_http.post(reauthenticate, {"username": "typed-again"})
    (put,) = calls_recorded(method="PUT")
    assert calls()[-1] == ("PUT", f"/instances/{instance['id']}", PLATFORM,
                           ["configuration", "element", "name", "tags"])
    assert put.configuration == {"username": "typed-again"}
    assert put.body["element"] == {"key": "mixpanel"}


def test_reauthenticate_sends_the_stored_values_with_the_secrets_typed_again(admin_http, client_api):
    """Not only what changed: every required key goes in the PUT, stored non-secrets as prefilled."""
    element = client_api.element_get("actessentials")  # an API Key (text) and a Developer Key (secret)
    required = {c["key"] for c in element["configuration"] if c["required"]}
    assert required == {"username", "password"}
    created = client_api.instance_create(element_key="actessentials", name="Act",
                                         configuration={"username": "api-key-1", "password": "dev-1"})
    page = admin_http.get(f"/instances/{created['id']}/edit/").content.decode()
    assert 'value="api-key-1"' in page and "dev-1" not in page
    calls_clear()
    admin_http.post(f"/instances/{created['id']}/reauthenticate/",
                    {"username": "api-key-1", "password": "dev-2"})
    (put,) = calls_recorded(method="PUT")
    assert set(put.configuration) >= required | {"filter.response.nulls", "event.notification.enabled"}
    assert put.configuration["username"] == "api-key-1" and put.configuration["password"] == SECRET
    assert put.sent_mask() == []


def test_delete(admin_http, instance):
    admin_http.post(f"/instances/{instance['id']}/delete/")
    assert calls()[-1] == ("DELETE", f"/instances/{instance['id']}", PLATFORM, [])


def test_disable_and_enable_are_made_as_the_instance(admin_http, instance):
    """`DELETE` / `PUT /instances/enabled` with the instance's Element token (see
    test_platform_conformance: the formulas README and churros)."""
    admin_http.post(f"/instances/{instance['id']}/enabled/", {"enabled": "false"})
    assert calls()[-1] == ("DELETE", "/instances/enabled", AS_INSTANCE, [])
    admin_http.post(f"/instances/{instance['id']}/enabled/", {"enabled": "true"})
    assert calls()[-1] == ("PUT", "/instances/enabled", AS_INSTANCE, [])
    assert Instance.objects.get(pk=instance["id"]).disabled is False


def test_view_token_reads_the_instance_once(admin_http, instance):
    admin_http.post(f"/instances/{instance['id']}/token/", headers=HX)
    assert calls() == [("GET", f"/instances/{instance['id']}", PLATFORM, []), CATALOG]


def test_api_docs_and_try_it_out(admin_http, instance):
    admin_http.get(f"/instances/{instance['id']}/docs/")
    assert calls() == [("GET", f"/instances/{instance['id']}", PLATFORM, []), CATALOG,
                       ("GET", f"/instances/{instance['id']}/docs", PLATFORM, [])]
    admin_http.post(f"/instances/{instance['id']}/docs/execute/",
                    {"operation": "getUsers", "method": "GET", "path": "/users",
                     "query.pageSize": "5"}, headers=HX)
    (resource,) = calls_recorded(path_prefix="/hubs")
    assert calls()[-1] == ("GET", "/hubs/general/users", AS_INSTANCE, [])
    assert dict(resource.query) == {"pageSize": "5"}


# --- what the dashboard makes of the platform's answers -------------------------------------------

def test_tags_given_as_objects_show_their_names(admin_http, sandbox):
    """Older platform answers carry tags as `{id, name}` objects."""
    Instance.objects.create(name="Legacy", element_key="mixpanel", token="t-legacy",
                            configuration={"username": "x"},
                            tags=[{"id": 7, "name": "legacy"}, {"id": 8, "name": "eu"}])
    page = admin_http.get("/instances/").content.decode()
    assert re.search(r'<li class="tag">legacy</li><li class="tag">eu</li>', page)
    assert "&#x27;id&#x27;" not in page and "{" not in re.search(
        r'<ul class="instance-tags".*?</ul>', page, re.S).group(0)


def test_the_search_box_finds_instances_by_element_key(admin_http, instance):
    """searchText matches the element key on the platform (release notes 2.163): the box says so."""
    page = admin_http.get("/instances/", {"q": "mixpan"}).content.decode()
    assert "Search instances by name or element key" in page
    assert re.search(r'class="instance-name"[^>]*><a [^>]*>Calls<', page)


def test_logos_are_resolved_on_the_platforms_host(admin_http, sandbox, instance):
    page = admin_http.get("/instances/").content.decode()
    assert f'<img src="{sandbox.server_url}/elements/provider_mixpanel.svg"' in page
