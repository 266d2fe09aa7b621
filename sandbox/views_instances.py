"""`/instances…`: authenticate, list, read, update, re-authenticate, delete, enable, docs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from . import catalog
from .api import ApiError, api_view, json_body, json_response
from .instances import (
    instance_create,
    instance_json,
    instance_patch,
    instance_replace,
    instance_search,
    masked_configuration,
)
from .models import Instance
from .paging import paginate
from .swagger import element_swagger


def _instance(instance_id: int) -> Instance:
    instance = Instance.objects.filter(pk=instance_id).first()
    if instance is None:
        raise ApiError(404, f"No instance found with id {instance_id}.")
    return instance


@api_view(("GET", "POST"))
def instances(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        created = instance_create(json_body(request))
        return json_response(instance_json(created))
    tags = [t for t in request.GET.getlist("tags[]") + request.GET.getlist("tags") if t]
    search_text = request.GET.get("searchText", "").strip()
    found = instance_search(tags=tags, search_text=search_text)
    # A tag that nothing has is an empty list (churros, src/test/platform/elements/instances.js,
    # "should support search tags", expects 200); a text search that matches nothing is 404.
    if not found and search_text and not tags:
        raise ApiError(404, "No instances found")
    page = paginate(found, request.GET)
    return json_response([instance_json(i) for i in page.items], headers=page.headers())


@api_view(("GET", "PATCH", "PUT", "DELETE"))
def instance_detail(request: HttpRequest, instance_id: int) -> HttpResponse:
    if request.method == "DELETE":
        # One conditional delete: of two callers racing, only the one whose delete removed the
        # row is told 200; the other finds nothing, as after any delete (404).
        _, deleted = Instance.objects.filter(pk=instance_id).delete()
        if not deleted.get(Instance._meta.label):
            raise ApiError(404, f"No instance found with id {instance_id}.")
        return HttpResponse(status=200)
    instance = _instance(instance_id)
    if request.method == "PATCH":
        instance = instance_patch(instance, json_body(request))
    elif request.method == "PUT":
        instance = instance_replace(instance, json_body(request))
    return json_response(instance_json(instance))


def _enabled_set(request: HttpRequest, instance: Instance) -> HttpResponse:
    instance.disabled = request.method == "DELETE"
    instance.save(update_fields=["disabled"])
    return json_response(instance_json(instance))


@api_view(("PUT", "DELETE"))
def instance_enabled(request: HttpRequest, instance_id: int) -> HttpResponse:
    """Churros, src/test/platform/elements/instances.js, "should allow disabling and enabling an
    instance": `DELETE` then `PUT /instances/{id}/enabled`."""
    return _enabled_set(request, _instance(instance_id))


@api_view(("PUT", "DELETE"), element_token=True)
def instance_enabled_by_token(request: HttpRequest, auth: dict) -> HttpResponse:
    """`PUT` / `DELETE /instances/enabled`: the instance is the one whose Element token the
    Authorization header carries ("To re-enable the Element instance, you can make a PUT request
    to /instances/enabled": CloudElementsOpenLabs/formulas, MonitorTheHealthOfAnElement/README.md).
    A disabled instance's token still works here, or it could never be enabled again."""
    instance = Instance.objects.filter(token=auth.get("element", "")).first()
    if instance is None:
        raise ApiError(401, "Invalid Organization or User secret, or invalid Element token provided.")
    return _enabled_set(request, instance)


@api_view(("GET",))
def instance_configuration(request: HttpRequest, instance_id: int) -> HttpResponse:
    instance = _instance(instance_id)
    element = catalog.element_find(instance.element_key)
    rows = [{"id": instance.id * 1000 + n, "key": key, "propertyValue": value}
            for n, (key, value) in enumerate(sorted(masked_configuration(instance, element).items()))]
    return json_response(rows)


@api_view(("GET",))
def instance_docs(request: HttpRequest, instance_id: int) -> HttpResponse:
    instance = _instance(instance_id)
    element = catalog.element_find(instance.element_key)
    if element is None:
        raise ApiError(404, f"No element found with key '{instance.element_key}'.")
    docs = element_swagger(element, request.get_host())
    docs["info"]["description"] += f" (instance {instance.id})"
    return json_response(docs)


@api_view(("GET", "POST", "PUT", "PATCH", "DELETE"))
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    raise ApiError(404, f"No resource found at {request.path}.")
