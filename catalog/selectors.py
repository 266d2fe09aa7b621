"""The element catalog: one upstream call, cached as a slim projection, filtered here in Python.

The platform's `GET /elements` answers the whole catalog (no paging, no search), and each element
object is large (configuration metadata, resources…). The catalog page needs eight fields of it,
so the cache holds only those, sorted by name, with each element's search text ready. A catalog of
10,000 elements is a few MB in the cache and a few milliseconds to filter.

A process also keeps the last catalog it read from the cache, tagged with a stamp; a request then
only reads the stamp (a few bytes) from the cache instead of unpickling the whole catalog.
`catalog_refresh()` changes the stamp, so every process, on every app server, reads it again.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from cloud_elements import CloudElementsError, as_bool, element_auth_type, get_client, host_root, image_url

log = logging.getLogger(__name__)

CATALOG_CACHE_KEY = "catalog:elements:v1"
STAMP_CACHE_KEY = "catalog:stamp:v1"
PAGE_SIZE = 120
# A page without JavaScript (?page=N) shows at most this many cards, the last ones asked for.
MAX_PAGE_CARDS = 1200
MAX_QUERY_LENGTH = 200
# Searches remembered per catalog order (each at most a tuple of the catalog's references).
MAX_SEARCHES = 64

AUTH_LABELS = {
    "oauth2": "OAuth 2",
    "oauth1": "OAuth 1",
    "basic": "Basic",
    "apiKey": "API key",
    "custom": "Custom",
}


def element_initials(name: str, key: str) -> str:
    """What a logo that is missing or fails shows, on every page: "Close.io" → "CI", "Mixpanel" → "M"."""
    words = name.replace("-", " ").replace(".", " ").split()
    letters = "".join(w[0] for w in words[:2] if w[0].isalnum()) or key[:2]
    return letters.upper()


class CatalogElement(NamedTuple):
    """What a catalog card shows of one element.

    A named tuple: 10,000 of them are built from plain tuples in C when a worker unpickles the
    cached catalog, where a frozen dataclass costs a Python call and nine setattrs each.
    """

    key: str
    name: str
    hub: str
    auth_type: str
    image: str
    beta: bool
    private: bool
    id: int | None
    search_text: str  # name and key, case-folded

    @property
    def initials(self) -> str:
        return element_initials(self.name, self.key)

    @property
    def auth_label(self) -> str:
        return AUTH_LABELS.get(self.auth_type, self.auth_type)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int

    @property
    def text(self) -> str:
        """"CRM (1,234)": what floatformat:"g" writes in English, without a filter per option."""
        return f"{self.label} ({self.count:,})"


@dataclass(frozen=True)
class Catalog:
    elements: tuple[CatalogElement, ...]  # sorted by name
    hubs: tuple[Option, ...]
    auth_types: tuple[Option, ...]
    fetched_at: datetime
    stamp: str
    # Set when the platform could not be read and this is the last catalog this process had.
    unreachable: str = ""

    def __reduce__(self):
        # Pickled (into the shared cache) as plain tuples, which a worker unpickles in C, rather
        # than as 10,000 objects each rebuilt by a Python call.
        rows = tuple(map(tuple, self.elements))
        return _catalog_from_rows, (rows, self.hubs, self.auth_types, self.fetched_at, self.stamp,
                                    self.unreachable)


def _catalog_from_rows(rows, hubs, auth_types, fetched_at, stamp, unreachable) -> Catalog:
    return Catalog(elements=tuple(map(CatalogElement._make, rows)), hubs=hubs,
                   auth_types=auth_types, fetched_at=fetched_at, stamp=stamp, unreachable=unreachable)


def _element_id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _project(element: Mapping, image_root: str) -> CatalogElement | None:
    key = str(element.get("key") or "").strip()
    if not key:
        return None
    name = str(element.get("name") or key).strip()
    return CatalogElement(
        key=key,
        name=name,
        hub=str(element.get("hub") or "").strip(),
        auth_type=element_auth_type(element),
        image=image_url(element.get("image"), image_root),
        beta=as_bool(element.get("beta")),
        private=as_bool(element.get("private")),
        id=_element_id(element.get("id")),
        search_text=f"{name}\n{key}".casefold(),
    )


def _options(values: Iterable[str], labels: Mapping[str, str] | None = None) -> tuple[Option, ...]:
    counts = Counter(v for v in values if v)
    labels = labels or {}
    options = (Option(value=v, label=labels.get(v, v), count=n) for v, n in counts.items())
    return tuple(sorted(options, key=lambda o: o.label.casefold()))


def catalog_build(raw_elements: Iterable[Mapping], *, base_url: str = "") -> Catalog:
    """The slim, sorted projection of `GET /elements` (public for the tests and the bench); logos'
    relative paths are resolved on `base_url`'s host."""
    by_key: dict[str, CatalogElement] = {}
    image_root = host_root(base_url)
    for raw in raw_elements:
        element = _project(raw, image_root) if isinstance(raw, Mapping) else None
        if element is not None and element.key not in by_key:
            by_key[element.key] = element
    elements = tuple(sorted(by_key.values(), key=lambda e: (e.name.casefold(), e.key)))
    return Catalog(
        elements=elements,
        hubs=_options(e.hub for e in elements),
        auth_types=_options((e.auth_type for e in elements), AUTH_LABELS),
        fetched_at=timezone.now(),
        stamp=uuid.uuid4().hex,
    )


