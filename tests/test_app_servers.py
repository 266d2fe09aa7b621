"""Two app servers on one PostgreSQL and one Redis, as behind a load balancer: whatever a person
does through one holds on the other. Each is `bin/serve` (gunicorn, as in a deployment) in a
process of its own, with the same settings; the platform is the sandbox of pytest's live server.

Runs only on PostgreSQL and Redis (DATABASE_URL, CACHE_URL): `.ci/run`'s second pass, or
`eval "$(.ci/services start)"` then `bin/test -m several_app_servers`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests
from django.conf import global_settings, settings
from django.db import connection

from team.accounts import user_create
from tests.appservers import ROOT, AppServer, closed_port, free_port, running
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

LOGIN_FAILURE_LIMIT = 3
# What a form carries besides what is typed: the CSRF token, and Authenticate's single-use token.
FORM_TOKENS = re.compile(r'name="(csrfmiddlewaretoken|submit_token)" value="([^"]+)"')


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
        "LOGIN_FAILURE_LIMIT": str(LOGIN_FAILURE_LIMIT),
        "BEHIND_PROXY": "true",  # for the nginx test; requests straight to them have no such header
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


def form_tokens(browser: requests.Session, url: str) -> dict[str, str]:
    page = browser.get(url, timeout=30)
    assert page.status_code == 200, url
    return dict(FORM_TOKENS.findall(page.text))


def post(browser: requests.Session, base: str, path: str, data: dict, *, form: str | None = None):
    """Submit a form as a browser does: open the page it is on (for its tokens), then post."""
    tokens = form_tokens(browser, base + (form or path))
    return browser.post(base + path, data={**tokens, **data},
                        headers={"Origin": base}, allow_redirects=False, timeout=30)


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


def test_a_lockout_on_one_holds_on_the_other(app_servers, admin, sandbox):
    """Login throttling (django-axes) keeps its failures and lockouts in the shared database:
    failures on A lock the login on B too, the right password included."""
    a, b = app_servers
    browser = requests.Session()
    for _ in range(LOGIN_FAILURE_LIMIT):
        failed = post(browser, a, "/login/", {"username": "alice", "password": "not-the-password"})
        assert failed.status_code in (200, 429)
    for server in (b, a):
        refused = post(browser, server, "/login/", {"username": "alice", "password": PASSWORD})
        assert refused.status_code == 429
        assert "Too many failed logins for this username from your address." in refused.text
    assert browser.get(f"{b}/instances/", allow_redirects=False, timeout=30).status_code == 302


def start_oauth(browser: requests.Session, base: str, element: dict, name: str) -> str:
    """Authenticate an OAuth2 element through `base`: the provider's consent page it sends to."""
    others = {k: v for k, v in _filled(element).items() if not k.startswith("oauth.")}
    started = post(browser, base, f"/elements/{element['key']}/authenticate/", {
        "name": name, "tags": "oauth", "oauth.api.key": "app-client-id",
        "oauth.api.secret": "app-client-secret", "oauth.scope": "read write", **others,
    })
    assert started.status_code == 302, started.text[:2000]
    assert "/sandbox/oauth/authorize/" in started.headers["Location"]
    return started.headers["Location"]


def test_an_oauth_round_trip_started_on_one_completes_on_the_other(app_servers, admin, client_api):
    """The provider sends the person back to the callback URL, which behind a load balancer may
    reach any app server: the round trip under way is in the shared cache, not in one worker."""
    a, b = app_servers
    element = element_with(client_api, oauth_element)
    browser = requests.Session()
    log_in(browser, a)
    consent_url = start_oauth(browser, a, element, "Across servers")

    back = urlsplit(provider_answers(consent_url, "allow"))
    assert back.path == "/oauth/callback/" and "code=" in back.query
    completed = browser.get(f"{b}{back.path}?{back.query}", allow_redirects=False, timeout=30)
    assert completed.status_code == 302, completed.text[:2000]
    [created] = client_api.instance_list()
    assert completed.headers["Location"] == f"/instances/{created['id']}/"
    assert created["name"] == "Across servers"
    detail = browser.get(f"{a}{completed.headers['Location']}", timeout=30).text
    assert f"Authenticated {element['name']}: instance “Across servers”" in detail


