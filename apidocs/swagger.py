"""Swagger 2.0 docs of an instance, read into the operations the API Docs page shows.

Only what the page needs is kept; anything missing or malformed in the docs is tolerated (a real
element's docs are large and not always tidy), so one odd operation never breaks the page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .example import as_dict, as_list, example_json, resolve, type_label

METHODS = ("get", "post", "put", "patch", "delete")
METHOD_ORDER = {m.upper(): i for i, m in enumerate(METHODS)}
# The platform's prefix of every basePath; the client's base URL already ends with it.
API_PREFIX = "/elements/api-v2"
UNTAGGED = "other"


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # path, query, header, body, formData
    type: str = "string"
    format: str = ""
    required: bool = False
    default: str = ""
    description: str = ""
    enum: tuple[str, ...] = ()
    items_type: str = ""
    schema: dict | None = None  # body only

    @property
    def type_label(self) -> str:
        if self.location == "body":
            return type_label(self.schema or {}, {})  # a $ref reads as its definition's name
        label = self.type
        if self.type == "array":
            label = f"array[{self.items_type or 'string'}]"
        if self.format:
            label = f"{label} ({self.format})"
        return label

    @property
    def is_authorization(self) -> bool:
        """The platform's Authorization header: the server adds it, it is never an input."""
        return self.location == "header" and self.name.strip().lower() == "authorization"

    @property
    def input_type(self) -> str:
        if self.enum or self.type == "boolean":
            return "select"
        if self.type in ("integer", "number"):
            return "number"
        return "text"

    @property
    def choices(self) -> tuple[str, ...]:
        if self.enum:
            return self.enum
        if self.type == "boolean":
            return ("true", "false")
        return ()


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    schema_label: str = ""


@dataclass(frozen=True)
class SchemaRow:
    """One property of a body schema, flattened for a table; depth says how nested it is."""

    name: str
    type: str
    required: bool
    description: str
    depth: int
    enum: tuple[str, ...] = ()
    read_only: bool = False
    example: str = ""  # the schema's own example value, as JSON


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    path: str  # relative to the basePath, as the docs write it: /users/{id}
    operation_id: str
    summary: str
    description: str
    tag: str
    parameters: tuple[Parameter, ...]
    responses: tuple[Response, ...] = ()
    body: Parameter | None = None
    body_rows: tuple[SchemaRow, ...] = ()
    body_example: str = ""
    deprecated: bool = False

    @property
    def key(self) -> str:
        """How the Try it out form names the operation: its operationId, or method and path."""
        return self.operation_id or f"{self.method} {self.path}"

    @property
    def slug(self) -> str:
        """An HTML id for the operation, stable across renders."""
        text = self.operation_id or f"{self.method}-{self.path}"
        return "op-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "operation")

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")

    @property
    def query_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "query")

    @property
    def header_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "header" and not p.is_authorization)

    @property
    def input_parameters(self) -> tuple[Parameter, ...]:
        """What Try it out asks for: path, then query, then headers other than Authorization."""
        return self.path_parameters + self.query_parameters + self.header_parameters

    @property
    def shown_parameters(self) -> tuple[Parameter, ...]:
        """The parameters table: all of them but the body, which has a section of its own."""
        return tuple(p for p in self.parameters if p.location != "body")

    @property
    def body_has_descriptions(self) -> bool:
        return any(row.description for row in self.body_rows)

    @property
    def body_has_examples(self) -> bool:
        return any(row.example for row in self.body_rows)

    @property
    def has_form_data(self) -> bool:
        return any(p.location == "formData" for p in self.parameters)

    @property
    def search_text(self) -> str:
        """What the filter box matches against."""
        return " ".join(
            [self.method, self.path, self.summary, self.operation_id, self.tag]
        ).lower()


@dataclass(frozen=True)
class ResourceGroup:
    tag: str
    description: str
    operations: tuple[Operation, ...]

    @property
    def slug(self) -> str:
        return "tag-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", self.tag).strip("-") or "resource")


