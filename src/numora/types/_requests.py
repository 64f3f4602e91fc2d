# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""Request bodies, as the API reads them (the SDK's methods take keyword arguments and check them; these models describe and check the same shapes). Import them from :mod:`numora.types`."""

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, SecretStr, StringConstraints
from typing_extensions import TypeAliasType

from numora._models import NumoraModel

from ._api_keys import ApiKeyScope
from ._documents import ReviewState
from ._mappings import MappingField
from ._webhook_endpoints import EventType

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


# Their public home: reprs, pickles and the docs name `numora.types.<Name>`, which stays valid
# whichever private module the generator puts a class in.
for _cls in (
    DocumentCreateRequest,
    DocumentApproveRequest,
    DocumentRejectRequest,
    DocumentDispatchRequest,
    DeliveryCallbackRequest,
    DynamicsSessionRequest,
    DestinationCreateRequest,
    MappingUpdateRequest,
    WorkflowDispatchRequest,
    WebhookEndpointCreateRequest,
    WebhookEndpointUpdateRequest,
    ApiKeyCreateRequest,
    ApiKeyRotateRequest,
):
    _cls.__module__ = "numora.types"
