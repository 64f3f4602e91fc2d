"""Webhook events: the envelope, its signature, and the per-endpoint delivery records."""

from __future__ import annotations

import datetime as dt

from ._backend import Backend
from ._state import Delivery, Doc, Endpoint, Event
from ._wire import JSON, dumps, iso_ms, iso_s, new_id


def emit(backend: Backend, event_type: str, data: JSON, at: float) -> Event:
    """Record an event and queue one delivery per enabled endpoint subscribed to its type."""
    envelope: JSON = {
        "id": new_id("evt"),
        "type": event_type,
        "created_at": iso_s(at),
        "data": data,
    }
    state = backend.state
    event = Event(envelope=envelope, body=dumps(envelope), seq=state.next_seq())
    state.events.append(event)
    state.event_by_id[envelope["id"]] = event
    for endpoint in state.endpoints.values():
        if endpoint.data["status"] == "enabled" and event_type in endpoint.data["events"]:
            queue_delivery(backend, endpoint, event, at)
    backend.wakeup.notify_all()
    return event


def queue_delivery(backend: Backend, endpoint: Endpoint, event: Event, at: float) -> Delivery:
    data: JSON = {
        "id": new_id("whd"),
        "event_id": event.envelope["id"],
        "event_type": event.envelope["type"],
        "status": "pending",
        "attempts": 0,
        "response_status": None,
        "error": None,
        "next_attempt_at": iso_ms(at),
        "created_at": iso_ms(at),
    }
    delivery = Delivery(
        data=data,
        seq=backend.state.next_seq(),
        endpoint_id=endpoint.data["id"],
        event_id=event.envelope["id"],
        due=at,
    )
    backend.state.deliveries[data["id"]] = delivery
    return delivery


def document_data(doc: Doc) -> JSON:
    data = doc.data
    return {
        "document_id": data["id"],
        "schema": data["schema"],
        "status": data["status"],
        "external_id": data["external_id"],
    }


def push_data(doc: Doc, attempt: JSON) -> JSON:
    return {
        "document_id": doc.data["id"],
        "provider": attempt["provider"],
        "execution_id": attempt["execution_id"],
        "external_record_id": attempt["external_record_id"],
        "error_code": attempt["error_code"],
        "error_message": attempt["error_message"],
    }


def sign(body: bytes, event_id: str, secrets: list[str], at: float) -> dict[str, str]:
    """The three webhook headers, with one ``v1=`` entry per active secret (rotation)."""
    from numora import webhooks

    timestamp = dt.datetime.fromtimestamp(int(at), tz=dt.timezone.utc)
    return webhooks.sign(body, secrets, timestamp=timestamp, event_id=event_id)


def active_secrets(endpoint: Endpoint, now: float) -> list[str]:
    return [s for s, until in endpoint.secrets if until is None or until > now]
