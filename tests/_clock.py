"""A fake clock for tests: clients sleep on it instead of on wall-clock time."""

from __future__ import annotations

from typing import Any


class FakeClock:
    """Monotonic time that only moves when something sleeps on it (or ``advance`` is called).

    ``install(client)`` makes a ``Numora`` or ``AsyncNumora`` (and its ``with_options``
    copies made afterwards) sleep here; ``sleeps`` records every requested delay.
    """

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def install(self, client: Any) -> Any:
        client._clock = self
        if hasattr(client, "_sleep_async"):
            client._sleep_async = self.async_sleep
        else:
            client._sleep = self.sleep
        return client
