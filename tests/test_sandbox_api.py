"""The sandbox speaks the platform API: shapes from the churros schemas, statuses, headers, errors.

Plain `requests` here, as curl or any Cloud Elements client would call it.
"""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from sandbox.models import Instance, ResourceRecord

from .contract import assert_platform_error, create_mixpanel, url, validate

# --- elements ------------------------------------------------------------------

def test_elements_validate_against_the_contract(api):
    answer = api.get(url(api, "/elements"))
    assert answer.status_code == 200
    elements = answer.json()
    validate(elements, "elements.schema.json")
    assert len(elements) == 195
    for element in elements:
        for entry in element["configuration"]:
            validate(entry, "element.configuration.schema.json")
    assert "Elements-Next-Page-Token" in answer.headers["Access-Control-Expose-Headers"]
    assert re.fullmatch(r"[0-9a-f]{24}", answer.headers["Elements-Request-Id"])


def test_element_fields_and_types(api):
    element = api.get(url(api, "/elements/mixpanel")).json()
    types = {"id": int, "name": str, "key": str, "description": str, "image": str, "active": bool,
             "deleted": bool, "typeOauth": bool, "trialAccount": bool, "configuration": list,
             "resources": list, "transformationsEnabled": bool, "bulkDownloadEnabled": bool,
             "bulkUploadEnabled": bool, "cloneable": bool, "extendable": bool, "beta": bool,
             "authentication": dict, "extended": bool, "hub": str, "protocolType": str,
             "parameters": list, "private": bool}
    for field, kind in types.items():
        assert isinstance(element[field], kind), field
    assert element["authentication"] == {"type": "basic"}
    entry = element["configuration"][0]
    assert (entry["key"], entry["name"], entry["type"], entry["required"]) == (
        "username", "API Secret", "PASSWORD", True)
    # Relative to the platform's host (devportal docs/platform-api/instances/index.md:
    # "image": "elements/provider_sfdc.png"), and served there.
    assert element["image"] == "elements/provider_mixpanel.svg"
    logo = requests.get(api.base.split("/sandbox/")[0] + "/" + element["image"])
    assert logo.headers["Content-Type"] == "image/svg+xml"


def test_element_by_id_keys_and_unknown(api):
    mixpanel = api.get(url(api, "/elements/mixpanel")).json()
    assert api.get(url(api, f"/elements/{mixpanel['id']}")).json()["key"] == "mixpanel"
    keys = api.get(url(api, "/elements/keys")).json()
    validate(keys, "keys.schema.json")
    assert "mixpanel" in keys
    body = assert_platform_error(api.get(url(api, "/elements/nope")), 404)
    assert "nope" in body["message"]


def test_elements_with_no_configuration_get_their_auth_types_entries(api):
    elements = api.get(url(api, "/elements")).json()
    assert all(e["configuration"] for e in elements)


def test_generated_elements_grow_the_catalog(api, settings):
    settings.SANDBOX_GENERATED_ELEMENTS = 1000
    elements = api.get(url(api, "/elements")).json()
    assert len(elements) == 1195
    assert len({e["key"] for e in elements}) == 1195
    assert len({e["id"] for e in elements}) == 1195


def test_element_docs_are_swagger_of_its_resources(api):
    docs = api.get(url(api, "/elements/mixpanel/docs")).json()
    assert docs["swagger"] == "2.0"
    assert docs["info"] == {"title": "mixpanel", "version": "api-v2",
                            "description": docs["info"]["description"]}
    assert docs["basePath"] == "/elements/api-v2/hubs/general"
    assert {"/activities", "/activities/{id}", "/users", "/users/{id}"} <= set(docs["paths"])
    operation = docs["paths"]["/users"]["get"]
    assert operation["operationId"] == "getUsers"
    assert operation["parameters"][0]["name"] == "Authorization"
    assert {"200", "400", "401", "404", "502"} <= set(operation["responses"])
    post = docs["paths"]["/users"]["post"]
    assert post["parameters"][-1]["in"] == "body"
    assert docs["definitions"]["User"]["properties"]["email"]["type"] == "string"
    crm = api.get(url(api, "/elements/sfdc/docs")).json()
    assert {"/contacts", "/accounts"} <= set(crm["paths"])


