"""API Docs and Try it out, against the sandbox over HTTP: the docs page, calls and their answers,
the refusals that keep the dashboard from being an open proxy, and who may execute."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from django.core.cache import cache
from django.test import Client

from apidocs.example import example_value
from apidocs.selectors import DOCS_CACHE_SECONDS, DocsUnreadable, api_docs_parse, docs_cache_key
from apidocs.swagger import parse_swagger
from apidocs.tryit import (
    MAX_SHOWN_BODY,
    PreparedCall,
    Refused,
    answer_from_response,
    check_host,
    form_bound,
    form_initial,
    header_refusal,
    prepare_call,
)
from cloud_elements import CloudElementsError, ResourceResponse
from sandbox.faults import fault_add
from sandbox.models import Fault
from team.models import AuditEntry
from tests.conftest import hits_once_settled, http_library_breaks, mailed_reports
from tests.helpers import text_of

HX = {"HX-Request": "true"}
USERS = "/hubs/general/users"


def salesforce_by_oauth(client_api, sandbox, name="Sales EU"):
    """An OAuth2 CRM instance, through the sandbox's consent page as a browser would go."""
    callback = f"{sandbox.server_url}/oauth/callback/"
    oauth_url = client_api.element_oauth_url(
        "sfdc", api_key="app-key-1", api_secret="app-secret-1", callback_url=callback, state="st-1"
    )
    browser = requests.Session()
    page = browser.get(oauth_url, timeout=10)
    assert page.status_code == 200 and "Allow" in page.text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    parts = urlsplit(oauth_url)
    answer = browser.post(f"{parts.scheme}://{parts.netloc}{parts.path}",
                          data={**{k: unescape(v) for k, v in fields.items()}, "decision": "allow"},
                          headers={"Referer": oauth_url}, allow_redirects=False, timeout=10)
    assert answer.status_code in (302, 303)
    query = dict(parse_qsl(urlsplit(answer.headers["Location"]).query))
    assert query["state"] == "st-1"
    return client_api.instance_create(
        element_key="sfdc", name=name,
        configuration={"oauth.api.key": "app-key-1", "oauth.api.secret": "app-secret-1",
                       "oauth.callback.url": callback},
        provider_data={"code": query["code"]}, tags=["crm"],
    )


def docs_url(instance) -> str:
    return f"/instances/{instance['id']}/docs/"


def execute_url(instance) -> str:
    return f"/instances/{instance['id']}/docs/execute/"


def body_json(html: str, slug: str):
    """The pretty-printed body the answer shows, as data again."""
    match = re.search(rf'<pre class="code answer-body" id="{slug}-body">(.*?)</pre>', html, re.S)
    assert match, "no answer body on the page"
    return json.loads(unescape(re.sub(r"<[^>]+>", "", match.group(1))))


def counting_fault():
    """A switch with no status and no delay only counts the resource calls that reach the sandbox."""
    return fault_add(path_prefix="/hubs")


def hits(fault) -> int:
    return Fault.objects.get(pk=fault.pk).hits


# --- the docs page -----------------------------------------------------------------------------

def test_docs_page_of_a_basic_auth_element(admin_http, mixpanel):
    instance = mixpanel("Product analytics")
    response = admin_http.get(docs_url(instance))
    assert response.status_code == 200
    html = text_of(response)
    assert f'id="docs-instance-id">{instance["id"]}<' in html
    assert "Product analytics" in html and "Mixpanel" in html
    assert 'id="docs-base-path">/elements/api-v2/hubs/general<' in html
    # Resources grouped by tag, each operation with its method badge, path and summary.
    assert 'id="tag-users"' in html and 'id="tag-activities"' in html
    badge = r'class="method-badge method-{}">{}</span>\s*<code class="op-path">{}</code>'
    assert re.search(badge.format("get", "GET", "/users"), html)
    assert re.search(badge.format("delete", "DELETE", r"/users/\{id\}"), html)
    assert "Search for users" in html and "Create a user" in html
    assert 'id="op-count"' in html and "10 operations" in html
    # Parameters: name, place, type, default, description; Authorization is documented, never an input.
    assert "<code class=\"param-name\">pageSize</code>" in html
    assert "<code>200</code>" in html  # pageSize's default
    assert "CEQL search expression" in html
    assert "Added by the dashboard on the server" in html
    assert 'name="header.Authorization"' not in html
    assert 'name="query.pageSize"' in html and 'name="path.id"' in html
    # The body schema, and the example body built from it ($ref resolved, read-only id left out).
    assert 'class="table schema-table"' in html and '<code class="param-name">firstName</code>' in html
    textarea = re.search(r'id="op-createUser-body-input"[^>]*>(.*?)</textarea>', html, re.S)
    example = json.loads(unescape(textarea.group(1)))
    assert {"firstName", "lastName", "email"} <= set(example) and "id" not in example
    assert instance["token"] not in html


