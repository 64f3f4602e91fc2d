"""``client.api_keys``: API keys with scopes, rotation and revocation."""

from __future__ import annotations

from collections.abc import Sequence

from typing_extensions import Unpack

from .._pagination import PageData, page_of
from .._params import check_limit, drop_none
from .._request import APIRequest
from .._resource import Resource, endpoint, model, paginated, path_id
from .._types import BodyRequestOptions, RequestOptions
from ..types import ApiKey, ApiKeyPage, ApiKeyScope, ApiKeyWithSecret
from ._shared import ClientT

__all__ = ["ApiKeys"]


class ApiKeys(Resource[ClientT]):
    """API keys. The ``secret`` is shown once, at creation and rotation; Numora stores a hash."""

    @endpoint
    def create(
        self,
        *,
        name: str,
        scopes: ApiKeyScope | Sequence[ApiKeyScope],
        **options: Unpack[BodyRequestOptions],
    ) -> APIRequest[ApiKeyWithSecret]:
        """Create a key with ``scopes`` (e.g. ``["documents:read", "documents:write"]``).
        Store ``result.secret.get_secret_value()`` now: it is never shown again."""
        if not name.strip():
            raise ValueError("name must be a non-empty string, e.g. name='ERP import'")
        scope_list = [scopes] if isinstance(scopes, str) else list(scopes)
        if not scope_list:
            raise ValueError("scopes must name at least one scope, e.g. scopes=['documents:read']")
        return APIRequest(
            "POST",
            "/api-keys",
            model(ApiKeyWithSecret),
            json={"name": name, "scopes": scope_list},
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
        **options: Unpack[BodyRequestOptions],
    ) -> APIRequest[ApiKeyWithSecret]:
        """A new secret for the key. The old one stops at once unless
        ``expire_previous_in_seconds`` gives it a grace period."""
        if expire_previous_in_seconds is not None and expire_previous_in_seconds < 0:
            raise ValueError(
                f"expire_previous_in_seconds must be >= 0, got {expire_previous_in_seconds}"
            )
        return APIRequest(
            "POST",
            f"/api-keys/{path_id(key_id, 'key_id')}/rotate",
            model(ApiKeyWithSecret),
            json=drop_none(expire_previous_in_seconds=expire_previous_in_seconds),
            options=options,
        )

    @endpoint
    def revoke(self, key_id: str, **options: Unpack[BodyRequestOptions]) -> APIRequest[ApiKey]:
        """Revoke the key now; calls with it then answer 401."""
        return APIRequest(
            "POST",
            f"/api-keys/{path_id(key_id, 'key_id')}/revoke",
            model(ApiKey),
            json={},
            options=options,
        )
