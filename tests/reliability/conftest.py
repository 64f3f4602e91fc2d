"""Fixtures for the reliability suite: the fake Numora over real sockets, clients on a fake clock.

Retries sleep on a :class:`FakeClock` (no wall-clock waits); only timeout faults cost real
time. Calls that meet one pass ``timeout=FAULT_TIMEOUT``; every other call has a generous
timeout, so that a busy machine never turns an ordinary answer into a timeout.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from reliability_helpers import CLIENT_TIMEOUT, FAULT_HOLD

from _clock import FakeClock
from numora import AsyncNumora, Numora
from numora.testing import FakeNumora


@pytest.fixture
def fake() -> FakeNumora:
    return FakeNumora(fault_timeout=FAULT_HOLD)


@pytest.fixture
def base_url(fake: FakeNumora) -> Iterator[str]:
    with fake.serve() as url:
        yield url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_client(fake: FakeNumora, base_url: str, clock: FakeClock) -> Iterator[Any]:
    """``make_client(**options)``: a :class:`Numora` on the served fake, sleeping on ``clock``."""
    made: list[Numora] = []

    def make(**options: Any) -> Numora:
        options.setdefault("timeout", CLIENT_TIMEOUT)
        client = Numora(api_key=fake.api_key, base_url=base_url, **options)
        clock.install(client)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def make_async_client(fake: FakeNumora, base_url: str, clock: FakeClock) -> Any:
    """``make_async_client(**options)``: an :class:`AsyncNumora` on the served fake (close it)."""

    def make(**options: Any) -> AsyncNumora:
        options.setdefault("timeout", CLIENT_TIMEOUT)
        client = AsyncNumora(api_key=fake.api_key, base_url=base_url, **options)
        clock.install(client)
        return client

    return make
