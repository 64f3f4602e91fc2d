"""Retries: which outcomes are replayed for which calls, how often, and after how long."""

from __future__ import annotations

import email.utils
import logging
import time
from dataclasses import dataclass

import httpx
import pytest
import respx
from core_helpers import API_ROOT, GET, OPS, Api, Op, error_body, ok, route

import numora
from numora import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    RateLimitError,
    ServiceUnavailableError,
)

pytestmark = pytest.mark.anyio

# Backoff before retry n (1-based): 0.5 s doubling, capped at 8 s, plus 0..0.25 s jitter.
BACKOFF = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
JITTER = 0.25


@dataclass(frozen=True)
class Outcome:
    """What every attempt gets: a transport failure or an error status."""

    name: str
    error: type[Exception]  # what the caller sees once the SDK gives up
    exception: type[httpx.TransportError] | None = None
    status: int | None = None
    code: str | None = None
    retryable: bool = True
    proves_not_processed: bool = False  # connection never opened, or a 429

    def respond(self, mock_route: respx.Route) -> None:
        if self.exception is not None:
            mock_route.side_effect = self.exception
        else:
            assert self.status is not None and self.code is not None
            mock_route.return_value = httpx.Response(
                self.status, json=error_body(self.code), headers={"x-request-id": "req_srv"}
            )


OUTCOMES = [
    Outcome("connect_error", APIConnectionError, httpx.ConnectError, proves_not_processed=True),
    Outcome("connect_timeout", APITimeoutError, httpx.ConnectTimeout, proves_not_processed=True),
    Outcome("pool_timeout", APITimeoutError, httpx.PoolTimeout, proves_not_processed=True),
    Outcome("read_timeout", APITimeoutError, httpx.ReadTimeout),
    Outcome("write_timeout", APITimeoutError, httpx.WriteTimeout),
    Outcome("reset_after_send", APIConnectionError, httpx.RemoteProtocolError),
    Outcome("read_error", APIConnectionError, httpx.ReadError),
    Outcome("408", APIStatusError, status=408, code="request_timeout"),
    Outcome("429", RateLimitError, status=429, code="rate_limited", proves_not_processed=True),
    Outcome("500", InternalServerError, status=500, code="internal_error"),
    Outcome("502", ProviderError, status=502, code="provider_error"),
    Outcome("503", ServiceUnavailableError, status=503, code="service_unavailable"),
    Outcome("504", ServiceUnavailableError, status=504, code="gateway_timeout"),
    Outcome("400", BadRequestError, status=400, code="invalid_payload", retryable=False),
    Outcome("403", PermissionDeniedError, status=403, code="forbidden", retryable=False),
    Outcome("404", NotFoundError, status=404, code="not_found", retryable=False),
    Outcome("409", ConflictError, status=409, code="conflict", retryable=False),
    Outcome("422", BadRequestError, status=422, code="invalid_schema", retryable=False),
]


def backoff_ok(sleeps: list[float]) -> bool:
    return len(sleeps) <= len(BACKOFF) and all(
        BACKOFF[n] <= delay <= BACKOFF[n] + JITTER for n, delay in enumerate(sleeps)
    )


def assert_backoff(sleeps: list[float]) -> None:
    assert backoff_ok(sleeps), sleeps


