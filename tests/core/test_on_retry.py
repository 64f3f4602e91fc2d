"""``on_retry=``: a callback before each retry wait, and the same fields on the retry log."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import httpx
import pytest
import respx
from core_helpers import GET, OPS, Api, ok, route

import numora
from numora import NotFoundError, RetryInfo

pytestmark = pytest.mark.anyio

TEMPLATE = "/v1/documents/{document_id}"


class Recorder:
    """An on_retry callback that keeps what it got, and what the clock had slept by then."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.infos: list[RetryInfo] = []
        self.slept_before: list[int] = []

    def __call__(self, info: RetryInfo) -> None:
        self.infos.append(info)
        self.slept_before.append(len(self.api.clock.sleeps))


async def test_on_retry_is_called_before_each_retry_wait_with_what_happened(
    api: Api, mock: respx.MockRouter
) -> None:
    seen = Recorder(api)
    route(mock, GET).side_effect = [
        httpx.Response(503, headers={"retry-after": "1.5"}),
        httpx.ConnectError("refused"),
        ok(GET),
    ]

    await api.call(GET.call, api.client(on_retry=seen), request_id="req_hooked")

    first, second = seen.infos
    assert first == RetryInfo(
        method="GET",
        route=TEMPLATE,
        path="/v1/documents/doc_1",
        attempt=1,
        max_retries=2,
        delay=1.5,
        reason="503",
        status_code=503,
        request_id="req_hooked",
    )
    assert (second.attempt, second.reason, second.status_code) == (2, "httpx.ConnectError", None)
    assert second.delay == api.clock.sleeps[1]
    assert seen.slept_before == [0, 1]  # called before the wait it announces


async def test_the_calls_max_retries_is_reported(api: Api, mock: respx.MockRouter) -> None:
    seen = Recorder(api)
    route(mock, GET).side_effect = [httpx.Response(500)] * 4 + [ok(GET)]

    await api.call(GET.call, api.client(on_retry=seen), max_retries=4)

    assert [(i.attempt, i.max_retries) for i in seen.infos] == [(1, 4), (2, 4), (3, 4), (4, 4)]


async def test_on_retry_is_not_called_without_a_retry(api: Api, mock: respx.MockRouter) -> None:
    seen = Recorder(api)
    route(mock, GET).side_effect = [ok(GET), httpx.Response(404, json={})]
    client = api.client(on_retry=seen)

    await api.call(GET.call, client)
    await api.fails(NotFoundError, GET.call, client)

    assert seen.infos == []


async def test_a_callback_that_raises_is_logged_and_the_call_goes_on(
    api: Api, mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(info: RetryInfo) -> None:
        raise RuntimeError("metrics backend is down")

    route(mock, GET).side_effect = [httpx.Response(503), httpx.Response(503), ok(GET)]
    caplog.set_level(logging.WARNING, logger="numora")

    result = await api.call(GET.call, api.client(on_retry=broken), request_id="req_broken")

    assert result.id == "doc_1"
    warnings = [r for r in caplog.records if r.name == "numora" and r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert "on_retry" in warnings[0].getMessage() and "req_broken" in warnings[0].getMessage()
    assert warnings[0].exc_info is not None
    assert "metrics backend is down" in str(warnings[0].exc_info[1])
    assert warnings[0].numora_request_id == "req_broken"  # type: ignore[attr-defined]


async def test_with_options_keeps_replaces_or_removes_the_callback(
    api: Api, mock: respx.MockRouter
) -> None:
    first, second = Recorder(api), Recorder(api)
    route(mock, GET).side_effect = [httpx.Response(503), ok(GET)] * 3
    client = api.client(on_retry=first)

    await api.call(GET.call, client.with_options(max_retries=1))
    await api.call(GET.call, client.with_options(on_retry=second))
    await api.call(GET.call, client.with_options(on_retry=None))

    assert len(first.infos) == 1 and len(second.infos) == 1


async def test_a_wait_helper_reports_the_retries_of_its_polls(
    api: Api, mock: respx.MockRouter
) -> None:
    seen = Recorder(api)
    processing = httpx.Response(200, json={**GET.body, "status": "processing"})
    route(mock, GET).side_effect = [processing, httpx.Response(502), ok(GET)]

    await api.call(lambda c: c.documents.wait("doc_1"), api.client(on_retry=seen))

    assert [(i.route, i.reason) for i in seen.infos] == [(TEMPLATE, "502")]


async def test_an_unsafe_post_that_is_not_retried_calls_nothing(
    api: Api, mock: respx.MockRouter
) -> None:
    seen = Recorder(api)
    op = OPS["post_unkeyed_dispatch"]
    route(mock, op).side_effect = [httpx.Response(503)]

    await api.fails(numora.ServiceUnavailableError, op.call, api.client(on_retry=seen))

    assert seen.infos == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("print", "on_retry must be a function taking a numora.RetryInfo"),
        (42, "on_retry must be a function taking a numora.RetryInfo"),
    ],
)
@pytest.mark.parametrize("cls", [numora.Numora, numora.AsyncNumora])
def test_on_retry_must_be_callable(cls: type[numora.Numora], value: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        cls(api_key="sk_test_x", base_url="https://api.numora.example", on_retry=value)
    client = cls(api_key="sk_test_x", base_url="https://api.numora.example")
    with pytest.raises(TypeError, match=message):
        client.with_options(on_retry=value)


@pytest.mark.parametrize("cls", [numora.Numora, numora.AsyncNumora])
def test_an_async_callback_is_refused_with_what_to_do(cls: type[numora.Numora]) -> None:
    async def report(info: RetryInfo) -> None:
        pass

    class Reporter:
        async def __call__(self, info: RetryInfo) -> None:
            pass

    for callback in (report, Reporter()):
        with pytest.raises(TypeError, match=r"plain function.*create_task"):
            cls(api_key="sk_test_x", base_url="https://api.numora.example", on_retry=callback)


def test_retry_info_is_a_public_frozen_dataclass() -> None:
    assert "RetryInfo" in numora.__all__
    info = RetryInfo("GET", None, "/v1/x", 1, 2, 0.5, "503", 503, "req_1")
    assert dataclasses.is_dataclass(info)
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.attempt = 2  # type: ignore[misc]
    assert RetryInfo.__doc__ and "on_retry" in RetryInfo.__doc__
