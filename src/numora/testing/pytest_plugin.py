"""pytest fixtures for code that uses numora, registered by ``pip install numora``.

Fixtures (each test gets its own, nothing is shared between tests):

* ``numora_fake``: a fresh :class:`numora.testing.FakeNumora`. Configure it for one test
  with ``@pytest.mark.numora_fake(processing_delay=0, ...)`` (any ``FakeNumora`` keyword), or
  for many by overriding the fixture in your ``conftest.py``.
* ``numora_client``: a :class:`numora.Numora` answered by ``numora_fake`` in memory, closed
  after the test.
* ``async_numora_client``: the :class:`numora.AsyncNumora` twin, closed after the test. It is
  made by a plain fixture, so it works under whichever async plugin runs your test (anyio's
  ``@pytest.mark.anyio``, pytest-asyncio's ``@pytest.mark.asyncio``, ...) and needs none.
* ``numora_webhook_secret``: the secret ``numora_fake`` signs webhooks with (and every
  endpoint created through it starts with): configure your receiver with it.

This module imports nothing from numora until a fixture runs, so pytest sessions that never
use it pay nothing for it. Disable it with ``-p no:numora``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from numora import AsyncNumora, Numora
    from numora.testing import FakeNumora

__all__ = [
    "async_numora_client",
    "numora_client",
    "numora_fake",
    "numora_webhook_secret",
]

_MARKER = "numora_fake"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(**options): FakeNumora options for the numora_fake fixture of this test "
        "(e.g. processing_delay=0)",
    )


@pytest.fixture
def numora_fake(request: pytest.FixtureRequest) -> FakeNumora:
    """A fresh in-memory Numora for this test (options: ``@pytest.mark.numora_fake(...)``)."""
    from numora.testing import FakeNumora

    marker = request.node.get_closest_marker(_MARKER)
    options: dict[str, Any] = {}
    if marker is not None:
        if marker.args:
            raise TypeError(
                f"@pytest.mark.{_MARKER} takes FakeNumora keyword arguments only, "
                f"e.g. @pytest.mark.{_MARKER}(processing_delay=0)"
            )
        options = dict(marker.kwargs)
    return FakeNumora(**options)


@pytest.fixture
def numora_client(numora_fake: FakeNumora) -> Iterator[Numora]:
    """A :class:`numora.Numora` wired to ``numora_fake``; closed after the test."""
    with numora_fake.client() as client:
        yield client


@pytest.fixture
def async_numora_client(numora_fake: FakeNumora) -> Iterator[AsyncNumora]:
    """An :class:`numora.AsyncNumora` wired to ``numora_fake``; closed after the test.

    A sync fixture on purpose: an async one would need the test's async plugin to run it.
    """
    client = numora_fake.async_client()
    try:
        yield client
    finally:
        _close_without_event_loop(client)


def _close_without_event_loop(client: AsyncNumora) -> None:
    """Run ``client.aclose()`` to its end here, with no event loop.

    The fake's in-memory transport closes without waiting on anything, so the coroutine
    finishes at its first step; that works the same after asyncio, trio or no loop at all.
    """
    closing = client.aclose()
    try:
        closing.send(None)
    except StopIteration:
        return
    closing.close()
    raise RuntimeError("AsyncNumora.aclose() waited on I/O; close the client in your test")


@pytest.fixture
def numora_webhook_secret(numora_fake: FakeNumora) -> str:
    """The webhook secret of ``numora_fake``: what ``signed_events`` and new endpoints use."""
    return numora_fake.webhook_secret
