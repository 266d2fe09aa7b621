"""The sandbox's element catalog: the shared catalog data, filled out to full platform objects.

`sandbox/data/elements-catalog.json` holds each element's key, name, id, hub, auth type and
configuration entries (key, name, type, required). Everything else a platform element carries
is derived here, deterministically, so that every answer is the same from one run to the next.
`SANDBOX_GENERATED_ELEMENTS` adds generated elements for performance work.
"""

from __future__ import annotations

import json
import threading
import zlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings

DATA_FILE = Path(__file__).parent / "data" / "elements-catalog.json"

SECRET_TYPES = {"PASSWORD"}
LOGO_PREFIX = "elements/provider_"  # + key + ".svg", from the root of the platform's host
AUTH_TYPES = {"oauth": "oauth2"}  # the data's spellings → the platform's

HUB_WORDS = {
    "crm": "customer relationship management: contacts, accounts and deals",
    "documents": "files and folders in cloud storage",
    "general": "general-purpose data",
    "marketing": "contacts, lists and campaigns",
    "ecommerce": "orders, products and customers",
    "helpdesk": "tickets and support contacts",
    "finance": "invoices, customers and payments",
    "erp": "invoices, customers and orders",
    "payment": "payments and customers",
    "humancapital": "employees and departments",
    "employee": "employees and departments",
    "messaging": "messages and channels",
    "social": "posts and users",
    "collaboration": "messages and channels",
    "conferencing": "meetings and users",
}

# The usual entries of each auth type, for elements the data gives no configuration for.
DEFAULT_CONFIGURATION = {
    "basic": [
        {"key": "username", "name": "Username", "type": "TEXTFIELD_128", "required": True},
        {"key": "password", "name": "Password", "type": "PASSWORD", "required": True},
    ],
    "oauth2": [
        {"key": "oauth.api.key", "name": "API Key", "type": "TEXTFIELD_128", "required": True},
        {"key": "oauth.api.secret", "name": "API Secret", "type": "PASSWORD", "required": True},
        {"key": "oauth.callback.url", "name": "Callback URL", "type": "TEXTFIELD_1000",
         "required": True},
    ],
    "oauth1": [
        {"key": "oauth.api.key", "name": "Consumer Key", "type": "TEXTFIELD_128", "required": True},
        {"key": "oauth.api.secret", "name": "Consumer Secret", "type": "PASSWORD", "required": True},
        {"key": "oauth.callback.url", "name": "Callback URL", "type": "TEXTFIELD_1000",
         "required": True},
    ],
    "apiKey": [
        {"key": "api.key", "name": "API Key", "type": "PASSWORD", "required": True},
    ],
    "custom": [
        {"key": "api.key", "name": "API Key", "type": "PASSWORD", "required": True},
        {"key": "subdomain", "name": "Subdomain", "type": "TEXTFIELD_128", "required": False},
    ],
}

DEFAULTS = {
    "filter.response.nulls": "true",
    "event.notification.enabled": "false",
    "event.vendor.type": "polling",
    "event.poller.refresh_interval": "15",
}
COMBO_OPTIONS = {
    "event.vendor.type": [
        {"value": "polling", "description": "Polling"},
        {"value": "webhook", "description": "Webhook"},
    ],
}
HELP = {
    "oauth.api.key": "The client ID of your app registered with the provider.",
    "oauth.api.secret": "The client secret of your app registered with the provider.",
    "oauth.callback.url": "Where the provider sends the user back after consent.",
    "oauth.scope": "The permissions to ask the provider for, separated by spaces.",
    "event.notification.enabled": "Send events when the provider's data changes.",
    "event.vendor.type": "Polling asks the provider on a schedule; webhooks are pushed by it.",
    "event.notification.callback.url": "Where events are delivered (your app's URL).",
    "event.poller.refresh_interval": "How often to poll, in minutes.",
    "event.poller.configuration": "JSON: per object, the URL to poll and its date fields.",
    "event.notification.signature.key": "Signs each event so your app can verify it.",
    "filter.response.nulls": "Leave null fields out of responses.",
}


def _checksum(text: str) -> int:
    return zlib.crc32(text.encode())


def _is_secret_entry(entry: dict) -> bool:
    return str(entry.get("type", "")).upper() in SECRET_TYPES


