"""The route table: every public method of every resource, as one row each.

A row says how the method is called, what must go over the wire (method, escaped path,
query, JSON or multipart body) and what comes back (status, body, result type). The
response bodies follow the contract's shapes, so they also parse as ``numora.types``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from typing import Any

import httpx

import numora.types as t
from numora.types import ReviewState

# Ids carry characters that must be escaped in a path: a path built without escaping, or
# with the wrong argument in the wrong place, cannot match the expected path.
ODD_ID = "doc 1/ä?#%"
ODD = "doc%201%2F%C3%A4%3F%23%25"
OTHER_ID = "whe 2/b"
OTHER = "whe%202%2Fb"

TS = "2026-03-21T14:20:00.000Z"
UPDATED = "2026-03-21T14:24:11.000Z"
PDF = b"%PDF-1.7\n" + b"0123456789" * 100

DOCUMENT: dict[str, Any] = {
    "id": "doc_01jpwq8x4r2m3n",
    "schema": "invoice_v2",
    "status": "review_required",
    "external_id": "erp-4711",
    "metadata": {"cost_center": "CC-12", "priority": 2, "urgent": True},
    "created_at": TS,
    "updated_at": UPDATED,
    "review_state": None,
    "duplicate_of": None,
}
ACCEPTED: dict[str, Any] = {
    "id": "doc_01jpwq8x4r2m3n",
    "status": "processing",
    "schema": "invoice_v2",
    "status_url": "/v1/documents/doc_01jpwq8x4r2m3n",
    "result_url": "/v1/documents/doc_01jpwq8x4r2m3n/result",
}
REVIEW_STATE: dict[str, Any] = {
    "version": 1,
    "confirmed_general_field_names": ["invoice_number", "total"],
    "confirmed_line_item_ids": ["li_1"],
}
RESULT: dict[str, Any] = {
    "id": "doc_01jpwq8x4r2m3n",
    "schema": "invoice_v2",
    "status": "reviewed",
    "review_state": REVIEW_STATE,
    "confidence": 0.94,
    "fields": {"invoice_number": {"value": "INV-1", "confidence": 0.99}},
    "line_items": [{"id": "li_1", "fields": {"amount": {"value": 12.5, "confidence": 0.9}}}],
    "duplicate_of": None,
}
DISPATCH: dict[str, Any] = {
    "document_id": "doc_01jpwq8x4r2m3n",
    "status": "push_pending",
    "route": "workflow",
    "run_id": "run_1",
}
ATTEMPT: dict[str, Any] = {
    "id": "att_1",
    "execution_id": "exec_1",
    "provider": "dynamics365",
    "status": "succeeded",
    "external_record_id": "rec_1",
    "external_url": "https://crm.example/rec_1",
    "error_code": None,
    "error_message": None,
    "attempted_at": TS,
    "recorded_at": UPDATED,
}
DELIVERY: dict[str, Any] = {
    "document_id": "doc_01jpwq8x4r2m3n",
    "status": "push_succeeded",
    "attempts": [ATTEMPT],
}
OUTBOX_ITEM: dict[str, Any] = {
    "document_id": "doc_01jpwq8x4r2m3n",
    "schema": "invoice_v2",
    "status": "reviewed",
    "external_id": None,
    "metadata": {},
    "result_url": "/v1/documents/doc_01jpwq8x4r2m3n/result",
    "dispatch_url": "/v1/documents/doc_01jpwq8x4r2m3n/dispatch",
    "updated_at": UPDATED,
}
SESSION: dict[str, Any] = {
    "access_token": "eyJ0eXAi.token",
    "expires_at": UPDATED,
    "instance_url": "https://org.crm.dynamics.com",
}
SCHEMA_SUMMARY: dict[str, Any] = {"id": "invoice_v2", "label": "Invoice", "status": "active"}
SCHEMA_DETAIL: dict[str, Any] = {
    **SCHEMA_SUMMARY,
    "fields": [{"name": "total", "type": "number", "required": True, "description": "Total"}],
    "line_item_fields": [{"name": "amount", "type": "number"}],
}
DESTINATION: dict[str, Any] = {
    "id": "dst_1",
    "provider": "dynamics365",
    "display_name": "CRM",
    "status": "connected",
    "has_credentials": True,
    "created_at": TS,
    "updated_at": UPDATED,
}
TEST_RESULT: dict[str, Any] = {
    "destination_id": "dst_1",
    "ok": True,
    "checked_at": UPDATED,
    "error_code": None,
    "error_message": None,
}
MAPPING: dict[str, Any] = {
    "schema": "invoice_v2",
    "destination_id": "dst_1",
    "version": 4,
    "fields": [{"source": "total", "target": "amount", "required": True}],
    "updated_at": UPDATED,
}
WORKFLOW: dict[str, Any] = {
    "id": "wf_1",
    "name": "Push invoices",
    "status": "published",
    "version": 3,
    "binding_count": 1,
    "updated_at": UPDATED,
}
WORKFLOW_DISPATCH: dict[str, Any] = {
    "run_id": "run_1",
    "workflow_id": "wf_1",
    "status": "queued",
    "execution_mode": "queued",
}
RUN: dict[str, Any] = {
    "id": "run_1",
    "workflow_id": "wf_1",
    "document_id": "doc_01jpwq8x4r2m3n",
    "status": "running",
    "outcome": None,
    "error": None,
    "created_at": TS,
    "started_at": TS,
    "finished_at": None,
}
RUN_LOG: dict[str, Any] = {
    "id": "log_1",
    "node_id": "n1",
    "node_name": "Create record",
    "status": "succeeded",
    "level": "info",
    "message": "ok",
    "started_at": TS,
    "finished_at": UPDATED,
    "duration_ms": 12,
}
ENDPOINT: dict[str, Any] = {
    "id": "whe_1",
    "url": "https://hooks.example/numora",
    "events": ["document.reviewed"],
    "status": "enabled",
    "description": "ERP",
    "created_at": TS,
    "updated_at": UPDATED,
}
ENDPOINT_WITH_SECRET: dict[str, Any] = {**ENDPOINT, "secret": "whsec_abc"}
DELETED: dict[str, Any] = {"id": "whe_1", "deleted": True}
ROTATION: dict[str, Any] = {"secret": "whsec_new", "previous_secret_expires_at": UPDATED}
WEBHOOK_DELIVERY: dict[str, Any] = {
    "id": "whd_1",
    "event_id": "evt_1",
    "event_type": "document.reviewed",
    "status": "pending",
    "attempts": 2,
    "response_status": 500,
    "error": None,
    "next_attempt_at": None,
    "created_at": TS,
}
API_KEY: dict[str, Any] = {
    "id": "key_1",
    "name": "ci",
    "scopes": ["documents:read"],
    "prefix": "sk_live_ab12",
    "created_at": TS,
    "last_used_at": None,
    "expires_at": None,
    "revoked_at": None,
}
API_KEY_WITH_SECRET: dict[str, Any] = {**API_KEY, "secret": "sk_live_ab12secret"}


def page(*items: dict[str, Any], next_cursor: str | None = None) -> dict[str, Any]:
    return {"data": list(items), "next_cursor": next_cursor}


def outbox_page(*items: dict[str, Any], next_cursor: str | None = None) -> dict[str, Any]:
    return {"data": list(items), "meta": {"next_cursor": next_cursor}}


@dataclass(frozen=True)
class Part:
    """One multipart part as the server sees it."""

    data: bytes
    filename: str | None = None
    content_type: str | None = None


@dataclass(frozen=True)
class Case:
    """One public method: the call, what it must send, and what it must return."""

    name: str
    call: Callable[[Any], Any]
    method: str
    template: str  # the spec's path template, e.g. /v1/documents/{document_id}
    path: str  # the exact escaped path expected on the wire
    result: type[Any]
    response: dict[str, Any]
    status: int = 200
    query: dict[str, str] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    multipart: dict[str, Part] | None = None
    page: bool = False  # result is the type of each item of the returned page
    deprecated: bool = False
    # the same call with an empty id: must raise before anything is sent
    empty_id: Callable[[Any], Any] | None = None

    def __str__(self) -> str:
        return self.name


DOC = "/v1/documents/{document_id}"
WHE = "/v1/webhook-endpoints/{endpoint_id}"
KEY = "/v1/api-keys/{key_id}"

CASES: list[Case] = [
    # --- documents -----------------------------------------------------------------------
    Case(
        "documents.create (file_url)",
        lambda c: c.documents.create(
            schema="invoice_v2",
            file_url="https://files.example/inv.pdf",
            external_id="erp-4711",
            metadata={"cost_center": "CC-12", "priority": 2, "urgent": True},
        ),
        "POST",
        "/v1/documents",
        "/v1/documents",
        t.CreatedDocument,
        ACCEPTED,
        status=202,
        json={
            "schema": "invoice_v2",
            "file_url": "https://files.example/inv.pdf",
            "external_id": "erp-4711",
            "metadata": {"cost_center": "CC-12", "priority": 2, "urgent": True},
        },
    ),
    Case(
        "documents.create (file)",
        lambda c: c.documents.create(
            schema="invoice_v2",
            file=("inv.pdf", PDF),
            external_id="erp-4711",
            metadata={"cost_center": "CC-12", "urgent": True},
        ),
        "POST",
        "/v1/documents",
        "/v1/documents",
        t.CreatedDocument,
        ACCEPTED,
        status=202,
        multipart={
            "schema": Part(b"invoice_v2"),
            "external_id": Part(b"erp-4711"),
            "metadata": Part(b'{"cost_center":"CC-12","urgent":true}'),
            "file": Part(PDF, "inv.pdf", "application/pdf"),
        },
    ),
    Case(
        "documents.list",
        lambda c: c.documents.list(
            status="reviewed", schema="invoice_v2", external_id="erp-4711", limit=10
        ),
        "GET",
        "/v1/documents",
        "/v1/documents",
        t.Document,
        page(DOCUMENT),
        query={
            "status": "reviewed",
            "schema": "invoice_v2",
            "external_id": "erp-4711",
            "limit": "10",
        },
        page=True,
    ),
    Case(
        "documents.retrieve",
        lambda c: c.documents.retrieve(ODD_ID),
        "GET",
        DOC,
        f"/v1/documents/{ODD}",
        t.Document,
        DOCUMENT,
        empty_id=lambda c: c.documents.retrieve(""),
    ),
    Case(
        "documents.retrieve_result",
        lambda c: c.documents.retrieve_result(ODD_ID),
        "GET",
        DOC + "/result",
        f"/v1/documents/{ODD}/result",
        t.DocumentResult,
        RESULT,
        empty_id=lambda c: c.documents.retrieve_result(""),
    ),
    Case(
        "documents.approve",
        lambda c: c.documents.approve(
            ODD_ID,
            expected_updated_at=UPDATED,
            review_state=ReviewState.from_dict(REVIEW_STATE),
        ),
        "POST",
        DOC + "/actions/approve",
        f"/v1/documents/{ODD}/actions/approve",
        t.Document,
        {**DOCUMENT, "status": "reviewed", "review_state": REVIEW_STATE},
        json={"expected_updated_at": UPDATED, "review_state": REVIEW_STATE},
        empty_id=lambda c: c.documents.approve("", expected_updated_at=UPDATED),
    ),
    Case(
        "documents.reject",
        lambda c: c.documents.reject(
            ODD_ID,
            reason="blurry scan",
            # a datetime in another zone goes out as the same instant in UTC
            expected_updated_at=dt.datetime(
                2026, 3, 21, 16, 24, 11, tzinfo=dt.timezone(dt.timedelta(hours=2))
            ),
        ),
        "POST",
        DOC + "/actions/reject",
        f"/v1/documents/{ODD}/actions/reject",
        t.Document,
        {**DOCUMENT, "status": "failed", "rejection_reason": "blurry scan"},
        json={"reason": "blurry scan", "expected_updated_at": UPDATED},
        empty_id=lambda c: c.documents.reject("", reason="x"),
    ),
    Case(
        "documents.retry_push",
        lambda c: c.documents.retry_push(ODD_ID),
        "POST",
        DOC + "/actions/retry-push",
        f"/v1/documents/{ODD}/actions/retry-push",
        t.Document,
        {**DOCUMENT, "status": "push_pending"},
        status=202,
        json={},
        empty_id=lambda c: c.documents.retry_push(""),
    ),
    Case(
        "documents.dispatch",
        lambda c: c.documents.dispatch(ODD_ID, provider="dynamics365"),
        "POST",
        DOC + "/dispatch",
        f"/v1/documents/{ODD}/dispatch",
        t.DocumentDispatch,
        DISPATCH,
        status=202,
        json={"provider": "dynamics365"},
        empty_id=lambda c: c.documents.dispatch("", provider="dynamics365"),
    ),
    Case(
        "documents.delivery.retrieve",
        lambda c: c.documents.delivery.retrieve(ODD_ID),
        "GET",
        DOC + "/delivery",
        f"/v1/documents/{ODD}/delivery",
        t.DocumentDelivery,
        DELIVERY,
        empty_id=lambda c: c.documents.delivery.retrieve(""),
    ),
    Case(
        "documents.delivery.record",
        lambda c: c.documents.delivery.record(
            ODD_ID,
            provider="dynamics365",
            status="succeeded",
            execution_id="exec_1",
            attempted_at=dt.datetime(2026, 3, 21, 14, 20, tzinfo=dt.timezone.utc),
            external_record_id="rec_1",
            external_url="https://crm.example/rec_1",
        ),
        "POST",
        DOC + "/delivery",
        f"/v1/documents/{ODD}/delivery",
        t.DeliveryAttempt,
        ATTEMPT,
        json={
            "provider": "dynamics365",
            "status": "succeeded",
            "execution_id": "exec_1",
            "attempted_at": TS,
            "external_record_id": "rec_1",
            "external_url": "https://crm.example/rec_1",
        },
        empty_id=lambda c: c.documents.delivery.record(
            "", provider="dynamics365", status="failed", execution_id="e", attempted_at=TS
        ),
    ),
    Case(
        "delivery.outbox.list",
        lambda c: c.delivery.outbox.list(provider="dynamics365", limit=5),
        "GET",
        "/v1/delivery/outbox",
        "/v1/delivery/outbox",
        t.OutboxItem,
        outbox_page(OUTBOX_ITEM),
        query={"provider": "dynamics365", "limit": "5"},
        page=True,
        deprecated=True,
    ),
    Case(
        "dynamics.sessions.create",
        lambda c: c.dynamics.sessions.create(destination_id="dst_1"),
        "POST",
        "/v1/dynamics/session",
        "/v1/dynamics/session",
        t.DynamicsSession,
        SESSION,
        json={"destination_id": "dst_1"},
        deprecated=True,
    ),
    # --- schemas, destinations, mappings -------------------------------------------------
    Case(
        "schemas.list",
        lambda c: c.schemas.list(),
        "GET",
        "/v1/schemas",
        "/v1/schemas",
        t.SchemaSummary,
        {"data": [SCHEMA_SUMMARY]},  # the documented catalog answer has no next_cursor
        page=True,
    ),
    Case(
        "schemas.retrieve",
        lambda c: c.schemas.retrieve(ODD_ID),
        "GET",
        "/v1/schemas/{schema_id}",
        f"/v1/schemas/{ODD}",
        t.SchemaDetail,
        SCHEMA_DETAIL,
        empty_id=lambda c: c.schemas.retrieve(""),
    ),
    Case(
        "destinations.list",
        lambda c: c.destinations.list(limit=3),
        "GET",
        "/v1/destinations",
        "/v1/destinations",
        t.Destination,
        page(DESTINATION),
        query={"limit": "3"},
        page=True,
    ),
    Case(
        "destinations.create",
        lambda c: c.destinations.create(
            provider="dynamics365",
            display_name="CRM",
            credentials={"client_secret": "s3cr3t"},
            settings={"environment": "prod"},
        ),
        "POST",
        "/v1/destinations",
        "/v1/destinations",
        t.Destination,
        DESTINATION,
        json={
            "provider": "dynamics365",
            "display_name": "CRM",
            "credentials": {"client_secret": "s3cr3t"},
            "settings": {"environment": "prod"},
        },
    ),
    Case(
        "destinations.retrieve",
        lambda c: c.destinations.retrieve(ODD_ID),
        "GET",
        "/v1/destinations/{destination_id}",
        f"/v1/destinations/{ODD}",
        t.Destination,
        DESTINATION,
        empty_id=lambda c: c.destinations.retrieve(""),
    ),
    Case(
        "destinations.test",
        lambda c: c.destinations.test(ODD_ID),
        "POST",
        "/v1/destinations/{destination_id}/test",
        f"/v1/destinations/{ODD}/test",
        t.DestinationTestResult,
        TEST_RESULT,
        json={},
        empty_id=lambda c: c.destinations.test(""),
    ),
    Case(
        "mappings.retrieve",
        lambda c: c.mappings.retrieve(schema="invoice_v2", destination_id=ODD_ID),
        "GET",
        "/v1/mappings/{schema}/{destination_id}",
        f"/v1/mappings/invoice_v2/{ODD}",
        t.Mapping,
        MAPPING,
        empty_id=lambda c: c.mappings.retrieve(schema="invoice_v2", destination_id=""),
    ),
    Case(
        "mappings.update",
        lambda c: c.mappings.update(
            "invoice_v2",
            ODD_ID,
            fields=[
                t.MappingField(source="total", target="amount", required=True),
                {"source": "number", "target": "invoicenumber"},
            ],
            expected_version=3,
        ),
        "PUT",
        "/v1/mappings/{schema}/{destination_id}",
        f"/v1/mappings/invoice_v2/{ODD}",
        t.Mapping,
        MAPPING,
        json={
            "fields": [
                {"source": "total", "target": "amount", "required": True},
                {"source": "number", "target": "invoicenumber"},
            ],
            "expected_version": 3,
        },
        empty_id=lambda c: c.mappings.update("", "dst_1", fields=[]),
    ),
    # --- workflows and runs --------------------------------------------------------------
    Case(
        "workflows.list",
        lambda c: c.workflows.list(limit=2),
        "GET",
        "/v1/workflows",
        "/v1/workflows",
        t.Workflow,
        page(WORKFLOW),
        query={"limit": "2"},
        page=True,
    ),
    Case(
        "workflows.dispatch",
        lambda c: c.workflows.dispatch(ODD_ID, document_id="doc_01jpwq8x4r2m3n"),
        "POST",
        "/v1/workflows/{workflow_id}/dispatch",
        f"/v1/workflows/{ODD}/dispatch",
        t.WorkflowDispatch,
        WORKFLOW_DISPATCH,
        status=202,
        json={"document_id": "doc_01jpwq8x4r2m3n", "execution_mode": "queued"},
        empty_id=lambda c: c.workflows.dispatch("", document_id="doc_1"),
    ),
    Case(
        "runs.retrieve",
        lambda c: c.runs.retrieve(ODD_ID),
        "GET",
        "/v1/runs/{run_id}",
        f"/v1/runs/{ODD}",
        t.Run,
        RUN,
        empty_id=lambda c: c.runs.retrieve(""),
    ),
    Case(
        "runs.logs.list",
        lambda c: c.runs.logs.list(ODD_ID, limit=50),
        "GET",
        "/v1/runs/{run_id}/logs",
        f"/v1/runs/{ODD}/logs",
        t.RunLog,
        page(RUN_LOG),
        query={"limit": "50"},
        page=True,
        empty_id=lambda c: c.runs.logs.list(""),
    ),
    # --- webhook endpoints ---------------------------------------------------------------
    Case(
        "webhook_endpoints.create",
        lambda c: c.webhook_endpoints.create(
            url="https://hooks.example/numora",
            events=["document.reviewed", "push.failed"],
            description="ERP",
        ),
        "POST",
        "/v1/webhook-endpoints",
        "/v1/webhook-endpoints",
        t.WebhookEndpointWithSecret,
        ENDPOINT_WITH_SECRET,
        json={
            "url": "https://hooks.example/numora",
            "events": ["document.reviewed", "push.failed"],
            "description": "ERP",
        },
    ),
    Case(
        "webhook_endpoints.list",
        lambda c: c.webhook_endpoints.list(limit=10),
        "GET",
        "/v1/webhook-endpoints",
        "/v1/webhook-endpoints",
        t.WebhookEndpoint,
        page(ENDPOINT),
        query={"limit": "10"},
        page=True,
    ),
    Case(
        "webhook_endpoints.retrieve",
        lambda c: c.webhook_endpoints.retrieve(ODD_ID),
        "GET",
        WHE,
        f"/v1/webhook-endpoints/{ODD}",
        t.WebhookEndpoint,
        ENDPOINT,
        empty_id=lambda c: c.webhook_endpoints.retrieve(""),
    ),
    Case(
        "webhook_endpoints.update",
        lambda c: c.webhook_endpoints.update(
            ODD_ID,
            url="https://hooks.example/v2",
            events=["run.failed"],
            status="disabled",
            description="paused",
        ),
        "PATCH",
        WHE,
        f"/v1/webhook-endpoints/{ODD}",
        t.WebhookEndpoint,
        {**ENDPOINT, "status": "disabled"},
        json={
            "url": "https://hooks.example/v2",
            "events": ["run.failed"],
            "status": "disabled",
            "description": "paused",
        },
        empty_id=lambda c: c.webhook_endpoints.update("", status="enabled"),
    ),
    Case(
        "webhook_endpoints.delete",
        lambda c: c.webhook_endpoints.delete(ODD_ID),
        "DELETE",
        WHE,
        f"/v1/webhook-endpoints/{ODD}",
        t.WebhookEndpointDeleted,
        DELETED,
        empty_id=lambda c: c.webhook_endpoints.delete(""),
    ),
    Case(
        "webhook_endpoints.rotate_secret",
        lambda c: c.webhook_endpoints.rotate_secret(ODD_ID),
        "POST",
        WHE + "/rotate-secret",
        f"/v1/webhook-endpoints/{ODD}/rotate-secret",
        t.WebhookSecretRotation,
        ROTATION,
        json={},
        empty_id=lambda c: c.webhook_endpoints.rotate_secret(""),
    ),
    Case(
        "webhook_endpoints.deliveries.list",
        lambda c: c.webhook_endpoints.deliveries.list(ODD_ID, limit=5),
        "GET",
        WHE + "/deliveries",
        f"/v1/webhook-endpoints/{ODD}/deliveries",
        t.WebhookDelivery,
        page(WEBHOOK_DELIVERY),
        query={"limit": "5"},
        page=True,
        empty_id=lambda c: c.webhook_endpoints.deliveries.list(""),
    ),
    Case(
        "webhook_endpoints.deliveries.redeliver",
        lambda c: c.webhook_endpoints.deliveries.redeliver(OTHER_ID, ODD_ID),
        "POST",
        WHE + "/deliveries/{delivery_id}/redeliver",
        f"/v1/webhook-endpoints/{OTHER}/deliveries/{ODD}/redeliver",
        t.WebhookDelivery,
        WEBHOOK_DELIVERY,
        status=202,
        json={},
        empty_id=lambda c: c.webhook_endpoints.deliveries.redeliver("whe_1", ""),
    ),
    # --- API keys ------------------------------------------------------------------------
    Case(
        "api_keys.create",
        lambda c: c.api_keys.create(name="ci", scopes=["documents:read", "documents:write"]),
        "POST",
        "/v1/api-keys",
        "/v1/api-keys",
        t.ApiKeyWithSecret,
        API_KEY_WITH_SECRET,
        json={"name": "ci", "scopes": ["documents:read", "documents:write"]},
    ),
    Case(
        "api_keys.list",
        lambda c: c.api_keys.list(limit=20),
        "GET",
        "/v1/api-keys",
        "/v1/api-keys",
        t.ApiKey,
        page(API_KEY),
        query={"limit": "20"},
        page=True,
    ),
    Case(
        "api_keys.retrieve",
        lambda c: c.api_keys.retrieve(ODD_ID),
        "GET",
        KEY,
        f"/v1/api-keys/{ODD}",
        t.ApiKey,
        API_KEY,
        empty_id=lambda c: c.api_keys.retrieve(""),
    ),
    Case(
        "api_keys.rotate",
        lambda c: c.api_keys.rotate(ODD_ID, expire_previous_in_seconds=3600),
        "POST",
        KEY + "/rotate",
        f"/v1/api-keys/{ODD}/rotate",
        t.ApiKeyWithSecret,
        API_KEY_WITH_SECRET,
        json={"expire_previous_in_seconds": 3600},
        empty_id=lambda c: c.api_keys.rotate(""),
    ),
    Case(
        "api_keys.revoke",
        lambda c: c.api_keys.revoke(ODD_ID),
        "POST",
        KEY + "/revoke",
        f"/v1/api-keys/{ODD}/revoke",
        t.ApiKey,
        {**API_KEY, "revoked_at": UPDATED},
        json={},
        empty_id=lambda c: c.api_keys.revoke(""),
    ),
]

# Helpers that poll rather than wrap one route; test_resource_wait.py covers them.
POLLING_HELPERS = frozenset({"documents.wait", "documents.create_and_wait", "runs.wait"})


def multipart_parts(request: httpx.Request) -> dict[str, Part]:
    """The parts of a multipart/form-data request, by field name."""
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.content
    )
    assert message.is_multipart()
    parts: dict[str, Part] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        assert isinstance(name, str)
        assert name not in parts, f"part {name!r} sent twice"
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        parts[name] = Part(
            payload,
            part.get_filename(),
            part.get_content_type() if part["content-type"] is not None else None,
        )
    return parts
