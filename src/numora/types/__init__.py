# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""Typed models of every Numora API resource, page, request body and webhook event.

Every class derives from :class:`numora._models.NumoraModel`: unknown fields are kept,
enums are open (``Literal[...] | str``), timestamps are timezone-aware, attributes and dumps
use the wire names (``doc.schema``). ``FieldValue`` is a ``TypedDict`` checked when a
response is parsed: read ``fv["value"]`` and ``fv["confidence"]`` (``None`` when missing).
Secrets (``secret``, ``access_token``, destination ``credentials``) are ``SecretStr``:
call ``.get_secret_value()`` to read them; reprs and ``to_dict()`` mask them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, ConfigDict, Field, SecretStr, StringConstraints, with_config
from typing_extensions import TypeAliasType, TypedDict

from numora._mixins import CreatedMixin, DocumentStatusMixin
from numora._models import NumoraModel

DocumentStatus = TypeAliasType(
    "DocumentStatus",
    Literal[
        "processing",
        "review_required",
        "reviewed",
        "push_pending",
        "push_succeeded",
        "push_failed",
        "failed",
    ]
    | str,
)
"""A document's status. Open: the preview may still show internal values such as `pending` or `for_review`, and new ones may appear; unknown values are kept as strings."""


ErrorCode = TypeAliasType(
    "ErrorCode",
    Literal[
        "unauthorized",
        "forbidden",
        "invalid_payload",
        "invalid_schema",
        "unsupported_file_type",
        "file_too_large",
        "not_found",
        "conflict",
        "rate_limited",
        "insufficient_credits",
        "provider_error",
        "internal_error",
    ]
    | str,
)
"""A machine-readable error code. Open: unknown codes are kept as strings."""


RunStatus = TypeAliasType(
    "RunStatus", Literal["queued", "running", "succeeded", "failed", "cancelled"] | str
)
"""A workflow run's status (open)."""


EventType = TypeAliasType(
    "EventType",
    Literal[
        "document.processing",
        "document.review_required",
        "document.reviewed",
        "push.succeeded",
        "push.failed",
        "run.failed",
    ]
    | str,
)
"""A webhook event type. Open: new types may appear."""


ApiKeyScope = TypeAliasType(
    "ApiKeyScope",
    Literal[
        "documents:read",
        "documents:write",
        "review:write",
        "delivery:write",
        "destinations:read",
        "destinations:write",
        "mappings:read",
        "mappings:write",
        "workflows:read",
        "workflows:write",
        "runs:read",
        "webhooks:read",
        "webhooks:write",
        "api_keys:write",
    ]
    | str,
)
"""An API key scope (open)."""


Metadata = TypeAliasType("Metadata", dict[str, str | int | float | bool])
"""Your own key-value data attached to a document: string keys to string, number or boolean values."""


class ErrorDetail(NumoraModel):
    """The error inside an error response."""

    code: ErrorCode
    message: str
    """A human-readable description of the error."""
    request_id: str | None = None
    """The request id (also in the `x-request-id` header); quote it to support."""


class ErrorResponse(NumoraModel):
    """The body of every error response."""

    error: ErrorDetail


class ReviewState(NumoraModel):
    """What a reviewer confirmed. Both lists empty normalizes to `null`."""

    version: int
    """Version of this structure (1)."""
    confirmed_general_field_names: list[str]
    """Names of confirmed document-level fields."""
    confirmed_line_item_ids: list[str]
    """Ids of confirmed line items."""


class DocumentFailure(NumoraModel):
    """Why a document failed."""

    code: str
    """Failure code (open)."""
    message: str
    """Human-readable explanation."""


class Document(DocumentStatusMixin, NumoraModel):
    """A submitted document and where it is in its lifecycle."""

    id: str
    """Opaque document id (`doc_…` or a UUID)."""
    schema: str  # type: ignore[assignment]  # wire name, shadows BaseModel.schema()
    """The extraction schema, with its version (for example `invoice_v2`)."""
    status: DocumentStatus
    external_id: str | None = None
    """Your identifier for this document, if you sent one."""
    metadata: Metadata
    created_at: AwareDatetime
    """When the document was submitted."""
    updated_at: AwareDatetime
    """When the document last changed; send it back as `expected_updated_at`."""
    review_state: ReviewState | None = None
    duplicate_of: str | None = None
    """Id of the document this one duplicates, if any."""
    failure: DocumentFailure | None = None
    rejection_reason: str | None = None
    """Reason given when the extraction was rejected."""


