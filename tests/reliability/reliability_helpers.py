"""Helpers shared by the reliability tests: looking into a client's connection pool."""

from __future__ import annotations

from typing import Any

import httpx

from numora import AsyncNumora, Numora


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
