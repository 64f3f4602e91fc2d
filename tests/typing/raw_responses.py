"""``with_raw_response`` on both clients as a type checker sees it (checked, never run)."""

from __future__ import annotations

from typing_extensions import assert_type

from numora import APIResponse, AsyncNumora, AsyncPage, Numora, SyncPage
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

NOW = "2026-03-21T14:20:00.000Z"


def sync_raw(client: Numora) -> None:
    raw = client.with_raw_response
    created = raw.documents.create(schema="invoice_v2", file_url="https://example.com/a.pdf")
    assert_type(created, APIResponse[CreatedDocument])
    assert_type(created.parse(), CreatedDocument)
    page = raw.documents.list()
    assert_type(page, APIResponse[SyncPage[Document]])
    for doc in page.parse():
        assert_type(doc, Document)
    assert_type(raw.documents.retrieve("doc_1"), APIResponse[Document])
    assert_type(raw.documents.retrieve_result("doc_1"), APIResponse[DocumentResult])
    assert_type(raw.documents.approve("doc_1"), APIResponse[Document])
    assert_type(raw.documents.reject("doc_1"), APIResponse[Document])
    assert_type(raw.documents.retry_push("doc_1"), APIResponse[Document])
    assert_type(raw.documents.dispatch("doc_1", provider="x"), APIResponse[DocumentDispatch])
    # Helpers make many calls, so they return their result on the raw view too.
    assert_type(raw.documents.wait("doc_1"), Document)
    assert_type(raw.documents.create_and_wait(schema="s", file=b"%PDF"), Document)
    assert_type(raw.documents.delivery.retrieve("doc_1"), APIResponse[DocumentDelivery])
    assert_type(
        raw.documents.delivery.record(
            "doc_1", provider="p", status="skipped", execution_id="e", attempted_at=NOW
        ),
        APIResponse[DeliveryAttempt],
    )
    assert_type(raw.delivery.outbox.list(), APIResponse[SyncPage[OutboxItem]])
    assert_type(raw.dynamics.sessions.create(destination_id="d"), APIResponse[DynamicsSession])
    assert_type(raw.schemas.list(), APIResponse[SyncPage[SchemaSummary]])
    assert_type(raw.schemas.retrieve("s"), APIResponse[SchemaDetail])
    assert_type(raw.destinations.list(), APIResponse[SyncPage[Destination]])
    assert_type(raw.destinations.create(provider="p", display_name="d"), APIResponse[Destination])
    assert_type(raw.destinations.retrieve("d"), APIResponse[Destination])
    assert_type(raw.destinations.test("d"), APIResponse[DestinationTestResult])
    assert_type(raw.mappings.retrieve("s", "d"), APIResponse[Mapping])
    assert_type(raw.mappings.update("s", "d", fields=[]), APIResponse[Mapping])
    assert_type(raw.workflows.list(), APIResponse[SyncPage[Workflow]])
    assert_type(raw.workflows.dispatch("w", document_id="d"), APIResponse[WorkflowDispatch])
    assert_type(raw.runs.retrieve("r"), APIResponse[Run])
    assert_type(raw.runs.wait("r"), Run)
    assert_type(raw.runs.logs.list("r"), APIResponse[SyncPage[RunLog]])
    endpoints = raw.webhook_endpoints
    assert_type(endpoints.create(url="https://x"), APIResponse[WebhookEndpointWithSecret])
    assert_type(endpoints.list(), APIResponse[SyncPage[WebhookEndpoint]])
    assert_type(endpoints.retrieve("w"), APIResponse[WebhookEndpoint])
    assert_type(endpoints.update("w", description="d"), APIResponse[WebhookEndpoint])
    assert_type(endpoints.delete("w"), APIResponse[WebhookEndpointDeleted])
    assert_type(endpoints.rotate_secret("w"), APIResponse[WebhookSecretRotation])
    assert_type(endpoints.deliveries.list("w"), APIResponse[SyncPage[WebhookDelivery]])
    assert_type(endpoints.deliveries.redeliver("w", "d"), APIResponse[WebhookDelivery])
    assert_type(raw.api_keys.create(name="n", scopes=[]), APIResponse[ApiKeyWithSecret])
    assert_type(raw.api_keys.list(), APIResponse[SyncPage[ApiKey]])
    assert_type(raw.api_keys.retrieve("k"), APIResponse[ApiKey])
    assert_type(raw.api_keys.rotate("k"), APIResponse[ApiKeyWithSecret])
    assert_type(raw.api_keys.revoke("k"), APIResponse[ApiKey])