class CreatedDocument(CreatedMixin, DocumentStatusMixin, NumoraModel):
    """The answer to a document submission (202 for a new document, 200 when `external_id` matched an existing one)."""

    id: str
    """Opaque document id."""
    schema: str  # type: ignore[assignment]  # wire name, shadows BaseModel.schema()
    """The extraction schema."""
    status: DocumentStatus
    status_url: str
    """Relative path of the document resource, resolved against the base URL."""
    result_url: str
    """Relative path of the extraction result, resolved against the base URL."""


@with_config(ConfigDict(extra="allow", strict=True, allow_inf_nan=False))
class FieldValue(TypedDict):
    """An extracted value (string, number, boolean, object, array or null) and the confidence in it (a number from 0 to 1, or null). A TypedDict: read `fv["value"]` and `fv["confidence"]`. Checked when a response is parsed; a missing confidence reads as null."""

    value: Any
    confidence: Annotated[float | None, Field(ge=0.0, le=1.0, default=None)]


class LineItem(NumoraModel):
    """One line of a document (for example an invoice row)."""

    id: str
    """Stable line item id (for example `li_1`)."""
    fields: dict[str, FieldValue]
    """Field name to extracted value."""


class DocumentResult(DocumentStatusMixin, NumoraModel):
    """The extraction result of a document."""

    id: str
    """Document id."""
    schema: str  # type: ignore[assignment]  # wire name, shadows BaseModel.schema()
    """The extraction schema."""
    status: DocumentStatus
    review_state: ReviewState | None = None
    confidence: float | None = None
    """Overall confidence between 0 and 1."""
    fields: dict[str, FieldValue]
    """Document-level field name to extracted value."""
    line_items: list[LineItem]
    """Extracted line items."""
    duplicate_of: str | None = None
    """Id of the document this one duplicates, if any."""


class DocumentPage(NumoraModel):
    """A page of documents, newest first."""

    data: list[Document]
    """The items of this page."""
    next_cursor: str | None = None
    """Cursor of the next page, sent back unchanged as `cursor`; `null` or absent at the end of the list."""


class DocumentDispatch(NumoraModel):
    """The answer to a document dispatch."""

    document_id: str
    """Document id."""
    status: DocumentStatus
    route: Literal["workflow", "n8n_executor"] | str
    """How the document is delivered: `workflow` (Numora pushes) or `n8n_executor` (an external executor calls back)."""
    run_id: str | None = None
    """The workflow run, for the `workflow` route; `null` for `n8n_executor`."""


class DeliveryAttempt(NumoraModel):
    """One recorded delivery attempt."""

    id: str
    """Attempt id (`att_…`)."""
    execution_id: str
    """The executor's idempotency identifier."""
    provider: str
    """Downstream provider, for example `dynamics365`."""
    status: Literal["succeeded", "failed", "skipped"] | str
    """Outcome of the attempt (open)."""
    external_record_id: str | None = None
    """Id of the record created downstream."""
    external_url: str | None = None
    """URL of the record downstream."""
    error_code: str | None = None
    """Provider error code on failure."""
    error_message: str | None = None
    """Provider error message on failure."""
    attempted_at: AwareDatetime
    """When the executor attempted delivery."""
    recorded_at: AwareDatetime
    """When Numora recorded the attempt."""


class DocumentDelivery(NumoraModel):
    """A document's delivery state and history."""

    document_id: str
    """Document id."""
    status: DocumentStatus
    attempts: list[DeliveryAttempt]
    """Attempts, oldest first."""


class OutboxItem(NumoraModel):
    """A reviewed document ready for delivery (legacy outbox)."""

    document_id: str
    """Document id."""
    schema: str  # type: ignore[assignment]  # wire name, shadows BaseModel.schema()
    """The extraction schema."""
    status: DocumentStatus
    external_id: str | None = None
    """Your identifier for the document."""
    metadata: Metadata | None = None
    result_url: str
    """Relative path of the result."""
    dispatch_url: str
    """Relative path to dispatch the document."""
    updated_at: AwareDatetime
    """When the document last changed."""


class PageMeta(NumoraModel):
    """Paging information of the legacy outbox."""

    next_cursor: str | None = None
    """Cursor of the next page; `null` or absent at the end."""


