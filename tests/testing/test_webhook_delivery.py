"""Webhook events: recorded, signed, and delivered to endpoints with retries and a log."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import httpx
from fake_helpers import ManualClock, Receiver, api, create_document, reviewed_document

from numora import webhooks
from numora.testing import FakeNumora


def test_every_transition_emits_its_documented_event(
    fake: FakeNumora, client: httpx.Client
) -> None:
    doc_id = reviewed_document(fake, client, external_id="e-9")
    client.post(f"/v1/documents/{doc_id}/dispatch", json={"provider": "dynamics365"})
    client.get(f"/v1/documents/{doc_id}")
    events = fake.events
    assert [e["type"] for e in events] == [
        "document.processing",
        "document.review_required",
        "document.reviewed",
        "push.succeeded",
    ]
    assert events[0]["data"] == {
        "document_id": doc_id,
        "schema": "invoice_v2",
        "status": "processing",
        "external_id": "e-9",
    }
    assert events[0]["created_at"] == "2026-03-20T09:46:40Z"  # webhook time: whole seconds
    assert len({e["id"] for e in events}) == 4


def test_signed_events_verify_with_the_fake_secret(fake: FakeNumora, client: httpx.Client) -> None:
    create_document(client)
    signed = fake.signed_events[0]
    webhooks.verify(signed.body, signed.headers, fake.webhook_secret, now=1_774_000_000)
    assert (
        webhooks.unwrap(signed.body, signed.headers, fake.webhook_secret, now=1_774_000_000).id
        == (signed.event["id"])
    )


def test_deliveries_retry_until_acknowledged_over_real_http(
    receiver_factory: Callable[..., Receiver],
) -> None:
    receiver = receiver_factory([500, 503])
    fake = FakeNumora(webhook_retry_schedule=(0.01, 0.01, 0.01))
    with fake.serve() as base_url:
        http = httpx.Client(
            base_url=base_url, headers={"authorization": f"Bearer {fake.api_key}"}, trust_env=False
        )
        endpoint = http.post(
            "/v1/webhook-endpoints",
            json={"url": receiver.url, "events": ["document.processing"]},
        ).json()
        doc = create_document(http)
        receiver.wait_for(3)
        deliveries = _settled_log(http, endpoint["id"])
        http.close()
    assert [h["X-Numora-Webhook-Id"] for h, _ in receiver.received] == [
        deliveries[0]["event_id"]
    ] * 3
    for headers, body in receiver.received:
        webhooks.verify(body, headers, endpoint["secret"])
    headers, body = receiver.received[-1]
    event = webhooks.unwrap(body, headers, endpoint["secret"])
    assert event.type == "document.processing"
    assert event.to_dict()["data"]["document_id"] == doc["id"]
    (delivery,) = deliveries
    assert delivery["event_type"] == "document.processing"
    assert (delivery["status"], delivery["attempts"], delivery["response_status"]) == (
        "succeeded",
        3,
        200,
    )


def _settled_log(http: httpx.Client, endpoint_id: str) -> list[dict[str, Any]]:
    """The delivery log once nothing is pending (the last answer is recorded just after it)."""
    done = threading.Event()
    for _ in range(200):
        log: list[dict[str, Any]] = http.get(
            f"/v1/webhook-endpoints/{endpoint_id}/deliveries"
        ).json()["data"]
        if log and all(d["status"] != "pending" for d in log):
            return log
        done.wait(0.01)
    raise AssertionError(f"deliveries still pending: {log}")


def test_a_delivery_fails_after_the_schedule_and_can_be_redelivered(clock: ManualClock) -> None:
    answers = iter([500, 500, 500, 204])
    seen: list[httpx.Request] = []

    def receive(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(next(answers))

    fake = FakeNumora(
        clock=clock,
        webhook_retry_schedule=(10, 60),
        webhook_transport=httpx.MockTransport(receive),
    )
    with api(fake) as http:
        endpoint = http.post("/v1/webhook-endpoints", json={"url": "https://hooks.example/"}).json()
        create_document(http)
        log_url = f"/v1/webhook-endpoints/{endpoint['id']}/deliveries"

        assert fake.deliver_webhooks() == 1
        (delivery,) = http.get(log_url).json()["data"]
        assert (delivery["status"], delivery["attempts"], delivery["response_status"]) == (
            "pending",
            1,
            500,
        )
        assert delivery["next_attempt_at"] == "2026-03-20T09:46:50.000Z"
        assert fake.deliver_webhooks() == 0  # the retry is not due yet
        fake.advance(10)
        assert fake.deliver_webhooks() == 1
        fake.advance(60)
        assert fake.deliver_webhooks() == 1
        (delivery,) = http.get(log_url).json()["data"]
        assert (delivery["status"], delivery["attempts"], delivery["next_attempt_at"]) == (
            "failed",
            3,
            None,
        )

        redelivered = http.post(f"{log_url}/{delivery['id']}/redeliver", json={})
        assert redelivered.status_code == 202
        assert redelivered.json()["status"] == "pending"
        assert fake.deliver_webhooks() == 1
        (delivery,) = http.get(log_url).json()["data"]
        assert (delivery["status"], delivery["attempts"]) == ("succeeded", 4)
    assert len({r.headers["x-numora-webhook-id"] for r in seen}) == 1


def test_rotation_signs_with_both_secrets(clock: ManualClock) -> None:
    seen: list[httpx.Request] = []

    def receive(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    fake = FakeNumora(clock=clock, webhook_transport=httpx.MockTransport(receive))
    with api(fake) as http:
        endpoint = http.post("/v1/webhook-endpoints", json={"url": "https://h.example/"}).json()
        url = f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret"
        new_secret = http.post(url, json={}).json()["secret"]
        create_document(http)
        fake.deliver_webhooks()
        fake.advance(24 * 3600 + 1)
        create_document(http)
        fake.deliver_webhooks()
    during, after = seen
    for secret in (endpoint["secret"], new_secret):
        webhooks.verify(during.content, during.headers, secret, now=clock.now)
    assert during.headers["x-numora-webhook-signature"].count("v1=") == 2
    assert after.headers["x-numora-webhook-signature"].count("v1=") == 1
    webhooks.verify(after.content, after.headers, new_secret, now=fake.now())


def test_disabled_and_unsubscribed_endpoints_get_nothing(
    fake: FakeNumora, client: httpx.Client
) -> None:
    off = client.post("/v1/webhook-endpoints", json={"url": "https://a.example/"}).json()
    client.patch(f"/v1/webhook-endpoints/{off['id']}", json={"status": "disabled"})
    other = client.post(
        "/v1/webhook-endpoints", json={"url": "https://b.example/", "events": ["run.failed"]}
    ).json()
    create_document(client)
    for endpoint in (off, other):
        log = client.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries").json()
        assert log["data"] == []


def test_webhook_transport_delivers_into_a_wsgi_app_without_a_server() -> None:
    received: list[tuple[dict[str, str], bytes]] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        received.append((dict(environ), body))
        start_response("204 No Content", [])
        return [b""]

    fake = FakeNumora(webhook_transport=httpx.WSGITransport(app=app))
    with fake.client() as client:
        endpoint = client.webhook_endpoints.create(url="http://app.local/numora/webhooks")
        client.documents.create(schema="invoice_v2", file_url="https://files.example/a.pdf")
    assert fake.deliver_webhooks() == 1
    environ, body = received[0]
    assert environ["PATH_INFO"] == "/numora/webhooks"
    event = webhooks.unwrap(body, environ, endpoint.secret.get_secret_value())
    assert event.type == "document.processing"
