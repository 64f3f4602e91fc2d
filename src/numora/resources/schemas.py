"""``client.schemas``: the catalog of document schemas."""

from __future__ import annotations

from typing_extensions import Unpack

from .._pagination import PageData, page_of
from .._params import check_limit, drop_none
from .._request import APIRequest
from .._resource import Resource, endpoint, model, paginated, path_id
from .._types import RequestOptions
from ..types import SchemaDetail, SchemaPage, SchemaSummary
from ._shared import ClientT

__all__ = ["Schemas"]


class Schemas(Resource[ClientT]):
    """Document schemas such as ``invoice_v2``, ``receipt_v1`` and ``contract_v1``."""

    @paginated
    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> APIRequest[PageData[SchemaSummary]]:
        """Every schema Numora offers (iterate the result)."""
        return APIRequest(
            "GET",
            "/schemas",
            page_of(SchemaPage, SchemaSummary),
            query=drop_none(limit=check_limit(limit), cursor=cursor),
            options=options,
        )

    @endpoint
    def retrieve(
        self, schema_id: str, **options: Unpack[RequestOptions]
    ) -> APIRequest[SchemaDetail]:
        """One schema with its field and line-item field definitions."""
        return APIRequest(
            "GET",
            f"/schemas/{path_id(schema_id, 'schema_id')}",
            model(SchemaDetail),
            options=options,
        )
