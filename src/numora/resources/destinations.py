"""``client.destinations``: downstream connections (Dynamics 365 first)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from typing_extensions import Unpack

from .._pagination import PageData, page_of
from .._params import check_limit, drop_none
from .._request import APIRequest
from .._resource import Resource, endpoint, model, paginated, path_id
from .._types import BodyRequestOptions, RequestOptions
from ..types import Destination, DestinationPage, DestinationTestResult
from ._shared import ClientT

__all__ = ["Destinations"]


class Destinations(Resource[ClientT]):
    """Destinations documents are delivered to. Credentials are write-only."""

    @paginated
    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> APIRequest[PageData[Destination]]:
        """Every destination (iterate the result)."""
        return APIRequest(
            "GET",
            "/destinations",
            page_of(DestinationPage, Destination),
            query=drop_none(limit=check_limit(limit), cursor=cursor),
            options=options,
        )

    @endpoint
    def create(
        self,
        *,
        provider: str,
        display_name: str,
        credentials: Mapping[str, Any] | None = None,
        settings: Mapping[str, Any] | None = None,
        **options: Unpack[BodyRequestOptions],
    ) -> APIRequest[Destination]:
        """Create a destination. ``credentials`` are sent once and never returned
        (the answer only says ``has_credentials``)."""
        if not provider or not display_name:
            raise ValueError("provider and display_name are required, e.g. provider='dynamics365'")
        return APIRequest(
            "POST",
            "/destinations",
            model(Destination),
            json=drop_none(
                provider=provider,
                display_name=display_name,
                credentials=dict(credentials) if credentials is not None else None,
                settings=dict(settings) if settings is not None else None,
            ),
            options=options,
        )

    @endpoint
    def retrieve(
        self, destination_id: str, **options: Unpack[RequestOptions]
    ) -> APIRequest[Destination]:
        """One destination."""
        return APIRequest(
            "GET",
            f"/destinations/{path_id(destination_id, 'destination_id')}",
            model(Destination),
            options=options,
        )

    @endpoint
    def test(
        self, destination_id: str, **options: Unpack[BodyRequestOptions]
    ) -> APIRequest[DestinationTestResult]:
        """Test the connection; ``ok`` says whether it worked, ``error_*`` why not."""
        return APIRequest(
            "POST",
            f"/destinations/{path_id(destination_id, 'destination_id')}/test",
            model(DestinationTestResult),
            json={},
            options=options,
        )
