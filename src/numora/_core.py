"""One logical API call as a generator: build, retry, map errors, parse. No I/O here.

:meth:`Core.call` yields ``httpx.Request`` objects to send, :class:`~numora._request.Sleep`
steps to wait and :class:`~numora._request.Blocking` steps to open an upload, and receives
each step's outcome (an ``httpx.Response`` or the exception the transport raised, the opened
upload). The sync and async clients drive it with ``send``/``sleep`` and ``await
send``/``await sleep``: that is the only place they differ. Wait helpers are generators too
and ``yield from`` calls, so polling is written once as well.
"""

from __future__ import annotations

import logging
import os
import time
import weakref
from collections.abc import Callable, Generator, Mapping
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from . import _observe
from ._config import ClientConfig, check_header, check_max_retries, to_timeout
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    status_error_from_response,
)
from ._exchange import DeadlineExceeded
from ._request import APIRequest, Blocking, Sleep
from ._response import APIResponse, attach_response_info
from ._retry import AttemptFailed, RetryPolicy

__all__ = ["Core", "Outcome", "Step", "new_pool"]

T = TypeVar("T")
PoolT = TypeVar("PoolT", httpx.Client, httpx.AsyncClient)

Step = httpx.Request | Sleep | Blocking
if TYPE_CHECKING:
    from ._files import MultipartForm, OpenedUpload

    Outcome = httpx.Response | Exception | OpenedUpload | None
else:  # numora._files is loaded by the first upload, not by every process (issue 16)
    Outcome = httpx.Response | Exception | object | None
Operation = Generator[Step, Outcome, T]

log = logging.getLogger("numora")

_RETRY_COUNTS = tuple(str(n) for n in range(16))


def new_request_id() -> str:
    """A fresh client-side request id (the server echoes it back)."""
    return "req_" + os.urandom(12).hex()


# The pools numora created, with the constant headers it gave them. A call through one sends
# only the headers that differ from those (a with_options copy's own) and httpx adds the
# pool's, as raw httpx with client-level headers does: merging fewer headers per call is
# cheaper. A pool you pass in (http_client) gets numora's headers with every call, as before.
_POOL_HEADERS: weakref.WeakKeyDictionary[Any, httpx.Headers] = weakref.WeakKeyDictionary()


def new_pool(cls: type[PoolT], config: ClientConfig, limits: httpx.Limits) -> PoolT:
    """A connection pool for a client: its timeout, no redirects, its constant headers."""
    pool = cls(
        headers=config.headers, timeout=config.timeout, follow_redirects=False, limits=limits
    )
    _POOL_HEADERS[pool] = config.headers.copy()
    return pool


