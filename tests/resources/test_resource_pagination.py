"""Cursor pagination: every item of every page, filters repeated, lazy, and never looping."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from numora import APIResponse, APIResponseValidationError, AsyncNumora, AsyncPaginator, SyncPage
from numora.types import Document, OutboxItem, Workflow

from ._cases import CASES, DOCUMENT, OUTBOX_ITEM, WORKFLOW, outbox_page, page
from .conftest import API_KEY, BASE_URL, Api, walk

pytestmark = pytest.mark.anyio


def doc(n: int) -> dict[str, Any]:
    return {**DOCUMENT, "id": f"doc_{n}"}


def pages_by_cursor(
    server: respx.MockRouter, path: str, pages: dict[str | None, dict[str, Any]]
) -> respx.Route:
    """A route answering each ``cursor`` query value (``None``: no cursor) with its page.

    After 10 requests it answers 400, so a client that loops fails instead of hanging.
    """
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if len(sent) > 10:
            return httpx.Response(
                400, json={"error": {"code": "invalid_payload", "message": "loop"}}
            )
        cursor = request.url.params.get("cursor")
        if cursor not in pages:
            return httpx.Response(404, json={"error": {"code": "not_found", "message": cursor}})
        return httpx.Response(200, json=pages[cursor])

    return server.get(path).mock(side_effect=answer)


THREE_PAGES = {
    None: page(doc(1), doc(2), next_cursor="cur_1"),
    "cur_1": page(doc(3), doc(4), next_cursor="cur_2"),
    "cur_2": page(doc(5)),
}


async def test_iterating_walks_every_page_and_repeats_every_filter(
    api: Api, server: respx.MockRouter
) -> None:
    route = pages_by_cursor(server, "/documents", THREE_PAGES)

    first = await api(
        lambda c: c.documents.list(
            status="review_required", schema="invoice_v2", external_id="erp-1", limit=2
        )
    )
    items = await walk(first)

    assert [d.id for d in items] == [f"doc_{n}" for n in range(1, 6)]
    assert all(isinstance(d, Document) for d in items)
    filters = {"status": "review_required", "schema": "invoice_v2", "external_id": "erp-1"}
    sent = [dict(call.request.url.params) for call in route.calls]
    assert sent == [
        {**filters, "limit": "2"},
        {**filters, "limit": "2", "cursor": "cur_1"},
        {**filters, "limit": "2", "cursor": "cur_2"},
    ]


async def test_limit_is_the_page_size_not_a_total(api: Api, server: respx.MockRouter) -> None:
    pages_by_cursor(server, "/documents", THREE_PAGES)

    items = await walk(await api(lambda c: c.documents.list(limit=2)))

    assert len(items) == 5


@pytest.mark.parametrize(
    ("limit", "error", "says"),
    [
        (0, ValueError, "page size"),
        (101, ValueError, "page size"),
        (-1, ValueError, "page size"),
        (True, TypeError, "must be int | None, got bool"),
        (2.0, TypeError, "must be int | None, got float"),
        ("10", TypeError, "must be int | None, got str"),
    ],
)
async def test_a_limit_outside_1_to_100_is_refused_before_sending(
    api: Api, server: respx.MockRouter, limit: object, error: type[Exception], says: str
) -> None:
    route = server.route().respond(500)
    with pytest.raises(error, match=re.escape(says)):
        await api(lambda c: c.documents.list(limit=limit))
    assert not route.called


async def test_the_legacy_outbox_cursor_is_read_from_meta(
    api: Api, server: respx.MockRouter
) -> None:
    route = pages_by_cursor(
        server,
        "/delivery/outbox",
        {
            None: outbox_page(OUTBOX_ITEM, next_cursor="cur_m1"),
            "cur_m1": outbox_page({**OUTBOX_ITEM, "document_id": "doc_2"}),
        },
    )

    with pytest.warns(DeprecationWarning):
        first = await api(lambda c: c.delivery.outbox.list(provider="dynamics365"))
    items = await walk(first)

    assert [i.document_id for i in items] == ["doc_01jpwq8x4r2m3n", "doc_2"]
    assert all(isinstance(i, OutboxItem) for i in items)
    assert [dict(call.request.url.params) for call in route.calls] == [
        {"provider": "dynamics365"},
        {"provider": "dynamics365", "cursor": "cur_m1"},
    ]


LAST_PAGES: dict[str, dict[str, Any]] = {
    "null": {"data": [WORKFLOW], "next_cursor": None},
    "absent": {"data": [WORKFLOW]},
    "empty": {"data": [WORKFLOW], "next_cursor": ""},
    "meta-null": {"data": [WORKFLOW], "meta": {"next_cursor": None}},
    "meta-empty": {"data": [WORKFLOW], "meta": {"next_cursor": ""}},
}


@pytest.mark.parametrize("last", LAST_PAGES.values(), ids=LAST_PAGES.keys())
async def test_a_null_absent_or_empty_cursor_ends_the_walk(
    api: Api, server: respx.MockRouter, last: dict[str, Any]
) -> None:
    route = pages_by_cursor(
        server,
        "/workflows",
        {None: page({**WORKFLOW, "id": "wf_0"}, next_cursor="cur_1"), "cur_1": last},
    )

    first = await api(lambda c: c.workflows.list())
    items = await walk(first)

    assert [w.id for w in items] == ["wf_0", "wf_1"]
    assert all(isinstance(w, Workflow) for w in items)
    assert route.call_count == 2


async def test_an_empty_last_page_ends_the_walk(api: Api, server: respx.MockRouter) -> None:
    pages_by_cursor(
        server, "/workflows", {None: page(WORKFLOW, next_cursor="cur_1"), "cur_1": page()}
    )

    assert [w.id for w in await walk(await api(lambda c: c.workflows.list()))] == ["wf_1"]


async def test_a_cursor_equal_to_the_one_just_sent_raises_instead_of_looping(
    api: Api, server: respx.MockRouter
) -> None:
    route = pages_by_cursor(
        server,
        "/documents",
        {None: page(doc(1), next_cursor="cur_1"), "cur_1": page(doc(2), next_cursor="cur_1")},
    )
    seen: list[str] = []

    first = await api(lambda c: c.documents.list())
    with pytest.raises(APIResponseValidationError, match="cur_1"):
        if isinstance(first, SyncPage):
            seen.extend(d.id for d in first)
        else:
            async for d in first:
                seen.append(d.id)

    assert seen == ["doc_1", "doc_2"]  # every item before the loop was still yielded
    assert route.call_count == 2


async def test_the_loop_guard_also_covers_a_cursor_passed_by_the_caller(
    api: Api, server: respx.MockRouter
) -> None:
    route = pages_by_cursor(server, "/documents", {"cur_9": page(doc(9), next_cursor="cur_9")})

    first = await api(lambda c: c.documents.list(cursor="cur_9"))
    with pytest.raises(APIResponseValidationError):
        await walk(first)
    assert route.call_count == 1


async def test_the_next_page_is_fetched_only_when_the_first_is_used_up(
    api: Api, server: respx.MockRouter
) -> None:
    route = pages_by_cursor(server, "/documents", THREE_PAGES)
    first = await api(lambda c: c.documents.list(limit=2))
    assert route.call_count == 1

    if isinstance(first, SyncPage):
        items = iter(first)
        ids = [next(items).id, next(items).id]
        assert route.call_count == 1
        ids.append(next(items).id)
    else:
        aitems = aiter(first)
        ids = [(await anext(aitems)).id, (await anext(aitems)).id]
        assert route.call_count == 1
        ids.append((await anext(aitems)).id)
        await aitems.aclose()

    assert ids == ["doc_1", "doc_2", "doc_3"]
    assert route.call_count == 2


async def test_a_walk_keeps_one_page_alive_not_every_page(
    api: Api, server: respx.MockRouter
) -> None:
    alive_at_page_3: set[str] = set()

    def answer(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("cursor")
        if cursor == "cur_2":
            gc.collect()
            alive_at_page_3.update(o.id for o in gc.get_objects() if type(o) is Document)
        return httpx.Response(200, json=THREE_PAGES[cursor])

    server.get("/documents").mock(side_effect=answer)
    first = await api(lambda c: c.documents.list(limit=2))
    ids = []
    if isinstance(first, SyncPage):
        for each in first:
            ids.append(each.id)
    else:
        async for each in first:
            ids.append(each.id)

    assert ids == [f"doc_{n}" for n in range(1, 6)]
    # The first page is the object iterated, doc_4 the loop's variable; doc_3 is gone.
    assert "doc_3" not in alive_at_page_3
    assert alive_at_page_3 <= {"doc_1", "doc_2", "doc_4"}


async def test_async_list_can_be_used_directly_with_async_for(server: respx.MockRouter) -> None:
    route = pages_by_cursor(server, "/documents", THREE_PAGES)
    async with AsyncNumora(API_KEY, base_url=BASE_URL) as client:
        paginator = client.documents.list(limit=2)
        assert isinstance(paginator, AsyncPaginator)
        assert route.call_count == 0  # nothing is sent until it is awaited or iterated
        ids = [d.id async for d in paginator]

    assert ids == [f"doc_{n}" for n in range(1, 6)]
    assert route.call_count == 3


async def test_page_objects_expose_data_cursor_and_navigation(
    api: Api, server: respx.MockRouter
) -> None:
    pages_by_cursor(server, "/documents", THREE_PAGES)

    first = await api(lambda c: c.documents.list(limit=2))

    assert [d.id for d in first.data] == ["doc_1", "doc_2"]
    assert first.next_cursor == "cur_1"
    assert first.has_next_page()

    async def resolve(value: Any) -> Any:
        return await value if api.is_async else value

    second = await resolve(first.next_page())
    assert [d.id for d in second.data] == ["doc_3", "doc_4"]
    assert second.next_cursor == "cur_2"
    third = await resolve(second.next_page())
    assert [d.id for d in third.data] == ["doc_5"]
    assert third.next_cursor is None
    assert not third.has_next_page()

    if api.is_async:
        walked = [[d.id for d in p.data] async for p in first.iter_pages()]
    else:
        walked = [[d.id for d in p.data] for p in first.iter_pages()]
    assert walked == [["doc_1", "doc_2"], ["doc_3", "doc_4"], ["doc_5"]]
    # iterating any page walks from that page on
    assert [d.id for d in await walk(second)] == ["doc_3", "doc_4", "doc_5"]


PAGED_ROUTES: list[tuple[str, Callable[[Any], Any], str]] = [
    ("schemas", lambda c: c.schemas.list(), "/schemas"),
    ("destinations", lambda c: c.destinations.list(), "/destinations"),
    ("runs.logs", lambda c: c.runs.logs.list("run_1"), "/runs/run_1/logs"),
    ("webhook_endpoints", lambda c: c.webhook_endpoints.list(), "/webhook-endpoints"),
    (
        "webhook_endpoints.deliveries",
        lambda c: c.webhook_endpoints.deliveries.list("whe_1"),
        "/webhook-endpoints/whe_1/deliveries",
    ),
    ("api_keys", lambda c: c.api_keys.list(), "/api-keys"),
]


@pytest.mark.parametrize(("name", "call", "path"), PAGED_ROUTES, ids=[r[0] for r in PAGED_ROUTES])
async def test_every_list_follows_next_cursor(
    api: Api, server: respx.MockRouter, name: str, call: Callable[[Any], Any], path: str
) -> None:
    item = next(c for c in CASES if c.name == f"{name}.list").response["data"][0]
    route = pages_by_cursor(
        server, path, {None: page(item, next_cursor="cur_a"), "cur_a": page(item, item)}
    )

    assert len(await walk(await api(call))) == 3
    assert [call.request.url.params.get("cursor") for call in route.calls] == [None, "cur_a"]


async def test_a_raw_list_parses_to_a_page_that_still_walks(
    api: Api, server: respx.MockRouter
) -> None:
    route = pages_by_cursor(server, "/documents", THREE_PAGES)

    response = await api.raw(lambda c: c.documents.list(status="reviewed", limit=2))

    assert isinstance(response, APIResponse)
    first = response.parse()
    assert isinstance(first, api.page_type)
    assert [d.id for d in await walk(first)] == [f"doc_{n}" for n in range(1, 6)]
    assert [call.request.url.params.get("status") for call in route.calls] == ["reviewed"] * 3
