"""An optional body field is left out or of its type: the fake refuses ``null`` where the spec
does not allow it, as Schemathesis checks (it found ``"settings": null`` accepted).

The fields come from the spec, so a new optional field is covered (or this test names it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml  # type: ignore[import-untyped,unused-ignore]
from fake_helpers import create_document, reviewed_document

from numora.testing import FakeNumora

SPEC = Path(__file__).resolve().parents[2] / "spec" / "numora-v1.openapi.yaml"

# A concrete path and a valid body for each route: (fake, http) -> (path, body).
Setup = Callable[[FakeNumora, httpx.Client], tuple[str, dict[str, Any]]]


def _in_review(fake: FakeNumora, http: httpx.Client) -> str:
    doc_id = str(create_document(http)["id"])
    fake.finish_processing(doc_id)
    return doc_id


def _destination(http: httpx.Client) -> str:
    reply = http.post("/v1/destinations", json={"provider": "dynamics365", "display_name": "D"})
    assert reply.status_code == 200, reply.text
    return str(reply.json()["id"])


def _endpoint(http: httpx.Client) -> str:
    reply = http.post("/v1/webhook-endpoints", json={"url": "https://hooks.example/in"})
    assert reply.status_code in (200, 201), reply.text
    return str(reply.json()["id"])


def _workflow(fake: FakeNumora, http: httpx.Client) -> str:
    reply = http.get("/v1/workflows")
    assert reply.status_code == 200, reply.text
    return str(reply.json()["data"][0]["id"])


def _api_key(http: httpx.Client) -> str:
    reply = http.post("/v1/api-keys", json={"name": "ci", "scopes": ["documents:read"]})
    assert reply.status_code in (200, 201), reply.text
    return str(reply.json()["id"])


SETUPS: dict[tuple[str, str], Setup] = {
    ("POST", "/v1/documents"): lambda fake, http: (
        "/v1/documents",
        {"schema": "invoice_v2", "file_url": "https://files.example/a.pdf"},
    ),
    ("POST", "/v1/documents/{document_id}/actions/approve"): lambda fake, http: (
        f"/v1/documents/{_in_review(fake, http)}/actions/approve",
        {},
    ),
    ("POST", "/v1/documents/{document_id}/actions/reject"): lambda fake, http: (
        f"/v1/documents/{_in_review(fake, http)}/actions/reject",
        {"reason": "blurred"},
    ),
    ("POST", "/v1/documents/{document_id}/delivery"): lambda fake, http: (
        f"/v1/documents/{reviewed_document(fake, http)}/delivery",
        {
            "provider": "dynamics365",
            "status": "failed",
            "execution_id": "exec-1",
            "attempted_at": "2026-03-20T10:00:00Z",
        },
    ),
    ("POST", "/v1/destinations"): lambda fake, http: (
        "/v1/destinations",
        {"provider": "dynamics365", "display_name": "Finance"},
    ),
    ("PUT", "/v1/mappings/{schema}/{destination_id}"): lambda fake, http: (
        f"/v1/mappings/invoice_v2/{_destination(http)}",
        {"fields": []},
    ),
    ("POST", "/v1/workflows/{workflow_id}/dispatch"): lambda fake, http: (
        f"/v1/workflows/{_workflow(fake, http)}/dispatch",
        {"document_id": reviewed_document(fake, http)},
    ),
    ("POST", "/v1/webhook-endpoints"): lambda fake, http: (
        "/v1/webhook-endpoints",
        {"url": "https://hooks.example/in"},
    ),
    ("PATCH", "/v1/webhook-endpoints/{endpoint_id}"): lambda fake, http: (
        f"/v1/webhook-endpoints/{_endpoint(http)}",
        {},
    ),
    ("POST", "/v1/api-keys/{key_id}/rotate"): lambda fake, http: (
        f"/v1/api-keys/{_api_key(http)}/rotate",
        {},
    ),
}


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _nullable(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    schema = _resolve(spec, schema)
    kind = schema.get("type")
    variants = schema.get("anyOf", []) + schema.get("oneOf", [])
    return (
        (isinstance(kind, list) and "null" in kind)
        or bool(schema.get("nullable"))
        or any(_resolve(spec, v).get("type") == "null" for v in variants)
    )


def _optional_json_fields() -> list[tuple[str, str, str, bool]]:
    """(method, route, field, nullable) for every optional field of every JSON body."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    found = []
    for route, operations in spec["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            body = _resolve(spec, content["application/json"]["schema"])
            required = set(body.get("required", []))
            for name, field in body.get("properties", {}).items():
                if name not in required:
                    found.append((method.upper(), route, name, _nullable(spec, field)))
    return found


FIELDS = _optional_json_fields()


def test_every_route_with_optional_fields_has_a_setup() -> None:
    assert {(method, route) for method, route, _, _ in FIELDS} == set(SETUPS)


@pytest.mark.parametrize(
    ("method", "route", "name", "nullable"),
    FIELDS,
    ids=[f"{method} {route} {name}" for method, route, name, _ in FIELDS],
)
def test_null_is_refused_unless_the_spec_allows_it(
    fake: FakeNumora, client: httpx.Client, method: str, route: str, name: str, nullable: bool
) -> None:
    path, body = SETUPS[method, route](fake, client)
    reply = client.request(method, path, json={**body, name: None})
    if nullable:
        assert reply.status_code < 300, reply.text
        return
    assert reply.status_code == 422, reply.text
    error = reply.json()["error"]
    assert error["code"] == "invalid_payload"
    assert name in error["message"]