def test_oauth_url_for_oauth_elements_only(api):
    answer = api.get(url(api, "/elements/sfdc/oauth/url"), params={
        "apiKey": "app", "apiSecret": "s", "callbackUrl": "http://127.0.0.1/cb", "state": "xyz"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["element"] == "sfdc"
    assert "state=xyz" in body["oauthUrl"] and "/sandbox/oauth/authorize/" in body["oauthUrl"]
    assert "apiSecret" not in body["oauthUrl"] and "=s&" not in body["oauthUrl"]
    assert_platform_error(api.get(url(api, "/elements/mixpanel/oauth/url"), params={
        "apiKey": "a", "apiSecret": "s", "callbackUrl": "http://x/cb"}), 400)
    missing = assert_platform_error(api.get(url(api, "/elements/sfdc/oauth/url"),
                                            params={"apiKey": "a"}), 400)
    assert "apiSecret" in missing["message"]


# --- authorization ---------------------------------------------------------------------

@pytest.mark.parametrize("header", [None, "User wrong, Organization wrong", "User only"])
def test_bad_or_missing_secrets_are_401(sandbox, header):
    headers = {"Authorization": header} if header else {}
    assert_platform_error(requests.get(sandbox.api_url + "/elements", headers=headers), 401)


def test_authorization_parts_in_any_order(sandbox):
    header = f"Organization {sandbox.org_secret}, User {sandbox.user_secret}"
    assert requests.get(sandbox.api_url + "/elements/keys",
                        headers={"Authorization": header}).status_code == 200


# --- instances -------------------------------------------------------------------------

def test_instance_validates_and_masks_secrets(api):
    created = create_mixpanel(api, name="<b>Shape</b>", tags=["<i>x</i>", "y"])
    validate(created, "element.instance.schema.json")
    # Tagged with its own sanitised name too (churros, src/test/platform/elements/instances.js,
    # "should sanitize element instance tags on create and update").
    assert created["name"] == "Shape" and created["tags"] == ["Shape", "x", "y"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", created["createdDate"])
    assert created["element"]["key"] == "mixpanel"
    assert created["configuration"]["username"] == "********"
    fetched = api.get(url(api, f"/instances/{created['id']}")).json()
    validate(fetched, "element.instance.schema.json")
    assert fetched["configuration"]["username"] == "********"
    assert Instance.objects.get(pk=created["id"]).configuration["username"] == "s3cret"
    listed = api.get(url(api, "/instances")).json()
    validate(listed, "element.instances.schema.json")
    rows = api.get(url(api, f"/instances/{created['id']}/configuration")).json()
    assert {"id", "key", "propertyValue"} == set(rows[0])


def test_configuration_values_come_back_as_strings(api):
    answer = api.post(url(api, "/instances"), json={
        "element": {"key": "abbyy"}, "name": "Strings",
        "configuration": {"username": "u", "password": "p", "extra.flag": False}})
    assert answer.json()["configuration"]["extra.flag"] == "false"


def test_missing_required_configuration_names_it(api):
    body = assert_platform_error(api.post(url(api, "/instances"), json={
        "element": {"key": "mixpanel"}, "configuration": {}, "name": "x"}), 400)
    assert "username" in body["message"]


def test_invalid_secret_is_refused_by_the_provider(api):
    body = assert_platform_error(api.post(url(api, "/instances"), json={
        "element": {"key": "mixpanel"}, "configuration": {"username": "invalid"},
        "name": "x"}), 400)
    assert "API Secret" in body["providerMessage"]
    assert not Instance.objects.exists()


def test_bad_bodies(api):
    assert_platform_error(api.post(url(api, "/instances"), data="{not json",
                                   headers={"Content-Type": "application/json"}), 400)
    assert_platform_error(api.post(url(api, "/instances"), data="a=b",
                                   headers={"Content-Type": "text/plain"}), 415)
    assert_platform_error(api.post(url(api, "/instances"), json={"name": "x"}), 400)
    assert_platform_error(api.post(url(api, "/instances"), json={
        "element": {"key": "nope"}, "name": "x"}), 404)
    assert_platform_error(api.delete(url(api, "/elements")), 405)


def test_search_tags_and_empty_search(api):
    create_mixpanel(api, name="Blue one", tags=["blue"])
    create_mixpanel(api, name="Red one", tags=["red", "blue"])
    names = lambda a: sorted(i["name"] for i in a.json())  # noqa: E731
    assert names(api.get(url(api, "/instances"), params={"tags[]": "red"})) == ["Red one"]
    assert names(api.get(url(api, "/instances"), params={"tags[]": "blue"})) == [
        "Blue one", "Red one"]
    assert names(api.get(url(api, "/instances"), params={"searchText": "BLUE"})) == ["Blue one"]
    empty = assert_platform_error(api.get(url(api, "/instances"), params={"searchText": "zzz"}), 404)
    assert empty["message"] == "No instances found"


def test_instance_paging_headers(api):
    for n in range(3):
        create_mixpanel(api, name=f"P{n}")
    first = api.get(url(api, "/instances"), params={"pageSize": 2})
    assert first.headers["Elements-Returned-Count"] == "2"
    token = first.headers["Elements-Next-Page-Token"]
    second = api.get(url(api, "/instances"), params={"pageSize": 2, "nextPage": token})
    assert [i["name"] for i in second.json()] == ["P2"]
    assert "Elements-Next-Page-Token" not in second.headers
    assert_platform_error(api.get(url(api, "/instances"), params={"nextPage": "garbage!"}), 400)


def test_patch_put_and_delete(api):
    created = create_mixpanel(api, tags=["a"])
    iid = created["id"]
    patched = api.patch(url(api, f"/instances/{iid}"), json={"name": "New", "tags": ["b"]}).json()
    assert (patched["name"], patched["tags"]) == ("New", ["b"])
    assert patched["token"] == created["token"]
    # The documentation's PUT of name and tags alone keeps the configuration.
    renamed = api.put(url(api, f"/instances/{iid}"), json={"name": "Newer", "tags": ["b"]})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Newer"
    assert Instance.objects.get(pk=iid).configuration["username"] == "s3cret"
    # The mask is stored as the text it is: no documentation says the platform reads it as "keep".
    masked = api.put(url(api, f"/instances/{iid}"), json={
        "element": {"key": "mixpanel"}, "configuration": {"username": "********"},
        "name": "New", "tags": ["b"]})
    assert masked.status_code == 200
    assert Instance.objects.get(pk=iid).configuration["username"] == "********"
    api.put(url(api, f"/instances/{iid}"), json={
        "element": {"key": "mixpanel"}, "configuration": {"username": "rotated"}, "name": "New"})
    assert Instance.objects.get(pk=iid).configuration["username"] == "rotated"
    refused = assert_platform_error(api.put(url(api, f"/instances/{iid}"), json={
        "element": {"key": "mixpanel"}, "configuration": {"username": "invalid"}}), 400)
    assert refused["providerMessage"]
    assert api.delete(url(api, f"/instances/{iid}")).status_code == 200
    assert_platform_error(api.get(url(api, f"/instances/{iid}")), 404)


def test_oauth_round_trip_through_the_consent_page(api, sandbox):
    oauth = api.get(url(api, "/elements/sfdc/oauth/url"), params={
        "apiKey": "my-app", "apiSecret": "s", "callbackUrl": "http://127.0.0.1:9/cb",
        "state": "st-1"}).json()["oauthUrl"]
    page = requests.get(oauth)
    assert page.status_code == 200 and "Allow" in page.text and "my-app" in page.text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    denied = requests.post(oauth.split("?")[0], data={**form, "decision": "deny",
                                                      "csrfmiddlewaretoken": csrf},
                           cookies=page.cookies, headers={"Referer": oauth},
                           allow_redirects=False)
    assert "error=access_denied" in denied.headers["Location"] and "state=st-1" in denied.headers["Location"]
    allowed = requests.post(oauth.split("?")[0], data={**form, "decision": "allow",
                                                       "csrfmiddlewaretoken": csrf},
                            cookies=page.cookies, headers={"Referer": oauth},
                            allow_redirects=False)
    location = allowed.headers["Location"]
    assert location.startswith("http://127.0.0.1:9/cb?") and "state=st-1" in location
    code = re.search(r"code=([^&]+)", location).group(1)
    body = {"element": {"key": "sfdc"}, "providerData": {"code": code}, "name": "SF",
            "configuration": {"oauth.api.key": "my-app", "oauth.api.secret": "s",
                              "oauth.callback.url": "http://127.0.0.1:9/cb"}}
    assert_platform_error(api.post(url(api, "/instances"), json={**body, "providerData": {}}), 400)
    created = api.post(url(api, "/instances"), json=body)
    assert created.status_code == 200
    replay = assert_platform_error(api.post(url(api, "/instances"), json=body), 400)
    assert "invalid_grant" in replay["providerMessage"]


# --- resources -------------------------------------------------------------------------

def element_auth(sandbox, token: str) -> dict:
    return {"Authorization": f"User {sandbox.user_secret}, Organization {sandbox.org_secret}, "
                             f"Element {token}"}


def test_resources_crud_paging_and_query(api, sandbox):
    instance = create_mixpanel(api)
    headers = element_auth(sandbox, instance["token"])
    users = sandbox.api_url + "/hubs/general/users"
    first = requests.get(users, headers=headers, params={"pageSize": 10})
    assert first.status_code == 200 and len(first.json()) == 10
    assert first.headers["Elements-Element-Instance-Id"] == str(instance["id"])
    rest = requests.get(users, headers=headers, params={
        "pageSize": 100, "nextPage": first.headers["Elements-Next-Page-Token"]}).json()
    assert len(rest) == 26 and rest[0]["id"] == 11
    # The same data the next time: stable per instance.
    assert requests.get(users, headers=headers, params={"pageSize": 10}).json() == first.json()
    # The hub segment is ignored.
    assert requests.get(sandbox.api_url + "/hubs/x/users", headers=headers,
                        params={"pageSize": 10}).json() == first.json()
    created = requests.post(users, headers=headers, json={
        "firstName": "Test", "lastName": "User", "email": "t@example.com"})
    assert created.status_code == 200 and created.json()["id"] == 37
    found = requests.get(users, headers=headers, params={"where": "email = 't@example.com'"}).json()
    assert [u["id"] for u in found] == [37]
    changed = requests.patch(f"{users}/37", headers=headers, json={"city": "Lisbon"}).json()
    assert changed["city"] == "Lisbon" and changed["firstName"] == "Test"
    assert requests.delete(f"{users}/37", headers=headers).status_code == 200
    assert_platform_error(requests.get(f"{users}/37", headers=headers), 404)
    assert not ResourceRecord.objects.filter(record_id=37).exists()
    missing = assert_platform_error(requests.post(users, headers=headers, json={"firstName": "x"}), 400)
    assert "lastName" in missing["message"]
    assert_platform_error(requests.get(users, headers=headers, params={"where": "city = "}), 400)
    ordered = requests.get(users, headers=headers, params={"orderBy": "lastName desc",
                                                            "fields": "lastName"}).json()
    names = [u["lastName"] for u in ordered]
    assert names == sorted(names, reverse=True) and set(ordered[0]) == {"id", "lastName"}


def test_resource_tokens_disabled_and_deleted(api, sandbox):
    instance = create_mixpanel(api)
    headers = element_auth(sandbox, instance["token"])
    users = sandbox.api_url + "/hubs/general/users"
    assert_platform_error(requests.get(users, headers=element_auth(sandbox, "nope")), 401)
    assert_platform_error(requests.get(users, headers={"Authorization": sandbox.auth}), 401)
    api.delete(url(api, f"/instances/{instance['id']}/enabled"))
    assert_platform_error(requests.get(users, headers=headers), 403)
    api.put(url(api, f"/instances/{instance['id']}/enabled"))
    assert requests.get(users, headers=headers).status_code == 200
    assert_platform_error(requests.get(sandbox.api_url + "/hubs/crm/contacts", headers=headers), 404)
    api.delete(url(api, f"/instances/{instance['id']}"))
    assert_platform_error(requests.get(users, headers=headers), 401)


# --- faults ------------------------------------------------------------------------------

def test_fault_header_and_switch(api, sandbox, settings):
    answer = api.get(url(api, "/elements/keys"), headers={"X-Sandbox-Fault": "status=502"})
    assert_platform_error(answer, 502)
    from sandbox.faults import fault_add

    fault_add(path_prefix="/elements/keys", status=500, message="Down for a bit", times=1)
    assert assert_platform_error(api.get(url(api, "/elements/keys")), 500)["message"] == "Down for a bit"
    assert api.get(url(api, "/elements/keys")).status_code == 200
    settings.SANDBOX_MODE = "off"
    assert api.get(url(api, "/elements/keys"),
                   headers={"X-Sandbox-Fault": "status=502"}).status_code == 200


def test_fault_header_needs_the_secrets(sandbox):
    answer = requests.get(sandbox.api_url + "/elements/keys", headers={"X-Sandbox-Fault": "status=502"})
    assert_platform_error(answer, 401)


def test_consent_page_only_sends_users_back_to_known_hosts(sandbox):
    answer = requests.get(f"{sandbox.server_url}/sandbox/oauth/authorize/", params={
        "element": "sfdc", "client_id": "app", "redirect_uri": "https://evil.example/cb", "state": "s"})
    assert answer.status_code == 400
    assert "not one this provider knows" in answer.text


def test_a_code_is_bound_to_its_redirect_address(api):
    from sandbox.models import OAuthCode

    OAuthCode.objects.create(code="c-1", element_key="sfdc", api_key="app",
                             redirect_uri="http://127.0.0.1:9/cb")
    body = {"element": {"key": "sfdc"}, "providerData": {"code": "c-1"}, "name": "SF",
            "configuration": {"oauth.api.key": "app", "oauth.api.secret": "s",
                              "oauth.callback.url": "http://127.0.0.1:9/other"}}
    refused = assert_platform_error(api.post(url(api, "/instances"), json=body), 400)
    assert "invalid_grant" in refused["providerMessage"]
    body["configuration"]["oauth.callback.url"] = "http://127.0.0.1:9/cb"
    assert api.post(url(api, "/instances"), json=body).status_code == 200


def test_the_sandbox_is_off_by_default_on_a_real_api():
    import os
    import subprocess
    import sys

    env = {**os.environ, "CLOUD_ELEMENTS_URL": "https://api.cloud-elements.com/elements/api-v2",
           "SECRET_KEY": "a-key-of-this-deployment-" + "x" * 30}  # a real API refuses a public key
    env.pop("SANDBOX_MODE", None)
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.conf import settings; print(settings.SANDBOX_MODE)"],
        env=env, capture_output=True, text=True, cwd=Path(__file__).parent.parent, check=True)
    assert out.stdout.strip().splitlines()[-1] == "off"


def test_order_by_a_field_of_mixed_types(api, sandbox):
    instance = create_mixpanel(api)
    headers = element_auth(sandbox, instance["token"])
    users = sandbox.api_url + "/hubs/general/users"
    requests.post(users, headers=headers, json={"firstName": 42, "lastName": "N", "email": "n@x.io"})
    answer = requests.get(users, headers=headers, params={"orderBy": "firstName", "pageSize": 5})
    assert answer.status_code == 200
    assert answer.json()[0]["firstName"] == 42


def test_a_delay_alone_makes_the_write_and_answers_late(api, sandbox):
    """A slow platform still does what it was asked: the caller that stops waiting for a write's
    answer has not stopped the write (what the dashboard's reconciliation is tested against)."""
    from sandbox.faults import fault_add

    created = create_mixpanel(api, name="Before")
    fault_add(path_prefix=f"/instances/{created['id']}", method="PATCH", delay=1)
    with pytest.raises(requests.Timeout):
        api.patch(url(api, f"/instances/{created['id']}"), json={"name": "After"}, timeout=0.3)
    assert Instance.objects.get(pk=created["id"]).name == "After"
    time.sleep(1)  # the answer nobody waits for goes before the database closes
    # With a status, the platform refused: nothing is done.
    fault_add(path_prefix=f"/instances/{created['id']}", method="PUT", status=503)
    assert_platform_error(api.put(url(api, f"/instances/{created['id']}"), json={
        "element": {"key": "mixpanel"}, "configuration": {"username": "rotated"}, "name": "Put"}), 503)
    assert Instance.objects.get(pk=created["id"]).name == "After"


def test_of_two_deletes_at_once_only_one_is_told_it_deleted(api, sandbox):
    """The delete is one conditional statement: the caller whose delete removed nothing gets the
    404 of a missing instance, never a second 200."""
    def delete(iid: int, ready: threading.Barrier) -> int:
        with requests.Session() as session:  # a session of its own: another admin
            session.headers["Authorization"] = sandbox.auth
            ready.wait()
            return session.delete(url(api, f"/instances/{iid}")).status_code

    for attempt in range(8):
        iid = create_mixpanel(api, name=f"Raced {attempt}")["id"]
        ready = threading.Barrier(2)
        with ThreadPoolExecutor(2) as pool:
            statuses = sorted(pool.map(delete, [iid, iid], [ready, ready]))
        assert statuses == [200, 404], f"attempt {attempt}: {statuses}"
    assert not Instance.objects.exists()
    assert_platform_error(api.delete(url(api, f"/instances/{iid}")), 404)  # and one after the fact
