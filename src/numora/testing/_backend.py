"""The fake's backend: configuration, clock, state and the one lock around them (one per fake)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ._state import State

PUSH_OUTCOMES = ("succeeded", "failed")
DISPATCH_ROUTES = ("workflow", "n8n_executor")


@dataclass
class Config:
    """Behaviour knobs; see :class:`numora.testing.FakeNumora` for what each one means."""

    processing_delay: float | None = None
    push_delay: float | None = 0.0
    push_outcome: str = "succeeded"
    dispatch_route: str = "workflow"
    dispatch_routes: dict[str, str] = field(default_factory=dict)
    rate_limit: int | None = None
    rate_limit_window: float = 1.0
    max_upload_bytes: int = 30 * 1024 * 1024
    credits: int | None = None
    webhook_retry_schedule: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4)
    webhook_timeout: float = 2.0
    fault_timeout: float = 2.0
    preview_values: bool = False

    def route_for(self, provider: str) -> str:
        return self.dispatch_routes.get(provider, self.dispatch_route)


class Clock:
    """A time source the tests can move forward: ``source() + offset`` in epoch seconds."""

    def __init__(self, source: Callable[[], float] | None = None) -> None:
        self._source = source or time.time
        self._offset = 0.0

    def now(self) -> float:
        return self._source() + self._offset

    def advance(self, seconds: float) -> None:
        self._offset += seconds


class Backend:
    """Everything a route handler needs. Hold ``lock`` while reading or changing ``state``."""

    def __init__(self, config: Config, clock: Clock) -> None:
        self.config = config
        self.clock = clock
        self.lock = threading.RLock()
        # Wakes the background webhook deliverer when an event is queued or time jumps.
        self.wakeup = threading.Condition(self.lock)
        self.state = State()
        self.webhook_secret = ""
        self.push_workflow_id = ""
        self.rate_window: tuple[int, int] = (0, 0)  # (window index, requests counted in it)

    def now(self) -> float:
        return self.clock.now()


def check_choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def check_routes(routes: Mapping[str, str]) -> dict[str, str]:
    return {
        provider: check_choice("dispatch route", r, DISPATCH_ROUTES)
        for provider, r in routes.items()
    }