class OutboxPage(NumoraModel):
    """A page of the legacy outbox; its cursor is in `meta.next_cursor`."""

    data: list[OutboxItem]
    """The items of this page."""
    meta: PageMeta


class DynamicsSession(NumoraModel):
    """A short-lived Dataverse token for an external executor (legacy)."""

    access_token: SecretStr
    """The bearer token for Dataverse. Secret: never logged or shown in reprs."""
    expires_at: AwareDatetime
    """When the token expires."""
    instance_url: str
    """The Dataverse instance URL."""


class SchemaSummary(NumoraModel):
    """A document schema in the catalog."""

    id: str
    """Schema id with its version, for example `invoice_v2`."""
    label: str
    """Display name."""
    status: str
    """Availability status (open)."""


class SchemaPage(NumoraModel):
    """The schema catalog."""

    data: list[SchemaSummary]
    """The items of this page."""
    next_cursor: str | None = None
    """Cursor of the next page, sent back unchanged as `cursor`; `null` or absent at the end of the list."""


class SchemaField(NumoraModel):
    """One field a schema extracts."""

    name: str
    """Field name (key in `fields`)."""
    type: str
    """Value type, for example `string`, `number`, `date` (open)."""
    required: bool | None = None
    """Whether the field is always extracted."""
    description: str | None = None
    """What the field holds."""


class SchemaDetail(NumoraModel):
    """A schema with its field definitions."""

    id: str
    """Schema id."""
    label: str
    """Display name."""
    status: str
    """Availability status (open)."""
    fields: list[SchemaField]
    """Document-level fields."""
    line_item_fields: list[SchemaField]
    """Line item fields."""


class Destination(NumoraModel):
    """A downstream connection. Credentials are never returned."""

    id: str
    """Destination id (`dst_…`)."""
    provider: str
    """Provider, for example `dynamics365` (open)."""
    display_name: str
    """Display name."""
    status: str
    """Connection status (open)."""
    has_credentials: bool
    """Whether credentials are stored."""
    created_at: AwareDatetime
    """Creation time."""
    updated_at: AwareDatetime
    """Last change."""


class DestinationPage(NumoraModel):
    """A page of destinations."""

    data: list[Destination]
    """The items of this page."""
    next_cursor: str | None = None
    """Cursor of the next page, sent back unchanged as `cursor`; `null` or absent at the end of the list."""


class DestinationTestResult(NumoraModel):
    """The result of a connection test."""

    destination_id: str
    """Destination id."""
    ok: bool
    """Whether the connection works."""
    checked_at: AwareDatetime
    """When the test ran."""
    error_code: str | None = None
    """Provider error code when `ok` is false."""
    error_message: str | None = None
    """Provider error message when `ok` is false."""


class MappingField(NumoraModel):
    """One mapped field."""

    source: str
    """Schema field name."""
    target: str
    """Destination field name."""
    required: bool = False
    """Whether a value is required to push."""


class Mapping(NumoraModel):
    """The field mapping from a schema to a destination."""

    schema: str  # type: ignore[assignment]  # wire name, shadows BaseModel.schema()
    """Schema id."""
    destination_id: str
    """Destination id."""
    version: int
    """Increases on every change; send it back as `expected_version`."""
    fields: list[MappingField]
    """The mapped fields."""
    updated_at: AwareDatetime
    """Last change."""


class Workflow(NumoraModel):
    """A delivery workflow."""

    id: str
    """Workflow id (`wf_…`)."""
    name: str
    """Name."""
    status: str
    """Workflow status (open)."""
    version: int
    """Published version."""
    binding_count: int
    """Number of bindings using it."""
    updated_at: AwareDatetime
    """Last change."""


class WorkflowPage(NumoraModel):
    """A page of workflows."""

    data: list[Workflow]
    """The items of this page."""
    next_cursor: str | None = None
    """Cursor of the next page, sent back unchanged as `cursor`; `null` or absent at the end of the list."""


class WorkflowDispatch(NumoraModel):
    """The answer to a workflow dispatch: a queued run."""

    run_id: str
    """The new run (`run_…`)."""
    workflow_id: str
    """Workflow id."""
    status: RunStatus
    execution_mode: Literal["queued"] | str
    """Execution mode (open)."""


