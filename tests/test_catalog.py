"""The catalog page against the sandbox: cards, banners, search and filters, Show more, Refresh, faults."""

from __future__ import annotations

import re

import pytest
import requests

from sandbox.faults import fault_add
from tests.helpers import text_of

CARD = re.compile(r'<article class="element-card[^"]*" id="element-([^"]+)"')


def abbyy(client_api, name="OCR"):
    return client_api.instance_create(
        element_key="abbyy", name=name, configuration={"username": "u", "password": "p-secret-2"}, tags=[]
    )


def card_keys(text: str) -> list[str]:
    return CARD.findall(text)


def card_of(text: str, key: str) -> str:
    start = text.index(f'id="element-{key}"')
    return text[start:text.index("</article>", start)]


@pytest.fixture
def elements(client_api) -> list[dict]:
    """The sandbox's catalog as the platform answers it, to count what the page should show."""
    return client_api.element_list()


def _auth_type(element: dict) -> str:
    return (element.get("authentication") or {}).get("type", "")


# --- cards and banners ------------------------------------------------------------------

def test_cards_with_instances_come_first_with_true_banners(admin_http, client_api, elements, mixpanel,
                                                            sandbox):
    mixpanel(name="Reporting EU")
    mixpanel(name="Reporting US")
    abbyy(client_api)
    page = admin_http.get("/")
    assert page.status_code == 200
    text = text_of(page)
    keys = card_keys(text)
    assert keys[:2] == ["abbyy", "mixpanel"]  # with instances, then by name
    rest = [e["name"] for e in elements if e["key"] not in ("abbyy", "mixpanel")]
    assert len(keys) == 120 and keys[2] != "mixpanel"
    assert sorted(rest, key=str.casefold)[0] in card_of(text, keys[2])

    card = card_of(text, "mixpanel")
    assert '<a class="element-banner" href="/elements/mixpanel/instances/"' in card
    assert "2 instances" in card
    assert '<span class="badge element-hub" title="Hub">general</span>' in card
    assert 'href="/elements/mixpanel/authenticate/">Authenticate</a>' in card
    # The platform's image is a path on its host: the card's logo is that path on that host.
    mixpanel_image = next(e for e in elements if e["key"] == "mixpanel")["image"]
    assert mixpanel_image == "elements/provider_mixpanel.svg"
    assert f'<img src="{sandbox.server_url}/{mixpanel_image}"' in card and "data-fallback" in card
    assert '<span class="initials">M</span>' in card
    assert "1 instance<" in card_of(text, "abbyy")
    # An element without instances has no banner.
    assert "element-banner" not in card_of(text, keys[2])
    assert f"<strong>{len(elements)}</strong> elements" in text


def test_initials_are_the_same_on_the_catalog_the_instance_pages_and_the_sandbox_logo(admin_http, sandbox):
    card = card_of(text_of(admin_http.get("/?q=close.io")), "closeio")
    assert '<span class="initials">CI</span>' in card
    element_page = text_of(admin_http.get("/elements/closeio/instances/"))
    assert '<span class="initials">CI</span>' in element_page
    logo = requests.get(f"{sandbox.server_url}/sandbox/logos/closeio.svg")
    assert ">CI<" in logo.text


def test_beta_and_private_marks(admin_http, sandbox, elements):
    beta = next(e for e in elements if e.get("beta"))
    private = next(e for e in elements if e.get("private"))
    plain = next(e for e in elements if not e.get("beta") and not e.get("private"))
    for element, mark in ((beta, "element-beta"), (private, "element-private")):
        text = text_of(admin_http.get("/", {"q": element["key"]}))
        assert mark in card_of(text, element["key"])
    text = text_of(admin_http.get("/", {"q": plain["key"]}))
    card = card_of(text, plain["key"])
    assert "element-beta" not in card and "element-private" not in card


def test_catalog_and_counts_are_one_cached_upstream_call_each(admin_http, mixpanel):
    mixpanel()
    catalog_calls = fault_add(path_prefix="/elements", method="GET")
    count_calls = fault_add(path_prefix="/instances", method="GET")
    for query in ({}, {"q": "mix"}, {"hub": "crm"}, {"page": "2"}):
        assert admin_http.get("/", query).status_code == 200
    catalog_calls.refresh_from_db()
    count_calls.refresh_from_db()
    assert catalog_calls.hits == 1
    assert count_calls.hits == 1


def test_a_created_instance_shows_after_our_own_create_invalidates_counts(admin_http, mixpanel):
    from catalog.counts import instance_counts_invalidate

    assert "element-banner" not in text_of(admin_http.get("/"))
    mixpanel()
    instance_counts_invalidate()  # what our own create, update and delete services call
    assert "1 instance<" in card_of(text_of(admin_http.get("/")), "mixpanel")