@pytest.mark.parametrize("outcome", OUTCOMES, ids=[o.name for o in OUTCOMES])
async def test_retry_matrix(api: Api, outcome: Outcome) -> None:
    """Outcome x method x keyed/unkeyed -> attempts made, delays used, error raised.

    One row per call of ``OPS``; all mismatches are reported together as a table.
    """
    client = api.client(max_retries=2)
    problems: list[str] = []
    for op in OPS.values():
        retried = outcome.retryable and (op.replayable() or outcome.proves_not_processed)
        api.clock.sleeps.clear()
        with respx.mock(base_url=API_ROOT) as mock:
            mock_route = route(mock, op)
            outcome.respond(mock_route)
            try:
                await api.call(op.call, client)
            except outcome.error as exc:
                err: Exception = exc
            else:
                problems.append(f"{op.name}: no {outcome.error.__name__} raised")
                continue
        row = f"{op.name} ({op.method}, keyed={op.keyed})"
        attempts = mock_route.call_count
        if attempts != (3 if retried else 1):
            problems.append(f"{row}: {attempts} attempts, expected {3 if retried else 1}")
        if len(api.clock.sleeps) != (2 if retried else 0):
            problems.append(f"{row}: slept {api.clock.sleeps}")
        if not backoff_ok(api.clock.sleeps):
            problems.append(f"{row}: delays {api.clock.sleeps} are not the backoff")
        sent = [call.request.headers for call in mock_route.calls]
        if [h["x-numora-retry-count"] for h in sent] != [str(n) for n in range(len(sent))]:
            problems.append(f"{row}: retry counts {[h['x-numora-retry-count'] for h in sent]}")
        if len({h["x-request-id"] for h in sent}) != 1:
            problems.append(f"{row}: request id changed across retries")
        if outcome.retryable and not retried:
            # An ambiguous failure of an unkeyed POST says it was not retried, and a create
            # says how to make it safe (external_id); other POSTs say to check the state.
            wanted = "external_id" if op.name == "post_unkeyed_create" else "current state"
            if "not retried" not in str(err) or wanted not in str(err):
                problems.append(f"{row}: error does not say 'not retried' / {wanted!r}: {err}")
        if outcome.status is not None and getattr(err, "status_code", None) != outcome.status:
            problems.append(f"{row}: status_code {getattr(err, 'status_code', None)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("op", OPS.values(), ids=list(OPS))
async def test_success_after_retries_returns_the_result(
    api: Api, mock: respx.MockRouter, op: Op
) -> None:
    mock_route = route(mock, op)
    mock_route.side_effect = [httpx.ConnectError("refused"), httpx.Response(429), ok(op)]

    raw = await api.call(
        lambda c, **o: op.call(c.with_raw_response, **o), api.client(max_retries=2)
    )

    assert raw.retries_taken == 2
    assert raw.parse() == type(raw.parse()).from_dict(op.body)
    assert mock_route.call_count == 3
    assert_backoff(api.clock.sleeps)


@pytest.mark.parametrize("max_retries", [0, 1, 2, 5])
async def test_max_retries_bounds_attempts(
    api: Api, mock: respx.MockRouter, max_retries: int
) -> None:
    mock_route = route(mock, GET)
    mock_route.return_value = httpx.Response(503)

    await api.fails(ServiceUnavailableError, GET.call, api.client(max_retries=max_retries))

    assert mock_route.call_count == max_retries + 1
    assert len(api.clock.sleeps) == max_retries


async def test_per_call_max_retries_overrides_the_client(api: Api, mock: respx.MockRouter) -> None:
    mock_route = route(mock, GET)
    mock_route.return_value = httpx.Response(503)
    client = api.client(max_retries=5)

    await api.fails(ServiceUnavailableError, GET.call, client, max_retries=0)
    assert mock_route.call_count == 1

    await api.fails(ServiceUnavailableError, GET.call, client, max_retries=1)
    assert mock_route.call_count == 1 + 2


async def test_backoff_doubles_to_8_seconds_with_jitter(api: Api, mock: respx.MockRouter) -> None:
    route(mock, GET).return_value = httpx.Response(500)

    await api.fails(InternalServerError, GET.call, api.client(max_retries=7))

    assert_backoff(api.clock.sleeps)
    assert len(api.clock.sleeps) == 7
    # Jitter is random in [0, 0.25]: seven draws all landing on exactly 0 means there is none.
    assert any(d > base for d, base in zip(api.clock.sleeps, BACKOFF, strict=True))


def http_date(seconds_from_now: float) -> str:
    return email.utils.formatdate(time.time() + seconds_from_now, usegmt=True)


@pytest.mark.parametrize(
    ("retry_after", "low", "high"),
    [
        pytest.param("2", 2.0, 2.0, id="seconds"),
        pytest.param("1.5", 1.5, 1.5, id="fractional"),
        pytest.param(" 3 ", 3.0, 3.0, id="padded"),
        pytest.param("60", 60.0, 60.0, id="at-the-cap"),
        pytest.param("date+30", 28.0, 31.0, id="http-date"),
        # Not usable: fall back on backoff. (Too large to represent, "inf" or "1e400", is
        # beyond the cap instead: test_hardening.py.)
        pytest.param("date-30", 0.5, 0.75, id="past-http-date"),
        pytest.param("0", 0.5, 0.75, id="zero"),
        pytest.param("-5", 0.5, 0.75, id="negative"),
        pytest.param("soon", 0.5, 0.75, id="garbage"),
        pytest.param("nan", 0.5, 0.75, id="nan"),
        pytest.param("", 0.5, 0.75, id="empty"),
    ],
)
@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_sets_the_delay(
    api: Api, mock: respx.MockRouter, status: int, retry_after: str, low: float, high: float
) -> None:
    if retry_after.startswith("date"):
        retry_after = http_date(float(retry_after[4:]))
    route(mock, GET).side_effect = [
        httpx.Response(status, headers={"retry-after": retry_after}),
        ok(GET),
    ]

    doc = await api.call(GET.call, api.client())

    assert doc.id == "doc_1"
    assert len(api.clock.sleeps) == 1
    assert low <= api.clock.sleeps[0] <= high


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [("61", 61.0), ("3600", 3600.0), ("90.5", 90.5)],
)
async def test_retry_after_above_the_cap_raises_without_sleeping(
    api: Api, mock: respx.MockRouter, retry_after: str, expected: float
) -> None:
    mock_route = route(mock, GET)
    mock_route.return_value = httpx.Response(
        429, json=error_body("rate_limited"), headers={"retry-after": retry_after}
    )

    err = await api.fails(RateLimitError, GET.call, api.client())

    assert err.retry_after == expected
    assert mock_route.call_count == 1
    assert api.clock.sleeps == []


