"""Every SDK method against Stoplight Prism: an independent judge of the spec.

Prism validates each request against spec/numora-v1.openapi.yaml (path, query, headers,
body, content type) and answers from the spec's schemas. A request it finds in violation
fails the test with Prism's own words (its ``sl-violations`` header; with ``--errors`` it
also answers with an error status), and an answer the SDK cannot parse fails it too
(``APIResponseValidationError``). Every method is called sync and async, plain and through
``with_raw_response``; list methods are iterated across two pages (the second request
carries the cursor and the first request's filters).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import yaml  # type: ignore[import-untyped,unused-ignore]

import numora
from _clock import FakeClock
from numora import types as t

from .conftest import SPEC

# The legacy routes warn on every call; here they are called on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:.*legacy Numora route:DeprecationWarning")

PDF = b"%PDF-1.7\n" + b"0" * 512
TS = "2026-03-21T14:20:00.000Z"
FILE_URL = "https://files.example/invoice.pdf"
Headers = dict[str, str]


@dataclass(frozen=True)
class Call:
    """One SDK method: how it is called (``h`` is the per-call ``extra_headers``)."""

    name: str
    call: Callable[[Any, Headers], Any]
    operation: str  # the spec's operationId this call must reach
    prefer: str | None = None  # a Prefer header for Prism (e.g. "code=202")
    page: bool = False  # returns a page: iterate it across two pages


def _review_state() -> t.ReviewState:
    return t.ReviewState.from_dict(
        {"version": 1, "confirmed_general_field_names": ["total"], "confirmed_line_item_ids": []}
    )


CALLS: list[Call] = [
    Call(
        "documents.create (file_url, 202)",
        lambda c, h: c.documents.create(
            schema="invoice_v2",
            file_url=FILE_URL,
            external_id="erp-1",
            metadata={"cost_center": "CC-1", "priority": 2, "urgent": True},
            extra_headers=h,
        ),
        "documents.create",
        prefer="code=202",
    ),
    Call(
        "documents.create (already existed, 200)",
        lambda c, h: c.documents.create(
            schema="invoice_v2", file_url=FILE_URL, external_id="erp-1", extra_headers=h
        ),
        "documents.create",
        prefer="code=200",
    ),
    Call(
        "documents.create (multipart upload)",
        lambda c, h: c.documents.create(
            schema="receipt_v1",
            file=("scan.pdf", PDF, "application/pdf"),
            external_id="erp-2",
            metadata={"k": "v"},
            extra_headers=h,
        ),
        "documents.create",
        prefer="code=202",
    ),
    Call(
        "documents.list",
        lambda c, h: c.documents.list(
            status="reviewed", schema="invoice_v2", external_id="erp-1", limit=1, extra_headers=h
        ),
        "documents.list",
        page=True,
    ),
    Call(
        "documents.retrieve",
        lambda c, h: c.documents.retrieve("doc_1", extra_headers=h),
        "documents.retrieve",
    ),
    Call(
        "documents.retrieve_result",
        lambda c, h: c.documents.retrieve_result("doc_1", extra_headers=h),
        "documents.retrieve_result",
    ),
    Call(
        "documents.approve",
        lambda c, h: c.documents.approve(
            "doc_1", expected_updated_at=TS, review_state=_review_state(), extra_headers=h
        ),
        "documents.approve",
    ),
    Call(
        "documents.reject",
        lambda c, h: c.documents.reject(
            "doc_1",
            reason="blurry",
            expected_updated_at=dt.datetime(2026, 3, 21, 14, 20, tzinfo=dt.timezone.utc),
            extra_headers=h,
        ),
        "documents.reject",
    ),
    Call(
        "documents.retry_push",
        lambda c, h: c.documents.retry_push("doc_1", extra_headers=h),
        "documents.retry_push",
    ),
    Call(
        "documents.dispatch",
        lambda c, h: c.documents.dispatch("doc_1", provider="dynamics365", extra_headers=h),
        "documents.dispatch",
    ),
    Call(
        "documents.delivery.retrieve",
        lambda c, h: c.documents.delivery.retrieve("doc_1", extra_headers=h),
        "documents.delivery.retrieve",
    ),
    Call(
        "documents.delivery.record",
        lambda c, h: c.documents.delivery.record(
            "doc_1",
            provider="dynamics365",
            status="succeeded",
            execution_id="exec_1",
            attempted_at=TS,
            external_record_id="rec_1",
            external_url="https://crm.example/rec_1",
            extra_headers=h,
        ),
        "documents.delivery.record",
    ),
    Call(
        "delivery.outbox.list",
        lambda c, h: c.delivery.outbox.list(provider="dynamics365", limit=1, extra_headers=h),
        "delivery.outbox.list",
        page=True,
    ),
    Call(
        "dynamics.sessions.create",
        lambda c, h: c.dynamics.sessions.create(destination_id="dst_1", extra_headers=h),
        "dynamics.sessions.create",
    ),
    Call("schemas.list", lambda c, h: c.schemas.list(extra_headers=h), "schemas.list", page=True),
    Call(
        "schemas.retrieve",
        lambda c, h: c.schemas.retrieve("invoice_v2", extra_headers=h),
        "schemas.retrieve",
    ),
    Call(
        "destinations.list",
        lambda c, h: c.destinations.list(limit=1, extra_headers=h),
        "destinations.list",
        page=True,
    ),
    Call(
        "destinations.create",
        lambda c, h: c.destinations.create(
            provider="dynamics365",
            display_name="CRM",
            credentials={"client_secret": "s3cr3t"},
            settings={"environment": "prod"},
            extra_headers=h,
        ),
        "destinations.create",
    ),
    Call(
        "destinations.retrieve",
        lambda c, h: c.destinations.retrieve("dst_1", extra_headers=h),
        "destinations.retrieve",
    ),
    Call(
        "destinations.test",
        lambda c, h: c.destinations.test("dst_1", extra_headers=h),
        "destinations.test",
    ),
    Call(
        "mappings.retrieve",
        lambda c, h: c.mappings.retrieve(
            schema="invoice_v2", destination_id="dst_1", extra_headers=h
        ),
        "mappings.retrieve",
    ),
    Call(
        "mappings.update",
        lambda c, h: c.mappings.update(
            "invoice_v2",
            "dst_1",
            fields=[t.MappingField(source="total", target="amount", required=True)],
            expected_version=3,
            extra_headers=h,
        ),
        "mappings.update",
    ),
    Call(
        "workflows.list",
        lambda c, h: c.workflows.list(limit=1, extra_headers=h),
        "workflows.list",
        page=True,
    ),
    Call(
        "workflows.dispatch",
        lambda c, h: c.workflows.dispatch("wf_1", document_id="doc_1", extra_headers=h),
        "workflows.dispatch",
    ),
    Call("runs.retrieve", lambda c, h: c.runs.retrieve("run_1", extra_headers=h), "runs.retrieve"),
    Call(
        "runs.logs.list",
        lambda c, h: c.runs.logs.list("run_1", limit=1, extra_headers=h),
        "runs.logs.list",
        page=True,
    ),
    Call(
        "webhook_endpoints.create",
        lambda c, h: c.webhook_endpoints.create(
            url="https://hooks.example/numora",
            events=["document.reviewed", "push.failed"],
            description="ERP",
            extra_headers=h,
        ),
        "webhook_endpoints.create",
    ),
    Call(
        "webhook_endpoints.list",
        lambda c, h: c.webhook_endpoints.list(limit=1, extra_headers=h),
        "webhook_endpoints.list",
        page=True,
    ),
    Call(
        "webhook_endpoints.retrieve",
        lambda c, h: c.webhook_endpoints.retrieve("whe_1", extra_headers=h),
        "webhook_endpoints.retrieve",
    ),
    Call(
        "webhook_endpoints.update",
        lambda c, h: c.webhook_endpoints.update(
            "whe_1",
            url="https://hooks.example/v2",
            events=["run.failed"],
            status="disabled",
            description="ERP v2",
            extra_headers=h,
        ),
        "webhook_endpoints.update",
    ),
    Call(
        "webhook_endpoints.delete",
        lambda c, h: c.webhook_endpoints.delete("whe_1", extra_headers=h),
        "webhook_endpoints.delete",
    ),
    Call(
        "webhook_endpoints.rotate_secret",
        lambda c, h: c.webhook_endpoints.rotate_secret("whe_1", extra_headers=h),
        "webhook_endpoints.rotate_secret",
    ),
    Call(
        "webhook_endpoints.deliveries.list",
        lambda c, h: c.webhook_endpoints.deliveries.list("whe_1", limit=1, extra_headers=h),
        "webhook_endpoints.deliveries.list",
        page=True,
    ),
    Call(
        "webhook_endpoints.deliveries.redeliver",
        lambda c, h: c.webhook_endpoints.deliveries.redeliver("whe_1", "whd_1", extra_headers=h),
        "webhook_endpoints.deliveries.redeliver",
    ),
    Call(
        "api_keys.create",
        lambda c, h: c.api_keys.create(
            name="ci", scopes=["documents:read", "documents:write"], extra_headers=h
        ),
        "api_keys.create",
    ),
    Call(
        "api_keys.list",
        lambda c, h: c.api_keys.list(limit=1, extra_headers=h),
        "api_keys.list",
        page=True,
    ),
    Call(
        "api_keys.retrieve",
        lambda c, h: c.api_keys.retrieve("key_1", extra_headers=h),
        "api_keys.retrieve",
    ),
    Call(
        "api_keys.rotate",
        lambda c, h: c.api_keys.rotate("key_1", expire_previous_in_seconds=3600, extra_headers=h),
        "api_keys.rotate",
    ),
    Call(
        "api_keys.revoke",
        lambda c, h: c.api_keys.revoke("key_1", extra_headers=h),
        "api_keys.revoke",
    ),
    # The polling helpers: one poll each (the answer already is what they wait for).
    Call(
        "documents.wait",
        lambda c, h: c.documents.wait("doc_1", until=lambda doc: True, extra_headers=h),
        "documents.retrieve",
    ),
    Call(
        "documents.create_and_wait",
        lambda c, h: c.documents.create_and_wait(
            schema="invoice_v2", file_url=FILE_URL, until=lambda doc: True, extra_headers=h
        ),
        "documents.create",  # no Prefer: the header goes to the poll too
    ),
    Call(
        "runs.wait",
        lambda c, h: c.runs.wait("run_1", until=["queued", "running"], extra_headers=h),
        "runs.retrieve",
    ),
]
HELPERS = {"documents.wait", "documents.create_and_wait", "runs.wait"}


def _spec_operations() -> set[str]:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    methods = ("get", "put", "post", "patch", "delete")
    return {
        op["operationId"]
        for item in spec["paths"].values()
        for method, op in item.items()
        if method in methods
    }


def test_the_suite_calls_every_operation_of_the_spec() -> None:
    operations = _spec_operations()
    assert len(operations) == 37
    assert {c.operation for c in CALLS} == operations


def test_a_request_prism_rejects_fails_the_call(prism_url: str, violations: Violations) -> None:
    hooks = {"response": [violations.check]}
    with (
        httpx.Client(base_url=prism_url, event_hooks=hooks, trust_env=False) as http,
        pytest.raises(AssertionError, match="breaks the spec") as caught,
    ):
        http.post(
            "/v1/documents",
            json={"file_url": FILE_URL},  # no schema: the spec requires it
            headers={"authorization": "Bearer sk_test_contract"},
        )
    assert "schema" in str(caught.value)


class Violations:
    """Fails the call at once when Prism reports that a request breaks the spec."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def check(self, response: httpx.Response) -> None:
        request = response.request
        self.seen.append((request.method, request.url.path))
        violations = response.headers.get("sl-violations")
        if violations:
            pretty = json.dumps(json.loads(violations), indent=2)
            raise AssertionError(
                f"Prism: {request.method} {request.url.path} breaks the spec:\n{pretty}"
            )

    async def acheck(self, response: httpx.Response) -> None:
        self.check(response)


