"""OpenTelemetry tracing and metrics for numora's calls (the ``numora[otel]`` extra).

Switch it on once at start-up, after configuring your tracer and meter providers::

    import numora.otel

    numora.otel.instrument()  # every Numora and AsyncNumora client, existing and future
    # or one client only:
    numora.otel.instrument_client(client, tracer_provider=provider)

What is recorded (the names are OpenTelemetry's HTTP semantic conventions):

* **One CLIENT span per API call**, named ``"{METHOD} {route}"`` (e.g.
  ``"POST /v1/documents/{document_id}/actions/approve"``), with ``http.request.method``,
  ``url.template``, ``url.full`` (without query), ``url.scheme``, ``server.address``,
  ``server.port``, ``http.response.status_code``, ``http.request.resend_count`` (when the
  call was retried), ``numora.request_id`` and, on failure, ``error.type``, an ERROR status and
  an ``exception`` event.
* **Each attempt and each retry wait as an event on that span**: ``numora.attempt`` (its
  ``http.request.resend_count``, status code or ``error.type``, and
  ``numora.attempt.duration`` in seconds) and ``numora.retry`` (``numora.retry.delay``,
  ``numora.retry.reason``). Events rather than child spans: a retried call stays one CLIENT
  span, as the API call it is, so service maps and error rates count calls, not attempts, and
  an HTTP-level instrumentation you may run as well (httpx's) can add one child span per
  request without two layers of CLIENT spans.
* **The** ``http.client.request.duration`` **histogram** (seconds), one measurement per
  attempt as the conventions define it, with low-cardinality attributes only: method, route
  template (never the path with its ids), server, scheme, status code, ``error.type``.
* **Trace context** in each request's headers (``traceparent``...), through the globally
  configured propagator.
* ``documents.wait``, ``runs.wait``, ``documents.create_and_wait`` and
  ``documents.create_many`` put their calls under one INTERNAL span named after the method
  (``Documents.wait``).

Nothing recorded holds the API key, a webhook secret, or any header: messages of recorded
exceptions are scrubbed of the client's secrets and of anything shaped like a key.
"""

from __future__ import annotations

import re
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

try:
    from opentelemetry import context as otel_context
    from opentelemetry import metrics, propagate, trace
    from opentelemetry.trace import SpanKind, Status, StatusCode
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "numora.otel needs the OpenTelemetry API: pip install 'numora[otel]'"
    ) from exc

from . import _observe
from ._routes import route_of
from ._version import __version__

if TYPE_CHECKING:
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import Span, TracerProvider

    from ._client import AsyncNumora, Numora
    from ._config import ClientConfig
    from ._request import APIRequest

__all__ = [
    "instrument",
    "instrument_client",
    "is_instrumented",
    "uninstrument",
    "uninstrument_client",
]

T = TypeVar("T")

_SCOPE = "numora"
# The semantic conventions' advice for http.client.request.duration, in seconds.
_DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10)
_INTERRUPTED = "interrupted"
_MAX_DESCRIPTION = 500


def instrument(
    *,
    tracer_provider: TracerProvider | None = None,
    meter_provider: MeterProvider | None = None,
) -> None:
    """Trace and measure the calls of every client, existing and future.

    Args:
        tracer_provider: where spans go; the global one (``trace.set_tracer_provider``)
            when omitted.
        meter_provider: where the duration histogram goes; the global one when omitted.

    Calling it again replaces the providers. A client instrumented with
    :func:`instrument_client` keeps its own.
    """
    _observe.tracing = _OpenTelemetry(tracer_provider, meter_provider)


def uninstrument() -> None:
    """Stop what :func:`instrument` started (calls already under way finish their spans)."""
    _observe.tracing = None


def is_instrumented() -> bool:
    """Whether :func:`instrument` is in effect."""
    return _observe.tracing is not None


def instrument_client(
    client: Numora | AsyncNumora,
    *,
    tracer_provider: TracerProvider | None = None,
    meter_provider: MeterProvider | None = None,
) -> None:
    """Trace and measure one client's calls (and those of its later ``with_options`` copies).

    Takes precedence over :func:`instrument` for that client.
    """
    tracer = _OpenTelemetry(tracer_provider, meter_provider)
    _client_of(client)._tracing = tracer
    client._core.tracing = tracer