@dataclass(frozen=True)
class ApiDocs:
    title: str
    version: str
    host: str
    base_path: str
    groups: tuple[ResourceGroup, ...]

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for group in self.groups for op in group.operations)

    @property
    def call_prefix(self) -> str:
        """The basePath relative to the client's base URL: `/hubs/general`."""
        return api_relative(self.base_path)

    def operation(self, *, key: str = "", method: str = "", path: str = "") -> Operation | None:
        """The operation the docs define: by operationId (or key), else by method and path."""
        for op in self.operations:
            if key and (op.operation_id == key or op.key == key):
                return op
        if method and path:
            for op in self.operations:
                if op.method == method.upper() and op.path == path:
                    return op
        return None


def api_relative(base_path: str) -> str:
    """`/elements/api-v2/hubs/crm` → `/hubs/crm`: what follows the platform's prefix."""
    base = "/" + (base_path or "").strip().strip("/")
    index = base.find(API_PREFIX)
    if index >= 0:
        base = base[index + len(API_PREFIX):]
    return base.rstrip("/")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _enum(value: Any) -> tuple[str, ...]:
    """An enum's values as text; an enum that is not a list is no enum."""
    return tuple(_text(v) for v in as_list(value) if v is not None)


def _tag(value: Any) -> str:
    """An operation's resource: its first tag (a bare string counts as one tag)."""
    if _is_scalar(value):
        return _text(value).strip() or UNTAGGED
    first = next((t for t in as_list(value) if _is_scalar(t) and _text(t).strip()), None)
    return _text(first).strip() if first is not None else UNTAGGED


def _parameter(raw: dict, root: dict) -> Parameter | None:
    raw = resolve(raw, root, root_key="parameters")
    if not _is_scalar(raw.get("name")) or not _text(raw.get("name")):
        return None
    location = _text(raw.get("in")) or "query"
    items = as_dict(raw.get("items"))
    default = raw.get("default")
    if isinstance(default, bool):
        default = "true" if default else "false"
    return Parameter(
        name=_text(raw["name"]),
        location=location,
        type=_text(raw.get("type")) or ("object" if location == "body" else "string"),
        format=_text(raw.get("format")),
        required=bool(raw.get("required")) or location == "path",
        default=_text(default),
        description=_text(raw.get("description")),
        enum=_enum(raw.get("enum")),
        items_type=_text(items.get("type")),
        schema=raw.get("schema") if isinstance(raw.get("schema"), dict) else None,
    )


def _example_text(value: Any) -> str:
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "…"


def schema_rows(schema: dict | None, root: dict, *, depth: int = 0,
                seen: frozenset[str] = frozenset(), limit: int = 200, _hops: int = 0) -> list[SchemaRow]:
    """The properties of a schema as table rows, nested objects and arrays of objects indented."""
    rows: list[SchemaRow] = []
    if not isinstance(schema, dict) or depth > 5 or _hops > 20:
        return rows
    ref = schema.get("$ref") if isinstance(schema.get("$ref"), str) else None
    if ref in seen:
        return rows
    seen = seen | {ref} if ref else seen
    resolved = resolve(schema, root)
    if resolved.get("type") == "array" or "items" in resolved:
        # An array's rows are its items' (not indented): `_hops` bounds arrays of arrays.
        return schema_rows(resolved.get("items"), root, depth=depth, seen=seen, limit=limit,
                           _hops=_hops + 1)
    required = {_text(name) for name in as_list(resolved.get("required")) if _is_scalar(name)}
    for name, prop in as_dict(resolved.get("properties")).items():
        if len(rows) >= limit:
            break
        if not isinstance(prop, dict):
            continue
        target = resolve(prop, root)
        rows.append(SchemaRow(
            name=str(name),
            type=type_label(prop, root),
            required=_text(name) in required,
            description=_text(target.get("description") or prop.get("description")),
            depth=depth,
            enum=_enum(target.get("enum")),
            read_only=bool(target.get("readOnly") or prop.get("readOnly")),
            example=_example_text(target.get("example", prop.get("example"))),
        ))
        nested = target.get("items") if target.get("type") == "array" else prop
        nested_resolved = resolve(nested, root) if isinstance(nested, dict) else {}
        if nested_resolved.get("properties"):
            rows.extend(schema_rows(nested, root, depth=depth + 1, seen=seen,
                                    limit=limit - len(rows)))
    return rows


