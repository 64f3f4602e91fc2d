"""documents.create(file=...): every input kind, streamed, and the two local refusals."""

from __future__ import annotations

import builtins
import contextlib
import io
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
import respx

from numora import (
    APIStatusError,
    AsyncNumora,
    BadRequestError,
    FileTooLargeError,
    UnsupportedFileTypeError,
)
from numora.types import CreatedDocument

from ._cases import ACCEPTED, PDF, Part, multipart_parts
from .conftest import API_KEY, BASE_URL, Api

pytestmark = pytest.mark.anyio

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CHUNK_LIMIT = 64 * 1024
OVER_LIMIT = 31 * 1024 * 1024


class RecordingReader(io.BufferedReader):
    """A binary file that records the size of every read()."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(io.FileIO(path, "rb"))
        self.reads: list[int | None] = []

    def read(self, size: int | None = -1, /) -> bytes:
        self.reads.append(size)
        return super().read(size)


@pytest.fixture
def accept(server: respx.MockRouter) -> respx.Route:
    return server.post("/documents").respond(202, json=ACCEPTED)


def create(file: Any, **kwargs: Any) -> Callable[[Any], Any]:
    return lambda c: c.documents.create(schema="invoice_v2", file=file, **kwargs)


def sent_file(route: respx.Route) -> Part:
    parts = multipart_parts(route.calls.last.request)
    assert parts["schema"] == Part(b"invoice_v2")
    return parts["file"]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# Each input kind, with the part the server must receive.
INPUTS: list[tuple[str, Callable[[Path], Any], Part]] = [
    ("str-path", lambda d: str(write(d / "inv.pdf", PDF)), Part(PDF, "inv.pdf", "application/pdf")),
    ("pathlike", lambda d: write(d / "scan.PNG", PNG), Part(PNG, "scan.PNG", "image/png")),
    ("bytes", lambda d: PDF, Part(PDF, "upload.pdf", "application/pdf")),
    ("bytesio", lambda d: io.BytesIO(PNG), Part(PNG, "upload.png", "image/png")),
    (
        "open-file",
        lambda d: write(d / "inv.pdf", PDF).open("rb"),
        Part(PDF, "inv.pdf", "application/pdf"),
    ),
    ("tuple", lambda d: ("invoice.pdf", PDF), Part(PDF, "invoice.pdf", "application/pdf")),
    (
        "tuple-with-type",
        lambda d: ("scan", io.BytesIO(PNG), "image/png"),
        Part(PNG, "scan", "image/png"),
    ),
    (
        "tuple-with-file-object",
        lambda d: ("renamed.pdf", write(d / "x.pdf", PDF).open("rb")),
        Part(PDF, "renamed.pdf", "application/pdf"),
    ),
]


@pytest.mark.parametrize(("make", "part"), [i[1:] for i in INPUTS], ids=[i[0] for i in INPUTS])
async def test_each_input_kind_is_sent_as_the_file_part(
    api: Api, accept: respx.Route, tmp_path: Path, make: Callable[[Path], Any], part: Part
) -> None:
    file = make(tmp_path)
    try:
        result = await api(create(file))
    finally:
        handle = file[1] if isinstance(file, tuple) else file
        if isinstance(handle, io.IOBase):
            handle.close()

    assert isinstance(result, CreatedDocument)
    assert sent_file(accept) == part


EXTENSIONS = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".heic": "image/heic",
    ".heif": "image/heif",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".bmp": "image/bmp",
}


@pytest.mark.parametrize(("extension", "content_type"), EXTENSIONS.items())
async def test_every_accepted_format_is_sent_with_its_content_type(
    api: Api, accept: respx.Route, extension: str, content_type: str
) -> None:
    await api(create((f"doc{extension.upper()}", b"data")))

    assert sent_file(accept).content_type == content_type


MAGIC = {
    "jpeg": (b"\xff\xd8\xff\xe0" + b"\x00" * 12, "image/jpeg"),
    "tiff": (b"II*\x00" + b"\x00" * 12, "image/tiff"),
    "gif": (b"GIF89a" + b"\x00" * 10, "image/gif"),
    "bmp": (b"BM" + b"\x00" * 14, "image/bmp"),
    "webp": (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    "heic": (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "image/heic"),
}


@pytest.mark.parametrize(("data", "content_type"), MAGIC.values(), ids=MAGIC.keys())
async def test_bytes_without_a_name_are_typed_by_their_first_bytes(
    api: Api, accept: respx.Route, data: bytes, content_type: str
) -> None:
    await api(create(data))

    assert sent_file(accept).content_type == content_type


# --- streaming -----------------------------------------------------------------------------


@pytest.fixture
def big_pdf(tmp_path: Path) -> Path:
    return write(tmp_path / "big.pdf", b"%PDF-1.7\n" + os.urandom(1024 * 1024))


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch, big_pdf: Path) -> list[RecordingReader]:
    """Every file the SDK opens at ``big_pdf``, as a RecordingReader."""
    files: list[RecordingReader] = []
    real_open = builtins.open

    def spy_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)) and os.fspath(file) == str(big_pdf):
            assert mode == "rb"
            reader = RecordingReader(big_pdf)
            files.append(reader)
            return reader
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    return files


def check_streamed(reads: list[int | None]) -> None:
    assert len(reads) > 1
    assert all(size is not None and 0 < size <= CHUNK_LIMIT for size in reads), reads


async def test_a_path_is_streamed_in_chunks_and_closed_after_the_call(
    api: Api, accept: respx.Route, big_pdf: Path, opened: list[RecordingReader]
) -> None:
    await api(create(big_pdf))

    assert sent_file(accept).data == big_pdf.read_bytes()
    assert len(opened) == 1
    check_streamed(opened[0].reads)
    assert opened[0].closed


async def test_a_path_is_closed_when_the_call_fails(
    api: Api, server: respx.MockRouter, big_pdf: Path, opened: list[RecordingReader]
) -> None:
    server.post("/documents").respond(
        422, json={"error": {"code": "invalid_schema", "message": "unknown schema"}}
    )

    with pytest.raises(APIStatusError):
        await api(create(big_pdf))

    assert len(opened) == 1
    assert opened[0].closed


async def test_a_file_object_is_streamed_and_left_open_for_its_owner(
    api: Api, accept: respx.Route, big_pdf: Path
) -> None:
    with RecordingReader(big_pdf) as file:
        await api(create(file))

        check_streamed(file.reads)
        assert not file.closed
    assert sent_file(accept).data == big_pdf.read_bytes()


async def test_a_retried_upload_sends_the_whole_file_again(
    api: Api, server: respx.MockRouter, big_pdf: Path
) -> None:
    # With external_id the create is safe to replay after a 503.
    route = server.post("/documents").mock(
        side_effect=[
            httpx.Response(503, json={"error": {"code": "internal_error", "message": "busy"}}),
            httpx.Response(202, json=ACCEPTED),
        ]
    )

    await api(create(big_pdf, external_id="erp-1"))

    assert route.call_count == 2
    for call in route.calls:
        assert multipart_parts(call.request)["file"].data == big_pdf.read_bytes()


# --- local refusals ------------------------------------------------------------------------


@pytest.fixture
def sparse_too_big(tmp_path: Path) -> Path:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as f:
        f.write(b"%PDF-1.7\n")
        f.truncate(OVER_LIMIT)  # sparse: nothing near 31 MB is written to disk
    return path


TOO_LARGE: list[tuple[str, Callable[[Path], Any]]] = [
    ("path", lambda p: p),
    ("str-path", str),
    ("file-object", lambda p: p.open("rb")),
    ("tuple", lambda p: ("huge.pdf", p.open("rb"))),
    ("bytesio", lambda p: io.BytesIO(bytes(OVER_LIMIT))),
]


@pytest.mark.parametrize("make", [m for _, m in TOO_LARGE], ids=[n for n, _ in TOO_LARGE])
async def test_a_file_over_30_mb_is_refused_before_sending(
    api: Api, server: respx.MockRouter, sparse_too_big: Path, make: Callable[[Path], Any]
) -> None:
    route = server.route().respond(202, json=ACCEPTED)
    file = make(sparse_too_big)
    try:
        with pytest.raises(FileTooLargeError, match="Nothing was sent") as caught:
            await api(create(file, external_id="erp-1"))
    finally:
        handle = file[1] if isinstance(file, tuple) else file
        if isinstance(handle, io.IOBase):
            handle.close()

    assert not route.called
    assert "30 MB" in str(caught.value)
    assert caught.value.code == "file_too_large"


UNSUPPORTED: list[tuple[str, Callable[[Path], Any]]] = [
    ("header-injection", lambda d: ("scan", PDF, "application/pdf\r\nX-Evil: 1")),
    ("txt-path", lambda d: write(d / "notes.txt", b"hello")),
    ("docx-tuple", lambda d: ("contract.docx", b"PK\x03\x04")),
    ("declared-type", lambda d: ("scan", b"%PDF-1.7", "text/plain")),
    ("unknown-bytes", lambda d: b"just some text, no magic"),
    ("unknown-stream", lambda d: io.BytesIO(b"\x00\x01\x02\x03 unknown")),
]


@pytest.mark.parametrize("make", [m for _, m in UNSUPPORTED], ids=[n for n, _ in UNSUPPORTED])
async def test_an_unsupported_format_is_refused_before_sending(
    api: Api, server: respx.MockRouter, tmp_path: Path, make: Callable[[Path], Any]
) -> None:
    route = server.route().respond(202, json=ACCEPTED)

    with pytest.raises(UnsupportedFileTypeError, match="Nothing was sent") as caught:
        await api(create(make(tmp_path)))

    assert not route.called
    assert caught.value.code == "unsupported_file_type"
    assert "PDF" in str(caught.value)


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (413, "file_too_large", FileTooLargeError),
        (415, "unsupported_file_type", UnsupportedFileTypeError),
    ],
)
async def test_the_server_refusal_raises_the_same_class(
    api: Api, server: respx.MockRouter, status: int, code: str, error: type[BadRequestError]
) -> None:
    server.post("/documents").respond(status, json={"error": {"code": code, "message": "no"}})

    with pytest.raises(error) as caught:
        await api(create(("inv.pdf", PDF)))

    assert caught.value.status_code == status


BAD_ARGUMENTS: list[tuple[str, Callable[[Any], Any], type[Exception]]] = [
    (
        "both",
        lambda c: c.documents.create(
            schema="invoice_v2", file=PDF, file_url="https://files.example/a.pdf"
        ),
        ValueError,
    ),
    ("neither", lambda c: c.documents.create(schema="invoice_v2"), ValueError),
    (
        "missing-path",
        lambda c: c.documents.create(schema="invoice_v2", file="/nope/x.pdf"),
        FileNotFoundError,
    ),
    (
        "text-mode",
        lambda c: c.documents.create(schema="invoice_v2", file=io.StringIO("text")),
        TypeError,
    ),
    ("not-a-file", lambda c: c.documents.create(schema="invoice_v2", file=42), TypeError),
]


@pytest.mark.parametrize(
    ("call", "error"), [b[1:] for b in BAD_ARGUMENTS], ids=[b[0] for b in BAD_ARGUMENTS]
)
async def test_bad_file_arguments_are_refused_before_sending(
    api: Api, server: respx.MockRouter, call: Callable[[Any], Any], error: type[Exception]
) -> None:
    route = server.route().respond(202, json=ACCEPTED)

    with pytest.raises(error):
        await api(call)

    assert not route.called


# --- every attempt sends the same bytes (issue 12) ------------------------------------------


class ReadOnly:
    """A binary stream with ``read()`` and nothing else: no seek, tell, fileno or name (a
    socket wrapper, a decompressor, ...). Records the thread of every read."""

    def __init__(self, source: io.BufferedIOBase | io.BytesIO) -> None:
        self._source = source
        self.threads: list[int] = []

    def read(self, size: int = -1) -> bytes:
        self.threads.append(threading.get_ident())
        return self._source.read(size)

    def close(self) -> None:
        self._source.close()


@contextmanager
def pipe_with(data: bytes) -> Iterator[IO[bytes]]:
    """The read end of a pipe another thread writes ``data`` into (more than the pipe holds,
    so the writer only finishes while the upload is being read)."""
    read_fd, write_fd = os.pipe()
    reader = os.fdopen(read_fd, "rb")

    def write() -> None:
        with contextlib.suppress(BrokenPipeError), os.fdopen(write_fd, "wb") as writer:
            writer.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        yield reader
    finally:
        reader.close()
        writer.join(timeout=5)


def busy_then_accept(server: respx.MockRouter) -> respx.Route:
    """429, then 503, then 202: the keyed create is replayed twice."""
    return server.post("/documents").mock(
        side_effect=[
            httpx.Response(429, json={"error": {"code": "rate_limited", "message": "slow"}}),
            httpx.Response(503, json={"error": {"code": "internal_error", "message": "busy"}}),
            httpx.Response(202, json=ACCEPTED),
        ]
    )


def sent_files(route: respx.Route) -> list[bytes]:
    return [multipart_parts(call.request)["file"].data for call in route.calls]


UPLOAD = b"%PDF-1.7\n" + os.urandom(300_000)  # over a pipe's 64 KiB buffer


async def test_an_upload_from_a_pipe_is_sent_whole_on_every_attempt(
    api: Api, server: respx.MockRouter
) -> None:
    route = busy_then_accept(server)

    with pipe_with(UPLOAD) as pipe:
        result = await api(create(("scan.pdf", pipe), external_id="erp-1"))

    assert isinstance(result, CreatedDocument)
    assert sent_files(route) == [UPLOAD] * 3
    for call in route.calls:
        assert call.request.headers["content-length"] == str(len(call.request.content))


async def test_an_upload_from_a_stream_that_cannot_seek_is_sent_whole_on_every_attempt(
    api: Api, server: respx.MockRouter
) -> None:
    route = busy_then_accept(server)
    stream = ReadOnly(io.BytesIO(UPLOAD))

    await api(create(("scan.pdf", stream), external_id="erp-1"))

    assert sent_files(route) == [UPLOAD] * 3


async def test_a_seekable_stream_is_sent_from_where_it_was_on_every_attempt(
    api: Api, server: respx.MockRouter, tmp_path: Path
) -> None:
    route = busy_then_accept(server)
    path = write(tmp_path / "bundle.bin", b"HEADER--" + UPLOAD)
    with path.open("rb") as file:
        file.seek(len(b"HEADER--"))  # the caller already consumed a header

        await api(create(("scan.pdf", file), external_id="erp-1"))

    assert sent_files(route) == [UPLOAD] * 3


async def test_an_unrewindable_stream_over_30_mb_is_refused_before_sending(
    api: Api, server: respx.MockRouter, sparse_too_big: Path
) -> None:
    route = server.route().respond(202, json=ACCEPTED)
    with (
        sparse_too_big.open("rb") as big,
        pytest.raises(FileTooLargeError, match="Nothing was sent"),
    ):
        await api(create(("huge.pdf", ReadOnly(big)), external_id="erp-1"))

    assert not route.called


async def test_the_async_client_reads_uploads_off_the_event_loop(
    accept: respx.Route, big_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop_thread = threading.get_ident()
    opened_on: list[int] = []
    real_open = builtins.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)) and os.fspath(file) == str(big_pdf):
            opened_on.append(threading.get_ident())
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    stream = ReadOnly(io.BytesIO(UPLOAD))
    async with httpx.AsyncClient() as http:
        client = AsyncNumora(API_KEY, base_url=BASE_URL, http_client=http)
        await client.documents.create(schema="invoice_v2", file=big_pdf)
        await client.documents.create(schema="invoice_v2", file=("scan.pdf", stream))

    assert opened_on and loop_thread not in opened_on
    assert stream.threads and loop_thread not in stream.threads
    assert accept.call_count == 2


async def test_a_file_is_opened_when_the_call_runs_not_when_it_is_described(
    accept: respx.Route, big_pdf: Path, opened: list[RecordingReader]
) -> None:
    stream = ReadOnly(io.BytesIO(UPLOAD))
    async with httpx.AsyncClient() as http:
        client = AsyncNumora(API_KEY, base_url=BASE_URL, http_client=http)
        by_path = client.documents.create(schema="invoice_v2", file=big_pdf)
        by_stream = client.documents.create(schema="invoice_v2", file=("scan.pdf", stream))

        assert opened == [] and stream.threads == []  # described, not run: nothing touched
        by_path.close()  # never awaited: never opened
        await by_stream

    assert opened == []
    assert stream.threads and accept.call_count == 1


class SeeksButNotToTheEnd(io.BytesIO):
    """Claims to seek, yet cannot seek to its end (some wrappers only rewind)."""

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_END:
            raise io.UnsupportedOperation("seek to the end")
        return super().seek(offset, whence)


async def test_a_stream_that_cannot_be_measured_is_held_and_sent_whole(
    api: Api, server: respx.MockRouter
) -> None:
    route = busy_then_accept(server)

    await api(create(("scan.pdf", SeeksButNotToTheEnd(UPLOAD)), external_id="erp-1"))

    assert sent_files(route) == [UPLOAD] * 3
