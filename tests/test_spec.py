"""The OpenAPI document: valid 3.1, exactly the contract's routes, and complete components."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped,unused-ignore]
from openapi_spec_validator import validate

import numora.types

SPEC_PATH = Path(__file__).resolve().parent.parent / "spec" / "numora-v1.openapi.yaml"
HTTP_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}

# The contract's section 6, one row per route.
ROUTES = {
    ("POST", "/v1/documents"),
    ("GET", "/v1/documents"),
    ("GET", "/v1/documents/{document_id}"),
    ("GET", "/v1/documents/{document_id}/result"),
    ("POST", "/v1/documents/{document_id}/actions/approve"),
    ("POST", "/v1/documents/{document_id}/actions/reject"),
    ("POST", "/v1/documents/{document_id}/actions/retry-push"),
    ("POST", "/v1/documents/{document_id}/dispatch"),
    ("GET", "/v1/documents/{document_id}/delivery"),
    ("POST", "/v1/documents/{document_id}/delivery"),
    ("GET", "/v1/delivery/outbox"),
    ("POST", "/v1/dynamics/session"),
    ("GET", "/v1/schemas"),
    ("GET", "/v1/schemas/{schema_id}"),
    ("GET", "/v1/destinations"),
    ("POST", "/v1/destinations"),
    ("GET", "/v1/destinations/{destination_id}"),
    ("POST", "/v1/destinations/{destination_id}/test"),
    ("GET", "/v1/mappings/{schema}/{destination_id}"),
    ("PUT", "/v1/mappings/{schema}/{destination_id}"),
    ("GET", "/v1/workflows"),
    ("POST", "/v1/workflows/{workflow_id}/dispatch"),
    ("GET", "/v1/runs/{run_id}"),
    ("GET", "/v1/runs/{run_id}/logs"),
    ("POST", "/v1/webhook-endpoints"),
    ("GET", "/v1/webhook-endpoints"),
    ("GET", "/v1/webhook-endpoints/{endpoint_id}"),
    ("PATCH", "/v1/webhook-endpoints/{endpoint_id}"),
    ("DELETE", "/v1/webhook-endpoints/{endpoint_id}"),
    ("POST", "/v1/webhook-endpoints/{endpoint_id}/rotate-secret"),
    ("GET", "/v1/webhook-endpoints/{endpoint_id}/deliveries"),
    ("POST", "/v1/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/redeliver"),
    ("POST", "/v1/api-keys"),
    ("GET", "/v1/api-keys"),
    ("GET", "/v1/api-keys/{key_id}"),
    ("POST", "/v1/api-keys/{key_id}/rotate"),
    ("POST", "/v1/api-keys/{key_id}/revoke"),
}
DEPRECATED = {("GET", "/v1/delivery/outbox"), ("POST", "/v1/dynamics/session")}
LISTS = {
    ("GET", "/v1/documents"),
    ("GET", "/v1/delivery/outbox"),
    ("GET", "/v1/destinations"),
    ("GET", "/v1/workflows"),
    ("GET", "/v1/runs/{run_id}/logs"),
    ("GET", "/v1/webhook-endpoints"),
    ("GET", "/v1/webhook-endpoints/{endpoint_id}/deliveries"),
    ("GET", "/v1/api-keys"),
}
ASYNC_202 = {
    ("POST", "/v1/documents"),
    ("POST", "/v1/documents/{document_id}/dispatch"),
    ("POST", "/v1/workflows/{workflow_id}/dispatch"),
    ("POST", "/v1/documents/{document_id}/actions/retry-push"),
    ("POST", "/v1/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/redeliver"),
}

# The component names the team agreed on (issue 2); each must exist and be exported.
SHARED_SCHEMAS = [
    "ErrorDetail",
    "ErrorResponse",
    "Document",
    "CreatedDocument",
    "ReviewState",
    "DocumentFailure",
    "FieldValue",
    "LineItem",
    "DocumentResult",
    "DocumentPage",
    "DocumentDispatch",
    "DeliveryAttempt",
    "DocumentDelivery",
    "OutboxItem",
    "PageMeta",
    "OutboxPage",
    "DynamicsSession",
    "SchemaSummary",
    "SchemaPage",
    "SchemaField",
    "SchemaDetail",
    "Destination",
    "DestinationPage",
    "DestinationTestResult",
    "MappingField",
    "Mapping",
    "Workflow",
    "WorkflowPage",
    "WorkflowDispatch",
    "RunError",
    "Run",
    "RunLog",
    "RunLogPage",
    "WebhookEndpoint",
    "WebhookEndpointWithSecret",
    "WebhookEndpointPage",
    "WebhookEndpointDeleted",
    "WebhookSecretRotation",
    "WebhookDelivery",
    "WebhookDeliveryPage",
    "ApiKey",
    "ApiKeyWithSecret",
    "ApiKeyPage",
    "DocumentEventData",
    "PushEventData",
    "RunFailedEventData",
    "WebhookEvent",
    "DocumentProcessingEvent",
    "DocumentReviewRequiredEvent",
    "DocumentReviewedEvent",
    "PushSucceededEvent",
    "PushFailedEvent",
    "RunFailedEvent",
    "DocumentCreateRequest",
    "DocumentApproveRequest",
    "DocumentRejectRequest",
    "DocumentDispatchRequest",
    "DeliveryCallbackRequest",
    "DynamicsSessionRequest",
    "DestinationCreateRequest",
    "MappingUpdateRequest",
    "WorkflowDispatchRequest",
    "WebhookEndpointCreateRequest",
    "WebhookEndpointUpdateRequest",
    "ApiKeyCreateRequest",
    "ApiKeyRotateRequest",
]

# Parts of the contract marked [preview assumption], as JSON pointers into the spec.
ASSUMPTIONS = [
    "/paths/~1v1~1documents/get",
    "/paths/~1v1~1documents/post/responses/200",
    "/paths/~1v1~1documents/post/requestBody/content/multipart~1form-data/schema",
    "/paths/~1v1~1documents~1{document_id}~1actions~1reject/post",
    "/paths/~1v1~1documents~1{document_id}~1actions~1retry-push/post",
    "/paths/~1v1~1webhook-endpoints/post",
    "/paths/~1v1~1api-keys/get",
    "/paths/~1v1~1schemas~1{schema_id}/get",
    "/paths/~1v1~1dynamics~1session/post",
    "/components/schemas/Document/properties/failure",
    "/components/schemas/Document/properties/rejection_reason",
    "/components/schemas/DocumentEventData/properties/external_id",
    "/components/schemas/DocumentCreateRequest/properties/external_id",
    "/components/schemas/MetadataInput",
    "/components/schemas/LineItem",
    "/components/schemas/DocumentDispatch",
    "/components/schemas/DeliveryAttempt",
    "/components/schemas/Run",
    "/components/schemas/WebhookEndpoint",
    "/components/schemas/ApiKey",
    "/components/schemas/PushEventData",
    "/components/schemas/RunFailedEventData",
    "/components/parameters/Limit",
    "/components/responses/PaymentRequired",
    "/components/responses/PayloadTooLarge",
    "/components/responses/UnsupportedMediaType",
    "/components/responses/BadGateway",
    "/components/headers/RetryAfter",
    "/components/headers/XRateLimitReset",
]


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return data


def operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): op
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS
    }


def resolve(spec: dict[str, Any], pointer: str) -> Any:
    node: Any = spec
    for part in pointer.lstrip("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


def test_spec_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_spec_has_exactly_the_contract_routes(spec: dict[str, Any]) -> None:
    assert len(ROUTES) == 37
    assert set(operations(spec)) == ROUTES


def test_only_the_legacy_routes_are_deprecated(spec: dict[str, Any]) -> None:
    deprecated = {key for key, op in operations(spec).items() if op.get("deprecated")}
    assert deprecated == DEPRECATED


def test_operations_have_unique_ids_tags_and_error_bodies(spec: dict[str, Any]) -> None:
    ops = operations(spec)
    ids = [op["operationId"] for op in ops.values()]
    assert len(set(ids)) == len(ids) == 37
    for key, op in ops.items():
        assert op["tags"], key
        statuses = set(op["responses"])
        assert {"400", "401", "403", "429", "500", "503"} <= statuses, key
        if "{" in key[1]:
            assert "404" in statuses, key
        for status, response in op["responses"].items():
            if status.startswith(("4", "5")):
                body = resolve(spec, response["$ref"])
                schema = body["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (key, status)


def test_async_routes_answer_202(spec: dict[str, Any]) -> None:
    for key, op in operations(spec).items():
        assert ("202" in op["responses"]) == (key in ASYNC_202), key


def test_document_create_takes_json_or_multipart_and_answers_200_or_202(
    spec: dict[str, Any],
) -> None:
    op = operations(spec)[("POST", "/v1/documents")]
    content = op["requestBody"]["content"]
    assert content["application/json"]["schema"]["$ref"].endswith("/DocumentCreateRequest")
    form = content["multipart/form-data"]["schema"]
    assert {"file", "schema"} <= set(form["required"])
    for status in ("200", "202"):
        body = op["responses"][status]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/CreatedDocument"}
    assert {"402", "413", "415", "422"} <= set(op["responses"])


def test_list_routes_take_limit_and_cursor(spec: dict[str, Any]) -> None:
    limit = spec["components"]["parameters"]["Limit"]["schema"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 100, 20)
    for key in LISTS:
        params = {p["$ref"].rsplit("/", 1)[1] for p in operations(spec)[key]["parameters"]}
        assert {"Limit", "Cursor"} <= params, key
    documents = operations(spec)[("GET", "/v1/documents")]["parameters"]
    names = {resolve(spec, p["$ref"])["name"] for p in documents}
    assert {"limit", "cursor", "status", "schema", "external_id"} <= names


def test_responses_carry_operational_headers(spec: dict[str, Any]) -> None:
    expected = {
        "x-request-id",
        "x-rate-limit-limit",
        "x-rate-limit-remaining",
        "x-rate-limit-reset",
    }
    for key, op in operations(spec).items():
        for status, response in op["responses"].items():
            body = resolve(spec, response["$ref"]) if "$ref" in response else response
            assert expected <= set(body["headers"]), (key, status)
    too_many = spec["components"]["responses"]["TooManyRequests"]["headers"]
    assert "retry-after" in too_many


def test_every_reference_resolves(spec: dict[str, Any]) -> None:
    all_refs = set(refs(spec))
    assert all_refs
    for ref in sorted(all_refs):
        assert ref.startswith("#/"), ref
        resolve(spec, ref)


def test_every_shared_schema_exists_and_is_exported(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    missing = [name for name in SHARED_SCHEMAS if name not in schemas]
    assert missing == []
    for name in schemas:
        assert getattr(numora.types, name) is not None
        assert name in numora.types.__all__


def test_preview_assumptions_are_marked_with_a_note(spec: dict[str, Any]) -> None:
    for pointer in ASSUMPTIONS:
        node = resolve(spec, pointer)
        assert node.get("x-numora-assumption") is True, pointer
    marked = [node for node in _walk(spec) if node.get("x-numora-assumption") is True]
    assert len(marked) > len(ASSUMPTIONS)
    assert all(node.get("x-numora-assumption-note") for node in marked)


def test_secrets_are_passwords_and_timestamps_date_times(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert schemas["DynamicsSession"]["properties"]["access_token"]["format"] == "password"
    assert schemas["WebhookSecretRotation"]["properties"]["secret"]["format"] == "password"
    for name in ("WebhookEndpointWithSecret", "ApiKeyWithSecret"):
        assert schemas[name]["allOf"][1]["properties"]["secret"]["format"] == "password"
    credentials = schemas["DestinationCreateRequest"]["properties"]["credentials"]
    assert credentials["writeOnly"] is True
    assert credentials["additionalProperties"]["format"] == "password"
    assert schemas["Document"]["properties"]["created_at"]["format"] == "date-time"


def test_servers_security_and_webhooks(spec: dict[str, Any]) -> None:
    assert spec["servers"][0]["url"] == "https://api.numora.example"
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert spec["security"] == [{"bearerAuth": []}]
    assert set(spec["webhooks"]) == {
        "document.processing",
        "document.review_required",
        "document.reviewed",
        "push.succeeded",
        "push.failed",
        "run.failed",
    }


def _walk(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return [node] + [d for value in node.values() for d in _walk(value)]
    if isinstance(node, list):
        return [d for value in node for d in _walk(value)]
    return []
