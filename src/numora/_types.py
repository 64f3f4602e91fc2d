"""Types shared by the client, the resources and users' own code."""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from typing import IO

import httpx
from typing_extensions import TypedDict

__all__ = ["FileContent", "FileInput", "RequestOptions", "TimeoutTypes"]

TimeoutTypes = float | httpx.Timeout | None
"""Seconds (for every phase), an ``httpx.Timeout``, or ``None`` (no timeout)."""

FileContent = bytes | IO[bytes]
FileInput = (
    str | PathLike[str] | bytes | IO[bytes] | tuple[str, FileContent] | tuple[str, FileContent, str]
)
"""An upload: a path, bytes, a binary file object, or (filename, content[, content_type])."""


class RequestOptions(TypedDict, total=False):
    """Per-call options every API method accepts as keyword arguments.

    Attributes:
        timeout: overrides the client's timeout for this call.
        max_retries: overrides the client's ``max_retries`` for this call (0 = one attempt).
        extra_headers: headers to add (or override) on this call.
        extra_query: query parameters to add on this call.
        extra_body: JSON fields to add to this call's body (for fields newer than this SDK).
        request_id: the ``x-request-id`` to send; one is generated when omitted. The same id
            is sent on every retry of the call.
    """

    timeout: TimeoutTypes
    max_retries: int
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, object]
    extra_body: Mapping[str, object]
    request_id: str