class Core:
    """Request building, retries, error mapping and parsing for one client configuration."""

    __slots__ = ("config", "for_async", "headers", "http", "on_retry", "policy", "tracing")

    def __init__(self, config: ClientConfig, http: httpx.Client | httpx.AsyncClient) -> None:
        self.config = config
        self.http = http
        pooled = _POOL_HEADERS.get(http)
        # What each request carries besides its own x-request-id and retry count.
        self.headers = (
            config.headers
            if pooled is None
            else httpx.Headers(
                [(k, v) for k, v in config.headers.multi_items() if pooled.get(k) != v]
            )
        )
        self.for_async = isinstance(http, httpx.AsyncClient)
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
        upload = req.upload
        if upload is None:
            return (yield from self._call(req, raw, None))
        from ._files import MultipartForm, OpenedUpload

        # Opened now that the call runs (not when the method built the request), by the
        # driver: on the async client in a worker thread, off the event loop.
        opened = upload.open() if upload.in_memory else (yield Blocking(upload.open))
        assert isinstance(opened, OpenedUpload)
        try:
            return (yield from self._call(req, raw, MultipartForm(req.data or {}, opened)))
        finally:
            opened.close()

    def _call(self, req: APIRequest[T], raw: bool, form: MultipartForm | None) -> Operation[Any]:
        config = self.config
        options = req.options
        max_retries = config.max_retries
        timeout: httpx.Timeout = config.timeout
        # An httpx.Headers: its repr masks the Authorization header, so a traceback rendered
        # with its locals (pytest --showlocals, Sentry, rich) does not show the API key.
        headers = self.headers.copy()
        params = req.query
        body = req.json
        request_id = None
        if options:
            if "max_retries" in options:
                max_retries = check_max_retries(options["max_retries"])
            if "timeout" in options:
                timeout = to_timeout(options["timeout"])
            request_id = options.get("request_id")
            if request_id is not None:
                check_header("x-request-id", request_id, "request_id")
            extra_headers = options.get("extra_headers")
            if extra_headers:
                request_id = _merge_extra_headers(headers, extra_headers, request_id)
            extra_query = options.get("extra_query")
            if extra_query:
                params = {**(params or {}), **extra_query}
            extra_body = options.get("extra_body")
            if extra_body:
                if form is not None:
                    raise ValueError("extra_body cannot be combined with a file upload")
                body = {**(body or {}), **extra_body}
        if params:
            params = {k: v for k, v in params.items() if v is not None}
        headers["x-request-id"] = request_id = request_id or new_request_id()
        if form is not None:
            headers.update(form.headers)
        url = config.base_url + req.path
        method = req.method
        debug = log.isEnabledFor(logging.DEBUG)
        started = time.perf_counter()

        # The first attempt runs outside tenacity, so a call that succeeds pays nothing for
        # the retry machinery (a tenacity loop costs ~50 µs); it is replayed into it below.
        if debug:
            _log_sending(req, request_id, 0)
        request = self._request(
            method, url, params=params, headers=headers, body=body, form=form, timeout=timeout
        )
        outcome = yield request
        if isinstance(outcome, httpx.Response) and outcome.is_success:
            if debug:
                _log_answer(req, request_id, 0, outcome.status_code)
            return self._finish(req, outcome, raw=raw, attempt=0, started=started)
        assert isinstance(outcome, (httpx.Response, Exception)), (
            "the driver must send an outcome for each request"
        )
        decision = self.policy.decide(outcome, method=method, replay_safe=req.replay_safe)
        failed = AttemptFailed(outcome, decision, request)
        if decision.retry and max_retries > 0:
            again = partial(
                self._request,
                method,
                url,
                params=params,
                headers=headers,
                body=body,
                form=form,
                timeout=timeout,
            )
            return (
                yield from self._retry(
                    req, failed, again, raw=raw, max_retries=max_retries, started=started
                )
            )
        raise _error(failed, req.unsafe_hint)

    def _retry(
        self,
        req: APIRequest[T],
        failed: AttemptFailed,
        again: Callable[..., httpx.Request],
        *,
        raw: bool,
        max_retries: int,
        started: float,
    ) -> Operation[Any]:
        """The attempts after a failed first one, as a tenacity code block: its ``Retrying``
        decides (``retry``: the policy's decision; ``stop``: ``max_retries``; ``wait``:
        ``retry-after`` or the backoff) and hands each wait to ``sleeps``, which the driver
        then sleeps (tenacity sleeping itself would block the event loop)."""
        sleeps: list[float] = []
        request_id = failed.request.headers["x-request-id"]
        try:
            for attempt in self.policy.retrying(max_retries, sleeps.append):
                number = attempt.retry_state.attempt_number - 1
                if number:  # not the first attempt, which already ran: wait, then send again
                    delay = float(sleeps.pop())
                    _observe.retrying(
                        self.on_retry,
                        req,
                        failed.outcome,
                        request_id=request_id,
                        attempt=number,
                        max_retries=max_retries,
                        delay=delay,
                    )
                    yield Sleep(delay)
                    if log.isEnabledFor(logging.DEBUG):
                        _log_sending(req, request_id, number)
                    request = again(attempt=number)
                    outcome = yield request
                    if isinstance(outcome, httpx.Response) and outcome.is_success:
                        if log.isEnabledFor(logging.DEBUG):
                            _log_answer(req, request_id, number, outcome.status_code)
                        return self._finish(req, outcome, raw=raw, attempt=number, started=started)
                    assert isinstance(outcome, (httpx.Response, Exception))
                    decision = self.policy.decide(
                        outcome, method=req.method, replay_safe=req.replay_safe
                    )
                    failed = AttemptFailed(outcome, decision, request)
                with attempt:  # reports this attempt's failure to tenacity
                    raise failed
        except AttemptFailed as last:  # tenacity gave up: no retry wanted, or none left
            failed = last
        raise _error(failed, req.unsafe_hint)

    def _request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None,
        headers: httpx.Headers,
        body: Mapping[str, Any] | None,
        form: MultipartForm | None,
        timeout: httpx.Timeout,
        attempt: int = 0,
    ) -> httpx.Request:
        headers["x-numora-retry-count"] = _RETRY_COUNTS[attempt] if attempt < 16 else str(attempt)
        return self.http.build_request(
            method,
            url,
            params=params,
            headers=headers,
            json=body,
            content=form.body(self.for_async) if form is not None else None,
            timeout=timeout,
        )

    @staticmethod
    def _finish(
        req: APIRequest[T],
        response: httpx.Response,
        *,
        raw: bool,
        attempt: int,
        started: float,
    ) -> Any:
        if raw:  # only a raw response tells the time taken: the other calls skip the timedelta
            elapsed = timedelta(seconds=time.perf_counter() - started)
            parse = partial(_parse_checked, req.parse)
            return APIResponse(response, parse, retries_taken=attempt, elapsed=elapsed)
        result = _parse_checked(req.parse, response)
        attach_response_info(result, _headers=response.headers)
        return result


