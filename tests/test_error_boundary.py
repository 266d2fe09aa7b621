"""The one error boundary (dashboard/errors.py): a platform read a page cannot do without is not
caught in its view; a 404 from the platform is the 404 page, any other platform failure is a
502, 503 or 504 page in words, or for htmx the error box alone, swapped into its target."""

import time

from sandbox.faults import fault_add


def test_a_failing_platform_is_a_502_page_in_words(admin_http, mixpanel):
    instance = mixpanel()
    fault_add(path_prefix=f"/instances/{instance['id']}", method="GET", status=500, message="Store on fire")
    page = admin_http.get(f"/instances/{instance['id']}/edit/")
    assert page.status_code == 502
    text = page.content.decode()
    assert "The instance could not be read" in text
    assert "Store on fire" in text
    assert "Try again" in text
    assert "<html" in text


def test_a_slow_platform_is_a_504_page(admin_http, mixpanel, settings):
    instance = mixpanel()
    settings.CLOUD_ELEMENTS_READ_TIMEOUT = 0.3
    settings.CLOUD_ELEMENTS_RETRIES = 0
    fault_add(path_prefix=f"/instances/{instance['id']}", method="GET", delay=0.6, times=1)
    page = admin_http.get(f"/instances/{instance['id']}/")
    assert page.status_code == 504
    assert "upstream-error" in page.content.decode()
    time.sleep(0.4)  # let the sandbox finish its slow answer before the live server goes away


def test_htmx_gets_the_error_box_into_its_target(admin_http, mixpanel):
    mixpanel()
    fault_add(path_prefix="/instances", method="GET", status=500, message="Index unavailable")
    answer = admin_http.get("/instances/", {"q": "x"},
                            headers={"HX-Request": "true", "HX-Target": "instance-results"})
    assert answer.status_code == 502
    text = answer.content.decode()
    assert "Index unavailable" in text
    assert "<html" not in text
    # Inside the results box, not over it: the box keeps its id for the next search.
    assert answer["HX-Reswap"] == "innerHTML"
    assert answer["X-Upstream-Error"] == "502"


def test_a_platform_404_names_what_is_missing(admin_http, sandbox):
    page = admin_http.get("/elements/no-such-element/authenticate/")
    assert page.status_code == 404
    assert "There is no element “no-such-element” in the catalog." in page.content.decode()
    page = admin_http.get("/instances/987654/edit/")
    assert page.status_code == 404
    assert "There is no instance with ID 987654. It may have been deleted." in page.content.decode()
