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
from .views_elements import logo_base


def _instance(instance_id: int) -> Instance:
    instance = Instance.objects.filter(pk=instance_id).first()
    if instance is None:
        raise ApiError(404, f"No instance found with id {instance_id}.")
    return instance


@api_view(("GET", "POST"))
def instances(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        created = instance_create(json_body(request))
        return json_response(instance_json(created, logo_base(request)))
    tags = [t for t in request.GET.getlist("tags[]") + request.GET.getlist("tags") if t]
    search_text = request.GET.get("searchText", "").strip()
    found = instance_search(tags=tags, search_text=search_text)
    if not found and (tags or search_text):
        raise ApiError(404, "No instances found")
    page = paginate(found, request.GET)
    base = logo_base(request)
    return json_response([instance_json(i, base) for i in page.items], headers=page.headers())


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
    return json_response(instance_json(instance, logo_base(request)))


@api_view(("PUT", "DELETE"))
def instance_enabled(request: HttpRequest, instance_id: int) -> HttpResponse:
    instance = _instance(instance_id)
    instance.disabled = request.method == "DELETE"
    instance.save(update_fields=["disabled"])
    return json_response(instance_json(instance, logo_base(request)))


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
