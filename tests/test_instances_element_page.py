"""An element's instances page asks the platform only for the instances: the element itself
(name, logo, hub, auth type) is in the cached catalog."""

from __future__ import annotations

from django.core.cache import cache

from catalog.selectors import CATALOG_CACHE_KEY, STAMP_CACHE_KEY, catalog_build
from sandbox.faults import fault_add
from tests.helpers import text_of


def test_element_page_is_one_upstream_call_once_the_catalog_is_read(admin_http, mixpanel):
    mixpanel("Reporting")
    assert admin_http.get("/").status_code == 200  # the catalog is read and cached
    every_call = fault_add(path_prefix="/")  # counts every call that reaches the sandbox
    for expected in (1, 2):
        page = text_of(admin_http.get("/elements/mixpanel/instances/"))
        assert "<h1>Mixpanel</h1>" in page and "Reporting" in page
        every_call.refresh_from_db()
        assert every_call.hits == expected


def test_an_element_the_catalog_does_not_hold_yet_is_read_from_the_platform(admin_http, sandbox):
    older = catalog_build([{"key": "abbyy", "name": "ABBYY"}])  # read before Mixpanel existed
    cache.set_many({CATALOG_CACHE_KEY: older, STAMP_CACHE_KEY: older.stamp})
    element_reads = fault_add(path_prefix="/elements/mixpanel", method="GET")
    page = admin_http.get("/elements/mixpanel/instances/")
    assert page.status_code == 200 and "<h1>Mixpanel</h1>" in text_of(page)
    element_reads.refresh_from_db()
    assert element_reads.hits == 2  # the element, then its instances


def test_an_element_nobody_has_is_still_a_404(admin_http, sandbox):
    assert admin_http.get("/").status_code == 200
    assert admin_http.get("/elements/no-such-element/instances/").status_code == 404
