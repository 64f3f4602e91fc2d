"""numora.otel: one CLIENT span per call, attempts and retry waits as events, the duration
histogram, trace context in the request, and wait helpers under one parent span.

Every test runs on ``Numora`` and ``AsyncNumora`` (the ``api`` fixture), against respx, with
OpenTelemetry's SDK recording in memory.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import respx
from core_helpers import API_KEY, BASE_URL, DOCUMENT, GET, OPS, Api, LocalServer, ok, route
from opentelemetry import trace
from opentelemetry.trace import SpanKind, StatusCode

import numora.otel
from numora import (
    APIConnectionError,
    APIResponseValidationError,
    NotFoundError,
    WaitTimeoutError,
)
from numora._observe import operation
from otel_helpers import Telemetry, events, no_propagator

pytestmark = pytest.mark.anyio

TEMPLATE = "/v1/documents/{document_id}"
SERVER = {"server.address": "api.numora.example", "server.port": 443, "url.scheme": "https"}


@pytest.fixture
def otel() -> Iterator[Telemetry]:
    telemetry = Telemetry()
    telemetry.instrument()
    yield telemetry
    telemetry.close()


def document(status: str) -> httpx.Response:
    return httpx.Response(200, json={**DOCUMENT, "status": status})


# --- one span per call ------------------------------------------------------------------------


async def test_a_successful_call_is_one_client_span_named_by_its_route(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    route(mock, GET).respond(200, json=DOCUMENT, headers={"x-request-id": "req_server_1"})

    await api.call(GET.call, api.client())

    span = otel.only_span()
    assert span.name == f"GET {TEMPLATE}"
    assert span.kind is SpanKind.CLIENT
    assert span.status.status_code is StatusCode.UNSET
    assert dict(span.attributes or {}) == {
        "http.request.method": "GET",
        "url.template": TEMPLATE,
        "url.full": f"{BASE_URL}/v1/documents/doc_1",
        **SERVER,
        "http.response.status_code": 200,
        "network.protocol.version": "1.1",
        "numora.request_id": "req_server_1",  # the server's id, when it echoes one
    }
    [attempt] = events(span)
    assert attempt["name"] == "numora.attempt"
    assert attempt["http.request.resend_count"] == 0
    assert attempt["http.response.status_code"] == 200
    assert attempt["numora.attempt.duration"] >= 0


async def test_the_request_id_sent_is_recorded_when_the_server_echoes_none(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    route(mock, GET).mock(return_value=ok(GET))

    await api.call(GET.call, api.client(), request_id="req_mine_7")

    assert otel.only_span().attributes["numora.request_id"] == "req_mine_7"  # type: ignore[index]


async def test_an_http_error_sets_the_status_error_type_and_an_exception_event(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    route(mock, GET).respond(
        404,
        json={"error": {"code": "not_found", "message": "No such document.", "request_id": "r4"}},
    )

    await api.fails(NotFoundError, GET.call, api.client())

    span = otel.only_span()
    assert span.status.status_code is StatusCode.ERROR
    assert "No such document." in (span.status.description or "")
    attributes = span.attributes or {}
    assert attributes["error.type"] == "404"
    assert attributes["http.response.status_code"] == 404
    assert attributes["numora.request_id"] == "r4"  # the id of the error body
    [exception] = events(span, "exception")
    assert exception["exception.type"] == "numora.NotFoundError"
    assert "No such document." in exception["exception.message"]
    assert "NotFoundError" in exception["exception.stacktrace"]


async def test_a_retried_call_is_still_one_span_with_each_attempt_and_wait_as_events(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    route(mock, GET).side_effect = [
        httpx.Response(503, headers={"retry-after": "1.5"}),
        httpx.ConnectError("refused"),
        ok(GET),
    ]

    await api.call(GET.call, api.client())

    span = otel.only_span()
    assert span.status.status_code is StatusCode.UNSET
    assert (span.attributes or {})["http.request.resend_count"] == 2
    assert (span.attributes or {})["http.response.status_code"] == 200
    timeline = [
        (e["name"], e["http.request.resend_count"], e.get("http.response.status_code"))
        for e in events(span)
    ]
    assert timeline == [
        ("numora.attempt", 0, 503),
        ("numora.retry", 1, None),
        ("numora.attempt", 1, None),
        ("numora.retry", 2, None),
        ("numora.attempt", 2, 200),
    ]
    first_wait, second_wait = events(span, "numora.retry")
    assert first_wait["numora.retry.delay"] == 1.5 == api.clock.sleeps[0]
    assert first_wait["numora.retry.reason"] == "503"
    assert second_wait["numora.retry.delay"] == api.clock.sleeps[1]
    assert second_wait["numora.retry.reason"] == "httpx.ConnectError"
    assert events(span, "numora.attempt")[1]["error.type"] == "httpx.ConnectError"


async def test_a_transport_failure_records_the_transport_error_type(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    route(mock, GET).side_effect = httpx.ConnectError("connection refused")

    await api.fails(APIConnectionError, GET.call, api.client(max_retries=1))

    span = otel.only_span()
    assert span.status.status_code is StatusCode.ERROR
    attributes = span.attributes or {}
    assert attributes["error.type"] == "httpx.ConnectError"
    assert attributes["http.request.resend_count"] == 1
    assert "http.response.status_code" not in attributes
    [exception] = events(span, "exception")
    assert exception["exception.type"] == "numora.APIConnectionError"
    assert "connection refused" in exception["exception.stacktrace"]  # the cause is kept


async def test_a_2xx_that_does_not_parse_is_an_error_of_the_sdks_type(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    route(mock, GET).respond(200, json={"unexpected": True})

    await api.fails(APIResponseValidationError, GET.call, api.client())

    attributes = otel.only_span().attributes or {}
    assert attributes["error.type"] == "numora.APIResponseValidationError"
    assert attributes["http.response.status_code"] == 200


async def test_credentials_in_the_base_url_are_not_recorded(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    route(mock, GET).mock(return_value=ok(GET))
    client = api.client(base_url="https://gateway:hunter2@api.numora.example")

    await api.call(GET.call, client)

    attributes = otel.only_span().attributes or {}
    assert attributes["url.full"] == f"{BASE_URL}/v1/documents/doc_1"
    assert "hunter2" not in repr(dict(attributes))


async def test_a_post_is_named_by_its_template_never_by_its_ids(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    op = OPS["post_unkeyed_dispatch"]
    route(mock, op).mock(return_value=ok(op))

    await api.call(op.call, api.client())

    span = otel.only_span()
    assert span.name == "POST /v1/documents/{document_id}/dispatch"
    assert "doc_1" not in span.name


# --- the duration histogram -------------------------------------------------------------------


async def test_each_attempt_is_measured_with_low_cardinality_attributes(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    route(mock, GET).side_effect = [httpx.Response(503), httpx.ReadTimeout("slow"), ok(GET)]
    mock.get("/documents/doc_2").mock(return_value=ok(GET))
    client = api.client()

    await api.call(GET.call, client)
    await api.call(lambda c: c.documents.retrieve("doc_2"), client)  # another id, same series

    points = {
        (p.attributes.get("http.response.status_code"), p.attributes.get("error.type")): p
        for p in otel.points()
    }
    assert set(points) == {(503, "503"), (None, "httpx.ReadTimeout"), (200, None)}
    assert points[200, None].count == 2  # two calls to two documents: one series
    for point in points.values():
        attributes = dict(point.attributes)
        assert attributes["url.template"] == TEMPLATE
        assert attributes["http.request.method"] == "GET"
        assert {k: attributes[k] for k in SERVER} == SERVER
        assert not any("doc_" in str(value) for value in attributes.values())
        assert set(attributes) <= {
            "http.request.method",
            "url.template",
            "server.address",
            "server.port",
            "url.scheme",
            "http.response.status_code",
            "network.protocol.version",
            "error.type",
        }


# --- trace context ----------------------------------------------------------------------------


async def test_the_span_is_a_child_of_the_callers_span_and_its_context_is_sent(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    sent = route(mock, GET).mock(side_effect=[httpx.Response(503), ok(GET)])

    with otel.tracer.start_as_current_span("handle-invoice") as parent:
        await api.call(GET.call, api.client())
        outer = otel.tracer.start_span("after")  # the caller's context is back in place
        outer.end()

    call = otel.client_spans()[0]
    assert call.parent is not None
    assert call.parent.span_id == parent.get_span_context().span_id
    assert call.context is not None
    trace_id, span_id = call.context.trace_id, call.context.span_id
    for request in (c.request for c in sent.calls):  # every attempt carries it
        _version, sent_trace, sent_span, _flags = request.headers["traceparent"].split("-")
        assert (int(sent_trace, 16), int(sent_span, 16)) == (trace_id, span_id)
    after = next(s for s in otel.spans() if s.name == "after")
    assert after.parent is not None
    assert after.parent.span_id == parent.get_span_context().span_id


async def test_without_a_propagator_no_trace_header_is_added(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    sent = route(mock, GET).mock(return_value=ok(GET))

    with no_propagator():
        await api.call(GET.call, api.client())

    assert "traceparent" not in sent.calls.last.request.headers
    assert len(otel.spans()) == 1


async def test_the_trace_header_reaches_a_real_server(
    api: Api, server: LocalServer, otel: Telemetry
) -> None:
    client = api.client(base_url=server.base_url, timeout=5)

    await api.call(GET.call, client)

    span = otel.only_span()
    assert span.context is not None
    assert f"{span.context.span_id:016x}" in server.seen[0].headers["traceparent"]
    attributes = span.attributes or {}
    assert attributes["server.address"] == "127.0.0.1"
    assert attributes["server.port"] == int(server.base_url.rsplit(":", 1)[1])
    assert attributes["url.scheme"] == "http"


async def test_a_sampled_out_call_is_measured_and_still_sends_its_context(
    api: Api, mock: respx.MockRouter
) -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

    sent = route(mock, GET).mock(side_effect=[httpx.Response(503), ok(GET)])
    telemetry = Telemetry()
    numora.otel.instrument(
        tracer_provider=TracerProvider(sampler=ALWAYS_OFF),
        meter_provider=telemetry.meter_provider,
    )
    try:
        await api.call(GET.call, api.client())
    finally:
        telemetry.close()

    assert len(telemetry.points()) == 2  # both attempts measured
    flags = [int(c.request.headers["traceparent"].rsplit("-", 1)[1], 16) for c in sent.calls]
    assert [f & 1 for f in flags] == [0, 0]  # not sampled: the services called follow suit


# --- switching on and off ---------------------------------------------------------------------


async def test_nothing_is_recorded_after_uninstrument(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    sent = route(mock, GET).mock(return_value=ok(GET))
    numora.otel.uninstrument()
    assert not numora.otel.is_instrumented()

    await api.call(GET.call, api.client())

    assert otel.spans() == [] and otel.points() == []
    assert "traceparent" not in sent.calls.last.request.headers


async def test_one_client_can_be_instrumented_alone(api: Api, mock: respx.MockRouter) -> None:
    route(mock, GET).mock(return_value=ok(GET))
    telemetry = Telemetry()
    traced, plain = api.client(), api.client()
    telemetry.instrument_client(traced)
    copy = traced.with_options(max_retries=0)  # copies made afterwards keep it

    await api.call(GET.call, traced)
    await api.call(GET.call, copy)
    await api.call(GET.call, plain)
    assert len(telemetry.spans()) == 2

    numora.otel.uninstrument_client(traced)
    await api.call(GET.call, traced)
    assert len(telemetry.spans()) == 2
    telemetry.close()


def test_instrument_client_names_what_it_takes() -> None:
    with pytest.raises(TypeError, match=r"numora\.Numora or numora\.AsyncNumora"):
        numora.otel.instrument_client(object())  # type: ignore[arg-type]


async def test_with_the_api_alone_calls_work_and_send_no_trace_header(
    api: Api, mock: respx.MockRouter
) -> None:
    # No SDK configured: OpenTelemetry's no-op providers (what `numora[otel]` alone gives).
    sent = route(mock, GET).mock(side_effect=[httpx.Response(503), ok(GET)])
    numora.otel.instrument()
    try:
        result = await api.call(GET.call, api.client())
    finally:
        numora.otel.uninstrument()

    assert result.id == "doc_1"
    assert all("traceparent" not in c.request.headers for c in sent.calls)


def test_numora_does_not_import_opentelemetry_unless_asked() -> None:
    code = textwrap.dedent(
        f"""
        import sys, httpx, numora
        http = httpx.Client(transport=httpx.MockTransport(
            lambda r: httpx.Response(503 if r.headers["x-numora-retry-count"] == "0" else 404)))
        client = numora.Numora(api_key={API_KEY!r}, base_url={BASE_URL!r}, http_client=http,
                               on_retry=lambda info: None)
        client._sleep = lambda seconds: None
        try:
            client.documents.retrieve("doc_1")
        except numora.NotFoundError:
            pass
        print(sorted(m for m in sys.modules if m.startswith("opentelemetry")))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


