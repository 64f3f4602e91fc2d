"""No leaks: thousands of calls mixing successes and every error kind, sync and async.

After each batch the client's connection pool must be at rest (no request waiting, every
connection idle or closed), it must not grow beyond what the concurrency needs, and closing
the client must leave no connection open.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio
import pytest
from reliability_helpers import FAULT_TIMEOUT, assert_pool_at_rest, pool_connections

from _clock import FakeClock
from numora import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ConflictError,
    InternalServerError,
    InvalidSchemaError,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    RateLimitError,
)
from numora.testing import FakeNumora

pytestmark = pytest.mark.slow

CALLS = 10_000  # per test: 10,000 calls through the sync client and 10,000 through the async one
FILE_URL = "https://files.example/invoice.pdf"


@dataclass(frozen=True)
class Kind:
    """One kind of call: how to set it up on the fake, make it, and what it must raise."""

    name: str
    call: Callable[[Any, dict[str, Any]], Any]
    raises: type[Exception] | None = None
    fault: dict[str, Any] | None = None
    weight: int = 10


KINDS = [
    Kind("retrieve", lambda c, ctx: c.documents.retrieve(ctx["doc"])),
    Kind(
        "create",
        lambda c, ctx: c.documents.create(
            schema="invoice_v2", file_url=FILE_URL, external_id=ctx["external_id"]
        ),
    ),
    Kind("list page", lambda c, ctx: c.documents.list(limit=5)),
    Kind("404", lambda c, ctx: c.documents.retrieve("doc_missing"), NotFoundError),
    Kind("409", lambda c, ctx: c.documents.retrieve_result(ctx["doc"]), ConflictError),
    Kind(
        "422",
        lambda c, ctx: c.documents.create(schema="nope_v9", file_url=FILE_URL),
        InvalidSchemaError,
    ),
    Kind(
        "401",
        lambda c, ctx: ctx["revoked"].documents.retrieve(ctx["doc"]),
        AuthenticationError,
    ),
    Kind(
        "403",
        lambda c, ctx: ctx["no_scopes"].documents.retrieve(ctx["doc"]),
        PermissionDeniedError,
    ),
    Kind(
        "500 after retries",
        lambda c, ctx: c.documents.retrieve(ctx["doc"]),
        InternalServerError,
        {"n": 3, "status": 500},
    ),
    Kind(
        "502, no retries",
        lambda c, ctx: c.documents.retrieve(ctx["doc"], max_retries=0),
        ProviderError,
        {"status": 502},
    ),
    Kind(
        "503 then success",
        lambda c, ctx: c.documents.retrieve(ctx["doc"]),
        None,
        {"n": 2, "status": 503},
    ),
    Kind(
        "429 after retries",
        lambda c, ctx: c.documents.retrieve(ctx["doc"]),
        RateLimitError,
        {"n": 3, "status": 429, "retry_after": 0.5},
    ),
    Kind(
        "reset before",
        lambda c, ctx: c.documents.retrieve(ctx["doc"], max_retries=0),
        APIConnectionError,
        {"kind": "reset"},
    ),
    Kind(
        "reset after, unkeyed POST",
        lambda c, ctx: c.documents.create(schema="invoice_v2", file_url=FILE_URL),
        APIConnectionError,
        {"kind": "reset", "when": "after"},
    ),
    Kind(
        "reset then success",
        lambda c, ctx: c.documents.retrieve(ctx["doc"]),
        None,
        {"kind": "reset", "n": 2},
    ),
    # Each timeout costs the client's timeout in real time: a handful is enough.
    Kind(
        "timeout",
        lambda c, ctx: c.documents.retrieve(ctx["doc"], max_retries=0, timeout=FAULT_TIMEOUT),
        APITimeoutError,
        {"kind": "timeout"},
        weight=0,
    ),
]
TIMEOUTS = 6


def schedule(seed: int) -> list[Kind]:
    rng = random.Random(seed)
    weighted = [k for k in KINDS if k.weight]
    timeout = next(k for k in KINDS if k.name == "timeout")
    plan = rng.choices(weighted, weights=[k.weight for k in weighted], k=CALLS - TIMEOUTS)
    for _ in range(TIMEOUTS):
        plan.insert(rng.randrange(len(plan)), timeout)
    return plan


def prepare(fake: FakeNumora, kind: Kind, ctx: dict[str, Any], i: int) -> None:
    ctx["external_id"] = f"leak-{i % 50}"
    if kind.fault is not None:
        fault = {"n": 1, **kind.fault}
        fake.fail_next(fault.pop("n"), path="/v1/documents*", **fault)


def context(fake: FakeNumora, client: Any, clock: FakeClock) -> dict[str, Any]:
    """Clients with a revoked key and with a key without scopes, sharing ``client``'s pool
    (the client's own key always authenticates its calls, whatever the headers say)."""
    keys = {"revoked": "sk_test_revoked", "no_scopes": fake.create_api_key(scopes=[])}
    return {
        name: clock.install(
            type(client)(api_key=key, base_url=client.base_url, http_client=client._http)
        )
        for name, key in keys.items()
    }


def test_sync_calls_leave_no_connection_behind(
    fake: FakeNumora, make_client: Any, clock: FakeClock
) -> None:
    client = make_client(max_retries=2)
    ctx = context(fake, client, clock)
    ctx["doc"] = client.documents.create(schema="invoice_v2", file_url=FILE_URL).id
    outcomes: Counter[str] = Counter()
    for i, kind in enumerate(schedule(81)):
        prepare(fake, kind, ctx, i)
        try:
            kind.call(client, ctx)
        except Exception as error:
            assert kind.raises is not None and isinstance(error, kind.raises), (kind, error)
            outcomes[type(error).__name__] += 1
        else:
            assert kind.raises is None, f"{kind.name} did not raise"
            outcomes["ok"] += 1
        if i % 1_000 == 999:
            assert_pool_at_rest(client)
            # One caller at a time never needs more than one live connection.
            assert len([c for c in pool_connections(client) if not c.is_closed()]) <= 1
    assert_pool_at_rest(client)
    assert len(outcomes) == 11, outcomes  # ok and every error class above
    client.close()
    assert pool_connections(client) == []


@pytest.mark.anyio
async def test_async_calls_leave_no_connection_behind(
    fake: FakeNumora, make_async_client: Any, clock: FakeClock
) -> None:
    concurrency = 20
    async with make_async_client(max_retries=2) as client:
        ctx = context(fake, client, clock)
        ctx["doc"] = (await client.documents.create(schema="invoice_v2", file_url=FILE_URL)).id
        outcomes: Counter[str] = Counter()
        plan = schedule(82)

        async def run(kind: Kind) -> None:
            try:
                await kind.call(client, ctx)
            except Exception as error:
                outcomes[type(error).__name__] += 1
                # Under concurrency a fault may land on a neighbour's request: any typed
                # error of the suite's kinds is fine, never an untyped one.
                expected = tuple(k.raises for k in KINDS if k.raises is not None)
                assert isinstance(error, expected), (kind, error)
            else:
                outcomes["ok"] += 1

        for start in range(0, len(plan), concurrency):
            batch = plan[start : start + concurrency]
            for offset, kind in enumerate(batch):
                prepare(fake, kind, ctx, start + offset)
            async with anyio.create_task_group() as group:
                for kind in batch:
                    group.start_soon(run, kind)
            if start % 1_000 == 0:
                assert_pool_at_rest(client)
                live = [c for c in pool_connections(client) if not c.is_closed()]
                assert len(live) <= concurrency
        assert_pool_at_rest(client)
        assert outcomes["ok"] > CALLS // 4 and len(outcomes) >= 10, outcomes
    assert pool_connections(client) == []
