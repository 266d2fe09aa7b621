"""Each card is rendered once per catalog, instance count and role, and the catalog sorted once
per catalog and counts; what a card shows still follows every change of those."""

from __future__ import annotations

from catalog.cards import cards_html, cards_rendered
from catalog.counts import instance_counts_invalidate
from catalog.selectors import CatalogQuery, catalog_build, catalog_ordered, catalog_search
from tests.helpers import text_of
from tests.test_catalog import card_keys, card_of


def test_a_new_instance_count_redraws_the_card_and_moves_it_first(admin_http, mixpanel):
    first = text_of(admin_http.get("/"))
    assert "element-banner" not in card_of(first, "mixpanel")
    assert card_keys(first)[0] != "mixpanel"
    mixpanel()
    instance_counts_invalidate()
    second = text_of(admin_http.get("/"))
    assert card_keys(second)[0] == "mixpanel"
    assert "1 instance<" in card_of(second, "mixpanel")
    mixpanel(name="Another")
    instance_counts_invalidate()
    assert "2 instances<" in card_of(text_of(admin_http.get("/")), "mixpanel")


def test_the_same_card_differs_by_role(admin_http, viewer_http, sandbox):
    assert ">Authenticate<" in card_of(text_of(admin_http.get("/")), "mixpanel")
    assert ">Authenticate<" not in card_of(text_of(viewer_http.get("/")), "mixpanel")
    assert ">Authenticate<" in card_of(text_of(admin_http.get("/")), "mixpanel")


def synthetic(size: int):
    return catalog_build({"key": f"e{i:04d}", "name": f"E {i:04d}", "hub": "crm"} for i in range(size))


def test_cards_are_rendered_once_and_reused(db):
    catalog = synthetic(50)
    cards = catalog_search(catalog, CatalogQuery(), counts={"e0003": 1}).cards
    before = cards_rendered()
    once = cards_html(cards, stamp=catalog.stamp, can_manage=True)
    assert cards_rendered() == before + 50
    assert cards_html(cards, stamp=catalog.stamp, can_manage=True) == once
    assert cards_rendered() == before + 50  # the second time, none
    assert once.startswith('\n<article class="element-card has-instances" id="element-e0003"')
    assert "1 instance<" in once and once.count(">Authenticate<") == 50
    as_viewer = cards_html(cards, stamp=catalog.stamp, can_manage=False)
    assert ">Authenticate<" not in as_viewer and 'id="element-e0003"' in as_viewer
    newer = catalog_build({"key": f"e{i:04d}", "name": f"E {i:04d}", "hub": "documents"} for i in range(50))
    redrawn = cards_html(catalog_search(newer, CatalogQuery(), counts={}).cards, stamp=newer.stamp,
                         can_manage=True)
    assert ">documents<" in redrawn and ">crm<" not in redrawn  # a new catalog: rendered again


def test_the_order_is_sorted_once_per_catalog_and_counts():
    catalog = synthetic(100)
    order = catalog_ordered(catalog, {"e0050": 1})
    assert catalog_ordered(catalog, dict({"e0050": 1})) is order  # equal counts, read again
    assert order.elements[0].key == "e0050" and order.with_instances == 1
    changed = catalog_ordered(catalog, {"e0050": 1, "e0070": 2})
    assert changed is not order and [e.key for e in changed.elements[:3]] == ["e0050", "e0070", "e0000"]


def test_a_search_is_filtered_once_per_order_and_follows_new_counts():
    catalog = synthetic(300)
    first = catalog_search(catalog, CatalogQuery(q="E 02"), counts={})
    again = catalog_search(catalog, CatalogQuery(q="e 02", page=2), counts={})
    order = catalog_ordered(catalog, {})
    assert list(order.searches) == [(False, ("e", "02"), "", "")]  # one filtering for both
    assert first.matched == again.matched == 112  # E 0002, E 0012 … and E 0200–0299
    moved = catalog_search(catalog, CatalogQuery(q="E 02"), counts={"e0299": 1})
    assert moved.cards[0].element.key == "e0299"  # new counts: a new order, searched afresh


def test_the_filter_options_follow_the_choice(admin_http, sandbox):
    chosen = text_of(admin_http.get("/", {"hub": "crm"}))
    assert '<option value="crm" selected>' in chosen
    assert '<option value="crm">' in text_of(admin_http.get("/"))