class RunError(NumoraModel):
    """Why a run failed."""

    code: str
    """Error code (open)."""
    message: str
    """Human-readable explanation."""


class Run(NumoraModel):
    """A workflow run."""

    id: str
    """Run id."""
    workflow_id: str
    """Workflow id."""
    document_id: str | None = None
    """The document the run delivers."""
    status: RunStatus
    outcome: Any | None = None
    """Workflow-defined outcome, if any."""
    error: RunError | None = None
    created_at: AwareDatetime
    """When the run was queued."""
    started_at: AwareDatetime | None = None
    """When it started."""
    finished_at: AwareDatetime | None = None
    """When it finished."""


class RunLog(NumoraModel):
    """One node-level log entry of a run."""

    id: str
    """Log entry id (`log_…`)."""
    node_id: str
    """Workflow node id."""
    node_name: str | None = None
    """Workflow node name."""
    status: str
    """Node status (open)."""
    level: Literal["debug", "info", "warning", "error"] | str | None = None
    """Log level (open)."""
    message: str | None = None
    """Log message."""
    started_at: AwareDatetime | None = None
    """When the node started."""
    finished_at: AwareDatetime | None = None
    """When the node finished."""
    duration_ms: int | None = None
    """Duration in milliseconds."""


class RunLogPage(NumoraModel):
    """A page of run log entries."""

    data: list[RunLog]
    """The items of this page."""
    next_cursor: str | None = None
    """Cursor of the next page, sent back unchanged as `cursor`; `null` or absent at the end of the list."""


class WebhookEndpoint(NumoraModel):
    """A URL that receives webhook events."""

    id: str
    """Endpoint id (`whe_…`)."""
    url: str
    """The HTTPS URL events are posted to."""
    events: list[EventType]
    """Event types sent to it."""
    status: Literal["enabled", "disabled"] | str
    """Whether events are sent (open)."""
    description: str | None = None
    """Your note."""
    created_at: AwareDatetime
    """Creation time."""
    updated_at: AwareDatetime
    """Last change."""


class WebhookEndpointWithSecret(WebhookEndpoint):
    """A webhook endpoint with its signing secret, revealed only once (at creation)."""

    secret: SecretStr
    """Signing secret (`whsec_…`). Store it now: it is never shown again."""


class WebhookEndpointPage(NumoraModel):
    """A page of webhook endpoints (no secrets)."""

    data: list[WebhookEndpoint]
    """The items of this page."""
    next_cursor: str | None = None
    """Cursor of the next page, sent back unchanged as `cursor`; `null` or absent at the end of the list."""


class WebhookEndpointDeleted(NumoraModel):
    """Confirmation of a deletion."""

    id: str
    """The deleted endpoint's id."""
    deleted: bool
    """Always true."""


class WebhookSecretRotation(NumoraModel):
    """A new signing secret; the previous one keeps signing beside it until `previous_secret_expires_at`."""

    secret: SecretStr
    """The new signing secret (`whsec_…`)."""
    previous_secret_expires_at: AwareDatetime | None = None
    """When the previous secret stops signing (24 hours)."""


class WebhookDelivery(NumoraModel):
    """One event delivery to an endpoint."""

    id: str
    """Delivery id (`whd_…`)."""
    event_id: str
    """Event id (`evt_…`)."""
    event_type: EventType
    status: Literal["pending", "succeeded", "failed"] | str
    """Delivery status (open)."""
    attempts: int
    """Attempts so far."""
    response_status: int | None = None
    """HTTP status of the last response."""
    error: str | None = None
    """Error of the last attempt."""
    next_attempt_at: AwareDatetime | None = None
    """When the next retry is due."""
    created_at: AwareDatetime
    """When the delivery was created."""


class WebhookDeliveryPage(NumoraModel):
    """A page of webhook deliveries."""

    data: list[WebhookDelivery]
    """The items of this page."""
    next_cursor: str | None = None
    """Cursor of the next page, sent back unchanged as `cursor`; `null` or absent at the end of the list."""


class ApiKey(NumoraModel):
    """An API key (never with its secret)."""

    id: str
    """Key id (`key_…`)."""
    name: str
    """Name."""
    scopes: list[ApiKeyScope]
    """What the key may do."""
    prefix: str
    """The first characters of the secret, to recognise it (for example `sk_live_ab12`)."""
    created_at: AwareDatetime
    """Creation time."""
    last_used_at: AwareDatetime | None = None
    """Last use."""
    expires_at: AwareDatetime | None = None
    """When the key stops working, if set."""
    revoked_at: AwareDatetime | None = None
    """When the key was revoked."""


