"""Every exception numora raises, in one place.

::

    NumoraError
    ├── APIError
    │   ├── APIConnectionError            no response (DNS, refused, reset, dropped)
    │   │   └── APITimeoutError           an attempt ran past its timeout (connect, read, ...)
    │   ├── APIResponseValidationError    a 2xx whose body is not what the API documents
    │   ├── ResponseTooLargeError         a 2xx body over ``max_response_bytes`` (not read)
    │   └── APIStatusError                a non-2xx answer; mapped by error code, then status
    │       ├── BadRequestError           400, 422
    │       │   ├── InvalidPayloadError       invalid_payload
    │       │   ├── InvalidSchemaError        invalid_schema
    │       │   ├── UnsupportedFileTypeError  unsupported_file_type (415)
    │       │   └── FileTooLargeError         file_too_large (413)
    │       ├── AuthenticationError       401 unauthorized
    │       ├── InsufficientCreditsError  402 insufficient_credits
    │       ├── PermissionDeniedError     403 forbidden
    │       ├── NotFoundError             404 not_found
    │       ├── ConflictError             409 conflict
    │       ├── RateLimitError            429 rate_limited (``retry_after`` seconds)
    │       └── ServerError               5xx
    │           ├── InternalServerError       500 internal_error
    │           ├── ProviderError             502 provider_error
    │           └── ServiceUnavailableError   503, 504
    ├── ClientClosedError                 a call on a closed client (also a RuntimeError)
    ├── WaitTimeoutError                  a wait helper's deadline passed (also a TimeoutError)
    └── WebhookVerificationError          a webhook failed verification (also a ValueError)

Catch :class:`NumoraError` for everything the SDK raises, :class:`APIStatusError` for any
answer the API refused, and :class:`APIConnectionError` for requests that got no answer.
Every :class:`APIError` carries the ``request_id`` of its call (the server's when it sent one,
else the ``x-request-id`` the SDK sent) and shows it in ``str(err)``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import httpx

__all__ = [
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

_SNIPPET = 200  # characters of an odd body quoted in a message
_MAX_MESSAGE = 2_000  # characters of a server's error message kept


def _rebuild(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    err = cls.__new__(cls)
    err.args = args
    err.__dict__.update(state)
    return err


class NumoraError(Exception):
    """Base class of every exception raised by numora."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors do not survive the default Exception pickling, and live
        # httpx objects should not travel: keep the data, drop the transport objects.
        state = {k: (None if k in ("request", "response") else v) for k, v in self.__dict__.items()}
        return (_rebuild, (type(self), self.args, state))


class APIError(NumoraError):
    """A request to the Numora API failed.

    Attributes:
        message: what went wrong (bounded in length, whatever the server sent).
        request: the last ``httpx.Request`` sent (``None`` after unpickling).
        request_id: the id of the call: the server's when it sent one, else the
            ``x-request-id`` numora sent. Quote it when you contact Numora.
    """

    message: str
    request: httpx.Request | None
    request_id: str | None

    def __init__(
        self,
        message: str,
        *,
        request: httpx.Request | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.request_id = request_id or _sent_request_id(request)

    def __str__(self) -> str:
        if self.request_id:
            return f"{self.message} (request id: {self.request_id})"
        return self.message


class APIConnectionError(APIError):
    """No response was received: the connection failed, was reset or dropped."""

    def __init__(
        self,
        message: str = "Connection error.",
        *,
        request: httpx.Request | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, request=request, request_id=request_id)


class APITimeoutError(APIConnectionError):
    """An attempt ran past its ``timeout`` (connecting, waiting for a pooled connection,
    sending, or receiving the response, whose whole reading is bounded by the timeout)."""

    def __init__(
        self,
        message: str = "Request timed out.",
        *,
        request: httpx.Request | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, request=request, request_id=request_id)


class APIResponseValidationError(APIError):
    """A successful response whose body does not match what the API documents."""

    response: httpx.Response | None
    status_code: int | None
    body: str

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response | None = None,
        request: httpx.Request | None = None,
        request_id: str | None = None,
    ) -> None:
        request_id = request_id or _response_request_id(response)
        super().__init__(message, request=request, request_id=request_id)
        self.response = response
        self.status_code = response.status_code if response is not None else None
        self.body = _snippet(response.content) if response is not None else ""


class ResponseTooLargeError(APIError):
    """A successful response's body is larger than the client's ``max_response_bytes``.

    Decoded bytes count (a small gzip body that inflates past the limit is refused too).
    Reading stopped at the limit and the connection was dropped, so memory stays bounded;
    nothing was parsed. It is not retried: the same request would get the same answer.
    Raise ``max_response_bytes`` (``Numora(max_response_bytes=...)`` or ``with_options``)
    if the result is genuinely that large, or ask for less (e.g. a smaller ``limit``).

    Attributes:
        status_code: the HTTP status of the response.
        limit: the ``max_response_bytes`` in force.
        headers: the response headers.
    """

    status_code: int
    limit: int
    headers: dict[str, str]

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        limit: int,
        headers: dict[str, str] | None = None,
        request: httpx.Request | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, request=request, request_id=request_id)
        self.status_code = status_code
        self.limit = limit
        self.headers = headers or {}


