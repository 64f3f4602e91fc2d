"""Helpers shared by the reliability tests: timeouts, and looking into a connection pool."""

from __future__ import annotations

from typing import Any

import httpx

from numora import AsyncNumora, Numora

# `timeout` bounds a whole attempt, and the fake is served from this process: with both
# cores busy an ordinary answer has taken over a second here. A timeout that short fails the
# accounting of these tests (an answer lost that no fault explains), so ordinary calls get
# CLIENT_TIMEOUT and only the calls planned to meet a `timeout` fault get FAULT_TIMEOUT.
CLIENT_TIMEOUT = 30.0  # seconds: ordinary calls (never reached on a healthy run)
FAULT_TIMEOUT = 2.0  # seconds: what a `timeout` fault costs the call that meets it
FAULT_HOLD = 6.0  # seconds the fake holds a timed-out request (well over FAULT_TIMEOUT)


def pool_connections(client: Numora | AsyncNumora) -> list[Any]:
    """The httpcore connections in the client's pool."""
    transport = client._http._transport
    assert isinstance(transport, (httpx.HTTPTransport, httpx.AsyncHTTPTransport))
    return list(transport._pool.connections)


def assert_pool_at_rest(client: Numora | AsyncNumora) -> None:
    """No request in flight and every pooled connection idle or closed: nothing leaked."""
    transport = client._http._transport
    assert isinstance(transport, (httpx.HTTPTransport, httpx.AsyncHTTPTransport))
    pool: Any = transport._pool
    assert not pool._requests, f"{len(pool._requests)} requests still waiting in the pool"
    busy = [c for c in pool.connections if not (c.is_idle() or c.is_closed())]
    assert not busy, f"connections left in use: {busy}"