# --- interrupted calls ------------------------------------------------------------------------


async def test_a_call_interrupted_mid_attempt_ends_its_span_and_restores_the_context(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    if api.kind == "async":
        started = asyncio.Event()

        async def hang(request: httpx.Request) -> httpx.Response:
            started.set()
            await asyncio.sleep(3600)
            raise AssertionError("not reached")

        route(mock, GET).side_effect = hang
        task = asyncio.ensure_future(api.call(GET.call, api.client()))
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    else:

        def interrupt(request: httpx.Request) -> httpx.Response:
            raise KeyboardInterrupt  # what Ctrl-C does in the middle of a request

        route(mock, GET).side_effect = interrupt
        with pytest.raises(KeyboardInterrupt):
            await api.call(GET.call, api.client())

    span = otel.only_span()
    assert span.end_time is not None
    assert span.status.status_code is StatusCode.ERROR
    assert (span.attributes or {})["error.type"] == "interrupted"
    later = otel.tracer.start_span("later")
    later.end()
    assert next(s for s in otel.spans() if s.name == "later").parent is None


# --- several calls under one parent -----------------------------------------------------------


async def test_a_wait_helper_groups_its_polls_under_one_parent_span(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    route(mock, GET).side_effect = [
        document("processing"),
        httpx.Response(503),  # a retried poll: still one span for that call
        document("processing"),
        document("review_required"),
    ]

    result = await api.call(lambda c: c.documents.wait("doc_1"), api.client())

    assert result.status == "review_required"
    [group] = [s for s in otel.spans() if s.kind is SpanKind.INTERNAL]
    assert group.name == "Documents.wait"
    assert (group.attributes or {})["numora.operation"] == "Documents.wait"
    calls = otel.client_spans()
    assert [c.name for c in calls] == [f"GET {TEMPLATE}"] * 3
    assert group.context is not None
    assert all(c.parent is not None and c.parent.span_id == group.context.span_id for c in calls)
    assert group.status.status_code is StatusCode.UNSET


async def test_create_and_wait_is_one_group_and_a_deadline_marks_it_failed(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    create = OPS["post_external_id"]
    route(mock, create).mock(return_value=ok(create))
    route(mock, GET).mock(side_effect=[document("processing")] * 20)

    await api.fails(
        WaitTimeoutError,
        lambda c: c.documents.create_and_wait(
            schema="invoice_v2", file_url="https://files.example/a.pdf", deadline=3
        ),
        api.client(),
    )

    [group] = [s for s in otel.spans() if s.kind is SpanKind.INTERNAL]
    assert group.name == "Documents.create_and_wait"
    assert group.status.status_code is StatusCode.ERROR
    assert (group.attributes or {})["error.type"] == "numora.WaitTimeoutError"
    names = [c.name for c in otel.client_spans()]
    assert names[0] == "POST /v1/documents" and set(names[1:]) == {f"GET {TEMPLATE}"}
    assert group.context is not None
    assert {c.parent.span_id for c in otel.client_spans() if c.parent} == {group.context.span_id}


async def test_operation_groups_calls_made_in_tasks_and_threads(
    api: Api, mock: respx.MockRouter, otel: Telemetry
) -> None:
    # The API create_many uses: the span's `with` block, and the calls made its children
    # where they run (a worker thread through op.run, an asyncio task through op.activate).
    route(mock, GET).mock(return_value=ok(GET))
    client = api.client()

    with operation(client.documents, "Documents.create_many", {"numora.items": 3}) as op:
        if api.kind == "async":

            async def job() -> None:
                with op.activate():
                    await client.documents.retrieve("doc_1")

            await asyncio.gather(*(asyncio.ensure_future(job()) for _ in range(3)))
        else:
            with ThreadPoolExecutor(3) as pool:
                done = [pool.submit(op.run, client.documents.retrieve, "doc_1") for _ in range(3)]
                [future.result() for future in done]
        assert not trace.get_current_span().get_span_context().is_valid  # not made current

    [parent] = [s for s in otel.spans() if s.kind is SpanKind.INTERNAL]
    assert parent.name == "Documents.create_many"
    assert (parent.attributes or {})["numora.items"] == 3
    assert parent.context is not None
    calls = otel.client_spans()
    assert len(calls) == 3
    assert all(c.parent is not None and c.parent.span_id == parent.context.span_id for c in calls)


def test_an_operation_may_enclose_yield_and_be_left_early(otel: Telemetry) -> None:
    with numora.Numora(api_key=API_KEY, base_url=BASE_URL) as client:

        def outcomes() -> Iterator[int]:  # like create_many: a generator of results
            with operation(client.documents, "Documents.create_many"):
                yield from range(10)

        batch = outcomes()
        assert next(batch) == 0
        assert not trace.get_current_span().get_span_context().is_valid
        with otel.tracer.start_as_current_span("consumer"):
            assert next(batch) == 1
        batch.close()  # left early: the span ends, no context was touched

    [parent] = [s for s in otel.spans() if s.name == "Documents.create_many"]
    assert parent.end_time is not None
    assert parent.status.status_code is StatusCode.ERROR  # GeneratorExit: left before the end
    assert (parent.attributes or {})["error.type"] == "interrupted"
    consumer = next(s for s in otel.spans() if s.name == "consumer")
    assert consumer.parent is None


def test_operation_is_a_shared_no_op_when_tracing_is_off() -> None:
    with numora.Numora(api_key=API_KEY, base_url=BASE_URL) as client:
        first = operation(client.documents, "Documents.create_many")
        second = operation(client, "Documents.create_many")
    assert first is second
    with first as op, op.activate():
        assert op.run(divmod, 7, 2) == (3, 1)
