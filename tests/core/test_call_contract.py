"""Every public method means exactly what its signature says, on both clients and both raw
views: unknown keywords and wrong types are refused before anything is sent, ``help()`` and
``inspect.signature`` show the real parameters, and a closed client says so."""

from __future__ import annotations

import inspect
import pydoc
from collections.abc import AsyncGenerator, Generator, Iterator
from typing import Any

import httpx
import pytest
import respx
from core_helpers import API_KEY, API_ROOT, BASE_URL, DOCUMENT, Api

import numora
import numora.types
from numora import (
    APIResponse,
    AsyncNumora,
    AsyncPage,
    AsyncPaginator,
    ClientClosedError,
    Numora,
    NumoraError,
    SyncPage,
)

pytestmark = pytest.mark.anyio

FLAVOURS = ("sync", "async", "sync raw", "async raw")
OPTIONS = ["timeout", "max_retries", "extra_headers", "extra_query", "request_id"]


def _client(flavour: str) -> Any:
    cls = AsyncNumora if flavour.startswith("async") else Numora
    client = cls(api_key=API_KEY, base_url=BASE_URL)
    return client.with_raw_response if flavour.endswith("raw") else client


def methods(root: Any) -> Iterator[tuple[str, Any]]:
    """Every public method reachable from a client (``documents.create``, ``runs.logs.list``)."""

    def walk(resource: Any, prefix: str) -> Iterator[tuple[str, Any]]:
        for name in dir(resource):
            if name.startswith("_"):
                continue
            attr = getattr(resource, name)
            if inspect.isfunction(attr) or inspect.iscoroutinefunction(attr):
                yield f"{prefix}{name}", attr
            elif isinstance(attr, numora._resource.Resource):
                yield from walk(attr, f"{prefix}{name}.")

    for name in ("documents", "delivery", "dynamics", "schemas", "destinations", "mappings"):
        yield from walk(getattr(root, name), f"{name}.")
    for name in ("workflows", "runs", "webhook_endpoints", "api_keys"):
        yield from walk(getattr(root, name), f"{name}.")


NAMES = sorted(name for name, _ in methods(_client("sync")))
HELPERS = {"documents.wait", "documents.create_and_wait", "runs.wait"}
BATCHES = {"documents.create_many"}  # return their own iterator of outcomes


def _method(flavour: str, name: str) -> Any:
    target = _client(flavour)
    for part in name.split("."):
        target = getattr(target, part)
    return target


@pytest.fixture
def nothing_sent() -> Iterator[respx.MockRouter]:
    """Any request reaching the transport fails the test (no routes are mocked)."""
    with respx.mock(base_url=API_ROOT, assert_all_mocked=True, assert_all_called=False) as mock:
        yield mock
    assert not mock.calls, "a request was sent"