def _log_sending(req: APIRequest[Any], request_id: str, attempt: int) -> None:
    """The DEBUG record of an attempt about to be sent (callers check the level first)."""
    extra = _observe.log_fields(req, request_id, attempt)
    log.debug(
        "%s %s request_id=%s attempt=%d", req.method, req.path, request_id, attempt, extra=extra
    )


def _log_answer(req: APIRequest[Any], request_id: str, attempt: int, status: int) -> None:
    """The DEBUG record of an attempt's successful answer (callers check the level first)."""
    extra = _observe.log_fields(req, request_id, attempt, status)
    log.debug("%s %s -> %d request_id=%s", req.method, req.path, status, request_id, extra=extra)


def _merge_extra_headers(
    headers: httpx.Headers, extra: Mapping[str, str], request_id: str | None
) -> str | None:
    """Add a call's ``extra_headers``; returns the request id they carry, if any."""
    for name, value in extra.items():
        check_header(name, value, "extra_headers")
        lowered = name.lower()
        if lowered == "x-request-id":
            request_id = request_id or value
        elif lowered != "authorization":  # the client's key authenticates, always
            headers[lowered] = value
    return request_id


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


def _error(failed: AttemptFailed, unsafe: str) -> Exception:
    """The exception to raise for the last failed attempt."""
    outcome, decision, request = failed.outcome, failed.decision, failed.request
    hint = (unsafe or decision.hint) if decision.hint else ""
    if isinstance(outcome, httpx.Response):
        return status_error_from_response(outcome, retry_after=decision.retry_after, hint=hint)
    where = f"{request.method} {request.url.path}"
    if isinstance(outcome, httpx.TimeoutException):
        detail = str(outcome) if isinstance(outcome, DeadlineExceeded) else ""
        message = f"Request timed out ({detail or type(outcome).__name__}) on {where}."
        error: Exception = APITimeoutError(f"{message} {hint}".strip(), request=request)
    elif isinstance(outcome, httpx.HTTPError):
        message = f"Connection error ({type(outcome).__name__}: {outcome}) on {where}."
        error = APIConnectionError(f"{message} {hint}".strip(), request=request)
    else:
        return outcome
    error.__cause__ = outcome  # as `raise error from outcome` would
    error.__suppress_context__ = True
    return error