def _responses(raw: Any, root: dict) -> tuple[Response, ...]:
    if not isinstance(raw, dict):
        return ()
    answers = []
    for status, answer in raw.items():
        answer = resolve(answer, root, root_key="responses") if isinstance(answer, dict) else {}
        schema = answer.get("schema") if isinstance(answer.get("schema"), dict) else None
        answers.append(Response(
            status=str(status),
            description=_text(answer.get("description")),
            schema_label=type_label(schema, root) if schema else "",
        ))
    return tuple(sorted(answers, key=lambda r: (not r.status.isdigit(), r.status)))


def _operation(method: str, path: str, raw: dict, shared: list, root: dict) -> Operation:
    parameters: dict[tuple[str, str], Parameter] = {}
    # Path-level parameters first; an operation's own parameter of the same name and place wins.
    for item in as_list(shared) + as_list(raw.get("parameters")):
        if isinstance(item, dict):
            parameter = _parameter(item, root)
            if parameter is not None:
                parameters[(parameter.location, parameter.name)] = parameter
    ordered = tuple(parameters.values())
    body = next((p for p in ordered if p.location == "body"), None)
    body_example = ""
    body_rows: tuple[SchemaRow, ...] = ()
    if body is not None and body.schema is not None:
        body_example = example_json(body.schema, root)
        body_rows = tuple(schema_rows(body.schema, root))
    return Operation(
        method=method.upper(),
        path=path,
        operation_id=_text(raw.get("operationId")),
        summary=_text(raw.get("summary")),
        description=_text(raw.get("description")),
        tag=_tag(raw.get("tags")),
        parameters=ordered,
        responses=_responses(raw.get("responses"), root),
        body=body,
        body_rows=body_rows,
        body_example=body_example,
        deprecated=bool(raw.get("deprecated")),
    )


def parse_swagger(doc: Any) -> ApiDocs:
    """The docs as resource groups (one per tag, in the docs' tag order) of operations."""
    if isinstance(doc, (str, bytes)):
        doc = json.loads(doc)
    if not isinstance(doc, dict):
        raise ValueError("The API docs are not a Swagger object")
    # What a $ref may point into: definitions, and shared parameters and responses.
    root = {"definitions": as_dict(doc.get("definitions")),
            "parameters": as_dict(doc.get("parameters")),
            "responses": as_dict(doc.get("responses"))}
    operations: list[Operation] = []
    for path, item in as_dict(doc.get("paths")).items():
        if not isinstance(item, dict):
            continue
        shared = as_list(item.get("parameters"))
        for method in METHODS:
            raw = item.get(method)
            if isinstance(raw, dict):
                operations.append(_operation(method, str(path), raw, shared, root))

    info = as_dict(doc.get("info"))
    tag_info = [t for t in as_list(doc.get("tags")) if isinstance(t, dict) and _is_scalar(t.get("name"))]
    order = {str(t["name"]): i for i, t in enumerate(tag_info)}
    descriptions = {str(t["name"]): _text(t.get("description")) for t in tag_info}
    by_tag: dict[str, list[Operation]] = {}
    for op in operations:
        by_tag.setdefault(op.tag, []).append(op)
    groups = tuple(
        ResourceGroup(
            tag=tag,
            description=descriptions.get(tag, ""),
            operations=tuple(sorted(ops, key=lambda o: (o.path, METHOD_ORDER.get(o.method, 9)))),
        )
        for tag, ops in sorted(by_tag.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    )
    return ApiDocs(
        title=_text(info.get("title")),
        version=_text(info.get("version")),
        host=_text(doc.get("host")),
        base_path=_text(doc.get("basePath")) or "/",
        groups=groups,
    )