def test_viewer_sees_cards_and_banners_but_no_authenticate(viewer_http, mixpanel):
    mixpanel()
    text = text_of(viewer_http.get("/"))
    assert "1 instance<" in card_of(text, "mixpanel")
    assert "/authenticate/" not in text
    assert ">Authenticate<" not in text


# --- search and filters -------------------------------------------------------------------

def test_search_over_name_case_insensitive(admin_http, sandbox, elements):
    text = text_of(admin_http.get("/", {"q": "MIXPAN"}))
    assert card_keys(text) == ["mixpanel"]
    assert f"<strong>1</strong> of {len(elements)} elements matches" in text
    assert 'value="MIXPAN"' in text


def test_search_over_key(admin_http, sandbox):
    # Microsoft SQL Server's key is sqlserver: not a part of its name.
    text = text_of(admin_http.get("/", {"q": "SqlServer"}))
    assert card_keys(text) == ["sqlserver"]
    assert "Microsoft SQL Server" in text


def test_search_words_all_have_to_match(admin_http, sandbox, elements):
    text = text_of(admin_http.get("/", {"q": "microsoft sql"}))
    assert card_keys(text) == ["sqlserver"]
    expected = [e["key"] for e in elements if "microsoft" in e["name"].casefold()]
    assert len(expected) > 1
    assert sorted(card_keys(text_of(admin_http.get("/", {"q": "microsoft"})))) == sorted(expected)


def test_filter_by_hub(admin_http, sandbox, elements):
    crm = sorted((e for e in elements if e["hub"] == "crm"), key=lambda e: e["name"].casefold())
    text = text_of(admin_http.get("/", {"hub": "crm"}))
    assert card_keys(text) == [e["key"] for e in crm]
    assert f"<strong>{len(crm)}</strong> of {len(elements)} elements match" in text
    assert f'<option value="crm" selected>crm ({len(crm)})</option>' in text
    assert "mixpanel" not in card_keys(text)


def test_filter_by_auth_type_and_hub_together(admin_http, sandbox, elements):
    basic = {e["key"] for e in elements if _auth_type(e) == "basic"}
    text = text_of(admin_http.get("/", {"auth": "basic"}))
    assert set(card_keys(text)) == basic
    assert '<option value="basic" selected>Basic' in text
    both = {e["key"] for e in elements if _auth_type(e) == "basic" and e["hub"] == "crm"}
    assert 0 < len(both) < len(basic)
    assert set(card_keys(text_of(admin_http.get("/", {"auth": "basic", "hub": "crm"})))) == both


def test_only_elements_with_instances(admin_http, client_api, mixpanel):
    mixpanel()
    abbyy(client_api)
    text = text_of(admin_http.get("/", {"with_instances": "1"}))
    assert card_keys(text) == ["abbyy", "mixpanel"]
    assert 'name="with_instances" value="1" checked' in text
    assert card_keys(text_of(admin_http.get("/", {"with_instances": "1", "q": "mix"}))) == ["mixpanel"]


def test_only_elements_with_instances_when_there_are_none(admin_http, sandbox):
    text = text_of(admin_http.get("/", {"with_instances": "1"}))
    assert card_keys(text) == []
    assert "No elements match" in text
    assert "among elements with instances" in text


def test_no_match_offers_to_clear_the_filters(admin_http, sandbox, elements):
    text = text_of(admin_http.get("/", {"q": "zzz-no-such-element", "hub": "crm"}))
    assert card_keys(text) == []
    assert "No elements match" in text
    assert "“zzz-no-such-element”" in text
    assert '<a class="btn" href="/">Clear filters</a>' in text
    assert f"<strong>0</strong> of {len(elements)} elements match" in text


def test_an_unknown_hub_in_the_address_stays_chosen(admin_http, sandbox):
    text = text_of(admin_http.get("/", {"hub": "no-such-hub"}))
    assert '<option value="no-such-hub" selected>' in text
    assert "No elements match" in text


def test_search_as_you_type_answers_the_results_partial(admin_http, mixpanel, elements):
    mixpanel()
    page = admin_http.get(
        "/?q=mix&hub=&auth=",
        headers={"HX-Request": "true", "HX-Target": "catalog-results"},
    )
    text = text_of(page)
    assert text.lstrip().startswith('<section id="catalog-results"')
    assert "<html" not in text and 'id="catalog-filters"' not in text
    assert card_keys(text) == ["mixpanel"]
    assert "1 instance<" in text
    assert page["HX-Push-Url"] == "/?q=mix"
    assert "HX-Request" in page["Vary"]


