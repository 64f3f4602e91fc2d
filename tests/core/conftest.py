"""Fixtures for the client-core tests (helpers live in core_helpers.py)."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import respx
from core_helpers import API_ROOT, Api, LocalServer


@pytest.fixture(autouse=True, scope="module")
def _one_tls_context() -> Iterator[None]:
    # Each httpx pool loads the CA bundle (~20 ms); these tests build hundreds of clients and
    # never open a TLS connection, so they share one default context.
    from httpx._transports import default

    original = default.create_ssl_context  # type: ignore[attr-defined]
    shared: list[ssl.SSLContext] = []

    def create_ssl_context(verify: Any = True, cert: Any = None, trust_env: bool = True) -> Any:
        if verify is not True or cert is not None:
            return original(verify=verify, cert=cert, trust_env=trust_env)
        if not shared:
            shared.append(original(verify=verify, cert=cert, trust_env=trust_env))
        return shared[0]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(default, "create_ssl_context", create_ssl_context)
        yield


@pytest.fixture(params=["sync", "async"])
async def api(request: pytest.FixtureRequest, anyio_backend: str) -> AsyncIterator[Api]:
    """The same test against ``Numora`` and ``AsyncNumora`` (clients sleep on a fake clock)."""
    adapter = Api(request.param)
    yield adapter
    await adapter.close_all()


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    """respx on the API root; every test states the routes it expects."""
    with respx.mock(base_url=API_ROOT, assert_all_called=False, assert_all_mocked=True) as router:
        yield router


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A real keep-alive HTTP server on 127.0.0.1."""
    with LocalServer() as running:
        yield running
