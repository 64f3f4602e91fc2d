"""Hostile responses: whatever comes back over the wire, a typed error or the data, never a crash.

A tiny local server answers each request with the raw bytes of the case named in its
``x-case`` header: HTML error pages, empty bodies, truncated JSON (and truncated HTTP),
wrong content types, unknown error codes and statuses, huge bodies, unknown fields and
enum values, odd ``retry-after`` values, a cursor that loops.
"""

from __future__ import annotations

import json
import pickle
import socketserver
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from _clock import FakeClock
from numora import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    Numora,
    NumoraError,
    ProviderError,
    RateLimitError,
    ServiceUnavailableError,
)

DOC: dict[str, Any] = {
    "id": "doc_1",
    "schema": "invoice_v2",
    "status": "review_required",
    "external_id": None,
    "metadata": {},
    "created_at": "2026-03-21T14:20:00.000Z",
    "updated_at": "2026-03-21T14:24:11Z",
    "review_state": None,
    "duplicate_of": None,
}
HUGE = 5_000_000


def http(status: int, body: bytes | str | object, content_type: str = "application/json") -> bytes:
    """A complete HTTP/1.1 response (the connection closes after it)."""
    if isinstance(body, str):
        body = body.encode()
    elif not isinstance(body, bytes):
        body = json.dumps(body).encode()
    head = (
        f"HTTP/1.1 {status} Whatever\r\ncontent-type: {content_type}\r\n"
        f"content-length: {len(body)}\r\nx-request-id: req_hostile\r\nconnection: close\r\n"
    )
    return head.encode() + b"\r\n" + body


def with_header(response: bytes, header: str) -> bytes:
    head, _, body = response.partition(b"\r\n\r\n")
    return head + b"\r\n" + header.encode() + b"\r\n\r\n" + body


def error_body(code: str, message: str = "nope") -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "request_id": "req_body"}}


@dataclass(frozen=True)
class Case:
    """One hostile answer; ``raises`` the error class expected, or ``check`` the result."""

    name: str
    response: bytes
    raises: type[Exception] | None = None
    check: Callable[[Any], object] | None = None
    call: str = "retrieve"


def check_unknowns(doc: Any) -> None:
    assert doc.status == "quantum_review"  # an unknown enum value is kept as sent
    assert doc.priority == {"level": 3}
    assert doc.to_dict()["priority"] == {"level": 3}
    assert doc.review_state.to_dict()["reviewer_mood"] == "good"


CASES = [
    # Error statuses whose body is not Numora's error JSON.
    Case(
        "html 502",
        http(502, "<html><h1>502 Bad Gateway</h1></html>", "text/html"),
        ProviderError,
    ),
    Case("empty 503", http(503, b""), ServiceUnavailableError),
    Case("truncated json 500", http(500, '{"error": {"code": "internal_err'), InternalServerError),
    Case("text 404", http(404, "Not Found", "text/plain"), NotFoundError),
    Case("non-utf8 500", http(500, b"\xff\xfe\x00garbage", "text/plain"), InternalServerError),
    Case("huge html 500", http(500, "<p>" + "x" * HUGE, "text/html"), InternalServerError),
    Case("error is a string", http(400, {"error": "bad"}), BadRequestError),
    Case("array body 422", http(422, [1, 2, 3]), BadRequestError),
    Case("json as text/html 409", http(409, error_body("conflict"), "text/html"), ConflictError),
    Case("unknown code", http(400, error_body("brand_new_code")), BadRequestError),
    Case("unknown status and code", http(418, error_body("teapot")), APIStatusError),
    Case("retry-after garbage", with_header(http(429, b""), "retry-after: soon"), RateLimitError),
    Case("retry-after nan", with_header(http(429, b""), "retry-after: nan"), RateLimitError),
    Case("retry-after huge", with_header(http(429, b""), "retry-after: 99999999"), RateLimitError),
    Case(
        "retry-after past date",
        with_header(http(503, b""), "retry-after: Wed, 21 Oct 2015 07:28:00 GMT"),
        ServiceUnavailableError,
    ),
    # Successful statuses with bodies that are not what the API documents.
    Case("200 html", http(200, "<html>hi</html>", "text/html"), APIResponseValidationError),
    Case("200 empty", http(200, b""), APIResponseValidationError),
    Case("200 truncated", http(200, json.dumps(DOC)[:60]), APIResponseValidationError),
    Case("200 null", http(200, "null"), APIResponseValidationError),
    Case(
        "200 missing id",
        http(200, {k: v for k, v in DOC.items() if k != "id"}),
        APIResponseValidationError,
    ),
    Case("200 bad date", http(200, {**DOC, "created_at": "yesterday"}), APIResponseValidationError),
    Case("201 list", http(201, []), APIResponseValidationError, call="create"),
    Case(
        "page data not a list",
        http(200, {"data": {"a": 1}}),
        APIResponseValidationError,
        call="list",
    ),
    Case(
        "cursor loops",
        http(200, {"data": [DOC], "next_cursor": "cur_same"}),
        APIResponseValidationError,
        call="walk",
    ),
    # Broken HTTP: no response to map, so a connection error.
    Case(
        "truncated http body",
        b'HTTP/1.1 200 OK\r\ncontent-length: 500\r\ncontent-type: application/json\r\n\r\n{"id',
        APIConnectionError,
    ),
    Case("not http", b"NOT HTTP AT ALL\r\n\r\n", APIConnectionError),
    Case(
        "bad gzip",
        with_header(http(200, DOC), "content-encoding: gzip"),
        APIError,
    ),
    # Data the SDK does not know yet is kept, not refused.
    Case(
        "unknown fields and enum values",
        http(
            200,
            {
                **DOC,
                "status": "quantum_review",
                "priority": {"level": 3},
                "review_state": {
                    "version": 1,
                    "confirmed_general_field_names": [],
                    "confirmed_line_item_ids": ["li_1"],
                    "reviewer_mood": "good",
                },
            },
        ),
        check=check_unknowns,
    ),
    Case(
        "json as text/plain",
        http(200, DOC, "text/plain"),
        check=lambda doc: doc.id == "doc_1",
    ),
    Case(
        "huge unknown field",
        http(200, {**DOC, "notes": "n" * HUGE}),
        check=lambda doc: len(doc.notes) == HUGE,
    ),
]
BY_NAME = {case.name: case for case in CASES}