class ApiKeyWithSecret(ApiKey):
    """An API key with its secret, revealed only once (at creation or rotation)."""

    secret: SecretStr
    """The key (`sk_live_…`). Store it now: it is never shown again."""


class ApiKeyPage(NumoraModel):
    """A page of API keys."""

    data: list[ApiKey]
    """The items of this page."""
    next_cursor: str | None = None
    """Cursor of the next page, sent back unchanged as `cursor`; `null` or absent at the end of the list."""


class DocumentEventData(NumoraModel):
    """The `data` of `document.*` events."""

    document_id: str
    """Document id."""
    schema: str  # type: ignore[assignment]  # wire name, shadows BaseModel.schema()
    """The extraction schema."""
    status: DocumentStatus
    external_id: str | None = None
    """Your identifier for the document."""


class PushEventData(NumoraModel):
    """The `data` of `push.*` events."""

    document_id: str
    """Document id."""
    provider: str
    """Downstream provider."""
    execution_id: str | None = None
    """The delivery's execution id."""
    external_record_id: str | None = None
    """Id of the record downstream."""
    error_code: str | None = None
    """Provider error code (`push.failed`)."""
    error_message: str | None = None
    """Provider error message (`push.failed`)."""


class RunFailedEventData(NumoraModel):
    """The `data` of `run.failed` events."""

    run_id: str
    """Run id."""
    workflow_id: str
    """Workflow id."""
    document_id: str | None = None
    """Document id."""
    error: RunError


class WebhookEvent(NumoraModel):
    """Any webhook event, including types this SDK does not know yet."""

    id: str
    """Event id (`evt_…`); de-duplicate on it."""
    type: str
    """The event type, for example `document.reviewed`."""
    created_at: AwareDatetime
    """When the event happened (whole seconds)."""
    data: dict[str, Any]
    """The event's data."""


class DocumentProcessingEvent(NumoraModel):
    """The `document.processing` webhook event."""

    id: str
    """Event id (`evt_…`); de-duplicate on it."""
    type: Literal["document.processing"]
    """The event type."""
    created_at: AwareDatetime
    """When the event happened (whole seconds)."""
    data: DocumentEventData


class DocumentReviewRequiredEvent(NumoraModel):
    """The `document.review_required` webhook event."""

    id: str
    """Event id (`evt_…`); de-duplicate on it."""
    type: Literal["document.review_required"]
    """The event type."""
    created_at: AwareDatetime
    """When the event happened (whole seconds)."""
    data: DocumentEventData


class DocumentReviewedEvent(NumoraModel):
    """The `document.reviewed` webhook event."""

    id: str
    """Event id (`evt_…`); de-duplicate on it."""
    type: Literal["document.reviewed"]
    """The event type."""
    created_at: AwareDatetime
    """When the event happened (whole seconds)."""
    data: DocumentEventData


class PushSucceededEvent(NumoraModel):
    """The `push.succeeded` webhook event."""

    id: str
    """Event id (`evt_…`); de-duplicate on it."""
    type: Literal["push.succeeded"]
    """The event type."""
    created_at: AwareDatetime
    """When the event happened (whole seconds)."""
    data: PushEventData


class PushFailedEvent(NumoraModel):
    """The `push.failed` webhook event."""

    id: str
    """Event id (`evt_…`); de-duplicate on it."""
    type: Literal["push.failed"]
    """The event type."""
    created_at: AwareDatetime
    """When the event happened (whole seconds)."""
    data: PushEventData


class RunFailedEvent(NumoraModel):
    """The `run.failed` webhook event."""

    id: str
    """Event id (`evt_…`); de-duplicate on it."""
    type: Literal["run.failed"]
    """The event type."""
    created_at: AwareDatetime
    """When the event happened (whole seconds)."""
    data: RunFailedEventData


MetadataString = TypeAliasType("MetadataString", Annotated[str, Field(max_length=500)])
"""A metadata string value."""


MetadataValue = TypeAliasType("MetadataValue", MetadataString | int | float | bool)
"""A metadata value: a string of at most 500 characters, a number or a boolean."""


