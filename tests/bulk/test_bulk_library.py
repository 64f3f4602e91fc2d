"""documents.create_many on both clients: entries, content ids, re-runs, outcomes, failures
that stay per entry, wait=True, lazy consumption and the concurrency bound."""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from _clock import FakeClock
from numora import (
    APIConnectionError,
    BulkOutcome,
    ConflictError,
    NumoraError,
    UnsupportedFileTypeError,
    WaitTimeoutError,
)
from numora.testing import FakeNumora
from numora.testing._multipart import Part, parse

from .conftest import Run, async_client, batch, documents_on, sync_client

URL = "https://files.example.com/invoice.pdf"


def by_index(outcomes: list[BulkOutcome]) -> dict[int, BulkOutcome]:
    indexes = [o.index for o in outcomes]
    assert len(indexes) == len(set(indexes)), "an entry was reported twice"
    return {o.index: o for o in outcomes}


# --- what goes in, what comes out ---------------------------------------------------------


def test_every_kind_of_entry_is_created_and_reported_against_its_input(
    run: Run, files: Callable[..., list[Path]], fake: FakeNumora
) -> None:
    pdf, png_path = files(2)
    items: list[Any] = [
        str(pdf),
        png_path,  # os.PathLike
        URL,
        {"file_url": URL, "external_id": "inv-7", "metadata": {"batch": 7}},
        {"file": ("named.pdf", b"%PDF-1.7 bytes"), "schema": "receipt_v1"},
    ]
    outcomes = by_index(run(items, schema="invoice_v2"))

    assert sorted(outcomes) == list(range(len(items)))
    for index, outcome in outcomes.items():
        assert outcome.item is items[index]
        assert outcome.ok and outcome.error is None and outcome.status == "created"
        assert outcome.created and outcome.result is not None and outcome.result.created
        assert outcome.document_id == outcome.result.id
        assert outcome.document is None  # wait=False
    docs = {d["id"]: d for d in documents_on(fake)}
    assert len(docs) == len(items)
    assert docs[outcomes[3].document_id]["metadata"] == {"batch": 7}
    assert docs[outcomes[4].document_id]["schema"] == "receipt_v1"
    assert outcomes[2].external_id is None  # a URL without one is sent without one
    assert outcomes[3].external_id == "inv-7"


def test_files_get_a_content_derived_external_id(
    run: Run, files: Callable[..., list[Path]], fake: FakeNumora
) -> None:
    (path,) = files(1)
    data = b"%PDF-1.7 bytes"
    outcomes = by_index(run([path, {"file": ("x.pdf", data)}], schema="invoice_v2"))

    expected = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    assert outcomes[0].external_id == expected and len(expected) == 71
    assert outcomes[1].external_id == "sha256:" + hashlib.sha256(data).hexdigest()
    by_id = {d["external_id"]: d["id"] for d in documents_on(fake)}
    assert by_id[expected] == outcomes[0].document_id


class Recording(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Passes requests on to the fake, keeping each upload's form parts by name."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.forms: list[dict[str, Part]] = []

    def keep(self, request: httpx.Request) -> None:
        parts = parse(request.content, request.headers["content-type"])
        self.forms.append({part.name: part for part in parts})

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.keep(request)
        response: httpx.Response = self.inner.handle_request(request)
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.keep(request)
        response: httpx.Response = await self.inner.handle_async_request(request)
        return response


def test_each_upload_sends_the_bytes_its_external_id_was_derived_from(
    kind: str, fake: FakeNumora, tmp_path: Path
) -> None:
    # Small files are read once (hashed and sent from memory), large ones hashed and then
    # streamed from disk: either way the body carries the file's bytes, name and type.
    small, large, named = tmp_path / "small.pdf", tmp_path / "large.pdf", tmp_path / "n.bin"
    small.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    large.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 2_000)  # 500 KB
    named.write_bytes(b"%PDF-1.7\n" + b"named")
    transport = Recording(fake.transport() if kind == "sync" else fake.async_transport())
    items: list[Any] = [small, str(large), {"file": ("scan.pdf", named, "application/pdf")}]
    outcomes = by_index(
        batch(kind, fake, FakeClock(), items, schema="invoice_v2", transport=transport)
    )

    assert [outcomes[i].status for i in range(3)] == ["created"] * 3
    forms = {form["external_id"].content.decode(): form for form in transport.forms}
    for index, (path, filename) in enumerate(
        [(small, "small.pdf"), (large, "large.pdf"), (named, "scan.pdf")]
    ):
        data = path.read_bytes()
        external_id = "sha256:" + hashlib.sha256(data).hexdigest()
        assert outcomes[index].external_id == external_id
        upload = forms[external_id]["file"]
        assert upload.content == data
        assert (upload.filename, upload.content_type) == (filename, "application/pdf")


