"""Bounded time and memory against a hostile server (issue 12), over real sockets.

A local server answers each request as its ``x-case`` header says: trickling the body or the
head one byte at a time, a body far over ``max_response_bytes``, a gzip body that inflates to
100 MiB, a 5 MB error page. Time bounds are generous multiples of the timeout (never "in
exactly"), and memory is measured with tracemalloc (peak of the process's Python
allocations), so neither depends on the machine's speed.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socketserver
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import pytest

from _clock import FakeClock
from numora import (
    APITimeoutError,
    AsyncNumora,
    InternalServerError,
    Numora,
    ResponseTooLargeError,
    ServiceUnavailableError,
    _exchange,
)

MIB = 1024 * 1024
TRICKLE_EVERY = 0.1  # seconds between two bytes of a trickled answer
TRICKLE_FOR = 8.0  # after this the server finishes the answer normally (a call not cut off
#                    by its timeout then succeeds, and the test fails on the missing error)
TIMEOUT = 1.0
DOC: dict[str, Any] = {
    "id": "doc_1",
    "schema": "invoice_v2",
    "status": "review_required",
    "external_id": None,
    "metadata": {},
    "created_at": "2026-03-21T14:20:00.000Z",
    "updated_at": "2026-03-21T14:24:11Z",
}
DOC_BYTES = json.dumps(DOC).encode()
BOMB = gzip.compress(bytes(100 * MIB), compresslevel=9)  # ~100 KB that inflates to 100 MiB
BLOCK = b"x" * (64 * 1024)


def head(status: int, length: int, *extra: str) -> bytes:
    lines = [f"HTTP/1.1 {status} Whatever", f"content-length: {length}"]
    lines += ["content-type: application/json", "connection: close", *extra]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class _Handler(socketserver.StreamRequestHandler):
    disable_nagle_algorithm = True

    def handle(self) -> None:
        request_head = b""
        while not request_head.endswith(b"\r\n\r\n"):
            line = self.rfile.readline()
            if not line:
                return
            request_head += line
        case = next(
            line.split(":", 1)[1].strip()
            for line in request_head.decode("latin-1").split("\r\n")
            if line.lower().startswith("x-case:")
        )
        self.server.cases.append(case)  # type: ignore[attr-defined]
        with contextlib.suppress(OSError):  # the client hung up: the point of most cases
            getattr(self, "case_" + case.replace("-", "_"))()

    def trickle(self, data: bytes) -> bytes:
        """Send ``data`` a byte at a time for TRICKLE_FOR seconds; return what is left."""
        stop = time.monotonic() + TRICKLE_FOR
        sent = 0
        while sent < len(data) and time.monotonic() < stop:
            self.wfile.write(data[sent : sent + 1])
            self.wfile.flush()
            sent += 1
            time.sleep(TRICKLE_EVERY)
        return data[sent:]

    def case_trickle_body(self) -> None:
        self.wfile.write(head(200, len(DOC_BYTES)))
        self.wfile.write(self.trickle(DOC_BYTES))

    def case_trickle_head(self) -> None:
        self.wfile.write(self.trickle(head(200, len(DOC_BYTES)) + DOC_BYTES))

    def case_big(self) -> None:
        self.wfile.write(head(200, 50 * MIB))
        for _ in range(50 * MIB // len(BLOCK)):
            self.wfile.write(BLOCK)

    def case_bomb(self) -> None:
        self.wfile.write(head(200, len(BOMB), "content-encoding: gzip"))
        self.wfile.write(BOMB)

    def case_just_fits(self) -> None:
        body = json.dumps({**DOC, "notes": "n" * (MIB - len(DOC_BYTES) - 20)}).encode()
        self.wfile.write(head(200, len(body)) + body)

    def case_big_error(self) -> None:
        self.wfile.write(head(500, 5 * MIB, "x-request-id: req_big"))
        for _ in range(5 * MIB // len(BLOCK)):
            self.wfile.write(BLOCK)

    def case_bomb_error(self) -> None:
        self.wfile.write(head(503, len(BOMB), "content-encoding: gzip"))
        self.wfile.write(BOMB)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.cases: list[str] = []


@pytest.fixture(scope="module")
def hostile() -> Iterator[_Server]:
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def url(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def call(kind: str, server: _Server, case: str, **options: Any) -> Any:
    """``documents.retrieve`` on a sync or async client (sleeping on a fake clock)."""
    extra: Any = {"extra_headers": {"x-case": case}}
    if kind == "sync":
        with FakeClock().install(Numora("sk_test_bounded", base_url=url(server), **options)) as c:
            return c.documents.retrieve("doc_1", **extra)

    async def main() -> Any:
        client = FakeClock().install(
            AsyncNumora("sk_test_bounded", base_url=url(server), **options)
        )
        async with client:
            return await client.documents.retrieve("doc_1", **extra)

    return anyio.run(main)


def timed(fn: Callable[[], Any]) -> tuple[float, BaseException | None]:
    started = time.monotonic()
    try:
        fn()
    except Exception as exc:
        return time.monotonic() - started, exc
    return time.monotonic() - started, None


def peak_while(fn: Callable[[], Any]) -> tuple[int, BaseException | None]:
    """The peak of Python allocations (bytes) while ``fn`` runs, and what it raised."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        try:
            fn()
        except Exception as exc:
            raised: BaseException | None = exc
        else:
            raised = None
        return tracemalloc.get_traced_memory()[1], raised
    finally:
        tracemalloc.stop()


