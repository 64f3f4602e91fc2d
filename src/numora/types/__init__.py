# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""Typed models of every Numora API resource, page, request body and webhook event.

Every class derives from :class:`numora._models.NumoraModel`: unknown fields are kept,
enums are open (``Literal[...] | str``), timestamps are timezone-aware, attributes and dumps
use the wire names (``doc.schema``). ``FieldValue`` is a ``TypedDict`` checked when a
response is parsed: read ``fv["value"]`` and ``fv["confidence"]`` (``None`` when missing).
Secrets (``secret``, ``access_token``, destination ``credentials``) are ``SecretStr``:
call ``.get_secret_value()`` to read them; reprs and ``to_dict()`` mask them.

Each name is loaded on first use, with the other models of the resource that returns it
(``from numora.types import Document`` builds the models of ``client.documents`` only), so a
program pays at start-up only for the models it uses.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._api_keys import ApiKey, ApiKeyPage, ApiKeyScope, ApiKeyWithSecret
    from ._delivery import OutboxItem, OutboxPage, PageMeta
    from ._destinations import Destination, DestinationPage, DestinationTestResult
    from ._documents import (
        CreatedDocument,
        DeliveryAttempt,
        Document,
        DocumentDelivery,
        DocumentDispatch,
        DocumentFailure,
        DocumentPage,
        DocumentResult,
        FieldValue,
        LineItem,
        ReviewState,
    )
    from ._dynamics import DynamicsSession
    from ._mappings import Mapping, MappingField
    from ._other import ErrorCode, ErrorDetail, ErrorResponse, WebhookEvent
    from ._requests import (
        ApiKeyCreateRequest,
        ApiKeyRotateRequest,
        DeliveryCallbackRequest,
        DestinationCreateRequest,
        DocumentApproveRequest,
        DocumentCreateRequest,
        DocumentDispatchRequest,
        DocumentRejectRequest,
        DynamicsSessionRequest,
        MappingUpdateRequest,
        MetadataInput,
        MetadataString,
        MetadataValue,
        WebhookEndpointCreateRequest,
        WebhookEndpointUpdateRequest,
        WorkflowDispatchRequest,
    )
    from ._runs import Run, RunLog, RunLogPage
    from ._schemas import SchemaDetail, SchemaField, SchemaPage, SchemaSummary
    from ._shared import DocumentStatus, Metadata, RunError, RunStatus
    from ._webhook_endpoints import (
        EventType,
        WebhookDelivery,
        WebhookDeliveryPage,
        WebhookEndpoint,
        WebhookEndpointDeleted,
        WebhookEndpointPage,
        WebhookEndpointWithSecret,
        WebhookSecretRotation,
    )
    from ._webhooks import (
        DocumentEventData,
        DocumentProcessingEvent,
        DocumentReviewedEvent,
        DocumentReviewRequiredEvent,
        PushEventData,
        PushFailedEvent,
        PushSucceededEvent,
        RunFailedEvent,
        RunFailedEventData,
    )
    from ._workflows import Workflow, WorkflowDispatch, WorkflowPage

__all__ = [
    "ApiKey",
    "ApiKeyCreateRequest",
    "ApiKeyPage",
    "ApiKeyRotateRequest",
    "ApiKeyScope",
    "ApiKeyWithSecret",
    "CreatedDocument",
    "DeliveryAttempt",
    "DeliveryCallbackRequest",
    "Destination",
    "DestinationCreateRequest",
    "DestinationPage",
    "DestinationTestResult",
    "Document",
    "DocumentApproveRequest",
    "DocumentCreateRequest",
    "DocumentDelivery",
    "DocumentDispatch",
    "DocumentDispatchRequest",
    "DocumentEventData",
    "DocumentFailure",
    "DocumentPage",
    "DocumentProcessingEvent",
    "DocumentRejectRequest",
    "DocumentResult",
    "DocumentReviewRequiredEvent",
    "DocumentReviewedEvent",
    "DocumentStatus",
    "DynamicsSession",
    "DynamicsSessionRequest",
    "ErrorCode",
    "ErrorDetail",
    "ErrorResponse",
    "EventType",
    "FieldValue",
    "LineItem",
    "Mapping",
    "MappingField",
    "MappingUpdateRequest",
    "Metadata",
    "MetadataInput",
    "MetadataString",
    "MetadataValue",
    "OutboxItem",
    "OutboxPage",
    "PageMeta",
    "PushEventData",
    "PushFailedEvent",
    "PushSucceededEvent",
    "ReviewState",
    "Run",
    "RunError",
    "RunFailedEvent",
    "RunFailedEventData",
    "RunLog",
    "RunLogPage",
    "RunStatus",
    "SchemaDetail",
    "SchemaField",
    "SchemaPage",
    "SchemaSummary",
    "WebhookDelivery",
    "WebhookDeliveryPage",
    "WebhookEndpoint",
    "WebhookEndpointCreateRequest",
    "WebhookEndpointDeleted",
    "WebhookEndpointPage",
    "WebhookEndpointUpdateRequest",
    "WebhookEndpointWithSecret",
    "WebhookEvent",
    "WebhookSecretRotation",
    "Workflow",
    "WorkflowDispatch",
    "WorkflowDispatchRequest",
    "WorkflowPage",
]

