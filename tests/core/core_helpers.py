"""Helpers for the client-core tests: response bodies, one call per HTTP method, a sync/async
adapter, and a tiny real HTTP server for connection-pool tests."""

from __future__ import annotations

import inspect
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import respx

from _clock import FakeClock
from numora import AsyncNumora, Numora

BASE_URL = "https://api.numora.example"
API_ROOT = BASE_URL + "/v1"
API_KEY = "sk_test_core_7f3a9c1e5b2d4f60"
WEBHOOK_SECRET = "whsec_core_b8e1d2c3a4f5e6d7"

NOW = "2026-03-21T14:20:00.000Z"

DOCUMENT: dict[str, Any] = {
    "id": "doc_1",
    "schema": "invoice_v2",
    "status": "review_required",
    "external_id": "inv-1",
    "metadata": {},
    "created_at": NOW,
    "updated_at": NOW,
}
ACCEPTED: dict[str, Any] = {
    "id": "doc_1",
    "schema": "invoice_v2",
    "status": "processing",
    "status_url": "/v1/documents/doc_1",
    "result_url": "/v1/documents/doc_1/result",
}
DISPATCH: dict[str, Any] = {
    "document_id": "doc_1",
    "status": "push_pending",
    "route": "workflow",
    "run_id": "run_1",
}
ATTEMPT: dict[str, Any] = {
    "id": "att_1",
    "execution_id": "exec-1",
    "provider": "dynamics365",
    "status": "succeeded",
    "external_record_id": "rec-1",
    "attempted_at": NOW,
    "recorded_at": NOW,
}
MAPPING: dict[str, Any] = {
    "schema": "invoice_v2",
    "destination_id": "dst_1",
    "version": 2,
    "fields": [{"source": "total", "target": "amount", "required": True}],
    "updated_at": NOW,
}
ENDPOINT: dict[str, Any] = {
    "id": "whe_1",
    "url": "https://hooks.example/numora",
    "events": ["document.reviewed"],
    "status": "disabled",
    "created_at": NOW,
    "updated_at": NOW,
}
DELETED: dict[str, Any] = {"id": "whe_1", "deleted": True}


def error_body(
    code: str, message: str = "Something went wrong.", request_id: str | None = None
) -> dict[str, Any]:
    """The API's error JSON."""
    error: dict[str, Any] = {"code": code, "message": message}
    if request_id is not None:
        error["request_id"] = request_id
    return {"error": error}


Call = Callable[..., Any]


@dataclass(frozen=True)
class Op:
    """One API method used to exercise the core: how to call it and what the API answers."""

    name: str
    method: str
    path: str
    status: int
    body: dict[str, Any]
    call: Call  # (client, **options) -> result or awaitable
    keyed: bool  # carries the identifier the API de-duplicates on

    def replayable(self) -> bool:
        return self.method != "POST" or self.keyed


