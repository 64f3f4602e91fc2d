"""Load: 1,000 concurrent async calls through one client, over real sockets.

This test used to fail on a busy machine with ``connections left in use:
[<AsyncHTTPConnection [CONNECTING]>]``. The cause was in the pool: 900 calls queued inside
httpcore's pool, which does work proportional to its queue for every request (1,000 calls took
~70 s here, against ~3 s for 200), so on a loaded machine waits passed the pool timeout; a
request that times out (or is cancelled) in the instant after the pool gave it a new
connection leaves that connection in the pool, never connected and never reclaimed
(encode/httpcore#1093). The GETs were retried and succeeded, and the orphan stayed behind.
numora now holds calls beyond the pool's size in its own queue (``numora._exchange``), so
nothing waits inside httpcore's pool.
"""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest
from reliability_helpers import assert_pool_at_rest, pool_connections

from _clock import FakeClock
from numora.testing import FakeNumora

pytestmark = pytest.mark.slow

CALLS = 1_000


@pytest.mark.anyio
async def test_a_thousand_concurrent_calls_through_one_client(
    fake: FakeNumora, make_async_client: Any, clock: FakeClock
) -> None:
    # Seed the documents in memory; the load is the reads, all at once over one client.
    seeded: dict[int, str] = {}
    for i in range(CALLS):
        body = {"schema": "invoice_v2", "file_url": "https://files.example/a.pdf"}
        reply = fake.handle(
            "POST",
            "/v1/documents",
            headers={"authorization": f"Bearer {fake.api_key}"},
            body=json.dumps({**body, "external_id": f"l-{i}"}).encode(),
        )
        seeded[i] = json.loads(reply.body)["id"]
    # More calls than the pool has connections (100): the rest wait for one, none fails.
    # The timeout is a budget for a very busy machine; no call may come near it.
    async with make_async_client(timeout=120) as client:
        fetched: dict[int, Any] = {}

        async def retrieve(i: int) -> None:
            fetched[i] = await client.documents.retrieve(seeded[i])

        async with anyio.create_task_group() as group:
            for i in range(CALLS):
                group.start_soon(retrieve, i)
        assert_pool_at_rest(client)
        assert clock.sleeps == []  # no attempt failed (no pool timeout), so none was retried
        # Every answer went to the call that asked for it.
        assert all(fetched[i].id == seeded[i] for i in range(CALLS))
        assert all(fetched[i].external_id == f"l-{i}" for i in range(CALLS))
        assert 1 < len(pool_connections(client)) <= 100