def test_docs_page_of_an_oauth2_crm_element(admin_http, client_api, sandbox):
    instance = salesforce_by_oauth(client_api, sandbox)
    html = text_of(admin_http.get(docs_url(instance)))
    assert 'id="docs-base-path">/elements/api-v2/hubs/crm<' in html
    for resource in ("contacts", "accounts", "opportunities"):
        assert f'id="tag-{resource}"' in html
    assert 'id="op-getContacts"' in html and 'id="op-createContact"' in html
    assert "Sales EU" in html and f'id="docs-instance-id">{instance["id"]}<' in html
    assert instance["token"] not in html


def test_docs_page_of_a_helpdesk_element(admin_http, client_api):
    instance = client_api.instance_create(
        element_key="freshdeskv2", name="Support desk",
        configuration={"subdomain": "acme", "username": "agent-key-1"}, tags=[],
    )
    html = text_of(admin_http.get(docs_url(instance)))
    assert 'id="docs-base-path">/elements/api-v2/hubs/helpdesk<' in html
    assert 'id="op-getTickets"' in html and 'id="op-createTicket"' in html
    assert 'id="tag-contacts"' in html
    assert instance["token"] not in html


def test_docs_fall_back_to_the_element_docs(admin_http, mixpanel):
    instance = mixpanel()
    fault = fault_add(path_prefix=f"/instances/{instance['id']}/docs", status=404, message="No docs")
    html = text_of(admin_http.get(docs_url(instance)))
    assert hits(fault) == 1
    assert 'id="op-getUsers"' in html
    assert "could not be read" not in html


def test_docs_upstream_error_is_shown_in_words(admin_http, mixpanel):
    instance = mixpanel()
    fault_add(path_prefix=f"/instances/{instance['id']}/docs", status=502, message="Docs service down")
    response = admin_http.get(docs_url(instance))
    assert response.status_code == 502  # the platform answered with an error
    html = text_of(response)
    assert "The platform answered with an error" in html
    assert "The API docs could not be read" in html
    assert "Docs service down" in html
    assert "Status 502" in html
    assert f'id="docs-instance-id">{instance["id"]}<' in html  # the header still says which instance


def test_filter_works_without_javascript(admin_http, mixpanel):
    instance = mixpanel()
    html = text_of(admin_http.get(docs_url(instance) + "?q=activities"))
    assert "5 of 10 operations" in html
    assert re.search(r'<details class="op method-get" id="op-getActivities" data-op [^>]*>', html)
    assert not re.search(r'id="op-getActivities" data-op[^>]* hidden', html)
    assert re.search(r'id="op-getUsers" data-op[^>]* hidden>', html)
    assert re.search(r'<section class="resource" id="tag-users"[^>]* hidden>', html)
    nothing = text_of(admin_http.get(docs_url(instance) + "?q=zzz-nothing"))
    assert '<div class="empty-state" id="op-no-match">' in nothing


def test_viewer_reads_the_docs_but_cannot_execute(viewer_http, mixpanel):
    instance = mixpanel()
    html = text_of(viewer_http.get(docs_url(instance)))
    assert 'id="op-getUsers"' in html
    assert re.search(r'<button class="btn btn-primary btn-execute" type="button" disabled', html)
    assert 'type="submit">Execute' not in html
    assert "Only admins can execute calls" in html
    assert instance["token"] not in html

    fault = counting_fault()
    response = viewer_http.post(execute_url(instance), {"operation": "getUsers"}, headers=HX)
    assert response.status_code == 403
    assert "Only admins can do this." in text_of(response)
    assert instance["token"] not in text_of(response)
    assert hits(fault) == 0
    assert not AuditEntry.objects.filter(action="api.call").exists()


# --- Try it out: calls and what the sandbox then holds ------------------------------------------

