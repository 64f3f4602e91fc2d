"""End to end: the SDK's clients against the fake over real sockets (and in memory)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fake_helpers import Receiver

import numora
from _clock import FakeClock
from numora.testing import FakeNumora

FILE_URL = "https://files.example/invoice.pdf"


def test_sync_client_full_flow_over_http(receiver_factory: Callable[..., Receiver]) -> None:
    receiver = receiver_factory()
    fake = FakeNumora(processing_delay=0)
    with (
        fake.serve() as base_url,
        numora.Numora(api_key=fake.api_key, base_url=base_url) as client,
    ):
        endpoint = client.webhook_endpoints.create(url=receiver.url, events=["push.succeeded"])
        created = client.documents.create(
            schema="invoice_v2", file_url=FILE_URL, external_id="inv-1"
        )
        assert created.created
        doc = client.documents.wait(created.id, poll_interval=0.01, deadline=5)
        assert doc.status == "review_required"
        result = client.documents.retrieve_result(created.id)
        assert result.fields["total_amount"]["value"] > 0
        reviewed = client.documents.approve(doc)
        assert reviewed.status == "reviewed"
        dispatch = client.documents.dispatch(created.id, provider="dynamics365")
        assert dispatch.route == "workflow"
        assert dispatch.run_id is not None
        client.documents.wait(created.id, until="push_succeeded", poll_interval=0.01, deadline=5)
        run = client.runs.retrieve(dispatch.run_id)
        assert run.status == "succeeded"
        receiver.wait_for(1)
        secret = endpoint.secret.get_secret_value()
        headers, body = receiver.received[0]
        event = numora.webhooks.unwrap(body, headers, secret)
        assert event.type == "push.succeeded"
        assert event.id == fake.events[-1]["id"]
        again = client.documents.create(schema="invoice_v2", file_url=FILE_URL, external_id="inv-1")
        assert (again.id, again.already_existed) == (created.id, True)


@pytest.mark.anyio
async def test_async_client_full_flow_over_http(
    receiver_factory: Callable[..., Receiver],
) -> None:
    receiver = receiver_factory()
    fake = FakeNumora()
    with fake.serve() as base_url:
        async with numora.AsyncNumora(api_key=fake.api_key, base_url=base_url) as client:
            await client.webhook_endpoints.create(url=receiver.url, events=["document.reviewed"])
            created = await client.documents.create(
                schema="receipt_v1", file=("receipt.png", b"\x89PNG fake", "image/png")
            )
            fake.finish_processing(created.id, fields={"total_amount": 9.5})
            result = await client.documents.retrieve_result(created.id)
            assert result.fields["total_amount"] == {"value": 9.5, "confidence": 0.99}
            doc = await client.documents.retrieve(created.id)
            await client.documents.approve(doc)
            dispatch = await client.documents.dispatch(created.id, provider="dynamics365")
            assert dispatch.run_id is not None
            run = await client.runs.wait(dispatch.run_id, poll_interval=0.01, deadline=5)
            assert run.status == "succeeded"
            receiver.wait_for(1)
    assert fake.events[-1]["type"] == "push.succeeded"


def test_sdk_retry_after_a_lost_answer_returns_the_same_document() -> None:
    fake = FakeNumora()
    fake.fail_next(method="POST", path="/v1/documents", status=503, retry_after=0, when="after")
    with fake.client(max_retries=2) as client:
        FakeClock().install(client)  # retries wait on a fake clock, not the wall
        created = client.documents.create(
            schema="invoice_v2", file_url=FILE_URL, external_id="inv-7"
        )
        assert created.already_existed  # the first attempt did create it
        assert [d.id for d in client.documents.list()] == [created.id]
    statuses = [r.status for r in fake.requests if r.method == "POST"]
    assert statuses == [503, 200]


def test_sdk_timeout_after_effect_is_retried_safely_with_external_id() -> None:
    fake = FakeNumora()
    fake.fail_next(method="POST", path="/v1/documents", kind="timeout", when="after")
    with fake.client(max_retries=1) as client:
        FakeClock().install(client)  # retries wait on a fake clock, not the wall
        created = client.documents.create(
            schema="invoice_v2", file_url=FILE_URL, external_id="inv-8"
        )
    assert created.already_existed
    assert len(fake.requests) == 2


def test_sdk_maps_fake_errors_to_its_exceptions() -> None:
    fake = FakeNumora(rate_limit=1)
    with fake.client(max_retries=0) as client:
        with pytest.raises(numora.InvalidSchemaError) as invalid:
            client.documents.create(schema="w2_v1", file_url=FILE_URL)
        assert invalid.value.request_id == fake.requests[-1].request_id
        with pytest.raises(numora.RateLimitError):
            client.schemas.list()
    with (
        FakeNumora().client(api_key="sk_test_wrong", max_retries=0) as client,
        pytest.raises(numora.AuthenticationError),
    ):
        client.schemas.list()


@pytest.mark.anyio
async def test_async_client_in_memory() -> None:
    fake = FakeNumora()
    async with fake.async_client() as client:
        created = await client.documents.create(schema="contract_v1", file_url=FILE_URL)
        with pytest.raises(numora.ConflictError):
            await client.documents.retrieve_result(created.id)
        fake.finish_processing(created.id)
        result = await client.documents.retrieve_result(created.id)
        assert "party_a" in result.fields


def test_in_memory_client_needs_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the in-memory client opened a socket")

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", refuse)
    fake = FakeNumora()
    with fake.client() as client:
        assert [s.id for s in client.schemas.list()] == ["invoice_v2", "receipt_v1", "contract_v1"]
