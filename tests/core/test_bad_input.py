"""Bad input refused before anything is sent (issue 12), and never echoing a secret.

Ids that are dot segments, keys, secrets and headers that HTTP cannot carry, settings that
are not finite numbers, and tracebacks rendered with their locals.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from traceback import TracebackException
from typing import Any

import httpx
import pytest
import respx
from core_helpers import API_KEY, BASE_URL, DOCUMENT, GET, Api, error_body, route

from numora import (
    APIError,
    AsyncNumora,
    Numora,
)

pytestmark = pytest.mark.anyio

CLIENTS = [Numora, AsyncNumora]


def rendered(err: BaseException) -> str:
    """The traceback as Sentry, ``pytest --showlocals`` or rich would render it: with the
    locals of every frame (and of the chained causes), leaving out this test's own frames."""
    text: list[str] = []
    seen: TracebackException | None = TracebackException.from_exception(err, capture_locals=True)
    while seen is not None:
        text.append(f"{seen.exc_type.__name__ if seen.exc_type else ''}: {seen}")
        for frame in seen.stack:
            if "/tests/" not in frame.filename:
                text.append(f"{frame.filename}:{frame.name} {frame.locals}")
        seen = seen.__cause__ or seen.__context__
    return "\n".join(text)


# --- ids that are dot segments ------------------------------------------------------------

DOT_CALLS: list[tuple[str, Callable[[Any, str], Any]]] = [
    ("documents.retrieve", lambda c, i: c.documents.retrieve(i)),
    ("documents.approve", lambda c, i: c.documents.approve(i)),
    ("webhook_endpoints.delete", lambda c, i: c.webhook_endpoints.delete(i)),
    ("runs.retrieve", lambda c, i: c.runs.retrieve(i)),
]


@pytest.mark.parametrize("doc_id", [".", ".."])
@pytest.mark.parametrize("call", [c for _, c in DOT_CALLS], ids=[n for n, _ in DOT_CALLS])
async def test_dot_segment_ids_are_refused_before_sending(
    api: Api, mock: respx.MockRouter, doc_id: str, call: Callable[[Any, str], Any]
) -> None:
    # httpx would resolve /v1/webhook-endpoints/. to /v1/webhook-endpoints: another route.
    anything = mock.route().respond(200, json=DOCUMENT)

    err = await api.fails(ValueError, lambda c: call(c, doc_id), api.client())

    assert not anything.called
    assert repr(doc_id) in str(err)


async def test_ids_with_dots_inside_are_still_fine(api: Api, mock: respx.MockRouter) -> None:
    got = mock.get("/documents/..doc.1..").respond(200, json={**DOCUMENT, "id": "..doc.1.."})

    doc = await api.call(lambda c: c.documents.retrieve("..doc.1.."), api.client())

    assert got.called and doc.id == "..doc.1.."


# --- keys and secrets ----------------------------------------------------------------------

BAD_KEYS = {
    "nul": "sk_live_4f9a2c7e1b3d\x00",
    "control": "sk_live_4f9a\x1b2c7e1b3d",
    "zero-width space": "sk_live_4f9a2c7e1b3d\u200b",
    "non-ascii": "sk_live_4f9a2c7é1b3d",
    "inner space": "sk_live_4f9a 2c7e1b3d",
    "newline inside": "sk_live_4f9a\n2c7e1b3d",
}


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("key", BAD_KEYS.values(), ids=BAD_KEYS.keys())
def test_a_key_http_cannot_carry_is_refused_at_construction_without_echoing_it(
    cls: type[Numora], key: str
) -> None:
    with pytest.raises(ValueError, match="API key") as caught:
        cls(api_key=key, base_url=BASE_URL)

    err = caught.value
    assert key not in str(err) and key.strip() not in repr(err.args)
    assert "sk_live_4f9a" not in str(err)
    assert "sk_live_4f9a" not in rendered(err)  # no frame of numora's holds it in a local