class APIStatusError(APIError):
    """The API answered with a non-2xx status.

    Attributes:
        status_code: the HTTP status.
        code: the error code from the body (``"not_found"``, ``"conflict"``, ...); an unknown
            code is kept as sent; ``None`` when the body was not the API's error JSON.
        message: the human-readable message from the body (cut at 2,000 characters), or a
            summary of the status with a short snippet of what the server sent.
        request_id: the request id from the body, else from the ``x-request-id`` header,
            else the one numora sent. Quote it when you contact Numora.
        headers: the response headers.
        body: the decoded JSON body, or a short text snippet when it was not JSON. numora
            reads at most 64 KiB of an error body.
        retry_after: seconds the server asked to wait (``retry-after``), if it said;
            ``float("inf")`` for a value too large to represent.
        response: the ``httpx.Response`` (``None`` for errors raised before sending).
    """

    status_code: int
    code: str | None
    headers: dict[str, str]
    body: object
    retry_after: float | None
    response: httpx.Response | None

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None = None,
        request_id: str | None = None,
        headers: dict[str, str] | None = None,
        body: object = None,
        retry_after: float | None = None,
        response: httpx.Response | None = None,
        request: httpx.Request | None = None,
    ) -> None:
        super().__init__(message, request=request, request_id=request_id)
        self.status_code = status_code
        self.code = code
        self.headers = headers or {}
        self.body = body
        self.retry_after = retry_after
        self.response = response

    def __str__(self) -> str:
        label = f"{self.status_code} {self.code}" if self.code else str(self.status_code)
        text = f"{label}: {self.message}"
        if self.request_id:
            text += f" (request id: {self.request_id})"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, code={self.code!r}, "
            f"request_id={self.request_id!r})"
        )


class BadRequestError(APIStatusError):
    """400 or 422: the request was malformed or a field was invalid."""


class InvalidPayloadError(BadRequestError):
    """``invalid_payload``: a malformed body, or a missing or invalid field."""


class InvalidSchemaError(BadRequestError):
    """``invalid_schema``: the schema is not one Numora knows (see ``client.schemas.list()``)."""


class UnsupportedFileTypeError(BadRequestError):
    """``unsupported_file_type`` (415): the upload's format is not accepted.

    Also raised before sending when the SDK can tell locally; then nothing was sent.
    """


class FileTooLargeError(BadRequestError):
    """``file_too_large`` (413): the upload is over 30 MB.

    Also raised before sending when the SDK can tell locally; then nothing was sent.
    """


class AuthenticationError(APIStatusError):
    """401 ``unauthorized``: the API key is missing, invalid or revoked."""


class InsufficientCreditsError(APIStatusError):
    """402 ``insufficient_credits``: the workspace is out of processing credits."""


class PermissionDeniedError(APIStatusError):
    """403 ``forbidden``: the key is valid but lacks the scope or access for this call."""


class NotFoundError(APIStatusError):
    """404 ``not_found``: no such resource."""


class ConflictError(APIStatusError):
    """409 ``conflict``: the resource's current state does not allow this.

    Raised for a stale ``expected_updated_at``, an action not allowed in the document's
    status, or an ``execution_id`` reused with other data. Never retried automatically.
    """


class RateLimitError(APIStatusError):
    """429 ``rate_limited``. ``retry_after`` says how many seconds to wait, when sent."""


class ServerError(APIStatusError):
    """5xx: Numora or a provider behind it failed."""


class InternalServerError(ServerError):
    """500 ``internal_error``."""


class ProviderError(ServerError):
    """502 ``provider_error``: the downstream provider (e.g. Dynamics 365) failed."""


class ServiceUnavailableError(ServerError):
    """503 or 504: the service is unavailable or a gateway timed out."""


class ClientClosedError(NumoraError, RuntimeError):
    """A call was made on a client after ``close()``/``aclose()`` (or the end of its
    ``with`` block), or on a ``with_options`` copy of a closed client. Nothing was sent."""


class WaitTimeoutError(NumoraError, TimeoutError):
    """A wait helper (``documents.wait``, ``create_and_wait``, ``runs.wait``) reached its
    ``deadline``.

    Attributes:
        last: the last object the helper fetched (e.g. the :class:`~numora.types.Document`
            in its last state), or ``None`` if no poll answered.
        wanted: what the helper was waiting for, in words (e.g. ``"status not in
            'processing', 'pending'"``).
        deadline: the deadline in seconds.
    """

    last: object
    wanted: str
    deadline: float | None

    def __init__(
        self,
        message: str,
        *,
        last: object = None,
        wanted: str = "",
        deadline: float | None = None,
    ) -> None:
        super().__init__(message)
        self.last = last
        self.wanted = wanted
        self.deadline = deadline


