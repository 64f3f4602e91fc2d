"""Client lifecycle: with_options copies, closing, threads, fork, and event-loop binding."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import respx
from core_helpers import API_KEY, GET, Api, LocalServer, ok, route

from numora import AsyncNumora, ClientClosedError, Numora, ServiceUnavailableError

pytestmark = pytest.mark.anyio


# --- with_options ---------------------------------------------------------------------------


async def test_with_options_overrides_defaults_and_leaves_the_original(
    api: Api, mock: respx.MockRouter
) -> None:
    mock_route = route(mock, GET)
    mock_route.return_value = httpx.Response(503)
    client = api.client(max_retries=0, default_headers={"X-Team": "a", "X-Keep": "k"})
    copy = client.with_options(timeout=9, max_retries=1, default_headers={"X-Team": "b"})

    await api.fails(ServiceUnavailableError, GET.call, copy)
    assert mock_route.call_count == 2
    request = mock_route.calls.last.request
    assert request.extensions["timeout"]["read"] == 9
    assert request.headers["x-team"] == "b"
    assert request.headers["x-keep"] == "k"
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert (copy.max_retries, copy.timeout) == (1, httpx.Timeout(9))

    await api.fails(ServiceUnavailableError, GET.call, client)
    assert mock_route.call_count == 3
    request = mock_route.calls.last.request
    assert request.extensions["timeout"]["read"] == 60
    assert request.headers["x-team"] == "a"
    assert client.max_retries == 0


@pytest.mark.parametrize("options", [{"timeout": -1}, {"max_retries": -1}, {"max_retries": "3"}])
async def test_with_options_checks_its_arguments(api: Api, options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        api.client().with_options(**options)


async def test_with_options_shares_the_connection_pool(api: Api, server: LocalServer) -> None:
    client = api.client(base_url=server.base_url, timeout=5)
    copy = client.with_options(max_retries=0, default_headers={"X-Copy": "1"})

    await api.call(GET.call, client)
    await api.call(GET.call, copy)
    await api.call(GET.call, client.with_options(timeout=4))

    ports = server.ports()
    assert len(ports) == 3
    assert len(set(ports)) == 1, "the copies opened their own connections"
    assert server.seen[1].headers["x-copy"] == "1"


async def test_closing_a_copy_keeps_the_shared_pool_open(api: Api, server: LocalServer) -> None:
    client = api.client(base_url=server.base_url, timeout=5)
    copy = client.with_options(max_retries=0)

    await api.call(GET.call, client)
    await api.close(copy)
    doc = await api.call(GET.call, client)

    assert doc.id == "doc_1"
    assert len(set(server.ports())) == 1


# --- closing --------------------------------------------------------------------------------


def test_sync_context_manager_closes_the_pool(server: LocalServer) -> None:
    with Numora(api_key=API_KEY, base_url=server.base_url, timeout=5) as client:
        assert client.documents.retrieve("doc_1").id == "doc_1"
    with pytest.raises(RuntimeError, match="closed"):
        client.documents.retrieve("doc_1")
    client.close()  # twice is fine


async def test_async_context_manager_closes_the_pool(server: LocalServer) -> None:
    async with AsyncNumora(api_key=API_KEY, base_url=server.base_url, timeout=5) as client:
        assert (await client.documents.retrieve("doc_1")).id == "doc_1"
    with pytest.raises(RuntimeError, match="closed"):
        await client.documents.retrieve("doc_1")
    await client.aclose()  # twice is fine


async def test_closing_leaves_a_user_http_client_open(api: Api, mock: respx.MockRouter) -> None:
    route(mock, GET).return_value = ok(GET)
    http = api.http_client()
    client = api.client(http_client=http)

    await api.call(GET.call, client)
    await api.close(client)

    assert not http.is_closed  # yours to close: you may use it elsewhere
    await api.fails(ClientClosedError, GET.call, client)  # but this client is closed
    await api.close(http)


@pytest.mark.parametrize("cls", [Numora, AsyncNumora])
def test_no_cleanup_from_del(cls: type[Numora]) -> None:
    assert all("__del__" not in vars(klass) for klass in cls.__mro__ if klass is not object)

    client = cls(api_key=API_KEY, base_url="https://api.numora.example")
    client.with_options(max_retries=0)
    del client
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gc.collect()  # an unclosed client dropped without a loop schedules nothing


# --- threads --------------------------------------------------------------------------------


def test_sync_client_is_safe_to_share_across_threads(server: LocalServer) -> None:
    ids = [f"doc_{n}" for n in range(48)]
    with (
        Numora(api_key=API_KEY, base_url=server.base_url, timeout=5) as client,
        ThreadPoolExecutor(max_workers=8) as pool,
    ):
        results = list(pool.map(client.documents.retrieve, ids))

    assert [doc.id for doc in results] == ids
    sent_ids = {s.path.rsplit("/", 1)[-1]: s.headers["x-request-id"] for s in server.seen}
    assert [doc._request_id for doc in results] == [sent_ids[i] for i in ids]
    assert len({s.headers["x-request-id"] for s in server.seen}) == len(ids)
    assert len(set(server.ports())) <= 8  # connections are pooled, not one per call


# --- fork -----------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_reuse_the_parents_connection(server: LocalServer) -> None:
    with Numora(api_key=API_KEY, base_url=server.base_url, timeout=5) as client:
        copy = client.with_options(max_retries=0)
        client.documents.retrieve("doc_parent")
        with warnings.catch_warnings():
            # Python 3.12+ warns about forking a process with threads (the test server).
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the child: report through the exit code, never return into pytest
            code = 1
            try:
                client.documents.retrieve("doc_child")
                copy.documents.retrieve("doc_child_copy")
                code = 0
            finally:
                os._exit(code)
        deadline = time.monotonic() + 10
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                pytest.fail("the forked child hung")
            time.sleep(0.01)
        assert os.waitstatus_to_exitcode(status) == 0
        client.documents.retrieve("doc_parent_again")

    port = {s.path.rsplit("/", 1)[-1]: s.port for s in server.seen}
    assert port["doc_child"] != port["doc_parent"]
    assert port["doc_child_copy"] == port["doc_child"]  # the copy follows its client's new pool
    assert port["doc_parent_again"] == port["doc_parent"]  # the parent keeps its own


# --- event loops ----------------------------------------------------------------------------


def test_async_client_from_a_second_event_loop_fails_clearly(server: LocalServer) -> None:
    client = AsyncNumora(api_key=API_KEY, base_url=server.base_url, timeout=5)
    copy = client.with_options(max_retries=0)

    async def fetch(target: AsyncNumora) -> str:
        doc = await asyncio.wait_for(target.documents.retrieve("doc_1"), timeout=5)
        return doc.id

    assert asyncio.run(fetch(client)) == "doc_1"
    for target in (client, copy):
        started = time.monotonic()
        with pytest.raises(RuntimeError, match="event loop") as info:
            asyncio.run(fetch(target))
        assert "AsyncNumora" in str(info.value)
        assert time.monotonic() - started < 2
    assert len(server.seen) == 1


def test_async_client_created_outside_a_loop_binds_on_first_use(server: LocalServer) -> None:
    client = AsyncNumora(api_key=API_KEY, base_url=server.base_url, timeout=5)

    async def main() -> str:
        async with client:
            return (await client.documents.retrieve("doc_1")).id

    assert asyncio.run(main()) == "doc_1"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX only")
def test_sync_client_unaffected_by_event_loops(server: LocalServer) -> None:
    with Numora(api_key=API_KEY, base_url=server.base_url, timeout=5) as client:

        async def main() -> str:
            return client.documents.retrieve("doc_1").id

        assert asyncio.run(main()) == "doc_1"
        assert asyncio.run(main()) == "doc_1"
