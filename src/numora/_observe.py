"""Seeing calls, attempts and retries: the ``on_retry`` hook, the log fields, and tracing.

Three ways in, none of which costs a call anything until something asks to watch:

* **Retries** (:func:`retrying`, called by the core before each retry wait): one
  :class:`RetryInfo` is logged on the ``numora`` logger at INFO, with its fields as ``extra``
  attributes, then handed to the client's ``on_retry`` callback. Retries are rare, so this is
  the only place the hook and the retry log need.
* **Log fields** (:func:`log_fields`): the DEBUG records of each request and response carry
  the same ``numora_*`` attributes, so a JSON formatter turns them into fields.
* **Tracing** (:func:`traced`): when :mod:`numora.otel` is switched on, the core hands a
  call's steps to :func:`traced`, which walks them as the driver does (each
  ``httpx.Request`` is an attempt, each ``Sleep`` inside a call a retry wait) and reports
  them to a :class:`Tracing`. Switched off, the core returns its steps untouched: no wrapper,
  no object, no lookup beyond one ``None`` test.

Wait helpers and ``create_many`` group their calls under one parent span with
:func:`grouped` (a generator of steps) and :func:`operation` (an :class:`Operation`).

Nothing here imports OpenTelemetry: :mod:`numora.otel` does, when the user imports it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Mapping
from contextlib import AbstractContextManager, nullcontext
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import httpx

from ._request import Sleep
from ._routes import route_of

if TYPE_CHECKING:
    from ._config import ClientConfig
    from ._core import Core
    from ._request import APIRequest
    from ._retry_info import RetryInfo

__all__ = [
    "CallTrace",
    "OnRetry",
    "Operation",
    "Tracing",
    "check_on_retry",
    "error_type",
    "grouped",
    "log_fields",
    "operation",
    "retrying",
    "traced",
]

T = TypeVar("T")

log = logging.getLogger("numora")


OnRetry = Callable[["RetryInfo"], object]
"""The ``on_retry`` callback: a plain (not ``async``) function taking a :class:`RetryInfo`."""


def check_on_retry(on_retry: object) -> OnRetry | None:
    """``on_retry=`` as given, once checked: ``None``, or a plain function of one argument."""
    if on_retry is None:
        return None
    if not callable(on_retry):
        raise TypeError(
            f"on_retry must be a function taking a numora.RetryInfo (or None), "
            f"got {type(on_retry).__name__}"
        )
    import inspect  # here: inspect is slow to import, and most clients pass no callback

    if inspect.iscoroutinefunction(on_retry) or inspect.iscoroutinefunction(
        getattr(on_retry, "__call__", None)  # noqa: B004  (an object with an async __call__)
    ):
        raise TypeError(
            "on_retry must be a plain function: it is called between two attempts, where "
            "nothing can be awaited. To do async work, schedule it from the callback "
            "(e.g. asyncio.get_running_loop().create_task(...))."
        )
    return on_retry


def error_type(cls: type[BaseException]) -> str:
    """A low-cardinality name for an exception class: ``"httpx.ReadTimeout"``,
    ``"numora.NotFoundError"``, ``"OSError"`` (the public module, without private parts)."""
    module = cls.__module__.split("._", 1)[0]
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


def reason_of(outcome: object) -> tuple[str, int | None]:
    """Why an attempt failed, as ``(error.type, status code or None)``."""
    if isinstance(outcome, httpx.Response):
        return str(outcome.status_code), outcome.status_code
    return error_type(type(outcome) if isinstance(outcome, BaseException) else Exception), None


def log_fields(
    req: APIRequest[Any], request_id: str, attempt: int, status_code: int | None = None
) -> dict[str, Any]:
    """The ``extra`` of the DEBUG records of an attempt (the names :class:`RetryInfo` logs)."""
    return {
        "numora_method": req.method,
        "numora_route": route_of(req.path),
        "numora_path": "/v1" + req.path,
        "numora_attempt": attempt,
        "numora_status_code": status_code,
        "numora_request_id": request_id,
    }


def retrying(
    on_retry: OnRetry | None,
    req: APIRequest[Any],
    outcome: object,
    *,
    request_id: str,
    attempt: int,
    max_retries: int,
    delay: float,
) -> None:
    """Before retry ``attempt`` (1 = the first retry): log it, then call ``on_retry``.

    A callback that raises is logged (WARNING, with its traceback) and the call goes on: a
    broken metrics hook must not turn a recoverable failure into a lost request.
    """
    from ._retry_info import RetryInfo  # here: only a retry needs it (issue 16)

    reason, status_code = reason_of(outcome)
    info = RetryInfo(
        method=req.method,
        route=route_of(req.path),
        path="/v1" + req.path,
        attempt=attempt,
        max_retries=max_retries,
        delay=delay,
        reason=reason,
        status_code=status_code,
        request_id=request_id,
    )
    extra = info.log_fields()
    log.info(
        "Retrying %s %s in %.2fs (%s; request_id=%s; retry %d of %d)",
        info.method,
        info.path,
        delay,
        f"status {reason}" if status_code is not None else reason,
        request_id,
        attempt,
        max_retries,
        extra=extra,
    )
    if on_retry is None:
        return
    try:
        on_retry(info)
    except Exception:
        log.warning(
            "The on_retry callback %s raised; the call goes on (request_id=%s).",
            getattr(on_retry, "__qualname__", type(on_retry).__qualname__),
            request_id,
            exc_info=True,
            extra=extra,
        )


# --- tracing ---------------------------------------------------------------------------------


class CallTrace(Protocol):
    """What a tracer records for one logical call (see :func:`traced`)."""

    def sending(self, request: httpx.Request, attempt: int) -> None:
        """Attempt ``attempt`` (0 = the first) is about to be sent; headers may be added."""

    def received(self, outcome: object) -> None:
        """The attempt's outcome: an ``httpx.Response`` or the transport's exception."""

    def retrying(self, attempt: int, delay: float, outcome: object) -> None:
        """The client waits ``delay`` seconds before retry ``attempt`` (1 = the first)."""

    def finished(self, error: BaseException | None) -> None:
        """The call returned (``None``) or raised ``error`` (``GeneratorExit``: interrupted)."""


class Tracing(Protocol):
    """A tracer numora reports to (:mod:`numora.otel` implements it)."""

    def call(self, req: APIRequest[Any], config: ClientConfig) -> CallTrace:
        """Start tracing one logical call."""

    def operation(
        self, name: str, config: ClientConfig, attributes: Mapping[str, Any] | None
    ) -> Operation:
        """A parent span for the calls of one multi-call operation."""


class Operation(Protocol):
    """One operation made of several calls (``create_many``, a ``wait``): their parent span.

    ``with operation:`` starts and ends the span (an exception leaving the block marks it
    failed) without touching the current context, so it may enclose ``yield``. The calls
    are made its children where they run: inside ``with operation.activate():`` (or
    ``operation.run(fn, ...)``) in the thread or asyncio task that makes them, in a block
    that does not ``yield``.
    """

    def __enter__(self) -> Operation: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def activate(self) -> AbstractContextManager[object]:
        """Make the operation's span the current context, for the block."""

    def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` with the operation's span current (e.g. in a worker)."""


tracing: Tracing | None = None
"""Every client's tracer, set by :func:`numora.otel.instrument` (a client's own wins)."""


def traced(
    tracer: Tracing, req: APIRequest[Any], steps: Generator[Any, Any, T], config: ClientConfig
) -> Generator[Any, Any, T]:
    """``steps`` (one call), reported to ``tracer`` step by step; otherwise unchanged.

    Inside a call, an ``httpx.Request`` is an attempt and a ``Sleep`` is a retry wait; other
    steps pass through. Closing this generator (the driver does when the call is cancelled)
    closes ``steps`` and reports the call interrupted.
    """
    trace = tracer.call(req, config)
    attempt = -1
    outcome: Any = None
    try:
        step = steps.send(None)
        while True:
            if isinstance(step, httpx.Request):
                attempt += 1
                trace.sending(step, attempt)
                outcome = yield step
                trace.received(outcome)
                step = steps.send(outcome)
                continue
            if type(step) is Sleep and attempt >= 0:
                trace.retrying(attempt + 1, step.seconds, outcome)
            step = steps.send((yield step))
    except StopIteration as done:
        trace.finished(None)
        result: T = done.value
        return result
    except BaseException as exc:
        trace.finished(exc)
        raise
    finally:
        steps.close()


def _tracer_of(core: Core) -> Tracing | None:
    return core.tracing or tracing


def grouped(core: Core, name: str, steps: Generator[Any, Any, T]) -> Generator[Any, Any, T]:
    """A multi-call helper's steps, under one parent span named ``name`` when tracing is on.

    Used by ``@helper`` methods (``documents.wait``, ``runs.wait``...); returns ``steps``
    itself when tracing is off. The span is current while the steps run: the driver runs
    them in one thread or task, and closes them there.
    """
    tracer = _tracer_of(core)
    if tracer is None:
        return steps
    return _in_operation(tracer.operation(name, core.config, None), steps)


def _in_operation(operation: Operation, steps: Generator[Any, Any, T]) -> Generator[Any, Any, T]:
    with operation, operation.activate():
        return (yield from steps)


class _NoOperation:
    """What :func:`operation` returns when tracing is off: does nothing, shared."""

    __slots__ = ()

    def __enter__(self) -> _NoOperation:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def activate(self) -> AbstractContextManager[object]:
        return _NOTHING

    def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        return fn(*args, **kwargs)


_NOTHING: AbstractContextManager[object] = nullcontext()
_NO_OPERATION = _NoOperation()


def operation(resource: Any, name: str, attributes: Mapping[str, Any] | None = None) -> Operation:
    """The parent span of an operation made of several calls (when tracing is on).

    For operations that are not one generator of steps, such as ``documents.create_many``,
    whose calls run in worker threads or asyncio tasks::

        with operation(documents, "Documents.create_many", {"numora.items": n}) as op:
            pool.submit(op.run, drive_one, ...)  # a worker thread
            asyncio.create_task(run_job(op, ...))  # a task: `with op.activate(): await ...`

    ``resource`` is the resource (or client) whose calls these are. The ``with`` block only
    starts and ends the span, so it may enclose ``yield`` (a generator of outcomes); the
    calls become its children where they run, inside ``op.activate()`` or ``op.run()``.
    Off, this is a shared object that does nothing.
    """
    client = getattr(resource, "_client", resource)
    core = client._core
    tracer = _tracer_of(core)
    if tracer is None:
        return _NO_OPERATION
    return tracer.operation(name, core.config, attributes)
