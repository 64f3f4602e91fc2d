"""Every method of ``Numora`` as a type checker sees it (checked, never run)."""

from __future__ import annotations

from datetime import datetime, timezone

from typing_extensions import assert_type

from numora import Numora, SyncPage
from numora.types import (
    ApiKey,
    ApiKeyWithSecret,
    CreatedDocument,
    DeliveryAttempt,
    Destination,
    DestinationTestResult,
    Document,
    DocumentDelivery,
    DocumentDispatch,
    DocumentResult,
    DynamicsSession,
    FieldValue,
    Mapping,
    OutboxItem,
    Run,
    RunLog,
    SchemaDetail,
    SchemaSummary,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEndpointDeleted,
    WebhookEndpointWithSecret,
    WebhookSecretRotation,
    Workflow,
    WorkflowDispatch,
)

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)  # a value for the checkers only


def documents(client: Numora) -> None:
    created = client.documents.create(
        schema="invoice_v2", file_url="https://example.com/a.pdf", external_id="inv-1"
    )
    assert_type(created, CreatedDocument)
    assert_type(created.created, bool)
    assert_type(created.schema, str)
    page = client.documents.list(status="reviewed", limit=10)
    assert_type(page, SyncPage[Document])
    for doc in page:
        assert_type(doc, Document)
        assert_type(doc.needs_review, bool)
    assert_type(page.data, list[Document])
    assert_type(page.next_page(), SyncPage[Document])
    for each in page.iter_pages():
        assert_type(each, SyncPage[Document])
    doc = client.documents.retrieve("doc_1", timeout=5, max_retries=0)
    assert_type(doc, Document)
    result = client.documents.retrieve_result("doc_1")
    assert_type(result, DocumentResult)
    field = result.fields["total"]
    assert_type(field, FieldValue)
    assert_type(field["confidence"], float | None)
    assert_type(client.documents.approve(doc), Document)
    assert_type(client.documents.approve("doc_1", expected_updated_at=NOW), Document)
    assert_type(client.documents.reject("doc_1", reason="blurry"), Document)
    assert_type(client.documents.retry_push("doc_1"), Document)
    assert_type(client.documents.dispatch("doc_1", provider="dynamics365"), DocumentDispatch)
    assert_type(client.documents.wait("doc_1", deadline=60, timeout=5), Document)
    assert_type(client.documents.wait("doc_1", until=lambda d: d.needs_review), Document)
    assert_type(
        client.documents.create_and_wait(schema="receipt_v1", file=b"%PDF-1.7", until="reviewed"),
        Document,
    )
    assert_type(client.documents.delivery.retrieve("doc_1"), DocumentDelivery)
    attempt = client.documents.delivery.record(
        "doc_1",
        provider="dynamics365",
        status="succeeded",
        execution_id="exec-1",
        attempted_at=NOW,
        external_record_id="rec-1",
    )
    assert_type(attempt, DeliveryAttempt)


def catalog_and_delivery(client: Numora) -> None:
    for item in client.delivery.outbox.list(provider="dynamics365"):
        assert_type(item, OutboxItem)
    assert_type(client.dynamics.sessions.create(destination_id="dst_1"), DynamicsSession)
    for schema in client.schemas.list():
        assert_type(schema, SchemaSummary)
    assert_type(client.schemas.retrieve("invoice_v2"), SchemaDetail)
    for destination in client.destinations.list():
        assert_type(destination, Destination)
    assert_type(client.destinations.create(provider="dynamics365", display_name="ERP"), Destination)
    assert_type(client.destinations.retrieve("dst_1"), Destination)
    assert_type(client.destinations.test("dst_1"), DestinationTestResult)
    assert_type(client.mappings.retrieve("invoice_v2", "dst_1"), Mapping)
    assert_type(
        client.mappings.update(
            "invoice_v2", "dst_1", fields=[{"source": "total", "target": "amount"}]
        ),
        Mapping,
    )


def workflows_and_runs(client: Numora) -> None:
    for workflow in client.workflows.list():
        assert_type(workflow, Workflow)
    assert_type(client.workflows.dispatch("wf_1", document_id="doc_1"), WorkflowDispatch)
    assert_type(client.runs.retrieve("run_1"), Run)
    assert_type(client.runs.wait("run_1", deadline=30), Run)
    for log in client.runs.logs.list("run_1"):
        assert_type(log, RunLog)


def webhooks_and_keys(client: Numora) -> None:
    endpoint = client.webhook_endpoints.create(
        url="https://example.com/hooks", events=["document.reviewed"]
    )
    assert_type(endpoint, WebhookEndpointWithSecret)
    for each in client.webhook_endpoints.list():
        assert_type(each, WebhookEndpoint)
    assert_type(client.webhook_endpoints.retrieve("whe_1"), WebhookEndpoint)
    assert_type(client.webhook_endpoints.update("whe_1", status="disabled"), WebhookEndpoint)
    assert_type(client.webhook_endpoints.delete("whe_1"), WebhookEndpointDeleted)
    assert_type(client.webhook_endpoints.rotate_secret("whe_1"), WebhookSecretRotation)
    for delivery in client.webhook_endpoints.deliveries.list("whe_1"):
        assert_type(delivery, WebhookDelivery)
    assert_type(client.webhook_endpoints.deliveries.redeliver("whe_1", "whd_1"), WebhookDelivery)
    key = client.api_keys.create(name="ERP", scopes=["documents:read"])
    assert_type(key, ApiKeyWithSecret)
    for each_key in client.api_keys.list():
        assert_type(each_key, ApiKey)
    assert_type(client.api_keys.retrieve("key_1"), ApiKey)
    assert_type(client.api_keys.rotate("key_1", expire_previous_in_seconds=60), ApiKeyWithSecret)
    assert_type(client.api_keys.revoke("key_1"), ApiKey)


def copies(client: Numora) -> None:
    assert_type(client.with_options(timeout=5), Numora)
    with Numora(api_key="sk_test_1", base_url="http://127.0.0.1:1") as opened:
        assert_type(opened, Numora)
