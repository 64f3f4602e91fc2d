"""One logical API call as a generator: build, retry, map errors, parse. No I/O here.

:meth:`Core.call` yields ``httpx.Request`` objects to send and :class:`~numora._request.Sleep`
steps to wait, and receives each attempt's outcome (an ``httpx.Response`` or the exception the
transport raised). The sync and async clients drive it with ``send``/``sleep`` and
``await send``/``await sleep``: that is the only place they differ. Wait helpers are
generators too and ``yield from`` calls, so polling is written once as well.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Generator
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

import httpx

from . import _observe
from ._config import ClientConfig, check_max_retries, to_timeout
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    status_error_from_response,
)
from ._request import APIRequest, Sleep
from ._response import APIResponse, attach_response_info
from ._retry import RetryPolicy

__all__ = ["Core", "Outcome", "Step"]

T = TypeVar("T")

Step = httpx.Request | Sleep
Outcome = httpx.Response | Exception | None
Operation = Generator[Step, Outcome, T]

log = logging.getLogger("numora")

_RETRY_COUNTS = tuple(str(n) for n in range(16))


def new_request_id() -> str:
    """A fresh client-side request id (the server echoes it back)."""
    return "req_" + os.urandom(12).hex()


class Core:
    """Request building, retries, error mapping and parsing for one client configuration."""

    __slots__ = ("config", "http", "on_retry", "policy", "tracing")

    def __init__(self, config: ClientConfig, http: httpx.Client | httpx.AsyncClient) -> None:
        self.config = config
        self.http = http
        self.policy = RetryPolicy(retry_after_cap=config.retry_after_cap)
        # Set by the client (numora._observe): its on_retry callback, its own tracer.
        self.on_retry: _observe.OnRetry | None = None
        self.tracing: _observe.Tracing | None = None

    def call(self, req: APIRequest[T], *, raw: bool = False) -> Operation[Any]:
        """Run one call: yields requests and sleeps, returns the result (or raw response)."""
        steps = self._steps(req, raw)
        tracing = self.tracing or _observe.tracing  # None unless numora.otel is switched on
        return steps if tracing is None else _observe.traced(tracing, req, steps, self.config)

    def _steps(self, req: APIRequest[T], raw: bool) -> Operation[Any]:
        if not req.closes:
            return (yield from self._call(req, raw))
        try:
            return (yield from self._call(req, raw))
        finally:
            for stream in req.closes:
                stream.close()

    def _call(self, req: APIRequest[T], raw: bool) -> Operation[Any]:
        config = self.config
        options = req.options
        max_retries = config.max_retries
        timeout: httpx.Timeout = config.timeout
        headers = dict(config.headers)
        params = req.query
        body = req.json
        request_id = None
        if options:
            if "max_retries" in options:
                max_retries = check_max_retries(options["max_retries"])
            if "timeout" in options:
                timeout = to_timeout(options["timeout"])
            request_id = options.get("request_id")
            extra_headers = options.get("extra_headers")
            if extra_headers:
                for name, value in extra_headers.items():
                    name = name.lower()  # noqa: PLW2901  (one spelling per header)
                    if name == "x-request-id":
                        request_id = request_id or value
                    elif name != "authorization":  # the client's key authenticates, always
                        headers[name] = value
            extra_query = options.get("extra_query")
            if extra_query:
                params = {**(params or {}), **extra_query}
            extra_body = options.get("extra_body")
            if extra_body:
                if req.data is not None:
                    raise ValueError("extra_body cannot be combined with a file upload")
                body = {**(body or {}), **extra_body}
        if params:
            params = {k: v for k, v in params.items() if v is not None}
        headers["x-request-id"] = request_id = request_id or new_request_id()
        url = config.base_url + req.path
        method = req.method
        build = self.http.build_request
        policy = self.policy
        debug = log.isEnabledFor(logging.DEBUG)
        started = time.perf_counter()
        attempt = 0
        while True:
            headers["x-numora-retry-count"] = (
                _RETRY_COUNTS[attempt] if attempt < 16 else str(attempt)
            )
            request = build(
                method,
                url,
                params=params,
                headers=headers,
                json=body,
                files=req.files,
                data=req.data,
                timeout=timeout,
            )
            if debug:
                log.debug(
                    "%s %s request_id=%s attempt=%d",
                    method,
                    req.path,
                    request_id,
                    attempt,
                    extra=_observe.log_fields(req, request_id, attempt),
                )
            outcome = yield request
            if isinstance(outcome, httpx.Response) and outcome.is_success:
                if debug:
                    log.debug(
                        "%s %s -> %d request_id=%s",
                        method,
                        req.path,
                        outcome.status_code,
                        request_id,
                        extra=_observe.log_fields(req, request_id, attempt, outcome.status_code),
                    )
                elapsed = timedelta(seconds=time.perf_counter() - started)
                return self._finish(req, outcome, raw=raw, attempt=attempt, elapsed=elapsed)
            assert outcome is not None, "the driver must send an outcome for each request"
            decision = policy.decide(
                outcome,
                method=method,
                replay_safe=req.replay_safe,
                attempt=attempt,
                max_retries=max_retries,
            )
            if not decision.retry:
                hint = (req.unsafe_hint or decision.hint) if decision.hint else ""
                if isinstance(outcome, httpx.Response):
                    raise status_error_from_response(
                        outcome, retry_after=decision.retry_after, hint=hint
                    )
                raise _transport_error(outcome, request, hint) from outcome
            _observe.retrying(
                self.on_retry,
                req,
                outcome,
                request_id=request_id,
                attempt=attempt + 1,
                max_retries=max_retries,
                delay=decision.delay,
            )
            yield Sleep(decision.delay)
            attempt += 1

    @staticmethod
    def _finish(
        req: APIRequest[T],
        response: httpx.Response,
        *,
        raw: bool,
        attempt: int,
        elapsed: timedelta,
    ) -> Any:
        if raw:
            parse = partial(_parse_checked, req.parse)
            return APIResponse(response, parse, retries_taken=attempt, elapsed=elapsed)
        result = _parse_checked(req.parse, response)
        attach_response_info(result, _headers=response.headers)
        return result


def _parse_checked(parse: Any, response: httpx.Response) -> Any:
    """Parse a 2xx answer; a body that does not fit the model is the API's fault, not ours."""
    try:
        return parse(response)
    except ValueError as exc:  # pydantic's ValidationError and JSON errors are ValueErrors
        raise APIResponseValidationError(
            f"The {response.status_code} response to {response.request.method} "
            f"{response.request.url.path} does not match the API's documented shape: {exc}",
            response=response,
            request=response.request,
        ) from exc


def _transport_error(exc: Exception, request: httpx.Request, hint: str) -> Exception:
    where = f"{request.method} {request.url.path}"
    if isinstance(exc, httpx.TimeoutException):
        message = f"Request timed out ({type(exc).__name__}) on {where}."
        return APITimeoutError(f"{message} {hint}".strip(), request=request)
    if isinstance(exc, httpx.HTTPError):
        message = f"Connection error ({type(exc).__name__}: {exc}) on {where}."
        return APIConnectionError(f"{message} {hint}".strip(), request=request)
    return exc
