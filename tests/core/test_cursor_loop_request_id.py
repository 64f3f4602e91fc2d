"""The error that stops a cursor loop carries a request id (found while documenting issue 12).

Every other ``APIError`` carries the id of its call (issue 12, finding 8); the one raised when
the API hands back a cursor already followed is built without a request, so it shows none.
"""

from __future__ import annotations

from typing import Any

import httpx
import respx
from core_helpers import DOCUMENT, Api

from numora import APIResponseValidationError


def page(cursor: str | None) -> httpx.Response:
    return httpx.Response(200, json={"data": [DOCUMENT], "next_cursor": cursor})


async def test_the_error_that_stops_a_cursor_loop_carries_a_request_id(
    api: Api, mock: respx.MockRouter
) -> None:
    mock.get("/documents").side_effect = [page("cur_A"), page("cur_B"), page("cur_A")]

    async def walk(client: Any) -> list[Any]:
        first = await api.call(lambda c: c.documents.list(), client)
        if api.kind == "async":
            return [d async for d in first]
        return list(first)

    err = await api.fails(APIResponseValidationError, walk, api.client())

    assert err.request_id is not None
    assert f"(request id: {err.request_id})" in str(err)
