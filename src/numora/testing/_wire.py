"""Wire-level helpers shared by the fake: ids, timestamps, JSON and error replies."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

JSON = dict[str, Any]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

# The code the fake puts in an error body for a status, when the caller names none.
CODE_FOR_STATUS: dict[int, str] = {
    400: "invalid_payload",
    401: "unauthorized",
    402: "insufficient_credits",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    413: "file_too_large",
    415: "unsupported_file_type",
    422: "invalid_payload",
    429: "rate_limited",
    500: "internal_error",
    502: "provider_error",
    503: "internal_error",
    504: "internal_error",
}


class ApiError(Exception):
    """An error reply the contract describes; raised by handlers, rendered by the router."""

    def __init__(
        self, status: int, message: str, *, code: str | None = None, retry_after: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODE_FOR_STATUS.get(status, "internal_error")
        self.message = message
        self.retry_after = retry_after


def new_id(prefix: str) -> str:
    """An opaque id with the contract's prefix (``doc_``, ``evt_``, ...)."""
    return f"{prefix}_{secrets.token_hex(12)}"


def iso_ms(epoch: float) -> str:
    """Resource timestamp: ``YYYY-MM-DDTHH:MM:SS.mmmZ``."""
    moment = _EPOCH + dt.timedelta(milliseconds=round(epoch * 1000))
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_s(epoch: float) -> str:
    """Webhook timestamp: whole seconds, ``YYYY-MM-DDTHH:MM:SSZ``."""
    moment = _EPOCH + dt.timedelta(seconds=int(epoch))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: object) -> float | None:
    """Epoch seconds of an ISO-8601 timestamp with an offset or ``Z``; None if it is not one."""
    if not isinstance(value, str) or not value:
        return None
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return (moment - _EPOCH).total_seconds()


def dumps(value: Any) -> bytes:
    """Compact JSON bytes, as the server sends them."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def error_body(code: str, message: str, request_id: str) -> bytes:
    """The documented error body."""
    return dumps({"error": {"code": code, "message": message, "request_id": request_id}})