def test_list_users(admin_http, client_api, team_admin, mixpanel):
    instance = mixpanel("Product analytics")
    response = admin_http.post(execute_url(instance),
                               {"operation": "getUsers", "method": "GET", "path": "/users",
                                "query.pageSize": "5", "query.page": "", "query.where": ""},
                               headers=HX)
    assert response.status_code == 200
    html = text_of(response)
    assert "<html" not in html and 'id="op-getUsers-tryit"' in html
    assert re.search(r'id="op-getUsers-status">200 OK<', html)
    assert "status-pill status-2xx" in html
    assert re.search(r'id="op-getUsers-time">\d+ ms<', html)
    shown = body_json(html, "op-getUsers")
    expected = client_api.resource_call(instance["token"], "GET", USERS, params={"pageSize": "5"}).json()
    assert shown == expected and len(shown) == 5
    assert "Elements-Next-Page-Token" in html and "Elements-Returned-Count" in html
    # The curl line reproduces the call with every secret masked.
    assert (f"curl -X GET '{client_api.base_url}{USERS}?pageSize=5' -H "
            "'Authorization: User ********, Organization ********, Element ********'") in unescape(html)
    assert instance["token"] not in html
    assert client_api._user_secret not in html and client_api._org_secret not in html
    entry = AuditEntry.objects.get(action="api.call")
    assert entry.user == team_admin
    assert entry.target == f"#{instance['id']} Product analytics"
    assert entry.detail == "GET /hubs/general/users → 200"
    assert instance["token"] not in entry.detail


def test_error_reports_of_a_call_hide_its_form_and_the_token(client_api, team_admin, mixpanel, monkeypatch,
                                                              caplog):
    """What Django mails admins of a call that crashes: no token, no secret, nothing typed in the form."""
    instance = mixpanel(secret="mixpanel-secret-in-config")
    http_library_breaks(monkeypatch, "/hubs/")
    browser = Client(raise_request_exception=False)
    browser.force_login(team_admin)
    response = browser.post(execute_url(instance), {"operation": "getUsers", "query.where": "typed-value-42"},
                            headers=HX)
    assert response.status_code == 500
    assert "The dashboard hit an error of its own." in text_of(response)
    for report in mailed_reports(caplog):
        assert "********************" in report  # what Django shows in place of a hidden value
        for secret in (instance["token"], "typed-value-42", client_api._user_secret, client_api._org_secret):
            assert secret not in report


def test_get_user_by_id(admin_http, client_api, mixpanel):
    instance = mixpanel()
    html = text_of(admin_http.post(execute_url(instance),
                                   {"operation": "getUserById", "path.id": "3"}, headers=HX))
    assert re.search(r'id="op-getUserById-status">200 OK<', html)
    held = client_api.resource_call(instance["token"], "GET", f"{USERS}/3").json()
    assert body_json(html, "op-getUserById") == held
    assert held["id"] == 3


def test_create_user(admin_http, client_api, mixpanel):
    instance = mixpanel()
    body = {"firstName": "Grace", "lastName": "Hopper", "email": "grace@example.com", "city": "Arlington"}
    html = text_of(admin_http.post(execute_url(instance),
                                   {"operation": "createUser", "body": json.dumps(body, indent=2)},
                                   headers=HX))
    assert re.search(r'id="op-createUser-status">200 OK<', html)
    created = body_json(html, "op-createUser")
    assert created["firstName"] == "Grace"
    held = client_api.resource_call(instance["token"], "GET", f"{USERS}/{created['id']}")
    assert held.status == 200
    assert held.json()["email"] == "grace@example.com"
    assert "--data-raw" in html
    assert AuditEntry.objects.get(action="api.call").detail == "POST /hubs/general/users → 200"


def test_update_user(admin_http, client_api, mixpanel):
    instance = mixpanel()
    before = client_api.resource_call(instance["token"], "GET", f"{USERS}/2").json()
    html = text_of(admin_http.post(execute_url(instance),
                                   {"operation": "updateUserById", "path.id": "2",
                                    "body": '{"city": "Reykjavik"}'}, headers=HX))
    assert re.search(r'id="op-updateUserById-status">200 OK<', html)
    after = client_api.resource_call(instance["token"], "GET", f"{USERS}/2").json()
    assert after["city"] == "Reykjavik"
    assert after["firstName"] == before["firstName"]
    assert AuditEntry.objects.get(action="api.call").detail == "PATCH /hubs/general/users/2 → 200"


