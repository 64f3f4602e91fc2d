"""FakeNumora: the whole Numora /v1 API in memory, for integrators' tests."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, SupportsIndex, TypeVar
from urllib.parse import parse_qs, urlsplit

import httpx

from . import _auth, _deliver, _lifecycle, _routes_webhooks, _routes_workflows
from ._backend import (
    DISPATCH_ROUTES,
    PUSH_OUTCOMES,
    Backend,
    Clock,
    Config,
    check_choice,
    check_routes,
)
from ._events import active_secrets, sign
from ._faults import KINDS, WHEN, Fault, FaultRecord, Faults
from ._handle import FakeResponse, RecordedRequest, RequestLog, handle, new_request
from ._server import FakeHTTPServer
from ._state import Doc
from ._transport import (
    AsyncBorrowedTransport,
    AsyncFakeTransport,
    BorrowedTransport,
    FakeTransport,
)
from ._wire import JSON, parse_iso

if TYPE_CHECKING:
    from numora import AsyncNumora, Numora

ClientT = TypeVar("ClientT", "Numora", "AsyncNumora")

#: The host :meth:`FakeNumora.client` points at; nothing listens there, the transport answers.
TRANSPORT_BASE_URL = "http://numora.localhost"


class FakeNumoraWarning(UserWarning):
    """A hint from :class:`FakeNumora` about a test that cannot succeed as written.

    For example a ``wait()`` on a document that nothing will move out of ``processing``.
    """


@dataclass(frozen=True)
class SignedEvent:
    """An emitted webhook event as a receiver gets it: the raw ``body`` and signed ``headers``.

    Signed at the event's ``created_at``: by :attr:`FakeNumora.signed_events` with
    :attr:`FakeNumora.webhook_secret`, by :meth:`FakeNumora.signed_events_for` with the
    endpoint's active secrets, exactly as a delivery to it is.
    """

    event: JSON
    body: bytes
    headers: dict[str, str]


class FakeNumora:
    """An in-memory Numora that behaves as the API contract says, for your tests.

    Two ways in, sharing one state:

    * ``fake.client()`` / ``fake.async_client()``: a :class:`numora.Numora` /
      :class:`numora.AsyncNumora` wired to an httpx transport (no sockets);
      ``fake.transport()`` / ``fake.async_transport()`` for your own httpx clients.
    * ``with fake.serve() as base_url:``: a real HTTP server on 127.0.0.1 in a background
      thread (also delivering webhooks to your endpoints' URLs).

    Every request needs an API key; :attr:`api_key` has every scope.

    Clients from :meth:`client` and :meth:`async_client` run on the fake's clock: their
    ``wait()``, ``create_and_wait()``, ``runs.wait()`` and retry back-offs move the fake's
    time forward instead of sleeping, so ``processing_delay`` and ``push_delay`` pass at once.

    Args:
        processing_delay: seconds after creation at which a document leaves ``processing``
            for ``review_required`` (checked whenever the fake is asked, so nothing sleeps).
            ``None`` (default): it stays ``processing`` until :meth:`finish_processing`.
        push_delay: seconds after dispatch (``workflow`` route), retry-push or workflow
            dispatch at which the run finishes and the push settles. ``0`` (default): at
            the next request. ``None``: only when :meth:`finish_push` is called.
        push_outcome: ``"succeeded"`` or ``"failed"``: how pushes and runs end.
        dispatch_route: ``"workflow"`` (default: the fake runs the push itself, with a run
            and logs) or ``"n8n_executor"`` (the document stays ``push_pending`` until the
            delivery callback); or a mapping of provider to route.
        rate_limit: requests allowed per ``rate_limit_window`` seconds of the fake's clock;
            beyond it the answer is 429 ``rate_limited`` with ``retry-after``. ``None``
            (default): not enforced (the headers show a nominal limit of 1000).
        credits: processing credits; each new document uses one, then 402
            ``insufficient_credits``. ``None`` (default): unlimited.
        max_upload_bytes: the upload limit (30 MB, as documented); lower it to test 413.
        clock: a function returning Unix seconds (default :func:`time.time`).
            :meth:`advance` moves the fake's time forward on top of it.
        webhook_secret: the secret every webhook endpoint created through the API starts with
            (its one-time reveal shows it; a rotation replaces it), and the one
            :attr:`signed_events` are signed with. Default: a new ``whsec_…``.
        webhook_retry_schedule: seconds between webhook attempts after a failure
            (the API's schedule, 10 s to 24 h, compressed; default 0.05 s to 6.4 s).
        webhook_timeout: seconds a receiver has to answer a delivery.
        webhook_transport: an httpx transport for deliveries, sync or async: e.g.
            ``httpx.WSGITransport(app=flask_app)`` or ``httpx.ASGITransport(app=fastapi_app)``
            delivers straight into your app, with no server. Default: real HTTP to each URL.
        fault_timeout: seconds the server holds a request a ``timeout`` fault applies to.
        preview_values: send what the contract allows and the preview shows: a new document
            is ``pending`` for its first second, then ``processing``; a finished extraction is
            ``for_review`` instead of ``review_required``; fields the schema does not require
            have ``confidence: null``. Test that your code copes with them.
        request_log_size: how many of the most recent requests :attr:`requests` keeps
            (default 1,000; ``None``: all, ``0``: none).
        on_request: called with each :class:`RecordedRequest` once it is answered, from the
            thread that served it (e.g. to log requests while serving).
    """

    def __init__(
        self,
        *,
        processing_delay: float | None = None,
        push_delay: float | None = 0.0,
        push_outcome: str = "succeeded",
        dispatch_route: str | Mapping[str, str] = "workflow",
        rate_limit: int | None = None,
        rate_limit_window: float = 1.0,
        credits: int | None = None,
        max_upload_bytes: int = 30 * 1024 * 1024,
        clock: Callable[[], float] | None = None,
        webhook_secret: str | None = None,
        webhook_retry_schedule: Sequence[float] = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4),
        webhook_timeout: float = 2.0,
        webhook_transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
        fault_timeout: float = 2.0,
        preview_values: bool = False,
        request_log_size: int | None = 1_000,
        on_request: Callable[[RecordedRequest], None] | None = None,
    ) -> None:
        if webhook_transport is not None and not isinstance(
            webhook_transport, (httpx.BaseTransport, httpx.AsyncBaseTransport)
        ):
            raise TypeError(
                "webhook_transport must be an httpx transport: for an ASGI app (FastAPI, "
                "Starlette) pass httpx.ASGITransport(app=app), for a WSGI app (Flask, Django) "
                f"httpx.WSGITransport(app=app); got {type(webhook_transport).__name__}"
            )
        if request_log_size is not None and request_log_size < 0:
            raise ValueError("request_log_size must be a number of requests (0 or more) or None")
        config = Config(
            processing_delay=processing_delay,
            push_delay=push_delay,
            push_outcome=check_choice("push_outcome", push_outcome, PUSH_OUTCOMES),
            rate_limit=rate_limit,
            rate_limit_window=rate_limit_window,
            credits=credits,
            max_upload_bytes=max_upload_bytes,
            webhook_retry_schedule=tuple(webhook_retry_schedule),
            webhook_timeout=webhook_timeout,
            fault_timeout=fault_timeout,
            preview_values=preview_values,
        )
        if isinstance(dispatch_route, str):
            config.dispatch_route = check_choice("dispatch_route", dispatch_route, DISPATCH_ROUTES)
        else:
            config.dispatch_routes = check_routes(dispatch_route)
        self._backend = Backend(config, Clock(clock))
        self._backend.webhook_secret = webhook_secret or _routes_webhooks.new_secret()
        self._webhook_transport = webhook_transport
        self._faults = Faults(request_log_size)
        self._requests = RequestLog(request_log_size, on_request)
        self._hinted: set[str] = set()  # ids a FakeNumoraWarning was already given for
        with self._backend.lock:
            _, self._api_key = _auth.create_key(
                self._backend, "FakeNumora test key", list(_auth.SCOPES)
            )
            workflow = _routes_workflows.add_workflow(self._backend, "Push reviewed documents")
            self._backend.push_workflow_id = workflow["id"]

    def __repr__(self) -> str:
        return f"<FakeNumora documents={len(self._backend.state.documents)}>"

    # -- credentials ------------------------------------------------------------------------

    @property
    def api_key(self) -> str:
        """A ready test key (``sk_test_…``) with every scope."""
        return self._api_key

    @property
    def webhook_secret(self) -> str:
        """The secret :attr:`signed_events` are signed with, and the one every webhook endpoint
        created through the API starts with (until its secret is rotated)."""
        return self._backend.webhook_secret

    def create_api_key(self, *, scopes: Sequence[str] = (), name: str = "test key") -> str:
        """A new key with only ``scopes`` (none by default: every call gets 403); its secret."""
        unknown = set(scopes) - set(_auth.SCOPES)
        if unknown:
            raise ValueError(f"unknown scopes: {', '.join(sorted(unknown))}")
        with self._backend.lock:
            return _auth.create_key(self._backend, name, list(scopes))[1]

    # -- the request-handling backend ----------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        query: Mapping[str, Sequence[str]] | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
    ) -> FakeResponse:
        """Answer one HTTP request, as the API would: ``(status, headers, body)``.

        ``path`` is the raw path as sent, percent-encoded (``%2F`` stays inside its path
        segment, as on a real server), and may carry a query string. Raises
        :class:`numora.testing.InjectedFault` when a ``timeout`` or ``reset`` fault drops
        the answer.
        """
        target = urlsplit(path)
        merged = {k: list(v) for k, v in parse_qs(target.query, keep_blank_values=True).items()}
        for name, values in (query or {}).items():
            merged.setdefault(name, []).extend([values] if isinstance(values, str) else values)
        request = new_request(method, target.path, merged, dict(headers or {}), body)
        return handle(self._backend, self._faults, self._requests, request)

    def _handler(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
    ) -> FakeResponse:
        return self.handle(method, path, query, headers, body)

    def transport(self) -> httpx.BaseTransport:
        """An httpx transport that answers from this fake: ``httpx.Client(transport=...)``."""
        return FakeTransport(self._handler)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """The transport for ``httpx.AsyncClient``."""
        return AsyncFakeTransport(self._handler)

    def client(self, **kwargs: Any) -> Numora:
        """A :class:`numora.Numora` talking to this fake in memory; ``kwargs`` go to it.

        It runs on the fake's clock (waits and retries never sleep in real time) and, like
        any client, refuses calls once closed: use it in a ``with`` block.
        """
        from numora import Numora

        options: dict[str, Any] = {"api_key": self.api_key, "base_url": TRANSPORT_BASE_URL}
        options.update(kwargs)
        transport = None
        if "http_client" not in options:
            transport = FakeTransport(self._handler)
            options["http_client"] = httpx.Client(transport=transport)
        return self._attach(Numora(**options), transport)

    def async_client(self, **kwargs: Any) -> AsyncNumora:
        """A :class:`numora.AsyncNumora` talking to this fake in memory (see :meth:`client`)."""
        from numora import AsyncNumora

        options: dict[str, Any] = {"api_key": self.api_key, "base_url": TRANSPORT_BASE_URL}
        options.update(kwargs)
        transport = None
        if "http_client" not in options:
            transport = AsyncFakeTransport(self._handler)
            options["http_client"] = httpx.AsyncClient(transport=transport)
        return self._attach(AsyncNumora(**options), transport)

    def _attach(
        self, client: ClientT, transport: FakeTransport | AsyncFakeTransport | None
    ) -> ClientT:
        """Wire a client built here to the fake: the one place that sets its private parts.

        The pool the fake created is the client's own (closed with it, as numora's own pool
        is), and the client sleeps on the fake's clock. ``with_options`` copies share both.
        """
        from numora import AsyncNumora

        if transport is not None:
            client._owns_http = True

        def sleep(seconds: float | SupportsIndex) -> None:
            self._hint_if_stuck(transport)
            self.advance(float(seconds))

        async def sleep_async(delay: float) -> None:
            sleep(delay)
            import anyio.lowlevel

            await anyio.lowlevel.checkpoint()  # let other tasks run, as a real sleep would

        client._clock = self.now
        if isinstance(client, AsyncNumora):
            client._sleep_async = sleep_async
        else:
            client._sleep = sleep
        return client

    def _hint_if_stuck(self, transport: FakeTransport | AsyncFakeTransport | None) -> None:
        """Before a client sleeps after polling something nothing will change: say so, once."""
        last = None if transport is None else transport.last
        if last is None or last[2] != 200:
            return
        with self._backend.lock:
            found = _lifecycle.stuck_hint(self._backend, last[0], last[1])
        if found is None or found[0] in self._hinted:
            return
        self._hinted.add(found[0])
        warnings.warn(
            f"{found[1]}. Clients from fake.client() wait on the fake's clock, so this wait "
            "reaches its deadline at once.",
            FakeNumoraWarning,
            stacklevel=2,
        )

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve the fake over HTTP in a background thread; yields the base URL.

        ``with fake.serve() as base_url: Numora(api_key=fake.api_key, base_url=base_url)``.
        While serving, webhooks are delivered to every enabled endpoint's URL, with retries.
        """
        server = FakeHTTPServer((host, port), self._handler, self._backend.config.fault_timeout)
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        deliverer = _deliver.Deliverer(self._backend, self._webhook_client)
        thread.start()
        deliverer.start()
        try:
            yield f"http://{host}:{server.server_address[1]}"
        finally:
            server.close()
            deliverer.stop()
            thread.join(timeout=10)

    # -- time and lifecycle -----------------------------------------------------------------

    def now(self) -> float:
        """The fake's current time, Unix seconds."""
        return self._backend.now()

    def advance(self, seconds: float) -> None:
        """Move the fake's clock forward (due documents, pushes and webhook retries follow)."""
        with self._backend.wakeup:
            self._backend.clock.advance(seconds)
            _lifecycle.tick(self._backend)
            self._backend.wakeup.notify_all()

    def set_push_outcome(self, outcome: str) -> None:
        """How the next pushes and runs end: ``"succeeded"`` or ``"failed"``."""
        with self._backend.lock:
            self._backend.config.push_outcome = check_choice("push_outcome", outcome, PUSH_OUTCOMES)

    def set_dispatch_route(self, route: str, *, provider: str | None = None) -> None:
        """Route dispatches (of ``provider``, or all) via ``"workflow"`` or ``"n8n_executor"``."""
        check_choice("route", route, DISPATCH_ROUTES)
        with self._backend.lock:
            if provider is None:
                self._backend.config.dispatch_route = route
                self._backend.config.dispatch_routes.clear()
            else:
                self._backend.config.dispatch_routes[provider] = route

    def document(self, document_id: str) -> JSON:
        """A copy of a document as ``GET /v1/documents/{document_id}`` returns it."""
        with self._backend.lock:
            _lifecycle.tick(self._backend)
            return copy.deepcopy(self._doc(document_id).data)

    def finish_processing(
        self,
        document_id: str,
        *,
        fields: Mapping[str, Any] | None = None,
        line_items: Sequence[Any] | None = None,
    ) -> JSON:
        """Finish extraction now: ``processing`` → ``review_required`` (``for_review`` with
        ``preview_values``); the document.

        ``fields`` maps names to values (or to ``{"value", "confidence"}``); ``line_items``
        is a list of such mappings. Left out, they are generated from the document id, so
        the same id always gets the same extraction.
        """
        with self._backend.lock:
            _lifecycle.tick(self._backend)
            doc = self._doc(document_id)
            if doc.data["status"] not in _lifecycle.EXTRACTING:
                raise ValueError(f"document {document_id} is {doc.data['status']}, not processing")
            items = None if line_items is None else list(line_items)
            fields_dict = None if fields is None else dict(fields)
            _lifecycle.finish_processing(
                self._backend, doc, self._backend.now(), fields_dict, items
            )
            return copy.deepcopy(doc.data)

    def fail_processing(
        self,
        document_id: str,
        *,
        code: str = "extraction_failed",
        message: str = "the file could not be read",
    ) -> JSON:
        """End extraction in ``failed`` with ``failure = {code, message}``; the document."""
        with self._backend.lock:
            _lifecycle.tick(self._backend)
            doc = self._doc(document_id)
            if doc.data["status"] not in _lifecycle.EXTRACTING:
                raise ValueError(f"document {document_id} is {doc.data['status']}, not processing")
            _lifecycle.fail_processing(self._backend, doc, self._backend.now(), code, message)
            return copy.deepcopy(doc.data)

    def finish_push(self, document_id: str, *, outcome: str | None = None) -> JSON:
        """Settle a ``push_pending`` document now, ``outcome`` or the configured one.

        On the ``workflow`` route its run finishes; on ``n8n_executor`` an attempt is
        recorded as an executor's callback would. Returns the document.
        """
        with self._backend.lock:
            _lifecycle.tick(self._backend)
            doc = self._doc(document_id)
            if doc.data["status"] != "push_pending":
                raise ValueError(
                    f"document {document_id} is {doc.data['status']}, not push_pending"
                )
            result = check_choice(
                "outcome", outcome or self._backend.config.push_outcome, PUSH_OUTCOMES
            )
            _lifecycle.settle_push(self._backend, doc, result, self._backend.now())
            return copy.deepcopy(doc.data)

    def add_workflow(self, name: str, *, status: str = "active") -> JSON:
        """Add a workflow (the fake starts with one, used by ``workflow``-route pushes)."""
        with self._backend.lock:
            return dict(_routes_workflows.add_workflow(self._backend, name, status))

    def _doc(self, document_id: str) -> Doc:
        doc = self._backend.state.documents.get(document_id)
        if doc is None:
            raise KeyError(f"no document {document_id}")
        return doc

    # -- faults -----------------------------------------------------------------------------

    def fail_next(
        self,
        n: int = 1,
        *,
        method: str | None = None,
        path: str | None = None,
        status: int = 503,
        retry_after: float | None = None,
        kind: str = "status",
        when: str = "before",
        code: str | None = None,
    ) -> Fault:
        """Make the next ``n`` requests matching ``method`` and ``path`` fail.

        Args:
            n: how many matching requests fail; later ones are served normally.
            method: ``"POST"``, ...; None matches any.
            path: ``/v1/documents``, or a pattern: ``{name}`` is one path segment
                (``/v1/documents/{document_id}``), ``*`` anything; None matches any.
            status: the error status for ``kind="status"`` (its documented error body, with
                ``code``, default the status's own, e.g. 503 → ``internal_error``).
            retry_after: seconds to send in ``retry-after`` (with ``kind="status"``).
            kind: ``"status"`` (an error reply), ``"timeout"`` (no reply: the transport
                raises ``httpx.ReadTimeout``, the server holds the request
                ``fault_timeout`` seconds) or ``"reset"`` (the connection drops:
                ``httpx.RemoteProtocolError`` / a closed socket).
            when: ``"before"`` (the request has no effect) or ``"after"`` (it takes effect,
                e.g. the document is created, and only the answer is lost or replaced).

        Returns the rule; its ``remaining`` counts the failures still to come.
        """
        if n < 1:
            raise ValueError("n must be at least 1")
        fault = Fault(
            remaining=n,
            method=method.upper() if method else None,
            path=path,
            kind=check_choice("kind", kind, KINDS),
            when=check_choice("when", when, WHEN),
            status=status,
            retry_after=retry_after,
            code=code,
        )
        with self._backend.lock:
            return self._faults.add(fault)

    @property
    def faulted_requests(self) -> list[FaultRecord]:
        """The requests a fault was applied to, oldest first (the most recent
        ``request_log_size``)."""
        with self._backend.lock:
            return list(self._faults.log)

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests received, oldest first: the most recent ``request_log_size`` (API
        keys shown by their prefix only)."""
        with self._backend.lock:
            return list(self._requests.entries)

    # -- webhooks ---------------------------------------------------------------------------

    @property
    def events(self) -> list[JSON]:
        """Every webhook event emitted so far (the envelopes), oldest first."""
        with self._backend.lock:
            _lifecycle.tick(self._backend)
            return [copy.deepcopy(e.envelope) for e in self._backend.state.events]

    @property
    def signed_events(self) -> list[SignedEvent]:
        """:attr:`events` with raw body and headers signed with :attr:`webhook_secret`.

        That is the secret every endpoint created through the API starts with; after a
        ``rotate-secret`` use :meth:`signed_events_for`.
        """
        with self._backend.lock:
            _lifecycle.tick(self._backend)
            emitted = list(self._backend.state.events)
        secret = [self.webhook_secret]
        return [_signed(e.envelope, e.body, secret) for e in emitted]

    def signed_events_for(self, endpoint_id: str) -> list[SignedEvent]:
        """The events queued for one webhook endpoint, oldest first, signed as a delivery to
        it is now: with each of its active secrets (two during a rotation's overlap)."""
        with self._backend.lock:
            _lifecycle.tick(self._backend)
            state = self._backend.state
            endpoint = state.endpoints.get(endpoint_id)
            if endpoint is None:
                raise KeyError(f"no webhook endpoint {endpoint_id}")
            secrets = active_secrets(endpoint, self._backend.now())
            queued = {d.event_id for d in state.deliveries.values() if d.endpoint_id == endpoint_id}
            emitted = [e for e in state.events if e.envelope["id"] in queued]
        return [_signed(e.envelope, e.body, secrets) for e in emitted]

    def deliver_webhooks(self) -> int:
        """Make one attempt now for every webhook delivery that is due; how many were made.

        Without :meth:`serve` nothing is delivered in the background: call this (and
        :meth:`advance` past the retry schedule to make retries due). With an async
        ``webhook_transport`` (``httpx.ASGITransport``) inside a running event loop, use
        :meth:`deliver_webhooks_async`.
        """
        with self._backend.lock:
            _lifecycle.tick(self._backend)
        client = self._webhook_client()
        if isinstance(client, httpx.Client):
            with client:
                return _deliver.deliver_due(self._backend, client)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self._deliver_async(client))
        raise RuntimeError(
            "deliver_webhooks() would block the running event loop to drive the async "
            "webhook_transport: use `await fake.deliver_webhooks_async()` instead"
        )

    async def deliver_webhooks_async(self) -> int:
        """:meth:`deliver_webhooks` for async code (any ``webhook_transport``)."""
        with self._backend.lock:
            _lifecycle.tick(self._backend)
        client = self._webhook_client()
        if isinstance(client, httpx.AsyncClient):
            return await self._deliver_async(client)
        import anyio.to_thread

        def deliver() -> int:
            with client:
                return _deliver.deliver_due(self._backend, client)

        return await anyio.to_thread.run_sync(deliver)

    async def _deliver_async(self, client: httpx.AsyncClient) -> int:
        async with client:
            return await _deliver.deliver_due_async(self._backend, client)

    def _webhook_client(self) -> httpx.Client | httpx.AsyncClient:
        borrowed = self._webhook_transport
        timeout = self._backend.config.webhook_timeout
        if isinstance(borrowed, httpx.AsyncBaseTransport):
            return httpx.AsyncClient(transport=AsyncBorrowedTransport(borrowed), timeout=timeout)
        return httpx.Client(
            transport=None if borrowed is None else BorrowedTransport(borrowed),
            timeout=timeout,
            trust_env=False,  # receivers are local; a proxy from the environment would intercept
        )


def _signed(envelope: JSON, body: bytes, secrets: list[str]) -> SignedEvent:
    stamp = _stamp(envelope["created_at"])
    return SignedEvent(copy.deepcopy(envelope), body, sign(body, envelope["id"], secrets, stamp))


def _stamp(created_at: str) -> float:
    moment = parse_iso(created_at)
    return moment if moment is not None else 0.0