async def _call(method: Any, *args: Any, **kwargs: Any) -> Any:
    result = method(*args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


def test_the_method_list_covers_the_api() -> None:
    assert len(NAMES) == 41  # the 37 routes, 3 wait helpers and create_many
    assert {"documents.create", "documents.delivery.record", "runs.logs.list"} <= set(NAMES)


# --- unknown keywords -------------------------------------------------------------------


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("name", NAMES)
async def test_an_unknown_keyword_is_refused_naming_the_method_and_a_close_name(
    flavour: str, name: str, nothing_sent: respx.MockRouter
) -> None:
    method = _method(flavour, name)
    with pytest.raises(TypeError) as info:
        await _call(method, timout=1)
    message = str(info.value)
    assert message.startswith(method.__qualname__ + "() got an unexpected keyword argument")
    assert "'timout'" in message
    assert "did you mean 'timeout'?" in message


@pytest.mark.parametrize(
    ("call", "wrong", "right"),
    [
        (
            lambda c: c.documents.create(
                schema="invoice_v2", file_url="https://x.example/a.pdf", externalid="inv-1"
            ),
            "externalid",
            "external_id",
        ),
        (lambda c: c.documents.reject("doc_1", reson="blurry"), "reson", "reason"),
        (lambda c: c.documents.list(stauts="reviewed"), "stauts", "status"),
        (lambda c: c.documents.wait("doc_1", timout=1), "timout", "timeout"),
        (lambda c: c.documents.retrieve("doc_1", max_retires=0), "max_retires", "max_retries"),
        (lambda c: c.documents.retrieve("doc_1", extra_header={}), "extra_header", "extra_headers"),
        (lambda c: c.documents.retrieve("doc_1", extra_body={}), "extra_body", "extra_query"),
    ],
)
async def test_the_misspellings_users_make_are_refused_with_the_right_name(
    api: Api, nothing_sent: respx.MockRouter, call: Any, wrong: str, right: str
) -> None:
    error = await api.fails(TypeError, call)

    assert f"unexpected keyword argument {wrong!r}; did you mean {right!r}?" in str(error)


# --- wrong types ------------------------------------------------------------------------


def _parameters(name: str) -> list[inspect.Parameter]:
    return list(inspect.signature(_method("sync", name)).parameters.values())


CASES = [
    (name, param.name)
    for name in NAMES
    for param in _parameters(name)
    if param.name not in ("timeout",)  # timeout=None is valid (no timeout), object() is not
] + [(name, "timeout") for name in NAMES]


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize(("name", "param"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
async def test_every_argument_is_checked_against_its_annotation(
    flavour: str, name: str, param: str, nothing_sent: respx.MockRouter
) -> None:
    method = _method(flavour, name)
    params = inspect.signature(method).parameters
    before = [
        p
        for p in params.values()
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and p.name != param
    ]
    positional = ["doc_1" for p in before if list(params).index(p.name) < list(params).index(param)]
    wrong = object()  # of no annotated type: every parameter refuses it

    with pytest.raises(TypeError) as info:
        await _call(method, *positional, **{param: wrong})

    message = str(info.value)
    assert f"{method.__qualname__}() argument {param!r} must be " in message
    assert message.endswith("got object")


@pytest.mark.parametrize(
    ("call", "text"),
    [
        (
            lambda c: c.documents.create(schema=123, file_url="https://x.example/a.pdf"),
            "argument 'schema' must be str, got int",
        ),
        (lambda c: c.documents.retrieve(42), "argument 'document_id' must be str, got int"),
        (
            lambda c: c.documents.list(limit="10"),
            "argument 'limit' must be int | None, got str",
        ),
        (lambda c: c.documents.list(limit=True), "argument 'limit' must be int | None, got bool"),
        (
            lambda c: c.documents.create(
                schema="invoice_v2", file_url="https://x.example/a.pdf", metadata={"a": [1]}
            ),
            "got dict whose ['a'] is list",
        ),
        (
            lambda c: c.webhook_endpoints.create(url="https://x.example", events=["a", 3]),
            "got list whose item 1 is int",
        ),
        (
            lambda c: c.documents.delivery.record(
                "doc_1", provider="p", status="done", execution_id="e", attempted_at="now"
            ),
            "argument 'status' must be Literal['succeeded', 'failed', 'skipped'], got str",
        ),
        (
            lambda c: c.documents.retrieve("doc_1", extra_headers={"x-a": 1}),
            "argument 'extra_headers' must be Mapping[str, str] | None, got dict whose ['x-a']",
        ),
        (
            lambda c: c.documents.wait("doc_1", deadline="60"),
            "argument 'deadline' must be float, got str",
        ),
    ],
)
async def test_type_errors_say_what_was_expected_and_what_was_given(
    api: Api, nothing_sent: respx.MockRouter, call: Any, text: str
) -> None:
    error = await api.fails(TypeError, call)

    assert text in str(error)


async def test_a_type_error_never_shows_the_value_given(
    api: Api, nothing_sent: respx.MockRouter
) -> None:
    secret = ["sk_live_do_not_print_me"]
    error = await api.fails(
        TypeError,
        lambda c: c.destinations.create(provider="d", display_name="x", credentials=secret),
    )

    assert "sk_live" not in str(error)


async def test_missing_and_surplus_arguments_get_pythons_own_errors(
    api: Api, nothing_sent: respx.MockRouter
) -> None:
    missing = await api.fails(
        TypeError, lambda c: c.documents.create(file_url="https://x.example/a.pdf")
    )
    surplus = await api.fails(TypeError, lambda c: c.documents.retrieve("doc_1", "doc_2"))

    assert "Documents.create() missing 1 required keyword-only argument: 'schema'" in str(missing)
    assert "Documents.retrieve() takes 2 positional arguments but 3 were given" in str(surplus)


# --- signatures -------------------------------------------------------------------------


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("name", NAMES)
def test_each_method_shows_its_real_signature_name_and_docstring(flavour: str, name: str) -> None:
    method = _method(flavour, name)
    signature = inspect.signature(method)
    kinds = {p.kind for p in signature.parameters.values()}
    resource_class = type(_method(flavour, name.rsplit(".", 1)[0])) if "." in name else None

    assert inspect.Parameter.VAR_KEYWORD not in kinds
    assert inspect.Parameter.VAR_POSITIONAL not in kinds
    # The per-call options come last (create_many's calls each send their own request id).
    options = [o for o in OPTIONS if name not in BATCHES or o != "request_id"]
    names = list(signature.parameters)
    assert options in (names[-len(options) :], names[-len(options) - 1 : -1])
    assert resource_class is not None
    assert method.__qualname__ == f"{resource_class.__name__}.{name.rsplit('.', 1)[1]}"
    assert method.__doc__ and method.__doc__.strip()
    assert signature.return_annotation is not inspect.Signature.empty
    rendered = pydoc.render_doc(method)
    assert all(param in rendered for param in signature.parameters)


@pytest.mark.parametrize("name", NAMES)
def test_return_annotations_match_each_flavour(name: str) -> None:
    plain = inspect.signature(_method("sync", name)).return_annotation
    returns = {f: inspect.signature(_method(f, name)).return_annotation for f in FLAVOURS}

    if name in BATCHES:
        assert returns["sync"] == returns["sync raw"] == Generator[numora.BulkOutcome, None, None]
        assert returns["async"] == returns["async raw"] == AsyncGenerator[numora.BulkOutcome, None]
    elif name in HELPERS:
        assert set(returns.values()) == {plain}
    elif name.endswith(".list"):
        (item,) = plain.__args__
        assert plain == SyncPage[item]
        assert returns["async"] == AsyncPaginator[item]
        assert returns["sync raw"] == APIResponse[SyncPage[item]]
        assert returns["async raw"] == APIResponse[AsyncPage[item]]
    else:
        assert returns["async"] == plain
        assert returns["sync raw"] == returns["async raw"] == APIResponse[plain]


@pytest.mark.parametrize("name", NAMES)
def test_async_methods_are_coroutine_functions_except_list(name: str) -> None:
    method = _method("async", name)
    raw = _method("async raw", name)

    iterates = name.endswith(".list") or name in BATCHES
    assert inspect.iscoroutinefunction(method) != iterates
    assert inspect.iscoroutinefunction(raw) != (name in BATCHES)
    assert not inspect.iscoroutinefunction(_method("sync", name))


@pytest.mark.parametrize("name", sorted(set(NAMES) - BATCHES))
def test_every_returned_model_is_importable_from_numora_types(name: str) -> None:
    returned = inspect.signature(_method("sync", name)).return_annotation
    model = returned.__args__[0] if name.endswith(".list") else returned

    assert getattr(numora.types, model.__name__) is model
    assert model.__name__ in numora.types.__all__


def test_created_document_is_a_public_type() -> None:
    from numora.types import CreatedDocument

    created = CreatedDocument.from_dict(
        {"id": "d", "schema": "s", "status": "processing", "status_url": "/", "result_url": "/"}
    )
    assert created.created is True
    assert created.already_existed is False


def test_a_method_is_found_on_the_resource_after_first_use() -> None:
    documents = Numora(api_key=API_KEY, base_url=BASE_URL).documents

    assert documents.retrieve is documents.retrieve


# --- closed clients ---------------------------------------------------------------------


async def _first(method: Any, *args: Any) -> Any:
    """One call: an endpoint's result, or a list's first page."""
    result = method(*args)
    if isinstance(result, AsyncPaginator):
        return await result
    if inspect.isawaitable(result):
        return await result
    return result


@pytest.mark.parametrize(
    ("name", "args"),
    [("documents.retrieve", ("doc_1",)), ("documents.list", ()), ("documents.wait", ("doc_1",))],
)
async def test_every_call_on_a_closed_client_raises_client_closed(
    api: Api, nothing_sent: respx.MockRouter, name: str, args: tuple[str, ...]
) -> None:
    client = api.client()
    copy = client.with_options(timeout=5)
    await api.close(client)

    for target in (client, client.with_raw_response, copy):
        method = target
        for part in name.split("."):
            method = getattr(method, part)
        with pytest.raises(ClientClosedError) as info:
            await _first(method, *args)
        assert isinstance(info.value, NumoraError)
        assert isinstance(info.value, RuntimeError)
        assert "is closed" in str(info.value)
        assert "create a new one" in str(info.value)


async def test_closing_a_copy_closes_only_the_copy(api: Api, mock: respx.MockRouter) -> None:
    mock.get("/documents/doc_1").respond(json=DOCUMENT)
    client = api.client()
    copy = client.with_options(max_retries=0)
    await api.close(copy)

    assert (await api.call(lambda c: c.documents.retrieve("doc_1"), client)).id == "doc_1"
    await api.fails(ClientClosedError, lambda c: c.documents.retrieve("doc_1"), copy)
    assert copy.is_closed
    assert not client.is_closed


async def test_a_client_with_your_http_client_is_closed_too(
    api: Api, nothing_sent: respx.MockRouter
) -> None:
    client = api.client(http_client=api.http_client())
    await api.close(client)

    error = await api.fails(ClientClosedError, lambda c: c.documents.retrieve("doc_1"), client)

    assert "close" in str(error)


async def test_your_closed_http_client_gives_client_closed(
    api: Api, nothing_sent: respx.MockRouter
) -> None:
    http = api.http_client()
    client = api.client(http_client=http)
    closing = http.close() if isinstance(http, httpx.Client) else http.aclose()
    if inspect.isawaitable(closing):
        await closing

    await api.fails(ClientClosedError, lambda c: c.documents.retrieve("doc_1"), client)


async def test_clients_made_by_the_fake_close_like_production(api: Api) -> None:
    from numora.testing import FakeNumora

    fake = FakeNumora()
    client = fake.async_client() if api.kind == "async" else fake.client()
    await api.close(client)

    await api.fails(ClientClosedError, lambda c: c.documents.retrieve("doc_1"), client)
    with pytest.raises(ClientClosedError):
        await _first(client.documents.list)
