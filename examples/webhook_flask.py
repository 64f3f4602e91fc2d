"""Receive Numora webhooks with Flask.

The receiver reads at most 1 MB of raw body, verifies it, tells a caller that fails
verification nothing more than "no" (the reason goes to your log), de-duplicates on the event
id, answers 200 at once and leaves the slow work (refetching the document, writing to your
systems) to a worker.

Serve it:   NUMORA_WEBHOOK_SECRET=whsec_… flask --app webhook_flask run
Demo it:    python examples/webhook_flask.py   (Flask's test client; no server, no network)
"""

from __future__ import annotations

import json
import logging
import os
import queue
from typing import Any

from flask import Flask, request

import numora
from numora import WebhookVerificationError, webhooks
from numora.types import DocumentReviewedEvent
from numora.webhooks import Event

app = Flask(__name__)
# Numora's events are a few KB: Flask answers 413 to a larger body before it is read.
app.config["MAX_CONTENT_LENGTH"] = 1_000_000
logger = logging.getLogger(__name__)

# Stand-ins for your database and task queue: use a unique constraint on the event id and a
# real queue (Celery, RQ, a jobs table) in production.
SEEN_EVENT_IDS: set[str] = set()
JOBS: queue.Queue[Event] = queue.Queue()


@app.post("/webhooks/numora")
def numora_webhook() -> tuple[dict[str, Any], int]:
    # The raw bytes as received: never request.get_json() before verifying.
    body = request.get_data()
    try:
        secret = os.environ["NUMORA_WEBHOOK_SECRET"]
        event = webhooks.unwrap(body, request.headers, secret)
    except WebhookVerificationError as exc:
        # Why it failed is for your log, not for the caller.
        logger.warning("Numora webhook refused: %s", exc.reason)
        return {"error": "invalid webhook"}, 400
    # Delivery is at-least-once: the same event may arrive twice.
    if event.id in SEEN_EVENT_IDS:
        return {"received": True, "duplicate": True}, 200
    SEEN_EVENT_IDS.add(event.id)
    # Queue the work and answer at once: Numora retries after 10 s without one.
    JOBS.put(event)
    return {"received": True}, 200


def process(event: Event, client: numora.Numora) -> None:
    """The slow part, in a worker: events are unordered, so read the state."""
    if isinstance(event, DocumentReviewedEvent):
        document = client.documents.retrieve(event.data.document_id)
        print(f"{document.id} is {document.status}")


def main() -> None:
    secret = os.environ.setdefault("NUMORA_WEBHOOK_SECRET", "whsec_demo_secret_for_the_example")
    event = {
        "id": "evt_demo_1",
        "type": "document.reviewed",
        "created_at": "2026-03-21T14:24:11Z",
        "data": {"document_id": "doc_123", "schema": "invoice_v2", "status": "reviewed"},
    }
    body = json.dumps(event).encode()
    headers = webhooks.sign(body, secret)
    http = app.test_client()
    for label, content in (("signed", body), ("again", body), ("tampered", body + b" ")):
        response = http.post("/webhooks/numora", data=content, headers=headers)
        print(f"{label}: {response.status_code} {response.get_json()}")
    print(f"queued: {[job.id for job in list(JOBS.queue)]}")


if __name__ == "__main__":
    main()