_memo: Catalog | None = None
_build_lock = threading.Lock()
REBUILD_LOCK_KEY = "catalog:rebuilding:v1"
REBUILD_LOCK_SECONDS = 60
FAILED_CACHE_KEY = "catalog:failed:v1"
RETRY_AFTER_FAILURE_SECONDS = 15


def _cached(stamp: str | None) -> Catalog | None:
    """This process's memo or the shared cache's catalog, if it is the current one."""
    global _memo
    if stamp is None:
        return None
    memo = _memo
    if memo is not None and memo.stamp == stamp:
        return memo
    catalog = cache.get(CATALOG_CACHE_KEY)
    if catalog is not None and catalog.stamp == stamp:
        _memo = catalog
        return catalog
    return None


def catalog_get() -> Catalog:
    """The catalog: from this process's memo, the shared cache, or one upstream call.

    One thread per process, and one process across app servers, reads the platform at a time; while
    another process reads it, a process that already has a catalog serves that one meanwhile.
    Raises CloudElementsError when the platform has to be asked and fails.
    """
    global _memo
    catalog = _cached(cache.get(STAMP_CACHE_KEY))
    if catalog is not None:
        return catalog
    with _build_lock:
        catalog = _cached(cache.get(STAMP_CACHE_KEY))  # another thread may have read it meanwhile
        if catalog is not None:
            return catalog
        if _memo is not None and cache.get(FAILED_CACHE_KEY):
            return replace(_memo, unreachable=cache.get(FAILED_CACHE_KEY))
        locked = cache.add(REBUILD_LOCK_KEY, "1", REBUILD_LOCK_SECONDS)
        if not locked and _memo is not None:
            return _memo
        try:
            client = get_client()
            catalog = catalog_build(client.element_stream(), base_url=client.base_url)
            cache.set_many({CATALOG_CACHE_KEY: catalog, STAMP_CACHE_KEY: catalog.stamp},
                           settings.CATALOG_CACHE_SECONDS)
        except CloudElementsError as exc:
            if _memo is None:
                raise
            # The platform is down: the catalog this process has beats an error page, and one
            # try per interval beats every request waiting on its timeouts.
            log.warning("Catalog read failed (%s); serving the one read at %s",
                        type(exc).__name__, _memo.fetched_at.isoformat())
            cache.set(FAILED_CACHE_KEY, exc.user_message, RETRY_AFTER_FAILURE_SECONDS)
            return replace(_memo, unreachable=exc.user_message)
        finally:
            if locked:
                cache.delete(REBUILD_LOCK_KEY)
        _memo = catalog
        return catalog


def catalog_forget() -> None:
    """Drop the cached catalog in every process; the next read asks the platform again.

    This process keeps its last catalog only to serve it while the platform cannot be read.
    """
    cache.delete_many([STAMP_CACHE_KEY, CATALOG_CACHE_KEY, FAILED_CACHE_KEY])


def catalog_memo_clear() -> None:
    """Forget this process's last catalog too (tests, which start each from nothing)."""
    global _memo
    _memo = None


# --- the page's view of it --------------------------------------------------------------

