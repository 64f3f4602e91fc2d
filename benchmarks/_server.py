"""The benchmark's *earlier* server: a minimal keep-alive HTTP/1.1 server with canned answers.

``benchmarks/run.py`` now measures against uvicorn (``_asgi_server.py``); this one is kept to
show why the earlier figures flattered numora (``run.py --server canned``). It writes a
canned answer from inside ``data_received``, with no request id echoed and no date, server
or rate-limit headers, and by default serves the earlier small, repetitive documents
(``--payload realistic`` serves ``_payloads.py``'s instead, so that the server alone differs).

Routes (anything else answers 404):

* ``GET /v1/documents/{id}``: one document;
* ``POST /v1/documents``: 202 with the accepted document;
* ``GET /v1/documents?limit=100[&cursor=cur_N]``: pages of 100 documents, ``PAGES`` pages;
* ``GET /v1/documents/{id}/result`` (with ``--payload realistic``): a 1,000-line-item result.

Run ``python benchmarks/_server.py [--payload small|realistic]``: it prints its port on stdout
and serves until stdin is closed.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any
from urllib.parse import parse_qs, urlsplit

PAGE_SIZE = 100
PAGES = 200  # 20,000 items

REQUEST_ID = b"req_bench_0001"


REALISTIC = "--payload" in sys.argv and sys.argv[sys.argv.index("--payload") + 1] == "realistic"


def small_document(n: int) -> dict[str, Any]:
    """The earlier benchmark's document: 11 fields, the same values in every document."""
    return {
        "id": f"doc_{n:08d}",
        "schema": "invoice_v2",
        "status": "review_required",
        "external_id": f"inv-{n}",
        "metadata": {"customer": "Fabrikam", "batch": 42},
        "created_at": "2026-03-21T14:20:00.000Z",
        "updated_at": "2026-03-21T14:24:11.123Z",
        "review_state": None,
        "duplicate_of": None,
        "failure": None,
        "rejection_reason": None,
    }


ACCEPTED = {
    "id": "doc_00000001",
    "schema": "invoice_v2",
    "status": "processing",
    "status_url": "/v1/documents/doc_00000001",
    "result_url": "/v1/documents/doc_00000001/result",
}


def reply(status: int, body: object) -> bytes:
    payload = json.dumps(body, separators=(",", ":")).encode()
    reason = {200: b"OK", 202: b"Accepted", 404: b"Not Found"}[status]
    head = b"HTTP/1.1 %d %s\r\n" % (status, reason)
    head += b"content-type: application/json\r\n"
    head += b"x-request-id: " + REQUEST_ID + b"\r\n"
    head += b"content-length: %d\r\n\r\n" % len(payload)
    return head + payload


if REALISTIC:
    import _payloads

    document = _payloads.document
    RESULT = reply(200, _payloads.result(1_000))
else:
    document = small_document
    RESULT = reply(200, small_document(1))

ONE = reply(200, document(1))
CREATED = reply(202, ACCEPTED)
NOT_FOUND = reply(
    404, {"error": {"code": "not_found", "message": "no route", "request_id": "req_bench_0001"}}
)
PAGE_REPLIES = [
    reply(
        200,
        {
            "data": [document(p * PAGE_SIZE + i) for i in range(PAGE_SIZE)],
            "next_cursor": f"cur_{p + 1}" if p + 1 < PAGES else None,
        },
    )
    for p in range(PAGES)
]


def answer(method: bytes, target: bytes) -> bytes:
    if method == b"GET" and target.startswith(b"/v1/documents/"):
        return RESULT if target.endswith(b"/result") else ONE
    if method == b"POST" and target == b"/v1/documents":
        return CREATED
    if method == b"GET" and target.startswith(b"/v1/documents"):
        cursor = parse_qs(urlsplit(target.decode()).query).get("cursor", ["cur_0"])[0]
        page = int(cursor.removeprefix("cur_"))  # cur_7 and cur_000007 alike
        if 0 <= page < PAGES:
            return PAGE_REPLIES[page]
    return NOT_FOUND


class _Connection(asyncio.Protocol):
    """One keep-alive connection: parse each request head, skip its body, write the answer."""

    def __init__(self) -> None:
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer + data
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            head = buffer[:end]
            length = 0
            at = head.lower().find(b"\r\ncontent-length:")
            if at >= 0:
                stop = head.find(b"\r\n", at + 2)
                length = int(head[at + 17 : stop if stop >= 0 else None])
            if len(buffer) < end + 4 + length:
                break
            method, target, _ = head[: head.find(b"\r\n")].split(b" ", 2)
            assert self.transport is not None
            self.transport.write(answer(method, target))
            buffer = buffer[end + 4 + length :]
        self.buffer = buffer


async def serve() -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_Connection, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    # Serve until the parent closes our stdin (or dies).
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(serve())
