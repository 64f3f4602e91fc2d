"""``Numora`` and ``AsyncNumora``: configuration, resources, and the two drivers.

Everything that does no I/O lives in :mod:`numora._core` (request building, retries, error
mapping, parsing) and in the resource definitions. The clients only *drive* it: send
requests and sleep, synchronously or with ``await``.
"""

from __future__ import annotations

import os
import time
import weakref
from collections.abc import Generator, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import httpx
from typing_extensions import Self

from ._config import (
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    POOL_LIMITS,
    POOL_SIZE,
    ClientConfig,
    conceal,
    resolve_config,
)
from ._core import Core, Outcome, Step, new_pool
from ._exceptions import ClientClosedError
from ._exchange import aexchange, exchange, new_gate
from ._logging import setup_logging
from ._observe import OnRetry, Tracing, check_on_retry
from ._request import APIRequest, Blocking, Sleep
from ._resource import cached_resource
from ._types import TimeoutTypes

if TYPE_CHECKING:
    import asyncio

    from ._pagination import AsyncPaginator, SyncPage
    from ._response import APIResponse
    from .resources.api_keys import ApiKeys
    from .resources.delivery import Delivery
    from .resources.destinations import Destinations
    from .resources.documents import Documents
    from .resources.dynamics import Dynamics
    from .resources.mappings import Mappings
    from .resources.runs import Runs
    from .resources.schemas import Schemas
    from .resources.webhook_endpoints import WebhookEndpoints
    from .resources.workflows import Workflows
    from .webhooks import Webhooks

__all__ = [
    "AsyncNumora",
    "AsyncNumoraWithRawResponse",
    "Numora",
    "NumoraWithRawResponse",
]

R = TypeVar("R")
_C = TypeVar("_C", bound="_Resources")
T = TypeVar("T")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)

_NOT_SET: Any = object()


class _Resources:
    """The resource attributes, shared by both clients and their raw-response views.

    Each resource module is imported on first use, which keeps ``import numora`` light.
    ``self: _C`` ties each resource to the exact client class, so both type checkers know
    that ``AsyncNumora().documents.retrieve(...)`` is awaited and ``Numora()``'s is not.
    """

    # Which flavour of results the resources' methods return (read by numora._resource).
    _is_async: ClassVar[bool] = False
    _is_raw: ClassVar[bool] = False

    @cached_resource
    def documents(self: _C) -> Documents[_C]:
        """Documents: submit, track, review, approve, dispatch and deliver."""
        from .resources.documents import Documents

        return Documents(self)

    @cached_resource
    def delivery(self: _C) -> Delivery[_C]:
        """The legacy delivery outbox (deprecated: use dispatch and the delivery callback)."""
        from .resources.delivery import Delivery

        return Delivery(self)

    @cached_resource
    def dynamics(self: _C) -> Dynamics[_C]:
        """Legacy Dynamics 365 sessions for external executors (deprecated)."""
        from .resources.dynamics import Dynamics

        return Dynamics(self)

    @cached_resource
    def schemas(self: _C) -> Schemas[_C]:
        """The catalog of document schemas (``invoice_v2``, ``receipt_v1``, ...)."""
        from .resources.schemas import Schemas

        return Schemas(self)

    @cached_resource
    def destinations(self: _C) -> Destinations[_C]:
        """Downstream connections such as Dynamics 365."""
        from .resources.destinations import Destinations

        return Destinations(self)

    @cached_resource
    def mappings(self: _C) -> Mappings[_C]:
        """Field mappings from a schema to a destination."""
        from .resources.mappings import Mappings

        return Mappings(self)

    @cached_resource
    def workflows(self: _C) -> Workflows[_C]:
        """Workflows, and dispatching a reviewed document to one."""
        from .resources.workflows import Workflows

        return Workflows(self)

    @cached_resource
    def runs(self: _C) -> Runs[_C]:
        """Workflow runs and their node-level logs."""
        from .resources.runs import Runs

        return Runs(self)

    @cached_resource
    def webhook_endpoints(self: _C) -> WebhookEndpoints[_C]:
        """Webhook endpoints, their secrets and delivery logs."""
        from .resources.webhook_endpoints import WebhookEndpoints

        return WebhookEndpoints(self)

    @cached_resource
    def api_keys(self: _C) -> ApiKeys[_C]:
        """API keys: create, rotate, revoke."""
        from .resources.api_keys import ApiKeys

        return ApiKeys(self)