@dataclass(frozen=True)
class CatalogQuery:
    """The catalog page's state, all of it in the URL: ?q=…&hub=…&auth=…&with_instances=1&page=2"""

    q: str = ""
    hub: str = ""
    auth: str = ""
    with_instances: bool = False
    page: int = 1

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> CatalogQuery:
        try:
            page = int(query.get("page") or 1)
        except ValueError:
            page = 1
        return cls(
            q=" ".join((query.get("q") or "").split())[:MAX_QUERY_LENGTH],
            hub=(query.get("hub") or "").strip()[:100],
            auth=(query.get("auth") or "").strip()[:100],
            with_instances=(query.get("with_instances") or "") in ("1", "on", "true", "yes"),
            page=max(1, min(page, 10_000)),
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.hub or self.auth or self.with_instances)

    def params(self, *, page: int | None = None) -> dict[str, str]:
        """The query of this state, without empty fields; page only when past the first."""
        data = {"q": self.q, "hub": self.hub, "auth": self.auth,
                "with_instances": "1" if self.with_instances else ""}
        page = self.page if page is None else page
        if page > 1:
            data["page"] = str(page)
        return {k: v for k, v in data.items() if v}


@dataclass(frozen=True)
class CatalogCard:
    element: CatalogElement
    instances: int | None  # None: the counts could not be read


@dataclass(frozen=True)
class CatalogResult:
    cards: list[CatalogCard]  # the cards of this chunk (or of every page up to this one)
    matched: int
    total: int
    page: int
    first: int  # the position of the first card of this answer, from 1
    windowed: bool  # a page without JavaScript that leaves out the first cards (MAX_PAGE_CARDS)
    shown: int  # cards on the page once this chunk is in
    has_more: bool


@dataclass(frozen=True, slots=True)
class CatalogOrder:
    """The catalog's elements as the page lists them: those with instances first, each part by name."""

    elements: tuple[CatalogElement, ...]
    with_instances: int  # how many come first
    # What recent searches matched in this order: typing a query, users ask the same prefixes.
    searches: dict = field(default_factory=dict, compare=False, repr=False)


_order_memo: tuple[tuple, CatalogOrder] | None = None


def catalog_ordered(catalog: Catalog, counts: Mapping[str, int] | None) -> CatalogOrder:
    """The catalog in the page's order, sorted once per catalog and counts, not per request.

    Filtering keeps this order, so a search needs no sort of its own.
    """
    global _order_memo
    version = (catalog.stamp, None if counts is None else frozenset(counts.items()))
    memo = _order_memo
    if memo is not None and memo[0] == version:
        return memo[1]
    counts = counts or {}
    first = tuple(e for e in catalog.elements if counts.get(e.key))
    order = CatalogOrder(elements=first + tuple(e for e in catalog.elements if not counts.get(e.key)),
                         with_instances=len(first))
    _order_memo = (version, order)
    return order


def _filtered(
    elements: tuple[CatalogElement, ...], terms: list[str], hub: str, auth: str
) -> list[CatalogElement]:
    """One plain comprehension per condition: the fastest way through 10,000 in CPython."""
    matched: list[CatalogElement] | tuple[CatalogElement, ...] = elements
    if hub:
        matched = [e for e in matched if e.hub == hub]
    if auth:
        matched = [e for e in matched if e.auth_type == auth]
    for term in terms:  # every word has to be in the name or the key
        matched = [e for e in matched if term in e.search_text]
    return list(matched)


def catalog_search(
    catalog: Catalog,
    query: CatalogQuery,
    *,
    counts: Mapping[str, int] | None,
    chunk_only: bool = False,
    page_size: int = PAGE_SIZE,
) -> CatalogResult:
    """Filter, order (elements with instances first, then by name) and cut one page.

    `chunk_only`: just the cards of `query.page` (htmx's "Show more"); otherwise every card up to
    it, so that `?page=3` without JavaScript shows what three "Show more" clicks would (at most
    `MAX_PAGE_CARDS` of them, so that no address renders 10,000 cards at once).
    """
    order = catalog_ordered(catalog, counts)
    terms = query.q.casefold().split()
    search = (query.with_instances, tuple(terms), query.hub, query.auth)
    matched = order.searches.get(search)
    if matched is None:
        elements = order.elements[:order.with_instances] if query.with_instances else order.elements
        matched = tuple(_filtered(elements, terms, query.hub, query.auth))
        if len(order.searches) >= MAX_SEARCHES:
            order.searches.clear()
        order.searches[search] = matched
    last_page = max(1, -(-len(matched) // page_size))
    page = min(query.page, last_page)
    end = page * page_size
    start = (page - 1) * page_size if chunk_only else max(0, end - max(MAX_PAGE_CARDS, page_size))
    cards = [
        CatalogCard(element=e, instances=None if counts is None else counts.get(e.key, 0))
        for e in matched[start:end]
    ]
    return CatalogResult(
        cards=cards,
        matched=len(matched),
        total=len(catalog.elements),
        page=page,
        first=start + 1,
        windowed=not chunk_only and start > 0,
        shown=min(end, len(matched)),
        has_more=end < len(matched),
    )
