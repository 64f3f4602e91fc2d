"""httpx transports that answer from the fake in memory, without sockets."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from ._faults import InjectedFault
from ._handle import FakeResponse

# (method, raw path, query, headers, body) -> response; FakeNumora.handle has this shape.
Handler = Callable[[str, str, dict[str, list[str]], dict[str, str], bytes], FakeResponse]


def _query(request: httpx.Request) -> dict[str, list[str]]:
    query: dict[str, list[str]] = {}
    for name, value in request.url.params.multi_items():
        query.setdefault(name, []).append(value)
    return query


def raw_path(request: httpx.Request) -> str:
    """The path exactly as it goes over the wire (percent-encoded), without the query."""
    return request.url.raw_path.split(b"?", 1)[0].decode("ascii")


class _Answering:
    """What both in-memory transports share: answer a request, remember the last answer."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        # (method, raw path, status) of the last answer, read by the fake's clients when they
        # sleep (see FakeNumora._sleep): a poll of something nothing will change gets a hint.
        self.last: tuple[str, str, int] | None = None

    def _answer(self, request: httpx.Request) -> httpx.Response:
        path = raw_path(request)
        try:
            status, headers, body = self._handler(
                request.method, path, _query(request), dict(request.headers), request.content
            )
        except InjectedFault as fault:
            self.last = None
            if fault.kind == "timeout":
                raise httpx.ReadTimeout("injected timeout: no answer", request=request) from None
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from None
        self.last = (request.method, path, status)
        return httpx.Response(status, headers=headers, content=body, request=request)


class FakeTransport(_Answering, httpx.BaseTransport):
    """Sends each request to a :class:`FakeNumora` in memory."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return self._answer(request)


class AsyncFakeTransport(_Answering, httpx.AsyncBaseTransport):
    """The async twin of :class:`FakeTransport`."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self._answer(request)


class BorrowedTransport(httpx.BaseTransport):
    """Lends a caller's transport to a short-lived client without letting it close it."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(request)


class AsyncBorrowedTransport(httpx.AsyncBaseTransport):
    """The async twin of :class:`BorrowedTransport` (e.g. an ``httpx.ASGITransport``)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)