def test_delete_user(admin_http, client_api, mixpanel):
    instance = mixpanel()
    assert client_api.resource_call(instance["token"], "GET", f"{USERS}/4").status == 200
    html = text_of(admin_http.post(execute_url(instance),
                                   {"operation": "deleteUserById", "path.id": "4"}, headers=HX))
    assert re.search(r'id="op-deleteUserById-status">200 OK<', html)
    assert "No body." in html
    assert client_api.resource_call(instance["token"], "GET", f"{USERS}/4").status == 404


def test_crud_on_an_oauth2_crm_contact(admin_http, client_api, sandbox):
    instance = salesforce_by_oauth(client_api, sandbox)
    contact = {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"}
    created = body_json(text_of(admin_http.post(execute_url(instance), {
        "operation": "createContact", "body": json.dumps(contact)}, headers=HX)), "op-createContact")
    path = f"/hubs/crm/contacts/{created['id']}"
    assert client_api.resource_call(instance["token"], "GET", path).json()["lastName"] == "Lovelace"
    html = text_of(admin_http.post(execute_url(instance), {
        "operation": "deleteContactById", "path.id": str(created["id"])}, headers=HX))
    assert re.search(r'id="op-deleteContactById-status">200 OK<', html)
    assert client_api.resource_call(instance["token"], "GET", path).status == 404


def test_next_page(admin_http, client_api, mixpanel):
    instance = mixpanel()
    first = text_of(admin_http.post(execute_url(instance),
                                    {"operation": "getUsers", "query.pageSize": "10"}, headers=HX))
    token = unescape(re.search(r'name="nextPage" value="([^"]+)" id="op-getUsers-next"', first).group(1))
    assert "Next page" in first
    second = text_of(admin_http.post(execute_url(instance),
                                     {"operation": "getUsers", "query.pageSize": "10", "query.page": "1",
                                      "nextPage": token}, headers=HX))
    page_two = body_json(second, "op-getUsers")
    expected = client_api.resource_call(instance["token"], "GET", USERS,
                                        params=[("pageSize", "10"), ("nextPage", token)]).json()
    assert page_two == expected
    assert [u["id"] for u in page_two] == list(range(11, 21))
    assert f"nextPage={token}" in unescape(second)  # the URL and curl line show the cursor


def test_without_javascript_the_whole_page_comes_back_with_the_answer(admin_http, mixpanel):
    instance = mixpanel()
    response = admin_http.post(execute_url(instance), {"operation": "getUserById", "path.id": "1"})
    assert response.status_code == 200
    html = text_of(response)
    assert "<html" in html
    assert re.search(r'<details class="op method-get" id="op-getUserById" data-op [^>]*open', html)
    assert re.search(r'id="op-getUserById-status">200 OK<', html)
    assert f'action="/instances/{instance["id"]}/docs/execute/#op-getUserById-tryit"' in html
    assert instance["token"] not in html


# --- Refusals: nothing sent ----------------------------------------------------------------------

REFUSALS = [
    pytest.param({"operation": "getSecrets"}, "is not an operation of this instance",
                 id="undefined-operation"),
    pytest.param({"method": "GET", "path": "/instances"}, "is not an operation of this instance",
                 id="undefined-method-and-path"),
    pytest.param({"operation": "getUsers", "method": "TRACE"}, "the method TRACE is not allowed",
                 id="other-method"),
    pytest.param({"operation": "getUsers", "method": "DELETE"}, "is a GET operation",
                 id="method-not-the-docs"),
    pytest.param({"operation": "getUsers", "method": "GET", "path": "/contacts"},
                 "getUsers has the path /users, not /contacts", id="path-not-the-docs"),
    pytest.param({"operation": "getUsers", "path": "https://evil.example/steal"}, "never to an absolute URL",
                 id="absolute-url"),
    pytest.param({"operation": "getUsers", "path": "//evil.example/steal"}, "never to an absolute URL",
                 id="scheme-relative-url"),
    pytest.param({"operation": "getUsers", "path": "/users/../../instances"}, "may not contain “..”",
                 id="dots-in-path"),
    pytest.param({"operation": "getUserById", "path.id": "../../instances"},
                 "“..” is not allowed in a path parameter", id="dots-in-path-param"),
    pytest.param({"operation": "getUsers", "query.where": "a = 1\r\nX-Injected: yes"},
                 "Line breaks (CR/LF) are not allowed", id="crlf-in-query"),
    pytest.param({"operation": "getUserById", "path.id": "1\n"}, "Line breaks (CR/LF) are not allowed",
                 id="lf-in-path-param"),
    pytest.param({"operation": "getUsers", "method": "GET\r\nX-Injected: yes"}, "contains a line break",
                 id="crlf-in-method"),
    pytest.param({"operation": "getUsers", "nextPage": "abc\r\nX: 1"}, "next page token is not valid",
                 id="crlf-in-next-page"),
    pytest.param({"operation": "getUserById", "path.id": "abc"}, "Must be a whole number", id="not-a-number"),
    pytest.param({"operation": "getUserById", "path.id": ""}, "Required.", id="missing-path-param"),
]


@pytest.mark.parametrize(("data", "message"), REFUSALS)
def test_refusals_send_nothing(admin_http, mixpanel, data, message):
    instance = mixpanel()
    fault = counting_fault()
    response = admin_http.post(execute_url(instance), data, headers=HX)
    assert response.status_code == 200
    html = unescape(text_of(response))
    assert message in html
    assert "Nothing was sent" in html
    assert 'class="answer ' not in html
    assert hits(fault) == 0
    assert not AuditEntry.objects.filter(action="api.call").exists()
    assert instance["token"] not in html


def test_refusal_without_javascript_is_a_400_page(admin_http, mixpanel):
    instance = mixpanel()
    fault = counting_fault()
    response = admin_http.post(execute_url(instance), {"operation": "getUsers", "path": "http://evil.example/"})
    assert response.status_code == 400
    assert "never to an absolute URL" in text_of(response)
    assert "<html" in text_of(response)
    assert hits(fault) == 0


def test_refusal_of_an_unknown_operation_goes_to_the_answer_box(admin_http, mixpanel):
    instance = mixpanel()
    response = admin_http.post(execute_url(instance), {"operation": "getSecrets"},
                               headers={**HX, "HX-Target": "op-getUsers-tryit"})
    assert response["HX-Retarget"] == "#op-getUsers-tryit-answer"
    assert response["HX-Reswap"] == "innerHTML"


def test_invalid_json_body_is_shown_at_the_field(admin_http, mixpanel):
    instance = mixpanel()
    fault = counting_fault()
    html = text_of(admin_http.post(execute_url(instance),
                                   {"operation": "createUser", "body": '{"firstName": "Ada",}'}, headers=HX))
    assert re.search(r'<p class="field-error" id="op-createUser-body-error">The body is not valid JSON', html)
    assert 'aria-invalid="true"' in html
    assert "{&quot;firstName&quot;: &quot;Ada&quot;,}</textarea>" in html  # what was typed stays
    assert hits(fault) == 0
    assert not AuditEntry.objects.filter(action="api.call").exists()


# --- Upstream answers and failures -----------------------------------------------------------------

def test_upstream_500_is_the_answer_not_a_dashboard_error(admin_http, mixpanel):
    instance = mixpanel()
    fault_add(path_prefix=USERS, method="GET", status=500, message="The provider fell over")
    response = admin_http.post(execute_url(instance), {"operation": "getUsers"}, headers=HX)
    assert response.status_code == 200
    html = text_of(response)
    assert re.search(r'id="op-getUsers-status">500 Internal Server Error<', html)
    assert "status-pill status-5xx" in html
    assert body_json(html, "op-getUsers")["message"] == "The provider fell over"
    assert AuditEntry.objects.get(action="api.call").detail == "GET /hubs/general/users → 500"


def test_timeout_is_said_in_words(admin_http, mixpanel, settings):
    instance = mixpanel()
    settings.CLOUD_ELEMENTS_READ_TIMEOUT = 0.4
    slow = fault_add(path_prefix=USERS, method="GET", delay=0.8)
    response = admin_http.post(execute_url(instance), {"operation": "getUsers"}, headers=HX)
    assert response.status_code == 200
    html = unescape(text_of(response))
    assert "Timed out" in html
    assert "The call timed out: no answer came back in time." in html
    # The wait said is the one measured: the read timeout, and what the machine added to it.
    said = float(re.search(r"did not answer within ([\d.]+) seconds", html).group(1))
    assert said >= 0.4
    assert AuditEntry.objects.get(action="api.call").detail == "GET /hubs/general/users → timeout"
    # A call that timed out may have done its work: Try it out never sends it again.
    assert hits_once_settled(slow, delay=0.8) == 1


def test_an_unreadable_instance_is_an_upstream_error_in_the_answer_box(admin_http, mixpanel):
    instance = mixpanel()
    fault_add(path_prefix=f"/instances/{instance['id']}", method="GET", status=503, message="Maintenance")
    response = admin_http.post(execute_url(instance), {"operation": "getUsers"},
                               headers={**HX, "HX-Target": "op-getUsers-tryit"})
    assert response.status_code == 200
    assert "Maintenance" in text_of(response)
    assert response["HX-Retarget"] == "#op-getUsers-tryit-answer"


# --- Pieces, on data ---------------------------------------------------------------------------

def test_a_large_body_is_cut_with_its_full_size():
    docs = parse_swagger({"basePath": "/elements/api-v2/hubs/general",
                          "paths": {"/users": {"get": {"operationId": "getUsers"}}}})
    operation = docs.operation(key="getUsers")
    call = PreparedCall(operation=operation, path="/hubs/general/users", params=(), headers=(), body=None)
    body = json.dumps([{"id": n, "note": "x" * 100} for n in range(3000)]).encode()
    response = ResourceResponse(method="GET", url="http://api/x", status=200, reason="OK",
                                headers={"Content-Type": "application/json"}, body=body, elapsed_ms=12.0)
    answer = answer_from_response(call, response, url="http://api/x", curl="curl")
    assert answer.cut
    assert len(answer.body.encode()) <= MAX_SHOWN_BODY
    assert answer.size_label == f"{len(body) / 1024:.1f} KB"
    assert answer.body.startswith('[\n  {\n    "id": 0,')


def test_calls_stay_on_the_configured_api_whatever_the_docs_base_path():
    hostile = parse_swagger({"basePath": "https://evil.example/elements/api-v2/hubs/x",
                             "paths": {"/users": {"get": {"operationId": "getUsers"}}}})
    form = form_bound(hostile.operation(key="getUsers"), {})
    call = prepare_call(form, hostile, {})
    assert call.path == "/hubs/x/users"
    base = "https://api.example.com/elements/api-v2"
    check_host(f"{base}/hubs/x/users", base)
    for elsewhere in ("https://evil.example/elements/api-v2/hubs/x/users",
                      "http://api.example.com/elements/api-v2/hubs/x/users",
                      "https://api.example.com/other/hubs/x/users"):
        with pytest.raises(Refused):
            check_host(elsewhere, base)


def test_example_bodies_resolve_refs_and_stop_at_cycles():
    root = {"definitions": {
        "Person": {"type": "object", "required": ["name"], "properties": {
            "id": {"type": "integer", "readOnly": True},
            "name": {"type": "string"},
            "email": {"type": "string", "format": "email"},
            "born": {"type": "string", "format": "date"},
            "score": {"type": "number"},
            "active": {"type": "boolean"},
            "kind": {"type": "string", "enum": ["lead", "customer"]},
            "friends": {"type": "array", "items": {"$ref": "#/definitions/Person"}},
        }},
    }}
    value = example_value({"$ref": "#/definitions/Person"}, root)
    assert value == {"name": "Example", "email": "jane.doe@example.com", "born": "2024-01-15",
                     "score": 1.5, "active": True, "kind": "lead", "friends": [{}]}


# --- Header parameters the docs define ----------------------------------------------------------

REFUSED_HEADER_NAMES = [
    "Host", " host ", "HOST", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "TE",
    "Trailer", "Upgrade", "Expect", "Cookie", "Authorization", " authorization", "Forwarded",
    "Proxy-Authorization", "proxy-connection", "X-Forwarded-For", "x-forwarded-host",
    "Bad Name", "X-A:b", "X-Ä", "X-A\r\nX-B", "X-(comment)", "",
]


@pytest.mark.parametrize("name", REFUSED_HEADER_NAMES)
def test_headers_that_would_redirect_reframe_or_authenticate_a_call_are_refused(name):
    refusal = header_refusal(name)
    assert refusal.startswith("Refused:")
    assert refusal.endswith("Nothing was sent.")


@pytest.mark.parametrize("name", ["X-Trace", "Elements-Session", "Accept-Language", "If-None-Match",
                                  "X-Forwarded", "Proxyish", "x!#$%&'*+.^_`|~-1"])
def test_other_token_header_names_may_be_sent(name):
    assert header_refusal(name) == ""


def headers_docs(*extra: dict):
    return parse_swagger({"basePath": "/elements/api-v2/hubs/general", "paths": {"/users": {"get": {
        "operationId": "getUsers",
        "parameters": [{"name": "Authorization", "in": "header", "required": True},
                       {"name": "Host", "in": "header"}, {"name": "X-Trace", "in": "header"}, *extra],
    }}}})


def test_a_refused_header_is_shown_but_never_sent():
    docs = headers_docs()
    operation = docs.operation(key="getUsers")
    initial = {f.param.name: f for f in form_initial(operation).fields}
    assert set(initial) == {"Host", "X-Trace"}  # Authorization is never an input
    assert initial["Host"].refusal and initial["Host"].value == ""
    assert not initial["X-Trace"].refusal

    typed = form_bound(operation, {"header.Host": "evil.example", "header.X-Trace": "abc"})
    assert not typed.valid
    assert typed.error.startswith("Refused: a header marked below")
    assert {f.param.name: f.error for f in typed.fields}["Host"].startswith("Refused: Try it out never sends")

    # Left empty, an optional refused header is simply not sent; the others are.
    form = form_bound(operation, {"header.X-Trace": "abc"})
    assert form.valid
    assert prepare_call(form, docs, {}).headers == (("X-Trace", "abc"),)

    # Should a value get past the field's check, the call is still refused as a whole.
    next(f for f in form.fields if f.param.name == "Host").value = "evil.example"
    with pytest.raises(Refused, match="never sends"):
        prepare_call(form, docs, {})


def test_a_required_refused_header_makes_the_operation_refused():
    operation = headers_docs({"name": "Cookie", "in": "header", "required": True}).operation(key="getUsers")
    form = form_bound(operation, {})
    assert not form.valid
    assert "Cookie" in {f.param.name: f.error for f in form.fields}["Cookie"]


def test_header_values_are_printable_ascii():
    operation = headers_docs().operation(key="getUsers")
    form = form_bound(operation, {"header.X-Trace": "café"})
    assert {f.param.name: f.error for f in form.fields}["X-Trace"] == (
        "A header value may hold only printable ASCII characters.")


def test_refused_headers_of_the_docs_send_nothing_end_to_end(admin_http, client_api, mixpanel):
    """The sandbox's docs define no such header, so its own docs, plus hostile headers, are what
    the page would have read (Try it out looks its operation up in the docs the page read)."""
    instance = mixpanel()
    raw = client_api.instance_docs(instance["id"])
    raw["paths"]["/users"]["get"]["parameters"] += [
        {"name": "Host", "in": "header"}, {"name": "X-Forwarded-For", "in": "header"},
        {"name": "Bad Name", "in": "header"}, {"name": "X-Trace", "in": "header"},
    ]
    cache.set(docs_cache_key(instance["id"]), api_docs_parse(raw=raw), DOCS_CACHE_SECONDS)
    fault = counting_fault()
    for name in ("Host", "X-Forwarded-For", "Bad Name"):
        html = unescape(text_of(admin_http.post(
            execute_url(instance), {"operation": "getUsers", f"header.{name}": "evil.example"}, headers=HX)))
        assert "Refused:" in html and "Nothing was sent" in html
        assert 'class="answer ' not in html
    assert hits(fault) == 0
    assert not AuditEntry.objects.filter(action="api.call").exists()

    # Another header of the docs is sent, and the page shows the refused ones as never sent.
    response = admin_http.post(execute_url(instance), {"operation": "getUsers", "header.X-Trace": "t-1"})
    html = unescape(text_of(response))
    assert re.search(r'id="op-getUsers-status">200 OK<', html)
    assert "-H 'X-Trace: t-1'" in html
    assert hits(fault) == 1
    assert re.search(r'<input id="op-getusers-header-host" type="text" value="" disabled', html)
    assert 'name="header.Host"' not in html
    assert "Never sent by Try it out" in html


# --- Docs of an unexpected shape ------------------------------------------------------------------

def test_malformed_docs_are_read_as_far_as_they_go():
    docs = parse_swagger({
        "tags": 5,
        "definitions": {
            "Loop": {"allOf": [{"$ref": "#/definitions/Loop"}, {"properties": {"note": {"type": "string"}}}]},
            "Odd": {"type": "object", "required": 3, "properties": ["a"], "enum": 7},
        },
        "paths": {
            "/things": {
                "parameters": {"name": "shared"},
                "get": {"operationId": "getThings", "tags": {"name": "things"},
                        "parameters": [{"name": "kind", "in": "query", "enum": 5},
                                       {"name": {"x": 1}, "in": "query"}, "junk"]},
                "post": {"operationId": "createThing", "tags": "things", "parameters": 7,
                         "responses": {"200": {"schema": {"$ref": "#/definitions/Loop"}}}},
                "put": {"operationId": "replaceThing", "tags": [{"no": "name"}, "things"],
                        "parameters": [{"name": "body", "in": "body",
                                        "schema": {"$ref": "#/definitions/Loop"}}]},
                "patch": {"operationId": "patchThing", "tags": 12, "parameters": [
                    {"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Odd"}}]},
            },
            "/broken": "not an object",
        },
    })
    ops = {op.key: op for op in docs.operations}
    assert set(ops) == {"getThings", "createThing", "replaceThing", "patchThing"}
    assert ops["getThings"].tag == "other"  # a dict of tags names no tag
    assert ops["createThing"].tag == "things" and ops["replaceThing"].tag == "things"
    assert ops["patchThing"].tag == "12"
    assert [(p.name, p.enum) for p in ops["getThings"].parameters] == [("kind", ())]
    assert ops["createThing"].parameters == ()
    assert json.loads(ops["replaceThing"].body_example) == {"note": "string"}  # the allOf loop ends
    assert ops["patchThing"].body_example == "{}" and ops["patchThing"].body_rows == ()


