# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""What ``client.mappings`` answers with. Import them from :mod:`numora.types`."""

from pydantic import AwareDatetime

from numora._models import NumoraModel


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


# Their public home: reprs, pickles and the docs name `numora.types.<Name>`, which stays valid
# whichever private module the generator puts a class in.
for _cls in (
    MappingField,
    Mapping,
):
    _cls.__module__ = "numora.types"
