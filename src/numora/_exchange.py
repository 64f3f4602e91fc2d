"""One attempt on the wire: send a request and read its answer, bounded in time and in size.

This and sleeping are the only I/O numora does; the clients' drivers call :func:`exchange`
(sync) or :func:`aexchange` (async) for each request :mod:`numora._core` yields. Both keep the
same limits:

* **Time.** ``timeout`` bounds each whole attempt, from waiting for a connection to the last
  byte of the body (:func:`numora._config.attempt_seconds`). The async client cancels the
  attempt at its deadline, whatever the server does. A blocking socket cannot be interrupted
  from outside, so the sync client checks the deadline each time part of the body arrives and
  gives the body's socket reads only the time left: a server that trickles its body is cut
  off at most one read later. Until the status line and headers have arrived, each socket
  read is bounded by ``timeout`` on its own, as in httpx.
* **Size.** A successful body may have at most ``max_response_bytes`` decoded bytes; beyond
  that reading stops and :class:`~numora.ResponseTooLargeError` is raised. An error body is
  read up to 64 KiB and kept that short. Compressed bodies are decoded a slice at a time, so
  a small gzip body that inflates to gigabytes cannot take more memory than the limit plus a
  few MB.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import httpx

from ._config import attempt_seconds
from ._exceptions import ResponseTooLargeError

if TYPE_CHECKING:
    import anyio

__all__ = ["ERROR_BODY_LIMIT", "DeadlineExceeded", "aexchange", "exchange", "new_gate"]

ERROR_BODY_LIMIT = 64 * 1024
"""Bytes of an error body read and kept on the exception (the API's error JSON is tiny)."""

_SLICE = 4 * 1024  # compressed bytes handed to the decoder at once (gzip inflates ~1,000x)


class DeadlineExceeded(httpx.ReadTimeout):
    """An attempt ran past its ``timeout``. Retried like a read timeout: it may have been
    processed, so only a replay-safe request is tried again."""


def _deadline_exceeded(request: httpx.Request, seconds: float) -> DeadlineExceeded:
    return DeadlineExceeded(
        f"the attempt took longer than its {seconds:g} s timeout", request=request
    )


def _too_large(response: httpx.Response, limit: int) -> ResponseTooLargeError:
    request = response.request
    declared = response.headers.get("content-length")
    size = f" (it declares {declared} bytes)" if declared else ""
    return ResponseTooLargeError(
        f"The {response.status_code} response to {request.method} {request.url.path} is "
        f"larger than max_response_bytes={limit:,}{size}; reading stopped there. Raise "
        "max_response_bytes if a result is really that large, or ask for less (a smaller "
        "page `limit`, for example).",
        status_code=response.status_code,
        limit=limit,
        headers=dict(response.headers),
        request=request,
        request_id=response.headers.get("x-request-id") or None,
    )


def _limit_for(response: httpx.Response, max_bytes: int) -> int:
    if "content-encoding" in response.headers:
        response.stream = _Slices(response.stream)
    return max_bytes if response.is_success else min(max_bytes, ERROR_BODY_LIMIT)


def _keep(
    response: httpx.Response, chunks: list[bytes], size: int, limit: int, max_bytes: int
) -> httpx.Response:
    """Give the response the body that was read, or refuse one over the limit."""
    body = b"".join(chunks)
    if size > limit:
        if response.is_success:
            raise _too_large(response, max_bytes)
        body = body[:limit]  # an error body: its start says enough
    # httpx has no public way to hand a response the body read through iter_bytes() (read()
    # would read the consumed stream again); this is the attribute read() itself fills.
    response._content = body
    return response


def exchange(http: httpx.Client, request: httpx.Request, max_bytes: int) -> httpx.Response:
    """Send one attempt with the sync client and read its body within the limits."""
    timeouts = request.extensions["timeout"]
    seconds = attempt_seconds(timeouts)
    started = time.monotonic()
    response = http.send(request, stream=True)
    try:
        deadline = None
        if seconds is not None:
            deadline = started + seconds
            left = deadline - time.monotonic()
            if left <= 0:
                raise _deadline_exceeded(request, seconds)
            if timeouts["read"] > left:
                # httpcore reads this when the body starts: no single read outlasts the rest.
                request.extensions["timeout"] = {**timeouts, "read": left}
        limit = _limit_for(response, max_bytes)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                break
            if deadline is not None and time.monotonic() > deadline:
                raise _deadline_exceeded(request, seconds or 0.0)
    finally:
        response.close()
    return _keep(response, chunks, size, limit, max_bytes)


async def aexchange(
    http: httpx.AsyncClient,
    request: httpx.Request,
    max_bytes: int,
    gate: anyio.Semaphore | None,
) -> httpx.Response:
    """Send one attempt with the async client, cancelled at its deadline.

    ``gate`` (for a pool numora created) holds back calls beyond the pool's size, so they
    never queue inside httpcore's pool: it does work proportional to its queue for each
    request, and a queued request cancelled or timed out just after being given a new
    connection leaves that connection behind for good (encode/httpcore#1093).
    """
    seconds = attempt_seconds(request.extensions["timeout"])
    if seconds is None:
        if gate is None:
            return await _aread(http, request, max_bytes)
        if not _took(gate):
            await gate.acquire()
        try:
            return await _aread(http, request, max_bytes)
        finally:
            gate.release()
    import anyio

    # anyio's cancel scope, not asyncio.timeout: httpcore shields its connection clean-up
    # with anyio, and only anyio's own cancellation respects that shield (a native
    # task.cancel() cut through it and left requests queued in the pool under load).
    waiting = True
    with anyio.CancelScope(deadline=anyio.current_time() + seconds):
        if gate is not None and not _took(gate):
            await gate.acquire()
        try:
            waiting = False
            return await _aread(http, request, max_bytes)
        finally:
            if gate is not None:
                gate.release()
    # Only reached when the deadline cancelled the attempt.
    if waiting:  # nothing was sent: a pool timeout, safe to retry for any request
        raise httpx.PoolTimeout(
            f"no connection was free within the {seconds:g} s timeout", request=request
        )
    raise _deadline_exceeded(request, seconds)


def _took(gate: anyio.Semaphore) -> bool:
    """Take a free place now if there is one, without the cancellation checkpoint of
    ``acquire()`` (cheaper per call; the send that follows is a checkpoint anyway)."""
    import anyio

    try:
        gate.acquire_nowait()
    except anyio.WouldBlock:
        return False
    return True


async def _aread(http: httpx.AsyncClient, request: httpx.Request, max_bytes: int) -> httpx.Response:
    response = await http.send(request, stream=True)
    try:
        limit = _limit_for(response, max_bytes)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                break
    finally:
        await response.aclose()
    return _keep(response, chunks, size, limit, max_bytes)


def new_gate(size: int) -> anyio.Semaphore:
    """The async client's gate in front of a pool of ``size`` connections."""
    import anyio

    try:
        return anyio.Semaphore(size, fast_acquire=True)
    except TypeError:  # anyio < 4.5: every acquire yields to the event loop once
        return anyio.Semaphore(size)


class _Slices(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A compressed body handed to httpx's decoder in slices of at most 4 KiB."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            yield from _slice(chunk)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            for piece in _slice(chunk):
                yield piece

    def close(self) -> None:
        self._stream.close()

    async def aclose(self) -> None:
        await self._stream.aclose()


def _slice(chunk: bytes) -> Iterator[bytes]:
    if len(chunk) <= _SLICE:
        yield chunk
        return
    for start in range(0, len(chunk), _SLICE):
        yield chunk[start : start + _SLICE]