def uninstrument_client(client: Numora | AsyncNumora) -> None:
    """Undo :func:`instrument_client` (the client follows :func:`instrument` again)."""
    _client_of(client)._tracing = None
    client._core.tracing = None


def _client_of(client: Any) -> Any:
    from ._client import AsyncNumora, Numora

    if not isinstance(client, (Numora, AsyncNumora)):
        raise TypeError(
            f"client must be a numora.Numora or numora.AsyncNumora, got {type(client).__name__}"
        )
    return client


# --- the tracer numora reports to (numora._observe.Tracing) ---------------------------------


class _OpenTelemetry:
    """Spans and the duration histogram, from one tracer and one meter."""

    __slots__ = ("duration", "tracer")

    def __init__(
        self, tracer_provider: TracerProvider | None, meter_provider: MeterProvider | None
    ) -> None:
        self.tracer = trace.get_tracer(_SCOPE, __version__, tracer_provider)
        meter = metrics.get_meter(_SCOPE, __version__, meter_provider)
        self.duration = meter.create_histogram(
            "http.client.request.duration",
            unit="s",
            description="Duration of HTTP client requests.",
            explicit_bucket_boundaries_advisory=_DURATION_BUCKETS,
        )

    def call(self, req: APIRequest[Any], config: ClientConfig) -> _CallSpan:
        return _CallSpan(self, req, config)

    def operation(
        self, name: str, config: ClientConfig, attributes: Mapping[str, Any] | None
    ) -> _OperationSpan:
        return _OperationSpan(self.tracer, name, config, attributes)


@lru_cache(maxsize=64)
def _server(base_url: str) -> tuple[tuple[tuple[str, Any], ...], str]:
    """The server's attributes, and the base URL without any credentials (for ``url.full``)."""
    url = httpx.URL(base_url)
    port = url.port or (443 if url.scheme == "https" else 80)
    attributes = (("server.address", url.host), ("server.port", port), ("url.scheme", url.scheme))
    return attributes, str(url.copy_with(username=None, password=None))


_PROTOCOL_VERSIONS = {"HTTP/1.0": "1.0", "HTTP/1.1": "1.1", "HTTP/2": "2", "HTTP/3": "3"}


class _CallSpan:
    """One API call: its span (current while the call runs), events and measurements."""

    __slots__ = (
        "_attempt",
        "_config",
        "_last",
        "_metric",
        "_otel",
        "_recording",
        "_span",
        "_started",
        "_token",
    )

    def __init__(self, otel: _OpenTelemetry, req: APIRequest[Any], config: ClientConfig) -> None:
        method = req.method
        route = route_of(req.path)
        server, base_url = _server(config.base_url)
        metric: dict[str, Any] = {"http.request.method": method, **dict(server)}
        if route is not None:
            metric["url.template"] = route
        self._metric = metric
        self._otel = otel
        self._config = config
        self._attempt = 0
        self._started = 0.0
        self._last: object = None
        # A route the API does not list (never an id-laden path) leaves the method alone.
        self._span = span = otel.tracer.start_span(
            f"{method} {route}" if route is not None else method,
            kind=SpanKind.CLIENT,
            attributes={**metric, "url.full": base_url + req.path},
        )
        # Not recording (no SDK, or sampled out): no events or attributes to build, but the
        # context still goes out, so the services called keep the sampling decision.
        self._recording = span.is_recording()
        self._token = otel_context.attach(trace.set_span_in_context(span))

    def sending(self, request: httpx.Request, attempt: int) -> None:
        if attempt == 0 and self._recording:
            self._span.set_attribute("numora.request_id", request.headers["x-request-id"])
        self._attempt = attempt
        try:
            propagate.inject(request.headers)  # the current context: this call's span
        except Exception:  # a faulty propagator must not fail the call
            _observe.log.debug("numora.otel: the propagator failed", exc_info=True)
        self._started = time.perf_counter()

    def received(self, outcome: object) -> None:
        duration = time.perf_counter() - self._started
        self._last = outcome
        metric = dict(self._metric)
        if isinstance(outcome, httpx.Response):
            status = outcome.status_code
            metric["http.response.status_code"] = status
            version = _PROTOCOL_VERSIONS.get(outcome.http_version)
            if version is not None:
                metric["network.protocol.version"] = version
            if status >= 400:
                metric["error.type"] = str(status)
        else:
            metric["error.type"] = _observe.reason_of(outcome)[0]
        self._otel.duration.record(duration, metric)
        if not self._recording:
            return
        event: dict[str, Any] = {
            "http.request.resend_count": self._attempt,
            "numora.attempt.duration": duration,
        }
        for name in ("http.response.status_code", "error.type"):
            if name in metric:
                event[name] = metric[name]
        self._span.add_event("numora.attempt", event)

    def retrying(self, attempt: int, delay: float, outcome: object) -> None:
        if not self._recording:
            return
        self._span.add_event(
            "numora.retry",
            {
                "http.request.resend_count": attempt,
                "numora.retry.delay": delay,
                "numora.retry.reason": _observe.reason_of(outcome)[0],
            },
        )

    def finished(self, error: BaseException | None) -> None:
        span, last = self._span, self._last
        try:
            if not self._recording:
                return
            request_id = getattr(error, "request_id", None)
            if isinstance(last, httpx.Response):
                span.set_attribute("http.response.status_code", last.status_code)
                version = _PROTOCOL_VERSIONS.get(last.http_version)
                if version is not None:
                    span.set_attribute("network.protocol.version", version)
                request_id = request_id or last.headers.get("x-request-id")
            if request_id:  # the server's, when it answered with one
                span.set_attribute("numora.request_id", request_id)
            if self._attempt:
                span.set_attribute("http.request.resend_count", self._attempt)
            if error is not None:
                if isinstance(last, httpx.Response) and last.status_code >= 400:
                    kind = str(last.status_code)
                elif isinstance(last, BaseException):
                    kind = _observe.error_type(type(last))
                else:
                    kind = None
                _record_error(span, error, self._config, kind)
        finally:
            span.end()
            otel_context.detach(self._token)