OPS: dict[str, Op] = {
    op.name: op
    for op in (
        Op(
            "get",
            "GET",
            "/documents/doc_1",
            200,
            DOCUMENT,
            lambda c, **o: c.documents.retrieve("doc_1", **o),
            keyed=False,
        ),
        Op(
            "put",
            "PUT",
            "/mappings/invoice_v2/dst_1",
            200,
            MAPPING,
            lambda c, **o: c.mappings.update(
                "invoice_v2", "dst_1", fields=[{"source": "total", "target": "amount"}], **o
            ),
            keyed=False,
        ),
        Op(
            "patch",
            "PATCH",
            "/webhook-endpoints/whe_1",
            200,
            ENDPOINT,
            lambda c, **o: c.webhook_endpoints.update("whe_1", status="disabled", **o),
            keyed=False,
        ),
        Op(
            "delete",
            "DELETE",
            "/webhook-endpoints/whe_1",
            200,
            DELETED,
            lambda c, **o: c.webhook_endpoints.delete("whe_1", **o),
            keyed=False,
        ),
        Op(
            "post_external_id",
            "POST",
            "/documents",
            202,
            ACCEPTED,
            lambda c, **o: c.documents.create(
                schema="invoice_v2",
                file_url="https://files.example/a.pdf",
                external_id="inv-1",
                **o,
            ),
            keyed=True,
        ),
        Op(
            "post_execution_id",
            "POST",
            "/documents/doc_1/delivery",
            200,
            ATTEMPT,
            lambda c, **o: c.documents.delivery.record(
                "doc_1",
                provider="dynamics365",
                status="succeeded",
                execution_id="exec-1",
                attempted_at=NOW,
                external_record_id="rec-1",
                **o,
            ),
            keyed=True,
        ),
        Op(
            "post_unkeyed_create",
            "POST",
            "/documents",
            202,
            ACCEPTED,
            lambda c, **o: c.documents.create(
                schema="invoice_v2", file_url="https://files.example/a.pdf", **o
            ),
            keyed=False,
        ),
        Op(
            "post_unkeyed_dispatch",
            "POST",
            "/documents/doc_1/dispatch",
            202,
            DISPATCH,
            lambda c, **o: c.documents.dispatch("doc_1", provider="dynamics365", **o),
            keyed=False,
        ),
    )
}
GET = OPS["get"]


def route(mock: respx.MockRouter, op: Op) -> respx.Route:
    """The respx route matching ``op``'s method and path."""
    return mock.route(method=op.method, path=op.path)


def ok(op: Op, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(op.status, json=op.body, headers=headers)


class Api:
    """Drives ``Numora`` or ``AsyncNumora`` the same way, so each test is written once.

    Clients it makes sleep on ``clock`` (a :class:`FakeClock`) and are closed after the test.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.clock = FakeClock()
        self._clients: list[Any] = []

    @property
    def cls(self) -> type[Numora] | type[AsyncNumora]:
        return AsyncNumora if self.kind == "async" else Numora

    def http_client(self, **kwargs: Any) -> httpx.Client | httpx.AsyncClient:
        """A user-owned httpx client of the matching flavour."""
        return httpx.AsyncClient(**kwargs) if self.kind == "async" else httpx.Client(**kwargs)

    def client(self, **kwargs: Any) -> Any:
        kwargs.setdefault("api_key", API_KEY)
        kwargs.setdefault("base_url", BASE_URL)
        client = self.clock.install(self.cls(**kwargs))
        self._clients.append(client)
        return client

    async def call(self, fn: Call, client: Any = None, **options: Any) -> Any:
        """``fn(client, **options)``, awaited when the client is async."""
        if client is None:
            client = self._clients[0] if self._clients else self.client()
        result = fn(client, **options)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def fails(
        self, exc: type[BaseException], fn: Call, client: Any = None, **options: Any
    ) -> Any:
        """Run the call, assert it raises ``exc``, return the exception."""
        with pytest.raises(exc) as info:
            await self.call(fn, client, **options)
        return info.value

    async def close(self, client: Any) -> None:
        result = client.close() if self.kind == "sync" else client.aclose()
        if inspect.isawaitable(result):
            await result

    async def close_all(self) -> None:
        for client in self._clients:
            await self.close(client)


# --- a real server on 127.0.0.1, for connection-pool behaviour ------------------------------


@dataclass
class Seen:
    path: str
    port: int
    headers: dict[str, str]


class LocalServer:
    """An HTTP/1.1 keep-alive server on loopback answering ``GET /v1/documents/<id>``.

    ``seen`` records each request with the client's port: one port is one connection.
    """

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with server._lock:
                    server.seen.append(
                        Seen(
                            self.path,
                            self.client_address[1],
                            {k.lower(): v for k, v in self.headers.items()},
                        )
                    )
                doc_id = self.path.rstrip("/").rsplit("/", 1)[-1]
                payload = json.dumps({**DOCUMENT, "id": doc_id}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("x-request-id", self.headers.get("x-request-id", ""))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def ports(self) -> list[int]:
        with self._lock:
            return [s.port for s in self.seen]

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
