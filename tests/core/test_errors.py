"""Error mapping: by the body's code first, then by status; odd bodies never break it."""

from __future__ import annotations

import pickle

import httpx
import pytest
import respx
from core_helpers import API_KEY, GET, Api, error_body, route

from numora import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    FileTooLargeError,
    InsufficientCreditsError,
    InternalServerError,
    InvalidPayloadError,
    InvalidSchemaError,
    NotFoundError,
    NumoraError,
    PermissionDeniedError,
    ProviderError,
    RateLimitError,
    ServerError,
    ServiceUnavailableError,
    UnsupportedFileTypeError,
)

pytestmark = pytest.mark.anyio

# The 12 documented codes, with the status the API sends them with.
CODES: list[tuple[str, int, type[APIStatusError]]] = [
    ("unauthorized", 401, AuthenticationError),
    ("forbidden", 403, PermissionDeniedError),
    ("invalid_payload", 400, InvalidPayloadError),
    ("invalid_schema", 422, InvalidSchemaError),
    ("unsupported_file_type", 415, UnsupportedFileTypeError),
    ("file_too_large", 413, FileTooLargeError),
    ("not_found", 404, NotFoundError),
    ("conflict", 409, ConflictError),
    ("rate_limited", 429, RateLimitError),
    ("insufficient_credits", 402, InsufficientCreditsError),
    ("provider_error", 502, ProviderError),
    ("internal_error", 500, InternalServerError),
]

# Without a usable code, the status decides.
STATUSES: list[tuple[int, type[APIStatusError]]] = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (402, InsufficientCreditsError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (413, FileTooLargeError),
    (415, UnsupportedFileTypeError),
    (418, APIStatusError),
    (422, BadRequestError),
    (429, RateLimitError),
    (500, InternalServerError),
    (502, ProviderError),
    (503, ServiceUnavailableError),
    (504, ServiceUnavailableError),
    (507, ServerError),
]


async def fail_with(
    api: Api, mock: respx.MockRouter, response: httpx.Response, client: object = None
) -> APIStatusError:
    route(mock, GET).return_value = response
    client = client or api.client(max_retries=0)
    err: APIStatusError = await api.fails(APIStatusError, GET.call, client)
    return err


@pytest.mark.parametrize(("code", "status", "cls"), CODES, ids=[c[0] for c in CODES])
async def test_each_documented_code_maps_to_its_class(
    api: Api, mock: respx.MockRouter, code: str, status: int, cls: type[APIStatusError]
) -> None:
    body = error_body(code, "Document doc_1 is not here.", "req_body_1")
    err = await fail_with(
        api, mock, httpx.Response(status, json=body, headers={"x-request-id": "req_header"})
    )

    assert type(err) is cls
    assert err.status_code == status
    assert err.code == code
    assert err.message == "Document doc_1 is not here."
    assert err.request_id == "req_body_1"  # the body's id wins over the header
    assert err.headers["x-request-id"] == "req_header"
    assert err.body == body
    assert err.response is not None and err.response.status_code == status
    text = str(err)
    assert code in text and "Document doc_1 is not here." in text and "req_body_1" in text


async def test_unknown_code_keeps_its_string_and_gets_the_status_class(
    api: Api, mock: respx.MockRouter
) -> None:
    client = api.client(max_retries=0)
    for status, cls in STATUSES:
        response = httpx.Response(status, json=error_body("quota_frozen", "Frozen.", "req_u"))
        err = await fail_with(api, mock, response, client)

        assert type(err) is cls, status
        assert err.code == "quota_frozen"
        assert err.message == "Frozen."
        assert "quota_frozen" in str(err)


@pytest.mark.parametrize(
    ("code", "status", "cls"),
    [
        ("invalid_schema", 400, InvalidSchemaError),
        ("invalid_payload", 422, InvalidPayloadError),
        ("provider_error", 503, ProviderError),
        ("not_found", 400, NotFoundError),
    ],
)
async def test_the_code_wins_over_the_status(
    api: Api, mock: respx.MockRouter, code: str, status: int, cls: type[APIStatusError]
) -> None:
    err = await fail_with(api, mock, httpx.Response(status, json=error_body(code)))

    assert type(err) is cls
    assert err.status_code == status


BAD_BODIES = {
    "html": (
        b"<html><head><title>502 Bad Gateway</title></head><body>"
        + b"<center>nginx</center>" * 100
        + b"</body></html>",
        "text/html",
    ),
    "empty": (b"", "application/json"),
    "truncated": (b'{"error": {"code": "not_fo', "application/json"),
    "json-not-error": (b'{"detail": "Not Found"}', "application/json"),
    "json-list": (b"[1, 2]", "application/json"),
    "error-not-object": (b'{"error": "boom"}', "application/json"),
    "wrong-types": (
        b'{"error": {"code": 7, "message": ["x"], "request_id": 1}}',
        "application/json",
    ),
    "binary": (b"\xff\xfe\x00garbage", "application/octet-stream"),
}


@pytest.mark.parametrize("kind", list(BAD_BODIES))
async def test_a_body_that_is_not_the_error_json_still_maps_by_status(
    api: Api, mock: respx.MockRouter, kind: str
) -> None:
    content, content_type = BAD_BODIES[kind]
    headers = {"content-type": content_type, "x-request-id": "req_from_header"}
    client = api.client(max_retries=0)
    for status, cls in STATUSES:
        response = httpx.Response(status, content=content, headers=headers)
        err = await fail_with(api, mock, response, client)

        assert type(err) is cls, status
        assert err.status_code == status
        assert err.code is None
        assert err.request_id == "req_from_header"
        assert len(err.message) < 400  # a short snippet, not the whole page
        assert "req_from_header" in str(err)


