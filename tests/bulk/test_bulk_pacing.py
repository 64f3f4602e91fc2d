"""Rate limits: at most ``concurrency`` in flight, fewer after a 429, nothing sent until the
``retry-after`` has passed, wider again after successes; a batch at the workspace limit
finishes. Time is the fake clock's: nothing here sleeps in real time."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter

import httpx
import pytest

from _clock import FakeClock
from numora import BulkOutcome, RateLimitError
from numora._bulk import MAX_THROTTLED_ROUNDS, Pacer
from numora.testing import FakeNumora

from .conftest import Run, async_client, batch, documents_on

URL = "https://files.example.com/invoice.pdf"


def entries(n: int, prefix: str = "inv") -> list[dict[str, str]]:
    return [{"file_url": URL, "external_id": f"{prefix}-{i}"} for i in range(n)]


def limited(retry_after: float | None) -> RateLimitError:
    return RateLimitError("slow down", status_code=429, retry_after=retry_after)


# --- the controller on its own ------------------------------------------------------------


def test_the_window_halves_once_per_burst_and_grows_back_after_successes() -> None:
    clock = FakeClock()
    pacer = Pacer(16, clock=clock, retry_after_cap=60)
    epochs = [pacer.launched() for _ in range(16)]
    assert pacer.wait_time() is None  # full

    for epoch in epochs[:5]:  # five jobs of the same burst meet the same limit
        assert pacer.throttled(epoch, limited(2.0))
    assert pacer.window == 8  # halved once, not five times
    assert pacer.wait_time() == pytest.approx(2.0)  # nothing may be sent for 2 s

    clock.advance(2.0)
    assert pacer.wait_time() is None  # 11 still in flight, above the new window of 8
    for _ in range(4):
        pacer.finished(ok=True)
    assert pacer.in_flight == 7 and pacer.wait_time() == 0.0

    later = pacer.launched()  # launched after the halving: its 429 halves again
    assert pacer.throttled(later, limited(None))
    assert 4 < pacer.window < 4.5  # halved again, from 8 widened a little by 4 successes
    assert pacer.wait_time() == pytest.approx(1.0)  # no retry-after: a default pause

    clock.advance(1.0)
    for _ in range(200):
        pacer.launched()
        pacer.finished(ok=True)
    assert pacer.window == 16  # back to concurrency, never above


def test_failures_other_than_429_do_not_change_the_pace() -> None:
    pacer = Pacer(4, clock=FakeClock(), retry_after_cap=60)
    pacer.launched()
    pacer.finished(ok=False)
    assert pacer.window == 4 and pacer.wait_time() == 0.0


def test_a_retry_after_beyond_the_cap_gives_up_instead_of_pausing() -> None:
    pacer = Pacer(4, clock=FakeClock(), retry_after_cap=60)
    assert not pacer.throttled(pacer.launched(), limited(3600))
    assert pacer.given_up is not None
    error = pacer.not_sent()
    assert error.status_code == 429 and error.retry_after == 3600
    assert "Not sent" in str(error) and "again later" in str(error)


# --- a batch against the limit ------------------------------------------------------------


class Recorder(httpx.AsyncBaseTransport):
    """Records (fake time, status) of every POST the async client sends."""

    def __init__(self, inner: httpx.AsyncBaseTransport, clock: FakeClock) -> None:
        self.inner, self.clock = inner, clock
        self.posts: list[tuple[float, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "POST":
            self.posts.append((self.clock(), response.status_code))
        return response


def test_after_a_429_nothing_is_sent_until_retry_after_and_fewer_are_in_flight(
    fake: FakeNumora, clock: FakeClock
) -> None:
    # max_retries=0: every 429 reaches the batch at once (no retry inside create()).
    recorder = Recorder(fake.async_transport(), clock)
    fake.fail_next(40, method="POST", path="/v1/documents", status=429, retry_after=3)

    async def main() -> list[BulkOutcome]:
        client = async_client(fake, clock, http_client=httpx.AsyncClient(transport=recorder))
        async with client:
            batch = client.documents.create_many(
                entries(200), schema="invoice_v2", concurrency=16, max_retries=0
            )
            return [o async for o in batch]

    outcomes = asyncio.run(main())

    assert Counter(o.status for o in outcomes) == {"created": 200}
    throttled_at = [t for t, status in recorder.posts if status == 429]
    assert len(throttled_at) == 40
    # Sends happen in bursts at one instant of fake time; a burst after a 429 comes only
    # once its retry-after (3 s) has passed, and is smaller while the limit lasts.
    bursts = Counter(t for t, _ in recorder.posts)
    times = sorted(bursts)
    assert all(b - a >= 3 for a, b in itertools.pairwise(times))
    sizes = [bursts[t] for t in times]
    assert sizes[0] == 16
    storm = [bursts[t] for t in times if any(s == 429 for u, s in recorder.posts if u == t)]
    assert storm == sorted(storm, reverse=True) and storm[-1] < 16  # it backs off
    assert len(list(documents_on(fake))) == 200


def test_a_batch_at_the_workspace_limit_finishes(kind: str, clock: FakeClock) -> None:
    # 10 requests per second of fake time, 16 in flight asked for: create() waits out the
    # retry-after itself; what gets past its retries is paced and sent again by the batch.
    fake = FakeNumora(clock=clock, rate_limit=10, rate_limit_window=1.0)
    outcomes = batch(kind, fake, clock, entries(300), schema="invoice_v2", concurrency=16)

    assert Counter(o.status for o in outcomes) == {"created": 300}
    assert sorted(o.index for o in outcomes) == list(range(300))
    counts = Counter(d["external_id"] for d in documents_on(fake, clock))
    assert len(counts) == 300 and set(counts.values()) == {1}


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_at_the_limit_without_create_retries_the_batch_paces_every_send(
    kind: str, clock: FakeClock
) -> None:
    # max_retries=0: each 429 reaches the batch, whose pause is all that stands between the
    # entries and a storm (nothing else sleeps, so without it fake time would not move).
    fake = FakeNumora(clock=clock, rate_limit=10, rate_limit_window=1.0)
    outcomes = batch(
        kind, fake, clock, entries(200), schema="invoice_v2", concurrency=16, max_retries=0
    )

    assert Counter(o.status for o in outcomes) == {"created": 200}
    refused = sum(1 for r in fake.requests if r.status == 429)
    windows = clock.now - 1_000.0  # seconds of fake time the batch took
    assert windows <= 40  # 200 at 10 a second, and some slack
    assert refused <= 16 + 8 * windows  # at most one burst per pause, shrinking


def test_an_entry_refused_too_many_times_fails_with_the_429(run: Run, fake: FakeNumora) -> None:
    fake.fail_next(1_000, method="POST", path="/v1/documents", status=429, retry_after=1)
    (outcome,) = run(entries(1), schema="invoice_v2", max_retries=0)

    assert isinstance(outcome.error, RateLimitError)
    assert len([r for r in fake.requests if r.method == "POST"]) == MAX_THROTTLED_ROUNDS + 1


def test_a_retry_after_beyond_the_cap_stops_the_batch_and_reports_the_rest(
    run: Run, fake: FakeNumora
) -> None:
    fake.fail_next(1, method="POST", path="/v1/documents", status=429, retry_after=3_600)
    outcomes = run(entries(50), schema="invoice_v2", concurrency=1)

    assert Counter(o.status for o in outcomes) == {"failed": 50}
    for outcome in outcomes:
        assert isinstance(outcome.error, RateLimitError)
        assert outcome.error.retry_after == 3_600
    assert len([r for r in fake.requests if r.method == "POST"]) == 1  # no 429 storm
