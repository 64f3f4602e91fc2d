"""Every route on both clients: what goes over the wire, and what the method returns."""

from __future__ import annotations

import datetime as dt
import functools
import json
import warnings
from pathlib import Path
from typing import Any

import httpx
import jsonschema  # type: ignore[import-untyped,unused-ignore]
import pytest
import respx
import yaml  # type: ignore[import-untyped,unused-ignore]

from numora import APIResponse, AsyncNumora, Numora
from numora.resources.documents import CreatedDocument
from numora.types import Document

from ._cases import (
    ACCEPTED,
    CASES,
    DOCUMENT,
    POLLING_HELPERS,
    UPDATED,
    Case,
    multipart_parts,
)
from .conftest import API_KEY, BASE_URL, Api

pytestmark = pytest.mark.anyio

SPEC = Path(__file__).resolve().parents[2] / "spec" / "numora-v1.openapi.yaml"
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
ID_CASES = [case for case in CASES if case.empty_id is not None]


@functools.cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return loaded


def spec_routes() -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in spec()["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


def spec_errors(schema: dict[str, Any], instance: object) -> list[str]:
    """Where ``instance`` breaks ``schema`` (whose $refs point into the spec's components)."""
    validator = jsonschema.Draft202012Validator({**schema, "components": spec()["components"]})
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def public_methods(obj: object, prefix: str) -> set[str]:
    """Dotted names of the public methods reachable from a client's resources."""
    found: set[str] = set()
    for name in dir(obj):
        if name.startswith("_") or name == "with_raw_response":
            continue
        attr = getattr(obj, name)
        if type(attr).__module__.startswith("numora.resources."):
            found |= public_methods(attr, f"{prefix}{name}.")
        elif prefix and callable(attr):
            found.add(f"{prefix}{name}")
    return found


def method_name(case: Case) -> str:
    return case.name.split(" ")[0]


# --- the table is complete ------------------------------------------------------------------


def test_the_table_covers_the_37_routes_of_the_contract() -> None:
    routes = {(case.method, case.template) for case in CASES}
    assert len(routes) == 37
    assert routes == spec_routes()


def test_the_table_covers_every_public_method() -> None:
    with Numora(API_KEY, base_url=BASE_URL) as client:
        methods = public_methods(client, "")
    batch_helpers = {"documents.create_many"}  # many creates, not one route: tests/bulk/
    assert methods == {method_name(case) for case in CASES} | POLLING_HELPERS | batch_helpers


def test_every_route_with_an_id_has_an_empty_id_row() -> None:
    assert {c.name for c in CASES if "{" in c.template} == {c.name for c in ID_CASES}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_row_agrees_with_the_spec(case: Case) -> None:
    operation = spec()["paths"][case.template][case.method.lower()]
    parameters = [
        spec()["components"]["parameters"][p["$ref"].rsplit("/", 1)[-1]] if "$ref" in p else p
        for p in operation.get("parameters", [])
    ]
    assert set(case.query) <= {p["name"] for p in parameters if p["in"] == "query"}
    assert str(case.status) in operation["responses"]
    response = operation["responses"][str(case.status)]["content"]["application/json"]
    assert spec_errors(response["schema"], case.response) == []
    body = operation.get("requestBody", {}).get("content", {})
    if case.json is not None:
        assert spec_errors(body["application/json"]["schema"], case.json) == []
    elif case.multipart is not None:
        form = {name: part.data.decode("latin-1") for name, part in case.multipart.items()}
        assert spec_errors(body["multipart/form-data"]["schema"], form) == []
    else:
        assert not body


async def test_both_clients_are_served_by_the_same_resource_classes() -> None:
    # One definition per endpoint: the async client's resources are the very same classes.
    with Numora(API_KEY, base_url=BASE_URL) as sync:
        async with AsyncNumora(API_KEY, base_url=BASE_URL) as client:
            for name in public_methods(sync, ""):
                *path, method = name.split(".")
                owner_sync: Any = sync
                owner_async: Any = client
                for part in path:
                    owner_sync = getattr(owner_sync, part)
                    owner_async = getattr(owner_async, part)
                assert type(owner_sync) is type(owner_async), name
                assert getattr(owner_sync, method).__doc__, f"{name} has no docstring"


# --- each route, on each client -------------------------------------------------------------


def check_request(request: httpx.Request, case: Case) -> None:
    assert request.method == case.method
    assert request.url.raw_path.decode().split("?")[0] == case.path
    assert sorted(request.url.params.multi_items()) == sorted(case.query.items())
    if case.multipart is not None:
        parts, expected = multipart_parts(request), dict(case.multipart)
        # metadata travels as a JSON string: compare what it says, not its spacing
        if "metadata" in expected:
            assert json.loads(parts.pop("metadata").data) == json.loads(
                expected.pop("metadata").data
            )
        assert parts == expected
    elif case.json is not None:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == case.json
    else:
        assert request.content == b""
        assert "content-type" not in request.headers


async def call_case(api: Api, case: Case) -> Any:
    if case.deprecated:
        with pytest.warns(DeprecationWarning):
            return await api(case.call)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        return await api(case.call)


@pytest.mark.parametrize("case", CASES, ids=str)
async def test_route(api: Api, server: respx.MockRouter, case: Case) -> None:
    route = server.route().respond(
        case.status, json=case.response, headers={"x-request-id": "req_1"}
    )

    result = await call_case(api, case)

    assert route.call_count == 1
    check_request(route.calls.last.request, case)
    if case.page:
        assert isinstance(result, api.page_type)
        assert [type(item) for item in result.data] == [case.result]
        assert result.data[0] == case.result.from_dict(case.response["data"][0])
        assert result.next_cursor is None
        assert not result.has_next_page()
        assert result.request_id == "req_1"
    else:
        assert isinstance(result, case.result)
        assert result == type(result).from_dict(case.response)
        assert result._request_id == "req_1"


@pytest.mark.parametrize("case", ID_CASES, ids=str)
async def test_an_empty_id_raises_before_sending(
    api: Api, server: respx.MockRouter, case: Case
) -> None:
    route = server.route().respond(500)
    assert case.empty_id is not None
    with pytest.raises(ValueError, match="non-empty"):
        await api(case.empty_id)
    assert not route.called


RAW_CASES = [
    case
    for case in CASES
    if case.name
    in {
        "documents.create (file_url)",
        "documents.list",
        "documents.retrieve",
        "webhook_endpoints.delete",
        "runs.logs.list",
    }
]


@pytest.mark.parametrize("case", RAW_CASES, ids=str)
async def test_route_with_raw_response(api: Api, server: respx.MockRouter, case: Case) -> None:
    route = server.route().respond(
        case.status,
        json=case.response,
        headers={"x-request-id": "req_raw", "x-rate-limit-remaining": "41"},
    )

    response = await api.raw(case.call)

    assert isinstance(response, APIResponse)
    check_request(route.calls.last.request, case)
    assert response.status_code == case.status
    assert response.request_id == "req_raw"
    assert response.rate_limit.remaining == 41
    assert response.retries_taken == 0
    assert response.json() == case.response
    parsed = response.parse()
    if case.page:
        assert isinstance(parsed, api.page_type)
        assert [type(item) for item in parsed.data] == [case.result]
    else:
        assert isinstance(parsed, case.result)
    assert response.parse() is parsed


# --- arguments the contract spells out -------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "created"), [(202, True), (200, False)], ids=["accepted", "already-existed"]
)
async def test_create_says_whether_the_document_is_new(
    api: Api, server: respx.MockRouter, status: int, created: bool
) -> None:
    server.post("/documents").respond(status, json=ACCEPTED)

    result = await api(
        lambda c: c.documents.create(
            schema="invoice_v2", file_url="https://files.example/a.pdf", external_id="erp-1"
        )
    )

    assert isinstance(result, CreatedDocument)
    assert result.created is created
    assert result.already_existed is not created
    assert result.id == ACCEPTED["id"]


