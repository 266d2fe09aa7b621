"""`/elements…`: the catalog, one element, its docs, its OAuth URL and token, and its instances."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from . import catalog
from .api import ApiError, api_view, json_body, json_response
from .instances import instance_json, instance_search
from .oauth import call_parameters, consent_url, request_token_issue
from .swagger import element_swagger


def _element(key_or_id: str) -> dict:
    element = catalog.element_find(key_or_id)
    if element is None:
        raise ApiError(404, f"No element found with key or id '{key_or_id}'.")
    return element


@api_view(("GET",))
def element_list(request: HttpRequest) -> HttpResponse:
    body = catalog.element_list_json()
    return json_response(None, raw=body,
                         headers={"Elements-Returned-Count": str(len(catalog.elements()))})


@api_view(("GET",))
def element_keys(request: HttpRequest) -> HttpResponse:
    return json_response([e["key"] for e in catalog.elements()])


@api_view(("GET",))
def element_detail(request: HttpRequest, key_or_id: str) -> HttpResponse:
    return json_response(_element(key_or_id))


@api_view(("GET",))
def element_docs(request: HttpRequest, key_or_id: str) -> HttpResponse:
    return json_response(element_swagger(_element(key_or_id), request.get_host()))


@api_view(("GET", "POST"))
def element_oauth_url(request: HttpRequest, key_or_id: str) -> HttpResponse:
    """The provider's consent URL; a POST sends the same parameters as a JSON body."""
    element = _element(key_or_id)
    params = call_parameters(request.GET, json_body(request) if request.method == "POST" else None)
    url = consent_url(element, params, request.build_absolute_uri(reverse("sandbox:oauth_authorize")))
    return json_response({"oauthUrl": url, "element": element["key"]})


@api_view(("GET",))
def element_oauth_token(request: HttpRequest, key_or_id: str) -> HttpResponse:
    """An OAuth1 request token and its secret, for `/oauth/url`'s `requestToken`."""
    found = request_token_issue(_element(key_or_id), call_parameters(request.GET, None))
    return json_response({"token": found.token, "secret": found.secret})


@api_view(("GET",))
def element_instances(request: HttpRequest, key_or_id: str) -> HttpResponse:
    element = _element(key_or_id)
    found = instance_search(tags=[], search_text="", element_key=element["key"])
    return json_response([instance_json(i) for i in found])
