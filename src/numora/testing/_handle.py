"""The one request-handling backend both ways in (httpx transport, HTTP server) go through."""

from __future__ import annotations

import collections
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from . import _auth, _lifecycle, _routes
from ._backend import Backend
from ._faults import Fault, Faults, InjectedFault
from ._router import Request
from ._wire import ApiError, dumps, error_body, new_id


class FakeResponse(NamedTuple):
    """What :meth:`FakeNumora.handle` answers: status, headers (lower-case names), body."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received, as listed in :attr:`FakeNumora.requests`.

    ``headers`` has the API key cut down to its public prefix. ``status`` is None when an
    injected fault dropped the answer.
    """

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    status: int | None
    request_id: str


class RequestLog:
    """The most recent requests (at most ``size``; ``None``: all), and a callback for each.

    Bounded so that a long-running fake (``numora sandbox``) does not grow with every request.
    """

    def __init__(
        self, size: int | None, on_request: Callable[[RecordedRequest], None] | None
    ) -> None:
        self.entries: collections.deque[RecordedRequest] = collections.deque(maxlen=size)
        self.on_request = on_request


def _rate_limit(backend: Backend) -> tuple[dict[str, str], str | None]:
    """Rate-limit headers for this request, and a retry-after value when it is over the limit."""
    config, now = backend.config, backend.now()
    window = config.rate_limit_window
    index = math.floor(now / window)
    seen = backend.rate_window[1] + 1 if backend.rate_window[0] == index else 1
    backend.rate_window = (index, seen)
    # Without a configured limit the headers report a nominal one that is never enforced.
    limit = config.rate_limit if config.rate_limit is not None else 1000
    reset = (index + 1) * window
    headers = {
        "x-rate-limit-limit": str(limit),
        "x-rate-limit-remaining": str(max(limit - seen, 0)),
        "x-rate-limit-reset": str(math.ceil(reset)),
    }
    if config.rate_limit is None or seen <= limit:
        return headers, None
    return headers, str(max(math.ceil(reset - now), 1))


def _error(exc: ApiError, request_id: str) -> tuple[int, bytes, dict[str, str]]:
    extra = {"retry-after": exc.retry_after} if exc.retry_after else {}
    return exc.status, error_body(exc.code, exc.message, request_id), extra


def _run(backend: Backend, req: Request) -> tuple[int, bytes, dict[str, str]]:
    try:
        route, req.params = _routes.find(req.method, req.path)
        req.key = _auth.authenticate(backend, req.headers.get("authorization"), route.scope)
        status, payload = route.handler(backend, req)
    except ApiError as exc:
        return _error(exc, req.request_id)
    except Exception as exc:  # a bug in the fake must still answer like the API would
        return _error(ApiError(500, f"fake server error: {type(exc).__name__}"), req.request_id)
    return status, dumps(payload), {}


def _fault_reply(fault: Fault, request_id: str) -> tuple[int, bytes, dict[str, str]]:
    if fault.kind != "status":
        raise InjectedFault(fault.kind, fault.when)
    retry_after = None
    if fault.retry_after is not None:
        value = fault.retry_after
        retry_after = str(int(value)) if float(value).is_integer() else str(value)
    message = f"injected fault: HTTP {fault.status}"
    return _error(
        ApiError(fault.status, message, code=fault.code, retry_after=retry_after), request_id
    )


def handle(backend: Backend, faults: Faults, log: RequestLog, req: Request) -> FakeResponse:
    """Run one request through faults, rate limiting, routing, auth and its handler."""
    status: int | None = None
    record: RecordedRequest | None = None
    try:
        with backend.lock:
            try:
                _lifecycle.tick(backend)
                limit_headers, retry_after = _rate_limit(backend)
                # A throttled request never reaches the fault rules: a fault is spent only
                # when it is applied.
                fault = None if retry_after is not None else faults.take(req.method, req.path)
                if retry_after is not None:
                    limited = ApiError(429, "rate limit exceeded", retry_after=retry_after)
                    status, body, extra = _error(limited, req.request_id)
                elif fault is not None and fault.when == "before":
                    faults.record(fault, req.method, req.path, req.request_id)
                    status, body, extra = _fault_reply(fault, req.request_id)
                else:
                    status, body, extra = _run(backend, req)
                    if fault is not None:
                        faults.record(fault, req.method, req.path, req.request_id)
                        status = None  # what the log shows if the answer is dropped
                        status, body, extra = _fault_reply(fault, req.request_id)
            finally:
                shown = {k: _auth.redact_header(k, v) for k, v in req.headers.items()}
                record = RecordedRequest(
                    req.method, req.path, req.query, shown, req.body, status, req.request_id
                )
                log.entries.append(record)
    finally:
        # Outside the lock: the callback may be slow (printing) or call the fake.
        if record is not None and log.on_request is not None:
            log.on_request(record)
    headers = {
        "content-type": "application/json",
        "x-request-id": req.request_id,
        **limit_headers,
        **extra,
    }
    return FakeResponse(status, headers, body)


def new_request(
    method: str,
    path: str,
    query: dict[str, list[str]],
    headers: dict[str, str],
    body: bytes,
) -> Request:
    lowered = {name.lower(): value for name, value in headers.items()}
    request_id = lowered.get("x-request-id") or new_id("req")
    return Request(method.upper(), path, query, lowered, body, request_id)
