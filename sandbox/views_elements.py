"""`/elements…`: the catalog, one element, its docs, its OAuth URL and its instances."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from . import catalog
from .api import ApiError, api_view, json_response
from .instances import instance_json, instance_search
from .swagger import element_swagger


def logo_base(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("sandbox:home"))


def _element(key_or_id: str) -> dict:
    element = catalog.element_find(key_or_id)
    if element is None:
        raise ApiError(404, f"No element found with key or id '{key_or_id}'.")
    return element


@api_view(("GET",))
def element_list(request: HttpRequest) -> HttpResponse:
    body = catalog.element_list_json(logo_base(request))
    return json_response(None, raw=body,
                         headers={"Elements-Returned-Count": str(len(catalog.elements()))})


@api_view(("GET",))
def element_keys(request: HttpRequest) -> HttpResponse:
    return json_response([e["key"] for e in catalog.elements()])


@api_view(("GET",))
def element_detail(request: HttpRequest, key_or_id: str) -> HttpResponse:
    return json_response(catalog.with_absolute_image(_element(key_or_id), logo_base(request)))


@api_view(("GET",))
def element_docs(request: HttpRequest, key_or_id: str) -> HttpResponse:
    return json_response(element_swagger(_element(key_or_id), request.get_host()))


@api_view(("GET",))
def element_oauth_url(request: HttpRequest, key_or_id: str) -> HttpResponse:
    element = _element(key_or_id)
    if not element["typeOauth"]:
        raise ApiError(400, f"Element '{element['key']}' does not authenticate with OAuth.")
    for name in ("apiKey", "apiSecret", "callbackUrl"):
        if not request.GET.get(name, "").strip():
            raise ApiError(400, f"Missing required query parameter '{name}'.")
    callback = request.GET["callbackUrl"]
    if not callback.startswith(("http://", "https://")):
        raise ApiError(400, "Invalid 'callbackUrl': it must be an http or https URL.")
    query = {"element": element["key"], "client_id": request.GET["apiKey"],
             "redirect_uri": callback, "response_type": "code",
             "state": request.GET.get("state", "")}
    if request.GET.get("scope"):
        query["scope"] = request.GET["scope"]
    url = request.build_absolute_uri(reverse("sandbox:oauth_authorize")) + "?" + urlencode(query)
    return json_response({"oauthUrl": url, "element": element["key"]})


@api_view(("GET",))
def element_instances(request: HttpRequest, key_or_id: str) -> HttpResponse:
    element = _element(key_or_id)
    found = instance_search(tags=[], search_text="", element_key=element["key"])
    base = logo_base(request)
    return json_response([instance_json(i, base) for i in found])