async def async_raw(client: AsyncNumora) -> None:
    raw = client.with_raw_response
    created = await raw.documents.create(schema="invoice_v2", file_url="https://x/a.pdf")
    assert_type(created, APIResponse[CreatedDocument])
    page = await raw.documents.list()
    assert_type(page, APIResponse[AsyncPage[Document]])
    async for doc in page.parse():
        assert_type(doc, Document)
    assert_type(await raw.documents.retrieve("doc_1"), APIResponse[Document])
    assert_type(await raw.documents.retrieve_result("doc_1"), APIResponse[DocumentResult])
    assert_type(await raw.documents.approve("doc_1"), APIResponse[Document])
    assert_type(await raw.documents.reject("doc_1"), APIResponse[Document])
    assert_type(await raw.documents.retry_push("doc_1"), APIResponse[Document])
    assert_type(await raw.documents.dispatch("d", provider="x"), APIResponse[DocumentDispatch])
    assert_type(await raw.documents.wait("doc_1"), Document)
    assert_type(await raw.documents.create_and_wait(schema="s", file=b"%PDF"), Document)
    assert_type(await raw.documents.delivery.retrieve("d"), APIResponse[DocumentDelivery])
    assert_type(
        await raw.documents.delivery.record(
            "d", provider="p", status="skipped", execution_id="e", attempted_at=NOW
        ),
        APIResponse[DeliveryAttempt],
    )
    assert_type(await raw.delivery.outbox.list(), APIResponse[AsyncPage[OutboxItem]])
    assert_type(
        await raw.dynamics.sessions.create(destination_id="d"), APIResponse[DynamicsSession]
    )
    assert_type(await raw.schemas.list(), APIResponse[AsyncPage[SchemaSummary]])
    assert_type(await raw.schemas.retrieve("s"), APIResponse[SchemaDetail])
    assert_type(await raw.destinations.list(), APIResponse[AsyncPage[Destination]])
    assert_type(
        await raw.destinations.create(provider="p", display_name="d"), APIResponse[Destination]
    )
    assert_type(await raw.destinations.retrieve("d"), APIResponse[Destination])
    assert_type(await raw.destinations.test("d"), APIResponse[DestinationTestResult])
    assert_type(await raw.mappings.retrieve("s", "d"), APIResponse[Mapping])
    assert_type(await raw.mappings.update("s", "d", fields=[]), APIResponse[Mapping])
    assert_type(await raw.workflows.list(), APIResponse[AsyncPage[Workflow]])
    assert_type(await raw.workflows.dispatch("w", document_id="d"), APIResponse[WorkflowDispatch])
    assert_type(await raw.runs.retrieve("r"), APIResponse[Run])
    assert_type(await raw.runs.wait("r"), Run)
    assert_type(await raw.runs.logs.list("r"), APIResponse[AsyncPage[RunLog]])
    endpoints = raw.webhook_endpoints
    assert_type(await endpoints.create(url="https://x"), APIResponse[WebhookEndpointWithSecret])
    assert_type(await endpoints.list(), APIResponse[AsyncPage[WebhookEndpoint]])
    assert_type(await endpoints.retrieve("w"), APIResponse[WebhookEndpoint])
    assert_type(await endpoints.update("w", url="https://x"), APIResponse[WebhookEndpoint])
    assert_type(await endpoints.delete("w"), APIResponse[WebhookEndpointDeleted])
    assert_type(await endpoints.rotate_secret("w"), APIResponse[WebhookSecretRotation])
    assert_type(await endpoints.deliveries.list("w"), APIResponse[AsyncPage[WebhookDelivery]])
    assert_type(await endpoints.deliveries.redeliver("w", "d"), APIResponse[WebhookDelivery])
    assert_type(await raw.api_keys.create(name="n", scopes=[]), APIResponse[ApiKeyWithSecret])
    assert_type(await raw.api_keys.list(), APIResponse[AsyncPage[ApiKey]])
    assert_type(await raw.api_keys.retrieve("k"), APIResponse[ApiKey])
    assert_type(await raw.api_keys.rotate("k"), APIResponse[ApiKeyWithSecret])
    assert_type(await raw.api_keys.revoke("k"), APIResponse[ApiKey])
