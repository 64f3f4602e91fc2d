"""Helpers shared by the fake's tests."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from numora.testing import FakeNumora

START = 1_774_000_000.0  # 2026-03-20, a fixed instant: tests never depend on the wall clock


class ManualClock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


def api(fake: FakeNumora, key: str | None = None) -> httpx.Client:
    """A raw httpx client answered by ``fake`` in memory."""
    headers = {"authorization": f"Bearer {key or fake.api_key}"}
    return httpx.Client(transport=fake.transport(), base_url="http://fake", headers=headers)


def create_document(http: httpx.Client, **fields: object) -> dict[str, object]:
    body = {"schema": "invoice_v2", "file_url": "https://files.example/invoice.pdf", **fields}
    response = http.post("/v1/documents", json=body)
    assert response.status_code in (200, 202), response.text
    data: dict[str, object] = response.json()
    return data


def reviewed_document(fake: FakeNumora, http: httpx.Client, **fields: object) -> str:
    """A document taken through extraction and approval; its id."""
    doc_id = str(create_document(http, **fields)["id"])
    fake.finish_processing(doc_id)
    response = http.post(f"/v1/documents/{doc_id}/actions/approve", json={})
    assert response.status_code == 200, response.text
    return doc_id


class Receiver:
    """A local webhook receiver answering with scripted statuses (then 200)."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = list(statuses)
        self.received: list[tuple[dict[str, str], bytes]] = []
        self._arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                with receiver._arrived:
                    receiver.received.append((dict(self.headers.items()), body))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver._arrived.notify_all()
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def wait_for(self, count: int, timeout: float = 5.0) -> None:
        with self._arrived:
            arrived = self._arrived.wait_for(lambda: len(self.received) >= count, timeout)
        assert arrived, f"expected {count} deliveries, got {len(self.received)}"

    def start(self) -> None:
        serve = self.server.serve_forever
        threading.Thread(target=serve, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
