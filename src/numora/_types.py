"""Types shared by the client, the resources and users' own code."""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from typing import IO

import httpx
from typing_extensions import TypedDict

__all__ = [
    "BodyRequestOptions",
    "FileContent",
    "FileInput",
    "RequestOptions",
    "TimeoutTypes",
]

TimeoutTypes = float | httpx.Timeout | None
"""Seconds (for every phase), an ``httpx.Timeout``, or ``None`` (no timeout)."""

FileContent = bytes | IO[bytes]
FileInput = (
    str | PathLike[str] | bytes | IO[bytes] | tuple[str, FileContent] | tuple[str, FileContent, str]
)
"""An upload: a path, bytes, a binary file object, or (filename, content[, content_type])."""


class RequestOptions(TypedDict, total=False):
    """Per-call options every API method accepts as keyword arguments.

    Each one applies to this call only; leave it out to use the client's setting.

    Attributes:
        timeout: this call's timeout per request (seconds, an ``httpx.Timeout``, or
            ``None`` for none); the client's ``timeout`` when left out.
        max_retries: retries after the first attempt for this call (0 = one attempt).
        extra_headers: headers to add (or override) on this call. ``Authorization`` always
            comes from the client's key.
        extra_query: query parameters to add on this call.
        request_id: the ``x-request-id`` to send; one is generated when left out. The same
            id is sent on every retry of the call.
    """

    timeout: TimeoutTypes
    max_retries: int
    extra_headers: Mapping[str, str] | None
    extra_query: Mapping[str, object] | None
    request_id: str | None


class BodyRequestOptions(RequestOptions, total=False):
    """The per-call options of a method that sends a JSON body: :class:`RequestOptions`
    plus ``extra_body``.

    Attributes:
        extra_body: JSON fields to add to this call's body (for fields newer than this
            SDK); they override the SDK's own fields of the same name.
    """

    extra_body: Mapping[str, object] | None
