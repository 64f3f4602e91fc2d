"""httpx transports that answer from the fake in memory, without sockets."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from ._faults import InjectedFault
from ._handle import FakeResponse

# (method, path, query, headers, body) -> response; FakeNumora.handle has this shape.
Handler = Callable[[str, str, dict[str, list[str]], dict[str, str], bytes], FakeResponse]


def _query(request: httpx.Request) -> dict[str, list[str]]:
    query: dict[str, list[str]] = {}
    for name, value in request.url.params.multi_items():
        query.setdefault(name, []).append(value)
    return query


def _answer(handler: Handler, request: httpx.Request) -> httpx.Response:
    try:
        status, headers, body = handler(
            request.method,
            request.url.path,
            _query(request),
            dict(request.headers),
            request.content,
        )
    except InjectedFault as fault:
        if fault.kind == "timeout":
            raise httpx.ReadTimeout("injected timeout: no answer", request=request) from None
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        ) from None
    return httpx.Response(status, headers=headers, content=body, request=request)


class FakeTransport(httpx.BaseTransport):
    """Sends each request to a :class:`FakeNumora` in memory."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return _answer(self._handler, request)


class AsyncFakeTransport(httpx.AsyncBaseTransport):
    """The async twin of :class:`FakeTransport`."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return _answer(self._handler, request)


class BorrowedTransport(httpx.BaseTransport):
    """Lends a caller's transport to a short-lived client without letting it close it."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(request)
