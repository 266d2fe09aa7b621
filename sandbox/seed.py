"""The sandbox's starting state: a few instances with tags, so the demo opens on a lived-in console."""

from __future__ import annotations

import secrets

from django.db import transaction

from . import catalog
from .faults import fault_clear
from .models import Instance, OAuthCode, OAuthRequestToken

SAMPLES = (
    ("mixpanel", "Mixpanel – product analytics", ["analytics", "production"],
     {"username": "demo-mixpanel-secret"}),
    ("mixpanel", "Mixpanel – staging", ["analytics", "staging"],
     {"username": "demo-mixpanel-staging"}),
    ("sfdc", "Salesforce – sales team", ["crm", "production"],
     {"oauth.api.key": "demo-sfdc-app", "oauth.api.secret": "demo-sfdc-secret",
      "oauth.callback.url": "http://127.0.0.1:8000/oauth/callback/",
      "filter.response.nulls": "true", "event.notification.enabled": "false"}),
    ("hubspotcrm", "HubSpot CRM – marketing", ["crm", "marketing"],
     {"authentication.type": "oauth2", "create.bulk.properties": "false",
      "oauth.callback.url": "http://127.0.0.1:8000/oauth/callback/",
      "oauth.api.key": "demo-hubspot-app", "oauth.api.secret": "demo-hubspot-secret",
      "hubspot.authorization.apikey": "demo-hubspot-key", "event.notification.enabled": "true",
      "event.vendor.type": "polling", "event.poller.refresh_interval": "15"}),
    ("abbyy", "ABBYY – invoice scanning", ["finance"],
     {"username": "ocr-bot", "password": "demo-abbyy-password"}),
    ("zendesk", "Zendesk – support desk", ["support", "production"], None),
)


@transaction.atomic
def sandbox_reset() -> list[Instance]:
    Instance.objects.all().delete()
    OAuthCode.objects.all().delete()
    OAuthRequestToken.objects.all().delete()
    fault_clear()
    created = []
    for key, name, tags, configuration in SAMPLES:
        element = catalog.element_find(key)
        if element is None:
            continue
        if configuration is None:
            configuration = {c["key"]: c["defaultValue"] or f"demo-{key}-{c['key']}"
                             for c in element["configuration"] if c["required"]}
        created.append(Instance.objects.create(
            name=name, element_key=key, tags=tags, configuration=configuration,
            token=secrets.token_urlsafe(32),
        ))
    return created