class _Family:
    """What a client shares with its ``with_options`` copies besides the pool: whether the
    original was closed (then every copy is closed too)."""

    __slots__ = ("closed",)

    def __init__(self) -> None:
        self.closed = False


class _BaseClient(_Resources, Generic[HttpT]):
    """What both clients share: configuration, copies, webhooks, repr."""

    _config: ClientConfig
    _http: HttpT
    _owns_http: bool
    _core: Core
    _closed: bool  # this client (or copy) was closed
    _family: _Family  # shared with the with_options copies
    _is_copy: bool
    _on_retry: OnRetry | None  # numora._observe: called before each retry wait
    _tracing: Tracing | None  # this client's own tracer (numora.otel.instrument_client)

    def _setup(
        self,
        *,
        api_key: Any,
        base_url: str | None,
        timeout: TimeoutTypes,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        webhook_secret: Any,
        allow_insecure_http: bool,
        retry_after_cap: float,
        on_retry: OnRetry | None,
        max_response_bytes: int,
    ) -> None:
        setup_logging()
        self._config = resolve_config(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            webhook_secret=webhook_secret,
            allow_insecure_http=allow_insecure_http,
            retry_after_cap=retry_after_cap,
            max_response_bytes=max_response_bytes,
        )
        self._clock = time.monotonic
        self._closed = False
        self._family = _Family()
        self._is_copy = False
        self._on_retry = check_on_retry(on_retry)
        self._tracing = None

    @property
    def base_url(self) -> str:
        """The API root every path is resolved against (always ends in ``/v1``)."""
        return self._config.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        """The default timeout of every call."""
        return self._config.timeout

    @property
    def max_retries(self) -> int:
        """The default number of retries after the first attempt."""
        return self._config.max_retries

    @cached_property
    def webhooks(self) -> Webhooks:
        """Verify and parse webhooks with this client's ``webhook_secret``."""
        from .webhooks import Webhooks

        return Webhooks(self._config.webhook_secret)

    def _copy_with(
        self,
        *,
        timeout: TimeoutTypes,
        max_retries: int | None,
        default_headers: Mapping[str, str] | None,
        on_retry: OnRetry | None,
        max_response_bytes: int | None = None,
    ) -> Self:
        from ._config import (
            check_max_response_bytes,
            check_max_retries,
            lowercase_keys,
            merged_headers,
            to_timeout,
        )

        config = self._config
        changes: dict[str, Any] = {}
        if max_response_bytes is not None:
            changes["max_response_bytes"] = check_max_response_bytes(max_response_bytes)
        if timeout is not _NOT_SET:
            changes["timeout"] = to_timeout(timeout)
        if max_retries is not None:
            changes["max_retries"] = check_max_retries(max_retries)
        if default_headers is not None:
            merged = {**config.default_headers, **lowercase_keys(default_headers)}
            changes["default_headers"] = merged
            changes["headers"] = merged_headers(config.api_key, merged)
        copy = object.__new__(type(self))
        copy.__dict__.update(
            {
                "_config": config.replace(**changes),
                "_http": self._http,
                "_owns_http": False,  # the original closes the shared pool
                "_clock": self._clock,
                "_closed": False,
                "_family": self._family,
                "_is_copy": True,
                "_on_retry": self._on_retry if on_retry is _NOT_SET else check_on_retry(on_retry),
                "_tracing": self._tracing,
            }
        )
        copy._finish_setup()
        return copy

    def _finish_setup(self) -> None:
        self._core = core = Core(self._config, self._http)
        core.on_retry = self._on_retry
        core.tracing = self._tracing

    @property
    def is_closed(self) -> bool:
        """Whether this client was closed (or, for a ``with_options`` copy, its original)."""
        return self._closed or self._family.closed

    def _mark_closed(self) -> None:
        self._closed = True
        if not self._is_copy:
            self._family.closed = True

    def _closed_error(self) -> ClientClosedError:
        name = type(self).__name__
        how = "await client.aclose()" if name.startswith("Async") else "client.close()"
        whose = "its original client" if self._family.closed and not self._closed else "it"
        return ClientClosedError(
            f"This {name} client is closed: {whose} was closed ({how}, or the end of its "
            f"`with` block), so no more calls can be sent through it. Keep one client open "
            f"for as long as you make calls (one per process is typical), or create a new one."
        )

    def __repr__(self) -> str:
        config = getattr(self, "_config", None)  # None while __init__ is still running
        base_url = config.base_url if config is not None else None
        return f"<{type(self).__name__} base_url={base_url!r}>"


