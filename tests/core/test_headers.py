"""What every request carries, and the per-call options every method takes."""

from __future__ import annotations

import inspect
import json
import platform
import re
from typing import Any

import httpx
import pytest
import respx
from core_helpers import API_KEY, GET, OPS, Api, Op, ok, route

import numora
from numora import Numora

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("op", OPS.values(), ids=list(OPS))
async def test_every_request_carries_auth_user_agent_and_request_id(
    api: Api, mock: respx.MockRouter, op: Op
) -> None:
    mock_route = route(mock, op)
    mock_route.return_value = ok(op)

    await api.call(op.call, api.client())

    headers = mock_route.calls.last.request.headers
    assert headers["authorization"] == f"Bearer {API_KEY}"
    python = f"{platform.python_implementation()} {platform.python_version()}"
    system = f"{platform.system()} {platform.machine()}"
    assert headers["user-agent"] == f"numora-python/{numora.__version__} ({python}; {system})"
    assert re.fullmatch(r"req_[0-9a-f]{24}", headers["x-request-id"])
    assert headers["x-numora-retry-count"] == "0"
    if op.method in ("POST", "PUT", "PATCH"):
        assert headers["content-type"] == "application/json"
    else:
        assert "content-type" not in headers


async def test_request_id_is_stable_across_retries_and_new_per_call(
    api: Api, mock: respx.MockRouter
) -> None:
    mock_route = route(mock, GET)
    mock_route.side_effect = [httpx.Response(503), httpx.ReadTimeout, ok(GET), ok(GET)]
    client = api.client()

    await api.call(GET.call, client)
    await api.call(GET.call, client)

    sent = [call.request.headers for call in mock_route.calls]
    assert [h["x-numora-retry-count"] for h in sent] == ["0", "1", "2", "0"]
    ids = [h["x-request-id"] for h in sent]
    assert ids[0] == ids[1] == ids[2]
    assert ids[3] != ids[0]


async def test_the_callers_request_id_is_sent_on_every_attempt(
    api: Api, mock: respx.MockRouter
) -> None:
    mock_route = route(mock, GET)
    mock_route.side_effect = [httpx.Response(502), ok(GET)]

    await api.call(GET.call, api.client(), request_id="req_mine_42")

    assert [c.request.headers["x-request-id"] for c in mock_route.calls] == ["req_mine_42"] * 2


@pytest.mark.parametrize("op", OPS.values(), ids=list(OPS))
async def test_per_call_options_are_applied(api: Api, mock: respx.MockRouter, op: Op) -> None:
    mock_route = route(mock, op)
    mock_route.return_value = ok(op)
    sends_body = op.method not in ("GET", "DELETE")
    body_option = {"extra_body": {"beta_flag": True}} if sends_body else {}

    await api.call(
        op.call,
        api.client(),
        timeout=7,
        max_retries=0,
        extra_headers={"X-Trace": "t-1"},
        extra_query={"debug": "1"},
        request_id="req_opts",
        **body_option,
    )

    request = mock_route.calls.last.request
    assert request.headers["x-trace"] == "t-1"
    assert request.headers["x-request-id"] == "req_opts"
    assert request.url.params["debug"] == "1"
    assert request.extensions["timeout"]["read"] == 7
    if sends_body:
        assert json.loads(request.content)["beta_flag"] is True


async def test_extra_body_keeps_the_methods_own_fields(api: Api, mock: respx.MockRouter) -> None:
    op = OPS["post_external_id"]
    mock_route = route(mock, op)
    mock_route.return_value = ok(op)

    await api.call(op.call, api.client(), extra_body={"priority": "high"})

    assert json.loads(mock_route.calls.last.request.content) == {
        "schema": "invoice_v2",
        "file_url": "https://files.example/a.pdf",
        "external_id": "inv-1",
        "priority": "high",
    }


async def test_default_headers_are_sent_but_cannot_replace_auth(
    api: Api, mock: respx.MockRouter
) -> None:
    mock_route = route(mock, GET)
    mock_route.return_value = ok(GET)
    client = api.client(
        default_headers={"X-Team": "billing", "Authorization": "Bearer sk_live_other"}
    )

    await api.call(GET.call, client)

    headers = mock_route.calls.last.request.headers
    assert headers["x-team"] == "billing"
    assert headers["authorization"] == f"Bearer {API_KEY}"