# name -> the module that defines it, imported on first use (PEP 562).
_MODULES: dict[str, str] = {
    "ApiKey": "._api_keys",
    "ApiKeyCreateRequest": "._requests",
    "ApiKeyPage": "._api_keys",
    "ApiKeyRotateRequest": "._requests",
    "ApiKeyScope": "._api_keys",
    "ApiKeyWithSecret": "._api_keys",
    "CreatedDocument": "._documents",
    "DeliveryAttempt": "._documents",
    "DeliveryCallbackRequest": "._requests",
    "Destination": "._destinations",
    "DestinationCreateRequest": "._requests",
    "DestinationPage": "._destinations",
    "DestinationTestResult": "._destinations",
    "Document": "._documents",
    "DocumentApproveRequest": "._requests",
    "DocumentCreateRequest": "._requests",
    "DocumentDelivery": "._documents",
    "DocumentDispatch": "._documents",
    "DocumentDispatchRequest": "._requests",
    "DocumentEventData": "._webhooks",
    "DocumentFailure": "._documents",
    "DocumentPage": "._documents",
    "DocumentProcessingEvent": "._webhooks",
    "DocumentRejectRequest": "._requests",
    "DocumentResult": "._documents",
    "DocumentReviewRequiredEvent": "._webhooks",
    "DocumentReviewedEvent": "._webhooks",
    "DocumentStatus": "._shared",
    "DynamicsSession": "._dynamics",
    "DynamicsSessionRequest": "._requests",
    "ErrorCode": "._other",
    "ErrorDetail": "._other",
    "ErrorResponse": "._other",
    "EventType": "._webhook_endpoints",
    "FieldValue": "._documents",
    "LineItem": "._documents",
    "Mapping": "._mappings",
    "MappingField": "._mappings",
    "MappingUpdateRequest": "._requests",
    "Metadata": "._shared",
    "MetadataInput": "._requests",
    "MetadataString": "._requests",
    "MetadataValue": "._requests",
    "OutboxItem": "._delivery",
    "OutboxPage": "._delivery",
    "PageMeta": "._delivery",
    "PushEventData": "._webhooks",
    "PushFailedEvent": "._webhooks",
    "PushSucceededEvent": "._webhooks",
    "ReviewState": "._documents",
    "Run": "._runs",
    "RunError": "._shared",
    "RunFailedEvent": "._webhooks",
    "RunFailedEventData": "._webhooks",
    "RunLog": "._runs",
    "RunLogPage": "._runs",
    "RunStatus": "._shared",
    "SchemaDetail": "._schemas",
    "SchemaField": "._schemas",
    "SchemaPage": "._schemas",
    "SchemaSummary": "._schemas",
    "WebhookDelivery": "._webhook_endpoints",
    "WebhookDeliveryPage": "._webhook_endpoints",
    "WebhookEndpoint": "._webhook_endpoints",
    "WebhookEndpointCreateRequest": "._requests",
    "WebhookEndpointDeleted": "._webhook_endpoints",
    "WebhookEndpointPage": "._webhook_endpoints",
    "WebhookEndpointUpdateRequest": "._requests",
    "WebhookEndpointWithSecret": "._webhook_endpoints",
    "WebhookEvent": "._other",
    "WebhookSecretRotation": "._webhook_endpoints",
    "Workflow": "._workflows",
    "WorkflowDispatch": "._workflows",
    "WorkflowDispatchRequest": "._requests",
    "WorkflowPage": "._workflows",
}

if not TYPE_CHECKING:  # checkers read the imports above, so a misspelt name is an error

    def __getattr__(name: str) -> Any:
        module = _MODULES.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(import_module(module, __name__), name)
        globals()[name] = value  # later lookups skip this function
        return value


def __dir__() -> list[str]:
    return sorted(__all__)
