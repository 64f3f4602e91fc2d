# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""Error bodies and the generic webhook event envelope. Import them from :mod:`numora.types`."""

from typing import Any, Literal

from pydantic import AwareDatetime
from typing_extensions import TypeAliasType

from numora._models import NumoraModel

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


# Their public home: reprs, pickles and the docs name `numora.types.<Name>`, which stays valid
# whichever private module the generator puts a class in.
for _cls in (
    ErrorDetail,
    ErrorResponse,
    WebhookEvent,
):
    _cls.__module__ = "numora.types"