MetadataInput = TypeAliasType(
    "MetadataInput",
    Annotated[
        dict[Annotated[str, StringConstraints(max_length=40)], MetadataValue], Field(max_length=50)
    ],
)
"""Metadata you send: at most 50 keys of at most 40 characters."""


class DocumentCreateRequest(NumoraModel):
    """Submit a document by URL (JSON). To upload a file use the multipart form of the same route."""

    schema: str  # type: ignore[assignment]  # wire name, shadows BaseModel.schema()
    """The extraction schema, for example `invoice_v2`."""
    file_url: str
    """An https URL Numora fetches the file from."""
    external_id: Annotated[str | None, Field(max_length=255)] = None
    """Your identifier; the same `external_id` and `schema` again returns the existing document."""
    metadata: MetadataInput | None = None


class DocumentApproveRequest(NumoraModel):
    """Confirm a document's result."""

    expected_updated_at: AwareDatetime | None = None
    """The `updated_at` you last saw; a stale value gives 409 `conflict`."""
    review_state: ReviewState | None = None


class DocumentRejectRequest(NumoraModel):
    """Reject a document's extraction."""

    reason: str | None = None
    """Why the extraction is rejected."""
    expected_updated_at: AwareDatetime | None = None
    """The `updated_at` you last saw; a stale value gives 409 `conflict`."""


class DocumentDispatchRequest(NumoraModel):
    """Start delivery of a reviewed document."""

    provider: str
    """Provider to deliver to, for example `dynamics365`."""


class DeliveryCallbackRequest(NumoraModel):
    """An external executor reports a delivery attempt. Idempotent on `execution_id`. `external_record_id` is required when `status` is `succeeded`."""

    provider: str
    """Downstream provider, for example `dynamics365`."""
    status: Literal["succeeded", "failed", "skipped"]
    """Outcome of the attempt."""
    execution_id: str
    """Your identifier of this attempt; repeat it on retries."""
    attempted_at: AwareDatetime
    """When the attempt happened."""
    external_record_id: str | None = None
    """Id of the record created downstream (required when `succeeded`)."""
    external_url: str | None = None
    """URL of the record downstream."""
    error_code: str | None = None
    """Provider error code."""
    error_message: str | None = None
    """Provider error message."""


class DynamicsSessionRequest(NumoraModel):
    """Ask for a Dataverse token (legacy)."""

    destination_id: str
    """The Dynamics 365 destination."""


class DestinationCreateRequest(NumoraModel):
    """Create a destination."""

    provider: str
    """Provider, for example `dynamics365`."""
    display_name: str
    """Display name."""
    credentials: dict[str, SecretStr] | None = None
    """Provider credentials; write-only, never returned. Values are secrets."""
    settings: dict[str, Any] | None = None
    """Provider settings."""


class MappingUpdateRequest(NumoraModel):
    """Replace a mapping."""

    fields: list[MappingField]
    """The new mapped fields."""
    expected_version: int | None = None
    """The `version` you last saw; a stale value gives 409 `conflict`."""


class WorkflowDispatchRequest(NumoraModel):
    """Create a run for one reviewed document."""

    document_id: str
    """The reviewed document."""
    execution_mode: Literal["queued"] = "queued"
    """Only `queued`."""


class WebhookEndpointCreateRequest(NumoraModel):
    """Create a webhook endpoint."""

    url: str
    """The HTTPS URL to post events to."""
    events: list[EventType] | None = None
    """Event types to send; all when omitted."""
    description: str | None = None
    """Your note."""


class WebhookEndpointUpdateRequest(NumoraModel):
    """Change a webhook endpoint; omitted fields are unchanged."""

    url: str | None = None
    """The HTTPS URL to post events to."""
    events: list[EventType] | None = None
    """Event types to send."""
    status: Literal["enabled", "disabled"] | None = None
    """Turn delivery on or off."""
    description: str | None = None
    """Your note."""


class ApiKeyCreateRequest(NumoraModel):
    """Create an API key."""

    name: str
    """Name."""
    scopes: list[ApiKeyScope]
    """What the key may do."""


class ApiKeyRotateRequest(NumoraModel):
    """Rotate an API key's secret."""

    expire_previous_in_seconds: Annotated[int, Field(ge=0)] = 0
    """How long the previous secret keeps working; 0 stops it at once."""


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