def test_an_allof_that_refers_to_itself_ends():
    root = {"definitions": {"A": {"allOf": [{"$ref": "#/definitions/B"}]},
                            "B": {"allOf": [{"$ref": "#/definitions/A"},
                                            {"properties": {"b": {"type": "integer"}}}]}}}
    assert example_value({"$ref": "#/definitions/A"}, root) == {"b": 1}
    assert example_value({"allOf": [{"$ref": "#/definitions/A"}]}, root) == {"b": 1}


@pytest.mark.parametrize("raw", [[1, 2], "{not json", 42, '"a string"'])
def test_docs_that_are_no_swagger_object_are_one_upstream_error(raw):
    with pytest.raises(DocsUnreadable) as caught:
        api_docs_parse(raw=raw)
    # Every view shows a CloudElementsError in words (the upstream-error partial), never a 500.
    assert isinstance(caught.value, CloudElementsError)
    assert "cannot read" in caught.value.user_message


def test_dot_path_parameters_are_refused():
    """requests normalises `/contacts/.` to `/contacts/`: a DELETE would hit the collection.
    The platform's own docs type many path ids as strings (Salesforce ids, for one)."""
    docs = parse_swagger({"basePath": "/elements/api-v2/hubs/crm", "paths": {"/contacts/{id}": {
        "delete": {"operationId": "deleteContactById",
                   "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}]}}}})
    operation = docs.operation(key="deleteContactById")
    for dots in (".", "..", " . "):
        form = form_bound(operation, {"path.id": dots})
        assert not form.valid
        assert "“.” and “..” are not allowed" in form.fields[0].error
    assert form_bound(operation, {"path.id": "003.x"}).valid
    assert form_bound(operation, {"path.id": "..."}).fields[0].error  # still holds ".."


def test_the_curl_line_leaves_a_large_body_to_a_file(admin_http, mixpanel):
    """A 2 MB body made a 4 MB page: it was in the form and again in the curl line."""
    instance = mixpanel()
    body = json.dumps({"firstName": "Big", "lastName": "Body", "note": "x" * 2_000_000})
    response = admin_http.post(execute_url(instance), {"operation": "createUser", "body": body},
                               headers=HX)
    html = response.content.decode()
    assert len(html) < len(body) * 1.25  # the form keeps what was typed; nothing repeats it
    assert "--data-binary @body.json" in html
    assert "(1.9 MB) is too large to repeat here" in html
    small = admin_http.post(execute_url(instance), {"operation": "createUser", "body": '{"firstName": "A"}'},
                            headers=HX).content.decode()
    assert "--data-raw" in small
    assert "too large to repeat" not in small