def _headers(call: Call) -> Headers:
    return {"prefer": call.prefer} if call.prefer else {}


def _consume(call: Call, result: Any) -> Any:
    if not call.page:
        return result
    items = list(itertools.islice(result, 2))  # page 1, then page 2 with the cursor
    assert len(items) == 2
    return items


async def _aconsume(call: Call, result: Any) -> Any:
    if not call.page:
        return await result
    items = []
    async for item in result:  # page 1, then page 2 with the cursor
        items.append(item)
        if len(items) == 2:
            break
    return items


@pytest.fixture
def violations() -> Violations:
    return Violations()


@pytest.fixture
def client(prism_url: str, violations: Violations) -> Iterator[numora.Numora]:
    http = httpx.Client(event_hooks={"response": [violations.check]}, trust_env=False)
    with (
        http,
        numora.Numora(api_key="sk_test_contract", base_url=prism_url, http_client=http) as sdk,
    ):
        FakeClock().install(sdk)  # the wait helpers never sleep in real time
        yield sdk


@pytest.fixture
async def async_client(prism_url: str, violations: Violations) -> Any:
    http = httpx.AsyncClient(event_hooks={"response": [violations.acheck]}, trust_env=False)
    async with (
        http,
        numora.AsyncNumora(api_key="sk_test_contract", base_url=prism_url, http_client=http) as sdk,
    ):
        FakeClock().install(sdk)
        yield sdk