# --- deploy/nginx.conf, in front of both --------------------------------------------------------

NGINX = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")


@dataclass(frozen=True)
class Nginx:
    url: str  # https, the public address
    http_url: str
    ca: str
    access_log: Path


@pytest.fixture(scope="module")
def nginx(app_servers, tmp_path_factory):
    """deploy/nginx.conf as committed, but for its addresses, names and certificate: the two app
    servers (and a third that is down), loopback ports, and a self-signed certificate. Its access
    log names the app server that answered each request."""
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install nginx; .ci/services installs it)")
    folder = tmp_path_factory.mktemp("nginx")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    https_port, http_port = free_port(), free_port()
    a, b = (urlsplit(url).netloc for url in app_servers)
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    for committed, here in {
        "server 10.0.0.11:8000": f"server {a}",
        "server 10.0.0.12:8000": f"server {b}",
        "keepalive 16;": f"server 127.0.0.1:{closed_port()} max_fails=3 fail_timeout=10s;\n    keepalive 16;",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "server_name dashboard.example.com;": "server_name 127.0.0.1;",
        "/etc/ssl/certs/dashboard.example.com.pem": str(cert),
        "/etc/ssl/private/dashboard.example.com.key": str(key),
    }.items():
        assert committed in site, f"deploy/nginx.conf no longer has {committed!r}: update this test"
        site = site.replace(committed, here)
    (folder / "site.conf").write_text(site)
    # Workers as root when nginx is started by root: they then can use this test's folder.
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(f"""
{user}
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 128; }}
http {{
    log_format upstreams '$request_method $uri $status $upstream_addr';
    access_log {folder}/access.log upstreams;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
""")
    command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    with running(AppServer(command, https_port, {}, scheme="https", ca=str(cert))) as [url]:
        yield Nginx(url=url, http_url=f"http://127.0.0.1:{http_port}", ca=str(cert),
                    access_log=folder / "access.log")


def test_nginx_config_serves_both_app_servers_at_the_public_address(nginx, app_servers, admin, client_api):
    """deploy/nginx.conf: HTTPS only, /healthz through it, every request answered though one app
    server is down, both live ones used, and the OAuth callback URL the public one (what
    BEHIND_PROXY and the forwarded headers are for), which completes through nginx."""
    plain = requests.get(f"{nginx.http_url}/instances/", allow_redirects=False, timeout=30)
    assert plain.status_code == 301
    assert plain.headers["Location"].startswith("https://127.0.0.1")

    browser = requests.Session()
    browser.trust_env = False  # or REQUESTS_CA_BUNDLE, where set, wins over verify
    browser.verify = nginx.ca
    assert browser.get(f"{nginx.url}/healthz", timeout=30).json() == {"healthy": True}
    log_in(browser, nginx.url)
    for _ in range(6):
        assert browser.get(f"{nginx.url}/instances/", timeout=30).status_code == 200

    element = element_with(client_api, oauth_element)
    consent_url = start_oauth(browser, nginx.url, element, "Through nginx")
    redirect_uri = parse_qs(urlsplit(consent_url).query)["redirect_uri"][0]
    assert redirect_uri == f"{nginx.url}/oauth/callback/"
    back = provider_answers(consent_url, "allow")
    completed = browser.get(back, allow_redirects=False, timeout=30)
    [created] = client_api.instance_list()
    assert completed.headers["Location"] == f"/instances/{created['id']}/"

    answered_by = {line.split()[-1] for line in nginx.access_log.read_text().splitlines()
                   if line.startswith("GET /instances/ 200")}
    assert {urlsplit(url).netloc for url in app_servers} <= answered_by