def test_running_the_same_batch_again_creates_nothing(
    run: Run, files: Callable[..., list[Path]], fake: FakeNumora, tmp_path: Path
) -> None:
    paths = files(6)
    items: list[Any] = [*paths, {"file_url": URL, "external_id": "inv-1"}]
    first = by_index(run(items, schema="invoice_v2", concurrency=3))
    # The same bytes under another name on another day: the same document.
    copy = tmp_path / "renamed-copy.pdf"
    copy.write_bytes(paths[0].read_bytes())
    again = by_index(run([*items, copy], schema="invoice_v2", concurrency=3))

    assert [o.status for o in first.values()] == ["created"] * len(items)
    assert [o.status for o in again.values()] == ["existed"] * (len(items) + 1)
    assert not any(o.created for o in again.values())
    assert {i: o.document_id for i, o in again.items() if i < len(items)} == {
        i: o.document_id for i, o in first.items()
    }
    assert again[len(items)].document_id == first[0].document_id
    assert len(list(documents_on(fake))) == len(items)


def test_a_url_without_external_id_is_not_replayed_after_an_ambiguous_failure(
    run: Run, fake: FakeNumora
) -> None:
    fake.fail_next(1, method="POST", path="/v1/documents", kind="reset", when="after")
    (outcome,) = run([URL], schema="invoice_v2")

    assert outcome.status == "failed"
    assert isinstance(outcome.error, APIConnectionError)
    assert "external_id" in str(outcome.error)  # it says how to make it safe
    assert len(list(documents_on(fake))) == 1  # created once, by the lost attempt


def test_a_file_is_replayed_after_an_ambiguous_failure_and_found(
    run: Run, files: Callable[..., list[Path]], fake: FakeNumora
) -> None:
    fake.fail_next(1, method="POST", path="/v1/documents", kind="reset", when="after")
    (outcome,) = run(files(1), schema="invoice_v2")

    assert outcome.status == "existed"  # the lost attempt created it; the replay found it
    assert len(list(documents_on(fake))) == 1


# --- one entry fails, the batch goes on ---------------------------------------------------

BAD_ENTRIES: list[tuple[str, Callable[[Path], Any], type[Exception], str]] = [
    ("neither", lambda d: "invoice-42", ValueError, "neither an existing file nor an https://"),
    ("http", lambda d: "http://files.example/a.pdf", ValueError, "https://"),
    ("folder", str, ValueError, "is a directory"),
    ("missing", lambda d: d / "gone.pdf", FileNotFoundError, "gone.pdf"),
    ("not-a-kind", lambda d: 42, TypeError, "got int"),
    ("bytes-entry", lambda d: b"%PDF", TypeError, "got bytes"),
    ("typo", lambda d: {"file_url": URL, "externalid": "x"}, TypeError, "'external_id'?"),
    ("both", lambda d: {"file_url": URL, "file": b"x"}, ValueError, "exactly one"),
    (
        "format",
        lambda d: (d / "notes.txt").write_text("hi") and d / "notes.txt",
        UnsupportedFileTypeError,
        "not an accepted format",
    ),
]


@pytest.mark.parametrize(
    ("entry", "error", "says"),
    [pytest.param(e, x, s, id=name) for name, e, x, s in BAD_ENTRIES],
)
def test_a_bad_entry_is_a_failed_outcome_not_a_crash(
    run: Run,
    files: Callable[..., list[Path]],
    fake: FakeNumora,
    tmp_path: Path,
    entry: Callable[[Path], Any],
    error: type[Exception],
    says: str,
) -> None:
    good = files(2)
    bad = entry(tmp_path)
    outcomes = by_index(run([good[0], bad, good[1]], schema="invoice_v2"))

    failed = outcomes[1]
    assert failed.status == "failed" and not failed.ok and failed.result is None
    assert isinstance(failed.error, error), repr(failed.error)
    assert says in str(failed.error)
    assert failed.item is bad
    assert [outcomes[0].status, outcomes[2].status] == ["created", "created"]
    assert len(list(documents_on(fake))) == 2  # nothing sent for the bad entry


def test_an_api_refusal_fails_that_entry_only(
    run: Run, files: Callable[..., list[Path]], fake: FakeNumora
) -> None:
    fake.fail_next(1, method="POST", path="/v1/documents", status=409)
    outcomes = run(files(5), schema="invoice_v2", concurrency=1)

    assert Counter(o.status for o in outcomes) == {"created": 4, "failed": 1}
    (failed,) = [o for o in outcomes if not o.ok]
    assert isinstance(failed.error, ConflictError)


