"""Fixtures for the fake's tests: a fake on a controllable clock and raw httpx clients to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from fake_helpers import ManualClock, Receiver, api

from numora.testing import FakeNumora


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def fake(clock: ManualClock) -> FakeNumora:
    return FakeNumora(clock=clock)


@pytest.fixture
def client(fake: FakeNumora) -> Iterator[httpx.Client]:
    with api(fake) as http:
        yield http


@pytest.fixture
def receiver_factory() -> Iterator[Callable[..., Receiver]]:
    """Starts local webhook receivers (``factory([500, 200])``); stops them after the test."""
    started: list[Receiver] = []

    def start(statuses: list[int] | None = None) -> Receiver:
        receiver = Receiver(statuses or [])
        receiver.start()
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.stop()
