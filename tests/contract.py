"""The churros JSON schemas of the platform's element and instance objects (tests/contract_schemas,
from churros' src/test/platform/elements/assets/), ready to validate the sandbox's answers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMAS = Path(__file__).parent / "contract_schemas"


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text())
        schema.pop("id", None)  # churros' "id": "/" would rebase every $ref
        resources.append((path.name, Resource.from_contents(schema, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validate(instance, schema_name: str) -> None:
    schema = REGISTRY.contents(schema_name)
    jsonschema.Draft4Validator(schema, registry=REGISTRY).validate(instance)


# --- calling the sandbox as any platform client would (a requests.Session with `base`) ---

def url(api, path: str) -> str:
    return api.base + path


def create_mixpanel(api, name="Conformance", tags=("t1",), secret="s3cret"):
    answer = api.post(url(api, "/instances"), json={
        "element": {"key": "mixpanel"}, "configuration": {"username": secret},
        "tags": list(tags), "name": name})
    assert answer.status_code == 200, answer.text
    return answer.json()


def assert_platform_error(answer, status: int) -> dict:
    assert answer.status_code == status
    body = answer.json()
    assert re.fullmatch(r"[0-9a-f]{24}", body["requestId"])
    assert isinstance(body["message"], str) and body["message"]
    assert answer.headers["Elements-Request-Id"]
    return body
