"""Every method of ``AsyncNumora`` as a type checker sees it (checked, never run)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

from typing_extensions import assert_type

from numora import AsyncNumora, AsyncPage, AsyncPaginator
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


async def documents(client: AsyncNumora) -> None:
    created = await client.documents.create(
        schema="invoice_v2", file_url="https://example.com/a.pdf", external_id="inv-1"
    )
    assert_type(created, CreatedDocument)
    # A coroutine, so it can become a task.
    task = asyncio.create_task(client.documents.retrieve(created.id))
    assert_type(await task, Document)
    paginator = client.documents.list(status="reviewed")
    assert_type(paginator, AsyncPaginator[Document])
    async for doc in paginator:
        assert_type(doc, Document)
    first = await client.documents.list()
    assert_type(first, AsyncPage[Document])
    assert_type(first.data, list[Document])
    assert_type(await first.next_page(), AsyncPage[Document])
    async for page in first.iter_pages():
        assert_type(page, AsyncPage[Document])
    assert_type(await client.documents.retrieve("doc_1", timeout=5), Document)
    assert_type(await client.documents.retrieve_result("doc_1"), DocumentResult)
    assert_type(await client.documents.approve("doc_1", expected_updated_at=NOW), Document)
    assert_type(await client.documents.reject("doc_1"), Document)
    assert_type(await client.documents.retry_push("doc_1"), Document)
    assert_type(await client.documents.dispatch("doc_1", provider="dynamics365"), DocumentDispatch)
    assert_type(await client.documents.wait("doc_1", deadline=60), Document)
    assert_type(
        await client.documents.create_and_wait(schema="receipt_v1", file=b"%PDF-1.7"), Document
    )
    assert_type(await client.documents.delivery.retrieve("doc_1"), DocumentDelivery)
    attempt = await client.documents.delivery.record(
        "doc_1", provider="dynamics365", status="failed", execution_id="exec-1", attempted_at=NOW
    )
    assert_type(attempt, DeliveryAttempt)


async def catalog_and_delivery(client: AsyncNumora) -> None:
    async for item in client.delivery.outbox.list():
        assert_type(item, OutboxItem)
    assert_type(await client.dynamics.sessions.create(destination_id="dst_1"), DynamicsSession)
    async for schema in client.schemas.list():
        assert_type(schema, SchemaSummary)
    assert_type(await client.schemas.retrieve("invoice_v2"), SchemaDetail)
    async for destination in client.destinations.list():
        assert_type(destination, Destination)
    assert_type(
        await client.destinations.create(provider="dynamics365", display_name="ERP"), Destination
    )
    assert_type(await client.destinations.retrieve("dst_1"), Destination)
    assert_type(await client.destinations.test("dst_1"), DestinationTestResult)
    assert_type(await client.mappings.retrieve("invoice_v2", "dst_1"), Mapping)
    assert_type(await client.mappings.update("invoice_v2", "dst_1", fields=[]), Mapping)


async def workflows_and_runs(client: AsyncNumora) -> None:
    async for workflow in client.workflows.list():
        assert_type(workflow, Workflow)
    assert_type(await client.workflows.dispatch("wf_1", document_id="doc_1"), WorkflowDispatch)
    assert_type(await client.runs.retrieve("run_1"), Run)
    assert_type(await client.runs.wait("run_1"), Run)
    async for log in client.runs.logs.list("run_1"):
        assert_type(log, RunLog)


async def webhooks_and_keys(client: AsyncNumora) -> None:
    endpoint = await client.webhook_endpoints.create(url="https://example.com/hooks")
    assert_type(endpoint, WebhookEndpointWithSecret)
    async for each in client.webhook_endpoints.list():
        assert_type(each, WebhookEndpoint)
    assert_type(await client.webhook_endpoints.retrieve("whe_1"), WebhookEndpoint)
    assert_type(await client.webhook_endpoints.update("whe_1", url="https://x"), WebhookEndpoint)
    assert_type(await client.webhook_endpoints.delete("whe_1"), WebhookEndpointDeleted)
    assert_type(await client.webhook_endpoints.rotate_secret("whe_1"), WebhookSecretRotation)
    async for delivery in client.webhook_endpoints.deliveries.list("whe_1"):
        assert_type(delivery, WebhookDelivery)
    assert_type(
        await client.webhook_endpoints.deliveries.redeliver("whe_1", "whd_1"), WebhookDelivery
    )
    assert_type(await client.api_keys.create(name="ERP", scopes="documents:read"), ApiKeyWithSecret)
    async for key in client.api_keys.list():
        assert_type(key, ApiKey)
    assert_type(await client.api_keys.retrieve("key_1"), ApiKey)
    assert_type(await client.api_keys.rotate("key_1"), ApiKeyWithSecret)
    assert_type(await client.api_keys.revoke("key_1"), ApiKey)


async def copies(client: AsyncNumora) -> None:
    assert_type(client.with_options(max_retries=0), AsyncNumora)
    async with AsyncNumora(api_key="sk_test_1", base_url="http://127.0.0.1:1") as opened:
        assert_type(opened, AsyncNumora)
