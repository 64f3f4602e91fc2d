"""``client.delivery.outbox`` (deprecated): the legacy pull model of delivery."""

from __future__ import annotations

from typing_extensions import Unpack

from .._pagination import PageData, page_of
from .._params import check_limit, deprecated_route, drop_none
from .._request import APIRequest
from .._resource import Resource, cached_resource, paginated
from .._types import RequestOptions
from ..types import OutboxItem, OutboxPage
from ._shared import ClientT

__all__ = ["Delivery", "Outbox"]


class Outbox(Resource[ClientT]):
    """The legacy delivery outbox. Deprecated: Numora removed it from the recommended model."""

    @paginated
    def list(
        self,
        *,
        provider: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> APIRequest[PageData[OutboxItem]]:
        """Reviewed documents ready for delivery (the cursor is at ``meta.next_cursor``).

        .. deprecated:: use ``documents.dispatch()`` to start delivery, and
           ``documents.delivery.record()`` to report an external executor's attempt.
        """
        deprecated_route(
            "delivery.outbox.list()",
            "documents.dispatch() and the delivery callback documents.delivery.record()",
        )
        return APIRequest(
            "GET",
            "/delivery/outbox",
            page_of(OutboxPage, OutboxItem),
            query=drop_none(provider=provider, limit=check_limit(limit), cursor=cursor),
            options=options,
        )


class Delivery(Resource[ClientT]):
    """``client.delivery``: legacy delivery routes."""

    @cached_resource
    def outbox(self) -> Outbox[ClientT]:
        """The legacy outbox (deprecated)."""
        return Outbox(self._client)
