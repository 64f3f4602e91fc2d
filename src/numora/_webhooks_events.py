"""The webhook event union, loaded on first use (it imports pydantic and numora.types)."""

from __future__ import annotations

from typing import Annotated, Any, Union

import pydantic

from numora._exceptions import WebhookVerificationError
from numora.types import (
    DocumentProcessingEvent,
    DocumentReviewedEvent,
    DocumentReviewRequiredEvent,
    PushFailedEvent,
    PushSucceededEvent,
    RunFailedEvent,
    WebhookEvent,
)

__all__ = ["Event", "parse_event"]

_UNKNOWN = "unknown"

_KNOWN: dict[str, type[pydantic.BaseModel]] = {
    "document.processing": DocumentProcessingEvent,
    "document.review_required": DocumentReviewRequiredEvent,
    "document.reviewed": DocumentReviewedEvent,
    "push.succeeded": PushSucceededEvent,
    "push.failed": PushFailedEvent,
    "run.failed": RunFailedEvent,
}


def _tag(value: Any) -> str | None:
    # Any type this SDK does not know yet goes to the generic envelope, so it never raises.
    if not isinstance(value, (dict, pydantic.BaseModel)):
        return None  # not a JSON object: pydantic reports it
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if isinstance(kind, str) and kind in _KNOWN else _UNKNOWN


Event = Annotated[
    Union[  # noqa: UP007 (a runtime union object: pydantic needs Annotated members in it)
        Annotated[DocumentProcessingEvent, pydantic.Tag("document.processing")],
        Annotated[DocumentReviewRequiredEvent, pydantic.Tag("document.review_required")],
        Annotated[DocumentReviewedEvent, pydantic.Tag("document.reviewed")],
        Annotated[PushSucceededEvent, pydantic.Tag("push.succeeded")],
        Annotated[PushFailedEvent, pydantic.Tag("push.failed")],
        Annotated[RunFailedEvent, pydantic.Tag("run.failed")],
        Annotated[WebhookEvent, pydantic.Tag(_UNKNOWN)],
    ],
    pydantic.Discriminator(_tag),
]
"""A webhook event: one model per documented ``type``, else the generic ``WebhookEvent``."""

_adapter: pydantic.TypeAdapter[Event] | None = None


def parse_event(body: bytes) -> Event:
    """Parse a verified body into its event model."""
    global _adapter  # noqa: PLW0603 (built once, on first use)
    if _adapter is None:
        _adapter = pydantic.TypeAdapter(Event)
    try:
        return _adapter.validate_json(body)
    except pydantic.ValidationError as exc:
        raise WebhookVerificationError(
            "The body is correctly signed but is not a Numora webhook event "
            f"({exc.error_count()} validation error(s): {_first_error(exc)}).",
            reason=WebhookVerificationError.INVALID_PAYLOAD,
        ) from exc


def _first_error(exc: pydantic.ValidationError) -> str:
    error = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in error["loc"]) or "body"
    return f"{where}: {error['msg']}"