@pytest.mark.parametrize(
    "key", [k for n, k in BAD_KEYS.items() if n != "nul"], ids=[n for n in BAD_KEYS if n != "nul"]
)
def test_a_bad_key_from_the_environment_is_refused_the_same_way(
    monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    monkeypatch.setenv("NUMORA_API_KEY", key)

    with pytest.raises(ValueError, match="API key") as caught:
        Numora(base_url=BASE_URL)

    assert "sk_live_4f9a" not in rendered(caught.value)


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize(
    "secret",
    ["whsec_0a1b2c\x00", "whsec_0a1b2c\u200b", ["whsec_ok_123", "whsec_0a1b2é"], "whsec_0a 1b2c"],
    ids=["nul", "zero-width", "one-of-a-list", "space"],
)
def test_a_webhook_secret_http_cannot_carry_is_refused_without_echoing_it(
    cls: type[Numora], secret: str | list[str]
) -> None:
    with pytest.raises(ValueError, match="webhook_secret") as caught:
        cls(api_key=API_KEY, base_url=BASE_URL, webhook_secret=secret)

    assert "whsec_0a" not in str(caught.value)
    assert "whsec_0a" not in rendered(caught.value)


FAILURES: dict[str, Callable[[respx.Route], None]] = {
    "status": lambda r: setattr(r, "return_value", httpx.Response(500, json=error_body("x"))),
    "connect error": lambda r: setattr(r, "side_effect", httpx.ConnectError("refused")),
    "read timeout": lambda r: setattr(r, "side_effect", httpx.ReadTimeout("slow")),
    "bad body": lambda r: setattr(r, "return_value", httpx.Response(200, content=b"<html>")),
}


@pytest.mark.parametrize("fail", FAILURES.values(), ids=FAILURES.keys())
async def test_a_traceback_rendered_with_locals_never_shows_the_key(
    api: Api, mock: respx.MockRouter, fail: Callable[[respx.Route], None]
) -> None:
    fail(route(mock, GET))
    client = api.client(max_retries=1)

    err = await api.fails(APIError, GET.call, client)

    text = rendered(err)
    assert "numora/_core.py" in text  # the SDK's frames are there, with their locals
    assert API_KEY not in text
    assert API_KEY[8:] not in text


@pytest.mark.parametrize(
    "headers",
    [{"x-trace": "a\r\nx-evil: 1"}, {"x-trace": "\x00"}, {"x-trace": "é"}, {"bad name": "v"}],
    ids=["crlf", "nul", "non-ascii", "name"],
)
async def test_an_extra_header_http_cannot_carry_is_refused_naming_the_argument(
    api: Api, mock: respx.MockRouter, headers: dict[str, str]
) -> None:
    anything = mock.route().respond(200, json=DOCUMENT)

    err = await api.fails(ValueError, GET.call, api.client(), extra_headers=headers)

    assert "extra_headers" in str(err)
    assert not anything.called
    assert API_KEY not in rendered(err)


@pytest.mark.parametrize("cls", CLIENTS)
def test_a_default_header_http_cannot_carry_is_refused_at_construction(
    cls: type[Numora],
) -> None:
    with pytest.raises(ValueError, match="default_headers"):
        cls(api_key=API_KEY, base_url=BASE_URL, default_headers={"x-team": "a\nb"})


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("cap", [math.nan, math.inf, -1.0, True, "60"])
def test_retry_after_cap_must_be_a_finite_number_of_seconds(cls: type[Numora], cap: Any) -> None:
    with pytest.raises(ValueError, match="retry_after_cap"):
        cls(api_key=API_KEY, base_url=BASE_URL, retry_after_cap=cap)


# --- settings ------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("value", [0, -1, 1.5, True, "1000"])
def test_max_response_bytes_must_be_a_positive_int(cls: type[Numora], value: Any) -> None:
    with pytest.raises(ValueError, match="max_response_bytes"):
        cls(api_key=API_KEY, base_url=BASE_URL, max_response_bytes=value)
    with pytest.raises(ValueError, match="max_response_bytes"):
        cls(api_key=API_KEY, base_url=BASE_URL).with_options(max_response_bytes=value)


@pytest.mark.parametrize("cls", CLIENTS)
def test_timeout_must_be_finite(cls: type[Numora]) -> None:
    with pytest.raises(ValueError, match="timeout"):
        cls(api_key=API_KEY, base_url=BASE_URL, timeout=math.inf)
