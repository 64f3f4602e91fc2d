"""Fixtures for create_many: a fake Numora, clients on a fake clock, and one way to run a
batch on either client."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from _clock import FakeClock
from numora import AsyncNumora, BulkOutcome, Numora
from numora.testing import FakeNumora

Run = Callable[..., list[BulkOutcome]]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> FakeNumora:
    # The fake's time is the clients' fake clock (as Unix seconds): a retry-after or a wait
    # poll moves both, and nothing sleeps in real time.
    return FakeNumora(clock=clock)


def sync_client(fake: FakeNumora, clock: FakeClock, **options: Any) -> Numora:
    client: Numora = clock.install(fake.client(**options))
    return client


def async_client(fake: FakeNumora, clock: FakeClock, **options: Any) -> AsyncNumora:
    client: AsyncNumora = clock.install(fake.async_client(**options))
    return client


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def batch(
    kind: str,
    fake: FakeNumora,
    clock: FakeClock,
    items: Any,
    *,
    client_options: dict[str, Any] | None = None,
    transport: Any = None,
    **kwargs: Any,
) -> list[BulkOutcome]:
    """Every outcome of ``create_many(items, **kwargs)`` on the ``kind`` client of ``fake``.

    ``client_options`` go to the client (e.g. ``max_retries``); ``transport`` replaces the
    fake's in-memory transport (a wrapper around it).
    """
    options = dict(client_options or {})
    if kind == "sync":
        if transport is not None:
            options["http_client"] = httpx.Client(transport=transport)
        with sync_client(fake, clock, **options) as client:
            return list(client.documents.create_many(items, **kwargs))

    async def main() -> list[BulkOutcome]:
        if transport is not None:
            options["http_client"] = httpx.AsyncClient(transport=transport)
        async with async_client(fake, clock, **options) as client:
            return [o async for o in client.documents.create_many(items, **kwargs)]

    return asyncio.run(main())


@pytest.fixture
def run(kind: str, fake: FakeNumora, clock: FakeClock) -> Run:
    """``run(items, **arguments)``: :func:`batch` on the ``kind`` client of ``fake``."""

    def run_batch(items: Any, **kwargs: Any) -> list[BulkOutcome]:
        return batch(kind, fake, clock, items, **kwargs)

    return run_batch


@pytest.fixture
def files(tmp_path: Path) -> Callable[[int], list[Path]]:
    """``files(n)``: n small PDFs with distinct content."""

    def make(n: int, prefix: str = "scan") -> list[Path]:
        made = []
        for i in range(n):
            path = tmp_path / f"{prefix}-{i:04d}.pdf"
            path.write_bytes(b"%PDF-1.7\n% " + f"{prefix} {i}".encode() + b"\n")
            made.append(path)
        return made

    return make


def documents_on(fake: FakeNumora, clock: FakeClock | None = None) -> Iterator[dict[str, Any]]:
    """Every document the fake holds, as the API shows it (``clock``: the fake's, when it
    enforces a rate limit, so that waiting one out moves its time)."""
    with fake.client() as client:
        if clock is not None:
            clock.install(client)
        for doc in client.documents.list(limit=100):
            yield doc.to_dict()
