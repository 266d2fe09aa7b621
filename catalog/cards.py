"""Each catalog card's HTML, rendered once per catalog, instance count and role, then reused
(and the hub and auth type <option>s, once per catalog and choice).

A card shows only its element (fixed for a catalog stamp), its instance count and, for admins, an
Authenticate button: nothing of the request. Rendering 120 cards through the template engine was
two thirds of a warm catalog page; joining strings this process rendered before is not.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import quote

from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from .selectors import CatalogCard, CatalogElement, Option

# Far more than a page, far fewer than two roles × 10,000 cards × a few counts (about 1 KB each).
MAX_CARDS = 5000
_PLACEHOLDER = "element-key-placeholder"


@dataclass(frozen=True)
class CardView:
    element: CatalogElement
    instances: int | None
    instances_url: str
    authenticate_url: str


class _Memo:
    def __init__(self) -> None:
        self.stamp = ""
        self.html: dict[tuple, SafeString] = {}
        self.lock = threading.Lock()
        self.rendered = 0  # cards rendered by this process, ever (for the tests and the bench)


_memo = _Memo()


def _render(cards: list[CatalogCard], can_manage: bool) -> list[SafeString]:
    template = get_template("catalog/index.html#card")
    instances = reverse("instances:element_list", kwargs={"key": _PLACEHOLDER})
    authenticate = reverse("instances:authenticate", kwargs={"key": _PLACEHOLDER})
    html = []
    for card in cards:
        key = quote(card.element.key, safe="")
        view = CardView(element=card.element, instances=card.instances,
                        instances_url=instances.replace(_PLACEHOLDER, key),
                        authenticate_url=authenticate.replace(_PLACEHOLDER, key))
        html.append(mark_safe(template.render({"card": view, "can_manage": can_manage})))
    return html


def cards_rendered() -> int:
    """How many cards this process has rendered through the template engine so far."""
    return _memo.rendered


def cards_html(cards: list[CatalogCard], *, stamp: str, can_manage: bool) -> SafeString:
    """The HTML of these cards, in order; only those this process has not rendered yet are."""
    return mark_safe("".join(_cards(cards, stamp=stamp, can_manage=can_manage)))


def _cards(cards: list[CatalogCard], *, stamp: str, can_manage: bool) -> list[SafeString]:
    memo = _memo
    with memo.lock:
        if memo.stamp != stamp or len(memo.html) > MAX_CARDS:
            memo.stamp, memo.html = stamp, {}
        known = memo.html
    keys = [(c.element.key, c.instances, can_manage) for c in cards]
    missing = {k: c for k, c in zip(keys, cards, strict=True) if k not in known}
    if not missing:
        return [known[k] for k in keys]
    rendered = dict(zip(missing, _render(list(missing.values()), can_manage), strict=True))
    with memo.lock:
        memo.rendered += len(rendered)
        if memo.stamp == stamp:
            memo.html.update(rendered)
    return [rendered[k] if k in rendered else known[k] for k in keys]


def options_html(options: tuple[Option, ...], *, stamp: str, name: str, selected: str) -> SafeString:
    """A filter's <option>s (`name`: hub or auth), the chosen one selected."""
    key = ("options", name, selected)
    with _memo.lock:
        if _memo.stamp != stamp:
            _memo.stamp, _memo.html = stamp, {}
        html = _memo.html.get(key)
    if html is None:
        html = format_html_join("", '<option value="{}"{}>{}</option>', (
            (o.value, mark_safe(" selected") if o.value == selected else "", o.text) for o in options))
        with _memo.lock:
            if _memo.stamp == stamp:
                _memo.html[key] = html
    return html
