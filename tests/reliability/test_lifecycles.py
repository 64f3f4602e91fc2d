"""Lifecycles: fork, a second event loop, closing twice, using a closed client."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
from reliability_helpers import pool_connections

from numora import AsyncNumora, Numora
from numora.testing import FakeNumora

FILE_URL = "https://files.example/invoice.pdf"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_makes_its_own_connections(fake: FakeNumora, make_client: Any) -> None:
    client: Numora = make_client()
    # An idle connection is closed after 5 s; a busy machine can take that long for the
    # child's turn, and this test is about the child not touching it, not about expiry.
    client._http._transport._pool._keepalive_expiry = None
    doc = client.documents.create(schema="invoice_v2", file_url=FILE_URL, external_id="f-1")
    parent_connection = pool_connections(client)[0]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report through the pipe, never return into pytest
        code = 1
        try:
            fresh = pool_connections(client) == []
            got = client.documents.retrieve(doc.id)
            child_connection = pool_connections(client)[0]
            if fresh and got.id == doc.id and child_connection is not parent_connection:
                code = 0
            client.close()
        finally:
            os.write(write, bytes([code]))
            os._exit(code)
    os.close(write)
    try:
        reported = os.read(read, 1)
    finally:
        os.close(read)
        _, status = os.waitpid(pid, 0)
    assert reported == b"\x00" and os.waitstatus_to_exitcode(status) == 0
    # The parent's own connection was never touched by the child: it still works.
    assert client.documents.retrieve(doc.id).id == doc.id
    assert pool_connections(client) == [parent_connection]


def test_an_async_client_refuses_a_second_event_loop(fake: FakeNumora, base_url: str) -> None:
    client = AsyncNumora(api_key=fake.api_key, base_url=base_url)

    async def use() -> str:
        return (await client.documents.create(schema="invoice_v2", file_url=FILE_URL)).id

    assert asyncio.run(use())
    with pytest.raises(RuntimeError, match="event loop"):
        asyncio.run(use())


def test_closing_twice_is_harmless_and_a_closed_client_says_so(
    fake: FakeNumora, base_url: str
) -> None:
    client = Numora(api_key=fake.api_key, base_url=base_url)
    copy = client.with_options(max_retries=0)
    client.documents.list()
    copy.close()  # a copy shares the pool and does not close it
    assert client.documents.list().data is not None
    client.close()
    client.close()
    with client:
        pass
    with pytest.raises(RuntimeError, match="closed"):
        client.documents.list()


@pytest.mark.anyio
async def test_async_closing_twice_is_harmless(fake: FakeNumora, base_url: str) -> None:
    async with AsyncNumora(api_key=fake.api_key, base_url=base_url) as client:
        await client.documents.list()
    await client.aclose()
    await client.aclose()
    assert pool_connections(client) == []
