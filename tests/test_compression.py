"""What goes over the wire: HTML gzipped when the browser accepts it, static files with hashed
names, compressed ahead of time and cached for a year (whitenoise's compressed manifest storage)."""

from __future__ import annotations

import gzip
import re

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

STATIC = re.compile(r'(?:href|src)="(/static/[^"]+)"')


@pytest.fixture
def collected(settings, tmp_path):
    """Static files as bin/serve serves them: `collectstatic` into a folder of this test's own."""
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    return tmp_path


@pytest.fixture
def catalog_page(collected, admin_http, sandbox):
    return admin_http.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})


def test_the_catalog_page_is_gzipped_when_the_browser_accepts_it(catalog_page):
    assert catalog_page["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in catalog_page["Vary"]
    page = gzip.decompress(catalog_page.content).decode()
    assert "Element catalog" in page
    assert len(catalog_page.content) * 3 < len(page.encode())


def test_a_browser_that_accepts_no_compression_gets_plain_html(admin_http, sandbox):
    page = admin_http.get("/")
    assert not page.has_header("Content-Encoding")
    assert "Element catalog" in page.content.decode()


def test_the_csrf_token_differs_in_every_compressed_page(admin_http, sandbox):
    """BREACH needs a secret that repeats byte for byte across answers: Django masks the CSRF
    token afresh in each one (and the gzip middleware pads each stream with random bytes)."""
    tokens = set()
    for _ in range(2):
        page = gzip.decompress(admin_http.get("/", headers={"Accept-Encoding": "gzip"}).content).decode()
        tokens.add(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))
    assert len(tokens) == 2


def test_static_files_have_hashed_names_are_compressed_and_cached_for_a_year(catalog_page):
    page = gzip.decompress(catalog_page.content).decode()
    urls = STATIC.findall(page)
    css = [u for u in urls if u.endswith(".css")]
    js = [u for u in urls if u.endswith(".js")]
    assert css and js
    for url in css + js:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), url  # hashed: a new name per content
    anonymous = Client()  # the login page needs them too: static files need no login
    for url in (css[0], js[0]):
        answer = anonymous.get(url, headers={"Accept-Encoding": "gzip, br"})
        assert answer.status_code == 200
        assert answer["Content-Encoding"] == "br"
        assert "max-age=315360000" in answer["Cache-Control"] and "immutable" in answer["Cache-Control"]
        answer.close()
        gzipped = anonymous.get(url, headers={"Accept-Encoding": "gzip"})
        assert gzipped["Content-Encoding"] == "gzip"
        gzipped.close()


def test_without_collectstatic_static_files_keep_their_plain_names(settings, tmp_path):
    """`manage.py runserver` on a fresh clone: no manifest yet, and still every page renders."""
    settings.STATIC_ROOT = tmp_path  # nothing collected here
    assert static("css/app.css") == "/static/css/app.css"
