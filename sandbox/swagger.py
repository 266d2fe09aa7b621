"""Swagger 2.0 of an element's resources, shaped as the platform publishes it."""

from __future__ import annotations

from .resources import RESOURCE_FIELDS, example_record, resource_names

ERRORS = {
    "400": "Bad Request - a parameter or the body is invalid",
    "401": "Unauthorized - invalid secrets or token",
    "403": "Forbidden - the instance is disabled",
    "404": "Not Found - no such object",
    "405": "Method not allowed",
    "406": "Not acceptable",
    "409": "Conflict",
    "415": "Unsupported media type",
    "500": "Server error",
    "502": "Provider error",
}
TYPES = {"date-time": ("string", "date-time"), "email": ("string", "email")}


def _singular(resource: str) -> str:
    if resource.endswith("ies"):
        return resource[:-3] + "y"
    return resource[:-1] if resource.endswith("s") else resource


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeio' else 'a'} {word}"  # a user, an account


def _model(resource: str) -> str:
    return "".join(part.capitalize() for part in _singular(resource).split("-"))


def _auth_param() -> dict:
    return {"name": "Authorization", "in": "header", "required": True, "type": "string",
            "description": "User <user secret>, Organization <organization secret>, "
                           "Element <token>"}


def _responses(schema: dict | None) -> dict:
    responses = {"200": {"description": "OK", **({"schema": schema} if schema else {})}}
    responses.update({code: {"description": text} for code, text in ERRORS.items()})
    return responses


def _definition(resource: str) -> dict:
    properties = {}
    example = example_record(resource)
    for field in RESOURCE_FIELDS[resource]:
        swagger_type, fmt = TYPES.get(field.type, (field.type, None))
        prop = {"type": swagger_type}
        if fmt:
            prop["format"] = fmt
        if field.name in example:
            prop["example"] = example[field.name]
        properties[field.name] = prop
    required = [f.name for f in RESOURCE_FIELDS[resource] if f.required]
    return {"type": "object", "required": required,
            "properties": {"id": {"type": "integer", "format": "int64", "readOnly": True},
                           **properties}}


def _operations(resource: str) -> dict[str, dict]:
    model = _model(resource)
    ref = {"$ref": f"#/definitions/{model}"}
    title = resource.capitalize()
    singular = _singular(resource)
    id_param = {"name": "id", "in": "path", "required": True, "type": "integer",
                "description": f"The {singular}'s id"}
    body = {"name": "body", "in": "body", "required": True, "schema": ref,
            "description": f"The {singular}"}
    listing = [
        _auth_param(),
        {"name": "where", "in": "query", "required": False, "type": "string",
         "description": "CEQL search expression, e.g. city = 'Berlin'"},
        {"name": "orderBy", "in": "query", "required": False, "type": "string",
         "description": "A field, optionally followed by asc or desc"},
        {"name": "fields", "in": "query", "required": False, "type": "string",
         "description": "Comma-separated fields to return"},
        {"name": "page", "in": "query", "required": False, "type": "integer", "default": 1},
        {"name": "pageSize", "in": "query", "required": False, "type": "integer", "default": 200},
        {"name": "nextPage", "in": "query", "required": False, "type": "string",
         "description": "The Elements-Next-Page-Token of the previous page"},
    ]
    return {
        f"/{resource}": {
            "get": {"operationId": f"get{title}", "summary": f"Search for {resource}",
                    "tags": [resource], "parameters": listing,
                    "responses": _responses({"type": "array", "items": ref})},
            "post": {"operationId": f"create{_model(resource)}",
                     "summary": f"Create {_a(singular)}", "tags": [resource],
                     "parameters": [_auth_param(), body], "responses": _responses(ref)},
        },
        f"/{resource}/{{id}}": {
            "get": {"operationId": f"get{model}ById", "summary": f"Retrieve {_a(singular)}",
                    "tags": [resource], "parameters": [_auth_param(), id_param],
                    "responses": _responses(ref)},
            "patch": {"operationId": f"update{model}ById", "summary": f"Update {_a(singular)}",
                      "tags": [resource], "parameters": [_auth_param(), id_param, body],
                      "responses": _responses(ref)},
            "delete": {"operationId": f"delete{model}ById", "summary": f"Delete {_a(singular)}",
                       "tags": [resource], "parameters": [_auth_param(), id_param],
                       "responses": _responses(None)},
        },
    }


def element_swagger(element: dict, host: str) -> dict:
    resources = resource_names(element)
    paths: dict[str, dict] = {}
    for resource in resources:
        paths.update(_operations(resource))
    return {
        "swagger": "2.0",
        "info": {"title": element["key"], "version": "api-v2",
                 "description": f"{element['name']} resources through Cloud Elements"},
        "host": host,
        "schemes": ["https"],
        "basePath": f"/elements/api-v2/hubs/{element['hub']}",
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "tags": [{"name": r, "description": f"{element['name']} {r}"} for r in resources],
        "paths": paths,
        "definitions": {_model(r): _definition(r) for r in resources},
    }
