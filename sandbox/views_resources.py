"""`/hubs/{hub}/{resource}[/{id}]`: an instance's element resources, called with its token.

The hub segment is ignored, as the platform ignores it, and may be left out (`/{resource}`): the
token says which element. Churros, `src/test/platform/elements/instances.js`, "should ignore any
provided hub": `hubs/crm/accounts`, `hubs/documents/accounts`, `hubs/crap/accounts` and `accounts`
answer the same.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from . import catalog
from .api import ApiError, api_view, json_body, json_response
from .ceql import where_filter
from .models import Instance, ResourceRecord
from .paging import paginate
from .resources import RESOURCE_FIELDS, ensure_seeded, next_record_id, resource_names


def _instance(auth: dict[str, str]) -> Instance:
    instance = Instance.objects.filter(token=auth.get("element", "")).first()
    if instance is None:
        raise ApiError(401, "Invalid Organization or User secret, or invalid Element token provided.")
    if instance.disabled:
        raise ApiError(403, f"The instance {instance.id} is disabled: enable it to call its resources.")
    return instance


def _resource(instance: Instance, resource: str) -> str:
    element = catalog.element_find(instance.element_key)
    if element is None or resource not in resource_names(element):
        names = ", ".join(resource_names(element)) if element else ""
        raise ApiError(404, f"No resource '{resource}' for element '{instance.element_key}'"
                            + (f"; it has: {names}." if names else "."))
    ensure_seeded(instance, resource)
    return resource


def _shown(instance: Instance, record: ResourceRecord, fields: list[str] | None = None) -> dict:
    data = {"id": record.record_id, **record.data}
    if instance.configuration.get("filter.response.nulls", "true") != "false":
        data = {k: v for k, v in data.items() if v is not None}
    if fields:
        data = {k: v for k, v in data.items() if k in fields or k == "id"}
    return data


def _headers(instance: Instance) -> dict[str, str]:
    return {"Elements-Element-Instance-Id": str(instance.id)}


def _record_body(request: HttpRequest, resource: str, *, partial: bool) -> dict:
    body = json_body(request)
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    known = {f.name for f in RESOURCE_FIELDS[resource]}
    unknown = sorted(set(body) - known - {"id"})
    if unknown:
        raise ApiError(400, f"Unknown field '{unknown[0]}' for {resource}; "
                            f"known fields: {', '.join(sorted(known))}.")
    if not partial:
        for field in RESOURCE_FIELDS[resource]:
            if field.required and body.get(field.name) in (None, ""):
                raise ApiError(400, f"Missing required field '{field.name}' for {resource}.")
    body.pop("id", None)
    return body


def _sort_key(value) -> tuple:
    """Nulls last; numbers before text, so a field holding both still sorts."""
    if value is None:
        return (2, 0, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, str(value).lower())


def _order(items: list[dict], order_by: str) -> list[dict]:
    for clause in reversed([c.strip() for c in order_by.split(",") if c.strip()]):
        field, _, direction = clause.partition(" ")
        items = sorted(items, key=lambda r: _sort_key(r.get(field)),
                       reverse=direction.strip().lower() == "desc")
    return items


@api_view(("GET", "POST"), element_token=True)
def resource_list(request: HttpRequest, resource: str, auth: dict, hub: str = "") -> HttpResponse:
    instance = _instance(auth)
    resource = _resource(instance, resource)
    records = ResourceRecord.objects.filter(instance=instance, resource=resource)
    if request.method == "POST":
        body = _record_body(request, resource, partial=False)
        with transaction.atomic():
            record = ResourceRecord.objects.create(
                instance=instance, resource=resource,
                record_id=next_record_id(instance, resource), data=body,
            )
        return json_response(_shown(instance, record), headers=_headers(instance))
    items = [{"id": r.record_id, **r.data} for r in records]
    where = request.GET.get("where", "").strip()
    if where:
        matches = where_filter(where)
        items = [r for r in items if matches(r)]
    if request.GET.get("orderBy"):
        items = _order(items, request.GET["orderBy"])
    page = paginate(items, request.GET)
    fields = [f.strip() for f in request.GET.get("fields", "").split(",") if f.strip()]
    by_id = {r.record_id: r for r in records.filter(record_id__in=[i["id"] for i in page.items])}
    shown = [_shown(instance, by_id[i["id"]], fields) for i in page.items]
    return json_response(shown, headers={**page.headers(), **_headers(instance)})


@api_view(("GET", "PATCH", "PUT", "DELETE"), element_token=True)
def resource_detail(request: HttpRequest, resource: str, record_id: int | str, auth: dict,
                    hub: str = "") -> HttpResponse:
    record_id = int(record_id)
    instance = _instance(auth)
    resource = _resource(instance, resource)
    record = ResourceRecord.objects.filter(
        instance=instance, resource=resource, record_id=record_id).first()
    if record is None:
        raise ApiError(404, f"No {resource} found with id {record_id}.")
    if request.method == "DELETE":
        record.delete()
        return HttpResponse(status=200, headers=_headers(instance))
    if request.method in ("PATCH", "PUT"):
        body = _record_body(request, resource, partial=request.method == "PATCH")
        record.data = {**record.data, **body} if request.method == "PATCH" else body
        record.save(update_fields=["data"])
    return json_response(_shown(instance, record), headers=_headers(instance))