async def test_user_http_client_is_used_with_our_headers_applied(api: Api) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ok(GET)

    http = api.http_client(transport=httpx.MockTransport(handler), headers={"X-Proxy-Tag": "corp"})
    client = api.client(http_client=http)

    doc = await api.call(GET.call, client)
    await api.close(client)

    assert doc.id == "doc_1"
    assert len(seen) == 1
    headers = seen[0].headers
    assert headers["x-proxy-tag"] == "corp"  # the user's client is used as given
    assert headers["authorization"] == f"Bearer {API_KEY}"
    assert headers["user-agent"].startswith("numora-python/")
    assert headers["x-request-id"].startswith("req_")
    assert str(seen[0].url) == "https://api.numora.example/v1/documents/doc_1"
    assert not http.is_closed  # the user closes what the user created
    await api.close(http)


async def test_header_overrides_are_case_insensitive(api: Api, mock: respx.MockRouter) -> None:
    mock_route = route(mock, GET)
    mock_route.return_value = ok(GET)
    client = api.client(default_headers={"authorization": "Bearer sk_live_other", "x-team": "a"})

    await api.call(
        GET.call,
        client.with_options(default_headers={"X-TEAM": "b"}),
        extra_headers={
            "X-Request-Id": "req_mine",
            "X-Numora-Retry-Count": "7",
            "AUTHORIZATION": "Bearer sk_live_third",
        },
    )

    headers = mock_route.calls.last.request.headers
    assert headers.get_list("authorization") == [f"Bearer {API_KEY}"]
    assert headers.get_list("x-team") == ["b"]
    assert headers.get_list("x-request-id") == ["req_mine"]
    assert headers.get_list("x-numora-retry-count") == ["0"]


def api_methods() -> list[tuple[str, object]]:
    """Every API method reachable from a client (``documents.retrieve``, ``runs.logs.list`` ...)."""
    client = Numora(api_key=API_KEY, base_url="https://api.numora.example")
    found: list[tuple[str, object]] = []
    seen: set[type] = set()

    def walk(resource: object, prefix: str) -> None:
        cls = type(resource)
        if cls in seen:
            return
        seen.add(cls)
        for name in dir(resource):
            if name.startswith("_"):
                continue
            attr = getattr(resource, name)
            if inspect.isfunction(attr) or inspect.iscoroutinefunction(attr):
                found.append((f"{prefix}.{name}", attr))
            elif hasattr(attr, "_client"):  # a sub-resource such as documents.delivery
                walk(attr, f"{prefix}.{name}")

    for name in ("documents", "delivery", "dynamics", "schemas", "destinations", "mappings"):
        walk(getattr(client, name), name)
    for name in ("workflows", "runs", "webhook_endpoints", "api_keys"):
        walk(getattr(client, name), name)
    return found


# Polling and batches: many calls, not one.
HELPERS = {"documents.wait", "documents.create_and_wait", "runs.wait", "documents.create_many"}
METHODS = [(name, method) for name, method in api_methods() if name not in HELPERS]
OPTIONS = {"timeout", "max_retries", "extra_headers", "extra_query", "request_id"}


@pytest.mark.parametrize(("name", "method"), METHODS, ids=[name for name, _ in METHODS])
def test_every_api_method_takes_the_per_call_options(name: str, method: Any) -> None:
    params = inspect.signature(method).parameters
    keyword_only = {n for n, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    assert keyword_only >= OPTIONS, name
    # extra_body only where there is a JSON body to add to.
    bodiless = ("list", "retrieve", "retrieve_result", "delete")
    sends_body = name.rsplit(".", maxsplit=1)[-1] not in bodiless
    assert ("extra_body" in params) == sends_body, name


def test_the_method_list_covers_the_api() -> None:
    names = {name for name, _ in METHODS}
    assert {"documents.retrieve", "documents.delivery.record", "runs.logs.list"} <= names
    assert len(names) >= 30