# --- wait=True ----------------------------------------------------------------------------


def test_wait_returns_each_document_once_extracted(
    kind: str, files: Callable[..., list[Path]], clock: FakeClock
) -> None:
    fake = FakeNumora(clock=clock, processing_delay=30)
    items = files(4)
    outcomes = batch(kind, fake, clock, items, schema="invoice_v2", wait=True, poll_interval=5)

    assert len(outcomes) == 4
    for outcome in outcomes:
        assert outcome.ok, outcome.error
        assert outcome.document is not None and outcome.result is not None
        assert outcome.document.id == outcome.result.id
        assert outcome.document.status == "review_required"
    assert clock.sleeps and max(clock.sleeps) <= 10  # polls, on the fake clock


def test_a_wait_that_times_out_fails_the_entry_but_keeps_the_document(
    kind: str, files: Callable[..., list[Path]], clock: FakeClock
) -> None:
    fake = FakeNumora(clock=clock)  # documents stay processing
    (outcome,) = batch(kind, fake, clock, files(1), schema="invoice_v2", wait=True, deadline=20)

    assert outcome.status == "failed"
    assert isinstance(outcome.error, WaitTimeoutError)
    assert outcome.result is not None and outcome.result.created
    assert outcome.document is None


# --- lazy, bounded ------------------------------------------------------------------------


class Source:
    """A generator of URL entries that counts what was taken from it."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.pulled = 0

    def __iter__(self) -> Iterator[dict[str, str]]:
        for i in range(self.n):
            self.pulled += 1
            yield {"file_url": URL, "external_id": f"lazy-{i}"}


def test_entries_are_pulled_only_as_slots_free_up(
    kind: str, fake: FakeNumora, clock: FakeClock
) -> None:
    concurrency, total = 4, 300
    source = Source(total)
    ahead: list[int] = []

    def consume(outcomes: list[int]) -> None:
        ahead.append(source.pulled - len(outcomes))

    if kind == "sync":
        seen: list[int] = []
        with sync_client(fake, clock) as client:
            for outcome in client.documents.create_many(
                iter(source), schema="invoice_v2", concurrency=concurrency
            ):
                seen.append(outcome.index)
                consume(seen)
    else:

        async def main() -> list[int]:
            seen: list[int] = []
            async with async_client(fake, clock) as client:
                async for outcome in client.documents.create_many(
                    iter(source), schema="invoice_v2", concurrency=concurrency
                ):
                    seen.append(outcome.index)
                    consume(seen)
            return seen

        seen = asyncio.run(main())

    assert sorted(seen) == list(range(total))
    # Taken but not yet reported: the ones in flight and the one just reported.
    assert max(ahead) <= concurrency
    assert source.pulled == total


def test_an_async_iterable_of_entries_works_on_the_async_client(
    fake: FakeNumora, clock: FakeClock
) -> None:
    async def entries() -> AsyncIterator[str]:
        for i in range(5):
            yield f"https://files.example.com/{i}.pdf"

    async def main() -> list[BulkOutcome]:
        async with async_client(fake, clock) as client:
            return [o async for o in client.documents.create_many(entries(), schema="invoice_v2")]

    assert sorted(o.index for o in asyncio.run(main())) == list(range(5))


class Gate:
    """Counts requests in flight; holds the first ones until ``width`` are in flight together
    (then opens for good), so that the bound is reached, and records the most ever seen."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.in_flight = 0
        self.most = 0
        self.open = False

    def entered(self) -> None:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        self.open = self.open or self.in_flight >= self.width


class GatedTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, gate: Gate) -> None:
        self.inner, self.gate = inner, gate
        self.changed = threading.Condition()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self.changed:
            self.gate.entered()
            self.changed.notify_all()
            self.changed.wait_for(lambda: self.gate.open, timeout=10)
        try:
            return self.inner.handle_request(request)
        finally:
            with self.changed:
                self.gate.in_flight -= 1


class AsyncGatedTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, gate: Gate) -> None:
        self.inner, self.gate = inner, gate
        self.opened = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.gate.entered()
        if self.gate.open:
            self.opened.set()
        try:
            await asyncio.wait_for(self.opened.wait(), 10)
            return await self.inner.handle_async_request(request)
        finally:
            self.gate.in_flight -= 1