@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.name)
def test_sync(call: Call, client: numora.Numora, violations: Violations) -> None:
    result = _consume(call, call.call(client, _headers(call)))
    assert result is not None
    two_requests = call.page or call.name == "documents.create_and_wait"
    assert len(violations.seen) == (2 if two_requests else 1)


@pytest.mark.anyio
@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.name)
async def test_async(call: Call, async_client: numora.AsyncNumora) -> None:
    result = await _aconsume(call, call.call(async_client, _headers(call)))
    assert result is not None


@pytest.mark.parametrize(
    "call", [c for c in CALLS if c.name not in HELPERS], ids=lambda call: call.name
)
def test_sync_raw_response(call: Call, client: numora.Numora) -> None:
    raw = call.call(client.with_raw_response, _headers(call))
    assert raw.status_code in (200, 202)
    assert raw.request_id is not None
    _consume(call, raw.parse())


@pytest.mark.anyio
@pytest.mark.parametrize(
    "call", [c for c in CALLS if c.name not in HELPERS], ids=lambda call: call.name
)
async def test_async_raw_response(call: Call, async_client: numora.AsyncNumora) -> None:
    raw = await call.call(async_client.with_raw_response, _headers(call))
    assert raw.status_code in (200, 202)
    parsed = raw.parse()
    if call.page:
        await _aconsume(call, parsed)
