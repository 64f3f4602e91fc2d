"""``client.api_keys``: API keys with scopes, rotation and revocation."""

from __future__ import annotations

from collections.abc import Iterable

from typing_extensions import Unpack

from .._pagination import PageData, page_of
from .._params import check_limit, drop_none
from .._request import APIRequest
from .._resource import Resource, endpoint, model, paginated, path_id
from .._types import RequestOptions
from ..types import ApiKey, ApiKeyPage, ApiKeyWithSecret
from ._shared import ClientT

__all__ = ["ApiKeys"]


class ApiKeys(Resource[ClientT]):
    """API keys. The ``secret`` is shown once, at creation and rotation; Numora stores a hash."""

    @endpoint
    def create(
        self, *, name: str, scopes: Iterable[str], **options: Unpack[RequestOptions]
    ) -> APIRequest[ApiKeyWithSecret]:
        """Create a key with ``scopes`` (e.g. ``["documents:read", "documents:write"]``).
        Store ``result.secret.get_secret_value()`` now: it is never shown again."""
        if isinstance(scopes, str):
            raise TypeError("scopes must be a list of scopes, e.g. ['documents:read']")
        if not name:
            raise ValueError("name is required")
        return APIRequest(
            "POST",
            "/api-keys",
            model(ApiKeyWithSecret),
            json={"name": name, "scopes": list(scopes)},
            options=options,
        )

    @paginated
    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> APIRequest[PageData[ApiKey]]:
        """Every key (never with its secret)."""
        return APIRequest(
            "GET",
            "/api-keys",
            page_of(ApiKeyPage, ApiKey),
            query=drop_none(limit=check_limit(limit), cursor=cursor),
            options=options,
        )

    @endpoint
    def retrieve(self, key_id: str, **options: Unpack[RequestOptions]) -> APIRequest[ApiKey]:
        """One key."""
        return APIRequest(
            "GET", f"/api-keys/{path_id(key_id, 'key_id')}", model(ApiKey), options=options
        )

    @endpoint
    def rotate(
        self,
        key_id: str,
        *,
        expire_previous_in_seconds: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> APIRequest[ApiKeyWithSecret]:
        """A new secret for the key. The old one stops at once unless
        ``expire_previous_in_seconds`` gives it a grace period."""
        if expire_previous_in_seconds is not None and (
            not isinstance(expire_previous_in_seconds, int) or expire_previous_in_seconds < 0
        ):
            raise ValueError("expire_previous_in_seconds must be an int >= 0")
        return APIRequest(
            "POST",
            f"/api-keys/{path_id(key_id, 'key_id')}/rotate",
            model(ApiKeyWithSecret),
            json=drop_none(expire_previous_in_seconds=expire_previous_in_seconds),
            options=options,
        )

    @endpoint
    def revoke(self, key_id: str, **options: Unpack[RequestOptions]) -> APIRequest[ApiKey]:
        """Revoke the key now; calls with it then answer 401."""
        return APIRequest(
            "POST",
            f"/api-keys/{path_id(key_id, 'key_id')}/revoke",
            model(ApiKey),
            json={},
            options=options,
        )
