"""The sandbox answers as the platform does, point by point (issue 7), each from the platform's own
material: churros, Cloud Elements' public platform tests (`src/test/platform/elements/
instances.js` in PriyaKachhawal-GSLab/churros), devportal (cloud-elements/devportal), and the
answers checked against the churros JSON schemas in tests/contract_schemas."""

from __future__ import annotations

import requests

from sandbox.calls import calls_clear, calls_recorded
from sandbox.models import Instance

from .contract import assert_platform_error, create_mixpanel, url, validate

MASK = "********"


def as_instance(api, token: str) -> dict[str, str]:
    return {"Authorization": f"{api.headers['Authorization']}, Element {token}"}


# --- 4. resource paths ------------------------------------------------------------------------

def test_the_hub_segment_is_ignored_and_may_be_left_out(api):
    """churros "should ignore any provided hub": hubs/crm/accounts, hubs/documents/accounts,
    hubs/crap/accounts and accounts answer the same."""
    token = create_mixpanel(api)["token"]
    headers = as_instance(api, token)
    answers = [api.get(url(api, path), headers=headers, params={"pageSize": 3})
               for path in ("/hubs/general/users", "/hubs/crm/users", "/hubs/crap/users", "/users")]
    assert [a.status_code for a in answers] == [200] * 4
    bodies = [a.json() for a in answers]
    assert bodies[0] and all(body == bodies[0] for body in bodies)
    record_id = bodies[0][0]["id"]
    one = api.get(url(api, f"/users/{record_id}"), headers=headers)
    assert one.status_code == 200 and one.json() == bodies[0][0]
    # Without the instance's token a resource path is refused, as the platform refuses it.
    assert_platform_error(api.get(url(api, "/users")), 401)


# --- 5. masking -------------------------------------------------------------------------------

def test_the_apps_oauth_key_is_masked_like_its_secret(api):
    """churros "should support using filter.response.nulls config": an sfdc instance's
    `oauth.api.key` and `oauth.api.secret` are both "********", in the instance and in its
    configuration rows."""
    instance = Instance.objects.create(
        name="OAuth app", element_key="sfdc", token="t-conformance-oauth",
        configuration={"oauth.api.key": "client-id-1", "oauth.api.secret": "client-secret-1",
                       "oauth.callback.url": "https://example.com/cb"})
    answer = api.get(url(api, f"/instances/{instance.id}")).json()
    validate(answer, "element.instance.schema.json")
    assert answer["configuration"]["oauth.api.key"] == MASK
    assert answer["configuration"]["oauth.api.secret"] == MASK
    assert answer["configuration"]["oauth.callback.url"] == "https://example.com/cb"
    rows = {r["key"]: r["propertyValue"]
            for r in api.get(url(api, f"/instances/{instance.id}/configuration")).json()}
    assert rows["oauth.api.key"] == MASK and rows["oauth.api.secret"] == MASK


# --- 6. tags ----------------------------------------------------------------------------------

def test_a_new_instance_is_tagged_with_its_sanitised_name(api):
    """churros "should sanitize element instance tags on create and update": created with the name
    `<a …>@churros-xss</a>`, the instance's name and tags[0] are both `@churros-xss`."""
    created = create_mixpanel(api, name='<a href="#" onClick="alert(1)">@churros-xss</a>', tags=[])
    assert created["name"] == "@churros-xss"
    assert created["tags"][0] == "@churros-xss"
    validate(created, "element.instance.schema.json")


def test_a_tag_nothing_has_is_an_empty_list_not_a_404(api):
    """churros "should support search tags": `GET /instances?tags[]=…` answers 200 and a list."""
    create_mixpanel(api, tags=["red"])
    nothing = api.get(url(api, "/instances"), params={"tags[]": "no-such-tag"})
    assert nothing.status_code == 200 and nothing.json() == []
    red = api.get(url(api, "/instances"), params={"tags[]": "red"})
    assert [i["tags"] for i in red.json()] == [["Conformance", "red"]]
    validate(red.json(), "element.instances.schema.json")


# --- 7. searchText ----------------------------------------------------------------------------

def test_search_text_matches_the_name_or_the_element_key(api):
    """devportal _posts/2018-04-23-ReleaseNotes-2.163.md: "Use the searchText query parameter with
    GET /instances … to search on the element instance name, formula instance name, or element
    key"."""
    create_mixpanel(api, name="Analytics")
    by_key = api.get(url(api, "/instances"), params={"searchText": "mixpan"})
    assert [i["name"] for i in by_key.json()] == ["Analytics"]
    by_name = api.get(url(api, "/instances"), params={"searchText": "analyt"})
    assert [i["name"] for i in by_name.json()] == ["Analytics"]
    assert_platform_error(api.get(url(api, "/instances"), params={"searchText": "zzz"}), 404)


