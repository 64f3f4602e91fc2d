"""``client.webhook_endpoints``: where Numora sends events, with their secrets and logs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from typing_extensions import Unpack

from .._pagination import PageData, page_of
from .._params import check_limit, drop_none
from .._request import APIRequest
from .._resource import Resource, cached_resource, endpoint, model, paginated, path_id
from .._types import BodyRequestOptions, RequestOptions
from ..types import (
    EventType,
    WebhookDelivery,
    WebhookDeliveryPage,
    WebhookEndpoint,
    WebhookEndpointDeleted,
    WebhookEndpointPage,
    WebhookEndpointWithSecret,
    WebhookSecretRotation,
)
from ._shared import ClientT

__all__ = ["WebhookDeliveries", "WebhookEndpoints"]


def _events(events: EventType | Sequence[EventType] | None) -> list[str] | None:
    """One event type or several, as the list the API takes."""
    if events is None:
        return None
    return [events] if isinstance(events, str) else list(events)


class WebhookDeliveries(Resource[ClientT]):
    """``client.webhook_endpoints.deliveries``: the delivery log of one endpoint."""

    @paginated
    def list(
        self,
        endpoint_id: str,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> APIRequest[PageData[WebhookDelivery]]:
        """Deliveries to the endpoint, with attempts and the last response status."""
        return APIRequest(
            "GET",
            f"/webhook-endpoints/{path_id(endpoint_id, 'endpoint_id')}/deliveries",
            page_of(WebhookDeliveryPage, WebhookDelivery),
            query=drop_none(limit=check_limit(limit), cursor=cursor),
            options=options,
        )

    @endpoint
    def redeliver(
        self, endpoint_id: str, delivery_id: str, **options: Unpack[BodyRequestOptions]
    ) -> APIRequest[WebhookDelivery]:
        """Send the delivery again (answers 202 with the delivery)."""
        return APIRequest(
            "POST",
            f"/webhook-endpoints/{path_id(endpoint_id, 'endpoint_id')}/deliveries/"
            f"{path_id(delivery_id, 'delivery_id')}/redeliver",
            model(WebhookDelivery),
            json={},
            options=options,
        )


class WebhookEndpoints(Resource[ClientT]):
    """Webhook endpoints. The signing ``secret`` is shown once, at creation and rotation."""

    @cached_resource
    def deliveries(self) -> WebhookDeliveries[ClientT]:
        """Delivery logs per endpoint."""
        return WebhookDeliveries(self._client)

    @endpoint
    def create(
        self,
        *,
        url: str,
        events: EventType | Sequence[EventType] | None = None,
        description: str | None = None,
        **options: Unpack[BodyRequestOptions],
    ) -> APIRequest[WebhookEndpointWithSecret]:
        """Register an endpoint (``events`` default: all). Store ``result.secret`` now
        (``.get_secret_value()``): it is never shown again."""
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise ValueError(f"url must be an http(s) URL, got {url!r}")
        return APIRequest(
            "POST",
            "/webhook-endpoints",
            model(WebhookEndpointWithSecret),
            json=drop_none(url=url, events=_events(events), description=description),
            options=options,
        )

    @paginated
    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> APIRequest[PageData[WebhookEndpoint]]:
        """Every endpoint (secrets are never listed)."""
        return APIRequest(
            "GET",
            "/webhook-endpoints",
            page_of(WebhookEndpointPage, WebhookEndpoint),
            query=drop_none(limit=check_limit(limit), cursor=cursor),
            options=options,
        )

    @endpoint
    def retrieve(
        self, endpoint_id: str, **options: Unpack[RequestOptions]
    ) -> APIRequest[WebhookEndpoint]:
        """One endpoint."""
        return APIRequest(
            "GET",
            f"/webhook-endpoints/{path_id(endpoint_id, 'endpoint_id')}",
            model(WebhookEndpoint),
            options=options,
        )

    @endpoint
    def update(
        self,
        endpoint_id: str,
        *,
        url: str | None = None,
        events: EventType | Sequence[EventType] | None = None,
        status: Literal["enabled", "disabled"] | None = None,
        description: str | None = None,
        **options: Unpack[BodyRequestOptions],
    ) -> APIRequest[WebhookEndpoint]:
        """Change the endpoint; arguments left as ``None`` are not changed."""
        body = drop_none(url=url, events=_events(events), status=status, description=description)
        if not body and not options.get("extra_body"):
            raise ValueError("Nothing to update: pass url, events, status or description")
        return APIRequest(
            "PATCH",
            f"/webhook-endpoints/{path_id(endpoint_id, 'endpoint_id')}",
            model(WebhookEndpoint),
            json=body,
            options=options,
        )

    @endpoint
    def delete(
        self, endpoint_id: str, **options: Unpack[RequestOptions]
    ) -> APIRequest[WebhookEndpointDeleted]:
        """Delete the endpoint."""
        return APIRequest(
            "DELETE",
            f"/webhook-endpoints/{path_id(endpoint_id, 'endpoint_id')}",
            model(WebhookEndpointDeleted),
            options=options,
        )

    @endpoint
    def rotate_secret(
        self, endpoint_id: str, **options: Unpack[BodyRequestOptions]
    ) -> APIRequest[WebhookSecretRotation]:
        """A new signing secret; the old one keeps signing beside it for 24 h, so keep both
        in your receiver (``webhooks.verify`` takes a list) until
        ``previous_secret_expires_at``."""
        return APIRequest(
            "POST",
            f"/webhook-endpoints/{path_id(endpoint_id, 'endpoint_id')}/rotate-secret",
            model(WebhookSecretRotation),
            json={},
            options=options,
        )
