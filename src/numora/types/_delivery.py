# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""What ``client.delivery`` answers with. Import them from :mod:`numora.types`."""

from pydantic import AwareDatetime

from numora._models import NumoraModel

from ._shared import DocumentStatus, Metadata


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


# Their public home: reprs, pickles and the docs name `numora.types.<Name>`, which stays valid
# whichever private module the generator puts a class in.
for _cls in (
    OutboxItem,
    PageMeta,
    OutboxPage,
):
    _cls.__module__ = "numora.types"
