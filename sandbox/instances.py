"""Instances as the platform keeps them: validation, the provider's check, OAuth codes, JSON."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.html import strip_tags

from . import catalog
from .api import ApiError
from .models import Instance, OAuthCode
from .oauth import ACCESS_KEYS, INVALID_SECRET, exchanged_keys, request_token_redeem
from .oauth_codes import oauth_code_expired

MASK = "********"
SANDBOX_USER = {"id": 1, "emailAddress": "sandbox@example.com", "firstName": "Sandbox",
                "lastName": "User"}
# Keys that hold credentials whatever their metadata type says. The app's `oauth.api.key` is one:
# churros (src/test/platform/elements/instances.js, "should support using filter.response.nulls")
# expects both `oauth.api.key` and `oauth.api.secret` to come back as "********".
SECRET_KEYS = {"oauth.api.key", "oauth.api.secret", "password", "api.key",
               "event.notification.signature.key"}


def element_of(body: dict) -> dict:
    ref = body.get("element")
    if not isinstance(ref, dict) or not (ref.get("key") or ref.get("id")):
        raise ApiError(400, "'element' is required: give the element's key, e.g. "
                            '{"element": {"key": "mixpanel"}}.')
    element = catalog.element_find(str(ref.get("key") or ref.get("id")))
    if element is None:
        raise ApiError(404, f"No element found with key or id '{ref.get('key') or ref.get('id')}'.")
    return element


def secret_keys(element: dict) -> set[str]:
    return catalog.secret_keys(element) | (SECRET_KEYS & {c["key"] for c in element["configuration"]})


def _as_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _clean_name(value: Any) -> str:
    name = strip_tags(str(value or "")).strip()
    if not name:
        raise ApiError(400, "'name' is required: give the instance a name.")
    return name[:200]


def _clean_tags(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(t, (str, int, float)) for t in value):
        raise ApiError(400, "'tags' must be an array of strings.")
    tags = []
    for tag in value:
        text = strip_tags(str(tag)).strip()
        if text and text not in tags:
            tags.append(text[:100])
    return tags


def _configuration(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ApiError(400, "'configuration' must be an object of configuration keys and values.")
    return {str(k): _as_string(v) for k, v in value.items()}


def _validate_configuration(element: dict, configuration: dict[str, str],
                            exchanged: frozenset[str] = frozenset()) -> None:
    """`exchanged`: keys the OAuth exchange fills in, not the caller."""
    for entry in element["configuration"]:
        if entry["required"] and not entry["hideFromConsole"] and entry["key"] not in exchanged:
            if not configuration.get(entry["key"], "").strip():
                raise ApiError(400, f"Missing required configuration '{entry['key']}' "
                                    f"({entry['name']}) for element '{element['key']}'.")
    if configuration.get("event.notification.enabled") == "true":
        vendor = configuration.get("event.vendor.type", "polling")
        if vendor not in ("polling", "webhook"):
            raise ApiError(400, "Invalid 'event.vendor.type': use 'polling' or 'webhook'.")
        if vendor == "webhook" and not configuration.get("event.notification.callback.url"):
            raise ApiError(400, "Missing 'event.notification.callback.url': webhooks need a "
                                "callback URL.")
        poller = configuration.get("event.poller.configuration", "").strip()
        if poller:
            try:
                json.loads(poller)
            except ValueError:
                raise ApiError(400, "Invalid 'event.poller.configuration': it must be JSON.") from None
        interval = configuration.get("event.poller.refresh_interval", "").strip()
        if interval and not (interval.isdigit() and int(interval) >= 1):
            raise ApiError(400, "Invalid 'event.poller.refresh_interval': minutes, a whole "
                                "number of at least 1.")


def _provider_check(element: dict, configuration: dict[str, str]) -> None:
    """The 'provider' refuses credentials whose secret is `invalid`, as a real vendor would."""
    for key in sorted(secret_keys(element)):
        if configuration.get(key, "").strip().lower() == INVALID_SECRET:
            label = next((c["name"] for c in element["configuration"] if c["key"] == key), key)
            raise ApiError(
                400,
                f"Failed to authenticate the instance: {element['name']} rejected the credentials.",
                provider_message=f"401 Unauthorized: the {label} you provided is not valid.",
            )


def _redeem_code(element: dict, configuration: dict[str, str], provider_data: Any) -> None:
    code = provider_data.get("code") if isinstance(provider_data, dict) else None
    if not code:
        raise ApiError(400, f"'providerData.code' is required to authenticate {element['name']}: "
                            f"get one through GET /elements/{element['key']}/oauth/url.")
    with transaction.atomic():
        found = OAuthCode.objects.select_for_update().filter(code=str(code)).first()
        callback = configuration.get("oauth.callback.url") or (found.redirect_uri if found else "")
        if (found is None or found.used or oauth_code_expired(found)
                or found.element_key != element["key"]
                or found.api_key != configuration.get("oauth.api.key", "")
                or found.redirect_uri != callback):
            raise ApiError(400, f"Failed to exchange the OAuth code with {element['name']}.",
                           provider_message="invalid_grant: the authorization code is invalid, "
                                            "expired, already used, or was issued to another app.")
        found.used = True
        found.save(update_fields=["used"])


def _needs_code(element: dict) -> bool:
    return element["authentication"]["type"] == "oauth2"


def instance_create(body: Any) -> Instance:
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    element = element_of(body)
    name = _clean_name(body.get("name"))
    # A new instance is tagged with its own (sanitised) name: churros, src/test/platform/elements/
    # instances.js, "should sanitize element instance tags on create and update" (tags[0]).
    tags = _clean_tags([name, *_clean_tags(body.get("tags"))])
    configuration = _configuration(body.get("configuration"))
    for entry in element["configuration"]:
        if entry["defaultValue"] and entry["key"] not in configuration:
            configuration[entry["key"]] = entry["defaultValue"]
    _validate_configuration(element, configuration, exchanged_keys(element))
    _provider_check(element, configuration)
    if _needs_code(element):
        _redeem_code(element, configuration, body.get("providerData"))
    elif exchanged_keys(element):
        configuration.update(request_token_redeem(element, configuration, body.get("providerData")))
    return Instance.objects.create(
        name=name, element_key=element["key"], tags=tags, configuration=configuration,
        token=secrets.token_urlsafe(32),
    )


def instance_replace(instance: Instance, body: Any) -> Instance:
    """PUT: the configuration sent replaces the stored one, and the provider checks it again.

    Whether the platform keeps a key the PUT leaves out is not documented (devportal's
    docs/platform-api/instances/index.md shows a PUT of name and tags only; churros always PUTs
    the whole configuration), so the sandbox takes the strict reading: a body without
    `configuration` keeps the stored one, a body with one replaces it (element defaults filled in
    as on create), and a value of "********" is stored as the text it is, not as "keep".
    """
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    element = catalog.element_find(instance.element_key)
    if body.get("element"):
        given = element_of(body)
        if given["key"] != instance.element_key:
            raise ApiError(400, f"An instance of '{instance.element_key}' cannot become an "
                                f"instance of '{given['key']}'.")
    if "configuration" in body:
        configuration = _configuration(body.get("configuration"))
        for entry in element["configuration"]:
            if entry["defaultValue"] and entry["key"] not in configuration:
                configuration[entry["key"]] = entry["defaultValue"]
        # What an OAuth1 exchange gave the platform is its own, not the caller's to resend.
        for key in exchanged_keys(element) & set(instance.configuration):
            configuration.setdefault(key, instance.configuration[key])
    else:
        configuration = dict(instance.configuration)
    _validate_configuration(element, configuration, exchanged_keys(element))
    _provider_check(element, configuration)
    provider_data = body.get("providerData")
    if _needs_code(element) and isinstance(provider_data, dict) and provider_data.get("code"):
        _redeem_code(element, configuration, provider_data)
    elif exchanged_keys(element) and isinstance(provider_data, dict) and provider_data.get("oauth_token"):
        configuration.update(request_token_redeem(element, configuration, provider_data))
    if "name" in body:
        instance.name = _clean_name(body.get("name"))
    if "tags" in body:
        instance.tags = _clean_tags(body.get("tags"))
    instance.configuration = configuration
    instance.valid = True
    instance.save()
    return instance


def instance_patch(instance: Instance, body: Any) -> Instance:
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    if "name" in body:
        instance.name = _clean_name(body.get("name"))
    if "tags" in body:
        instance.tags = _clean_tags(body.get("tags"))
    instance.save(update_fields=["name", "tags"])
    return instance


def masked_configuration(instance: Instance, element: dict | None) -> dict[str, str]:
    hidden = (secret_keys(element) | ACCESS_KEYS) if element else set(instance.configuration)
    return {k: (MASK if k in hidden and v else v) for k, v in instance.configuration.items()}


def instance_json(instance: Instance) -> dict:
    element = catalog.element_find(instance.element_key)
    summary = (catalog.element_summary(element) if element
               else {"key": instance.element_key, "name": instance.element_key})
    configuration = masked_configuration(instance, element)
    return {
        "id": instance.id,
        "name": instance.name,
        "createdDate": instance.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "token": instance.token,
        "element": summary,
        "elementId": summary.get("id", 0),
        "tags": list(instance.tags),
        "provisionInteractions": [],
        "valid": instance.valid,
        "disabled": instance.disabled,
        "maxCacheSize": 0,
        "cacheTimeToLive": 0,
        "configuration": configuration,
        "eventsEnabled": configuration.get("event.notification.enabled") == "true",
        "traceLoggingEnabled": False,
        "cachingEnabled": False,
        "externalAuthentication": "none",
        "user": dict(SANDBOX_USER),
    }


def instance_search(*, tags: list[str], search_text: str, element_key: str | None = None):
    instances = Instance.objects.all()
    if element_key:
        instances = instances.filter(element_key=element_key)
    if search_text:
        # The name or the element key: devportal, _posts/2018-04-23-ReleaseNotes-2.163.md.
        instances = instances.filter(Q(name__icontains=search_text)
                                     | Q(element_key__icontains=search_text))
    found = list(instances)
    if tags:
        found = [i for i in found if all(t in i.tags for t in tags)]
    return found