# --- time ------------------------------------------------------------------------------------

KINDS = ["sync", "async"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_trickled_body_is_cut_off_at_the_timeout(kind: str, hostile: _Server) -> None:
    elapsed, err = timed(
        lambda: call(kind, hostile, "trickle-body", timeout=TIMEOUT, max_retries=0)
    )

    assert isinstance(err, APITimeoutError), err
    assert elapsed < 4 * TIMEOUT  # not TRICKLE_FOR: the whole attempt is bounded
    assert "timeout" in str(err) and err.request_id and err.request_id in str(err)


def test_a_trickled_head_is_cut_off_at_the_timeout_on_the_async_client(hostile: _Server) -> None:
    # (The sync client cannot interrupt a blocking read: until the headers are in, each read
    # is bounded on its own. docs/guides/errors-and-retries.md says so.)
    elapsed, err = timed(
        lambda: call("async", hostile, "trickle-head", timeout=TIMEOUT, max_retries=0)
    )

    assert isinstance(err, APITimeoutError), err
    assert elapsed < 4 * TIMEOUT


@pytest.mark.parametrize("kind", KINDS)
def test_each_retry_gets_its_own_deadline(kind: str, hostile: _Server) -> None:
    # A GET is retried after a timeout: three attempts, each cut off (sleeps are faked).
    before = len(hostile.cases)

    elapsed, err = timed(
        lambda: call(kind, hostile, "trickle-body", timeout=TIMEOUT, max_retries=2)
    )

    assert isinstance(err, APITimeoutError), err
    assert hostile.cases[before:] == ["trickle-body"] * 3
    assert elapsed < 3 * 4 * TIMEOUT


# --- memory ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_body_over_the_limit_is_refused_without_reading_it(kind: str, hostile: _Server) -> None:
    peak, err = peak_while(lambda: call(kind, hostile, "big", max_response_bytes=MIB))

    assert isinstance(err, ResponseTooLargeError), err
    assert err.limit == MIB and err.status_code == 200
    assert "max_response_bytes" in str(err) and err.request_id
    assert peak < 16 * MIB  # the 50 MiB body was never held


@pytest.mark.parametrize("kind", KINDS)
def test_a_gzip_bomb_is_refused_by_its_decoded_size(kind: str, hostile: _Server) -> None:
    peak, err = peak_while(lambda: call(kind, hostile, "bomb", max_response_bytes=MIB))

    assert isinstance(err, ResponseTooLargeError), err
    assert peak < 32 * MIB  # 100 MiB once inflated: decoded a slice at a time, then stopped


@pytest.mark.parametrize("kind", KINDS)
def test_a_body_within_the_limit_is_read(kind: str, hostile: _Server) -> None:
    doc = call(kind, hostile, "just-fits", max_response_bytes=MIB)

    assert doc.id == "doc_1" and len(doc.notes) > MIB // 2


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", ["big-error", "bomb-error"])
def test_an_error_body_is_read_and_kept_only_up_to_64_kib(
    kind: str, case: str, hostile: _Server
) -> None:
    peak, err = peak_while(lambda: call(kind, hostile, case, max_retries=0))

    assert isinstance(err, (InternalServerError, ServiceUnavailableError)), err
    assert err.response is not None and len(err.response.content) <= 64 * 1024
    assert len(str(err)) < 1_000 and len(str(err.body)) < 1_000
    assert peak < 16 * MIB


def test_a_call_waiting_for_a_free_connection_past_its_timeout_was_never_sent(
    hostile: _Server,
) -> None:
    # The async client queues calls beyond its pool in front of it; here the pool is one
    # connection, held by a trickled answer. The waiting call times out as a pool timeout:
    # nothing was sent, so even an unkeyed POST could be retried.
    async def main() -> BaseException | None:
        client = AsyncNumora("sk_test_bounded", base_url=url(hostile), max_retries=0)
        client._gate = _exchange.new_gate(1)
        slow: Any = {"extra_headers": {"x-case": "trickle-body"}, "timeout": 3 * TIMEOUT}
        quick: Any = {"extra_headers": {"x-case": "just-fits"}, "timeout": TIMEOUT}
        outcome: list[BaseException | None] = []

        async def waiting() -> None:
            await anyio.sleep(0.2)  # the slow call holds the only connection by now
            try:
                await client.documents.retrieve("doc_1", **quick)
            except Exception as exc:
                outcome.append(exc)
            else:
                outcome.append(None)

        async with client, anyio.create_task_group() as group:
            group.start_soon(waiting)
            with contextlib.suppress(APITimeoutError):
                await client.documents.retrieve("doc_1", **slow)
        return outcome[0]

    before = len(hostile.cases)
    err = anyio.run(main)

    assert isinstance(err, APITimeoutError), err
    assert "PoolTimeout" in str(err)
    assert hostile.cases[before:] == ["trickle-body"]  # the waiting call never reached it


@pytest.mark.parametrize("timeout", [10 * TIMEOUT, None], ids=["deadline", "no-deadline"])
def test_calls_beyond_the_pool_wait_their_turn_and_give_their_place_back(
    hostile: _Server, timeout: float | None
) -> None:
    # A pool of one connection and four calls at once: each waits for the one before it,
    # and each gives its place back, also when it fails (the 500s), so all four complete.
    async def main() -> list[str]:
        client = AsyncNumora(
            "sk_test_bounded", base_url=url(hostile), max_retries=0, timeout=timeout
        )
        client._gate = _exchange.new_gate(1)
        outcomes: list[str] = []

        async def one(case: str) -> None:
            try:
                doc = await client.documents.retrieve("doc_1", extra_headers={"x-case": case})
            except InternalServerError:
                outcomes.append("500")
            else:
                outcomes.append(doc.id)

        with anyio.fail_after(60):  # a place never given back would hang the last call
            async with client, anyio.create_task_group() as group:
                for case in ["big-error", "just-fits", "big-error", "just-fits"]:
                    group.start_soon(one, case)
        return sorted(outcomes)

    assert anyio.run(main) == ["500", "500", "doc_1", "doc_1"]