# --- 8. logos ---------------------------------------------------------------------------------

def test_an_elements_image_is_a_path_on_the_platforms_host(api, sandbox):
    """devportal docs/platform-api/instances/index.md: `"image": "elements/provider_sfdc.png"`,
    relative to the platform's host; the sandbox serves its logos there."""
    element = api.get(url(api, "/elements/sfdc")).json()
    assert element["image"] == "elements/provider_sfdc.svg"
    assert api.get(url(api, "/elements")).json()[0]["image"].startswith("elements/provider_")
    instance = create_mixpanel(api)
    assert instance["element"]["image"] == "elements/provider_mixpanel.svg"
    logo = requests.get(f"{sandbox.server_url}/{element['image']}")
    assert logo.status_code == 200 and logo.headers["Content-Type"] == "image/svg+xml"
    assert requests.get(f"{sandbox.server_url}/elements/provider_nope.svg").status_code == 404


# --- 9. enable and disable --------------------------------------------------------------------

def test_enable_and_disable_as_the_instance_with_its_element_token(api):
    """CloudElementsOpenLabs/formulas MonitorTheHealthOfAnElement/README.md: "To re-enable the
    Element instance, you can make a PUT request to /instances/enabled"; churros "should allow
    disabling and enabling an instance" makes these calls with the instance's token set, and a
    disabled instance's resource calls are 403."""
    created = create_mixpanel(api)
    headers = as_instance(api, created["token"])
    assert api.delete(url(api, "/instances/enabled"), headers=headers).status_code == 200
    assert Instance.objects.get(pk=created["id"]).disabled is True
    assert_platform_error(api.get(url(api, "/hubs/general/users"), headers=headers), 403)
    # The disabled instance's own token still reaches the switch.
    enabled = api.put(url(api, "/instances/enabled"), headers=headers)
    assert enabled.status_code == 200 and enabled.json()["disabled"] is False
    assert api.get(url(api, "/hubs/general/users"), headers=headers).status_code == 200
    # Which instance is said by the token alone: none, or an unknown one, is refused.
    assert_platform_error(api.put(url(api, "/instances/enabled")), 401)
    assert_platform_error(api.put(url(api, "/instances/enabled"), headers=as_instance(api, "nope")), 401)
    # churros' own form, by id, works too.
    assert api.delete(url(api, f"/instances/{created['id']}/enabled")).status_code == 200
    assert Instance.objects.get(pk=created["id"]).disabled is True


# --- 11. PUT and the mask ---------------------------------------------------------------------

def test_put_stores_the_mask_as_the_text_it_is(api):
    """No documentation says the platform reads "********" as "keep the stored value", so the
    sandbox stores it as sent: a dashboard that sends the mask back is caught."""
    created = create_mixpanel(api, secret="the-real-one")
    put = api.put(url(api, f"/instances/{created['id']}"), json={
        "element": {"key": "mixpanel"}, "configuration": {"username": MASK}, "name": "Same"})
    assert put.status_code == 200
    assert Instance.objects.get(pk=created["id"]).configuration["username"] == MASK


def test_put_of_name_and_tags_alone_keeps_the_configuration(api):
    """devportal docs/platform-api/instances/index.md: `PUT /instances/{id}` with
    `{"name": …, "tags": […]}` only."""
    created = create_mixpanel(api, secret="kept-secret")
    put = api.put(url(api, f"/instances/{created['id']}"),
                  json={"name": "SFDC Updated Instance", "tags": ["sandbox", "new-tag"]})
    assert put.status_code == 200
    assert put.json()["tags"] == ["sandbox", "new-tag"]
    validate(put.json(), "element.instance.schema.json")
    assert Instance.objects.get(pk=created["id"]).configuration["username"] == "kept-secret"


# --- 12. paging -------------------------------------------------------------------------------

def test_a_full_last_page_carries_a_token_to_an_empty_page(api):
    """The platform may give `Elements-Next-Page-Token` after a full page with nothing after it."""
    for n in range(2):
        create_mixpanel(api, name=f"P{n}")
    first = api.get(url(api, "/instances"), params={"pageSize": 2})
    assert len(first.json()) == 2
    token = first.headers["Elements-Next-Page-Token"]
    last = api.get(url(api, "/instances"), params={"pageSize": 2, "nextPage": token})
    assert last.status_code == 200 and last.json() == []
    assert "Elements-Next-Page-Token" not in last.headers


def test_the_client_stops_cleanly_on_the_empty_page(client_api, api):
    for n in range(2):
        create_mixpanel(api, name=f"P{n}")
    calls_clear()
    listed = client_api.instance_list(page_size=2)
    assert [i["name"] for i in listed] == ["P0", "P1"]
    pages = calls_recorded(method="GET", path_prefix="/instances")
    assert [dict(c.query).get("nextPage") is not None for c in pages] == [False, True]