def test_at_most_concurrency_requests_are_in_flight(kind: str, fake: FakeNumora, run: Run) -> None:
    concurrency = 4
    items = [{"file_url": URL, "external_id": f"c-{i}"} for i in range(4 * concurrency)]
    gate = Gate(concurrency)
    transport: Any = (
        GatedTransport(fake.transport(), gate)
        if kind == "sync"
        else AsyncGatedTransport(fake.async_transport(), gate)
    )
    outcomes = run(items, schema="invoice_v2", concurrency=concurrency, transport=transport)
    assert [o.status for o in outcomes] == ["created"] * len(items)
    assert gate.most == concurrency  # reached, never exceeded


# --- leaving early ------------------------------------------------------------------------


def test_breaking_out_stops_sending(kind: str, fake: FakeNumora, clock: FakeClock) -> None:
    source = Source(1_000)
    if kind == "sync":
        with sync_client(fake, clock) as client:
            for _ in client.documents.create_many(iter(source), schema="invoice_v2", concurrency=4):
                break
    else:
        from contextlib import aclosing

        async def main() -> None:
            async with async_client(fake, clock) as client:
                batch = client.documents.create_many(
                    iter(source), schema="invoice_v2", concurrency=4
                )
                async with aclosing(batch) as outcomes:
                    async for _ in outcomes:
                        break

        asyncio.run(main())
    sent = [r for r in fake.requests if r.method == "POST"]
    assert source.pulled <= 5
    assert len(sent) <= 5


def test_errors_are_numora_errors_with_the_reason(
    run: Run, fake: FakeNumora, files: Callable[..., list[Path]]
) -> None:
    fake.fail_next(3, method="POST", path="/v1/documents", status=503)
    (outcome,) = run(files(1), schema="invoice_v2", max_retries=1)
    assert isinstance(outcome.error, NumoraError)
    assert "503" in str(outcome.error)
    assert repr(outcome).startswith("<BulkOutcome #0 failed error=")


# --- arguments: checked as annotated, before anything is sent -----------------------------

BAD_ARGUMENTS: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    ("typo", {"concurrence": 4}, TypeError, "'concurrence'; did you mean 'concurrency'?"),
    ("option-typo", {"max_retires": 1}, TypeError, "did you mean 'max_retries'?"),
    ("request-id", {"request_id": "req_1"}, TypeError, "unexpected keyword argument 'request_id'"),
    ("schema-type", {"schema": 123}, TypeError, "argument 'schema' must be str, got int"),
    ("schema-empty", {"schema": " "}, ValueError, "schema must be a non-empty"),
    ("concurrency-type", {"concurrency": "8"}, TypeError, "'concurrency' must be int, got str"),
    ("concurrency-bool", {"concurrency": True}, TypeError, "'concurrency' must be int, got bool"),
    ("concurrency-range", {"concurrency": 0}, ValueError, "from 1 to 100"),
    ("concurrency-high", {"concurrency": 101}, ValueError, "from 1 to 100"),
    ("wait-type", {"wait": "yes"}, TypeError, "'wait' must be bool, got str"),
    ("deadline-type", {"wait": True, "deadline": "5"}, TypeError, "'deadline' must be float"),
    ("deadline-range", {"deadline": -1}, ValueError, "deadline must be a positive"),
    ("poll-nan", {"poll_interval": float("nan")}, ValueError, "poll_interval must be"),
    ("timeout", {"timeout": -1}, ValueError, "timeout must be a positive number"),
    ("max-retries", {"max_retries": -1}, ValueError, "max_retries must be an int >= 0"),
    ("headers", {"extra_headers": ["x"]}, TypeError, "'extra_headers' must be Mapping[str, str]"),
]


@pytest.mark.parametrize(
    ("arguments", "error", "says"),
    [pytest.param(a, e, s, id=name) for name, a, e, s in BAD_ARGUMENTS],
)
def test_bad_arguments_raise_at_the_call_and_send_nothing(
    kind: str,
    fake: FakeNumora,
    clock: FakeClock,
    arguments: dict[str, Any],
    error: type[Exception],
    says: str,
) -> None:
    source = Source(3)
    arguments = {"schema": "invoice_v2", **arguments}

    def call(client: Any) -> None:
        with pytest.raises(error) as raised:
            client.documents.create_many(iter(source), **arguments)  # not even iterated
        assert says in str(raised.value)

    if kind == "sync":
        with sync_client(fake, clock) as client:
            call(client)
    else:

        async def main() -> None:
            async with async_client(fake, clock) as client:
                call(client)

        asyncio.run(main())
    assert source.pulled == 0
    assert fake.requests == []


