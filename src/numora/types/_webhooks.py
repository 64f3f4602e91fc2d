# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""The webhook events :mod:`numora.webhooks` parses. Import them from :mod:`numora.types`."""

from typing import Literal

from pydantic import AwareDatetime

from numora._models import NumoraModel

from ._shared import DocumentStatus, RunError


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


# Their public home: reprs, pickles and the docs name `numora.types.<Name>`, which stays valid
# whichever private module the generator puts a class in.
for _cls in (
    DocumentEventData,
    PushEventData,
    RunFailedEventData,
    DocumentProcessingEvent,
    DocumentReviewRequiredEvent,
    DocumentReviewedEvent,
    PushSucceededEvent,
    PushFailedEvent,
    RunFailedEvent,
):
    _cls.__module__ = "numora.types"