async def test_approve_takes_the_document_and_sends_its_updated_at(
    api: Api, server: respx.MockRouter
) -> None:
    route = server.post("/documents/doc_01jpwq8x4r2m3n/actions/approve").respond(
        json={**DOCUMENT, "status": "reviewed"}
    )
    document = Document.from_dict(DOCUMENT)

    result = await api(lambda c: c.documents.approve(document))

    assert json.loads(route.calls.last.request.content) == {"expected_updated_at": UPDATED}
    assert result.status == "reviewed"


@pytest.mark.parametrize(
    ("expected", "sent"),
    [
        ("2026-03-21T14:24:11.123Z", "2026-03-21T14:24:11.123Z"),  # a string goes out unchanged
        (
            dt.datetime(2026, 3, 21, 14, 24, 11, 123000, tzinfo=dt.timezone.utc),
            UPDATED[:-5] + ".123Z",
        ),
        (
            dt.datetime(2026, 3, 21, 9, 24, 11, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
            UPDATED,
        ),
    ],
    ids=["string", "utc-datetime", "offset-datetime"],
)
async def test_reject_with_a_document_and_an_explicit_expected_updated_at(
    api: Api, server: respx.MockRouter, expected: object, sent: str
) -> None:
    route = server.post("/documents/doc_01jpwq8x4r2m3n/actions/reject").respond(json=DOCUMENT)
    document = Document.from_dict(DOCUMENT)

    await api(lambda c: c.documents.reject(document, expected_updated_at=expected))

    assert json.loads(route.calls.last.request.content) == {"expected_updated_at": sent}


async def test_a_naive_datetime_is_refused_before_sending(
    api: Api, server: respx.MockRouter
) -> None:
    route = server.route().respond(500)
    with pytest.raises(ValueError, match="timezone-aware"):
        await api(
            lambda c: c.documents.approve(
                "doc_1", expected_updated_at=dt.datetime(2026, 3, 21, 14, 24)
            )
        )
    assert not route.called


async def test_schema_is_schema_underscore_on_models_and_schema_on_the_wire(
    api: Api, server: respx.MockRouter
) -> None:
    server.get("/documents/doc_1").respond(json=DOCUMENT)

    document = await api(lambda c: c.documents.retrieve("doc_1"))

    assert document.schema == "invoice_v2"
    assert document.to_dict()["schema"] == "invoice_v2"
    assert "schema_" not in document.to_dict()


async def test_secrets_in_results_are_masked_until_asked_for(
    api: Api, server: respx.MockRouter
) -> None:
    server.post("/api-keys").respond(json={**_case("api_keys.create").response})

    key = await api(lambda c: c.api_keys.create(name="ci", scopes=["documents:read"]))

    assert key.secret.get_secret_value() == "sk_live_ab12secret"
    assert "sk_live_ab12secret" not in repr(key)
    assert "sk_live_ab12secret" not in str(key.to_dict())


def _case(name: str) -> Case:
    return next(case for case in CASES if case.name == name)