# Clients using a pool numora created (and their with_options copies, which share it) get a
# fresh pool in a forked child: the parent's sockets must never be written to by both.
_SDK_POOLED: weakref.WeakSet[Numora] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    fresh: dict[int, httpx.Client] = {}
    for client in list(_SDK_POOLED):
        old = id(client._http)
        if old not in fresh:
            fresh[old] = client._new_pool()
        client._http = fresh[old]
        client._finish_setup()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class Numora(_BaseClient[httpx.Client]):
    """The synchronous Numora client. Safe to share across threads.

    Args:
        api_key: your API key (``sk_live_…`` / ``sk_test_…``); defaults to ``NUMORA_API_KEY``.
        base_url: your workspace's API host as Numora gives it, e.g.
            ``https://api.numora.example`` (``/v1`` is added; a URL already ending in ``/v1``
            works too); defaults to ``NUMORA_BASE_URL``. There is no default host.
        timeout: seconds or an ``httpx.Timeout``; default 60 s per phase, 5 s to connect.
        max_retries: retries after the first attempt for retryable failures (default 2).
        default_headers: headers sent on every request.
        http_client: your own ``httpx.Client`` (proxies, mTLS, custom transports); used as
            given, with numora's auth and headers applied per request. You close it.
        webhook_secret: secret(s) for ``client.webhooks``; defaults to
            ``NUMORA_WEBHOOK_SECRET``.
        allow_insecure_http: allow ``http://`` to a non-loopback host (the key travels in
            clear text); off by default.
        retry_after_cap: the longest ``retry-after`` (seconds) the client sleeps for; a longer
            one raises at once with ``retry_after`` set so you can schedule.
        on_retry: a function called before each retry wait with a :class:`~numora.RetryInfo`
            (method, route, attempt, delay, reason, request id), e.g. to count retries in
            your metrics. It runs in the calling thread between two attempts; if it raises,
            the error is logged on the ``numora`` logger and the call goes on.
        max_response_bytes: the largest response body (decoded bytes) read; a larger one
            raises :class:`~numora.ResponseTooLargeError`. Default 64 MiB.

    Use it as a context manager, or call :meth:`close` when done.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        webhook_secret: str | Sequence[str] | None = None,
        allow_insecure_http: bool = False,
        retry_after_cap: float = 60.0,
        on_retry: OnRetry | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        # Wrapped first: no frame of numora's holds the key in a plain local (tracebacks
        # rendered with locals show them), even when a check below refuses it.
        api_key, webhook_secret = conceal(api_key), conceal(webhook_secret)
        self._setup(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            webhook_secret=webhook_secret,
            allow_insecure_http=allow_insecure_http,
            retry_after_cap=retry_after_cap,
            on_retry=on_retry,
            max_response_bytes=max_response_bytes,
        )
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise TypeError(
                f"http_client must be an httpx.Client (use AsyncNumora for an "
                f"httpx.AsyncClient), got {type(http_client).__name__}"
            )
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else self._new_pool()
        self._sleep = time.sleep
        self._finish_setup()
        if self._owns_http:
            _SDK_POOLED.add(self)

    def _new_pool(self) -> httpx.Client:
        return new_pool(httpx.Client, self._config, POOL_LIMITS)

    def with_options(
        self,
        *,
        timeout: TimeoutTypes = _NOT_SET,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        on_retry: OnRetry | None = _NOT_SET,
        max_response_bytes: int | None = None,
    ) -> Numora:
        """A copy with other defaults that shares this client's connection pool.

        ``on_retry`` replaces the callback (``None`` removes it); by default the copy keeps
        this client's.
        """
        copy = self._copy_with(
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            on_retry=on_retry,
            max_response_bytes=max_response_bytes,
        )
        copy._sleep = self._sleep
        if self in _SDK_POOLED:
            _SDK_POOLED.add(copy)
        return copy

    @cached_property
    def with_raw_response(self) -> NumoraWithRawResponse:
        """The same resources, returning :class:`~numora.APIResponse` (status, headers,
        request id, rate limit, retries) instead of the parsed model."""
        return NumoraWithRawResponse(self)

    # --- the driver -------------------------------------------------------------------

    def _run(self, steps: Generator[Step, Outcome, R]) -> R:
        if self._closed or self._family.closed:
            steps.close()
            raise self._closed_error()
        http = self._http
        send = self._send
        outcome: Outcome = None
        try:
            while True:
                step = steps.send(outcome)
                if type(step) is Sleep:
                    self._sleep(step.seconds)
                    outcome = None
                    continue
                if type(step) is Blocking:
                    outcome = step.run()
                    continue
                try:
                    outcome = send(step)  # type: ignore[arg-type]
                except httpx.HTTPError as exc:
                    outcome = exc
                except RuntimeError:
                    if http.is_closed:  # the httpx.Client you passed was closed
                        raise self._closed_error() from None
                    raise
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
        finally:
            steps.close()

    def _send(self, request: httpx.Request) -> httpx.Response:
        """One attempt on the wire, bounded in time and size (numora._exchange)."""
        return exchange(self._http, request, self._config.max_response_bytes)

    def _invoke(self, req: APIRequest[T]) -> T:
        result: T = self._run(self._core.call(req))
        return result

    def _paginate(self, req: APIRequest[Any]) -> SyncPage[Any]:
        from ._pagination import SyncPage

        return SyncPage(self, req, self._invoke(req))

    # --- lifecycle --------------------------------------------------------------------

    def close(self) -> None:
        """Close the client: later calls raise :class:`~numora.ClientClosedError`.

        Closes the connection pool if this client created it (an ``http_client`` you
        passed is yours to close). Closing the original also closes its ``with_options``
        copies; closing a copy closes only the copy. Safe to call twice.
        """
        self._mark_closed()
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncNumora(_BaseClient[httpx.AsyncClient]):
    """The asynchronous Numora client (``async with AsyncNumora() as client``).

    Takes the same arguments as :class:`Numora`; ``http_client`` is an
    ``httpx.AsyncClient``. One client belongs to one event loop: create one per loop (the
    pool's connections are bound to the loop that opened them). Close it with
    ``await client.aclose()`` or ``async with``; nothing is cleaned up from ``__del__``.
    """

    _is_async = True

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        webhook_secret: str | Sequence[str] | None = None,
        allow_insecure_http: bool = False,
        retry_after_cap: float = 60.0,
        on_retry: OnRetry | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        # Wrapped first: no frame of numora's holds the key in a plain local (tracebacks
        # rendered with locals show them), even when a check below refuses it.
        api_key, webhook_secret = conceal(api_key), conceal(webhook_secret)
        self._setup(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            webhook_secret=webhook_secret,
            allow_insecure_http=allow_insecure_http,
            retry_after_cap=retry_after_cap,
            on_retry=on_retry,
            max_response_bytes=max_response_bytes,
        )
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError(
                f"http_client must be an httpx.AsyncClient (use Numora for an "
                f"httpx.Client), got {type(http_client).__name__}"
            )
        self._owns_http = http_client is None
        self._http = (
            http_client
            if http_client is not None
            else new_pool(httpx.AsyncClient, self._config, POOL_LIMITS)
        )
        # Calls beyond the pool's size wait here rather than in httpcore's queue.
        self._gate = new_gate(POOL_SIZE) if self._owns_http else None
        import anyio  # here, not at the top: sync users should not pay for asyncio

        self._sleep_async = anyio.sleep
        self._loop: list[asyncio.AbstractEventLoop] = []
        self._finish_setup()

    def with_options(
        self,
        *,
        timeout: TimeoutTypes = _NOT_SET,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        on_retry: OnRetry | None = _NOT_SET,
        max_response_bytes: int | None = None,
    ) -> AsyncNumora:
        """A copy with other defaults that shares this client's connection pool.

        ``on_retry`` replaces the callback (``None`` removes it); by default the copy keeps
        this client's.
        """
        copy = self._copy_with(
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            on_retry=on_retry,
            max_response_bytes=max_response_bytes,
        )
        copy._sleep_async = self._sleep_async
        copy._gate = self._gate  # the pool is shared, so is the gate in front of it
        copy._loop = self._loop  # the pool is shared, so is its event loop
        return copy

    @cached_property
    def with_raw_response(self) -> AsyncNumoraWithRawResponse:
        """The same resources, returning :class:`~numora.APIResponse` instead of models."""
        return AsyncNumoraWithRawResponse(self)

    def _check_loop(self) -> None:
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not asyncio (e.g. trio through anyio): nothing to check
            return
        if not self._loop:
            self._loop.append(loop)
        elif self._loop[0] is not loop:
            raise RuntimeError(
                "This AsyncNumora client is bound to the event loop it was first used in, "
                "and is now used from another one (its pooled connections belong to the "
                "first loop). Create one AsyncNumora per event loop, e.g. inside the "
                "function you pass to asyncio.run()."
            )

    # --- the driver -------------------------------------------------------------------

    async def _run(self, steps: Generator[Step, Outcome, R]) -> R:
        if self._closed or self._family.closed:
            steps.close()
            raise self._closed_error()
        self._check_loop()
        http = self._http
        send = self._send
        outcome: Outcome = None
        try:
            while True:
                step = steps.send(outcome)
                if type(step) is Sleep:
                    await self._sleep_async(step.seconds)
                    outcome = None
                    continue
                if type(step) is Blocking:  # file I/O, kept off the event loop
                    from anyio import to_thread

                    outcome = await to_thread.run_sync(step.run)
                    continue
                try:
                    outcome = await send(step)  # type: ignore[arg-type]
                except httpx.HTTPError as exc:
                    outcome = exc
                except RuntimeError:
                    if http.is_closed:  # the httpx.AsyncClient you passed was closed
                        raise self._closed_error() from None
                    raise
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
        finally:
            steps.close()

    async def _send(self, request: httpx.Request) -> httpx.Response:
        """One attempt on the wire, bounded in time and size (numora._exchange)."""
        return await aexchange(self._http, request, self._config.max_response_bytes, self._gate)

    def _invoke(self, req: APIRequest[T]) -> Any:
        return self._run(self._core.call(req))

    def _paginate(self, req: APIRequest[Any]) -> AsyncPaginator[Any]:
        from ._pagination import AsyncPaginator

        return AsyncPaginator(self, req)

    # --- lifecycle --------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the client: later calls raise :class:`~numora.ClientClosedError`.

        Closes the connection pool if this client created it (an ``http_client`` you
        passed is yours to close). Closing the original also closes its ``with_options``
        copies; closing a copy closes only the copy. Safe to call twice.
        """
        self._mark_closed()
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


class NumoraWithRawResponse(_Resources):
    """``client.with_raw_response``: every method returns an :class:`~numora.APIResponse`."""

    _is_raw = True

    def __init__(self, client: Numora) -> None:
        self._client = client

    def _invoke(self, req: APIRequest[T]) -> APIResponse[T]:
        client = self._client
        response: APIResponse[T] = client._run(client._core.call(req, raw=True))
        return response

    def _paginate(self, req: APIRequest[Any]) -> APIResponse[SyncPage[Any]]:
        from ._pagination import SyncPage

        client, parse_page = self._client, req.parse
        return self._invoke(req.replace(parse=lambda r: SyncPage(client, req, parse_page(r))))

    def _run(self, steps: Generator[Step, Outcome, R]) -> R:
        return self._client._run(steps)

    @property
    def _clock(self) -> Any:
        return self._client._clock

    @property
    def _core(self) -> Core:
        return self._client._core


class AsyncNumoraWithRawResponse(_Resources):
    """``client.with_raw_response`` on the async client."""

    _is_async = True
    _is_raw = True

    def __init__(self, client: AsyncNumora) -> None:
        self._client = client

    def _invoke(self, req: APIRequest[T]) -> Any:
        client = self._client
        return client._run(client._core.call(req, raw=True))

    def _paginate(self, req: APIRequest[Any]) -> Any:
        from ._pagination import AsyncPage

        client, parse_page = self._client, req.parse
        return self._invoke(req.replace(parse=lambda r: AsyncPage(client, req, parse_page(r))))

    def _run(self, steps: Generator[Step, Outcome, R]) -> Any:
        return self._client._run(steps)

    @property
    def _clock(self) -> Any:
        return self._client._clock

    @property
    def _core(self) -> Core:
        return self._client._core