def test_the_form_works_without_javascript(admin_http, sandbox):
    text = text_of(admin_http.get("/"))
    form = text[text.index('<form class="toolbar catalog-filters"'):]
    form = form[:form.index("</form>")]
    assert 'method="get" action="/"' in form
    for name in ('name="q"', 'name="hub"', 'name="auth"', 'name="with_instances"'):
        assert name in form
    assert '<button type="submit" class="btn">Search</button>' in form
    assert 'hx-trigger="input changed delay:250ms, search"' in form


# --- Show more ----------------------------------------------------------------------------

def test_show_more_as_a_plain_link_and_as_htmx(admin_http, sandbox, elements):
    total = len(elements)
    assert total > 120
    first = text_of(admin_http.get("/"))
    assert len(card_keys(first)) == 120
    assert 'href="/?page=2" hx-get="/?page=2" hx-target="#catalog-more"' in first
    assert f"Showing 120 of {total}" in first

    # Without JavaScript: the link shows every card up to that page.
    second = text_of(admin_http.get("/", {"page": "2"}))
    assert card_keys(second)[:120] == card_keys(first)
    assert len(card_keys(second)) == min(240, total)

    # With htmx: only the next chunk, to go where the button was.
    chunk = admin_http.get("/?page=2", headers={"HX-Request": "true", "HX-Target": "catalog-more"})
    chunk_text = text_of(chunk)
    assert "<section" not in chunk_text and "<html" not in chunk_text
    assert card_keys(chunk_text) == card_keys(second)[120:]
    assert chunk["HX-Push-Url"] == "/?page=2"


def test_show_more_keeps_the_filters(admin_http, sandbox, elements):
    matching = [e for e in elements if "e" in f"{e['name']} {e['key']}".casefold()]
    assert len(matching) > 120
    text = text_of(admin_http.get("/", {"q": "E"}))
    assert len(card_keys(text)) == 120
    assert 'href="/?q=E&amp;page=2"' in text
    assert f"Showing 120 of {len(matching)}" in text
    assert len(card_keys(text_of(admin_http.get("/", {"q": "E", "page": "2"})))) == min(240, len(matching))
    # Fewer than a page: no button.
    assert 'id="catalog-more"' not in text_of(admin_http.get("/", {"hub": "crm"}))


def test_a_page_past_the_end_shows_every_card(admin_http, sandbox, elements):
    text = text_of(admin_http.get("/", {"page": "99"}))
    assert len(card_keys(text)) == len(elements)
    assert 'id="catalog-more"' not in text
    assert len(card_keys(text_of(admin_http.get("/", {"page": "nonsense"})))) == 120


# --- Refresh -------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["admin_http", "viewer_http"])
def test_refresh_rereads_the_catalog_and_says_so(request, who, sandbox, elements):
    http = request.getfixturevalue(who)
    calls = fault_add(path_prefix="/elements", method="GET")
    http.get("/")
    http.get("/")
    answer = http.post("/catalog/refresh/", HTTP_REFERER=f"{sandbox.server_url}/?q=mix&page=3&x=1")
    assert answer.status_code == 302
    assert answer["Location"] == "/?q=mix"
    text = text_of(http.get(answer["Location"]))
    assert f"Catalog refreshed: {len(elements)} elements read from the platform." in text
    calls.refresh_from_db()
    assert calls.hits == 2  # the first page load, then the refresh


def test_refresh_only_takes_post(admin_http, sandbox):
    assert admin_http.get("/catalog/refresh/").status_code == 405


def test_refresh_that_fails_says_why(admin_http, sandbox):
    admin_http.get("/")
    fault_add(path_prefix="/elements", method="GET", status=503, message="Catalog maintenance")
    answer = admin_http.post("/catalog/refresh/")
    assert answer["Location"] == "/"
    text = text_of(admin_http.get("/"))
    assert "Could not refresh the catalog: Catalog maintenance" in text
    # The catalog read before the outage still shows, with a note saying so.
    assert 'id="catalog-stale-note"' in text
    assert "mixpanel" in card_keys(text)


def test_refresh_never_redirects_elsewhere(admin_http, sandbox):
    answer = admin_http.post("/catalog/refresh/", {"next": "https://evil.example/?q=x"},
                             HTTP_REFERER="https://evil.example/phish")
    # Only the filters are taken, into our own catalog URL.
    assert answer["Location"] == "/?q=x"
    answer = admin_http.post("/catalog/refresh/", {"next": "//evil.example/elsewhere"})
    assert answer["Location"] == "/"


# --- upstream faults -------------------------------------------------------------------------

