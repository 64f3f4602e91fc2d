"""The benchmark's API server: uvicorn in its own process, serving realistic bodies.

A plain ASGI app (no framework, so the server's own time stays small and equal for both
sides) behind uvicorn with httptools and uvloop when installed (``pip install -e ".[bench]"``).
It answers like the API does: ``content-type``, the caller's ``x-request-id`` echoed back,
``x-rate-limit-*``, and uvicorn's ``date`` and ``server`` headers.

Routes (anything else answers 404):

* ``GET /v1/documents/{id}``: one document (15 fields, see ``_payloads.py``);
* ``GET /v1/documents/{id}/result``: a result with ``RESULT_LINE_ITEMS`` line items;
* ``POST /v1/documents``: 202 with the accepted document;
* ``GET /v1/documents?limit=100[&cursor=cur_N]``: ``PAGES`` pages of 100 documents.

Run ``python benchmarks/_asgi_server.py``: it prints its port on stdout and serves until its
stdin is closed.
"""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn
from _payloads import DOC_ID, document, dumps, page, result

PAGES = 200  # 20,000 items
RESULT_LINE_ITEMS = 1_000

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

ONE = dumps(document(1))
RESULT = dumps(result(RESULT_LINE_ITEMS))
ACCEPTED = dumps(
    {
        "id": DOC_ID,
        "schema": "invoice_v2",
        "status": "processing",
        "status_url": f"/v1/documents/{DOC_ID}",
        "result_url": f"/v1/documents/{DOC_ID}/result",
    }
)
NOT_FOUND = dumps({"error": {"code": "not_found", "message": "no route", "request_id": None}})
PAGE_BODIES = [dumps(page(p, PAGES)) for p in range(PAGES)]
RATE_HEADERS = [
    (b"x-rate-limit-limit", b"600"),
    (b"x-rate-limit-remaining", b"599"),
    (b"x-rate-limit-reset", b"60"),
]


def route(method: str, path: str, query: bytes) -> tuple[int, bytes]:
    if path == "/v1/documents":
        if method == "POST":
            return 202, ACCEPTED
        if method == "GET":
            number = 0
            for part in query.split(b"&"):
                if part.startswith(b"cursor=cur_"):
                    number = int(part[11:])
            if 0 <= number < PAGES:
                return 200, PAGE_BODIES[number]
    elif method == "GET" and path.startswith("/v1/documents/"):
        return (200, RESULT) if path.endswith("/result") else (200, ONE)
    return 404, NOT_FOUND


async def app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
    more = scope["method"] == "POST"
    while more:  # read (and drop) the request body
        more = (await receive()).get("more_body", False)
    status, body = route(scope["method"], scope["path"], scope["query_string"])
    request_id = b"req_server"
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            request_id = value
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"x-request-id", request_id),
        *RATE_HEADERS,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def main() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="off", backlog=2048
    )
    server = uvicorn.Server(config)

    def stop_when_stdin_closes() -> None:
        sys.stdin.read()
        server.should_exit = True

    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    print(sock.getsockname()[1], flush=True)
    server.run(sockets=[sock])


if __name__ == "__main__":
    main()
