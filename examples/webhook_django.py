"""Receive Numora webhooks with Django.

The receiver reads at most 1 MB of raw body, verifies it, tells a caller that fails
verification nothing more than "no" (the reason goes to your log), de-duplicates on the event
id, answers 200 at once and leaves the slow work (refetching the document, writing to your
systems) to a worker.

In your project, copy ``numora_webhook`` into a views module and route it in ``urls.py``.
This file also configures a minimal Django itself so that it runs on its own:

Demo it:    python examples/webhook_django.py   (Django's test client; no server, no network)
"""

from __future__ import annotations

import json
import logging
import os
import queue

# Django ships without type information; its names are typed as Any here.
import django  # type: ignore[import-untyped]
from django.conf import settings  # type: ignore[import-untyped]
from django.core.exceptions import RequestDataTooBig  # type: ignore[import-untyped]
from django.http import (  # type: ignore[import-untyped]
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.urls import path  # type: ignore[import-untyped]
from django.views.decorators.csrf import csrf_exempt  # type: ignore[import-untyped]

import numora
from numora import WebhookVerificationError, webhooks
from numora.types import DocumentReviewedEvent
from numora.webhooks import Event

if not settings.configured:  # standalone; inside a project, your settings module does this
    settings.configure(
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["localhost", "testserver"],
        SECRET_KEY="only-for-this-standalone-example",  # not a real secret
        # Numora's events are a few KB; request.body refuses anything over this (default 2.5 MB).
        DATA_UPLOAD_MAX_MEMORY_SIZE=1_000_000,
    )
    django.setup()

# Stand-ins for your database and task queue: use a unique constraint on the event id and a
# real queue (Celery, RQ, a jobs table) in production.
SEEN_EVENT_IDS: set[str] = set()
JOBS: queue.Queue[Event] = queue.Queue()
logger = logging.getLogger(__name__)


def numora_webhook(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # The raw bytes as received: never json.loads(request.body) first.
    try:
        body: bytes = request.body
    except RequestDataTooBig:  # over DATA_UPLOAD_MAX_MEMORY_SIZE: not read
        return JsonResponse({"error": "payload too large"}, status=413)
    try:
        secret = os.environ["NUMORA_WEBHOOK_SECRET"]
        event = webhooks.unwrap(body, request.headers, secret)
    except WebhookVerificationError as exc:
        # Why it failed is for your log, not for the caller.
        logger.warning("Numora webhook refused: %s", exc.reason)
        return JsonResponse({"error": "invalid webhook"}, status=400)
    # Delivery is at-least-once: the same event may arrive twice.
    if event.id in SEEN_EVENT_IDS:
        return JsonResponse({"received": True, "duplicate": True})
    SEEN_EVENT_IDS.add(event.id)
    # Queue the work and answer at once: Numora retries after 10 s without one.
    JOBS.put(event)
    return JsonResponse({"received": True})


# Numora signs its deliveries; Django's CSRF token does not apply to them.
urlpatterns = [path("webhooks/numora", csrf_exempt(numora_webhook))]


def process(event: Event, client: numora.Numora) -> None:
    """The slow part, in a worker: events are unordered, so read the state."""
    if isinstance(event, DocumentReviewedEvent):
        document = client.documents.retrieve(event.data.document_id)
        print(f"{document.id} is {document.status}")


def main() -> None:
    from django.test import Client  # type: ignore[import-untyped]

    secret = os.environ.setdefault("NUMORA_WEBHOOK_SECRET", "whsec_demo_secret_for_the_example")
    event = {
        "id": "evt_demo_1",
        "type": "document.reviewed",
        "created_at": "2026-03-21T14:24:11Z",
        "data": {"document_id": "doc_123", "schema": "invoice_v2", "status": "reviewed"},
    }
    body = json.dumps(event).encode()
    headers = webhooks.sign(body, secret)
    http = Client()
    for label, content in (("signed", body), ("again", body), ("tampered", body + b" ")):
        response = http.post(
            "/webhooks/numora", data=content, content_type="application/json", headers=headers
        )
        print(f"{label}: {response.status_code} {response.json()}")
    print(f"queued: {[job.id for job in list(JOBS.queue)]}")


if __name__ == "__main__":
    main()
