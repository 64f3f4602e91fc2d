"""``client.mappings``: how a schema's fields map onto a destination."""

from __future__ import annotations

from collections.abc import Mapping as MappingABC
from collections.abc import Sequence
from typing import Any

from typing_extensions import Unpack

from .._params import drop_none, to_plain
from .._request import APIRequest
from .._resource import Resource, endpoint, model, path_id
from .._types import BodyRequestOptions, RequestOptions
from ..types import Mapping, MappingField
from ._shared import ClientT

__all__ = ["Mappings"]


class Mappings(Resource[ClientT]):
    """Field mappings from a schema (``invoice_v2``) to a destination."""

    @endpoint
    def retrieve(
        self, schema: str, destination_id: str, **options: Unpack[RequestOptions]
    ) -> APIRequest[Mapping]:
        """The mapping of ``schema`` onto ``destination_id``."""
        return APIRequest(
            "GET",
            f"/mappings/{path_id(schema, 'schema')}/{path_id(destination_id, 'destination_id')}",
            model(Mapping),
            options=options,
        )

    @endpoint
    def update(
        self,
        schema: str,
        destination_id: str,
        *,
        fields: Sequence[MappingField | MappingABC[str, Any]],
        expected_version: int | None = None,
        **options: Unpack[BodyRequestOptions],
    ) -> APIRequest[Mapping]:
        """Replace the mapping (idempotent, so retried safely). With
        ``expected_version``, a mapping changed since you read it raises
        :class:`~numora.ConflictError` instead of being overwritten."""
        field_list = [to_plain(f) for f in fields]
        return APIRequest(
            "PUT",
            f"/mappings/{path_id(schema, 'schema')}/{path_id(destination_id, 'destination_id')}",
            model(Mapping),
            json=drop_none(fields=field_list, expected_version=expected_version),
            options=options,
        )
