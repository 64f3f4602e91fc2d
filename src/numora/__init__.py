"""numora: the official Python SDK for the Numora Public API (/v1).

>>> from numora import Numora
>>> client = Numora()  # NUMORA_API_KEY and NUMORA_BASE_URL from the environment
>>> doc = client.documents.create(schema="invoice_v2", file_url="https://…", external_id="inv-1")

Everything public is importable from here; it is loaded on first use, so ``import numora``
costs little more than importing httpx.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from . import testing, types, webhooks
    from ._bulk_types import BulkOptions, BulkOutcome
    from ._client import AsyncNumora, AsyncNumoraWithRawResponse, Numora, NumoraWithRawResponse
    from ._exceptions import (
        APIConnectionError,
        APIError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ClientClosedError,
        ConflictError,
        FileTooLargeError,
        InsufficientCreditsError,
        InternalServerError,
        InvalidPayloadError,
        InvalidSchemaError,
        NotFoundError,
        NumoraError,
        PermissionDeniedError,
        ProviderError,
        RateLimitError,
        ResponseTooLargeError,
        ServerError,
        ServiceUnavailableError,
        UnsupportedFileTypeError,
        WaitTimeoutError,
        WebhookVerificationError,
    )
    from ._models import NumoraModel
    from ._pagination import AsyncPage, AsyncPaginator, SyncPage
    from ._response import APIResponse, RateLimit
    from ._retry_info import RetryInfo
    from ._types import BodyRequestOptions, RequestOptions


# name -> module that defines it; resolved on first attribute access (PEP 562).
_LAZY: dict[str, str] = {
    "Numora": "._client",
    "AsyncNumora": "._client",
    "NumoraWithRawResponse": "._client",
    "AsyncNumoraWithRawResponse": "._client",
    "BulkOutcome": "._bulk_types",
    "BulkOptions": "._bulk_types",
    "NumoraModel": "._models",
    "SyncPage": "._pagination",
    "AsyncPage": "._pagination",
    "AsyncPaginator": "._pagination",
    "APIResponse": "._response",
    "RateLimit": "._response",
    "RetryInfo": "._retry_info",
    "RequestOptions": "._types",
    "BodyRequestOptions": "._types",
}
# ``otel`` imports OpenTelemetry (the ``numora[otel]`` extra): only when asked for by name.
_SUBMODULES = frozenset({"types", "webhooks", "testing", "resources", "otel"})

__all__ = [
    "APIResponse",
    "AsyncNumora",
    "AsyncNumoraWithRawResponse",
    "AsyncPage",
    "AsyncPaginator",
    "BodyRequestOptions",
    "BulkOptions",
    "BulkOutcome",
    "Numora",
    "NumoraModel",
    "NumoraWithRawResponse",
    "RateLimit",
    "RequestOptions",
    "RetryInfo",
    "SyncPage",
    "__version__",
    "testing",
    "types",
    "webhooks",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConflictError",
    "FileTooLargeError",
    "InsufficientCreditsError",
    "InternalServerError",
    "InvalidPayloadError",
    "InvalidSchemaError",
    "NotFoundError",
    "NumoraError",
    "PermissionDeniedError",
    "ProviderError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ServerError",
    "ServiceUnavailableError",
    "UnsupportedFileTypeError",
    "WaitTimeoutError",
    "WebhookVerificationError",
]


# Every public exception name ends in "Error" and lives in ._exceptions.
_LAZY.update((name, "._exceptions") for name in __all__ if name.endswith("Error"))


if not TYPE_CHECKING:  # checkers read the imports above, so a misspelt name is an error

    def __getattr__(name: str) -> Any:
        if name in _LAZY:
            value = getattr(import_module(_LAZY[name], __name__), name)
        elif name in _SUBMODULES:
            value = import_module(f".{name}", __name__)
        else:
            raise AttributeError(f"module 'numora' has no attribute {name!r}")
        globals()[name] = value  # later lookups skip this function
        return value


def __dir__() -> list[str]:
    return sorted(__all__)