async def test_retry_after_http_date_above_the_cap_raises(api: Api, mock: respx.MockRouter) -> None:
    route(mock, GET).return_value = httpx.Response(429, headers={"retry-after": http_date(600)})

    err = await api.fails(RateLimitError, GET.call, api.client())

    assert err.retry_after is not None and 590 < err.retry_after <= 601
    assert api.clock.sleeps == []


async def test_retry_after_cap_is_configurable(api: Api, mock: respx.MockRouter) -> None:
    mock_route = route(mock, GET)
    mock_route.return_value = httpx.Response(429, headers={"retry-after": "10"})

    err = await api.fails(RateLimitError, GET.call, api.client(retry_after_cap=5))

    assert err.retry_after == 10.0
    assert mock_route.call_count == 1
    assert api.clock.sleeps == []


async def test_rate_limit_error_after_last_retry_keeps_retry_after(
    api: Api, mock: respx.MockRouter
) -> None:
    mock_route = route(mock, GET)
    mock_route.return_value = httpx.Response(429, headers={"retry-after": "1.5"})

    err = await api.fails(RateLimitError, GET.call, api.client(max_retries=2))

    assert mock_route.call_count == 3
    assert api.clock.sleeps == [1.5, 1.5]
    assert err.retry_after == 1.5


@pytest.mark.parametrize(
    "op", [OPS["post_unkeyed_create"], OPS["post_unkeyed_dispatch"]], ids=lambda o: o.name
)
async def test_unkeyed_post_is_replayed_after_429_honouring_retry_after(
    api: Api, mock: respx.MockRouter, op: Op
) -> None:
    mock_route = route(mock, op)
    mock_route.side_effect = [httpx.Response(429, headers={"retry-after": "2"}), ok(op)]

    await api.call(op.call, api.client())

    assert mock_route.call_count == 2
    assert api.clock.sleeps == [2.0]


async def test_unkeyed_create_error_explains_how_to_make_it_safe(
    api: Api, mock: respx.MockRouter
) -> None:
    op = OPS["post_unkeyed_create"]
    route(mock, op).side_effect = httpx.ReadTimeout

    err = await api.fails(APITimeoutError, op.call, api.client())

    assert "external_id" in str(err)
    assert "not retried" in str(err)


async def test_each_retry_is_logged_at_info(
    api: Api, mock: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="numora")
    route(mock, GET).side_effect = [
        httpx.Response(503, headers={"retry-after": "1.5"}),
        httpx.ConnectError("refused"),
        ok(GET),
    ]

    await api.call(GET.call, api.client(), request_id="req_log_me")

    retries = [r for r in caplog.records if r.name == "numora" and r.levelno == logging.INFO]
    assert len(retries) == 2
    first, second = (r.getMessage() for r in retries)
    assert "503" in first and "1.50" in first and "req_log_me" in first
    assert "ConnectError" in second and "req_log_me" in second
    assert f"{api.clock.sleeps[1]:.2f}" in second


async def test_with_options_copy_sleeps_on_the_same_clock(api: Api, mock: respx.MockRouter) -> None:
    route(mock, GET).side_effect = [httpx.Response(503), ok(GET)]
    copy = api.client(max_retries=0).with_options(max_retries=1)

    await api.call(GET.call, copy)

    assert len(api.clock.sleeps) == 1


def test_retryable_statuses_are_exported_classes() -> None:
    # The classes a caller catches for the retryable answers are public names.
    for name in ("RateLimitError", "ServiceUnavailableError", "InternalServerError"):
        assert issubclass(getattr(numora, name), numora.APIStatusError)