def test_upstream_error_is_shown_in_words(admin_http, sandbox):
    fault_add(path_prefix="/elements", method="GET", status=500, message="Element store on fire")
    page = admin_http.get("/")
    assert page.status_code == 502
    text = text_of(page)
    assert "The platform answered with an error" in text
    assert "The catalog could not be read from the Cloud Elements API" in text
    assert "Element store on fire" in text
    assert "Status 500" in text
    assert card_keys(text) == []
    # The partial says the same.
    answer = admin_http.get("/?q=x", headers={"HX-Request": "true", "HX-Target": "catalog-results"})
    assert answer.status_code == 502
    assert answer["X-Upstream-Error"] == "502"  # htmx swaps it in all the same (static/js/app.js)
    assert "Element store on fire" in text_of(answer)


def test_counts_failing_still_shows_the_catalog(admin_http, mixpanel, elements):
    mixpanel()
    fault_add(path_prefix="/instances", method="GET", status=502, message="Instance index unavailable")
    page = admin_http.get("/")
    assert page.status_code == 200
    text = text_of(page)
    assert len(card_keys(text)) == 120
    assert "element-banner" not in text
    assert 'id="catalog-counts-note"' in text
    assert "Instance index unavailable" in text
    assert f"<strong>{len(elements)}</strong> elements" in text


# --- the selector at catalog sizes the sandbox is not started with -----------------------------

def synthetic_catalog(size: int):
    from catalog.selectors import catalog_build

    return catalog_build(
        {"key": f"element-{i:05d}", "name": f"Element {i:05d}", "hub": ("crm", "documents")[i % 2],
         "authentication": {"type": ("oauth2", "basic", "custom")[i % 3]}, "image": "", "id": i}
        for i in range(size)
    )


def test_a_page_without_javascript_never_renders_more_than_its_cap():
    from catalog.selectors import MAX_PAGE_CARDS, PAGE_SIZE, CatalogQuery, catalog_search

    catalog = synthetic_catalog(3000)
    result = catalog_search(catalog, CatalogQuery(page=15), counts={})
    assert len(result.cards) == MAX_PAGE_CARDS
    assert result.windowed and result.first == 15 * PAGE_SIZE - MAX_PAGE_CARDS + 1
    assert result.cards[-1].element.key == f"element-{15 * PAGE_SIZE - 1:05d}"
    chunk = catalog_search(catalog, CatalogQuery(page=15), counts={}, chunk_only=True)
    assert len(chunk.cards) == PAGE_SIZE and not chunk.windowed


def test_search_orders_elements_with_instances_first_and_combines_filters():
    from catalog.selectors import CatalogQuery, catalog_search

    catalog = synthetic_catalog(1000)
    counts = {"element-00900": 2, "element-00012": 1}
    result = catalog_search(catalog, CatalogQuery(), counts=counts)
    assert [c.element.key for c in result.cards[:3]] == ["element-00012", "element-00900", "element-00000"]
    assert [c.instances for c in result.cards[:3]] == [1, 2, 0]
    # Words all have to match, in any case; hub and auth type narrow further.
    found = catalog_search(catalog, CatalogQuery(q="ELEMENT 0090", hub="crm", auth="oauth2"), counts=counts)
    assert [c.element.key for c in found.cards] == ["element-00900", "element-00090", "element-00906"]
    # Without counts: no instance numbers, and "only with instances" finds nothing.
    assert catalog_search(catalog, CatalogQuery(), counts=None).cards[0].instances is None
    assert catalog_search(catalog, CatalogQuery(with_instances=True), counts=None).matched == 0


def test_a_cold_catalog_is_read_once_however_many_ask_at_once(sandbox):
    """Ten requests at once on a cold cache: one call to the platform, not ten."""
    import threading

    from catalog.selectors import catalog_forget, catalog_get

    catalog_forget()
    counter = fault_add(path_prefix="/elements", method="GET", delay=0.3)  # slow, so they overlap
    results, barrier = [], threading.Barrier(10)

    def read():
        barrier.wait()
        results.append(len(catalog_get().elements))

    threads = [threading.Thread(target=read) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counter.refresh_from_db()
    assert results == [195] * 10
    assert counter.hits == 1


def test_an_outage_serves_the_last_catalog_with_a_note(admin_http, sandbox):
    from catalog.selectors import catalog_forget

    assert admin_http.get("/").status_code == 200  # read once
    catalog_forget()  # expired, say
    fault = fault_add(path_prefix="/elements", method="GET", status=500, message="Platform down")
    page = admin_http.get("/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="catalog-stale-note"' in text and "Platform down" in text
    assert "Mixpanel" in text
    admin_http.get("/")  # within the retry interval: no second call to a platform that is down
    fault.refresh_from_db()
    assert fault.hits == 1
