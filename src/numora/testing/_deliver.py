"""Webhook delivery: POST each queued event to its endpoint, retrying on the fake's schedule.

Deliveries go through a sync ``httpx.Client`` or an ``httpx.AsyncClient`` (for an async
transport such as ``httpx.ASGITransport``); claiming, signing and settling are shared.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from ._backend import Backend
from ._events import active_secrets, sign
from ._wire import iso_ms


@dataclass(frozen=True)
class _Job:
    delivery_id: str
    url: str
    body: bytes
    headers: dict[str, str]


def _claim_due(backend: Backend) -> list[_Job]:
    """Mark every due delivery in flight and build its signed request."""
    jobs = []
    with backend.lock:
        now, state = backend.now(), backend.state
        for delivery in sorted(state.deliveries.values(), key=lambda d: d.seq):
            if delivery.in_flight or delivery.due is None or delivery.due > now:
                continue
            endpoint = state.endpoints.get(delivery.endpoint_id)
            if endpoint is None or endpoint.data["status"] != "enabled":
                delivery.due = None
                delivery.data.update(status="failed", next_attempt_at=None)
                delivery.data["error"] = "endpoint deleted or disabled"
                continue
            event = state.event_by_id[delivery.event_id]
            secrets = active_secrets(endpoint, now)
            headers = sign(event.body, delivery.event_id, secrets, now)
            headers["Content-Type"] = "application/json"
            headers["User-Agent"] = "numora-fake-webhooks"
            delivery.in_flight = True
            jobs.append(_Job(delivery.data["id"], endpoint.data["url"], event.body, headers))
    return jobs


def _send(client: httpx.Client, job: _Job) -> tuple[int | None, str | None]:
    try:
        response = client.post(job.url, content=job.body, headers=job.headers)
    except httpx.HTTPError as exc:
        return _failed(exc)
    return _answered(response.status_code)


async def _send_async(client: httpx.AsyncClient, job: _Job) -> tuple[int | None, str | None]:
    try:
        response = await client.post(job.url, content=job.body, headers=job.headers)
    except httpx.HTTPError as exc:
        return _failed(exc)
    return _answered(response.status_code)


def _failed(exc: Exception) -> tuple[int | None, str | None]:
    return None, f"{type(exc).__name__}: {exc}"[:500]


def _answered(status: int) -> tuple[int | None, str | None]:
    if 200 <= status < 300:
        return status, None
    return status, f"endpoint answered HTTP {status}"


def _settle(backend: Backend, job: _Job, status: int | None, error: str | None) -> None:
    with backend.lock:
        delivery = backend.state.deliveries[job.delivery_id]
        delivery.in_flight = False
        delivery.round_attempts += 1
        data = delivery.data
        data.update(attempts=data["attempts"] + 1, response_status=status, error=error)
        schedule = backend.config.webhook_retry_schedule
        if error is None:
            delivery.due = None
            data.update(status="succeeded", next_attempt_at=None)
        elif delivery.round_attempts <= len(schedule):
            delivery.due = backend.now() + schedule[delivery.round_attempts - 1]
            data.update(status="pending", next_attempt_at=iso_ms(delivery.due))
        else:
            delivery.due = None
            data.update(status="failed", next_attempt_at=None)


def deliver_due(backend: Backend, client: httpx.Client) -> int:
    """Make one attempt for every delivery that is due now; the number of attempts made."""
    jobs = _claim_due(backend)
    for job in jobs:
        status, error = _send(client, job)
        _settle(backend, job, status, error)
    return len(jobs)


async def deliver_due_async(backend: Backend, client: httpx.AsyncClient) -> int:
    """:func:`deliver_due` through an async client."""
    jobs = _claim_due(backend)
    for job in jobs:
        status, error = await _send_async(client, job)
        _settle(backend, job, status, error)
    return len(jobs)


def next_due_in(backend: Backend) -> float | None:
    with backend.lock:
        dues = [d.due for d in backend.state.deliveries.values() if d.due is not None]
        return min(dues) - backend.now() if dues else None


class Deliverer:
    """A daemon thread that delivers webhooks while the fake is served.

    With an async client it runs its own event loop in that thread.
    """

    def __init__(
        self, backend: Backend, make_client: Callable[[], httpx.Client | httpx.AsyncClient]
    ) -> None:
        self._backend = backend
        self._make_client = make_client
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="numora-fake-webhooks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        with self._backend.wakeup:
            self._backend.wakeup.notify_all()
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        client = self._make_client()
        if isinstance(client, httpx.AsyncClient):
            loop = asyncio.new_event_loop()
            try:
                self._run(lambda: loop.run_until_complete(deliver_due_async(self._backend, client)))
                loop.run_until_complete(client.aclose())
            finally:
                loop.close()
        else:
            with client:
                self._run(lambda: deliver_due(self._backend, client))

    def _run(self, deliver: Callable[[], int]) -> None:
        while not self._stopped.is_set():
            deliver()
            with self._backend.wakeup:
                # Checked under the lock, so an event queued meanwhile is not missed.
                wait = next_due_in(self._backend)
                if not self._stopped.is_set():
                    self._backend.wakeup.wait(0.2 if wait is None else min(max(wait, 0.005), 0.2))
