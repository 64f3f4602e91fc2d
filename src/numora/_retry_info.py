"""What ``on_retry`` receives: :class:`RetryInfo` (``numora.RetryInfo``).

In a module of its own, loaded by the first retry (or by ``numora.RetryInfo``) rather than by
every process: a dataclass costs ~1 ms of start-up to define (issue 16).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

__all__ = ["RetryInfo"]


@dataclass(frozen=True, slots=True)
class RetryInfo:
    """What ``on_retry`` receives before each retry wait (also the fields of the retry log).

    Attributes:
        method: the HTTP method, e.g. ``"GET"``.
        route: the API route the call belongs to, e.g. ``"/v1/documents/{document_id}"``
            (the OpenAPI path; one value per endpoint, never an id), or ``None`` for a path
            the API does not list.
        path: the path that was requested, e.g. ``"/v1/documents/doc_8f2c"``.
        attempt: the number of the retry about to be made: 1 before the first retry, 2
            before the second. The same number is sent in the ``x-numora-retry-count`` header
            and is OpenTelemetry's ``http.request.resend_count``.
        max_retries: the most retries this call may make (the client's or the call's
            ``max_retries``).
        delay: seconds the client waits before that retry (``retry-after``, or backoff).
        reason: why the last attempt failed: the status code as text (``"503"``) or the
            exception's class (``"httpx.ConnectError"``), as OpenTelemetry's ``error.type``.
        status_code: the status code of the failed attempt, ``None`` when it got no answer.
        request_id: the call's ``x-request-id`` (the same on every attempt).
    """

    method: str
    route: str | None
    path: str
    attempt: int
    max_retries: int
    delay: float
    reason: str
    status_code: int | None
    request_id: str

    def log_fields(self) -> dict[str, Any]:
        """These fields as ``extra`` for a log record: ``numora_method``, ``numora_route``..."""
        return {_LOG_NAMES[name]: getattr(self, name) for name in _FIELD_NAMES}


_FIELD_NAMES = tuple(f.name for f in fields(RetryInfo))
# Prefixed, so no name can clash with a LogRecord attribute (``path``/``module``/...).
_LOG_NAMES = {name: f"numora_{name}" for name in _FIELD_NAMES}
