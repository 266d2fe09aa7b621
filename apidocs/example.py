"""Example values built from a Swagger 2.0 schema: the body Try it out starts from.

`root` is the part of the docs that `$ref`s point into: `{"definitions": …, "parameters": …}`.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 6
MAX_PROPERTIES = 60

# Example strings by format, and by words in a property's name when it has no format.
FORMAT_EXAMPLES = {
    "date-time": "2024-01-15T09:30:00Z",
    "date": "2024-01-15",
    "time": "09:30:00",
    "email": "jane.doe@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "hostname": "example.com",
    "ipv4": "192.0.2.10",
    "ipv6": "2001:db8::10",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "byte": "U3dhZ2dlciByb2Nrcw==",
    "binary": "",
    "password": "********",
}
NAME_EXAMPLES = (
    ("email", "jane.doe@example.com"),
    ("phone", "+1 555 0100"),
    ("firstname", "Jane"),
    ("first_name", "Jane"),
    ("lastname", "Doe"),
    ("last_name", "Doe"),
    ("url", "https://example.com"),
    ("website", "https://example.com"),
    ("city", "Denver"),
    ("country", "US"),
    ("name", "Example"),
)


def resolve(node: Any, root: dict, *, root_key: str = "definitions", _hops: int = 0) -> dict:
    """Follow `$ref` (`#/definitions/Contact`, or a bare `Contact`) until a plain schema."""
    if not isinstance(node, dict):
        return {}
    ref = node.get("$ref")
    if not isinstance(ref, str) or _hops > 20:
        return node
    target: Any = root
    if ref.startswith("#/"):
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, dict) else None
    else:  # "Contact", as some generators write it
        section = root.get(root_key) if isinstance(root, dict) else None
        target = section.get(ref) if isinstance(section, dict) else None
    if not isinstance(target, dict):
        return {}
    return resolve(target, root, root_key=root_key, _hops=_hops + 1)


def ref_name(node: Any) -> str:
    ref = node.get("$ref") if isinstance(node, dict) else None
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else ""


def as_dict(value: Any) -> dict:
    """A mapping of the docs, or {} when the docs put something else there."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    """A list of the docs, or [] when the docs put something else there."""
    return value if isinstance(value, list) else []


def type_label(schema: Any, root: dict, *, _depth: int = 0) -> str:
    """`string (email)`, `array[Contact]`, `Contact`, `object`: how a schema's type reads."""
    if not isinstance(schema, dict):
        return ""
    name = ref_name(schema)
    if name:
        return name
    kind = schema.get("type") or ("object" if schema.get("properties") else "")
    if kind == "array" or "items" in schema:
        inner = type_label(schema.get("items"), root, _depth=_depth + 1) if _depth < MAX_DEPTH else ""
        return f"array[{inner or 'any'}]"
    if schema.get("format") and kind:
        return f"{kind} ({schema['format']})"
    return str(kind or "any")


def _merge_all_of(schema: dict, root: dict, seen: frozenset[str] = frozenset(), depth: int = 0) -> dict:
    """The parts of an allOf as one object schema; a part that refers back to a schema being
    merged (`seen`) adds nothing, so docs whose allOf refers to itself still end."""
    merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    for part in as_list(schema.get("allOf")) if depth <= MAX_DEPTH else []:
        ref = part.get("$ref") if isinstance(part, dict) and isinstance(part.get("$ref"), str) else None
        if ref in seen:
            continue
        part = resolve(part, root)
        if part.get("allOf"):
            part = _merge_all_of(part, root, seen | {ref} if ref else seen, depth + 1)
        merged["properties"].update(as_dict(part.get("properties")))
        merged["required"].extend(as_list(part.get("required")))
    merged["properties"].update(as_dict(schema.get("properties")))
    return merged


def _string_example(schema: dict, name: str) -> str:
    fmt = str(schema.get("format") or "").lower()
    if fmt in FORMAT_EXAMPLES:
        return FORMAT_EXAMPLES[fmt]
    lowered = name.lower()
    for word, example in NAME_EXAMPLES:
        if word in lowered:
            return example
    return "string"


def example_value(schema: Any, root: dict, *, name: str = "", depth: int = 0,
                  seen: frozenset[str] = frozenset(), for_write: bool = True) -> Any:
    """An example for the schema: its own example or default, an enum's first value, else by type.

    Read-only properties are left out of write bodies; a `$ref` met again inside itself stops there.
    """
    if not isinstance(schema, dict) or depth > 2 * MAX_DEPTH:
        return None
    ref = schema.get("$ref") if isinstance(schema.get("$ref"), str) else None
    if ref:
        if ref in seen or depth > MAX_DEPTH:
            return {}
        seen = seen | {ref}
    schema = resolve(schema, root)
    if schema.get("allOf"):
        schema = _merge_all_of(schema, root, seen)
    if "example" in schema:
        return schema["example"]
    if "default" in schema:
        return schema["default"]
    enum = as_list(schema.get("enum"))
    if enum:
        return enum[0]
    kind = schema.get("type")
    if not kind:
        kind = "object" if schema.get("properties") or schema.get("additionalProperties") else (
            "array" if "items" in schema else "string"
        )
    if kind == "object":
        if depth > MAX_DEPTH:
            return {}
        result = {}
        for index, (prop_name, prop) in enumerate(as_dict(schema.get("properties")).items()):
            if index >= MAX_PROPERTIES:
                break
            target = resolve(prop, root) if isinstance(prop, dict) else {}
            if for_write and (target.get("readOnly") or (isinstance(prop, dict) and prop.get("readOnly"))):
                continue
            result[str(prop_name)] = example_value(prop, root, name=str(prop_name), depth=depth + 1,
                                                   seen=seen, for_write=for_write)
        return result
    if kind == "array":
        item = example_value(schema.get("items"), root, name=name, depth=depth + 1, seen=seen,
                             for_write=for_write)
        return [] if item is None else [item]
    if kind == "integer":
        return _bounded(schema, 1)
    if kind == "number":
        return _bounded(schema, 1.5)
    if kind == "boolean":
        return True
    if kind == "file":
        return None
    return _string_example(schema, name)


def _bounded(schema: dict, value: int | float) -> int | float:
    minimum = schema.get("minimum")
    maximum = schema.get("maximum")
    if isinstance(minimum, (int, float)) and value < minimum:
        value = type(value)(minimum)
    if isinstance(maximum, (int, float)) and value > maximum:
        value = type(value)(maximum)
    return value


def example_json(schema: Any, root: dict) -> str:
    """The example as the JSON text the body textarea is pre-filled with (indent 2)."""
    value = example_value(schema, root)
    if value is None:
        return ""
    return json.dumps(value, indent=2, ensure_ascii=False)