async def test_html_snippet_is_in_the_message(api: Api, mock: respx.MockRouter) -> None:
    content, _ = BAD_BODIES["html"]
    err = await fail_with(
        api, mock, httpx.Response(502, content=content, headers={"content-type": "text/html"})
    )

    assert isinstance(err, ProviderError)
    assert "502 Bad Gateway" in err.message
    assert isinstance(err.body, str) and len(err.body) < 300


async def test_request_id_comes_from_the_header_when_the_body_has_none(
    api: Api, mock: respx.MockRouter
) -> None:
    err = await fail_with(
        api,
        mock,
        httpx.Response(404, json=error_body("not_found"), headers={"x-request-id": "req_h"}),
    )

    assert err.request_id == "req_h"
    assert "req_h" in str(err)


async def test_no_request_id_from_the_server_means_the_one_sent(
    api: Api, mock: respx.MockRouter
) -> None:
    err = await fail_with(api, mock, httpx.Response(404, json=error_body("not_found")))

    assert err.request is not None
    assert err.request_id == err.request.headers["x-request-id"]
    assert str(err).startswith("404 not_found: ")


async def test_status_errors_pickle_and_unpickle(api: Api, mock: respx.MockRouter) -> None:
    body = error_body("conflict", "Stale expected_updated_at.", "req_p")
    err = await fail_with(api, mock, httpx.Response(409, json=body, headers={"retry-after": "3"}))

    blob = pickle.dumps(err)
    copy = pickle.loads(blob)

    assert type(copy) is ConflictError
    assert (copy.status_code, copy.code, copy.message, copy.request_id) == (
        409,
        "conflict",
        "Stale expected_updated_at.",
        "req_p",
    )
    assert copy.body == body
    assert copy.headers == err.headers
    assert str(copy) == str(err)
    assert API_KEY.encode() not in blob  # the request (with its Authorization) does not travel


@pytest.mark.parametrize(
    ("exception", "cls"),
    [(httpx.ConnectError, APIConnectionError), (httpx.ReadTimeout, APITimeoutError)],
)
async def test_transport_errors_pickle_and_unpickle(
    api: Api, mock: respx.MockRouter, exception: type[Exception], cls: type[APIError]
) -> None:
    route(mock, GET).side_effect = exception
    err = await api.fails(cls, GET.call, api.client(max_retries=0))

    copy = pickle.loads(pickle.dumps(err))

    assert type(copy) is cls
    assert str(copy) == str(err)
    assert isinstance(copy, APIConnectionError)


async def test_transport_errors_chain_the_httpx_cause(api: Api, mock: respx.MockRouter) -> None:
    route(mock, GET).side_effect = httpx.ConnectError("Name or service not known")
    err = await api.fails(APIConnectionError, GET.call, api.client(max_retries=0))

    assert not isinstance(err, APITimeoutError)
    assert isinstance(err.__cause__, httpx.ConnectError)
    assert "GET /v1/documents/doc_1" in str(err)
    assert err.request is not None


@pytest.mark.parametrize(
    "cls",
    [
        InvalidPayloadError,
        InvalidSchemaError,
        UnsupportedFileTypeError,
        FileTooLargeError,
        AuthenticationError,
        InsufficientCreditsError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        RateLimitError,
        InternalServerError,
        ProviderError,
        ServiceUnavailableError,
    ],
)
def test_hierarchy(cls: type[APIStatusError]) -> None:
    assert issubclass(cls, APIStatusError)
    assert issubclass(cls, APIError)
    assert issubclass(cls, NumoraError)
    if cls in (
        InvalidPayloadError,
        InvalidSchemaError,
        UnsupportedFileTypeError,
        FileTooLargeError,
    ):
        assert issubclass(cls, BadRequestError)
    if cls in (InternalServerError, ProviderError, ServiceUnavailableError):
        assert issubclass(cls, ServerError)
    assert issubclass(APITimeoutError, APIConnectionError)


@pytest.mark.parametrize(
    "content",
    [b"<html>maintenance</html>", b'{"id": "doc_1"}', b""],
    ids=["html", "partial", "empty"],
)
async def test_a_2xx_that_is_not_the_documented_shape_raises_validation_error(
    api: Api, mock: respx.MockRouter, content: bytes
) -> None:
    mock_route = route(mock, GET)
    mock_route.return_value = httpx.Response(200, content=content)

    err = await api.fails(APIResponseValidationError, GET.call, api.client())

    assert mock_route.call_count == 1  # a bad body is not retried
    assert err.status_code == 200
    assert "GET /v1/documents/doc_1" in str(err)

    raw = await api.call(lambda c: c.with_raw_response.documents.retrieve("doc_1"))
    with pytest.raises(APIResponseValidationError):
        raw.parse()


async def test_rate_limit_error_pickles_with_retry_after(api: Api, mock: respx.MockRouter) -> None:
    err = await fail_with(
        api,
        mock,
        httpx.Response(429, json=error_body("rate_limited"), headers={"retry-after": "120"}),
    )

    copy = pickle.loads(pickle.dumps(err))

    assert type(copy) is RateLimitError
    assert copy.retry_after == err.retry_after == 120.0
