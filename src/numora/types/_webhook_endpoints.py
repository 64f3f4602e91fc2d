# Generated from spec/numora-v1.openapi.yaml by `python scripts/generate_models.py`.
# Do not edit by hand: change the spec, then run the script again.
"""What ``client.webhook_endpoints`` answers with. Import them from :mod:`numora.types`."""

from typing import Literal

from pydantic import AwareDatetime, SecretStr
from typing_extensions import TypeAliasType

from numora._models import NumoraModel

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


# Their public home: reprs, pickles and the docs name `numora.types.<Name>`, which stays valid
# whichever private module the generator puts a class in.
for _cls in (
    WebhookEndpoint,
    WebhookEndpointWithSecret,
    WebhookEndpointPage,
    WebhookEndpointDeleted,
    WebhookSecretRotation,
    WebhookDelivery,
    WebhookDeliveryPage,
):
    _cls.__module__ = "numora.types"