def _configuration(element_id: int, auth_type: str, name: str, entries: list[dict]) -> list[dict]:
    entries = entries or DEFAULT_CONFIGURATION.get(auth_type, DEFAULT_CONFIGURATION["custom"])
    full = []
    for order, entry in enumerate(entries, start=1):
        key = entry["key"]
        config_type = entry.get("type") or "TEXTFIELD_128"
        if key in COMBO_OPTIONS:
            config_type = "COMBO"
        item = {
            "id": element_id * 100 + order,
            "name": entry.get("name") or key,
            "key": key,
            "description": HELP.get(key) or f"{entry.get('name') or key} for {name}",
            "defaultValue": DEFAULTS.get(key, ""),
            "resellerConfig": False,
            "companyConfig": False,
            "active": True,
            "internal": False,
            "groupControl": False,
            "displayOrder": order,
            "type": config_type,
            "hideFromConsole": False,
            "required": bool(entry.get("required")),
        }
        if config_type == "COMBO":
            item["options"] = COMBO_OPTIONS.get(key) or [
                {"value": "true", "description": "Yes"}, {"value": "false", "description": "No"}
            ]
        full.append(item)
    return full


def _element(raw: dict) -> dict:
    key = raw["key"]
    name = raw["name"]
    hub = raw.get("hub") or "general"
    auth_type = AUTH_TYPES.get(raw.get("authType"), raw.get("authType") or "custom")
    checksum = _checksum(key)
    about = HUB_WORDS.get(hub, f"{hub} data")
    return {
        "id": int(raw["id"]),
        "name": name,
        "key": key,
        "description": f"Connect to {name} through one uniform API: {about}.",
        # Relative to the platform's host, as the platform gives it ("elements/provider_sfdc.png"
        # in devportal's docs/platform-api/instances/index.md); served by sandbox/urls_logos.py.
        "image": f"{LOGO_PREFIX}{key}.svg",
        "active": True,
        "deleted": False,
        "typeOauth": auth_type.startswith("oauth"),
        "trialAccount": False,
        "configuration": _configuration(int(raw["id"]), auth_type, name, raw.get("configuration")),
        "resources": [],
        "transformationsEnabled": True,
        "bulkDownloadEnabled": hub in ("crm", "marketing", "helpdesk", "ecommerce"),
        "bulkUploadEnabled": hub in ("crm", "marketing"),
        "cloneable": True,
        "extendable": True,
        "beta": checksum % 11 == 0,
        "authentication": {"type": auth_type},
        "extended": False,
        "hub": hub,
        "protocolType": "http",
        "parameters": [],
        "private": checksum % 17 == 0,
    }


def _generated(index: int, base: list[dict]) -> dict:
    """A made-up element modelled on a real one, for catalogs of 1,000 or 10,000 elements."""
    model = base[index % len(base)]
    raw = {
        "key": f"{model['key']}-gen{index}",
        "name": f"{model['name']} Gen {index}",
        "id": 100_000 + index,
        "hub": model["hub"],
        "authType": model["authentication"]["type"],
        "configuration": [
            {k: c[k] for k in ("key", "name", "type", "required")} for c in model["configuration"]
        ],
    }
    return _element(raw)


@lru_cache(maxsize=4)
def _elements(generated: int) -> tuple[dict, ...]:
    raw = json.loads(DATA_FILE.read_text())
    base = [_element(r) for r in raw]
    extra = [_generated(i, base) for i in range(max(0, generated))]
    return tuple(base + extra)


def elements() -> tuple[dict, ...]:
    return _elements(settings.SANDBOX_GENERATED_ELEMENTS)


@lru_cache(maxsize=4)
def _index(generated: int) -> tuple[dict[str, dict], dict[int, dict]]:
    items = _elements(generated)
    return {e["key"]: e for e in items}, {e["id"]: e for e in items}


def element_find(key_or_id: str) -> dict | None:
    """A number is an id, anything else a key, as the platform reads it."""
    by_key, by_id = _index(settings.SANDBOX_GENERATED_ELEMENTS)
    if key_or_id.isdigit():
        return by_id.get(int(key_or_id))
    return by_key.get(key_or_id)


_json_cache: dict[int, bytes] = {}
_json_lock = threading.Lock()


def element_list_json() -> bytes:
    """`GET /elements` answered from bytes built once per catalog size: fast at 10,000."""
    cache_key = settings.SANDBOX_GENERATED_ELEMENTS
    body = _json_cache.get(cache_key)
    if body is None:
        body = json.dumps(list(elements()), separators=(",", ":")).encode()
        with _json_lock:
            if len(_json_cache) > 16:
                _json_cache.clear()
            _json_cache[cache_key] = body
    return body


def element_summary(element: dict) -> dict:
    """The element as an instance carries it."""
    keys = ("id", "name", "key", "description", "image", "active", "deleted", "typeOauth",
            "trialAccount", "hub", "authentication", "beta", "private", "protocolType")
    return {k: element[k] for k in keys}


def secret_keys(element: dict) -> set[str]:
    return {c["key"] for c in element["configuration"] if _is_secret_entry(c)}


def hub_color(key: str) -> str:
    palette = ["#2563eb", "#7c3aed", "#db2777", "#ea580c", "#16a34a", "#0891b2", "#4f46e5",
               "#b45309", "#0d9488", "#9333ea", "#dc2626", "#0284c7"]
    return palette[_checksum(key) % len(palette)]
