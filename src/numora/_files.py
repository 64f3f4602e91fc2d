"""Uploads for ``documents.create(file=...)``: checked, then sent the same on every attempt.

The API accepts PDF, JPEG, PNG, TIFF, HEIC, HEIF, WEBP, GIF and BMP up to 30 MB. Both limits
are checked before anything is sent, raising the same exception classes a server refusal
gives.

A resource method only describes the upload (:func:`prepare_upload` checks what it can without
touching the file). When the call runs, :meth:`Upload.open` opens and measures it (on the
async client in a worker thread, never on the event loop). Each attempt then sends the same
bytes, as one multipart body numora encodes itself (:class:`MultipartForm`):

* a path, or a file object that can seek, is streamed in 64 KiB chunks from where it was
  when the call started, and rewound there for every retry;
* bytes, and a stream that cannot seek (a pipe, a socket, a wrapper without ``seek``), are
  held in memory: read once, at most 30 MB (beyond that :class:`~numora.FileTooLargeError`,
  and nothing is sent).
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from ._exceptions import FileTooLargeError, UnsupportedFileTypeError

__all__ = ["MAX_UPLOAD_BYTES", "MultipartForm", "OpenedUpload", "Upload", "prepare_upload"]

MAX_UPLOAD_BYTES = 30 * 1024 * 1024
"""30 MB, the API's documented upload limit (read as MiB; the server has the last word)."""

CHUNK = 64 * 1024

_TYPES_BY_EXTENSION = {
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
_ACCEPTED_TYPES = frozenset(_TYPES_BY_EXTENSION.values())
_EXTENSION_BY_TYPE = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tiff",
    "image/heic": ".heic",
    "image/heif": ".heif",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "image/bmp": ".bmp",
}
_ACCEPTED_TEXT = "PDF, JPEG/JPG, PNG, TIFF, HEIC, HEIF, WEBP, GIF or BMP"


def _sniff(head: bytes) -> str | None:
    """The content type from a file's first bytes, for uploads without a filename."""
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head.startswith(b"BM"):
        return "image/bmp"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"):
            return "image/heic"
        if brand in (b"mif1", b"msf1", b"heif"):
            return "image/heif"
    return None


def _not_sent(message: str) -> str:
    return f"{message} Nothing was sent."


