"""Shared fixtures: the sandbox over real HTTP, team members, and a real Chromium."""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from html import unescape

import pytest
import requests
from django.test import Client
from django.test.utils import override_settings
from django.views.debug import ExceptionReporter

from dashboard.caches import cache_clear_own
from sandbox.models import Fault
from team.accounts import user_create

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "test-password-123"


@dataclass
class Sandbox:
    """The live server's sandbox, which the dashboard's client talks to over HTTP."""

    server_url: str
    api_url: str
    user_secret: str
    org_secret: str

    @property
    def auth(self) -> str:
        return f"User {self.user_secret}, Organization {self.org_secret}"


@pytest.fixture(scope="session", autouse=True)
def _static_from_the_sources(tmp_path_factory):
    """Static files under their plain names, from the sources as they are now: never hashed copies
    an earlier `collectstatic` left in staticfiles/ (the live server's static handler serves from
    the finders, which know no hashed names). tests/test_compression.py collects for itself."""
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("no-staticfiles")):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """A fast hasher: the tests make many users and log in often; the default one is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    """Each test process caches under a key prefix of its own, and deletes only those keys.
    Each request of the live server closes its database connection.

    On a Redis that others use too (another run, an xdist worker, a dashboard), `cache.clear()`
    would empty the whole database; two workers with one prefix would read each other's entries.
    """
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    settings.CACHES["default"]["KEY_PREFIX"] = f"elements-dashboard-test-{uuid.uuid4().hex[:12]}-{worker}"
    # A live-server thread that keeps an HTTP connection alive would keep its database connection
    # open past the tests, and Postgres then refuses to drop the test database ("being accessed by
    # other users"): each request closes its connection.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def _fresh_cache():
    from catalog.selectors import catalog_memo_clear

    catalog_memo_clear()
    cache_clear_own()
    yield
    cache_clear_own()


@pytest.fixture
def sandbox(live_server, settings, transactional_db) -> Sandbox:
    """Point the dashboard's client at the sandbox served by pytest-django's live server."""
    settings.CLOUD_ELEMENTS_URL = f"{live_server.url}/sandbox/elements/api-v2"
    settings.CLOUD_ELEMENTS_READ_TIMEOUT = 10
    settings.CLOUD_ELEMENTS_RETRIES = 2
    settings.SANDBOX_MODE = "test"
    from sandbox.calls import calls_clear

    calls_clear()  # each test reads only the calls it made
    yield Sandbox(
        server_url=live_server.url,
        api_url=settings.CLOUD_ELEMENTS_URL,
        user_secret=settings.CLOUD_ELEMENTS_USER_SECRET,
        org_secret=settings.CLOUD_ELEMENTS_ORG_SECRET,
    )
    # Kept-alive connections would hold a live-server thread (and its database connection)
    # past the test's end.
    from cloud_elements import clients_close

    clients_close()


def hits_once_settled(fault, *, delay: float) -> int:
    """How many calls a slow fault switch met, once the sandbox has answered them all.

    The dashboard gives up before a slow answer comes; the sandbox's thread counts the call when it
    gets to it, and answers `delay` seconds later (a retry would have arrived by then).
    """
    deadline = time.monotonic() + 10
    while Fault.objects.get(pk=fault.pk).hits == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(delay)
    return Fault.objects.get(pk=fault.pk).hits


def http_library_breaks(monkeypatch, url_part: str) -> None:
    """Calls whose URL holds `url_part` crash inside requests: a bug past every check of ours, where
    no fault switch reaches, to see what an error report of it shows."""
    real_send = requests.Session.send

    def send_that_breaks(session, request, **kwargs):
        if url_part in request.url:
            raise RuntimeError("the HTTP library broke")
        return real_send(session, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", send_that_breaks)


def mailed_reports(caplog) -> list[str]:
    """The text and the HTML of the report Django mails admins of the request that crashed."""
    [logged] = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    mailed = ExceptionReporter(logged.request, *logged.exc_info, is_email=True)
    reports = [unescape(mailed.get_traceback_text()), unescape(mailed.get_traceback_html())]
    assert all("the HTTP library broke" in report for report in reports)  # the report of this crash
    return reports


@pytest.fixture
def client_api(sandbox):
    """The dashboard's own platform client, configured for the sandbox."""
    from cloud_elements import get_client

    return get_client()


@pytest.fixture
def api(sandbox):
    """Plain `requests` with the platform's secrets, as curl or any Cloud Elements client calls it."""
    session = requests.Session()
    session.headers["Authorization"] = sandbox.auth
    session.base = sandbox.api_url
    return session


@pytest.fixture
def mixpanel(client_api):
    """Make a Mixpanel instance with the platform client, as another console would:
    `mixpanel("Reporting EU", tags=["prod", "eu"], secret="...")`; returns the platform's JSON."""

    def create(name: str = "Reporting", *, tags=("a",), secret: str = "mixpanel-secret-1") -> dict:
        return client_api.instance_create(
            element_key="mixpanel", name=name, configuration={"username": secret}, tags=list(tags)
        )

    return create


@pytest.fixture
def team_admin(db):
    return user_create(username="alice", password=PASSWORD, admin=True)


@pytest.fixture
def team_viewer(db):
    return user_create(username="victor", password=PASSWORD, admin=False)


@pytest.fixture
def admin_http(team_admin) -> Client:
    c = Client()
    c.force_login(team_admin)
    return c


@pytest.fixture
def viewer_http(team_viewer) -> Client:
    c = Client()
    c.force_login(team_viewer)
    return c


# --- Browser ----------------------------------------------------------------------

@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(_playwright):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: apt-get install -y chromium")
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser, sandbox):
    # Playwright's wait_for_function evaluates its predicate with eval, which our Content Security
    # Policy refuses; tests/browser/test_csp.py runs pages under the policy, in a context of its own.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=sandbox.server_url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def browser_login(page, sandbox: Sandbox, user) -> None:
    page.goto(f"{sandbox.server_url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture
def admin_page(page, sandbox, team_admin):
    browser_login(page, sandbox, team_admin)
    return page


@pytest.fixture
def viewer_page(page, sandbox, team_viewer):
    browser_login(page, sandbox, team_viewer)
    return page
