"""Receive Numora webhooks with FastAPI (the same code works on plain Starlette).

The receiver reads at most 1 MB of raw body, verifies it, tells a caller that fails
verification nothing more than "no" (the reason goes to your log), de-duplicates on the event
id, answers 200 at once and leaves the slow work (refetching the document, writing to your
systems) to a worker.

Serve it:   NUMORA_WEBHOOK_SECRET=whsec_… uvicorn webhook_fastapi:app
Demo it:    python examples/webhook_fastapi.py   (FastAPI's test client; no server, no network)
"""

from __future__ import annotations

import json
import logging
import os
import queue
import warnings

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

import numora
from numora import WebhookVerificationError, webhooks
from numora.types import DocumentReviewedEvent
from numora.webhooks import Event

app = FastAPI()
logger = logging.getLogger(__name__)

# Numora's events are a few KB: a body far larger is refused before it is read or verified.
MAX_BODY_BYTES = 1_000_000

# Stand-ins for your database and task queue: use a unique constraint on the event id and a
# real queue (Celery, RQ, arq, a jobs table) in production.
SEEN_EVENT_IDS: set[str] = set()
JOBS: queue.Queue[Event] = queue.Queue()


async def read_body(request: Request) -> bytes | None:
    """The raw body as received; None (and stop reading) past MAX_BODY_BYTES."""
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    return bytes(body)


@app.post("/webhooks/numora")
async def numora_webhook(request: Request) -> JSONResponse:
    # The raw bytes: never `await request.json()` before verifying.
    body = await read_body(request)
    if body is None:
        return JSONResponse({"error": "payload too large"}, status_code=413)
    try:
        secret = os.environ["NUMORA_WEBHOOK_SECRET"]
        event = webhooks.unwrap(body, request.headers, secret)
    except WebhookVerificationError as exc:
        # Why it failed is for your log, not for the caller.
        logger.warning("Numora webhook refused: %s", exc.reason)
        return JSONResponse({"error": "invalid webhook"}, status_code=400)
    # Delivery is at-least-once: the same event may arrive twice.
    if event.id in SEEN_EVENT_IDS:
        return JSONResponse({"received": True, "duplicate": True})
    SEEN_EVENT_IDS.add(event.id)
    # Queue the work and answer at once: Numora retries after 10 s without one.
    JOBS.put(event)
    return JSONResponse({"received": True})


def process(event: Event, client: numora.Numora) -> None:
    """The slow part, in a worker: events are unordered, so read the state."""
    if isinstance(event, DocumentReviewedEvent):
        document = client.documents.retrieve(event.data.document_id)
        print(f"{document.id} is {document.status}")


def main() -> None:
    with warnings.catch_warnings():
        # Newer Starlette asks for the httpx2 package in its test client; httpx still works.
        warnings.simplefilter("ignore", UserWarning)
        from fastapi.testclient import TestClient

    secret = os.environ.setdefault("NUMORA_WEBHOOK_SECRET", "whsec_demo_secret_for_the_example")
    event = {
        "id": "evt_demo_1",
        "type": "document.reviewed",
        "created_at": "2026-03-21T14:24:11Z",
        "data": {"document_id": "doc_123", "schema": "invoice_v2", "status": "reviewed"},
    }
    body = json.dumps(event).encode()
    headers = webhooks.sign(body, secret)
    with TestClient(app) as http:
        for label, content in (("signed", body), ("again", body), ("tampered", body + b" ")):
            response = http.post("/webhooks/numora", content=content, headers=headers)
            print(f"{label}: {response.status_code} {response.json()}")
    print(f"queued: {[job.id for job in list(JOBS.queue)]}")


if __name__ == "__main__":
    main()
