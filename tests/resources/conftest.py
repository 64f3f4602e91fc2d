"""Both clients against one respx router, sleeping on a fake clock.

``api`` is parametrized ``sync``/``async``: a test written once runs on ``Numora`` and on
``AsyncNumora``. ``await api(lambda c: c.documents.retrieve("doc_1"))`` calls the method on
the client of the run and awaits it when the client is async.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

from _clock import FakeClock
from numora import AsyncNumora, AsyncPage, Numora, SyncPage

BASE_URL = "https://api.numora.test"
API_KEY = "sk_test_resources"
_TLS = ssl.create_default_context()


class Api:
    """One client (sync or async) and the helpers to drive either the same way."""

    def __init__(self, client: Numora | AsyncNumora, clock: FakeClock) -> None:
        self.client = client
        self.clock = clock
        self.is_async = isinstance(client, AsyncNumora)

    async def __call__(self, call: Callable[[Any], Any]) -> Any:
        """Run ``call(client)``; on the async client, await what it returns."""
        result = call(self.client)
        if self.is_async:
            result = await result
        return result

    async def raw(self, call: Callable[[Any], Any]) -> Any:
        """Run ``call(client.with_raw_response)`` the same way."""
        result = call(self.client.with_raw_response)
        if self.is_async:
            result = await result
        return result

    @property
    def page_type(self) -> type[Any]:
        return AsyncPage if self.is_async else SyncPage


async def walk(page: SyncPage[Any] | AsyncPage[Any]) -> list[Any]:
    """Every item from ``page`` on, across all the pages that follow."""
    if isinstance(page, AsyncPage):
        return [item async for item in page]
    return list(page)


@pytest.fixture
def server() -> Iterator[respx.MockRouter]:
    """The API: nothing reaches the network, and every unmatched request fails the test."""
    with respx.mock(base_url=BASE_URL + "/v1", assert_all_called=False) as router:
        yield router


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["sync", "async"])
async def api(
    request: pytest.FixtureRequest, server: respx.MockRouter, clock: FakeClock
) -> AsyncIterator[Api]:
    # One TLS context for every test: building one per client is most of a client's cost.
    if request.param == "sync":
        with httpx.Client(verify=_TLS) as http:
            yield Api(clock.install(Numora(API_KEY, base_url=BASE_URL, http_client=http)), clock)
    else:
        async with httpx.AsyncClient(verify=_TLS) as ahttp:
            client = AsyncNumora(API_KEY, base_url=BASE_URL, http_client=ahttp)
            yield Api(clock.install(client), clock)
