"""create_many under tracing: one parent span for the batch, every call of every job under it
(jobs run in worker threads on Numora and in asyncio tasks on AsyncNumora), and leaving the
batch early ends that span without disturbing the caller's context."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.trace import SpanKind, StatusCode

from _clock import FakeClock
from numora.testing import FakeNumora
from otel_helpers import Telemetry

from .conftest import async_client, batch, sync_client

URLS = [f"https://files.example.com/invoice-{i}.pdf" for i in range(6)]


@pytest.fixture
def otel() -> Iterator[Telemetry]:
    telemetry = Telemetry()
    telemetry.instrument()
    yield telemetry
    telemetry.close()


def test_a_batch_is_one_parent_span_over_every_call(
    kind: str, clock: FakeClock, otel: Telemetry
) -> None:
    fake = FakeNumora(clock=clock, processing_delay=30)
    outcomes = batch(
        kind, fake, clock, URLS, schema="invoice_v2", concurrency=3, wait=True, poll_interval=5
    )

    assert len(outcomes) == len(URLS) and all(o.ok for o in outcomes)
    [parent] = [s for s in otel.spans() if s.name == "Documents.create_many"]
    assert parent.kind is SpanKind.INTERNAL
    assert parent.status.status_code is StatusCode.UNSET
    assert parent.context is not None
    calls = otel.client_spans()
    assert {c.name for c in calls} >= {"POST /v1/documents", "GET /v1/documents/{document_id}"}
    waits = [s for s in otel.spans() if s.name == "Documents.wait"]
    assert len(waits) == len(URLS)
    # every create hangs off the batch; every poll off its entry's wait, itself in the batch
    parents = {s.context.span_id: s for s in [parent, *waits] if s.context is not None}
    for call in calls:
        assert call.parent is not None and call.parent.span_id in parents, call.name
    assert all(w.parent is not None and w.parent.span_id == parent.context.span_id for w in waits)


def test_leaving_a_batch_early_ends_its_span_and_leaves_the_context_alone(
    kind: str, fake: FakeNumora, clock: FakeClock, otel: Telemetry
) -> None:
    def check_context() -> None:
        assert not trace.get_current_span().get_span_context().is_valid

    if kind == "sync":
        with sync_client(fake, clock) as client:
            outcomes = client.documents.create_many(URLS, schema="invoice_v2", concurrency=2)
            next(outcomes)
            check_context()
            outcomes.close()
    else:

        async def main() -> None:
            async with async_client(fake, clock) as client:
                outcomes = client.documents.create_many(URLS, schema="invoice_v2", concurrency=2)
                await anext(outcomes)
                check_context()
                await outcomes.aclose()

        asyncio.run(main())

    check_context()
    [span] = [s for s in otel.spans() if s.name == "Documents.create_many"]
    assert span.end_time is not None
    assert (span.attributes or {})["error.type"] == "interrupted"
