"""Two app servers on one PostgreSQL and one Redis, as behind a load balancer: whatever a person
does through one holds on the other. Each is `bin/serve` (gunicorn, as in a deployment) in a
process of its own, with the same settings; the platform is the sandbox of pytest's live server.

Runs only on PostgreSQL and Redis (DATABASE_URL, CACHE_URL): `.ci/run`'s second pass, or
`eval "$(.ci/services start)"` then `bin/test -m several_app_servers`.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest
import requests
from django.conf import global_settings, settings
from django.db import connection

from team.accounts import user_create
from tests.appservers import AppServer, free_port, running
from tests.conftest import PASSWORD
from tests.test_authenticate import _filled, element_with, oauth_element, provider_answers

ON_SHARED_SERVICES = ("postgresql" in settings.DATABASES["default"]["ENGINE"]
                      and "redis" in settings.CACHES["default"]["BACKEND"].lower())

pytestmark = [
    pytest.mark.several_app_servers,
    pytest.mark.skipif(not ON_SHARED_SERVICES, reason=(
        "needs PostgreSQL and Redis that several app servers can share: set DATABASE_URL=postgres://… "
        "and CACHE_URL=rediscache://… (.ci/services start)")),
]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def database_url() -> str:
    """The test database (not the one DATABASE_URL names): the one this test's data is in."""
    db = connection.settings_dict
    return (f"postgres://{quote(db['USER'], safe='')}:{quote(db['PASSWORD'], safe='')}"
            f"@{db['HOST']}:{db['PORT']}/{db['NAME']}")


def cache_url() -> str:
    return "rediscache://" + settings.CACHES["default"]["LOCATION"].split("://", 1)[1]


@pytest.fixture(scope="module")
def app_servers(live_server, django_db_setup, tmp_path_factory):
    """Two `bin/serve` app servers, alike but for their port (and folder of collected static
    files), on the test database and Redis, pointed at the sandbox. Yields their URLs.
    Started once for the module: each test's data is still its own (the database is emptied and
    the cache cleared after every test), and a start costs a migrate and a collectstatic."""
    env = {
        "DATABASE_URL": database_url(),
        "CACHE_URL": cache_url(),
        "SECRET_KEY": "two-app-servers-share-this-secret-key-" + "x" * 20,
        "CLOUD_ELEMENTS_URL": f"{live_server.url}/sandbox/elements/api-v2",
        "SANDBOX_MODE": "off",
        "WEB_CONCURRENCY": "2",
    }
    static = tmp_path_factory.mktemp("static")
    servers = [AppServer(["bin/serve", str(port)], port, {**env, "STATIC_ROOT": str(static / name)})
               for name, port in (("a", free_port()), ("b", free_port()))]
    with running(*servers) as urls:
        yield urls


@pytest.fixture
def admin(settings, transactional_db):
    """An admin whose password the app servers can check (they use the real hashers, not the
    suite's fast one)."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    return user_create(username="alice", password=PASSWORD, admin=True)


def csrf_token(browser: requests.Session, url: str) -> str:
    page = browser.get(url, timeout=30)
    assert page.status_code == 200, url
    return CSRF.search(page.text).group(1)


def post(browser: requests.Session, base: str, path: str, data: dict, *, form: str | None = None):
    """Submit a form as a browser does: read the page it is on (for its CSRF token), then post."""
    token = csrf_token(browser, base + (form or path))
    return browser.post(base + path, data={"csrfmiddlewaretoken": token, **data},
                        allow_redirects=False, timeout=30)


def log_in(browser: requests.Session, base: str) -> None:
    answer = post(browser, base, "/login/", {"username": "alice", "password": PASSWORD})
    assert answer.status_code == 302, answer.text[:2000]


def test_a_login_on_one_is_valid_on_the_other(app_servers, admin, sandbox):
    a, b = app_servers
    browser = requests.Session()
    assert browser.get(f"{b}/instances/", allow_redirects=False, timeout=30).status_code == 302

    log_in(browser, a)
    page = browser.get(f"{b}/instances/", allow_redirects=False, timeout=30)
    assert page.status_code == 200
    assert "alice" in page.text

    # Logging out on B ends the session on A too.
    post(browser, b, "/logout/", {}, form="/instances/")
    assert browser.get(f"{a}/instances/", allow_redirects=False, timeout=30).status_code == 302


def test_an_instance_created_through_one_is_listed_through_the_other(app_servers, admin, sandbox):
    a, b = app_servers
    browser = requests.Session()
    log_in(browser, a)
    assert "Shared Analytics" not in browser.get(f"{b}/instances/", timeout=30).text  # B's list cached

    created = post(browser, a, "/elements/mixpanel/authenticate/",
                   {"name": "Shared Analytics", "tags": "prod", "username": "mp-secret"})
    assert created.status_code == 302
    assert re.fullmatch(r"/instances/\d+/", created.headers["Location"])

    listed = browser.get(f"{b}/instances/", timeout=30).text
    assert "Shared Analytics" in listed
    assert "mp-secret" not in listed
    assert browser.get(f"{b}{created.headers['Location']}", timeout=30).status_code == 200


def test_refresh_on_one_gives_both_the_new_catalog(app_servers, admin, settings, client_api):
    a, b = app_servers
    browser = requests.Session()
    log_in(browser, a)

    def shows_new_element(server: str) -> bool:
        page = browser.get(f"{server}/", params={"q": "gen0"}, timeout=30).text
        return re.search(r'id="element-[^"]+-gen0"', page) is not None

    for server in (a, b):
        assert not shows_new_element(server)
    # The platform gains an element; both app servers still show the catalog they share, cached.
    settings.SANDBOX_GENERATED_ELEMENTS = 1
    assert any(e["key"].endswith("-gen0") for e in client_api.element_list())
    for server in (a, b):
        assert not shows_new_element(server)

    refreshed = post(browser, a, "/catalog/refresh/", {}, form="/")
    assert refreshed.status_code == 302
    assert shows_new_element(b)
    assert shows_new_element(a)


def test_an_oauth_round_trip_started_on_one_completes_on_the_other(app_servers, admin, client_api):
    """The provider sends the person back to the callback URL, which behind a load balancer may
    reach any app server: the round trip under way is in the shared cache, not in one worker."""
    a, b = app_servers
    element = element_with(client_api, oauth_element)
    browser = requests.Session()
    log_in(browser, a)
    others = {k: v for k, v in _filled(element).items() if not k.startswith("oauth.")}
    started = post(browser, a, f"/elements/{element['key']}/authenticate/", {
        "name": "Across servers", "tags": "oauth", "oauth.api.key": "app-client-id",
        "oauth.api.secret": "app-client-secret", "oauth.scope": "read write", **others,
    })
    assert started.status_code == 302, started.text[:2000]
    consent_url = started.headers["Location"]
    assert "/sandbox/oauth/authorize/" in consent_url

    back = urlsplit(provider_answers(consent_url, "allow"))
    assert back.path == "/oauth/callback/" and "code=" in back.query
    completed = browser.get(f"{b}{back.path}?{back.query}", allow_redirects=False, timeout=30)
    assert completed.status_code == 302, completed.text[:2000]
    [created] = client_api.instance_list()
    assert completed.headers["Location"] == f"/instances/{created['id']}/"
    assert created["name"] == "Across servers"
    detail = browser.get(f"{a}{completed.headers['Location']}", timeout=30).text
    assert f"Authenticated {element['name']}: instance “Across servers”" in detail
