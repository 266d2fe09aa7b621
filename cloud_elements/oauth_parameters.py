"""Which elements need more than apiKey, apiSecret, callbackUrl, state and scope on the OAuth URL
call (`GET|POST /elements/{key}/oauth/url`, and `/oauth/token` for OAuth1), and where the value
comes from.

The platform's element metadata does not say which configuration entry feeds the provider's
consent URL, so this one table does, each row with its source: the element's page in Cloud
Elements' documentation (repository `cloud-elements/devportal`, `docs/elements/<dir>/…`) and the
configuration entry of the same element (`sandbox/data/elements-catalog.json`, taken from the same
documentation). Churros, Cloud Elements' own platform tests, sends `siteAddress` and `subdomain`
on these calls from per-element properties (`src/core/provisioner.js`, `parseProps`).

The dashboard asks for these values on Authenticate and sends them; the sandbox requires them, as
the provider's consent URL cannot be built without them. It is plain data, with no HTTP, so the
sandbox (which stands in for the platform) reads the same table.

Left out, for want of evidence that the consent URL depends on them: elements whose page shows only
the generic `siteAddress=<url>` template (Box, Gmail, Square, …) with no such field in the table of
query parameters; elements whose site-like entries (Maximizer's datacenter, Weebly's site ID,
Ecwid's store ID, DocuSign's environment) are used after consent, not on the URL call; SugarCRM
(`sugarcrmv2`), whose site URL is a configuration value of an instance created with a username and
password and no consent page (`docs/elements/sugarcrm/sugarcrm-create-instance.md`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEVPORTAL = "cloud-elements/devportal docs/elements/"


@dataclass(frozen=True)
class OAuthParameter:
    """One extra query parameter of an element's OAuth URL call."""

    query: str  # the name on the platform's OAuth URL call
    label: str
    help: str
    # The configuration entry that holds the same value, when the element has one; without one the
    # value is only sent on the OAuth URL call, never stored in the instance's configuration.
    configuration_key: str | None = None
    required: bool = True
    source: str = ""


OAUTH_URL_PARAMETERS: dict[str, tuple[OAuthParameter, ...]] = {
    "zendesk": (OAuthParameter(
        "siteAddress", "Zendesk subdomain",
        "The part of your Zendesk address before .zendesk.com: acme for https://acme.zendesk.com.",
        "zendesk.subdomain",
        source=DEVPORTAL + "zendesk/authenticate.md: siteAddress, \"Your unique Zendesk subdomain\""),),
    "shopify": (OAuthParameter(
        "siteAddress", "Shopify site address",
        "The personal part of your myshopify.com address: acme for https://acme.myshopify.com.",
        "shopify.site.address",
        source=DEVPORTAL + "shopify/authenticate.md: oauth/url …&siteAddress=<url>; "
                           "configuration shopify.site.address"),),
    "sharepoint": (OAuthParameter(
        "siteAddress", "SharePoint site address",
        "Your SharePoint site's host, such as acme.sharepoint.com.",
        "sharepoint.site.address",
        source=DEVPORTAL + "sharepoint/sharepoint-create-instance.md: siteAddress; "
                           "docs/platform-api/elements/index.md: \"siteAddress field is required for "
                           "(Sharepoint)\""),),
    "sharefile": (OAuthParameter(
        "siteAddress", "ShareFile subdomain",
        "The part of your ShareFile address before .sharefile.com: acme for https://acme.sharefile.com.",
        "sharefile.subdomain",
        source=DEVPORTAL + "sharefile/authenticate.md: oauth/url …&siteAddress=<url>; "
                           "configuration sharefile.subdomain"),),
    "egnyte": (OAuthParameter(
        "siteAddress", "Egnyte subdomain",
        "Your Egnyte domain, between https:// and .egnyte.com: acme for https://acme.egnyte.com.",
        "subdomain",
        source=DEVPORTAL + "egnyte/authenticate.md: oauth/url …&siteAddress=<url>, \"you need to "
                           "include the subdomain\"; configuration subdomain"),),
    "revel": (OAuthParameter(
        "subdomain", "Revel subdomain",
        "The part of your Revel address before .revelup.com: acme for https://acme.revelup.com.",
        "subdomain",
        source=DEVPORTAL + "revel/authenticate.md: query parameter subdomain"),),
    "servicenowoauth": (OAuthParameter(
        "servicenow.subdomain", "ServiceNow subdomain",
        "The part of your ServiceNow address specific to you: dev1234 for https://dev1234.service-now.com.",
        "servicenow.subdomain",
        source=DEVPORTAL + "servicenow-oauth/authenticate.md: query parameter servicenow.subdomain"),),
    "clover": (OAuthParameter(
        "merchantId", "Merchant ID",
        "Your Clover merchant ID, as recorded in the API provider setup.",
        "merchantId",
        source=DEVPORTAL + "clover/authenticate.md: oauth/url …&merchantId=…"),),
    "desk": (OAuthParameter(
        "siteAddress", "Desk.com site address",
        "Your Desk.com subdomain: acme for https://acme.desk.com.",
        source=DEVPORTAL + "desk/desk-create-instance.md: siteAddress on oauth/token and oauth/url"),),
    "freshbooks": (OAuthParameter(
        "siteAddress", "FreshBooks site address",
        "Your FreshBooks Classic subdomain: acme for https://acme.freshbooks.com.",
        source=DEVPORTAL + "freshbooks/freshbooks-create-instance.md: oauth/url …&siteAddress=…"),),
    "sfdc": (OAuthParameter(
        "siteAddress", "Salesforce login address",
        "Optional: https://test.salesforce.com for a sandbox org; https://login.salesforce.com otherwise.",
        required=False,
        source=DEVPORTAL + "salesforce/salesforce-create-instance.md: siteAddress, Optional"),),
}


def oauth_url_parameters(element_key: str) -> tuple[OAuthParameter, ...]:
    return OAUTH_URL_PARAMETERS.get(element_key, ())


def missing_parameters(element_key: str, given: Mapping[str, str]) -> list[OAuthParameter]:
    """The required parameters of this element that `given` lacks or leaves blank."""
    return [p for p in oauth_url_parameters(element_key)
            if p.required and not str(given.get(p.query) or "").strip()]