def _too_large(filename: str | None, size: int | None) -> FileTooLargeError:
    what = filename or "The upload"
    amount = f"is {size / 1024 / 1024:.1f} MB" if size is not None else "is over 30 MB"
    return FileTooLargeError(
        _not_sent(
            f"{what} {amount}; the API accepts at most {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        ),
        status_code=413,
        code="file_too_large",
    )


def _unsupported(message: str) -> UnsupportedFileTypeError:
    return UnsupportedFileTypeError(
        _not_sent(message), status_code=415, code="unsupported_file_type"
    )


def _extent(stream: IO[bytes]) -> tuple[int, int] | None:
    """Where a stream is now and how many bytes follow, if it can be rewound there;
    ``None`` when it cannot seek (or tell or seek to its end fails)."""
    try:
        seekable = stream.seekable() if hasattr(stream, "seekable") else hasattr(stream, "seek")
        if not seekable:
            return None
        here = stream.tell()
        end = stream.seek(0, os.SEEK_END)
        stream.seek(here)
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is both
        return None
    if not isinstance(here, int) or not isinstance(end, int):
        return None
    return here, max(0, end - here)


def _read_at_most(stream: IO[bytes], limit: int) -> bytes:
    """Up to ``limit`` bytes of a stream that cannot be rewound (it is read once)."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = stream.read(min(CHUNK, limit - size))
        if not chunk:
            break
        if not isinstance(chunk, bytes):
            raise TypeError("file must be opened in binary mode ('rb'): read() returned text")
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


@dataclass(frozen=True, slots=True)
class Upload:
    """An upload as a resource method describes it: checked, not yet opened or read."""

    source: Any  # a path, bytes, or a binary file object
    filename: str | None
    content_type: str | None
    field: str = "file"

    @property
    def in_memory(self) -> bool:
        """Opening it does no I/O (bytes, or an ``io.BytesIO``)."""
        return isinstance(self.source, (bytes, io.BytesIO))

    def open(self) -> OpenedUpload:
        """Open, measure and type the upload; raises (nothing sent) when it is refused.

        Blocking I/O: the async client runs it in a worker thread.
        """
        source = self.source
        filename = self.filename
        owned = False
        if isinstance(source, (str, os.PathLike)):
            path = os.fspath(source)
            if not os.path.isfile(path):
                raise FileNotFoundError(_not_sent(f"No file to upload at {path!r}."))
            stream: IO[bytes] = open(path, "rb")  # noqa: SIM115  (closed after the call)
            owned = True
        else:
            stream = io.BytesIO(source) if isinstance(source, bytes) else source
        try:
            extent = _extent(stream)
            if extent is None:
                # It cannot be rewound for a retry: hold it in memory (30 MB at most).
                data = _read_at_most(stream, MAX_UPLOAD_BYTES + 1)
                if len(data) > MAX_UPLOAD_BYTES:
                    raise _too_large(filename, None)
                stream, start, size = io.BytesIO(data), 0, len(data)
            else:
                start, size = extent
                if size > MAX_UPLOAD_BYTES:
                    raise _too_large(filename, size)
            content_type = self.content_type
            if content_type is None:
                head = stream.read(16)
                stream.seek(start)
                content_type = _sniff(head if isinstance(head, bytes) else b"")
                if content_type is None:
                    raise _unsupported(
                        "Could not tell the upload's format from its name or its first bytes; "
                        f"the API accepts {_ACCEPTED_TEXT}. Pass (filename, content) or "
                        "(filename, content, content_type)."
                    )
        except BaseException:
            if owned:
                stream.close()
            raise
        return OpenedUpload(
            field=self.field,
            filename=filename or "upload" + _EXTENSION_BY_TYPE.get(content_type, ""),
            content_type=content_type,
            stream=stream,
            start=start,
            size=size,
            owned=owned,
        )


class OpenedUpload:
    """An upload during its call: the stream, where its bytes start, and how many to send."""

    __slots__ = (
        "content_type",
        "field",
        "filename",
        "in_memory",
        "owned",
        "size",
        "start",
        "stream",
    )

    def __init__(
        self,
        *,
        field: str,
        filename: str,
        content_type: str,
        stream: IO[bytes],
        start: int,
        size: int,
        owned: bool,
    ) -> None:
        self.field = field
        self.filename = filename
        self.content_type = content_type
        self.stream = stream
        self.start = start
        self.size = size
        self.owned = owned
        self.in_memory = isinstance(stream, io.BytesIO)

    def _rewind(self) -> None:
        self.stream.seek(self.start)

    def _read(self, left: int) -> bytes:
        chunk = self.stream.read(min(CHUNK, left))
        if not chunk:
            raise OSError(
                f"{self.filename} ended {left} bytes short of the {self.size} bytes it had "
                "when the call started (was it truncated while uploading?); the upload was "
                "cut off."
            )
        return chunk[:left]

    def chunks(self) -> Iterator[bytes]:
        """The file's bytes, from its start (blocking reads: the sync client's)."""
        self._rewind()
        left = self.size
        while left > 0:
            chunk = self._read(left)
            left -= len(chunk)
            yield chunk

    async def achunks(self) -> AsyncIterator[bytes]:
        """The same bytes for the async client: file reads run in a worker thread."""
        if self.in_memory:
            for chunk in self.chunks():
                yield chunk
            return
        from anyio import to_thread

        await to_thread.run_sync(self._rewind)
        left = self.size
        while left > 0:
            chunk = await to_thread.run_sync(self._read, left)
            left -= len(chunk)
            yield chunk

    def close(self) -> None:
        """Close the file if numora opened it (a file object you passed stays open)."""
        if self.owned:
            self.stream.close()


def _quote(value: str) -> str:
    """A name or filename inside a quoted ``Content-Disposition`` parameter (HTML5 style)."""
    escaped = value.replace("\\", "\\\\").replace('"', "%22")
    return "".join(f"%{ord(c):02X}" if ord(c) < 0x20 else c for c in escaped)


class MultipartForm:
    """One upload and its form fields as a ``multipart/form-data`` body, encoded once per call
    (one boundary), so every attempt sends the same bytes."""

    __slots__ = ("_head", "_tail", "headers", "upload")

    def __init__(self, fields: Mapping[str, Any], upload: OpenedUpload) -> None:
        boundary = os.urandom(16).hex()
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{_quote(name)}"\r\n\r\n'
            f"{value}\r\n".encode()
            for name, value in fields.items()
        ]
        parts.append(
            (
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="{_quote(upload.field)}"; filename="{_quote(upload.filename)}"\r\n'
                f"Content-Type: {upload.content_type}\r\n\r\n"
            ).encode()
        )
        self._head = b"".join(parts)
        self._tail = f"\r\n--{boundary}--\r\n".encode()
        self.upload = upload
        size = len(self._head) + upload.size + len(self._tail)
        self.headers = {
            "content-type": f"multipart/form-data; boundary={boundary}",
            "content-length": str(size),
        }

    def body(self, for_async: bool) -> Any:
        """A fresh body for one attempt: an iterable, or an async one for the async client."""
        return _AsyncBody(self) if for_async else _SyncBody(self)


class _SyncBody:
    __slots__ = ("_form",)

    def __init__(self, form: MultipartForm) -> None:
        self._form = form

    def __iter__(self) -> Iterator[bytes]:
        form = self._form
        yield form._head
        yield from form.upload.chunks()
        yield form._tail


class _AsyncBody:
    __slots__ = ("_form",)

    def __init__(self, form: MultipartForm) -> None:
        self._form = form

    async def __aiter__(self) -> AsyncIterator[bytes]:
        form = self._form
        yield form._head
        async for chunk in form.upload.achunks():
            yield chunk
        yield form._tail


def prepare_upload(file: Any) -> Upload:
    """Check any accepted ``file=`` value without opening or reading it, or refuse it."""
    filename: str | None = None
    content_type: str | None = None
    content: Any = file
    if isinstance(file, tuple):
        if len(file) not in (2, 3) or not isinstance(file[0], str):
            raise TypeError(
                "file as a tuple must be (filename, content) or (filename, content, content_type)"
            )
        filename, content = file[0], file[1]
        content_type = file[2] if len(file) == 3 else None
        if content_type is not None and not isinstance(content_type, str):
            raise TypeError(f"the content type must be a str, got {type(content_type).__name__}")
    if isinstance(content, (str, os.PathLike)):
        filename = filename or os.path.basename(os.fspath(content))
    elif isinstance(content, (bytes, bytearray, memoryview)):
        content = bytes(content)
        if len(content) > MAX_UPLOAD_BYTES:
            raise _too_large(filename, len(content))
    elif hasattr(content, "read"):
        if isinstance(content, io.TextIOBase):
            raise TypeError("file must be opened in binary mode ('rb'), not text mode")
        name = getattr(content, "name", None)
        if filename is None and isinstance(name, str):
            filename = os.path.basename(name)
    else:
        raise TypeError(
            "file must be a path, bytes, a binary file object, or (filename, content"
            f"[, content_type]); got {type(content).__name__}"
        )
    if content_type is None and filename:
        content_type = _TYPES_BY_EXTENSION.get(os.path.splitext(filename)[1].lower())
        if content_type is None and os.path.splitext(filename)[1]:
            raise _unsupported(f"{filename!r} is not an accepted format ({_ACCEPTED_TEXT}).")
    if content_type is not None and (
        content_type.split(";")[0].strip().lower() not in _ACCEPTED_TYPES
        or not content_type.isprintable()  # it becomes a header line of the multipart body
    ):
        raise _unsupported(f"Content type {content_type!r} is not accepted ({_ACCEPTED_TEXT}).")
    return Upload(source=content, filename=filename, content_type=content_type)