class WebhookVerificationError(NumoraError, ValueError):
    """A webhook failed verification. ``reason`` says which check failed.

    Reasons: ``missing_header``, ``malformed_header``, ``timestamp_out_of_tolerance``,
    ``timestamp_mismatch``, ``no_matching_signature``, ``invalid_payload``,
    ``invalid_secret``. The message never contains a secret.
    """

    MISSING_HEADER: ClassVar[str] = "missing_header"
    MALFORMED_HEADER: ClassVar[str] = "malformed_header"
    TIMESTAMP_OUT_OF_TOLERANCE: ClassVar[str] = "timestamp_out_of_tolerance"
    TIMESTAMP_MISMATCH: ClassVar[str] = "timestamp_mismatch"
    NO_MATCHING_SIGNATURE: ClassVar[str] = "no_matching_signature"
    INVALID_PAYLOAD: ClassVar[str] = "invalid_payload"
    INVALID_SECRET: ClassVar[str] = "invalid_secret"  # noqa: S105  (a reason, not a secret)

    reason: str

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


# --- mapping a response to its exception -------------------------------------------------

_BY_CODE: dict[str, type[APIStatusError]] = {
    "unauthorized": AuthenticationError,
    "forbidden": PermissionDeniedError,
    "invalid_payload": InvalidPayloadError,
    "invalid_schema": InvalidSchemaError,
    "unsupported_file_type": UnsupportedFileTypeError,
    "file_too_large": FileTooLargeError,
    "not_found": NotFoundError,
    "conflict": ConflictError,
    "rate_limited": RateLimitError,
    "insufficient_credits": InsufficientCreditsError,
    "provider_error": ProviderError,
    "internal_error": InternalServerError,
}

_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: InsufficientCreditsError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: FileTooLargeError,
    415: UnsupportedFileTypeError,
    422: BadRequestError,
    429: RateLimitError,
    500: InternalServerError,
    502: ProviderError,
    503: ServiceUnavailableError,
    504: ServiceUnavailableError,
}


def error_class(status_code: int, code: str | None) -> type[APIStatusError]:
    """The exception class for a status and error code: by code first, then by status."""
    if code is not None and code in _BY_CODE:
        return _BY_CODE[code]
    cls = _BY_STATUS.get(status_code)
    if cls is not None:
        return cls
    return ServerError if status_code >= 500 else APIStatusError


def _snippet(content: bytes) -> str:
    text = content[:_SNIPPET].decode("utf-8", errors="replace").strip()
    return text + ("…" if len(content) > _SNIPPET else "")


def _bounded(message: str) -> str:
    """A server's message, cut so that one huge ``error.message`` cannot make a huge error."""
    if len(message) <= _MAX_MESSAGE:
        return message
    return f"{message[:_MAX_MESSAGE]}… ({len(message) - _MAX_MESSAGE} more characters)"


def _sent_request_id(request: httpx.Request | None) -> str | None:
    if request is None:
        return None
    sent: str | None = request.headers.get("x-request-id")
    return sent


def _response_request_id(response: httpx.Response | None) -> str | None:
    """The server's ``x-request-id``, else the one sent with the request."""
    if response is None:
        return None
    echoed: str | None = response.headers.get("x-request-id")
    if echoed:
        return echoed
    return _sent_request_id(response.request if response._request is not None else None)


def status_error_from_response(
    response: httpx.Response, *, retry_after: float | None = None, hint: str = ""
) -> APIStatusError:
    """Build the typed error for a non-2xx response; never fails on an odd body."""
    status = response.status_code
    content = response.content
    code: str | None = None
    message: str | None = None
    request_id: str | None = None
    body: object
    try:
        body = json.loads(content) if content else None
    except ValueError:  # HTML from a proxy, truncated JSON, ...
        body = _snippet(content)
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        raw_code, raw_message, raw_id = (
            error.get("code"),
            error.get("message"),
            error.get("request_id"),
        )
        code = raw_code if isinstance(raw_code, str) else None
        message = _bounded(raw_message) if isinstance(raw_message, str) else None
        request_id = raw_id if isinstance(raw_id, str) and raw_id else None
    if message is None:
        reason = response.reason_phrase or "error"
        if content:
            message = f"{reason}; the body was not Numora's error JSON: {_snippet(content)!r}"
        else:
            message = f"{reason} (empty body)"
    if hint:
        message = f"{message} {hint}"
    request = response.request if response._request is not None else None
    return error_class(status, code)(
        message,
        status_code=status,
        code=code,
        request_id=request_id or _response_request_id(response),
        headers=dict(response.headers),
        body=body,
        retry_after=retry_after,
        response=response,
        request=request,
    )
