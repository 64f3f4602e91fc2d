"""The fake behaves like production where a new user found it did not (issue 13, section 3)."""

from __future__ import annotations

import argparse
import threading
import time
from typing import Any

import anyio
import httpx
import pytest
from fake_helpers import ManualClock
from fastapi import FastAPI, Request, Response

import numora
from numora import webhooks
from numora.testing import FakeNumora, FakeNumoraWarning

FILE_URL = "https://files.example/invoice.pdf"


def _no_real_sleep(seconds: float) -> None:
    raise AssertionError(f"slept {seconds} s of wall-clock time")


async def _no_real_async_sleep(seconds: float) -> None:
    raise AssertionError(f"slept {seconds} s of wall-clock time")


@pytest.fixture
def no_wall_clock_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clients built after this fixture fail if they sleep in real time."""
    monkeypatch.setattr(time, "sleep", _no_real_sleep)
    monkeypatch.setattr(anyio, "sleep", _no_real_async_sleep)


# --- closed clients -----------------------------------------------------------------------


def test_a_closed_fake_client_refuses_calls_like_production() -> None:
    fake = FakeNumora()
    client = fake.client()
    copy = client.with_options(max_retries=0)
    client.close()
    with pytest.raises(numora.ClientClosedError):
        client.schemas.list()
    with pytest.raises(numora.ClientClosedError):
        copy.schemas.list()
    assert fake.requests == []


@pytest.mark.anyio
async def test_a_closed_async_fake_client_refuses_calls_like_production() -> None:
    fake = FakeNumora()
    async with fake.async_client() as client:
        await client.schemas.list()
    with pytest.raises(numora.ClientClosedError):
        await client.schemas.list()
    assert len(fake.requests) == 1


# --- routing on the raw path --------------------------------------------------------------


def test_an_escaped_slash_in_an_id_is_part_of_the_id_in_memory() -> None:
    fake = FakeNumora()
    with fake.client() as client:
        doc = client.documents.create(schema="invoice_v2", file_url=FILE_URL)
        fake.finish_processing(doc.id)
        # Sent as /v1/documents/doc_…%2Fresult: one id that does not exist, not the result.
        with pytest.raises(numora.NotFoundError):
            client.documents.retrieve(f"{doc.id}/result")
        assert client.documents.retrieve(doc.id).id == doc.id
    assert fake.requests[-2].path == f"/v1/documents/{doc.id}%2Fresult"


def test_an_escaped_slash_in_an_id_is_part_of_the_id_over_http() -> None:
    fake = FakeNumora()
    with (
        fake.serve() as base_url,
        numora.Numora(api_key=fake.api_key, base_url=base_url) as client,
    ):
        doc = client.documents.create(schema="invoice_v2", file_url=FILE_URL)
        fake.finish_processing(doc.id)
        with pytest.raises(numora.NotFoundError):
            client.documents.retrieve(f"{doc.id}/result")
        odd = "whe 2/ä?#%"
        with pytest.raises(numora.NotFoundError) as caught:
            client.webhook_endpoints.retrieve(odd)
    assert odd in caught.value.message  # decoded once, after routing


# --- dispatch refuses what the API would --------------------------------------------------


def _reviewed(fake: FakeNumora, client: numora.Numora) -> str:
    doc = client.documents.create(schema="invoice_v2", file_url=FILE_URL)
    fake.finish_processing(doc.id)
    client.documents.approve(doc.id)
    return doc.id


def test_dispatch_to_an_unknown_provider_is_refused() -> None:
    fake = FakeNumora()
    with fake.client() as client:
        doc_id = _reviewed(fake, client)
        with pytest.raises(numora.InvalidPayloadError, match="provider 'nope'") as caught:
            client.documents.dispatch(doc_id, provider="nope")
        assert caught.value.status_code == 422
        assert client.documents.retrieve(doc_id).status == "reviewed"  # nothing happened
        assert client.documents.dispatch(doc_id, provider="dynamics365").status == "push_pending"


def test_dispatch_accepts_the_provider_of_a_destination() -> None:
    fake = FakeNumora(dispatch_route={"netsuite": "n8n_executor"})
    with fake.client() as client:
        client.destinations.create(provider="salesforce", display_name="CRM")
        first, second = _reviewed(fake, client), _reviewed(fake, client)
        assert client.documents.dispatch(first, provider="salesforce").route == "workflow"
        assert client.documents.dispatch(second, provider="netsuite").route == "n8n_executor"


# --- a bounded request log ----------------------------------------------------------------


def test_the_request_log_keeps_the_most_recent_requests_only() -> None:
    fake = FakeNumora(request_log_size=3)
    for n in range(10):
        fake.handle("GET", f"/v1/schemas?limit={n + 1}")
    assert [r.query["limit"] for r in fake.requests] == [["8"], ["9"], ["10"]]
    default = FakeNumora()
    for _ in range(1_050):
        default.handle("GET", "/v1/schemas")
    assert len(default.requests) == 1_000


def test_the_sandbox_keeps_no_request_log_and_logs_every_request(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from numora._cli import _sandbox

    made: list[FakeNumora] = []

    class Recording(FakeNumora):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            made.append(self)

    monkeypatch.setattr("numora.testing.FakeNumora", Recording)
    args = argparse.Namespace(
        host="127.0.0.1", port=0, processing_delay=2.0, dispatch_route="workflow", quiet=False
    )
    stop = threading.Event()
    runner = threading.Thread(target=_sandbox.sandbox, args=(args, stop))
    runner.start()
    try:
        deadline = time.monotonic() + 120  # a bound for a very busy machine
        while not made and time.monotonic() < deadline:
            stop.wait(0.01)
        (fake,) = made
        for _ in range(30):
            fake.handle("GET", "/v1/schemas", headers={"authorization": f"Bearer {fake.api_key}"})
        assert fake.requests == []  # a long-running sandbox keeps nothing per request
    finally:
        stop.set()
        runner.join(timeout=120)
    assert not runner.is_alive()
    logged = [line for line in capsys.readouterr().out.splitlines() if "/v1/schemas  200" in line]
    assert len(logged) == 30


# --- webhooks: ASGI receivers, the endpoint's secret --------------------------------------


def _asgi_receiver(secret_of: dict[str, str]) -> tuple[FastAPI, list[str]]:
    """A FastAPI app that verifies each delivery with the secret of its endpoint."""
    app = FastAPI()
    verified: list[str] = []

    @app.post("/hooks")
    async def receive(request: Request) -> Response:
        body = await request.body()
        event = webhooks.unwrap(body, dict(request.headers), secret_of["secret"])
        verified.append(event.type)
        return Response(status_code=204)

    return app, verified


def test_webhooks_are_delivered_into_an_asgi_app_in_memory() -> None:
    secret: dict[str, str] = {}
    app, verified = _asgi_receiver(secret)
    fake = FakeNumora(webhook_transport=httpx.ASGITransport(app=app))
    with fake.client() as client:
        endpoint = client.webhook_endpoints.create(url="http://app.local/hooks")
        secret["secret"] = endpoint.secret.get_secret_value()
        client.documents.create(schema="invoice_v2", file_url=FILE_URL)
    assert fake.deliver_webhooks() == 1
    assert verified == ["document.processing"]


@pytest.mark.anyio
async def test_webhooks_are_delivered_into_an_asgi_app_from_async_code() -> None:
    secret: dict[str, str] = {}
    app, verified = _asgi_receiver(secret)
    fake = FakeNumora(webhook_transport=httpx.ASGITransport(app=app))
    async with fake.async_client() as client:
        endpoint = await client.webhook_endpoints.create(url="http://app.local/hooks")
        secret["secret"] = endpoint.secret.get_secret_value()
        await client.documents.create(schema="invoice_v2", file_url=FILE_URL)
    with pytest.raises(RuntimeError, match="deliver_webhooks_async"):
        fake.deliver_webhooks()  # would block the running event loop
    assert await fake.deliver_webhooks_async() == 1
    assert verified == ["document.processing"]


def test_a_served_fake_delivers_into_an_asgi_app_in_the_background() -> None:
    secret: dict[str, str] = {}
    app, verified = _asgi_receiver(secret)
    fake = FakeNumora(webhook_transport=httpx.ASGITransport(app=app))
    with (
        fake.serve() as base_url,
        numora.Numora(api_key=fake.api_key, base_url=base_url) as client,
    ):
        endpoint = client.webhook_endpoints.create(
            url="http://app.local/hooks", events=["document.processing"]
        )
        secret["secret"] = endpoint.secret.get_secret_value()
        client.documents.create(schema="invoice_v2", file_url=FILE_URL)
        deadline = time.monotonic() + 120  # a bound for a very busy machine
        while not verified and time.monotonic() < deadline:
            threading.Event().wait(0.01)
    assert verified == ["document.processing"]


def test_signed_events_match_the_secret_an_endpoint_reveals() -> None:
    clock = ManualClock()
    fake = FakeNumora(clock=clock)
    with fake.client() as client:
        endpoint = client.webhook_endpoints.create(url="https://hooks.example/numora")
        revealed = endpoint.secret.get_secret_value()
        client.documents.create(schema="invoice_v2", file_url=FILE_URL)
        assert revealed == fake.webhook_secret  # every endpoint starts with the fake's secret
        signed = fake.signed_events[-1]
        webhooks.verify(signed.body, signed.headers, revealed, now=clock.now)

        rotated = client.webhook_endpoints.rotate_secret(endpoint.id).secret.get_secret_value()
        client.documents.create(schema="invoice_v2", file_url=FILE_URL)
        for_endpoint = fake.signed_events_for(endpoint.id)
    assert len(for_endpoint) == 2
    # Signed as a delivery to it is: with each active secret (rotation: the new and the old).
    for signed in for_endpoint:
        webhooks.verify(signed.body, signed.headers, rotated, now=clock.now)
        webhooks.verify(signed.body, signed.headers, revealed, now=clock.now)
    with pytest.raises(KeyError, match="whe_missing"):
        fake.signed_events_for("whe_missing")


# --- the fake's clock: waits never sleep in real time -------------------------------------


@pytest.mark.usefixtures("no_wall_clock_sleep")
def test_waits_run_on_the_fake_clock() -> None:
    fake = FakeNumora(processing_delay=30, push_delay=20, clock=ManualClock())
    start = fake.now()
    with fake.client() as client:
        doc = client.documents.create_and_wait(schema="invoice_v2", file_url=FILE_URL)
        assert doc.status == "review_required"
        assert fake.now() - start >= 30
        waited = client.with_options(max_retries=1).documents.wait(doc.id)
        assert waited.status == "review_required"
        client.documents.approve(doc.id)
        run_id = client.documents.dispatch(doc.id, provider="dynamics365").run_id
        assert run_id is not None
        assert client.runs.wait(run_id).status == "succeeded"


@pytest.mark.anyio
@pytest.mark.usefixtures("no_wall_clock_sleep")
async def test_async_waits_run_on_the_fake_clock() -> None:
    fake = FakeNumora(processing_delay=30, clock=ManualClock())
    async with fake.async_client() as client:
        doc = await client.documents.create_and_wait(schema="invoice_v2", file_url=FILE_URL)
        assert doc.status == "review_required"


@pytest.mark.usefixtures("no_wall_clock_sleep")
def test_retries_sleep_on_the_fake_clock() -> None:
    fake = FakeNumora(clock=ManualClock())
    fake.fail_next(2, path="/v1/schemas", status=503, retry_after=5)
    start = fake.now()
    with fake.client() as client:
        client.schemas.list()
    assert fake.now() - start >= 10  # each retry waited retry-after: 5 s, on the fake's clock


def test_a_wait_that_nothing_will_end_says_how_to_end_it() -> None:
    fake = FakeNumora(clock=ManualClock())
    with fake.client() as client:
        doc = client.documents.create(schema="invoice_v2", file_url=FILE_URL)
        with (
            pytest.warns(FakeNumoraWarning, match=r"finish_processing\(.*processing_delay"),
            pytest.raises(numora.WaitTimeoutError),
        ):
            client.documents.wait(doc.id)


# --- the preview's values on request ------------------------------------------------------


def test_preview_values_pending_for_review_and_null_confidences() -> None:
    clock = ManualClock()
    fake = FakeNumora(clock=clock, preview_values=True)
    with fake.client() as client:
        created = client.documents.create(schema="invoice_v2", file_url=FILE_URL)
        assert created.status == "pending"
        assert client.documents.retrieve(created.id).status == "pending"
        clock.now += 1  # a second later: the internal pending has become processing
        assert client.documents.retrieve(created.id).status == "processing"
        with pytest.raises(numora.ConflictError):
            client.documents.retrieve_result(created.id)
        assert fake.finish_processing(created.id)["status"] == "for_review"
        result = client.documents.retrieve_result(created.id)
        assert result.status == "for_review"
        nulls = {name for name, field in result.fields.items() if field["confidence"] is None}
        assert nulls == {"due_date", "subtotal_amount", "tax_amount"}
        for item in result.line_items:
            assert item.fields["quantity"]["confidence"] is None
            assert item.fields["unit_price"]["confidence"] is None
            assert item.fields["amount"]["confidence"] is not None
        assert client.documents.approve(created.id).status == "reviewed"
    statuses = [(e["type"], e["data"]["status"]) for e in fake.events]
    assert statuses == [
        ("document.processing", "pending"),
        ("document.review_required", "for_review"),
        ("document.reviewed", "reviewed"),
    ]


def test_preview_values_with_a_processing_delay() -> None:
    clock = ManualClock()
    fake = FakeNumora(clock=clock, preview_values=True, processing_delay=0.5)
    doc_id = fake.handle(
        "POST",
        "/v1/documents",
        headers={"authorization": f"Bearer {fake.api_key}", "content-type": "application/json"},
        body=b'{"schema": "receipt_v1", "file_url": "https://files.example/r.png"}',
    )
    assert doc_id.status == 202
    created = httpx.Response(202, content=doc_id.body).json()
    assert created["status"] == "pending"
    clock.now += 0.5
    assert fake.document(created["id"])["status"] == "for_review"


# --- found by Schemathesis (tests/contract/test_schemathesis.py) --------------------------


def _post(fake: FakeNumora, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
    headers = {"authorization": f"Bearer {fake.api_key}", "content-type": "application/json"}
    reply = fake.handle("POST", path, headers=headers, body=body)
    return reply.status, httpx.Response(reply.status, content=reply.body).json()


@pytest.mark.parametrize("schema", ["[null, null]", "{}", "7", "true"])
def test_a_schema_that_is_not_a_string_is_invalid_payload(schema: str) -> None:
    fake = FakeNumora()
    body = f'{{"schema": {schema}, "file_url": "https://files.example/a.pdf"}}'.encode()
    status, answer = _post(fake, "/v1/documents", body)
    assert (status, answer["error"]["code"]) == (422, "invalid_payload")


def test_schemas_list_checks_limit_and_pages() -> None:
    fake = FakeNumora()
    with fake.client() as client:
        with pytest.raises(numora.BadRequestError):
            client.schemas.list(extra_query={"limit": 101})
        first = client.schemas.list(limit=2)
        assert [s.id for s in first.data] == ["invoice_v2", "receipt_v1"]
        assert [s.id for s in client.schemas.list(limit=2)] == [
            "invoice_v2",
            "receipt_v1",
            "contract_v1",
        ]


def test_an_undeclared_method_gets_the_documented_error_body_over_http() -> None:
    fake = FakeNumora()
    with fake.serve() as base_url, httpx.Client(base_url=base_url, trust_env=False) as http:
        headers = {"authorization": f"Bearer {fake.api_key}"}
        traced = http.request("TRACE", "/v1/documents", headers=headers)
        head = http.head("/v1/schemas", headers=headers)
    assert traced.status_code == 404
    assert traced.json()["error"]["code"] == "not_found"
    assert (head.status_code, head.content) == (404, b"")