class _OperationSpan:
    """An INTERNAL span over several calls (``numora._observe.Operation``)."""

    __slots__ = ("_attributes", "_config", "_name", "_span", "_tracer")

    def __init__(
        self,
        tracer: trace.Tracer,
        name: str,
        config: ClientConfig,
        attributes: Mapping[str, Any] | None,
    ) -> None:
        self._tracer = tracer
        self._name = name
        self._config = config
        self._attributes = {"numora.operation": name, **(attributes or {})}

    def __enter__(self) -> _OperationSpan:
        self._span = self._tracer.start_span(
            self._name, kind=SpanKind.INTERNAL, attributes=self._attributes
        )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None:
            _record_error(self._span, exc, self._config, None)
        self._span.end()

    @contextmanager
    def activate(self) -> Iterator[None]:
        token = otel_context.attach(trace.set_span_in_context(self._span))
        try:
            yield
        finally:
            otel_context.detach(token)

    def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        with self.activate():
            return fn(*args, **kwargs)


# --- errors, without secrets ------------------------------------------------------------------

_KEY_SHAPED = re.compile(r"\b(sk_(?:live|test)_|whsec_)[^\s'\"<>,;)]+")
_BEARER = re.compile(r"(?i)\b(bearer)\s+[^\s'\"<>,;)]+")


def _scrub(text: str, config: ClientConfig) -> str:
    """``text`` without the client's API key and webhook secrets, nor anything key-shaped."""
    secrets = [config.api_key]
    webhook = config.webhook_secret
    secrets += [webhook] if isinstance(webhook, str) else list(webhook or ())
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[REDACTED]")
    text = _BEARER.sub(r"\1 [REDACTED]", text)
    return _KEY_SHAPED.sub(r"\1[REDACTED]", text)


def _record_error(span: Span, error: BaseException, config: ClientConfig, kind: str | None) -> None:
    """``error.type``, the ERROR status and an ``exception`` event, all scrubbed."""
    if isinstance(error, GeneratorExit):  # the driver closed the call: cancelled, or similar
        span.set_attribute("error.type", _INTERRUPTED)
        span.set_status(Status(StatusCode.ERROR, "The call was interrupted before it finished."))
        return
    span.set_attribute("error.type", kind or _observe.error_type(type(error)))
    if not span.is_recording():  # formatting the traceback is for someone who reads it
        return
    message = _scrub(str(error), config)
    span.add_event(
        "exception",
        {
            "exception.type": _observe.error_type(type(error)),
            "exception.message": message,
            "exception.stacktrace": _scrub("".join(traceback.format_exception(error)), config),
        },
    )
    span.set_status(Status(StatusCode.ERROR, message[:_MAX_DESCRIPTION]))
