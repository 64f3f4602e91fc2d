# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""What ``client.schemas`` answers with. Import them from :mod:`numora.types`."""

from numora._models import NumoraModel


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


# Their public home: reprs, pickles and the docs name `numora.types.<Name>`, which stays valid
# whichever private module the generator puts a class in.
for _cls in (
    SchemaSummary,
    SchemaPage,
    SchemaField,
    SchemaDetail,
):
    _cls.__module__ = "numora.types"
