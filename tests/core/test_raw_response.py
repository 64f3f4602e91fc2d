"""Raw access (``with_raw_response``) and the request id of normal results."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import httpx
import pytest
import respx
from core_helpers import GET, OPS, Api, Op, ok, route

from numora import APIResponse, NotFoundError
from numora.types import Document

pytestmark = pytest.mark.anyio

RATE_HEADERS = {
    "x-request-id": "req_raw_1",
    "x-rate-limit-limit": "600",
    "x-rate-limit-remaining": "599",
    "x-rate-limit-reset": "1774102800",  # 2026-03-21T14:20:00Z
}


@pytest.mark.parametrize("op", OPS.values(), ids=list(OPS))
async def test_raw_response_exposes_the_http_details_and_parses(
    api: Api, mock: respx.MockRouter, op: Op
) -> None:
    route(mock, op).return_value = ok(op, headers=RATE_HEADERS)

    response = await api.call(lambda c, **o: op.call(c.with_raw_response, **o), api.client())

    assert isinstance(response, APIResponse)
    assert response.status_code == op.status
    assert response.headers["x-rate-limit-limit"] == "600"
    assert response.request_id == "req_raw_1"
    assert response.rate_limit.limit == 600
    assert response.rate_limit.remaining == 599
    assert response.rate_limit.reset_at == datetime(2026, 3, 21, 14, 20, tzinfo=timezone.utc)
    assert response.retries_taken == 0
    assert isinstance(response.elapsed, timedelta)
    assert response.elapsed >= timedelta(0)
    parsed = response.parse()
    assert parsed.to_dict() == type(parsed).from_dict(op.body).to_dict()
    assert response.parse() is parsed  # parsed once


async def test_raw_response_counts_retries(api: Api, mock: respx.MockRouter) -> None:
    route(mock, GET).side_effect = [httpx.Response(503), httpx.ConnectError("x"), ok(GET)]

    response = await api.call(
        lambda c: c.with_raw_response.documents.retrieve("doc_1"), api.client()
    )

    assert response.retries_taken == 2
    assert isinstance(response.parse(), Document)


async def test_rate_limit_reset_in_seconds_from_now(api: Api, mock: respx.MockRouter) -> None:
    route(mock, GET).return_value = ok(GET, headers={"x-rate-limit-reset": "30"})

    response = await api.call(
        lambda c: c.with_raw_response.documents.retrieve("doc_1"), api.client()
    )

    reset_at = response.rate_limit.reset_at
    assert reset_at is not None and reset_at.tzinfo is not None
    assert abs(reset_at.timestamp() - (time.time() + 30)) < 5


@pytest.mark.parametrize(
    "headers",
    [{}, {"x-rate-limit-limit": "many", "x-rate-limit-remaining": "", "x-rate-limit-reset": "x"}],
)
async def test_missing_or_malformed_rate_limit_headers_are_none(
    api: Api, mock: respx.MockRouter, headers: dict[str, str]
) -> None:
    route(mock, GET).return_value = ok(GET, headers=headers)

    response = await api.call(
        lambda c: c.with_raw_response.documents.retrieve("doc_1"), api.client()
    )

    limit = response.rate_limit
    assert (limit.limit, limit.remaining, limit.reset_at) == (None, None, None)
    assert response.request_id is None


async def test_raw_response_raises_the_same_errors(api: Api, mock: respx.MockRouter) -> None:
    route(mock, GET).return_value = httpx.Response(
        404, json={"error": {"code": "not_found", "message": "No."}}
    )

    await api.fails(NotFoundError, lambda c: c.with_raw_response.documents.retrieve("doc_1"))


@pytest.mark.parametrize("op", OPS.values(), ids=list(OPS))
async def test_a_normal_result_carries_its_request_id(
    api: Api, mock: respx.MockRouter, op: Op
) -> None:
    route(mock, op).return_value = ok(op, headers={"x-request-id": "req_norm_9"})

    result = await api.call(op.call, api.client())

    assert result._request_id == "req_norm_9"


async def test_request_id_does_not_change_equality(api: Api, mock: respx.MockRouter) -> None:
    route(mock, GET).side_effect = [
        ok(GET, headers={"x-request-id": "req_a"}),
        ok(GET, headers={"x-request-id": "req_b"}),
    ]
    client = api.client()

    first = await api.call(GET.call, client)
    second = await api.call(GET.call, client)

    assert (first._request_id, second._request_id) == ("req_a", "req_b")
    assert first == second
    assert Document.from_dict(GET.body)._request_id is None