class _Handler(socketserver.StreamRequestHandler):
    disable_nagle_algorithm = True

    def handle(self) -> None:
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            line = self.rfile.readline()
            if not line:
                return
            head += line
        headers = dict(
            line.split(": ", 1) for line in head.decode("latin-1").split("\r\n")[1:] if ": " in line
        )
        lowered = {name.lower(): value for name, value in headers.items()}
        self.rfile.read(int(lowered.get("content-length", 0)))
        self.wfile.write(BY_NAME[lowered["x-case"]].response)


@pytest.fixture(scope="module")
def hostile_url() -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def run(client: Numora, case: Case) -> Any:
    options: Any = {"extra_headers": {"x-case": case.name}}
    if case.call == "create":
        return client.documents.create(
            schema="invoice_v2", file_url="https://f.example/a.pdf", external_id="x", **options
        )
    if case.call == "list":
        return client.documents.list(**options)
    if case.call == "walk":
        return list(client.documents.list(**options))
    return client.documents.retrieve("doc_1", **options)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_hostile_response_gives_typed_error_or_data(hostile_url: str, case: Case) -> None:
    clock = FakeClock()
    with Numora(api_key="sk_test_hostile", base_url=hostile_url, max_retries=1) as client:
        clock.install(client)
        if case.raises is None:
            result = run(client, case)
            assert case.check is not None
            assert case.check(result) is not False
            return
        with pytest.raises(NumoraError) as raised:
            run(client, case)
    error = raised.value
    assert isinstance(error, case.raises), repr(error)
    # Whatever the body, the error reads well and travels.
    assert len(str(error)) < 2_000 and repr(error)
    assert isinstance(pickle.loads(pickle.dumps(error)), case.raises)
    if isinstance(error, APIStatusError):
        assert error.request_id in ("req_body", "req_hostile")
        assert len(str(error.body)) < 2_000


def test_error_fields_from_hostile_bodies(hostile_url: str) -> None:
    with Numora(api_key="sk_test_hostile", base_url=hostile_url, max_retries=0) as client:

        def error(name: str) -> Any:
            with pytest.raises(APIStatusError) as raised:
                run(client, BY_NAME[name])
            return raised.value

        unknown = error("unknown code")
        assert (unknown.code, unknown.status_code, unknown.request_id) == (
            "brand_new_code",
            400,
            "req_body",
        )
        teapot = error("unknown status and code")
        assert type(teapot) is APIStatusError and teapot.code == "teapot"
        html = error("html 502")
        assert html.code is None and "502 Bad Gateway" in str(html)
        assert "empty body" in str(error("empty 503"))
        assert error("json as text/html 409").code == "conflict"
        assert error("retry-after garbage").retry_after is None
        assert error("retry-after nan").retry_after is None
        assert error("retry-after huge").retry_after == 99_999_999
