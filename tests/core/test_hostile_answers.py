"""Hostile or odd answers (issue 12): typed, bounded, and carrying the request id.

Retry-after values too large to represent, errors without the server's request id, error
bodies that are not Numora's JSON or are huge, and cursors that cycle.
"""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest
import respx
from core_helpers import DOCUMENT, GET, Api, error_body, route

from numora import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
)

pytestmark = pytest.mark.anyio

# --- retry-after and its cap ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "1e400", "Infinity"])
@pytest.mark.parametrize(
    ("status", "error"), [(429, RateLimitError), (503, ServiceUnavailableError)]
)
async def test_a_retry_after_too_large_to_represent_is_beyond_the_cap(
    api: Api, mock: respx.MockRouter, value: str, status: int, error: type[APIStatusError]
) -> None:
    answer = mock.route().respond(status, headers={"retry-after": value})

    err = await api.fails(error, GET.call, api.client(max_retries=3))

    assert answer.call_count == 1  # raised at once, like any retry-after over the cap
    assert api.clock.sleeps == []
    assert err.retry_after == math.inf


# --- request ids -------------------------------------------------------------------------


def sent_id(mock_route: respx.Route) -> str:
    value: str = mock_route.calls.last.request.headers["x-request-id"]
    return value


async def test_a_status_error_without_the_servers_id_carries_the_one_sent(
    api: Api, mock: respx.MockRouter
) -> None:
    answer = route(mock, GET)
    answer.return_value = httpx.Response(404, json=error_body("not_found", "No such document."))

    err = await api.fails(NotFoundError, GET.call, api.client())

    assert err.request_id == sent_id(answer)
    assert str(err) == f"404 not_found: No such document. (request id: {sent_id(answer)})"


async def test_the_servers_request_id_wins_over_the_one_sent(
    api: Api, mock: respx.MockRouter
) -> None:
    route(mock, GET).return_value = httpx.Response(
        404, json=error_body("not_found"), headers={"x-request-id": "req_server"}
    )

    err = await api.fails(NotFoundError, GET.call, api.client())

    assert err.request_id == "req_server"


@pytest.mark.parametrize(
    ("exception", "error"),
    [
        (httpx.ConnectError("refused"), APIConnectionError),
        (httpx.ReadTimeout("slow"), APITimeoutError),
        (httpx.RemoteProtocolError("reset"), APIConnectionError),
    ],
    ids=["connect", "timeout", "reset"],
)
async def test_a_transport_error_carries_and_shows_the_request_id(
    api: Api, mock: respx.MockRouter, exception: Exception, error: type[APIError]
) -> None:
    answer = route(mock, GET)
    answer.side_effect = exception

    err = await api.fails(error, GET.call, api.client(max_retries=1), request_id="req_mine_42")

    assert err.request_id == "req_mine_42" == sent_id(answer)
    assert "req_mine_42" in str(err)


async def test_a_validation_error_carries_the_request_id(api: Api, mock: respx.MockRouter) -> None:
    answer = route(mock, GET)
    answer.return_value = httpx.Response(200, content=b"<html>maintenance</html>")

    err = await api.fails(APIResponseValidationError, GET.call, api.client())

    assert err.request_id == sent_id(answer)
    assert sent_id(answer) in str(err)


# --- error bodies --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b'{"error": "not here"}', "not here"),
        (b'{"message": "gone fishing"}', "gone fishing"),
        (b"no such thing, sorry", "no such thing, sorry"),
        (b"[1, 2, 3]", "[1, 2, 3]"),
    ],
    ids=["error-is-a-string", "other-json", "plain-text", "array"],
)
async def test_a_non_standard_error_body_is_quoted_in_the_message(
    api: Api, mock: respx.MockRouter, content: bytes, said: str
) -> None:
    route(mock, GET).return_value = httpx.Response(404, content=content)

    err = await api.fails(NotFoundError, GET.call, api.client())

    assert said in err.message
    assert err.code is None


async def test_a_huge_error_message_makes_a_short_error(api: Api, mock: respx.MockRouter) -> None:
    route(mock, GET).return_value = httpx.Response(
        500, json=error_body("internal_error", "x" * 5_000_000)
    )

    err = await api.fails(InternalServerError, GET.call, api.client(max_retries=0))

    assert len(str(err)) < 5_000
    assert len(repr(err.args)) < 5_000
    assert err.response is not None and len(err.response.content) <= 64 * 1024


# --- pagination ----------------------------------------------------------------------------


def page(cursor: str | None) -> httpx.Response:
    return httpx.Response(200, json={"data": [DOCUMENT], "next_cursor": cursor})


async def walk(api: Api, client: Any) -> list[Any]:
    first = await api.call(lambda c: c.documents.list(), client)
    if api.kind == "async":
        return [d async for d in first]
    return list(first)


async def test_a_cursor_cycle_between_two_pages_stops_paging(
    api: Api, mock: respx.MockRouter
) -> None:
    # A -> B -> A: each cursor differs from the one just sent, yet paging would never end.
    listing = mock.get("/documents")
    listing.side_effect = [page("cur_A"), page("cur_B"), page("cur_A"), page("cur_B")] + [
        page("cur_A")
    ] * 20

    err = await api.fails(APIResponseValidationError, lambda c: walk(api, c), api.client())

    assert listing.call_count == 3
    assert "cur_A" in str(err) and "loop" in str(err)


async def test_a_cursor_equal_to_the_first_requests_cursor_stops_paging(
    api: Api, mock: respx.MockRouter
) -> None:
    listing = mock.get("/documents")
    listing.side_effect = [page("cur_B"), page("cur_start")]

    async def run(c: Any) -> list[Any]:
        first = await api.call(lambda c: c.documents.list(cursor="cur_start"), c)
        if api.kind == "async":
            return [d async for d in first]
        return list(first)

    await api.fails(APIResponseValidationError, run, api.client())
    assert listing.call_count == 2


async def test_fetching_the_same_next_page_twice_by_hand_is_fine(
    api: Api, mock: respx.MockRouter
) -> None:
    mock.get("/documents").side_effect = [page("cur_A"), page(None), page(None)]
    first = await api.call(lambda c: c.documents.list(), api.client())

    again = [await api.call(lambda _: first.next_page()) for _ in range(2)]

    assert [p.next_cursor for p in again] == [None, None]
