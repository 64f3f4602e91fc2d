"""Uploads for ``documents.create(file=...)``: checked locally, then streamed.

The API accepts PDF, JPEG, PNG, TIFF, HEIC, HEIF, WEBP, GIF and BMP up to 30 MB. Both limits
are checked before anything is sent, raising the same exception classes a server refusal
gives. Paths and file objects are streamed in chunks by httpx, never read whole.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import IO, Any

from ._exceptions import FileTooLargeError, UnsupportedFileTypeError

__all__ = ["MAX_UPLOAD_BYTES", "Upload", "prepare_upload"]

MAX_UPLOAD_BYTES = 30 * 1024 * 1024
"""30 MB, the API's documented upload limit (read as MiB; the server has the last word)."""

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


@dataclass
class Upload:
    """A checked upload, ready for httpx's multipart encoder."""

    filename: str
    stream: IO[bytes]
    content_type: str
    owned: bool  # we opened it, so we close it after the call

    def as_httpx_file(self) -> tuple[str, IO[bytes], str]:
        return (self.filename, self.stream, self.content_type)


def _not_sent(message: str) -> str:
    return f"{message} Nothing was sent."


def _size_of(stream: IO[bytes]) -> int | None:
    try:
        if not stream.seekable():
            return None
        here = stream.tell()
        end = stream.seek(0, os.SEEK_END)
        stream.seek(here)
        return end  # httpx rewinds to 0 and sends the whole file, so that is what counts
    except (OSError, ValueError, AttributeError):
        return None


def _peek(stream: IO[bytes]) -> bytes:
    try:
        if not stream.seekable():
            return b""
        here = stream.tell()
        head = stream.read(16)
        stream.seek(here)
        return head if isinstance(head, bytes) else b""
    except (OSError, ValueError, AttributeError):
        return b""


def prepare_upload(file: Any) -> Upload:
    """Turn any accepted ``file=`` value into an :class:`Upload`, or refuse it locally."""
    filename: str | None = None
    content_type: str | None = None
    owned = False
    content: Any = file
    if isinstance(file, tuple):
        if len(file) not in (2, 3) or not isinstance(file[0], str):
            raise TypeError(
                "file as a tuple must be (filename, content) or (filename, content, content_type)"
            )
        filename, content = file[0], file[1]
        content_type = file[2] if len(file) == 3 else None
    if isinstance(content, (str, os.PathLike)):
        path = os.fspath(content)
        if not os.path.isfile(path):
            raise FileNotFoundError(_not_sent(f"No file to upload at {path!r}."))
        filename = filename or os.path.basename(path)
        size: int | None = os.path.getsize(path)
        stream: IO[bytes] | None = None
    elif isinstance(content, (bytes, bytearray, memoryview)):
        stream = io.BytesIO(bytes(content))
        size = len(stream.getbuffer())
    elif hasattr(content, "read"):
        if isinstance(content, io.TextIOBase):
            raise TypeError("file must be opened in binary mode ('rb'), not text mode")
        stream = content
        name = getattr(content, "name", None)
        if filename is None and isinstance(name, str):
            filename = os.path.basename(name)
        size = _size_of(content)
    else:
        raise TypeError(
            "file must be a path, bytes, a binary file object, or (filename, content"
            f"[, content_type]); got {type(content).__name__}"
        )
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise FileTooLargeError(
            _not_sent(
                f"{filename or 'The upload'} is {size / 1024 / 1024:.1f} MB; the API accepts "
                f"at most {MAX_UPLOAD_BYTES // 1024 // 1024} MB."
            ),
            status_code=413,
            code="file_too_large",
        )
    if content_type is None and filename:
        content_type = _TYPES_BY_EXTENSION.get(os.path.splitext(filename)[1].lower())
        if content_type is None and os.path.splitext(filename)[1]:
            raise UnsupportedFileTypeError(
                _not_sent(f"{filename!r} is not an accepted format ({_ACCEPTED_TEXT})."),
                status_code=415,
                code="unsupported_file_type",
            )
    if content_type is None:
        if stream is None:
            with open(os.fspath(content), "rb") as fh:
                head = fh.read(16)
        else:
            head = _peek(stream)
        content_type = _sniff(head)
        if content_type is None:
            raise UnsupportedFileTypeError(
                _not_sent(
                    "Could not tell the upload's format from its name or its first bytes; "
                    f"the API accepts {_ACCEPTED_TEXT}. Pass (filename, content) or "
                    "(filename, content, content_type)."
                ),
                status_code=415,
                code="unsupported_file_type",
            )
    if content_type.split(";")[0].strip().lower() not in _ACCEPTED_TYPES:
        raise UnsupportedFileTypeError(
            _not_sent(f"Content type {content_type!r} is not accepted ({_ACCEPTED_TEXT})."),
            status_code=415,
            code="unsupported_file_type",
        )
    if stream is None:
        stream = open(os.fspath(content), "rb")  # noqa: SIM115  (closed after the call)
        owned = True
    filename = filename or "upload" + _EXTENSION_BY_TYPE.get(content_type, "")
    return Upload(filename=filename, stream=stream, content_type=content_type, owned=owned)
