# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""What ``client.destinations`` answers with. Import them from :mod:`numora.types`."""

from pydantic import AwareDatetime

from numora._models import NumoraModel


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


# Their public home: reprs, pickles and the docs name `numora.types.<Name>`, which stays valid
# whichever private module the generator puts a class in.
for _cls in (
    Destination,
    DestinationPage,
    DestinationTestResult,
):
    _cls.__module__ = "numora.types"