BAD_ITEMS: list[tuple[str, Any, str]] = [
    ("one-path", "scans/a.pdf", "got one str; wrap a single entry in a list"),
    ("folder-path", Path("scans"), "must be Iterable[BulkItem] | AsyncIterable[BulkItem], got"),
    ("one-mapping", {"file_url": URL}, "got one dict"),
    ("not-iterable", 42, "must be Iterable[BulkItem] | AsyncIterable[BulkItem], got int"),
]


@pytest.mark.parametrize(("items", "says"), [pytest.param(i, s, id=n) for n, i, s in BAD_ITEMS])
def test_items_must_be_an_iterable_of_entries(
    kind: str, fake: FakeNumora, clock: FakeClock, items: Any, says: str
) -> None:
    client: Any = sync_client(fake, clock) if kind == "sync" else async_client(fake, clock)
    with pytest.raises(TypeError) as raised:
        client.documents.create_many(items, schema="invoice_v2")
    assert "items" in str(raised.value)
    assert says in str(raised.value)


def test_an_async_iterable_on_the_sync_client_says_which_client_to_use(
    fake: FakeNumora, clock: FakeClock
) -> None:
    async def entries() -> AsyncIterator[str]:
        yield URL

    with (
        sync_client(fake, clock) as client,
        pytest.raises(TypeError, match="use AsyncNumora"),
    ):
        client.documents.create_many(entries(), schema="invoice_v2")  # type: ignore[arg-type]


def test_raw_response_views_refuse_create_many(fake: FakeNumora, clock: FakeClock) -> None:
    with sync_client(fake, clock) as client, pytest.raises(TypeError, match="with_raw_response"):
        client.with_raw_response.documents.create_many([URL], schema="invoice_v2")  # type: ignore[misc]


def test_the_signature_is_the_real_one(fake: FakeNumora, clock: FakeClock) -> None:
    import inspect

    with sync_client(fake, clock) as client:
        method = client.documents.create_many
        parameters = inspect.signature(method).parameters
        assert list(parameters) == [
            "items", "schema", "concurrency", "wait", "deadline", "poll_interval",
            "timeout", "max_retries", "extra_headers", "extra_query", "extra_body",
        ]  # fmt: skip
        assert method.__qualname__ == "Documents.create_many"
        assert "content-derived" in (method.__doc__ or "")


def test_the_async_client_hashes_files_off_the_event_loop(
    fake: FakeNumora,
    clock: FakeClock,
    files: Callable[..., list[Path]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import numora._bulk

    hashed_in: list[threading.Thread] = []
    real = numora._bulk.content_external_id

    def recording(content: Any) -> str:
        hashed_in.append(threading.current_thread())
        return real(content)

    monkeypatch.setattr(numora._bulk, "content_external_id", recording)

    async def main() -> tuple[list[BulkOutcome], threading.Thread]:
        async with async_client(fake, clock) as client:
            outcomes = [
                o async for o in client.documents.create_many(files(3), schema="invoice_v2")
            ]
        return outcomes, threading.current_thread()

    outcomes, loop_thread = asyncio.run(main())
    assert [o.status for o in outcomes] == ["created"] * 3
    assert len(hashed_in) == 3 and loop_thread not in hashed_in


def test_leaving_early_does_not_wait_for_polls_to_run_out(kind: str, fake: FakeNumora) -> None:
    # Real time here (clients of our own, not the fake's, which run on its clock): documents
    # never leave processing, so each wait would poll for its whole 60 s deadline. Leaving
    # the loop must end them at once.
    import time

    import httpx

    from numora import AsyncNumora, Numora

    key, base = fake.api_key, "http://numora.localhost"
    items = [URL, "https://files.example.com/2.pdf", "not-a-file-or-url"]
    arguments: dict[str, Any] = {"schema": "invoice_v2", "wait": True, "deadline": 60.0}
    started = time.monotonic()
    if kind == "sync":
        http = httpx.Client(transport=fake.transport())
        with Numora(api_key=key, base_url=base, http_client=http) as client, http:
            batch = client.documents.create_many(items, concurrency=3, **arguments)
            outcome = next(batch)
            batch.close()  # what leaving a for loop early does
    else:
        from contextlib import aclosing

        async def main() -> BulkOutcome:
            http = httpx.AsyncClient(transport=fake.async_transport())
            async with AsyncNumora(api_key=key, base_url=base, http_client=http) as client, http:
                batch = client.documents.create_many(items, concurrency=3, **arguments)
                async with aclosing(batch) as outcomes:
                    async for first in outcomes:
                        return first
            raise AssertionError("no outcome")

        outcome = asyncio.run(main())
    assert outcome.index == 2 and outcome.status == "failed"
    assert time.monotonic() - started < 30  # not the 60 s deadline of the waits
    assert len([r for r in fake.requests if r.method == "POST"]) == 2
