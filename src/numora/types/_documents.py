# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""What ``client.documents`` answers with. Import them from :mod:`numora.types`."""

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, ConfigDict, Field, with_config
from typing_extensions import TypedDict

from numora._mixins import CreatedMixin, DocumentStatusMixin
from numora._models import NumoraModel

from ._shared import DocumentStatus, Metadata


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


# Their public home: reprs, pickles and the docs name `numora.types.<Name>`, which stays valid
# whichever private module the generator puts a class in.
for _cls in (
    ReviewState,
    DocumentFailure,
    Document,
    CreatedDocument,
    FieldValue,
    LineItem,
    DocumentResult,
    DocumentPage,
    DocumentDispatch,
    DeliveryAttempt,
    DocumentDelivery,
):
    _cls.__module__ = "numora.types"
